//! IT Glue's flexible assets: every sheet of the export beyond the fixed kinds is one
//! flexible asset type ("Wi-Fi", "Backup", "Line-of-business app"), one row an asset.
//! mspdesk has no types of its own making yet, so each row becomes a document of its
//! organisation, named "Type: name", whose body lists the row's fields — nothing of it
//! is lost, and each row says where it went. A field that looks like a secret (a
//! password, a passphrase, a key) is not written into a document body, where anyone
//! who reads documents would see it: it is left out and flagged, to be kept as a
//! credential.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::archive::Archive;
use super::super::columns::norm;
use super::super::table::{self, Input};
use super::super::{cells, ClientRef, Item, Notes, Record, Records};

/// The sheets of the archive that are flexible asset types: top-level CSVs that are
/// none of the fixed kinds (`known`, by normalised name), and any CSV under a
/// `flexible_assets` folder.
pub(super) fn sheets(archive: &Archive, known: impl Fn(&str) -> bool) -> Vec<String> {
    archive
        .names()
        .filter(|p| p.to_ascii_lowercase().ends_with(".csv"))
        .filter(|p| match p.rsplit_once('/') {
            None => !known(&norm(&p[..p.len() - 4])),
            Some((dir, _)) => norm(dir) == "flexibleassets",
        })
        .map(str::to_string)
        .collect()
}

/// The type's name from its sheet's: `flexible_assets/Wi-Fi.csv` → "Wi-Fi".
fn type_name(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    stem[..stem.len().saturating_sub(4)].replace('_', " ")
}

/// Words of a column's name that mark a secret.
const SECRET_WORDS: &[&str] = &["password", "passphrase", "secret", "psk", "key", "pin"];

fn looks_secret(header: &str) -> bool {
    header
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| SECRET_WORDS.contains(&w) || w.ends_with("password") || w.ends_with("passphrase"))
}

pub(super) fn records(
    file: &str,
    archive: &Archive,
    notes: &Rc<RefCell<Notes>>,
) -> Result<Records, String> {
    let rows = table::open(&Input::Bytes(archive.read(file)?))?;
    if rows.encoding != table::Encoding::Utf8 {
        notes
            .borrow_mut()
            .encodings
            .push((file.to_string(), rows.encoding.label().into()));
    }
    let header = rows.header.clone();
    let at = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&norm(h).as_str()))
    };
    let (org_id, org) = (
        at(&["organizationid", "organisationid"]),
        at(&["organization", "organisation", "organizationname"]),
    );
    let (id, archived) = (at(&["id"]), at(&["archived"]));
    let name = at(&["name", "title"]);
    let skip = [org_id, org, id, archived];
    let kind = type_name(file);
    let file = file.to_string();
    Ok(Box::new(rows.map(move |row| {
        let (line, cells) = row?;
        let cell = |i: Option<usize>| i.map_or("", |i| cells[i].trim());
        let client = match (cell(org_id), cell(org)) {
            ("", "") => ClientRef::Chosen,
            ("", name) => ClientRef::Name(name.to_string()),
            (id, name) => ClientRef::Source(id.to_string(), name.to_string()),
        };
        let mut r = Record::new(&file, line, "documents", client);
        let title = match cell(name) {
            "" => format!("{kind} (row {line})"),
            n => n.to_string(),
        };
        let mut body = vec![];
        for (i, (h, value)) in header.iter().zip(&cells).enumerate() {
            if skip.contains(&Some(i)) || value.trim().is_empty() {
                continue;
            }
            if looks_secret(h) {
                r.flags.push(format!(
                    "{h}: looks like a secret, so it was not written into the document; keep \
                     it as a credential."
                ));
                continue;
            }
            body.push(format!("**{h}:** {}", value.trim()));
        }
        r.put("name", &format!("{kind}: {title}"));
        r.put("category", &kind);
        r.put("content", &body.join("\n\n"));
        r.source_id = Some(cell(id).to_string()).filter(|s| !s.is_empty());
        r.archived = cells::yes_no(cell(archived)) == Some(true);
        r.flags.push(format!(
            "An IT Glue flexible asset of type \"{kind}\": imported as a document, with its \
             fields in the body."
        ));
        Ok(Item::Record(r))
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_and_secrets() {
        assert_eq!(type_name("flexible_assets/Wi-Fi.csv"), "Wi-Fi");
        assert_eq!(
            type_name("Line_of_business_app.csv"),
            "Line of business app"
        );
        assert!(looks_secret("WPA2 Passphrase") && looks_secret("License key"));
        assert!(!looks_secret("SSID") && !looks_secret("Shipping address"));
    }
}
