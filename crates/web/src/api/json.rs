//! A record as JSON, from the same field declarations as its form: the API reads and
//! writes what the form does, through the same validation. Each field kind has one JSON
//! type (booleans, whole numbers and references as JSON numbers, tags and host names as
//! arrays, everything else as text — money and decimals too, so no amount passes
//! through a float); the OpenAPI document is written from the same table (`schema`).

use serde_json::{json, Map, Value};

use crate::domain::forms::{Errors, Field, FormInput, Kind};

/// How a field's kind travels in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Bool,
    Integer,
    List,
    Text,
}

pub fn shape(kind: Kind) -> Shape {
    match kind {
        Kind::Bool => Shape::Bool,
        Kind::Integer { .. } | Kind::Ref(_) => Shape::Integer,
        Kind::Tags | Kind::HostnameLines => Shape::List,
        _ => Shape::Text,
    }
}

/// The separator a list field's form text uses.
fn separator(kind: Kind) -> &'static str {
    match kind {
        Kind::HostnameLines => "\n",
        _ => ", ",
    }
}

/// A field's value as the form shows it, in JSON. Secrets never appear.
fn value(f: &Field, input: &FormInput) -> Value {
    let text = input.get(f.name);
    match shape(f.kind) {
        Shape::Bool => Value::Bool(!text.is_empty()),
        Shape::Integer => text.parse::<i64>().map_or(Value::Null, Value::from),
        Shape::List => Value::Array(
            text.split(if matches!(f.kind, Kind::HostnameLines) {
                '\n'
            } else {
                ','
            })
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
        ),
        Shape::Text if text.is_empty() => Value::Null,
        Shape::Text => Value::String(text.to_string()),
    }
}

/// A record: its id, client and archive state, then every field but the secrets.
pub fn record(
    fields: &[Field],
    input: &FormInput,
    id: i64,
    client_id: Option<i64>,
    archived: bool,
) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(id));
    if let Some(cid) = client_id {
        map.insert("client_id".into(), json!(cid));
    }
    map.insert("archived".into(), json!(archived));
    for f in fields.iter().filter(|f| !f.kind.is_secret()) {
        map.insert(f.name.to_string(), value(f, input));
    }
    Value::Object(map)
}

/// Lays a JSON object over `input` (the record as it is, or the new form's defaults):
/// only the given fields change. A field of the wrong JSON type, an unknown or a
/// computed one is a field error, never silently dropped.
pub fn overlay(fields: &[Field], body: &Map<String, Value>, input: &mut FormInput) -> Errors {
    let mut errors = Errors::default();
    for (name, given) in body {
        let Some(f) = fields.iter().find(|f| f.name == name && !f.computed) else {
            errors.add(
                name,
                "Not a field of this record (or not one that can be written).",
            );
            continue;
        };
        let text = match (shape(f.kind), given) {
            (_, Value::Null) => Some(String::new()),
            (Shape::Bool, Value::Bool(b)) => Some(if *b { "on" } else { "" }.to_string()),
            (Shape::Integer, Value::Number(n)) if n.is_i64() => Some(n.to_string()),
            (Shape::Text, Value::String(s)) => Some(s.clone()),
            (Shape::List, Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(|items| items.join(separator(f.kind))),
            _ => None,
        };
        match text {
            Some(text) => input.set(f.name, text),
            None => errors.add(f.name, format!("Expected {}.", expected(f.kind))),
        }
    }
    errors
}

fn expected(kind: Kind) -> &'static str {
    match shape(kind) {
        Shape::Bool => "true or false",
        Shape::Integer => "a whole number or null",
        Shape::List => "an array of strings",
        Shape::Text => "a string or null",
    }
}

/// A field's JSON Schema: `output` for what the API returns (every field present),
/// otherwise what it accepts.
pub fn schema(f: &Field) -> Value {
    let mut s = match (shape(f.kind), f.kind) {
        (Shape::Bool, _) => json!({ "type": "boolean" }),
        (Shape::Integer, Kind::Integer { min, max }) => {
            json!({ "type": ["integer", "null"], "minimum": min, "maximum": max })
        }
        (Shape::Integer, _) => json!({ "type": ["integer", "null"] }),
        (Shape::List, _) => json!({ "type": "array", "items": { "type": "string" } }),
        (Shape::Text, Kind::Choice(options)) => {
            let mut values: Vec<Value> = options.iter().map(|(v, _)| json!(v)).collect();
            values.push(Value::Null);
            json!({ "type": ["string", "null"], "enum": values })
        }
        (Shape::Text, _) => json!({ "type": ["string", "null"], "maxLength": f.max_len }),
    };
    let mut description = f.label.to_string();
    if let Some(hint) = hint(f.kind) {
        description = format!("{description} ({hint})");
    }
    if !f.help.is_empty() {
        description = format!("{description}. {}", f.help);
    }
    if let Value::Object(map) = &mut s {
        map.insert("description".into(), json!(description));
        if f.kind.is_secret() {
            map.insert("writeOnly".into(), json!(true));
        }
        if f.computed {
            map.insert("readOnly".into(), json!(true));
        }
    }
    s
}

/// What a text field's value looks like.
fn hint(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Date => "YYYY-MM-DD",
        Kind::DateTime => "YYYY-MM-DD HH:MM",
        Kind::Money => "an amount like 12.50",
        Kind::Decimal { .. } => "a decimal number like 12.5",
        Kind::Email => "an e-mail address",
        Kind::Url => "https:// or http:// address",
        Kind::Cidr => "a range like 10.0.0.0/24",
        Kind::IpAddress => "an IP address",
        Kind::MacAddress => "a MAC address",
        Kind::Hostname => "a domain name",
        Kind::Secret => "never returned; reveal it with its own call",
        Kind::TotpSeed => "base32 or otpauth:// link; never returned",
        Kind::Markdown => "Markdown",
        Kind::Ref(_) => "the id of a record of the same client",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        Field::text("name", "Name").required(),
        Field::new("count", "Count", Kind::Integer { min: 0, max: 9 }),
        Field::new("on", "On", Kind::Bool),
        Field::new("tags", "Tags", Kind::Tags),
        Field::new("password", "Password", Kind::Secret),
    ];

    #[test]
    fn a_record_round_trips_and_hides_its_secret() {
        let mut input = FormInput::default();
        let body =
            json!({ "name": "fw01", "count": 3, "on": true, "tags": ["a", "b"], "password": "x" });
        let errors = overlay(FIELDS, body.as_object().unwrap(), &mut input);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.get("tags"), "a, b");
        let out = record(FIELDS, &input, 7, Some(2), false);
        assert_eq!(out["count"], json!(3));
        assert_eq!(out["on"], json!(true));
        assert_eq!(out["tags"], json!(["a", "b"]));
        assert!(out.get("password").is_none());
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_field_errors() {
        let mut input = FormInput::default();
        let body = json!({ "name": 5, "count": "3", "on": "yes", "tags": [1], "nope": 1 });
        let errors = overlay(FIELDS, body.as_object().unwrap(), &mut input);
        for f in ["name", "count", "on", "tags", "nope"] {
            assert!(errors.get(f).is_some(), "{f}: {errors:?}");
        }
    }
}
