//! One cell of a file as the value its field's form expects: "Yes" → a ticked box, a
//! choice's label → its value, a location's name → its id in this client, "1,234.50"
//! → an amount, an ISO timestamp → its date. What cannot be kept as it is gets a flag
//! for the report (a placeholder instead of a password, a name no record has); what
//! is simply invalid is left to the form's validation, whose message the report shows.

use crate::forms::{Field, Kind, RefKind, RefOptions};

/// A cell as form input, with the notes the report shows for it.
pub fn to_input(f: &Field, raw: &str, refs: &RefOptions, flags: &mut Vec<String>) -> String {
    let raw = undefused(raw);
    // A spreadsheet cell wrapped over lines is one line in a one-line field.
    let one_line;
    let raw = if !f.kind.is_multiline() && raw.contains(['\n', '\r', '\t']) {
        one_line = raw
            .split(['\n', '\r', '\t'])
            .filter(|p| !p.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        one_line.as_str()
    } else {
        raw
    };
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
        Kind::Markdown => markdown(f, raw, flags),
        Kind::Email => addresses(cell)
            .first()
            .cloned()
            .unwrap_or_else(|| cell.to_string()),
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

pub(crate) fn yes_no(cell: &str) -> Option<bool> {
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
    match named(kind, cell, refs) {
        Some(id) => id.to_string(),
        None => {
            flags.push(no_such(f, kind, cell));
            String::new()
        }
    }
}

/// The record of `kind` a cell names, by its name without case.
pub fn named(kind: RefKind, cell: &str, refs: &RefOptions) -> Option<i64> {
    refs.0
        .get(&kind)?
        .iter()
        .find(|(_, label)| label.eq_ignore_ascii_case(cell.trim()))
        .map(|(id, _)| *id)
}

/// The flag of a reference to nothing.
pub(crate) fn no_such(f: &Field, kind: RefKind, cell: &str) -> String {
    format!(
        "{}: no {} named \"{}\" in this client; left blank.",
        f.label,
        kind.noun(),
        cell.trim()
    )
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

/// A date and time; a date alone is its midnight (an all-day event's start).
fn datetime(cell: &str) -> String {
    if is_date_only(cell) {
        return format!("{}T00:00", &cell[..10]);
    }
    let c = cell.replacen(' ', "T", 1);
    match c.get(..16) {
        Some(d) if chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M").is_ok() => {
            d.to_string()
        }
        _ => c,
    }
}

/// "2026-05-01" without a time.
pub(crate) fn is_date_only(cell: &str) -> bool {
    let cell = cell.trim();
    cell.len() == 10 && chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok()
}

/// Exports that cannot carry a vault's secrets put a marker where the value was
/// (IT Glue: `AES256GCM…`); storing it as the password would lose the real one
/// silently.
pub(crate) fn is_placeholder(value: &str) -> bool {
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

/// HTML (IT Glue's documents) becomes the Markdown mspdesk keeps: what is unsafe —
/// scripts, event handlers, `javascript:` links — is removed first (and said), then
/// headings, lists, links, code and tables are written as Markdown. Pages sanitize
/// again when they render it.
fn markdown(f: &Field, raw: &str, flags: &mut Vec<String>) -> String {
    let has_html = raw
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if !has_html {
        return raw.to_string();
    }
    if has_unsafe(raw) {
        flags.push(format!("{}: unsafe HTML was removed.", f.label));
    }
    let clean = ammonia::clean(raw);
    match htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "head"])
        .build()
        .convert(&clean)
    {
        Ok(md) => md.trim().to_string(),
        Err(_) => clean,
    }
}

/// Whether HTML holds what no page may run: script or style elements, event handler
/// attributes, `javascript:` addresses.
fn has_unsafe(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let handler = |word: &str| {
        word.strip_prefix("on")
            .and_then(|rest| rest.split_once('='))
            .is_some_and(|(name, _)| {
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase())
            })
    };
    [
        "<script",
        "<style",
        "<iframe",
        "<object",
        "<embed",
        "javascript:",
    ]
    .iter()
    .any(|bad| lower.contains(bad))
        || lower.split_whitespace().any(handler)
}

/// The addresses of a cell that may hold several ("Work: a@x.test; b@x.test").
pub fn addresses(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for part in cell.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let a = part.trim_matches(|c: char| c == '<' || c == '>' || c == '"');
        if a.contains('@') && !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    }
    out
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
        let f = Field::new("phone", "Phone", crate::forms::Kind::Phone);
        let back = to_input(&f, "'+44 20 7946 0000", &RefOptions::default(), &mut vec![]);
        assert_eq!(back, "+44 20 7946 0000");
        assert_eq!(undefused("'quoted"), "'quoted");
        let out =
            crate::portability::csv_out::write(&["P".into()], &[vec!["+1 555".into()]]).unwrap();
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
        assert_eq!(datetime("2026-05-01"), "2026-05-01T00:00");
        assert_eq!(
            addresses("Work: <a@x.test>; b@x.test, A@x.test"),
            ["a@x.test", "b@x.test"]
        );
    }

    #[test]
    fn html_bodies_become_markdown_with_their_tables_and_without_scripts() {
        let f = Field::new("content", "Content", Kind::Markdown);
        let mut flags = vec![];
        let md = markdown(
            &f,
            "<h1>VPN</h1><p>Use <b>FortiClient</b>, see <a href=\"https://x.test\">docs</a>.</p>\
             <table><tr><th>Site</th><th>Gateway</th></tr><tr><td>HQ</td><td>10.0.0.1</td></tr></table>\
             <script>alert(1)</script>",
            &mut flags,
        );
        assert!(md.starts_with("# VPN"), "{md}");
        assert!(
            md.contains("**FortiClient**") && md.contains("[docs](https://x.test)"),
            "{md}"
        );
        assert!(md.contains("| HQ") && md.contains("10.0.0.1"), "{md}");
        assert!(!md.contains("alert"), "{md}");
        assert_eq!(flags, ["Content: unsafe HTML was removed."]);
        let mut none = vec![];
        markdown(&f, "<p>plain <em>text</em></p>", &mut none);
        assert!(none.is_empty(), "safe HTML is not flagged: {none:?}");
    }
}
