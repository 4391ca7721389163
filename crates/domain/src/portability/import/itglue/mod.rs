//! An IT Glue export (the account export's ZIP or folder): `organizations.csv` become
//! clients, `locations.csv`, `contacts.csv`, `configurations.csv` (assets, with their
//! host names and interfaces), `passwords.csv` (credentials, linked to the
//! configuration they belong to), `documents.csv` (each body from the export's folder
//! named by the document's locator, HTML turned into Markdown), `domains.csv` and
//! `ssl_certificates.csv` their records; every other sheet is a flexible asset type,
//! whose rows become documents (`flexible`). Rows name their organisation by
//! `organization_id` where the file has it, else by name. Each file is read when the
//! import reaches it; what a column of the export has no home for is counted in the
//! report, never dropped unsaid.
//!
//! Duplicate organisation names: an organisation is matched to an existing client of
//! the same name (an export imported twice changes nothing); a second organisation of
//! a name already used in the same export becomes its own client, named "Name (2)",
//! "Name (3)"…, and is flagged. Its records follow it by `organization_id`; a record
//! that only names an ambiguous organisation goes to the first of them and is flagged.

mod documents;
mod flexible;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::archive::Archive;
use super::columns::{by_header, norm, Col};
use super::sheet::{with_full_names, Sheet};
use super::table::{self, Input};
use super::{target, ClientRef, Notes, Plan, Record, Records};

/// The export's sheets, in the order they are read, and the kind each becomes.
const FILES: &[(&str, &str)] = &[
    ("organizations", "clients"),
    ("locations", "locations"),
    ("contacts", "contacts"),
    ("configurations", "assets"),
    ("passwords", "credentials"),
    ("documents", "documents"),
    ("domains", "domains"),
    ("ssl_certificates", "certificates"),
];

/// What the files read so far tell the files after them.
#[derive(Default)]
struct Seen {
    names_used: HashMap<String, usize>,
    ambiguous: HashSet<String>,
    /// Configurations' names by their id in the export.
    configurations: HashMap<String, String>,
}

pub fn plan(name: &str, archive: Rc<Archive>) -> Result<Plan, String> {
    let notes = Rc::new(RefCell::new(Notes::default()));
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut parts: Vec<Records> = FILES
        .iter()
        .map(|&(stem, slug)| {
            let (archive, notes, seen) = (archive.clone(), notes.clone(), seen.clone());
            // Opened when the import reaches it, after the files before it.
            Box::new(std::iter::once(()).flat_map(move |()| {
                let Some(file) = sheet_named(&archive, stem) else {
                    return Box::new(std::iter::empty()) as Records;
                };
                part(&file, slug, &archive, &notes, &seen)
                    .unwrap_or_else(|e| Box::new(std::iter::once(Err(format!("{file}: {e}")))))
            })) as Records
        })
        .collect();
    for file in flexible::sheets(&archive, |stem| FILES.iter().any(|(s, _)| norm(s) == stem)) {
        let (archive, notes) = (archive.clone(), notes.clone());
        parts.push(Box::new(std::iter::once(()).flat_map(move |()| {
            flexible::records(&file, &archive, &notes)
                .unwrap_or_else(|e| Box::new(std::iter::once(Err(format!("{file}: {e}")))))
        })));
    }
    Ok(Plan {
        source: name.to_string(),
        records: Box::new(parts.into_iter().flatten()),
        notes,
        chosen_client: None,
        source_tenant: None,
    })
}

/// The top-level sheet of the export whose name is `stem` (`ssl_certificates.csv`,
/// `SSL Certificates.csv`…).
fn sheet_named(archive: &Archive, stem: &str) -> Option<String> {
    archive
        .names()
        .find(|p| {
            !p.contains('/')
                && p.to_ascii_lowercase().ends_with(".csv")
                && norm(&p[..p.len() - 4]) == norm(stem)
        })
        .map(str::to_string)
}

