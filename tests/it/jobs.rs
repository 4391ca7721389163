//! The job queue on both databases: a key queues a job once; a failing job backs off
//! and dies after its last attempt with its error; a dead worker's job is taken over
//! when the lease runs out and the late worker's effect is rolled back; two workers
//! draining 1,000 jobs run each exactly once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use mspdesk::domain::outbox::jobs::{self, Failed, NewJob, Turn};
use mspdesk::domain::schema::jobs as jobs_table;
use serde_json::json;

use crate::helpers::TestApp;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn state(app: &TestApp, id: i64) -> (String, i32, Option<String>) {
    jobs_table::table
        .find(id)
        .select((
            jobs_table::state,
            jobs_table::attempts,
            jobs_table::last_error,
        ))
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_key_queues_once_and_a_failing_job_backs_off_then_dies() {
    let app = TestApp::spawn().await;
    let conn = &mut *app.conn();
    let t0 = now();
    let job = NewJob {
        max_attempts: 3,
        ..NewJob::new("mail", json!({"to": "a@b.test"}), t0)
    }
    .keyed("mail:digest:2026-11-27");
    let id = jobs::enqueue(conn, &job, t0).unwrap().expect("queued");
    assert_eq!(
        jobs::enqueue(conn, &job, t0).unwrap(),
        None,
        "the same key again"
    );
    let failing = |_: &mut mspdesk::platform::db::AnyConnection,
                   _: &jobs::Claimed|
     -> Result<(), String> { Err("SMTP 451 try later".into()) };
    let lease = Duration::minutes(5);
    let turn = jobs::run_once(conn, "w1", t0, lease, &failing).unwrap();
    let Turn::Failed(_, Failed::Retry(at)) = turn else {
        panic!("{turn:?}")
    };
    assert_eq!(
        at,
        t0 + Duration::seconds(60),
        "30 s doubled after the first attempt"
    );
    assert_eq!(
        jobs::run_once(conn, "w1", t0, lease, &failing).unwrap(),
        Turn::Idle,
        "not before its time"
    );
    let turn = jobs::run_once(conn, "w1", at, lease, &failing).unwrap();
    let Turn::Failed(_, Failed::Retry(at)) = turn else {
        panic!("{turn:?}")
    };
    let turn = jobs::run_once(conn, "w1", at, lease, &failing).unwrap();
    assert_eq!(turn, Turn::Failed(id, Failed::Dead));
    assert_eq!(
        state(&app, id),
        ("dead".into(), 3, Some("SMTP 451 try later".into()))
    );
    assert_eq!(
        jobs::run_once(conn, "w1", at + Duration::days(9), lease, &failing).unwrap(),
        Turn::Idle
    );
}

#[actix_web::test]
async fn a_dead_workers_job_is_taken_over_and_the_late_effect_rolls_back() {
    let app = TestApp::spawn().await;
    let conn = &mut *app.conn();
    let t0 = now();
    let id = jobs::enqueue(conn, &NewJob::new("report", json!({}), t0), t0)
        .unwrap()
        .unwrap();
    let lease = Duration::minutes(5);
    // Worker 1 takes the job and "dies" (never completes).
    let held = jobs::claim(conn, "w1", t0, lease, None)
        .unwrap()
        .expect("claimed");
    assert_eq!((held.id, held.attempts), (id, 1));
    assert!(
        jobs::claim(conn, "w2", t0 + Duration::minutes(4), lease, None)
            .unwrap()
            .is_none(),
        "still leased"
    );
    // After the lease, worker 2 runs it; its effect is a row in another job's key.
    let effect = |conn: &mut mspdesk::platform::db::AnyConnection,
                  j: &jobs::Claimed|
     -> Result<(), String> {
        let marker = NewJob::new("effect", json!({}), now()).keyed(format!("effect-of-{}", j.id));
        jobs::enqueue(conn, &marker, now())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let later = t0 + Duration::minutes(6);
    assert_eq!(
        jobs::run_once(conn, "w2", later, lease, &effect).unwrap(),
        Turn::Done(id)
    );
    // Worker 1 comes back: it no longer holds the job, cannot complete it.
    assert!(!jobs::complete(conn, id, "w1", later).unwrap());
    assert_eq!(state(&app, id).0, "done");
    let effects: i64 = jobs_table::table
        .filter(jobs_table::idempotency_key.eq(format!("effect-of-{id}")))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(effects, 1, "the effect exists once");
}

#[actix_web::test]
async fn two_workers_draining_a_thousand_jobs_run_each_exactly_once() {
    let app = TestApp::spawn().await;
    let t0 = now();
    {
        let conn = &mut *app.conn();
        for i in 0..1000 {
            jobs::enqueue(conn, &NewJob::new("count", json!({ "n": i }), t0), t0)
                .unwrap()
                .unwrap();
        }
    }
    let ran: Arc<Mutex<HashMap<i64, usize>>> = Arc::default();
    let workers: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            let (pool, ran) = (app.pool.clone(), ran.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                let count = |_: &mut mspdesk::platform::db::AnyConnection,
                             j: &jobs::Claimed|
                 -> Result<(), String> {
                    *ran.lock().unwrap().entry(j.id).or_default() += 1;
                    Ok(())
                };
                let mut mine = 0;
                loop {
                    match jobs::run_once(&mut conn, name, now(), Duration::minutes(5), &count)
                        .unwrap()
                    {
                        Turn::Idle => break,
                        Turn::Done(_) => mine += 1,
                        other => panic!("{other:?}"),
                    }
                }
                mine
            })
        })
        .collect();
    let per_worker: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let ran = ran.lock().unwrap();
    assert_eq!(ran.len(), 1000, "every job ran");
    assert!(ran.values().all(|n| *n == 1), "none twice");
    assert_eq!(per_worker.iter().sum::<usize>(), 1000);
    let done: i64 = jobs_table::table
        .filter(jobs_table::state.eq("done"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(done, 1000);
}

#[actix_web::test]
async fn a_committed_change_leaves_one_event_and_dispatch_queues_its_jobs_once() {
    use mspdesk::domain::finance::invoices;
    use mspdesk::domain::outbox::event::EventKind;
    use mspdesk::domain::outbox::events;
    use mspdesk::domain::outbox::job_kind::JobKind;
    use mspdesk::domain::policy::Role;
    use mspdesk::domain::schema::events as events_table;
    use mspdesk::domain::scope::ClientId;
    let app = TestApp::spawn().await;
    let cid = ClientId(crate::fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = crate::finance::who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let lines = [crate::finance::line("Support", "1", "95", "", "")];
    let conn = &mut *app.conn();
    let kinds = |conn: &mut mspdesk::platform::db::AnyConnection| -> Vec<String> {
        events_table::table
            .filter(events_table::kind.like("invoices.%"))
            .order(events_table::id)
            .select(events_table::kind)
            .load(conn)
            .unwrap()
    };
    // A change that rolls back leaves no event.
    let _ = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        invoices::create_draft(conn, &acc, cid, &lines, "")
            .unwrap()
            .unwrap();
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(kinds(conn).is_empty());
    let id = invoices::create_draft(conn, &acc, cid, &lines, "")
        .unwrap()
        .unwrap();
    invoices::send(conn, &acc, cid, id).unwrap().unwrap();
    assert_eq!(kinds(conn), ["invoices.create", "invoices.send"]);
    let subscribers = [
        (EventKind::InvoiceSent, JobKind::InvoiceMail),
        (EventKind::InvoiceCreated, JobKind::InvoiceMail),
    ];
    assert_eq!(events::dispatch(conn, &subscribers, now()).unwrap(), 2);
    assert_eq!(
        events::dispatch(conn, &subscribers, now()).unwrap(),
        0,
        "dispatched once"
    );
    let queued: Vec<(String, Option<String>)> = jobs_table::table
        .order(jobs_table::kind)
        .select((jobs_table::kind, jobs_table::idempotency_key))
        .load(conn)
        .unwrap();
    assert_eq!(queued.len(), 2);
    assert_eq!(queued[0].0, "mail.invoice");
    assert!(queued[0]
        .1
        .as_deref()
        .unwrap()
        .starts_with("mail.invoice:event:"));
}

/// A page writes while the worker dispatches: the dispatch waits its turn and queues
/// the work, rather than failing with "database is locked" (SQLite upgrading a read
/// transaction whose snapshot the page's commit made stale).
#[actix_web::test]
async fn dispatching_events_waits_for_a_page_write_instead_of_failing() {
    use mspdesk::domain::outbox::event::{Event, EventKind};
    use mspdesk::domain::outbox::events;
    use mspdesk::domain::outbox::job_kind::JobKind;
    use mspdesk::domain::scope::ClientId;
    let app = TestApp::spawn().await;
    let client = ClientId(crate::fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let (_, cs) = mspdesk::domain::clients::scoped(&mut app.conn(), app.a.id, client).unwrap();
    let opened = Event::TicketOpened { client, ticket: 1 };
    events::publish(&mut app.conn(), &cs, &opened).unwrap();
    let (writing, written) = std::sync::mpsc::channel();
    let page = {
        let pool = app.pool.clone();
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            mspdesk::platform::db::write_transaction(&mut conn, |conn| {
                let e = Event::TicketReplied {
                    client,
                    ticket: 1,
                    reply: 2,
                };
                events::publish(conn, &cs, &e)?;
                writing.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
                Ok(())
            })
            .unwrap();
        })
    };
    written.recv().unwrap();
    let subscribers = [
        (EventKind::TicketOpened, JobKind::TicketMail),
        (EventKind::TicketReplied, JobKind::ReplyMail),
    ];
    let queued = events::dispatch(&mut app.conn(), &subscribers, now())
        .expect("the dispatch waits for the page's write");
    page.join().unwrap();
    let queued = queued + events::dispatch(&mut app.conn(), &subscribers, now()).unwrap();
    assert_eq!(queued, 2, "both events, each once");
}
