//! One cell of a file as the value its field's form expects: "Yes" → a ticked box, a
//! choice's label → its value, a location's name → its id in this client, "1,234.50"
//! → an amount, an ISO timestamp → its date. What cannot be kept as it is gets a flag
//! for the report (a placeholder instead of a password, a name no record has); what
//! is simply invalid is left to the form's validation, whose message the report shows.

use crate::domain::forms::{Field, Kind, RefKind, RefOptions};

/// A cell as form input, with the notes the report shows for it.
pub fn to_input(f: &Field, raw: &str, refs: &RefOptions, flags: &mut Vec<String>) -> String {
    let raw = undefused(raw);
    let cell = raw.trim();
    match f.kind {
        Kind::Bool => match yes_no(cell) {
            Some(true) => "on".into(),
            Some(false) => String::new(),
            None => {
                flags.push(format!(
                    "{}: \"{cell}\" is not yes or no; read as no.",
                    f.label
                ));
                String::new()
            }
        },
        Kind::Choice(choices) => choice(f, choices, cell, flags),
        Kind::Ref(kind) => reference(f, kind, cell, refs, flags),
        Kind::Money | Kind::Decimal { .. } => amount(cell),
        Kind::Date => date(cell),
        Kind::DateTime => datetime(cell),
        Kind::HostnameLines => cell
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        Kind::Secret => secret(f, raw, flags),
        Kind::TotpSeed => match yes_no(cell) {
            // Some exports say only whether a one-time password was on.
            Some(_) => String::new(),
            None if is_placeholder(cell) => {
                flags.push(format!(
                    "{}: the file holds a placeholder, not the seed; it was not imported.",
                    f.label
                ));
                String::new()
            }
            None => cell.to_string(),
        },
        Kind::Markdown => sanitized(f, raw, flags),
        Kind::Email => first_address(cell),
        _ => cell.to_string(),
    }
}

/// A cell as it was before an export defused it: CSV writers (ours, and spreadsheets')
/// put `'` before a value a spreadsheet would run as a formula — "+44 20 7946 0000"
/// must come back as the phone number, not with the quote.
fn undefused(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => raw,
    }
}

/// Words other tools use for a choice's value.
const CHOICE_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "deployed",
        &["active", "inuse", "production", "live", "installed"],
    ),
    ("in_stock", &["spare", "stock", "instock", "storage"]),
    ("in_repair", &["repair", "broken", "rma"]),
    ("retired", &["decommissioned", "archived", "inactive"]),
    (
        "network",
        &[
            "firewall",
            "switch",
            "router",
            "accesspoint",
            "ap",
            "wap",
            "wifi",
            "networkdevice",
        ],
    ),
    ("workstation", &["desktop", "pc"]),
    ("laptop", &["notebook"]),
    ("vm", &["virtualmachine", "virtualserver"]),
    ("phone", &["mobile", "cellphone", "voip"]),
];

/// A choice by its value or label, a word other tools use for it, or a label inside
/// the cell ("Managed Workstation"); else Other where there is one, else blank (or,
/// for a required choice, the form's own message).
fn choice(
    f: &Field,
    choices: &[(&'static str, &'static str)],
    cell: &str,
    flags: &mut Vec<String>,
) -> String {
    use super::columns::norm;
    let n = norm(cell);
    if n.is_empty() {
        return String::new();
    }
    let has = |v: &str| choices.iter().any(|(c, _)| *c == v);
    let exact = choices
        .iter()
        .find(|(v, l)| norm(v) == n || norm(l) == n)
        .map(|(v, _)| *v);
    let synonym = || {
        CHOICE_SYNONYMS
            .iter()
            .find(|(v, words)| has(v) && words.contains(&n.as_str()))
            .map(|(v, _)| *v)
    };
    let inside = || {
        choices
            .iter()
            .filter(|(v, _)| *v != "other")
            .find(|(v, l)| n.contains(&norm(l)) || n.contains(&norm(v)))
            .map(|(v, _)| *v)
    };
    if let Some(v) = exact.or_else(synonym).or_else(inside) {
        return v.to_string();
    }
    match choices.iter().find(|(v, _)| *v == "other") {
        Some((other, label)) => {
            flags.push(format!(
                "{}: \"{cell}\" is not a choice here; imported as {label}.",
                f.label
            ));
            other.to_string()
        }
        None if f.required => cell.to_string(),
        None => {
            flags.push(format!(
                "{}: \"{cell}\" is not a choice here; left blank.",
                f.label
            ));
            String::new()
        }
    }
}

pub fn yes_no(cell: &str) -> Option<bool> {
    match super::columns::norm(cell).as_str() {
        "yes" | "y" | "true" | "1" | "x" | "on" | "t" => Some(true),
        "no" | "n" | "false" | "0" | "off" | "f" | "" => Some(false),
        _ => None,
    }
}

