//! The persistent job queue. A job is claimed by one worker for a lease: on PostgreSQL
//! the claiming `UPDATE` picks its row with `FOR UPDATE SKIP LOCKED`, so workers on
//! several nodes never take the same job; on SQLite the claim runs in an immediate
//! (writing) transaction, which serialises claimers. A job whose worker died is taken
//! over when its lease runs out. A job's effect and its completion commit together
//! (`run_once`), guarded by the lease: a worker that lost its lease rolls its effect
//! back, so the effect exists once. Failures back off exponentially; after
//! `max_attempts` the job is dead and keeps its last error. An idempotency key queues a
//! job once, whoever asks again.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use super::job_kind::JobKind;
use super::job_state::JobState;
use crate::error::{AppError, AppResult};
use crate::schema::jobs;
use crate::with_backend;
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub tenant_id: Option<i64>,
    pub key: Option<String>,
    pub run_at: NaiveDateTime,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value, run_at: NaiveDateTime) -> Self {
        NewJob {
            kind: kind.to_string(),
            payload,
            tenant_id: None,
            key: None,
            run_at,
            max_attempts: 5,
        }
    }
    /// A job of the application's, with the payload its handler reads back
    /// (`Claimed::payload_as`).
    pub fn of<P: serde::Serialize>(kind: JobKind, payload: &P, run_at: NaiveDateTime) -> Self {
        let payload = serde_json::to_value(payload).unwrap_or_default();
        NewJob::new(kind.name(), payload, run_at)
    }
    pub fn keyed(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

/// Queues a job; `None` when a job with the same idempotency key exists already.
pub fn enqueue(
    conn: &mut AnyConnection,
    job: &NewJob,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let row = (
        jobs::tenant_id.eq(job.tenant_id),
        jobs::kind.eq(&job.kind),
        jobs::payload.eq(job.payload.to_string()),
        jobs::idempotency_key.eq(job.key.as_deref()),
        jobs::run_at.eq(job.run_at),
        jobs::max_attempts.eq(job.max_attempts.max(1)),
        jobs::created_at.eq(now),
    );
    with_backend!(conn, |c| diesel::insert_into(jobs::table)
        .values(row)
        .on_conflict_do_nothing()
        .returning(jobs::id)
        .get_result::<i64>(c)
        .optional())
}

/// A job in a worker's hands.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub tenant_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    /// This attempt's number, from 1.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

impl Claimed {
    /// The tenant the job works for (ids in the queue are the server's own).
    pub fn tenant(&self) -> Option<crate::scope::TenantId> {
        self.tenant_id.map(crate::scope::TenantId::trusted)
    }

    /// The application's kind of job; `None` for a kind no handler of this version
    /// knows.
    pub fn job_kind(&self) -> Option<JobKind> {
        JobKind::parse(&self.kind)
    }

    /// The payload as the type its kind is queued with.
    pub fn payload_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_str(&self.payload)
            .map_err(|e| format!("the payload of job {} does not read: {e}", self.id))
    }
}

/// The claim, the same on both databases but for PostgreSQL's row locking. `$4` is a
/// kind this worker cannot run now (mail without SMTP settings), left queued.
pub(super) fn claim_sql(skip_locked: bool) -> String {
    format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs \
            WHERE ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND locked_until < $3)) \
            AND kind <> $4 \
            AND (tenant_id IS NULL OR tenant_id NOT IN \
                (SELECT id FROM companies WHERE suspended_at IS NOT NULL)) \
            ORDER BY run_at, id LIMIT 1{}) \
         RETURNING id, tenant_id, kind, payload, attempts, max_attempts",
        if skip_locked { " FOR UPDATE SKIP LOCKED" } else { "" }
    )
}

/// Takes the next due job (or one whose lease ran out) for `lease`, except jobs of
/// the kind `waiting`.
pub fn claim(
    conn: &mut AnyConnection,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
    waiting: Option<&str>,
) -> AppResult<Option<Claimed>> {
    let until = now + lease;
    write_transaction(conn, |conn| {
        let skip_locked = matches!(conn, AnyConnection::Postgresql(_));
        let claimed = with_backend!(conn, |c| diesel::sql_query(claim_sql(skip_locked))
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<Text, _>(waiting.unwrap_or(""))
            .get_result::<Claimed>(c)
            .optional())?;
        Ok(claimed)
    })
}

/// The job still held by `worker`: the guard of every change a worker makes to it.
macro_rules! held {
    ($id:expr, $worker:expr) => {
        jobs::table
            .filter(jobs::id.eq($id))
            .filter(jobs::state.eq(JobState::Running))
            .filter(jobs::locked_by.eq($worker))
    };
}

