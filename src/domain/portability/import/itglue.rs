//! An IT Glue export: `organizations.csv` become clients, `locations.csv`,
//! `contacts.csv`, `configurations.csv` (assets), `passwords.csv` (credentials) and
//! `documents.csv` (with each document's HTML from the export's folders) their
//! records. Rows name their organisation by id where the file has `organization_id`,
//! else by name.
//!
//! Duplicate organisation names: an organisation is matched to an existing client of
//! the same name (an export imported twice updates rather than duplicates); a second
//! organisation of a name already used in the same export becomes its own client,
//! named "Name (2)", "Name (3)"…, and is flagged. Its records follow it by
//! `organization_id`; a record that only names an ambiguous organisation goes to the
//! first of them and is flagged.

use std::collections::{HashMap, HashSet};

use super::archive::Archive;
use super::columns::by_header;
use super::{rows_of, table, target, ClientRef, Plan, Record};

/// The export's files, in the order they are read, and the kind each becomes.
const FILES: &[(&str, &str)] = &[
    ("organizations.csv", "clients"),
    ("locations.csv", "locations"),
    ("contacts.csv", "contacts"),
    ("configurations.csv", "assets"),
    ("passwords.csv", "credentials"),
    ("documents.csv", "documents"),
];

pub fn plan(name: &str, archive: &Archive) -> Result<Plan, String> {
    let mut plan = Plan {
        source: name.to_string(),
        ..Plan::default()
    };
    let mut names_used: HashMap<String, usize> = HashMap::new();
    let mut ambiguous: HashSet<String> = HashSet::new();
    for (file, slug) in FILES {
        let Some(bytes) = archive.get(file) else {
            continue;
        };
        let mut t = table::read(bytes).map_err(|e| format!("{file}: {e}"))?;
        match *slug {
            "contacts" => join_names(&mut t),
            "documents" => attach_bodies(&mut t, archive),
            _ => {}
        }
        let target = target(slug).expect("a known kind");
        let (cols, ignored) = by_header(target, &t.header);
        plan.ignored
            .extend(ignored.into_iter().map(|h| format!("{file}: {h}")));
        for (line, cells) in &t.rows {
            for mut r in rows_of(file, target, &cols, *line, cells) {
                match *slug {
                    "clients" => dedupe(&mut r, &mut names_used, &mut ambiguous),
                    "credentials" if r.value("password").is_empty() => {
                        r.flags.push("No password in the file.".into());
                    }
                    _ => {}
                }
                if let ClientRef::Name(n) | ClientRef::Source(_, n) = &r.client {
                    if ambiguous.contains(&n.to_lowercase())
                        && !matches!(r.client, ClientRef::Source(..))
                    {
                        r.flags.push(format!(
                            "Several organisations are called \"{n}\" and the row names no id; it goes to the first."
                        ));
                    }
                }
                plan.records.push(r);
            }
        }
    }
    Ok(plan)
}

/// The second and later organisations of one name get a number.
fn dedupe(r: &mut Record, used: &mut HashMap<String, usize>, ambiguous: &mut HashSet<String>) {
    let name = r.value("name").to_string();
    let n = used.entry(name.to_lowercase()).or_insert(0);
    *n += 1;
    if *n > 1 {
        ambiguous.insert(name.to_lowercase());
        let renamed = format!("{name} ({n})");
        r.flags.push(format!(
            "Another organisation of this export is called \"{name}\"; this one is imported as \"{renamed}\"."
        ));
        if let Some((_, v)) = r.values.iter_mut().find(|(f, _)| *f == "name") {
            *v = renamed;
        }
    }
}

/// IT Glue splits a contact's name; mspdesk keeps one.
fn join_names(t: &mut table::Table) {
    let col = |n: &str| t.header.iter().position(|h| super::columns::norm(h) == n);
    let (Some(first), last) = (col("firstname"), col("lastname")) else {
        return;
    };
    if col("name").is_some() {
        return;
    }
    t.header.push("Name".into());
    for (_, cells) in &mut t.rows {
        let full = match last {
            Some(l) => format!("{} {}", cells[first].trim(), cells[l].trim()),
            None => cells[first].trim().to_string(),
        };
        cells.push(full.trim().to_string());
    }
}

/// A document's body is an HTML file of the export whose path names the document's
/// id (`documents/DOC-123 Title/123.html`, `documents/123-title.html`, …).
fn attach_bodies(t: &mut table::Table, archive: &Archive) {
    let Some(id_col) = t
        .header
        .iter()
        .position(|h| super::columns::norm(h) == "id")
    else {
        return;
    };
    if t.header.iter().any(|h| {
        matches!(
            super::columns::norm(h).as_str(),
            "content" | "body" | "html"
        )
    }) {
        return;
    }
    t.header.push("Content".into());
    for (_, cells) in &mut t.rows {
        let id = cells[id_col].trim().to_string();
        let body = archive
            .files
            .iter()
            .filter(|(path, _)| {
                path.to_ascii_lowercase().ends_with(".html")
                    || path.to_ascii_lowercase().ends_with(".htm")
            })
            .find(|(path, _)| {
                !id.is_empty()
                    && path
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|part| part == id)
            })
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        cells.push(body);
    }
}
