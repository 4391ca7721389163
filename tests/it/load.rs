//! Mixed load on one database: readers, writers, logins (argon2) and uploads at once.
//! No answer may be a 5xx: password hashing happens outside write transactions, and
//! SQLite writers wait their turn instead of failing with "database is locked".
//!
//! `make test` runs a short version; `make soak` the full one (48 clients for 60 s,
//! `MSPDESK_SOAK_CLIENTS` and `MSPDESK_SOAK_SECONDS`), which prints its figures.

use std::time::{Duration, Instant};

use crate::fixtures;
use crate::helpers::{Browser, TestApp, PASSWORD};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Tally {
    ok: u64,
    refused: u64,
    failed: Vec<String>,
    latencies: Vec<Duration>,
}

/// One simulated user: round after round of list, detail, write, login and upload.
async fn user(mut b: Browser, email: String, cid: i64, until: Instant, n: u64) -> Tally {
    let mut t = Tally::default();
    let mut round = 0u64;
    while Instant::now() < until {
        round += 1;
        let started = Instant::now();
        let status = match (round + n) % 5 {
            0 => b.get("/clients").await.status,
            1 => b.get(&format!("/clients/{cid}/contacts")).await.status,
            2 => {
                let name = format!("Load {n}-{round}");
                b.post(&format!("/clients/{cid}/contacts"), &[("name", &name)])
                    .await
                    .status
            }
            3 => {
                let status = b.login(&email, PASSWORD).await.status;
                b.refresh_csrf().await;
                status
            }
            _ => {
                let bytes = vec![b'z'; 20_000];
                b.upload(&format!("/clients/{cid}/files"), "load.bin", bytes, &[])
                    .await
                    .status
            }
        };
        t.latencies.push(started.elapsed());
        match status {
            500.. => t
                .failed
                .push(format!("{status} in round {round} of user {n}")),
            400..=499 => t.refused += 1,
            _ => t.ok += 1,
        }
    }
    t
}

#[actix_web::test]
async fn mixed_load_gives_no_server_error() {
    let clients = setting("MSPDESK_SOAK_CLIENTS", 8);
    let seconds = setting("MSPDESK_SOAK_SECONDS", 3);
    let app = TestApp::spawn_configured(|c| {
        c.workers = 2;
        c.db_pool = 8;
        c.max_upload_mb = 1;
    })
    .await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = vec![];
    for n in 0..clients {
        let email = [&app.a.admin, &app.a.tech][n as usize % 2].clone();
        let b = app.login(&email).await;
        tasks.push(actix_web::rt::spawn(user(b, email, cid, until, n)));
    }
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.unwrap();
        all.ok += t.ok;
        all.refused += t.refused;
        all.failed.extend(t.failed);
        all.latencies.extend(t.latencies);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let p = |q: f64| all.latencies[((all.latencies.len() - 1) as f64 * q) as usize];
    eprintln!(
        "mixed load: {clients} clients, {elapsed:.0} s, {} requests ({:.0}/s), {} refused (4xx), {} server errors, p50 {:?}, p99 {:?}, max {:?}",
        all.ok + all.refused + all.failed.len() as u64,
        (all.ok + all.refused) as f64 / elapsed,
        all.refused,
        all.failed.len(),
        p(0.5),
        p(0.99),
        p(1.0),
    );
    assert!(all.failed.is_empty(), "server errors: {:?}", all.failed);
    assert_eq!(all.refused, 0, "every request of the mix is a valid one");
    assert!(all.ok > clients * 5, "too few requests to mean anything");
}
