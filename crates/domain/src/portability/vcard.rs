//! A client's contacts as vCard 4.0 (RFC 6350), one card each.

use super::lines::{escape, push};

/// One person as a card shows them.
pub struct Card<'a> {
    pub uid: String,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub mobile: Option<&'a str>,
    pub org: &'a str,
    pub department: Option<&'a str>,
}

/// Words after a comma that end a name rather than start its given part.
const SUFFIXES: &[&str] = &[
    "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq", "esq.",
];

/// A name's parts for `N` (family; given; additional; prefixes; suffixes): "Ada King
/// Lovelace" → "Lovelace;Ada;King;;", "Lovelace, Ada King" (as directories write it)
/// the same, "Jo O'Neil, Jr." → "O'Neil;Jo;;;Jr.".
fn structured(name: &str) -> String {
    let (main, suffix) = match name.rsplit_once(',') {
        Some((main, s)) if SUFFIXES.contains(&s.trim().to_lowercase().as_str()) => (main, s.trim()),
        _ => (name, ""),
    };
    let (family, given): (String, Vec<&str>) = match main.split_once(',') {
        Some((family, rest)) => (family.trim().to_string(), rest.split_whitespace().collect()),
        None => {
            let parts: Vec<&str> = main.split_whitespace().collect();
            match parts.split_last() {
                Some((last, rest)) if !rest.is_empty() => (last.to_string(), rest.to_vec()),
                Some((only, _)) => (only.to_string(), vec![]),
                None => (String::new(), vec![]),
            }
        }
    };
    let (first, middle) = given.split_first().map_or(("", &[][..]), |(f, m)| (*f, m));
    format!(
        "{};{};{};;{}",
        escape(&family),
        escape(first),
        escape(&middle.join(" ")),
        escape(suffix)
    )
}

pub fn write(cards: &[Card]) -> String {
    let mut out = String::new();
    for c in cards {
        push(&mut out, "BEGIN:VCARD");
        push(&mut out, "VERSION:4.0");
        push(&mut out, &format!("UID:{}", escape(&c.uid)));
        push(&mut out, &format!("FN:{}", escape(c.name)));
        push(&mut out, &format!("N:{}", structured(c.name)));
        let org = match c.department.filter(|d| !d.is_empty()) {
            Some(d) => format!("ORG:{};{}", escape(c.org), escape(d)),
            None => format!("ORG:{}", escape(c.org)),
        };
        push(&mut out, &org);
        if let Some(t) = c.title.filter(|t| !t.is_empty()) {
            push(&mut out, &format!("TITLE:{}", escape(t)));
        }
        if let Some(e) = c.email.filter(|e| !e.is_empty()) {
            push(&mut out, &format!("EMAIL;TYPE=work:{}", escape(e)));
        }
        if let Some(p) = c.phone.filter(|p| !p.is_empty()) {
            push(&mut out, &format!("TEL;TYPE=work;VALUE=text:{}", escape(p)));
        }
        if let Some(p) = c.mobile.filter(|p| !p.is_empty()) {
            push(&mut out, &format!("TEL;TYPE=cell;VALUE=text:{}", escape(p)));
        }
        push(&mut out, "END:VCARD");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_their_parts() {
        assert_eq!(structured("Ada King Lovelace"), "Lovelace;Ada;King;;");
        assert_eq!(structured("Lovelace, Ada King"), "Lovelace;Ada;King;;");
        assert_eq!(structured("Cher"), "Cher;;;;");
        assert_eq!(structured("Jo O'Neil, Jr."), "O'Neil;Jo;;;Jr.");
        assert_eq!(structured("van der Berg, Anna"), "van der Berg;Anna;;;");
    }
}
