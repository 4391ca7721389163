//! Job workers: threads that plan the scheduler's rounds, dispatch domain events and
//! drain the job queue. `serve` runs a few beside the web server; `mspdesk worker` runs
//! only these, so app nodes and worker processes can share one PostgreSQL. They are
//! threads, not actix tasks: a job is database work and mail, which must not hold a
//! web worker. Stopping lets each finish the job in hand (its lease bounds a job a
//! killed process leaves behind).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};

use crate::domain::automation::jobs::{self, Turn};
use crate::domain::automation::{events, scheduler};
use crate::ops::handlers::{self, Context, Jobs};
use crate::platform::db::Pool;

/// How often a worker plans rounds and dispatches events, and waits when idle.
const PLAN_EVERY: StdDuration = StdDuration::from_secs(15);
const DISPATCH_EVERY: StdDuration = StdDuration::from_secs(1);
const IDLE: StdDuration = StdDuration::from_millis(500);

pub struct Workers {
    stop: Arc<AtomicBool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` workers named after this process.
    pub fn start(pool: Pool, ctx: Context, count: usize, lease: Duration) -> Workers {
        let stop = Arc::new(AtomicBool::new(false));
        let tag = process_tag();
        let handles = (0..count)
            .map(|n| {
                let (pool, ctx, stop) = (pool.clone(), ctx.clone(), stop.clone());
                let name = format!("{tag}-{n}");
                std::thread::Builder::new()
                    .name(format!("job-worker-{n}"))
                    .spawn(move || run(&pool, &ctx, &name, &stop, lease))
                    .expect("a thread starts")
            })
            .collect();
        Workers { stop, handles }
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
    let mut bytes = [0u8; 3];
    let _ = getrandom::fill(&mut bytes);
    format!("w{}-{}", std::process::id(), hex::encode(bytes))
}

fn run(pool: &Pool, ctx: &Context, name: &str, stop: &AtomicBool, lease: Duration) {
    let mut planned: Option<Instant> = None;
    let mut dispatched: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(worker = name, "no database connection: {e}");
                pause(stop, IDLE * 4);
                continue;
            }
        };
        let now = Utc::now();
        if planned.is_none_or(|t| t.elapsed() >= PLAN_EVERY) {
            if let Err(e) = scheduler::plan(&mut conn, now.naive_utc()) {
                tracing::warn!(worker = name, "planning the scheduler's rounds failed: {e}");
            }
            planned = Some(Instant::now());
        }
        if dispatched.is_none_or(|t| t.elapsed() >= DISPATCH_EVERY) {
            if let Err(e) = events::dispatch(&mut conn, handlers::SUBSCRIBERS, now.naive_utc()) {
                tracing::warn!(worker = name, "dispatching events failed: {e}");
            }
            dispatched = Some(Instant::now());
        }
        let handler = Jobs { ctx, now };
        match jobs::run_once(&mut conn, name, now.naive_utc(), lease, &handler) {
            Ok(Turn::Idle) => pause(stop, IDLE),
            Ok(Turn::Done(_)) => {}
            Ok(Turn::Failed(id, outcome)) => {
                tracing::warn!(worker = name, job = id, "job failed: {outcome:?}")
            }
            Err(e) => {
                tracing::warn!(worker = name, "claiming a job failed: {e}");
                pause(stop, IDLE);
            }
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
