//! An IT Glue export: `organizations.csv` become clients, `locations.csv`,
//! `contacts.csv`, `configurations.csv` (assets), `passwords.csv` (credentials) and
//! `documents.csv` (with each document's HTML from the export's folders) their
//! records. Rows name their organisation by id where the file has `organization_id`,
//! else by name. Each file is read when the import reaches it.
//!
//! Duplicate organisation names: an organisation is matched to an existing client of
//! the same name (an export imported twice updates rather than duplicates); a second
//! organisation of a name already used in the same export becomes its own client,
//! named "Name (2)", "Name (3)"…, and is flagged. Its records follow it by
//! `organization_id`; a record that only names an ambiguous organisation goes to the
//! first of them and is flagged.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::archive::Archive;
use super::columns::{by_header, norm};
use super::sheet::Sheet;
use super::table::{self, Input};
use super::{target, ClientRef, Notes, Plan, Record, Records};

/// The export's files, in the order they are read, and the kind each becomes.
const FILES: &[(&str, &str)] = &[
    ("organizations.csv", "clients"),
    ("locations.csv", "locations"),
    ("contacts.csv", "contacts"),
    ("configurations.csv", "assets"),
    ("passwords.csv", "credentials"),
    ("documents.csv", "documents"),
];

/// What one file of the export tells the files after it.
#[derive(Default)]
struct Seen {
    names_used: HashMap<String, usize>,
    ambiguous: HashSet<String>,
}

pub fn plan(name: &str, archive: Rc<Archive>) -> Result<Plan, String> {
    let notes = Rc::new(RefCell::new(Notes::default()));
    let seen = Rc::new(RefCell::new(Seen::default()));
    let parts: Vec<Records> = FILES
        .iter()
        .map(|&(file, slug)| {
            let (archive, notes, seen) = (archive.clone(), notes.clone(), seen.clone());
            // Opened when the import reaches it, after the files before it.
            Box::new(std::iter::once(()).flat_map(move |()| {
                part(file, slug, &archive, &notes, &seen)
                    .unwrap_or_else(|e| Box::new(std::iter::once(Err(format!("{file}: {e}")))))
            })) as Records
        })
        .collect();
    Ok(Plan {
        source: name.to_string(),
        records: Box::new(parts.into_iter().flatten()),
        notes,
        chosen_client: None,
        source_tenant: None,
    })
}

/// The records of one file of the export (none when the export has no such file).
fn part(
    file: &'static str,
    slug: &'static str,
    archive: &Rc<Archive>,
    notes: &Rc<RefCell<Notes>>,
    seen: &Rc<RefCell<Seen>>,
) -> Result<Records, String> {
    let Some(bytes) = archive.get(file)? else {
        return Ok(Box::new(std::iter::empty()));
    };
    let rows = table::open(&Input::Bytes(bytes))?;
    let mut header = rows.header.clone();
    let encoding = rows.encoding;
    let rows: table::RowIter = match slug {
        "contacts" => joined_names(&mut header, rows),
        "documents" => with_bodies(&mut header, rows, archive.clone()),
        _ => Box::new(rows),
    };
    let target = target(slug).expect("a known kind");
    let (cols, _) = by_header(target, &header);
    let sheet = Sheet {
        file,
        encoding,
        header: &header,
        target,
        cols,
    };
    let seen = seen.clone();
    Ok(sheet.records(rows, notes, move |r, _| {
        let mut seen = seen.borrow_mut();
        match slug {
            "clients" => dedupe(r, &mut seen),
            "credentials" if r.value("password").is_empty() => {
                r.flags.push("No password in the file.".into());
            }
            _ => {}
        }
        if let ClientRef::Name(n) = &r.client {
            if seen.ambiguous.contains(&n.to_lowercase()) {
                r.flags.push(format!(
                    "Several organisations are called \"{n}\" and the row names no id; it goes to the first."
                ));
            }
        }
    }))
}

/// The second and later organisations of one name get a number.
fn dedupe(r: &mut Record, seen: &mut Seen) {
    let name = r.value("name").to_string();
    let n = seen.names_used.entry(name.to_lowercase()).or_insert(0);
    *n += 1;
    if *n > 1 {
        seen.ambiguous.insert(name.to_lowercase());
        let renamed = format!("{name} ({n})");
        r.flags.push(format!(
            "Another organisation of this export is called \"{name}\"; this one is imported as \"{renamed}\"."
        ));
        if let Some((_, v)) = r.values.iter_mut().find(|(f, _)| *f == "name") {
            *v = renamed;
        }
    }
}

use table::RowIter;

/// IT Glue splits a contact's name; mspdesk keeps one.
fn joined_names(header: &mut Vec<String>, rows: table::Rows) -> RowIter {
    let col = |n: &str| header.iter().position(|h| norm(h) == n);
    let (Some(first), last) = (col("firstname"), col("lastname")) else {
        return Box::new(rows);
    };
    if col("name").is_some() {
        return Box::new(rows);
    }
    header.push("Name".into());
    Box::new(rows.map(move |row| {
        row.map(|(line, mut cells)| {
            let full = match last {
                Some(l) => format!("{} {}", cells[first].trim(), cells[l].trim()),
                None => cells[first].trim().to_string(),
            };
            cells.push(full.trim().to_string());
            (line, cells)
        })
    }))
}

/// A document's body is an HTML file of the export whose path names the document's
/// id (`documents/DOC-123 Title/123.html`, `documents/123-title.html`, …), read as
/// the row is.
fn with_bodies(header: &mut Vec<String>, rows: table::Rows, archive: Rc<Archive>) -> RowIter {
    let Some(id_col) = header.iter().position(|h| norm(h) == "id") else {
        return Box::new(rows);
    };
    if header
        .iter()
        .any(|h| matches!(norm(h).as_str(), "content" | "body" | "html"))
    {
        return Box::new(rows);
    }
    header.push("Content".into());
    let pages: Vec<String> = archive
        .names()
        .filter(|p| {
            let p = p.to_ascii_lowercase();
            p.ends_with(".html") || p.ends_with(".htm")
        })
        .map(str::to_string)
        .collect();
    Box::new(rows.map(move |row| {
        let (line, mut cells) = row?;
        let id = cells[id_col].trim().to_string();
        let body = match pages.iter().find(|path| {
            !id.is_empty()
                && path
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|part| part == id)
        }) {
            Some(path) => String::from_utf8_lossy(&archive.read(path)?).into_owned(),
            None => String::new(),
        };
        cells.push(body);
        Ok((line, cells))
    }))
}
