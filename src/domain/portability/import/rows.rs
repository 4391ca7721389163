//! One record written: its client found, matched to an existing record or not, its
//! cells laid over that record (or a new one's defaults), then the service function
//! its form uses.

use super::state::{Existing, Run};
use super::{cells, target, Action, Line, Record, Target};
use crate::domain::directory::clients::{self, service as client_service, Client};
use crate::domain::forms::{Errors, FormInput, RefOptions};
use crate::domain::resource::list::ListParams;
use crate::domain::resource::{secret_fields, service, write, ListQuery, Resource};
use crate::domain::scope::{ClientId, ClientScope};
use crate::error::AppResult;
use crate::platform::db::AnyConnection;

/// The record's cells over `base` (the record it updates, or a new one's defaults):
/// on an update a blank cell keeps what is there; on a create it stays blank unless
/// the field is required. Returns
/// whether anything differs.
fn overlay(
    t: &Target,
    r: &Record,
    base: &mut FormInput,
    refs: &RefOptions,
    flags: &mut Vec<String>,
    creating: bool,
) -> bool {
    let mut changed = false;
    for (name, raw) in &r.values {
        let Some(f) = t.fields.iter().find(|f| f.name == *name) else {
            continue;
        };
        let value = cells::to_input(f, raw, refs, flags);
        // A required field left blank keeps its default (a new client is active).
        let given = !raw.trim().is_empty() || (creating && !f.required);
        if f.kind.is_secret() {
            // Whether it differs from the stored one is the caller's to tell.
            base.set(name, value);
        } else if given && value != base.get(name) {
            changed = true;
            base.set(name, value);
        }
    }
    changed
}

