//! Whether the background work is alive: each worker thread writes a heartbeat as it
//! goes round its loop (so a worker that died or hangs shows as stale, whichever node
//! it ran on), and the queue's lag is the age of the oldest job that is due and not
//! taken. The readiness check reads both.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::outbox::job_state::JobState;
use crate::schema::{jobs, workers};
use crate::with_backend;
use mspdesk_platform::db::AnyConnection;

/// A worker whose last beat is older than this is stale (it beats every few seconds,
/// and a job runs for minutes at most).
pub(crate) fn stale_after() -> Duration {
    Duration::minutes(2)
}

/// A worker's beat: its name, when it started, what it has done and its last trouble.
pub struct Beat<'a> {
    pub name: &'a str,
    pub started_at: NaiveDateTime,
    pub done: i64,
    pub failed: i64,
    pub last_error: Option<&'a str>,
}

pub fn beat(conn: &mut AnyConnection, b: &Beat, now: NaiveDateTime) -> QueryResult<()> {
    let error: Option<String> = b.last_error.map(|e| e.chars().take(1_000).collect());
    let row = (
        workers::name.eq(b.name),
        workers::started_at.eq(b.started_at),
        workers::beat_at.eq(now),
        workers::done.eq(b.done),
        workers::failed.eq(b.failed),
        workers::last_error.eq(error.clone()),
    );
    with_backend!(conn, |c| diesel::insert_into(workers::table)
        .values(row)
        .on_conflict(workers::name)
        .do_update()
        .set((
            workers::beat_at.eq(now),
            workers::done.eq(b.done),
            workers::failed.eq(b.failed),
            workers::last_error.eq(error),
        ))
        .execute(c))?;
    Ok(())
}

/// A worker stopped on purpose: it is no stale one.
pub fn leave(conn: &mut AnyConnection, name: &str) -> QueryResult<usize> {
    diesel::delete(workers::table.filter(workers::name.eq(name))).execute(conn)
}

/// Forgets workers that have not beaten for a day (processes long gone).
pub fn forget_old(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(workers::table.filter(workers::beat_at.lt(now - Duration::days(1))))
        .execute(conn)
}

/// A worker as readiness reports it.
#[derive(Debug, Clone)]
pub struct Worker {
    pub name: String,
    pub beat_at: NaiveDateTime,
    pub done: i64,
    pub failed: i64,
    pub last_error: Option<String>,
}

/// The background work as it stands.
#[derive(Debug, Clone)]
pub struct Health {
    pub alive: Vec<Worker>,
    pub stale: Vec<Worker>,
    /// Jobs due and not taken (or whose worker's lease ran out).
    pub due: i64,
    /// How long the oldest of them has waited.
    pub lag: Option<Duration>,
}

pub fn health(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Health> {
    let all: Vec<(String, NaiveDateTime, i64, i64, Option<String>)> = workers::table
        .order(workers::name)
        .select((
            workers::name,
            workers::beat_at,
            workers::done,
            workers::failed,
            workers::last_error,
        ))
        .load(conn)?;
    let (alive, stale) = all
        .into_iter()
        .map(|(name, beat_at, done, failed, last_error)| Worker {
            name,
            beat_at,
            done,
            failed,
            last_error,
        })
        .partition(|w| w.beat_at >= now - stale_after());
    let waiting = jobs::table.filter(
        jobs::state
            .eq(JobState::Queued)
            .and(jobs::run_at.le(now))
            .or(jobs::state
                .eq(JobState::Running)
                .and(jobs::locked_until.lt(now))),
    );
    let (due, oldest): (i64, Option<NaiveDateTime>) = waiting
        .select((diesel::dsl::count_star(), diesel::dsl::min(jobs::run_at)))
        .first(conn)?;
    Ok(Health {
        alive,
        stale,
        due,
        lag: oldest.map(|at| now - at),
    })
}

/// The last job of a platform kind (a scheduled backup): its state, when it finished
/// (or is due), and its error.
pub fn last_of_kind(
    conn: &mut AnyConnection,
    kind: crate::outbox::job_kind::JobKind,
) -> QueryResult<Option<(String, NaiveDateTime, Option<String>)>> {
    let row: Option<(String, NaiveDateTime, Option<NaiveDateTime>, Option<String>)> = jobs::table
        .filter(jobs::kind.eq(kind))
        .filter(jobs::tenant_id.is_null())
        .order(jobs::id.desc())
        .select((
            jobs::state,
            jobs::run_at,
            jobs::finished_at,
            jobs::last_error,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(state, due, finished, error)| (state, finished.unwrap_or(due), error)))
}
