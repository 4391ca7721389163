//! One record written: its client found, matched to an existing record or not, its
//! cells laid over that record (or a new one's defaults), then the service function
//! its form uses. A cell an optional field cannot take is dropped with a flag rather
//! than failing the row: only what cannot become a record at all is an error.

use super::draft::{describe, salvage, Draft};
use super::state::{row_key, Run};
use super::{deferred, target, Action, Line, Record, Target};
use crate::clients::{self, service as client_service, Client};
use crate::error::AppResult;
use crate::forms::{FormInput, Kind, RefOptions};
use crate::resource::{secret_fields, service, write, Resource};
use crate::scope::{ClientId, ClientScope};
use crate::totp;
use mspdesk_platform::db::AnyConnection;

/// A form refuses at most every field once: a round more than there are fields cannot
/// be needed.
const ROUNDS: usize = 4;

/// A record of a client sub-resource.
pub(super) fn write<R: Resource>(
    run: &mut Run,
    conn: &mut AnyConnection,
    r: &Record,
    line: &mut Line,
) -> AppResult<()> {
    let t = target(R::SLUG).ok_or_else(|| {
        crate::error::AppError::Internal(format!("{} has no import target", R::SLUG))
    })?;
    let cid = match run.client_of(r) {
        Ok(cid) => cid,
        Err(e) => {
            line.fail(e);
            return Ok(());
        }
    };
    let cs = ClientScope::checked(run.who.viewer(), cid);
    line.client = client_name(run, conn, cid)?;
    let refs = run.refs_of(conn, &cs, &t.fields)?;
    run.load_existing::<R>(conn, &cs, t, &refs)?;
    if run.own_ids && r.source_id.is_some() {
        // It may name a record this file created: those need their ids first.
        run.flush(conn)?;
    }
    // References to kinds written after this one, to records not there yet, are set
    // at the end (`deferred`); the record is written without them.
    let (later, r) = deferred_links::<R>(t, r, &refs);
    let r = &*r;
    let key = row_key(t, r, &refs);
    let before = match run.matched(
        R::SLUG,
        cid,
        key.as_deref(),
        r.archived,
        r.source_id.as_deref(),
    ) {
        Some(id) => Some(R::find(conn, &cs, id)?),
        None => None,
    };
    let base = match &before {
        Some(row) => R::to_input(row),
        None => R::defaults(conn, &cs, run.who.writer())?,
    };
    let mut d = Draft::new(t, r, base, &refs, line, before.is_some());
    for f in secret_fields::<R>() {
        let given = d.input.raw(f.name).to_string();
        if given.is_empty() {
            continue;
        }
        // The same secret again is no change (re-sealing it would push the value into
        // its own history); a seed is compared as it is stored.
        let stored = match &before {
            Some(row) => R::read_secret(conn, &cs, R::id(row), f.name)?.and_then(|sealed| {
                run.vault
                    .open_secret(write::secret_ref::<R>(&cs, R::id(row), f.name), &sealed)
                    .ok()
            }),
            None => None,
        };
        let comparable = match f.kind {
            Kind::TotpSeed => totp::normalize(&given).unwrap_or(given),
            _ => given,
        };
        if stored.as_deref() == Some(comparable.as_str()) {
            d.input.set(f.name, "");
        } else {
            d.changes.push((f.name, format!("{}: changed", f.label)));
        }
    }
    keep_exclusive::<R>(run, cid, before.as_ref().map(R::id), &mut d, line);
    let mut values = None;
    for _ in 0..ROUNDS {
        if d.unchanged() {
            break;
        }
        match service::checked::<R>(conn, run.who, &cs, before.as_ref(), &d.input, &refs)? {
            Ok(v) => {
                values = Some(v);
                break;
            }
            Err(errors) => {
                if let Err(e) = salvage(t, r, &mut d, &errors, line) {
                    line.fail(e);
                    return Ok(());
                }
            }
        }
    }
    let Some(values) = values else {
        if let Some(row) = &before {
            line.reason = "Unchanged.".into();
            run.claimed.insert((R::SLUG, R::id(row)));
            run.mapped(R::TABLE, r.source_id.as_deref(), R::id(row), false);
        } else {
            line.fail("The row could not be made valid.");
        }
        return Ok(());
    };
    // Let go of the shared list before `remember` extends it (no copy).
    drop(refs);
    let label = d.input.get(t.title).to_string();
    if before.is_none() && !r.archived && later.is_empty() && write::batchable::<R>(&values) {
        line.action = Action::Create;
        let held = super::pending::Held {
            label,
            source: r.source_id.clone(),
        };
        return run.hold::<R>(conn, cs, values, held, (&r.file, r.line));
    }
    // Written alone, after the records held before it.
    run.flush(conn)?;
    let id = service::write_checked::<R>(conn, run.vault, &cs, before.as_ref(), &values)?;
    if before.is_some() {
        line.action = Action::Update;
        line.reason = describe(&d.changes);
    } else {
        line.action = Action::Create;
    }
    if r.archived && before.is_none() {
        write::set_archived::<R>(conn, &cs, id, true)?;
        line.reason = "Archived, as in the file.".into();
    }
    let archived = r.archived || before.as_ref().is_some_and(R::archived);
    run.remember(R::SLUG, cid, &label, id, (archived, before.is_none()));
    run.mapped(R::TABLE, r.source_id.as_deref(), id, before.is_none());
    if R::EXCLUSIVE.is_some_and(|f| values.bool(f))
        && !r.archived
        && let Some(e) = run.existing.get_mut(&(cid, R::SLUG))
    {
        e.holder = Some((id, label));
    }
    if !later.is_empty() {
        run.deferred.push(deferred::Pending {
            cid,
            id,
            file: r.file.clone(),
            line: r.line,
            links: later,
            set: deferred::set::<R>,
        });
    }
    Ok(())
}

