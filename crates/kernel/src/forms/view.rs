//! What templates get: fields with their current value, options and error, and display
//! strings for lists and detail pages.

use std::collections::BTreeMap;

use super::field::{Field, Kind, RefKind};
use super::values::{Errors, FormInput};
use crate::money;

/// The records a reference field may point at, as (id, label), per kind.
#[derive(Debug, Clone, Default)]
pub struct RefOptions(pub BTreeMap<RefKind, Vec<(i64, String)>>);

impl RefOptions {
    pub fn contains(&self, kind: RefKind, id: i64) -> bool {
        self.0
            .get(&kind)
            .is_some_and(|v| v.iter().any(|(i, _)| *i == id))
    }
    pub fn label(&self, kind: RefKind, id: i64) -> Option<&str> {
        self.0
            .get(&kind)?
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, l)| l.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl OptionView {
    /// A select's options from (value, label) pairs, the one equal to `selected` marked.
    pub fn choices(pairs: &[(&str, &str)], selected: &str) -> Vec<OptionView> {
        pairs
            .iter()
            .map(|(v, l)| OptionView {
                value: v.to_string(),
                label: l.to_string(),
                selected: *v == selected,
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    /// text, email, tel, url, date, datetime-local, number, money, checkbox, select, textarea
    pub widget: &'static str,
    pub value: String,
    pub checked: bool,
    pub options: Vec<OptionView>,
    pub error: String,
    pub required: bool,
    pub help: &'static str,
    pub min: String,
    pub max: String,
    /// The same limit the server enforces (`Field::max_len`).
    pub max_len: usize,
}

impl FieldView {
    /// The ids of the texts that describe the control: its error, then its help.
    pub fn described_by(&self) -> String {
        let mut ids = vec![];
        if !self.error.is_empty() {
            ids.push(format!("e-{}", self.name));
        }
        if !self.help.is_empty() {
            ids.push(format!("h-{}", self.name));
        }
        ids.join(" ")
    }
    /// Whether the control's type takes `maxlength` (text-like inputs; not a date, a
    /// number or a time, where HTML forbids it and the server checks the value anyway).
    pub fn takes_max_length(&self) -> bool {
        matches!(
            self.widget,
            "text" | "email" | "url" | "tel" | "search" | "password"
        )
    }
}

/// The input a field is shown as, and a select's options with the current value chosen.
fn widget(f: &Field, value: &str, refs: &RefOptions) -> (&'static str, Vec<OptionView>) {
    match f.kind {
        Kind::Text => ("text", vec![]),
        Kind::TextArea | Kind::Markdown => ("textarea", vec![]),
        Kind::Email => ("email", vec![]),
        Kind::Phone => ("tel", vec![]),
        Kind::Url => ("url", vec![]),
        Kind::Date => ("date", vec![]),
        Kind::DateTime => ("datetime-local", vec![]),
        Kind::Money | Kind::Decimal { .. } => ("money", vec![]),
        Kind::Secret | Kind::TotpSeed => ("password", vec![]),
        Kind::Hostname | Kind::Cidr | Kind::IpAddress | Kind::MacAddress => ("text", vec![]),
        Kind::HostnameLines => ("textarea", vec![]),
        Kind::Tags => ("text", vec![]),
        Kind::Integer { .. } => ("number", vec![]),
        Kind::Bool => ("checkbox", vec![]),
        Kind::Choice(opts) => (
            "select",
            opts.iter()
                .map(|(v, l)| OptionView {
                    value: v.to_string(),
                    label: l.to_string(),
                    selected: *v == value,
                })
                .collect(),
        ),
        Kind::Ref(kind) => (
            "select",
            refs.0
                .get(&kind)
                .map(|v| {
                    v.iter()
                        .map(|(id, l)| OptionView {
                            value: id.to_string(),
                            label: l.clone(),
                            selected: id.to_string() == value,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
    }
}

pub fn form_view(
    fields: &[Field],
    input: &FormInput,
    errors: &Errors,
    refs: &RefOptions,
) -> Vec<FieldView> {
    fields
        .iter()
        .filter(|f| !f.computed)
        .map(|f| {
            // A secret's value is never put back into a page, not even on a re-render.
            let value = if f.kind.is_secret() {
                String::new()
            } else {
                input.get(f.name).to_string()
            };
            let (widget, options) = widget(f, &value, refs);
            let (min, max) = match f.kind {
                Kind::Integer { min, max } => (min.to_string(), max.to_string()),
                _ => (String::new(), String::new()),
            };
            FieldView {
                max_len: f.max_len,
                name: f.name,
                label: f.label,
                widget,
                checked: matches!(f.kind, Kind::Bool) && !value.is_empty(),
                value,
                options,
                error: errors.get(f.name).cloned().unwrap_or_default(),
                required: f.required,
                help: match f.kind {
                    _ if f.kind.is_secret() && input.secret_stored(f.name) => {
                        "Stored encrypted. Leave blank to keep it."
                    }
                    _ => f.help,
                },
                min,
                max,
            }
        })
        .collect()
}

/// A field's value on a page: like `display`, and a false switch reads "No" rather
/// than nothing (exports and the audit log keep the empty value).
pub fn shown(f: &Field, input: &FormInput, refs: &RefOptions) -> String {
    match f.kind {
        Kind::Bool if input.get(f.name).is_empty() => "No".to_string(),
        _ => display(f, input, refs),
    }
}

/// A field's value as a person reads it.
pub fn display(f: &Field, input: &FormInput, refs: &RefOptions) -> String {
    let raw = input.get(f.name);
    match f.kind {
        Kind::Bool => if raw.is_empty() { "" } else { "Yes" }.to_string(),
        Kind::Choice(opts) => super::choice_label(opts, raw).to_string(),
        Kind::Ref(kind) => raw
            .parse()
            .ok()
            .and_then(|id| refs.label(kind, id))
            .unwrap_or("")
            .to_string(),
        Kind::Money if !raw.is_empty() => money::parse(raw)
            .map(money::display)
            .unwrap_or_else(|_| raw.to_string()),
        Kind::DateTime => raw.replace('T', " "),
        _ if f.kind.is_secret() && input.secret_stored(f.name) => "•••••••• (hidden)".to_string(),
        Kind::Secret | Kind::TotpSeed => String::new(),
        Kind::Decimal { scale } if !raw.is_empty() => money::parse_scaled(raw, scale as i64)
            .map(|v| money::display_scaled(v, scale as i64))
            .unwrap_or_else(|_| raw.to_string()),
        Kind::HostnameLines => raw.lines().collect::<Vec<_>>().join(", "),
        _ => raw.to_string(),
    }
}
