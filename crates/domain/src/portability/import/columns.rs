//! Which column holds which field. By header name: case, spaces, `-` and `_` do not
//! matter, a field's own name or label matches first, then common synonyms (what other
//! tools and spreadsheets call it). Or by position, in ITFlow's import templates.

use super::Target;

/// What a column of the file feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Col {
    /// A field of a record of kind `slug` (the file's kind, or — ITFlow's client
    /// template — the client's first location or contact).
    Field(&'static str, &'static str),
    /// The client a row belongs to, by name.
    Client,
    /// The client a row belongs to, by its id in the same export.
    ClientId,
    /// The row's own id in the export it comes from.
    Id,
    /// Whether the row was archived where it comes from.
    Archived,
    /// Read into another column made from it (a first name into the full name).
    Used,
    Ignored,
}

/// A header cell without case, spaces and punctuation: "E-mail" → "email".
pub(crate) fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

use super::synonyms::{ARCHIVED, CLIENT, CLIENT_ID, ID, SYNONYMS};

/// The columns of a header for records of `target`, and the headers nothing matched.
/// Beside a "Job Title" column (Outlook's export), "Title" is the courtesy title (Mr,
/// Dr) and not a job: it is left unmatched, and counted as such.
pub(crate) fn by_header(target: &Target, header: &[String]) -> (Vec<Col>, Vec<String>) {
    let mut cols = vec![];
    let mut ignored = vec![];
    let job_title = header.iter().any(|h| norm(h) == "jobtitle");
    for h in header {
        let n = norm(h);
        if job_title && n == "title" {
            ignored.push(h.clone());
            cols.push(Col::Ignored);
            continue;
        }
        let col = field_of(target, &n)
            .or_else(|| match n.as_str() {
                _ if !target.is_client && CLIENT.contains(&n.as_str()) => Some(Col::Client),
                _ if !target.is_client && CLIENT_ID.contains(&n.as_str()) => Some(Col::ClientId),
                _ if ID.contains(&n.as_str()) => Some(Col::Id),
                _ if ARCHIVED.contains(&n.as_str()) => Some(Col::Archived),
                _ => None,
            })
            .or_else(|| synonym_of(target, &n));
        match col {
            Some(c) => cols.push(c),
            None => {
                ignored.push(h.clone());
                cols.push(Col::Ignored);
            }
        }
    }
    (cols, ignored)
}

fn field_of(target: &Target, n: &str) -> Option<Col> {
    target
        .fields
        .iter()
        .find(|f| norm(f.name) == n || norm(f.label) == n)
        .map(|f| Col::Field(target.slug, f.name))
}

fn synonym_of(target: &Target, n: &str) -> Option<Col> {
    SYNONYMS
        .iter()
        .filter(|(_, names)| names.contains(&n))
        .find_map(|(field, _)| target.fields.iter().find(|f| f.name == *field))
        .map(|f| Col::Field(target.slug, f.name))
}

/// ITFlow's import templates, column by column: the field each feeds ("" ignored; a
/// `slug.` prefix feeds the client's first location or contact).
const ITFLOW: &[(&str, &[&str])] = &[
    // Client Name, Industry, Referral, Website, Location Name, Location Phone, Location
    // Address, City, State, Postal Code, Country, Contact Name, Title, Contact Phone,
    // Extension, Contact Mobile, Contact Email, Hourly Rate, Currency, Payment Terms,
    // Tax ID, Abbreviation.
    (
        "clients",
        &[
            "name",
            "type",
            "",
            "",
            "locations.name",
            "locations.phone",
            "locations.address_line_1",
            "locations.city",
            "locations.state",
            "locations.zip_code",
            "locations.country",
            "contacts.name",
            "contacts.title",
            "contacts.phone",
            "",
            "contacts.mobile",
            "contacts.email",
            "hourly_rate",
            "currency",
            "net_terms",
            "",
            "",
        ],
    ),
    // Name, Title, Department, Email, Phone, Extension, Mobile, Location.
    (
        "contacts",
        &[
            "name",
            "title",
            "department",
            "email",
            "phone",
            "",
            "mobile",
            "location_id",
        ],
    ),
    // Name, Description, Address, City, State, Postal Code, Phone, Hours.
    (
        "locations",
        &[
            "name",
            "description",
            "address_line_1",
            "city",
            "state",
            "zip_code",
            "phone",
            "hours",
        ],
    ),
    // Name, Description, Type, Make, Model, Serial, OS, Purchase Date, Warranty Expire,
    // Assigned To, Location, Physical Location.
    (
        "assets",
        &[
            "name",
            "notes",
            "type",
            "make",
            "model",
            "serial",
            "os",
            "purchase_date",
            "warranty_expiry",
            "contact_id",
            "location_id",
            "",
        ],
    ),
    // Name, Description, Username, Password, TOTP, URI.
    (
        "credentials",
        &["name", "notes", "username", "password", "otp_secret", "url"],
    ),
    // Name, Description, VLAN, Network, Gateway, DHCP Range, Primary DNS, Secondary DNS.
    (
        "networks",
        &[
            "name",
            "notes",
            "vlan",
            "network",
            "gateway",
            "dhcp_range",
            "dns_servers",
            "dns_servers",
        ],
    ),
];

/// The kinds ITFlow has templates for.
pub fn itflow_kinds() -> impl Iterator<Item = &'static str> {
    ITFLOW.iter().map(|(slug, _)| *slug)
}

/// The columns of ITFlow's template for `target`, when the file is as wide as it.
pub(crate) fn by_position(
    target: &Target,
    header: &[String],
) -> Result<(Vec<Col>, Vec<String>), String> {
    let Some((_, layout)) = ITFLOW.iter().find(|(slug, _)| *slug == target.slug) else {
        return Err(format!(
            "ITFlow has no import template for {}.",
            target.plural
        ));
    };
    if header.len() != layout.len() {
        return Err(format!(
            "ITFlow's {} template has {} columns; this file has {}. Choose \"columns by \
             header name\" for other files.",
            target.plural,
            layout.len(),
            header.len()
        ));
    }
    let mut ignored = vec![];
    let cols = layout
        .iter()
        .zip(header)
        .map(|(&spec, h)| match spec.split_once('.') {
            _ if spec.is_empty() => {
                ignored.push(h.clone());
                Col::Ignored
            }
            Some((slug, field)) => Col::Field(slug, field),
            None => Col::Field(target.slug, spec),
        })
        .collect();
    Ok((cols, ignored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_by_name_label_and_synonym() {
        let target = super::super::target("contacts").unwrap();
        let header: Vec<String> = ["E-Mail Address", "FULL_NAME", "Client", "Job title", "Fax"]
            .map(String::from)
            .into();
        let (cols, ignored) = by_header(target, &header);
        assert_eq!(
            cols,
            [
                Col::Field("contacts", "email"),
                Col::Field("contacts", "name"),
                Col::Client,
                Col::Field("contacts", "title"),
                Col::Ignored
            ]
        );
        assert_eq!(ignored, ["Fax"]);
    }

    #[test]
    fn itflow_templates_have_their_widths() {
        let widths: Vec<usize> = ITFLOW.iter().map(|(_, l)| l.len()).collect();
        assert_eq!(widths, [22, 8, 8, 12, 6, 8]);
        for (slug, layout) in ITFLOW {
            for spec in layout.iter().filter(|s| !s.is_empty()) {
                let (s, f) = spec.split_once('.').unwrap_or((slug, spec));
                let t = super::super::target(s).unwrap();
                assert!(t.fields.iter().any(|x| x.name == f), "{slug}: {spec}");
            }
        }
    }
}
