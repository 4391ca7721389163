//! From raw form input to typed, validated values.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use super::field::{Field, Kind};
use super::view::RefOptions;
use crate::money;

/// The key suffix that marks a stored secret (a form can never submit it usefully: the
/// write path ignores keys that are not fields).
const SECRET_STORED: &str = ".stored";

/// The raw strings of a submitted form (or of a record, formatted for its edit form).
#[derive(Debug, Clone, Default)]
pub struct FormInput(pub HashMap<String, String>);

impl FormInput {
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|s| s.trim()).unwrap_or("")
    }
    pub fn raw(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_string(), value.into());
    }
    pub fn set_opt(&mut self, name: &str, value: Option<impl ToString>) {
        self.set(name, value.map(|v| v.to_string()).unwrap_or_default());
    }
    /// A JSON list shown in its form: tags comma-separated, host names one per line.
    pub fn set_list(&mut self, name: &str, json: &str, separator: &str) {
        let items: Vec<String> = serde_json::from_str(json).unwrap_or_default();
        self.set(name, items.join(separator));
    }
    /// Marks a secret as stored, without its value ever entering the form.
    pub fn set_secret_stored(&mut self, name: &str, stored: bool) {
        if stored {
            self.set(&format!("{name}{SECRET_STORED}"), "1");
        }
    }
    pub fn secret_stored(&self, name: &str) -> bool {
        !self.get(&format!("{name}{SECRET_STORED}")).is_empty()
    }
    pub fn set_bool(&mut self, name: &str, value: bool) {
        if value {
            self.set(name, "on");
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    DateTime(Option<NaiveDateTime>),
    List(Vec<String>),
}

/// Validated values by field name; the accessors are what resources build rows from.
#[derive(Debug, Clone, Default)]
pub struct Values(BTreeMap<&'static str, Value>);

impl Values {
    /// A parsed field. Every declared field is here once parsing succeeded, so a name
    /// that is not is a typo in the resource (tests run with debug assertions).
    fn get(&self, name: &str) -> Option<&Value> {
        debug_assert!(self.0.contains_key(name), "no field {name:?} was declared");
        self.0.get(name)
    }
    pub fn text(&self, name: &str) -> Option<String> {
        match self.get(name) {
            Some(Value::Text(t)) => t.clone(),
            _ => None,
        }
    }
    /// A required text field (validation guarantees it is present).
    pub fn req_text(&self, name: &str) -> String {
        self.text(name).unwrap_or_default()
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Int(i)) => *i,
            _ => None,
        }
    }
    pub fn int32(&self, name: &str) -> Option<i32> {
        self.int(name).and_then(|v| i32::try_from(v).ok())
    }
    pub fn bool(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Bool(true)))
    }
    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        match self.get(name) {
            Some(Value::Date(d)) => *d,
            _ => None,
        }
    }
    /// A list field as the JSON text it is stored as.
    pub fn json_list(&self, name: &str) -> String {
        match self.get(name) {
            Some(Value::List(items)) => {
                serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
            }
            _ => "[]".into(),
        }
    }
    pub fn datetime(&self, name: &str) -> Option<NaiveDateTime> {
        match self.get(name) {
            Some(Value::DateTime(d)) => *d,
            _ => None,
        }
    }
}

/// Field errors by field name.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub BTreeMap<String, String>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }
    /// `ok` when no field has an error.
    pub fn into_result<T>(self, ok: T) -> Result<T, Errors> {
        if self.is_empty() {
            Ok(ok)
        } else {
            Err(self)
        }
    }
}

/// Every field by its kind, then the form's own rules across fields.
pub fn parse_checked(
    fields: &[Field],
    input: &FormInput,
    refs: &RefOptions,
    check: impl FnOnce(&Values, &mut Errors),
) -> Result<Values, Errors> {
    let values = parse(fields, input, refs)?;
    let mut errors = Errors::default();
    check(&values, &mut errors);
    errors.into_result(values)
}

