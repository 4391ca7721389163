//! The one write path of every client sub-resource: create, update, archive, restore
//! and reveal. Each checks the policy, validates, writes the change and its audit entry
//! in one transaction, and returns a typed result; pages, the API, imports and jobs all
//! call these.

use serde_json::json;

use super::{history, refs, secret_fields, write, Resource};
use crate::audit;
use crate::clients::{self, Client};
use crate::error::{AppError, AppResult};
use crate::forms::{self, Errors, FormInput, Kind, RefOptions, Values};
use crate::outbox::events;
use crate::policy::{require, Action, Perm};
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use crate::totp;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::vault::Vault;

/// A form that did not pass: what it needs to be shown again.
#[derive(Debug)]
pub struct Invalid {
    pub client: Client,
    pub scope: ClientScope,
    pub input: FormInput,
    pub errors: Errors,
    pub refs: RefOptions,
}

/// Validation: each field by its kind, then the resource's own rules.
pub(crate) fn validate<R: Resource>(
    input: &FormInput,
    refs: &RefOptions,
) -> Result<Values, Errors> {
    forms::parse_checked(R::FIELDS, input, refs, R::check)
}

/// Creates (`id` None) or updates a row of client `cid` from form input. The
/// reference options validation checks against are read in the same transaction as
/// the write, and the audit entry records what changed (secrets only as "changed").
pub fn save<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    cid: ClientId,
    id: Option<RecordId>,
    input: FormInput,
) -> AppResult<Result<RecordId, Box<Invalid>>> {
    require(Perm::new(R::AREA, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (client, cs) = clients::scoped(conn, who.viewer, cid)?;
        let before = id.map(|id| R::find(conn, &cs, id.0)).transpose()?;
        let refs = refs::load(conn, &cs, R::FIELDS)?;
        let values = match apply::<R>(conn, who, vault, &cs, before.as_ref(), &input, &refs)? {
            Ok(applied) => applied,
            Err(errors) => {
                return Ok(Err(Box::new(Invalid {
                    client,
                    scope: cs,
                    input,
                    errors,
                    refs,
                })))
            }
        };
        let (saved, values) = values;
        let row = R::find(conn, &cs, saved)?;
        let new = R::to_input(&row);
        let secrets: Vec<&str> = secret_fields::<R>()
            .filter(|f| values.text(f.name).is_some())
            .map(|f| f.name)
            .collect();
        let action = if before.is_some() { "update" } else { "create" };
        let old = before.as_ref().map(R::to_input);
        let changes = audit::diff(R::FIELDS, old.as_ref(), &new, &refs, &secrets);
        let entry =
            audit::Entry::of_record(cid, R::TABLE, saved, action, changes).titled(R::title(&row));
        audit::record(conn, &who.actor, entry)?;
        if before.is_none()
            && let Some(event) = R::created_event(cid, saved)
        {
            events::publish(conn, &cs, &event)?;
        }
        Ok(Ok(RecordId(saved)))
    })
}

/// The change itself, inside the caller's transaction and without an audit entry
/// (the caller writes one: `save` per record, an import one for the whole file):
/// validation against `refs`, the database rules, the row-level permission, then the
/// write. `before` is the row being updated; `None` creates. Returns the row's id and
/// the values written.
pub fn apply<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    cs: &ClientScope,
    before: Option<&R::Row>,
    input: &FormInput,
    refs: &RefOptions,
) -> AppResult<Result<(i64, Values), Errors>> {
    let values = match checked::<R>(conn, who, cs, before, input, refs)? {
        Ok(values) => values,
        Err(errors) => return Ok(Err(errors)),
    };
    let saved = write_checked::<R>(conn, vault, cs, before, &values)?;
    Ok(Ok((saved, values)))
}

/// Writes values that passed `checked`: updates `before`, or creates. Returns the id.
pub(crate) fn write_checked<R: Resource>(
    conn: &mut AnyConnection,
    vault: &Vault,
    cs: &ClientScope,
    before: Option<&R::Row>,
    values: &Values,
) -> diesel::QueryResult<i64> {
    match before.map(R::id) {
        Some(id) => write::update::<R>(conn, cs, id, values, vault).map(|_| id),
        None => write::create::<R>(conn, cs, values, vault),
    }
}

/// `apply` up to the write: the policy, validation, the database rules and the
/// row-level permission. An import writes what passes itself when it may write many
/// new rows at once (`write::create_many`).
pub fn checked<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    cs: &ClientScope,
    before: Option<&R::Row>,
    input: &FormInput,
    refs: &RefOptions,
) -> AppResult<Result<Values, Errors>> {
    require(Perm::new(R::AREA, Action::Edit), who.role)?;
    if before.is_some_and(|row| !R::may_write(Some(row), None, who.writer())) {
        return Err(AppError::Forbidden);
    }
    // A field the writer does not read (a technician and a cost) keeps its stored
    // value, whatever the form, an import or the API sent; a new record's is empty.
    let kept;
    let input = if R::FIELDS.iter().all(|f| super::reads(f, who.role)) {
        input
    } else {
        let stored = before.map(R::to_input).unwrap_or_default();
        let mut merged = input.clone();
        for f in R::FIELDS.iter().filter(|f| !super::reads(f, who.role)) {
            merged.set(f.name, stored.get(f.name));
        }
        kept = merged;
        &kept
    };
    let values = match validate::<R>(input, refs) {
        Ok(values) => {
            let mut errors = Errors::default();
            R::check_db(conn, cs, before.map(R::id), &values, &mut errors)?;
            match errors.into_result(values) {
                Ok(values) => values,
                Err(errors) => return Ok(Err(errors)),
            }
        }
        Err(errors) => return Ok(Err(errors)),
    };
    if !R::may_write(None, Some(&values), who.writer()) {
        return Err(AppError::Forbidden);
    }
    Ok(Ok(values))
}

