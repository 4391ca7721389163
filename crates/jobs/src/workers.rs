//! Job workers: threads that plan the scheduler's rounds, dispatch domain events and
//! drain the job queue. `serve` runs a few beside the web server; `mspdesk worker` runs
//! only these, so app nodes and worker processes can share one PostgreSQL. They are
//! threads, not actix tasks: a job is database work and mail, which must not hold a
//! web worker. Stopping lets each finish the job in hand (its lease bounds a job a
//! killed process leaves behind).
//!
//! A worker does not die of what it runs: a job's panic fails that job
//! (`jobs::guarded`), and anything else that panics in a round is caught, written to
//! its heartbeat and the round starts again after a pause. Each worker beats into
//! `workers` every few seconds, so a worker that stopped (or hangs) shows as stale on
//! the readiness check, whichever node it ran on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};

use crate::domain::automation::heartbeats::{self, Beat};
use crate::domain::automation::scheduler;
use crate::domain::outbox::events;
use crate::domain::outbox::jobs::{self, Turn};
use crate::handlers::{self, Context, Jobs};
use crate::platform::db::Pool;

/// How often a worker plans rounds and dispatches events, and waits when idle.
const PLAN_EVERY: StdDuration = StdDuration::from_secs(15);
const DISPATCH_EVERY: StdDuration = StdDuration::from_secs(1);
const IDLE: StdDuration = StdDuration::from_millis(500);
const BEAT_EVERY: StdDuration = StdDuration::from_secs(5);
/// The pause after a round that panicked, before the next.
const AFTER_PANIC: StdDuration = StdDuration::from_secs(2);