/// Validates every field by its kind. Reference fields must name one of `refs`: the
/// records of the same client the form offered, so a foreign id is refused here.
pub fn parse(fields: &[Field], input: &FormInput, refs: &RefOptions) -> Result<Values, Errors> {
    let mut values = Values::default();
    let mut errors = Errors::default();
    for f in fields.iter().filter(|f| !f.computed) {
        // Secrets are taken exactly as typed; every other kind is trimmed.
        let raw = if f.kind.is_secret() {
            input.raw(f.name)
        } else {
            input.get(f.name)
        };
        if raw.is_empty() && f.required && !matches!(f.kind, Kind::Bool) {
            errors.add(f.name, format!("{} is required.", f.label));
            continue;
        }
        if let Some(problem) = control_characters(f, raw) {
            errors.add(f.name, problem);
            continue;
        }
        if raw.chars().count() > f.max_len {
            errors.add(
                f.name,
                format!("{} must be at most {} characters.", f.label, f.max_len),
            );
            continue;
        }
        match parse_one(f, raw, refs) {
            Ok(v) => {
                values.0.insert(f.name, v);
            }
            Err(m) => errors.add(f.name, m),
        }
    }
    errors.into_result(values)
}

/// Control characters in a decoded value (a NUL from a JSON `\u0000`, a line break in a
/// header-bound name): nothing a person types, and some break what the value is used
/// in — PostgreSQL refuses NUL, a mail header ends at a line break.
fn control_characters(f: &Field, raw: &str) -> Option<String> {
    let allowed = |c: char| f.kind.is_multiline() && matches!(c, '\n' | '\r' | '\t');
    raw.chars().any(|c| c.is_control() && !allowed(c)).then(|| {
        if f.kind.is_multiline() {
            format!("{} contains a control character it cannot hold.", f.label)
        } else {
            format!(
                "{} must be one line, without control characters (a tab, a line break, a NUL).",
                f.label
            )
        }
    })
}