/// Marks the job done; false when the worker no longer holds it.
pub fn complete(
    conn: &mut AnyConnection,
    id: i64,
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held!(id, worker))
        .set((
            jobs::state.eq(JobState::Done),
            jobs::finished_at.eq(now),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// The wait before attempt `attempts + 1`: 30 s doubled per attempt, at most a day.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(0, 12) as u32;
    Duration::seconds((30i64 << exp).min(86_400))
}

/// What became of a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    Retry(NaiveDateTime),
    Dead,
    /// Another worker holds it now.
    Lost,
}

/// Records a failure: retried after the backoff, or dead after the last attempt.
pub fn fail(
    conn: &mut AnyConnection,
    job: &Claimed,
    worker: &str,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<Failed> {
    let error: String = error.chars().take(2_000).collect();
    let (state, outcome) = if job.attempts >= job.max_attempts {
        (JobState::Dead, Failed::Dead)
    } else {
        (JobState::Queued, Failed::Retry(now + backoff(job.attempts)))
    };
    let run_at = match outcome {
        Failed::Retry(at) => at,
        _ => now,
    };
    let n = diesel::update(held!(job.id, worker))
        .set((
            jobs::state.eq(state),
            jobs::run_at.eq(run_at),
            jobs::last_error.eq(error),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::finished_at.eq((state == JobState::Dead).then_some(now)),
        ))
        .execute(conn)?;
    Ok(if n == 1 { outcome } else { Failed::Lost })
}

/// What one turn of a worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    Idle,
    Done(i64),
    Failed(i64, Failed),
}

/// What a worker does with a job.
pub trait Handler {
    /// Work that must not hold a database transaction (a network call), before
    /// `apply`; an error fails the attempt.
    fn outside(&self, _conn: &mut AnyConnection, _job: &Claimed) -> Result<(), String> {
        Ok(())
    }
    /// The job's database effect, committed with its completion or not at all.
    fn apply(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String>;
    /// A kind this handler cannot run now; its jobs stay queued.
    fn waiting(&self) -> Option<JobKind> {
        None
    }
}

impl<F> Handler for F
where
    F: Fn(&mut AnyConnection, &Claimed) -> Result<(), String>,
{
    fn apply(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String> {
        self(conn, job)
    }
}

/// Runs a job's work with a panic in it taken as the job's error (its message kept):
/// one job's bad data fails that job, never its worker — nor, through the worker, every
/// tenant's background work.
pub fn guarded<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(done) => done,
        Err(panic) => Err(format!("the job panicked: {}", panic_message(&*panic))),
    }
}

/// What a panic said, when it said it as text.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// One turn of a worker: claims a job, runs the handler's outside work, then its
/// effect in one transaction with the job's completion. An error from the handler (or
/// a lost lease, or a panic) rolls the effect back and fails the attempt.
pub fn run_once(
    conn: &mut AnyConnection,
    worker: &str,
    now: NaiveDateTime,
    lease: Duration,
    handler: &dyn Handler,
) -> AppResult<Turn> {
    let Some(job) = claim(
        conn,
        worker,
        now,
        lease,
        handler.waiting().map(JobKind::name),
    )?
    else {
        return Ok(Turn::Idle);
    };
    if job.attempts > job.max_attempts {
        // Its workers kept dying: stop here.
        return Ok(Turn::Failed(
            job.id,
            fail(
                conn,
                &job,
                worker,
                "the lease ran out on every attempt",
                now,
            )?,
        ));
    }
    if let Err(e) = guarded(|| handler.outside(conn, &job)) {
        return Ok(Turn::Failed(job.id, fail(conn, &job, worker, &e, now)?));
    }
    let ran = write_transaction(conn, |conn| {
        guarded(|| handler.apply(conn, &job)).map_err(AppError::Internal)?;
        if complete(conn, job.id, worker, now)? {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "the lease ran out; another worker has the job".into(),
            ))
        }
    });
    let error = match ran {
        Ok(()) => return Ok(Turn::Done(job.id)),
        // The handler's own words, without the error kind's prefix.
        Err(AppError::Internal(e) | AppError::Conflict(e) | AppError::BadRequest(e)) => e,
        Err(e) => e.to_string(),
    };
    Ok(Turn::Failed(job.id, fail(conn, &job, worker, &error, now)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_a_day() {
        let secs: Vec<i64> = [0, 1, 2, 5, 12, 40]
            .iter()
            .map(|a| backoff(*a).num_seconds())
            .collect();
        assert_eq!(secs, [30, 60, 120, 960, 86_400, 86_400]);
    }
}
