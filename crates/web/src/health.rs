//! `GET /healthz`: the server answers — no database, no session, no template: a load
//! balancer's liveness probe, and the ceiling `make bench` measures every page against.
//! It says nothing of the database or the background work.
//!
//! `GET /readyz`: whether this node can serve, and how the background work stands, as
//! JSON: the database answers (else 503), the job workers' heartbeats (how many alive
//! and stale, on whichever node they run; their errors are the operator's, not a public
//! probe's) and the queue's lag (jobs due and not taken, and how long
//! the oldest has waited). A node with a database is ready even when the workers are
//! not — they may run elsewhere — but `status` is then `degraded`, with the reasons,
//! for a monitor to alert on.

use actix_web::HttpResponse;
use serde_json::json;

use crate::domain::automation::heartbeats;
use mspdesk_platform::db::Db;

pub async fn check() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body("ok\n")
}

/// Jobs waiting longer than this make the background work `degraded`.
const LAG_MINUTES: i64 = 5;

pub async fn ready(db: Db) -> HttpResponse {
    let now = chrono::Utc::now().naive_utc();
    let health = db.run(move |conn| Ok(heartbeats::health(conn, now)?)).await;
    let respond = |status: actix_web::http::StatusCode, body: serde_json::Value| {
        HttpResponse::build(status)
            .insert_header(("Cache-Control", "no-store"))
            .json(body)
    };
    let h = match health {
        Ok(h) => h,
        Err(e) => {
            tracing::error!("readiness: the database does not answer: {e}");
            let body = json!({ "status": "down", "database": "unreachable" });
            return respond(actix_web::http::StatusCode::SERVICE_UNAVAILABLE, body);
        }
    };
    let lag = h.lag.map(|d| d.num_seconds().max(0));
    let mut problems = vec![];
    if h.due > 0 && h.alive.is_empty() {
        problems.push("jobs are due and no job worker is alive".to_string());
    }
    if lag.is_some_and(|s| s > LAG_MINUTES * 60) {
        problems.push(format!(
            "the oldest due job has waited over {LAG_MINUTES} minutes"
        ));
    }
    if !h.stale.is_empty() {
        problems.push(format!("{} job workers stopped beating", h.stale.len()));
    }
    // Counts only: the probe is public, and a worker's last error can name a
    // tenant's data (the platform console shows them to the operator).
    let body = json!({
        "status": if problems.is_empty() { "ok" } else { "degraded" },
        "problems": problems,
        "database": "ok",
        "workers": { "alive": h.alive.len(), "stale": h.stale.len() },
        "queue": { "due": h.due, "oldest_lag_seconds": lag },
    });
    respond(actix_web::http::StatusCode::OK, body)
}
