//! One tenant's bad data never stops every tenant's background work: a job that panics
//! fails alone (its message kept) and the worker runs the next; a sender name with a
//! line break is refused by the settings and, stored before that rule, still sends; a
//! running worker beats, and the readiness check tells the database, the workers and the
//! queue's lag apart.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::automation::mails::{self, Draft};
use mspdesk::domain::outbox::jobs::{self, NewJob, Turn};
use mspdesk::domain::schema::{companies, jobs as jobs_table};
use serde_json::json;

use crate::helpers::TestApp;
use crate::smtp::Sink;

#[actix_web::test]
async fn a_panicking_job_fails_alone_and_the_worker_runs_the_next() {
    let app = TestApp::spawn().await;
    let conn = &mut *app.conn();
    let now = Utc::now().naive_utc();
    let boom = jobs::enqueue(conn, &NewJob::new("boom", json!({}), now), now)
        .unwrap()
        .unwrap();
    let fine = jobs::enqueue(conn, &NewJob::new("fine", json!({}), now), now)
        .unwrap()
        .unwrap();
    let handler =
        |_: &mut mspdesk::platform::db::AnyConnection, job: &jobs::Claimed| -> Result<(), String> {
            if job.kind == "boom" {
                panic!("a header with a line break");
            }
            Ok(())
        };
    let lease = Duration::minutes(5);
    let first = jobs::run_once(conn, "w", now, lease, &handler).unwrap();
    assert!(
        matches!(first, Turn::Failed(id, _) if id == boom),
        "{first:?}"
    );
    let error: Option<String> = jobs_table::table
        .find(boom)
        .select(jobs_table::last_error)
        .first(conn)
        .unwrap();
    assert_eq!(
        error.as_deref(),
        Some("the job panicked: a header with a line break")
    );
    assert_eq!(
        jobs::run_once(conn, "w", now, lease, &handler).unwrap(),
        Turn::Done(fine),
        "the same worker and connection go on"
    );
}

#[actix_web::test]
async fn a_sender_name_with_a_line_break_is_refused_and_one_stored_before_still_sends() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let page = b
        .post(
            "/admin/scheduler",
            &[
                ("time_zone", "UTC"),
                ("catch_up", "all"),
                ("leads", "30"),
                ("sender_name", "Alpha\r\nBcc: everyone@example.test"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("Sender name: one line"), "{}", page.body);

    // Stored before the rule: the mail goes out, the name folded into the one From line
    // (encoded), no Bcc header of its own.
    diesel::update(companies::table.find(app.a.id.get()))
        .set(companies::mail_sender_name.eq("Alpha\r\nBcc: everyone@example.test"))
        .execute(&mut app.conn())
        .unwrap();
    let now = Utc::now();
    let draft = Draft {
        kind: "test",
        to: "pat@acme.test",
        subject: "Line\r\nbreaks",
        text: "Hello",
        html: "<p>Hello</p>",
        attachment: None,
    };
    mails::queue(&mut app.conn(), app.a.id, &draft, now.naive_utc()).unwrap();
    let sink = Sink::start(0);
    let ctx = crate::mail::context(&app, Some(&sink));
    let turns = crate::mail::work(&mut app.conn(), &ctx, now);
    assert!(
        turns.iter().all(|t| matches!(t, Turn::Done(_))),
        "{turns:?}"
    );
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].data.contains("<desk@alpha.test>\r\n") && !got[0].data.contains("\nBcc:"),
        "{}",
        got[0].data
    );
}

#[actix_web::test]
async fn readiness_tells_the_database_the_workers_and_the_queues_lag() {
    let app = TestApp::spawn().await;
    let ready = || async {
        let res = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        )
    };
    let (status, body) = ready().await;
    assert_eq!(status, 200);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["status"], "ok", "{body}");

    // A job due for ten minutes and nobody to take it.
    let then = Utc::now().naive_utc() - Duration::minutes(10);
    jobs::enqueue(
        &mut app.conn(),
        &NewJob::new("waits", json!({}), then),
        then,
    )
    .unwrap();
    let (status, body) = ready().await;
    assert_eq!(status, 200, "the node can still serve pages");
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["queue"]["due"], 1);
    assert!(body["queue"]["oldest_lag_seconds"].as_i64().unwrap() >= 600);
    let problems = body["problems"].to_string();
    assert!(problems.contains("no job worker is alive"), "{problems}");

    // A running worker beats (and takes the job: an unknown kind fails, it does not
    // hang around).
    let workers = mspdesk::ops::workers::Workers::start(
        app.pool.clone(),
        crate::mail::context(&app, None),
        1,
        Duration::minutes(5),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, body) = ready().await;
        if body["workers"]["alive"] == 1 && body["queue"]["due"] == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{body}");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    actix_web::rt::task::spawn_blocking(move || workers.stop())
        .await
        .unwrap();
    let (_, body) = ready().await;
    assert_eq!(
        body["workers"]["alive"], 0,
        "a worker stopped on purpose is not a dead one"
    );
    assert_eq!(body["workers"]["stale"], 0);
}