pub struct Workers {
    stop: Arc<AtomicBool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` workers named after this process; when the system refuses a
    /// thread, those already started are told to stop and the refusal is returned.
    pub fn start(
        pool: Pool,
        ctx: Context,
        count: usize,
        lease: Duration,
    ) -> std::io::Result<Workers> {
        let stop = Arc::new(AtomicBool::new(false));
        let tag = process_tag();
        let handles = (0..count)
            .map(|n| {
                let (pool, ctx, stop) = (pool.clone(), ctx.clone(), stop.clone());
                let name = format!("{tag}-{n}");
                std::thread::Builder::new()
                    .name(format!("job-worker-{n}"))
                    .spawn(move || {
                        let mut w = Worker::new(name);
                        run(&pool, &ctx, &mut w, &stop, lease)
                    })
            })
            .collect::<std::io::Result<Vec<_>>>();
        match handles {
            Ok(handles) => Ok(Workers { stop, handles }),
            Err(e) => {
                stop.store(true, Ordering::SeqCst);
                Err(e)
            }
        }
    }

    /// Asks every worker to stop after its job in hand and waits for them.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for h in self.handles {
            let _ = h.join();
        }
    }
}

/// `pid-random`: unique across the nodes sharing a database.
fn process_tag() -> String {
    format!(
        "w{}-{}",
        std::process::id(),
        crate::platform::keys::random_token(3)
    )
}

/// One worker's own record: what it beats into `workers`.
struct Worker {
    name: String,
    started_at: chrono::NaiveDateTime,
    done: i64,
    failed: i64,
    last_error: Option<String>,
    beaten: Option<Instant>,
    planned: Option<Instant>,
    dispatched: Option<Instant>,
}

impl Worker {
    fn new(name: String) -> Worker {
        Worker {
            name,
            started_at: Utc::now().naive_utc(),
            done: 0,
            failed: 0,
            last_error: None,
            beaten: None,
            planned: None,
            dispatched: None,
        }
    }

    /// Writes the heartbeat when it is due (or `now` is asked for).
    fn beat(&mut self, conn: &mut crate::platform::db::AnyConnection, force: bool) {
        if !force && self.beaten.is_some_and(|t| t.elapsed() < BEAT_EVERY) {
            return;
        }
        let beat = Beat {
            name: &self.name,
            started_at: self.started_at,
            done: self.done,
            failed: self.failed,
            last_error: self.last_error.as_deref(),
        };
        match heartbeats::beat(conn, &beat, Utc::now().naive_utc()) {
            Ok(()) => self.beaten = Some(Instant::now()),
            Err(e) => tracing::warn!(worker = self.name, "writing the heartbeat failed: {e}"),
        }
    }
}

fn run(pool: &Pool, ctx: &Context, w: &mut Worker, stop: &AtomicBool, lease: Duration) {
    run_rounds(pool, ctx, w, stop, lease);
    // Stopped on purpose: not a worker that died.
    if let Ok(mut conn) = pool.get() {
        let _ = heartbeats::leave(&mut conn, &w.name);
    }
}

fn run_rounds(pool: &Pool, ctx: &Context, w: &mut Worker, stop: &AtomicBool, lease: Duration) {
    while !stop.load(Ordering::SeqCst) {
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(worker = w.name, "no database connection: {e}");
                pause(stop, IDLE * 4);
                continue;
            }
        };
        let round = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            round(&mut conn, ctx, w, stop, lease)
        }));
        if let Err(panic) = round {
            let message = jobs::panic_message(&*panic);
            tracing::error!(worker = w.name, "a worker round panicked: {message}");
            w.last_error = Some(format!("a round panicked: {message}"));
            // The connection may have been in the middle of anything: it is not reused.
            drop(conn);
            if let Ok(mut conn) = pool.get() {
                w.beat(&mut conn, true);
            }
            pause(stop, AFTER_PANIC);
        }
    }
}

/// One round of a worker: the scheduler's plan and the events when due, one job, the
/// heartbeat.
fn round(
    conn: &mut crate::platform::db::AnyConnection,
    ctx: &Context,
    w: &mut Worker,
    stop: &AtomicBool,
    lease: Duration,
) {
    let now = Utc::now();
    let name = w.name.clone();
    if w.planned.is_none_or(|t| t.elapsed() >= PLAN_EVERY) {
        if let Err(e) = scheduler::plan(conn, now.naive_utc()) {
            tracing::warn!(worker = name, "planning the scheduler's rounds failed: {e}");
        }
        if let Some(plan) = &ctx.backup
            && let Err(e) = crate::backup::schedule::plan(conn, plan, now.naive_utc())
        {
            tracing::warn!(worker = name, "planning the scheduled backup failed: {e}");
        }
        if let Err(e) = heartbeats::forget_old(conn, now.naive_utc()) {
            tracing::warn!(worker = name, "forgetting old workers failed: {e}");
        }
        w.planned = Some(Instant::now());
    }
    if w.dispatched.is_none_or(|t| t.elapsed() >= DISPATCH_EVERY) {
        if let Err(e) = events::dispatch(conn, handlers::SUBSCRIBERS, now.naive_utc()) {
            tracing::warn!(worker = name, "dispatching events failed: {e}");
        }
        w.dispatched = Some(Instant::now());
    }
    let handler = Jobs { ctx, now };
    match jobs::run_once(conn, &name, now.naive_utc(), lease, &handler) {
        Ok(Turn::Idle) => {
            w.beat(conn, false);
            pause(stop, IDLE);
        }
        Ok(Turn::Done(_)) => {
            w.done += 1;
            w.beat(conn, false);
        }
        Ok(Turn::Failed(id, outcome)) => {
            tracing::warn!(worker = name, job = id, "job failed: {outcome:?}");
            w.failed += 1;
            w.last_error = Some(format!("job {id}: {outcome:?}"));
            w.beat(conn, false);
        }
        Err(e) => {
            tracing::warn!(worker = name, "claiming a job failed: {e}");
            w.last_error = Some(format!("claiming a job: {e}"));
            pause(stop, IDLE);
        }
    }
}

/// Sleeps up to `d`, waking early when asked to stop.
fn pause(stop: &AtomicBool, d: StdDuration) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(StdDuration::from_millis(50));
    }
}