/// The row without its references to records written later, and those references.
fn deferred_links<'r, R: Resource>(
    t: &Target,
    r: &'r Record,
    refs: &RefOptions,
) -> (Vec<deferred::Link>, std::borrow::Cow<'r, Record>) {
    let may = t
        .fields
        .iter()
        .any(|f| matches!(f.kind, Kind::Ref(k) if deferred::later(R::SLUG, k)));
    if !may {
        return (vec![], std::borrow::Cow::Borrowed(r));
    }
    let mut own = r.clone();
    let links = deferred::take(R::SLUG, &t.fields, &mut own.values, refs);
    if links.is_empty() {
        (links, std::borrow::Cow::Borrowed(r))
    } else {
        (links, std::borrow::Cow::Owned(own))
    }
}

/// A row never takes the kind's exclusive flag (the primary contact) from a record
/// it does not name: the flag is left off with a flag in the report.
fn keep_exclusive<R: Resource>(
    run: &Run,
    cid: i64,
    updating: Option<i64>,
    d: &mut Draft,
    line: &mut Line,
) {
    let Some(flag) = R::EXCLUSIVE else {
        return;
    };
    let holder = run
        .existing
        .get(&(cid, R::SLUG))
        .and_then(|e| e.holder.as_ref());
    let Some((id, title)) = holder else {
        return;
    };
    if d.input.get(flag).is_empty() || Some(*id) == updating {
        return;
    }
    let label = R::FIELDS
        .iter()
        .find(|f| f.name == flag)
        .map_or(flag, |f| f.label);
    line.flags.push(format!(
        "{label}: the client's is {title}; this one is imported without it."
    ));
    d.input.set(flag, "");
    d.changes.retain(|(n, _)| *n != flag);
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
    let before: Option<Client> = match run.client_matched(r, &line.title) {
        Some(id) => Some(clients::scoped(conn, run.who.viewer, ClientId(id))?.0),
        None => None,
    };
    let base = match &before {
        Some(c) => c.to_input(),
        None => {
            let mut f = FormInput::default();
            f.set("status", "active");
            crate::clients::BillingData::default().show(&mut f);
            f
        }
    };
    let none = RefOptions::default();
    let mut d = Draft::new(t, r, base, &none, line, before.is_some());
    let billing = r
        .values
        .iter()
        .any(|(f, v)| !v.trim().is_empty() && clients::BILLING_FIELDS.iter().any(|b| b.name == *f));
    let mut id = None;
    for _ in 0..ROUNDS {
        if let (Some(c), true) = (&before, d.unchanged()) {
            line.reason = "Unchanged.".into();
            id = Some(c.id);
            break;
        }
        match client_service::apply(conn, run.who, before.as_ref(), &d.input, billing)? {
            Ok(ClientId(saved)) => {
                line.action = if before.is_some() {
                    line.reason = describe(&d.changes);
                    Action::Update
                } else {
                    Action::Create
                };
                if r.archived && before.is_none() {
                    let cs = ClientScope::checked(run.who.viewer(), saved);
                    clients::set_deleted(conn, &cs, Some(cs.now()))?;
                    line.reason = "Archived, as in the file.".into();
                }
                id = Some(saved);
                break;
            }
            Err(errors) => {
                if let Err(e) = salvage(t, r, &mut d, &errors, line) {
                    line.fail(e);
                    return Ok(());
                }
            }
        }
    }
    let Some(id) = id else {
        line.fail("The row could not be made valid.");
        return Ok(());
    };
    let name = d.input.get("name").to_string();
    run.claimed.insert(("clients", id));
    run.mapped("clients", r.source_id.as_deref(), id, before.is_none());
    if before.is_none() {
        run.by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(super::state::Named {
                id,
                archived: r.archived,
            });
    }
    run.live_clients.insert(id, name);
    if let Some(source) = &r.source_id {
        run.by_source.insert(source.clone(), id);
    }
    Ok(())
}