/// The records of one sheet of the export.
fn part(
    file: &str,
    slug: &'static str,
    archive: &Rc<Archive>,
    notes: &Rc<RefCell<Notes>>,
    seen: &Rc<RefCell<Seen>>,
) -> Result<Records, String> {
    let bytes = archive.read(file)?;
    let rows = table::open(&Input::Bytes(bytes))?;
    let target = target(slug).ok_or_else(|| format!("{slug} is not a kind mspdesk imports."))?;
    let mut header = rows.header.clone();
    let encoding = rows.encoding;
    let (rows, mut used) = match slug {
        "contacts" => with_full_names(target, &mut header, Box::new(rows)),
        "documents" => documents::with_bodies(&mut header, Box::new(rows), archive.clone()),
        _ => (Box::new(rows) as table::RowIter, vec![]),
    };
    let col = |name: &str| header.iter().position(|h| norm(h) == name);
    let resource = (col("resourcetype"), col("resourceid"));
    if slug == "credentials" {
        used.extend([resource.0, resource.1].into_iter().flatten());
    }
    let locator = col("locator");
    let (mut cols, _) = by_header(target, &header);
    for i in used {
        cols[i] = Col::Used;
    }
    let sheet = Sheet {
        file,
        encoding,
        header: &header,
        target,
        cols,
    };
    let seen = seen.clone();
    Ok(sheet.records(rows, notes, move |r, cells| {
        let mut seen = seen.borrow_mut();
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |c| c.trim());
        match slug {
            "clients" => dedupe(r, &mut seen),
            "assets" => {
                if let Some(id) = &r.source_id {
                    let name = r.value("name").to_string();
                    seen.configurations.insert(id.clone(), name);
                }
                interfaces_as_lines(r);
            }
            "credentials" => {
                if r.value("password").is_empty() {
                    r.flags.push("No password in the file.".into());
                }
                link_to_configuration(r, cell(resource.0), cell(resource.1), &seen);
            }
            "documents" => documents::flag_missing_body(r, cell(locator), locator.is_some()),
            _ => {}
        }
        if let ClientRef::Name(n) = &r.client
            && seen.ambiguous.contains(&n.to_lowercase()) {
                r.flags.push(format!(
                    "Several organisations are called \"{n}\" and the row names no id; it goes to the first."
                ));
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

/// A password embedded in a configuration belongs to that asset here; one embedded in
/// anything else (a document, a flexible asset) keeps the link in its notes.
fn link_to_configuration(r: &mut Record, kind: &str, id: &str, seen: &Seen) {
    if id.is_empty() {
        return;
    }
    match (norm(kind).as_str(), seen.configurations.get(id)) {
        ("configuration" | "configurations", Some(name)) => r.put("asset_id", name),
        ("configuration" | "configurations", None) => r.flags.push(format!(
            "It belongs to configuration {id}, which the export does not hold; it is not linked."
        )),
        _ => {
            r.put("notes", &format!("In IT Glue it belonged to {kind} {id}."));
            r.flags.push(format!(
                "It belonged to {kind} {id} in IT Glue; credentials link to assets here, so \
                 the link is kept in its notes."
            ));
        }
    }
}

/// `configuration_interfaces` as the export writes them (a JSON list of interfaces,
/// or lines) as one "name, IP address, MAC address" line each.
fn interfaces_as_lines(r: &mut Record) {
    let raw = r.value("interfaces").to_string();
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&raw)
    else {
        return;
    };
    let field = |item: &serde_json::Value, names: &[&str]| {
        names
            .iter()
            .find_map(|n| item.get(*n).and_then(|v| v.as_str()))
            .unwrap_or("")
            .to_string()
    };
    let lines: Vec<String> = items
        .iter()
        .map(|item| {
            [
                field(item, &["name"]),
                field(item, &["ip_address", "ip-address", "ip"]),
                field(item, &["mac_address", "mac-address", "mac"]),
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        })
        .filter(|l| !l.is_empty())
        .collect();
    if let Some((_, v)) = r.values.iter_mut().find(|(f, _)| *f == "interfaces") {
        *v = lines.join("\n");
    }
}
