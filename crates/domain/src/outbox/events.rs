//! Domain events through an outbox. Every service writes its audit entry in the
//! transaction of its change; `audit::record` writes the event row beside it
//! (`record`), so an event exists exactly when its change committed — none for a
//! rollback, none lost if the process dies after the commit. Its kind is the audit
//! entry's `<entity>.<action>` (`invoices.send`, `client_licenses.create`). The
//! dispatcher turns pending events into jobs for the subscribers of their kind, each
//! keyed by subscriber and event, so two dispatchers (or one run twice) queue each job
//! once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::jobs::{self, NewJob};
use crate::error::AppResult;
use crate::schema::events;
use crate::scope::TenantId;
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// One change that matters, as `audit::record` gives it.
pub struct Event<'a> {
    pub tenant: TenantId,
    pub kind: String,
    pub entity_id: Option<i64>,
    pub client_id: Option<i64>,
    pub payload: &'a serde_json::Value,
}

/// Writes the event (inside the caller's transaction).
pub fn record(conn: &mut AnyConnection, e: &Event, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values((
            events::tenant_id.eq(e.tenant.get()),
            events::kind.eq(&e.kind),
            events::entity_id.eq(e.entity_id),
            events::client_id.eq(e.client_id),
            events::payload.eq(e.payload.to_string()),
            events::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Who wants which events: (event kind, the job kind it queues).
pub type Subscribers = [(&'static str, &'static str)];

/// A pending event: id, tenant, kind, entity id, client id, payload.
type Pending = (i64, i64, String, Option<i64>, Option<i64>, String);

/// The most events one dispatch handles (the next run takes the rest).
const BATCH: i64 = 500;

/// Queues a job per subscriber for each pending event and marks the events
/// dispatched; returns how many jobs were queued.
///
/// On SQLite a transaction that reads and then writes must take the write lock first
/// (`write_transaction`): a deferred one that meets a page's write while upgrading
/// fails at once with "database is locked" instead of waiting its turn. Whether there
/// is anything to dispatch is asked before, so an idle worker takes no lock at all.
pub fn dispatch(
    conn: &mut AnyConnection,
    subscribers: &Subscribers,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let any: bool = diesel::select(diesel::dsl::exists(
        events::table.filter(events::dispatched_at.is_null()),
    ))
    .get_result(conn)?;
    if !any {
        return Ok(0);
    }
    write_transaction(conn, |conn| {
        let pending: Vec<Pending> = events::table
            .filter(events::dispatched_at.is_null())
            .order(events::id)
            .limit(BATCH)
            .select((
                events::id,
                events::tenant_id,
                events::kind,
                events::entity_id,
                events::client_id,
                events::payload,
            ))
            .load(conn)?;
        let mut queued = 0;
        for (id, tenant, kind, entity_id, client_id, payload) in &pending {
            for (_, job_kind) in subscribers.iter().filter(|(k, _)| k == kind) {
                let payload = serde_json::json!({
                    "event": id,
                    "kind": kind,
                    "entity_id": entity_id,
                    "client_id": client_id,
                    "changes": serde_json::from_str::<serde_json::Value>(payload).unwrap_or_default(),
                });
                let job = NewJob {
                    tenant_id: Some(*tenant),
                    ..NewJob::new(job_kind, payload, now)
                }
                .keyed(format!("{job_kind}:event:{id}"));
                queued += usize::from(jobs::enqueue(conn, &job, now)?.is_some());
            }
        }
        let ids: Vec<i64> = pending.iter().map(|p| p.0).collect();
        diesel::update(events::table.filter(events::id.eq_any(ids)))
            .set(events::dispatched_at.eq(now))
            .execute(conn)?;
        Ok(queued)
    })
}

/// Marks every pending event dispatched without queueing anything: history loaded in
/// bulk (the demo tenant) is not news to mail about.
pub fn settle(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(events::table.filter(events::dispatched_at.is_null()))
        .set(events::dispatched_at.eq(now))
        .execute(conn)
}
