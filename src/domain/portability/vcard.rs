//! A client's contacts as vCard 4.0 (RFC 6350), one card each.

use super::lines::{escape, push};

/// One person as a card shows them.
pub struct Card<'a> {
    pub uid: String,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub org: &'a str,
    pub department: Option<&'a str>,
}

/// "Ada King Lovelace" → family "Lovelace", given "Ada", additional "King".
fn structured(name: &str) -> String {
    let parts: Vec<&str> = name.split_whitespace().collect();
    match parts.as_slice() {
        [] => ";;;;".into(),
        [one] => format!("{};;;;", escape(one)),
        [given, middle @ .., family] => format!(
            "{};{};{};;",
            escape(family),
            escape(given),
            escape(&middle.join(" "))
        ),
    }
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
        assert_eq!(structured("Cher"), "Cher;;;;");
        assert_eq!(structured("Jo O'Neil, Jr."), "Jr.;Jo;O'Neil\\,;;");
    }
}