fn reference(
    f: &Field,
    kind: RefKind,
    cell: &str,
    refs: &RefOptions,
    flags: &mut Vec<String>,
) -> String {
    if cell.is_empty() {
        return String::new();
    }
    let options = refs.0.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
    match options
        .iter()
        .find(|(_, label)| label.eq_ignore_ascii_case(cell))
    {
        Some((id, _)) => id.to_string(),
        None => {
            flags.push(format!(
                "{}: no {} named \"{cell}\" in this client; left blank.",
                f.label,
                kind.noun()
            ));
            String::new()
        }
    }
}

/// "$1,234.50", "1.234,50", "1234" → "1234.50"-like input for the amount parser.
fn amount(cell: &str) -> String {
    let kept: String = cell
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    match (kept.rfind('.'), kept.rfind(',')) {
        // The later separator is the decimal one.
        (Some(dot), Some(comma)) if comma > dot => kept.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => kept.replace(',', ""),
        // A lone comma with one or two digits after it is a decimal comma.
        (None, Some(comma)) if (1..=2).contains(&(kept.len() - comma - 1)) => {
            kept.replace(',', ".")
        }
        _ => kept.replace(',', ""),
    }
}

/// An ISO date, or the date of an ISO timestamp ("2026-05-01T00:00:00.000Z").
fn date(cell: &str) -> String {
    match cell.get(..10) {
        Some(d) if cell.len() > 10 && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => {
            d.to_string()
        }
        _ => cell.to_string(),
    }
}

fn datetime(cell: &str) -> String {
    let c = cell.replacen(' ', "T", 1);
    match c.get(..16) {
        Some(d) if chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M").is_ok() => {
            d.to_string()
        }
        _ => c,
    }
}

/// Exports that cannot carry a vault's secrets put a marker where the value was
/// (IT Glue: `AES256GCM…`); storing it as the password would lose the real one
/// silently.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let upper = v.to_ascii_uppercase();
    upper.starts_with("AES256GCM")
        || upper.starts_with("ENCRYPTED:")
        || upper == "[ENCRYPTED]"
        || upper == "[REDACTED]"
        || (v.chars().count() >= 3 && v.chars().all(|c| c == '*' || c == '•'))
}

fn secret(f: &Field, raw: &str, flags: &mut Vec<String>) -> String {
    if is_placeholder(raw) {
        flags.push(format!(
            "{}: the file holds a placeholder ({}…), not the value; it was not imported — set it by hand.",
            f.label,
            raw.trim().chars().take(9).collect::<String>()
        ));
        return String::new();
    }
    raw.to_string()
}

/// HTML in a document is kept only as far as it is safe: scripts, event handlers and
/// `javascript:` links are removed before it is stored (pages sanitize again when
/// they render it).
fn sanitized(f: &Field, raw: &str, flags: &mut Vec<String>) -> String {
    let has_html = raw
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if !has_html {
        return raw.to_string();
    }
    let clean = ammonia::clean(raw);
    if clean.trim() != raw.trim() {
        flags.push(format!("{}: unsafe HTML was removed.", f.label));
    }
    clean
}

/// The first address of a cell that may hold several ("Work: a@x.test; b@x.test").
fn first_address(cell: &str) -> String {
    cell.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .find(|p| p.contains('@'))
        .map(|p| p.trim_matches(|c: char| c == '<' || c == '>').to_string())
        .unwrap_or_else(|| cell.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_several_notations() {
        assert_eq!(amount("$1,234.50"), "1234.50");
        assert_eq!(amount("1.234,50 €"), "1234.50");
        assert_eq!(amount("12,5"), "12.5");
        assert_eq!(amount("1,234"), "1234");
    }

    #[test]
    fn placeholders_are_told_apart_from_passwords() {
        assert!(is_placeholder("AES256GCM:abcdef=="));
        assert!(is_placeholder("********"));
        assert!(!is_placeholder("Summer2026!"));
        assert!(!is_placeholder("**a"));
    }

    #[test]
    fn a_defused_cell_comes_back_as_it_was() {
        let f = Field::new("phone", "Phone", crate::domain::forms::Kind::Phone);
        let back = to_input(&f, "'+44 20 7946 0000", &RefOptions::default(), &mut vec![]);
        assert_eq!(back, "+44 20 7946 0000");
        assert_eq!(undefused("'quoted"), "'quoted");
        let out =
            crate::domain::portability::csv_out::write(&["P".into()], &[vec!["+1 555".into()]])
                .unwrap();
        let cell = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(
            undefused(cell.lines().nth(1).unwrap()),
            "+1 555",
            "our export reads back"
        );
    }

    #[test]
    fn dates_and_addresses() {
        assert_eq!(date("2026-05-01T00:00:00.000Z"), "2026-05-01");
        assert_eq!(datetime("2026-05-01 09:30:00"), "2026-05-01T09:30");
        assert_eq!(first_address("Work: <a@x.test>; b@x.test"), "a@x.test");
    }
}