fn errors_text(t: &Target, errors: &Errors) -> String {
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

/// A record of a client sub-resource.
pub(super) fn write<R: Resource>(
    run: &mut Run,
    conn: &mut AnyConnection,
    r: &Record,
    line: &mut Line,
) -> AppResult<()> {
    let t = target(R::SLUG).expect("a registered target");
    let cid = match run.client_of(r) {
        Ok(cid) => cid,
        Err(e) => {
            line.fail(e);
            return Ok(());
        }
    };
    let cs = ClientScope::checked(run.who.tenant(), cid);
    line.client = client_name(run, conn, cid)?;
    if let std::collections::hash_map::Entry::Vacant(slot) = run.existing.entry((cid, R::SLUG)) {
        let mut q: ListQuery = ListParams::default().normalize(R::SORTABLE);
        q.per = 10_000_000;
        let mut e = Existing::default();
        for row in R::list(conn, &cs, &q)? {
            let input = R::to_input(&row);
            e.ids.insert(R::id(&row));
            e.by_key
                .entry(input.get(t.key).to_lowercase())
                .or_default()
                .push(R::id(&row));
        }
        slot.insert(e);
    }
    if run.own_ids && r.source_id.is_some() {
        // It may name a record this file created: those need their ids first.
        run.flush(conn)?;
    }
    let before = match run.matched(R::SLUG, cid, &line.title, r.source_id.as_deref()) {
        Some(id) => Some(R::find(conn, &cs, id)?),
        None => None,
    };
    let mut input = match &before {
        Some(row) => R::to_input(row),
        None => R::defaults(conn, &cs, run.who.writer())?,
    };
    let refs = run.refs_of(conn, &cs)?;
    let mut changed = overlay(t, r, &mut input, &refs, &mut line.flags, before.is_none());
    for f in secret_fields::<R>() {
        let given = input.raw(f.name).to_string();
        if given.is_empty() {
            continue;
        }
        // The same secret again is no change (re-sealing it would push the value into
        // its own history).
        let stored = match &before {
            Some(row) => R::read_secret(conn, &cs, R::id(row), f.name)?.and_then(|sealed| {
                run.vault
                    .open_secret(write::secret_ref::<R>(&cs, R::id(row), f.name), &sealed)
                    .ok()
            }),
            None => None,
        };
        if stored.as_deref() == Some(given.as_str()) {
            input.set(f.name, "");
        } else {
            changed = true;
        }
    }
    if before.is_some() && !changed {
        line.reason = "Unchanged.".into();
        if let Some(row) = &before {
            run.claimed.insert((R::SLUG, R::id(row)));
        }
        return Ok(());
    }
    let values = match service::checked::<R>(conn, run.who, &cs, before.as_ref(), &input, &refs)? {
        Ok(values) => values,
        Err(errors) => {
            line.fail(errors_text(t, &errors));
            return Ok(());
        }
    };
    // Let go of the shared list before `remember` extends it (no copy).
    drop(refs);
    let key = input.get(t.key).to_string();
    if before.is_none() && !r.archived && write::batchable::<R>(&values) {
        line.action = Action::Create;
        return run.hold::<R>(conn, cs, values, key, (&r.file, r.line));
    }
    // Written alone, after the records held before it.
    run.flush(conn)?;
    let id = service::write_checked::<R>(conn, run.vault, &cs, before.as_ref(), &values)?;
    line.action = if before.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    if r.archived && before.is_none() {
        write::set_archived::<R>(conn, &cs, id, true)?;
        line.reason = "Archived, as in the file.".into();
    }
    run.remember(R::SLUG, cid, &key, id);
    Ok(())
}

fn client_name(run: &mut Run, conn: &mut AnyConnection, cid: i64) -> AppResult<String> {
    if let Some(name) = run.live_clients.get(&cid) {
        return Ok(name.clone());
    }
    let (client, _) = clients::scoped(conn, run.who.viewer, ClientId(cid))?;
    run.live_clients.insert(cid, client.data.name.clone());
    Ok(client.data.name)
}

/// A client row.
pub(super) fn write_client(
    run: &mut Run,
    conn: &mut AnyConnection,
    t: &Target,
    r: &Record,
    line: &mut Line,
) -> AppResult<()> {
    line.client = line.title.clone();
    let by_id = r
        .source_id
        .as_deref()
        .filter(|_| run.own_ids)
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|id| run.by_name.values().flatten().any(|c| c == id));
    let matched = by_id.or_else(|| {
        run.by_name
            .get(&line.title.to_lowercase())?
            .iter()
            .copied()
            .find(|id| !run.claimed.contains(&("clients", *id)))
    });
    let before: Option<Client> = match matched {
        Some(id) => Some(clients::scoped(conn, run.who.viewer, ClientId(id))?.0),
        None => None,
    };
    let mut input = match &before {
        Some(c) => c.to_input(),
        None => {
            let mut f = FormInput::default();
            f.set("status", "active");
            crate::domain::directory::clients::BillingData::default().show(&mut f);
            f
        }
    };
    let changed = overlay(
        t,
        r,
        &mut input,
        &RefOptions::default(),
        &mut line.flags,
        before.is_none(),
    );
    let billing = r
        .values
        .iter()
        .any(|(f, v)| !v.trim().is_empty() && clients::BILLING_FIELDS.iter().any(|b| b.name == *f));
    let id = match (&before, changed) {
        (Some(c), false) => {
            line.reason = "Unchanged.".into();
            c.id
        }
        _ => match client_service::apply(conn, run.who, before.as_ref(), &input, billing)? {
            Ok(ClientId(id)) => {
                line.action = if before.is_some() {
                    Action::Update
                } else {
                    Action::Create
                };
                if r.archived && before.is_none() {
                    let cs = ClientScope::checked(run.who.tenant(), id);
                    clients::set_deleted(conn, &cs, Some(chrono::Utc::now().naive_utc()))?;
                    line.reason = "Archived, as in the file.".into();
                }
                id
            }
            Err(errors) => {
                line.fail(errors_text(t, &errors));
                return Ok(());
            }
        },
    };
    let name = input.get("name").to_string();
    run.claimed.insert(("clients", id));
    if before.is_none() {
        run.by_name.entry(name.to_lowercase()).or_default().push(id);
    }
    run.live_clients.insert(id, name);
    if let Some(source) = &r.source_id {
        run.by_source.insert(source.clone(), id);
    }
    Ok(())
}