/// A value as its field stores it, for comparing two inputs: "0" and "0.00" of an amount,
/// "2026-05-01 09:00" and "2026-05-01T09:00" of a time, "A@X.test" and "a@x.test" of
/// an address are the same. An input the field refuses compares as its trimmed text.
pub fn same_value(f: &Field, a: &str, b: &str, refs: &RefOptions) -> bool {
    let parsed = |raw: &str| {
        let raw = if f.kind.is_secret() { raw } else { raw.trim() };
        parse_one(f, raw, refs).ok()
    };
    match (parsed(a), parsed(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// A value as a key a record is found by (an import's matching): its stored form,
/// without case.
pub fn key_text(f: &Field, raw: &str, refs: &RefOptions) -> String {
    let raw = raw.trim();
    match parse_one(f, raw, refs) {
        Ok(Value::Text(t)) => t.unwrap_or_default().to_lowercase(),
        Ok(v) => format!("{v:?}"),
        Err(_) => raw.to_lowercase(),
    }
}

fn parse_one(f: &Field, raw: &str, refs: &RefOptions) -> Result<Value, String> {
    let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(match f.kind {
        Kind::Text | Kind::TextArea | Kind::Markdown | Kind::Phone => {
            Value::Text(none_if_empty(raw))
        }
        Kind::Email => {
            if !raw.is_empty() && !is_email(raw) {
                return Err("Enter an e-mail address like name@example.com.".into());
            }
            Value::Text(none_if_empty(&raw.to_lowercase()))
        }
        Kind::Url => {
            if !(raw.is_empty() || raw.starts_with("https://") || raw.starts_with("http://")) {
                return Err("Enter a web address starting with https:// or http://.".into());
            }
            Value::Text(none_if_empty(raw))
        }
        Kind::Date => Value::Date(if raw.is_empty() {
            None
        } else {
            Some(
                super::dates::date(raw)
                    .ok_or("Enter a date as YYYY-MM-DD, in the years 1 to 9999.")?,
            )
        }),
        Kind::DateTime => Value::DateTime(if raw.is_empty() {
            None
        } else {
            Some(
                super::dates::datetime(raw)
                    .ok_or("Enter a date and time as YYYY-MM-DD HH:MM, in the years 1 to 9999.")?,
            )
        }),
        Kind::Money | Kind::Decimal { .. } | Kind::Integer { .. } => {
            Value::Int(number(f.kind, raw)?)
        }
        Kind::Secret => Value::Text(none_if_empty(raw)),
        Kind::TotpSeed if raw.trim().is_empty() => Value::Text(None),
        Kind::TotpSeed => Value::Text(Some(crate::totp::normalize(raw)?)),
        Kind::Hostname => {
            let host = raw.trim_end_matches('.').to_lowercase();
            if !raw.is_empty() && !is_hostname(&host) {
                return Err("Enter a domain name like example.com.".into());
            }
            Value::Text(none_if_empty(&host))
        }
        Kind::Cidr if raw.is_empty() => Value::Text(None),
        Kind::Cidr => Value::Text(Some(super::net::Cidr::parse(raw)?.to_string())),
        Kind::IpAddress if raw.is_empty() => Value::Text(None),
        Kind::IpAddress => Value::Text(Some(super::net::ip(raw)?.to_string())),
        Kind::MacAddress if raw.is_empty() => Value::Text(None),
        Kind::MacAddress => Value::Text(Some(super::net::mac(raw)?)),
        Kind::HostnameLines => Value::List(host_lines(raw)?),
        Kind::Tags => Value::List(tags(raw)?),
        Kind::Bool => Value::Bool(matches!(raw, "on" | "true" | "1" | "yes")),
        Kind::Choice(options) => {
            if !raw.is_empty() && !options.iter().any(|(v, _)| *v == raw) {
                return Err(format!(
                    "Choose one of the listed {}.",
                    f.label.to_lowercase()
                ));
            }
            Value::Text(none_if_empty(raw))
        }
        Kind::Ref(kind) => Value::Int(if raw.is_empty() {
            None
        } else {
            let id: i64 = raw
                .parse()
                .map_err(|_| format!("Choose a {} from the list.", kind.noun()))?;
            if !refs.contains(kind, id) {
                return Err(format!("Choose a {} of this client.", kind.noun()));
            }
            Some(id)
        }),
    })
}

/// A number of the field's kind: money in cents, a decimal at its scale, or a whole
/// number within its bounds; empty is none.
fn number(kind: Kind, raw: &str) -> Result<Option<i64>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    Ok(Some(match kind {
        Kind::Money => money::parse(raw)?,
        Kind::Decimal { scale } => money::parse_scaled(raw, scale as i64)?,
        Kind::Integer { min, max } => {
            let n: i64 = raw.parse().map_err(|_| "Enter a whole number.")?;
            if n < min || n > max {
                return Err(format!("Must be between {min} and {max}."));
            }
            n
        }
        _ => return Err("Not a number field.".into()),
    }))
}

/// Host names, one per line, lowercased and without duplicates.
fn host_lines(raw: &str) -> Result<Vec<String>, String> {
    let mut hosts = vec![];
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let host = line.trim_end_matches('.').to_lowercase();
        if !is_hostname(&host) {
            return Err(format!(
                "{line:?} is not a host name; enter one per line, like ns1.example.com."
            ));
        }
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    Ok(hosts)
}

/// Comma-separated tags, each at most 40 characters, without duplicates.
fn tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = vec![];
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > 40 {
            return Err("Each tag must be at most 40 characters.".into());
        }
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_string());
        }
    }
    Ok(tags)
}

/// A DNS name: labels of letters, digits and hyphens (not at either end), at least two
/// labels, a non-numeric top-level label, 253 characters at most.
pub fn is_hostname(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// A pragmatic check: one @, a non-empty local part, a dotted domain without spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}
