//! A row on its way into its form: the row's cells laid over the record it updates
//! (or a new one's defaults), what that changes, and — when the form refuses a cell a
//! record can do without — the cell dropped with a flag instead of the row failing.

use super::{cells, Line, Record, Target};
use crate::forms::{same_value, shown, Errors, Field, FormInput, Kind, RefOptions};

/// What a row changes in the record it updates: (field, "Label: old → new").
pub(super) type Changes = Vec<(&'static str, String)>;

/// A row on its way into the form: what it starts from (the record it updates, or a
/// new one's defaults), the form input with the row's cells laid over it, and what
/// they change.
pub(super) struct Draft {
    pub(super) base: FormInput,
    pub(super) input: FormInput,
    pub(super) changes: Changes,
    pub(super) updating: bool,
}

impl Draft {
    pub(super) fn new(
        t: &Target,
        r: &Record,
        base: FormInput,
        refs: &RefOptions,
        line: &mut Line,
        updating: bool,
    ) -> Draft {
        let mut input = base.clone();
        let changes = overlay(t, r, &mut input, refs, &mut line.flags, !updating);
        Draft {
            base,
            input,
            changes,
            updating,
        }
    }

    /// An update that changes nothing.
    pub(super) fn unchanged(&self) -> bool {
        self.updating && self.changes.is_empty()
    }
}

/// The record's cells over `input` (the record it updates, or a new one's defaults):
/// on an update a blank cell keeps what is there; on a create it stays blank unless
/// the field is required. Returns what differs from `input` as it was.
fn overlay(
    t: &Target,
    r: &Record,
    input: &mut FormInput,
    refs: &RefOptions,
    flags: &mut Vec<String>,
    creating: bool,
) -> Changes {
    let mut changes = vec![];
    let more = more_addresses(t, r, flags);
    let mut noted = false;
    for (name, raw) in &r.values {
        let Some(f) = t.fields.iter().find(|f| f.name == *name && !f.computed) else {
            continue;
        };
        let with_addresses;
        let raw = match (&more, f.name) {
            (Some(line), "notes") => {
                noted = true;
                with_addresses = joined(raw.trim(), line);
                &with_addresses
            }
            _ => raw,
        };
        match f.kind {
            Kind::DateTime
                if cells::is_date_only(raw) && cells::yes_no(r.value("all_day")) != Some(true) =>
            {
                flags.push(format!(
                    "{}: no time given (\"{}\"); read as 00:00.",
                    f.label,
                    raw.trim()
                ));
            }
            _ => {}
        }
        let value = cells::to_input(f, raw, refs, flags);
        // A required field left blank keeps its default (a new client is active).
        let given = !raw.trim().is_empty() || (creating && !f.required);
        if f.kind.is_secret() {
            // Whether it differs from the stored one is the caller's to tell.
            input.set(name, value);
        } else if given && !same_value(f, &value, input.get(name), refs) {
            changes.push((f.name, change(f, input.get(name), &value, refs)));
            input.set(name, value);
        }
    }
    // A file without a notes column: the addresses join the notes the record has.
    if let (Some(line), false) = (&more, noted) {
        let stored = input.get("notes").to_string();
        if !stored.contains(line.as_str()) {
            changes.push(("notes", "Notes: changed".into()));
            input.set("notes", joined(&stored, line));
        }
    }
    changes
}

fn joined(text: &str, line: &str) -> String {
    if text.is_empty() {
        line.to_string()
    } else {
        format!("{text}\n\n{line}")
    }
}

/// A row's e-mail cells may hold several addresses; the form takes one. The others go
/// to the record's notes as a line of their own where it has notes, or are flagged as
/// left out; returns that line.
fn more_addresses(t: &Target, r: &Record, flags: &mut Vec<String>) -> Option<String> {
    let more: Vec<String> = r
        .values
        .iter()
        .filter(|(name, _)| {
            t.fields
                .iter()
                .any(|f| f.name == *name && matches!(f.kind, Kind::Email))
        })
        .flat_map(|(_, cell)| cells::addresses(cell).into_iter().skip(1))
        .collect();
    if more.is_empty() {
        return None;
    }
    let list = more.join(", ");
    if !t.fields.iter().any(|f| f.name == "notes") {
        flags.push(format!(
            "E-mail: one address fits; {list} {} not imported.",
            if more.len() == 1 { "was" } else { "were" }
        ));
        return None;
    }
    flags.push(format!(
        "E-mail: one address fits; {list} went to the notes."
    ));
    Some(format!("Other e-mail addresses: {list}"))
}

/// "Phone: 555-0100 → 555-0199", each side as the record page shows it.
fn change(f: &Field, old: &str, new: &str, refs: &RefOptions) -> String {
    if matches!(f.kind, Kind::Markdown | Kind::TextArea) {
        return format!("{}: changed", f.label);
    }
    let side = |raw: &str| {
        let mut one = FormInput::default();
        one.set(f.name, raw);
        let text = shown(f, &one, refs);
        match text.chars().count() {
            0 => "(blank)".to_string(),
            n if n > 60 => format!("{}…", text.chars().take(60).collect::<String>()),
            _ => text,
        }
    };
    format!("{}: {} → {}", f.label, side(old), side(new))
}

pub(super) fn errors_text(t: &Target, errors: &Errors) -> String {
    errors
        .0
        .iter()
        .map(|(field, message)| {
            let label = t
                .fields
                .iter()
                .find(|f| f.name == field)
                .map_or(field.as_str(), |f| f.label);
            format!("{label}: {message}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// After the form refused `input`: each refused field the record can do without goes
/// back to `base` (blank on a new record, the stored value on an update) with a flag
/// saying what was dropped and why. `Err` with the report's text when a refused field
/// is one the record needs (a required field, or its key).
pub(super) fn salvage(
    t: &Target,
    r: &Record,
    draft: &mut Draft,
    errors: &Errors,
    line: &mut Line,
) -> Result<(), String> {
    let mut dropped: Vec<(&Field, &String)> = vec![];
    for (name, message) in &errors.0 {
        match t.fields.iter().find(|f| f.name == name) {
            Some(f) if !f.required && !t.key.contains(&f.name) => dropped.push((f, message)),
            _ => return Err(errors_text(t, errors)),
        }
    }
    for (f, message) in dropped {
        let cell = match r.value(f.name) {
            _ if f.kind.is_secret() => String::new(),
            "" => String::new(),
            v => format!(" (\"{}\")", v.chars().take(80).collect::<String>()),
        };
        line.flags.push(if draft.updating {
            format!(
                "{}{cell} was not taken; the stored value stays: {message}",
                f.label
            )
        } else {
            format!(
                "Stored without its {}{cell}: {message}",
                f.label.to_lowercase()
            )
        });
        let group = t
            .groups
            .iter()
            .find(|g| g.contains(&f.name))
            .map_or(std::slice::from_ref(&f.name), |g| *g);
        for name in group {
            draft.input.set(name, draft.base.raw(name));
            draft.changes.retain(|(n, _)| n != name);
        }
    }
    Ok(())
}

/// An update's changes as the report says them.
pub(super) fn describe(changes: &Changes) -> String {
    let parts: Vec<&str> = changes.iter().map(|(_, c)| c.as_str()).collect();
    format!("{}.", parts.join("; "))
}
