//! Domain events through an outbox. A service publishes its event (`publish`) in the
//! transaction of its change, so an event exists exactly when its change committed —
//! none for a rollback, none lost if the process dies after the commit. The
//! dispatcher turns pending events into jobs for the subscribers of their kind, each
//! keyed by subscriber and event, so two dispatchers (or one run twice) queue each job
//! once; the job reads its event back whole (`Notice`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::event::{Event, EventKind};
use super::job_kind::JobKind;
use super::jobs::{self, Claimed, NewJob};
use crate::error::AppResult;
use crate::schema::events;
use crate::scope::ClientScope;
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// Writes `event`, about a record of the client of `cs`, in that scope's tenant and at
/// its time (inside the caller's transaction).
pub fn publish(conn: &mut AnyConnection, cs: &ClientScope, event: &Event) -> QueryResult<()> {
    let row = event.row();
    diesel::insert_into(events::table)
        .values((
            events::tenant_id.eq(cs.tenant_id()),
            events::kind.eq(row.kind.name()),
            events::entity_id.eq(row.entity_id),
            events::client_id.eq(row.client_id),
            events::payload.eq(row.rest.to_string()),
            events::created_at.eq(cs.now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Who wants which events: (event kind, the job it queues).
pub type Subscribers = [(EventKind, JobKind)];

/// The payload of a subscriber's job: the event, as its row held it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Notice {
    event: i64,
    kind: String,
    entity_id: Option<i64>,
    client_id: Option<i64>,
    changes: serde_json::Value,
}

impl Notice {
    /// The event a subscriber's job was queued for.
    pub fn of(job: &Claimed) -> Result<Event, String> {
        let n: Notice = job.payload_as()?;
        Event::read(&n.kind, n.entity_id, n.client_id, &n.changes)
            .ok_or_else(|| format!("job {} names no event of kind {:?}", job.id, n.kind))
    }
}

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
            let changes = serde_json::from_str(payload).unwrap_or_default();
            // A row this version publishes no more (written before an upgrade) has no
            // subscriber: it is marked dispatched with the rest.
            let Some(event) = Event::read(kind, *entity_id, *client_id, &changes) else {
                continue;
            };
            let notice = Notice {
                event: *id,
                kind: kind.clone(),
                entity_id: *entity_id,
                client_id: *client_id,
                changes,
            };
            for (_, job) in subscribers.iter().filter(|(k, _)| *k == event.kind()) {
                let job = NewJob {
                    tenant_id: Some(*tenant),
                    ..NewJob::of(*job, &notice, now)
                }
                .keyed(format!("{}:event:{id}", job.name()));
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