/// Archives (`true`) or restores a row; returns it as it was.
pub fn set_archived<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    archive: bool,
) -> AppResult<R::Row> {
    require(Perm::new(R::AREA, Action::Edit), who.role)?;
    let id = id.0;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let row = R::find(conn, &cs, id)?;
        if !R::may_write(Some(&row), None, who.writer()) {
            return Err(AppError::Forbidden);
        }
        write::set_archived::<R>(conn, &cs, id, archive)?;
        let action = if archive { "archive" } else { "restore" };
        let entry =
            audit::Entry::of_record(cid, R::TABLE, id, action, json!({})).titled(R::title(&row));
        audit::record(conn, &who.actor, entry)?;
        Ok(row)
    })
}

/// One opened secret (or why it could not be opened), as the reader sees it.
#[derive(Debug, Clone)]
pub struct Revealed {
    pub label: &'static str,
    pub value: String,
    /// A TOTP code's seconds of validity left (the page counts them down).
    pub seconds: Option<u64>,
    /// False when the record holds no such secret ("(none stored)").
    pub stored: bool,
}

impl Revealed {
    fn of(label: &'static str, value: String) -> Self {
        Revealed {
            label,
            value,
            seconds: None,
            stored: true,
        }
    }

    /// The value with a code's time left, for readers that show no countdown.
    pub fn with_time_left(&self) -> String {
        match self.seconds {
            Some(left) => format!("{} ({left} s left)", self.value),
            None => self.value.clone(),
        }
    }
}

/// Why a reveal was refused before anything was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevealRefused {
    ReasonRequired,
}

/// Opens a row's secrets (with the current TOTP code and earlier values) and records
/// who revealed them, and why, in the same transaction. A tenant that requires a
/// reason gets nothing opened and nothing audited without one.
pub fn reveal<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    cid: ClientId,
    id: RecordId,
    reason: &str,
    reason_required: bool,
) -> AppResult<Result<Vec<Revealed>, RevealRefused>> {
    require(Perm::new(R::AREA, Action::Reveal), who.role)?;
    let id = id.0;
    let reason: String = reason.trim().chars().take(300).collect();
    if reason.is_empty() && reason_required {
        return Ok(Err(RevealRefused::ReasonRequired));
    }
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let row = R::find(conn, &cs, id)?;
        let fields: Vec<&str> = secret_fields::<R>().map(|f| f.name).collect();
        let changes = json!({ "fields": fields, "reason": reason });
        let entry =
            audit::Entry::of_record(cid, R::TABLE, id, "reveal", changes).titled(R::title(&row));
        audit::record(conn, &who.actor, entry)?;
        let mut out = current_secrets::<R>(conn, vault, &cs, id)?;
        for (hid, field, sealed, when) in history::list(conn, &cs, R::TABLE, id)? {
            let plain = vault
                .open_secret(history::at(cs.tenant_id(), hid), &sealed)
                .unwrap_or_else(|e| format!("cannot reveal: {e}"));
            let label = R::FIELDS
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.label)
                .unwrap_or("");
            out.push(Revealed::of(
                "Earlier value",
                format!(
                    "{label}, replaced {}: {plain}",
                    when.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        Ok(Ok(out))
    })
}

/// A record's secrets opened now (and the current code of a TOTP seed): what a reveal
/// and a share link show. Unaudited: the caller records why they were opened.
pub(crate) fn current_secrets<R: Resource>(
    conn: &mut AnyConnection,
    vault: &Vault,
    cs: &ClientScope,
    id: i64,
) -> diesel::QueryResult<Vec<Revealed>> {
    let mut out = vec![];
    for f in secret_fields::<R>() {
        let opened = R::read_secret(conn, cs, id, f.name)?
            .map(|sealed| vault.open_secret(write::secret_ref::<R>(cs, id, f.name), &sealed));
        let value = match &opened {
            None => "(none stored)".to_string(),
            Some(Ok(plain)) => plain.clone(),
            Some(Err(e)) => format!("Cannot reveal: {e}."),
        };
        out.push(Revealed {
            stored: opened.is_some(),
            ..Revealed::of(f.label, value)
        });
        if let (Kind::TotpSeed, Some(Ok(seed))) = (f.kind, &opened) {
            out.push(match totp::current(seed) {
                Ok((code, left)) => Revealed {
                    seconds: Some(left),
                    ..Revealed::of("Current TOTP code", code)
                },
                Err(e) => Revealed::of("Current TOTP code", format!("Cannot compute a code: {e}.")),
            });
        }
    }
    Ok(out)
}
