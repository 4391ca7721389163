//! Mail through a real SMTP server over TCP (`smtp::Sink`): an invoice that is sent
//! reaches the billing contact with both parts and the printable invoice attached,
//! after the server refused the first attempt; a new ticket reaches its contact and
//! technician; without SMTP settings mail waits, visibly; a worker killed in the middle
//! of delivering leaves the job to be run again after its lease, once.

use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::automation::mails::{self, Draft};
use mspdesk::domain::directory::contacts::Contacts;
use mspdesk::domain::finance::invoices;
use mspdesk::domain::outbox::events;
use mspdesk::domain::outbox::jobs::{self, Turn};
use mspdesk::domain::policy::Role;
use mspdesk::domain::schema::{jobs as jobs_table, mails as mails_table};
use mspdesk::domain::scope::ClientId;
use mspdesk::ops::handlers::{Context, Jobs, SUBSCRIBERS};
use mspdesk::platform::db::AnyConnection;
use mspdesk::platform::mail::Mailer;

use crate::finance::{line, who};
use crate::fixtures;
use crate::helpers::TestApp;
use crate::smtp::Sink;

pub fn context(app: &TestApp, smtp: Option<&Sink>) -> Context {
    Context {
        vault: std::sync::Arc::new(mspdesk::platform::vault::Vault::open(&app.data_dir).unwrap()),
        mailer: smtp.map(|s| {
            Mailer::configured(&s.url(), "Alpha Desk <desk@alpha.test>")
                .unwrap()
                .unwrap()
        }),
        backup: None,
        print_invoice: mspdesk::web::finance::invoices::printable,
    }
}

/// What a worker does at `now`: dispatch events, then run every due job.
pub fn work(conn: &mut AnyConnection, ctx: &Context, now: DateTime<Utc>) -> Vec<Turn> {
    events::dispatch(conn, SUBSCRIBERS, now.naive_utc()).unwrap();
    let handler = Jobs { ctx, now };
    let mut turns = vec![];
    loop {
        match jobs::run_once(
            conn,
            "test",
            now.naive_utc(),
            Duration::minutes(5),
            &handler,
        )
        .unwrap()
        {
            Turn::Idle => return turns,
            turn => turns.push(turn),
        }
        assert!(turns.len() < 100, "the queue does not drain: {turns:?}");
    }
}

fn recent(app: &TestApp) -> Vec<mails::Sent> {
    mails::recent(&mut app.conn(), app.a.id, 50).unwrap()
}

#[actix_web::test]
async fn a_sent_invoice_arrives_with_both_parts_and_the_invoice_after_one_refusal() {
    let app = TestApp::spawn().await;
    let sink = Sink::start(1);
    let ctx = context(&app, Some(&sink));
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Pat Payables"),
            ("email", "ap@acme.test"),
            ("billing", "on"),
        ],
    );
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let draft = invoices::create_draft(
        conn,
        &acc,
        ClientId(cid),
        &[line("Managed services", "1", "500", "", "")],
        "",
    )
    .unwrap()
    .unwrap();
    let reference = invoices::send(conn, &acc, ClientId(cid), draft)
        .unwrap()
        .unwrap();

    let now = Utc::now();
    work(conn, &ctx, now);
    assert!(
        sink.messages().is_empty(),
        "the server refused the first attempt"
    );
    assert_eq!(sink.refusals_left(), 0);
    let waiting = recent(&app);
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].state(), "retrying");
    assert!(
        waiting[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("451"),
        "{waiting:?}"
    );

    // The queue tries again after its backoff.
    work(conn, &ctx, now + Duration::minutes(2));
    let got = sink.messages();
    assert_eq!(got.len(), 1, "delivered once");
    let m = &got[0];
    assert_eq!(m.to, ["ap@acme.test"]);
    assert_eq!(m.from, "desk@alpha.test");
    assert_eq!(
        m.header("Subject").unwrap(),
        format!("Invoice {reference} from Alpha IT")
    );
    let body = m.decoded();
    assert!(body.contains("Content-Type: text/plain"), "{body}");
    assert!(body.contains("Content-Type: text/html"), "{body}");
    assert!(
        body.contains(&format!(
            "please find attached invoice {reference} for USD 500.00"
        )),
        "{body}"
    );
    assert!(
        body.contains(&format!("filename=\"{reference}.html\"")),
        "{body}"
    );
    assert_eq!(recent(&app)[0].state(), "sent");
}

#[actix_web::test]
async fn a_new_ticket_reaches_its_contact_and_technician_and_mail_waits_without_smtp() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let contact = fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "Sam User"), ("email", "sam@acme.test")],
    );
    let tech = fixtures::user_id(&mut app.conn(), &app.a.tech);
    crate::notifications::open_ticket(&app, cid, contact, tech, "Printer offline");

    // No SMTP settings: the messages are written and wait.
    let conn = &mut *app.conn();
    work(conn, &context(&app, None), Utc::now());
    let waiting = recent(&app);
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|m| m.state() == "queued"), "{waiting:?}");

    // With a server, both arrive.
    let sink = Sink::start(0);
    work(conn, &context(&app, Some(&sink)), Utc::now());
    let mut to: Vec<String> = sink.messages().iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["sam@acme.test", app.a.tech.as_str()]);
    let m = &sink.messages()[0];
    assert!(m.header("Subject").unwrap().ends_with("] Printer offline"));
    assert!(m.decoded().contains("Priority: medium."));
}

#[actix_web::test]
async fn a_worker_killed_while_sending_leaves_the_mail_to_be_sent_once() {
    let app = TestApp::spawn().await;
    let stalled = Sink::stalled();
    let now = Utc::now();
    let draft = Draft {
        kind: "test",
        to: "ops@acme.test",
        subject: "Lease test",
        text: "Hello",
        html: "<p>Hello</p>",
        attachment: None,
    };
    let id = mails::queue(&mut app.conn(), app.a.id, &draft, now.naive_utc()).unwrap();
    let mut worker = Command::new(env!("CARGO_BIN_EXE_mspdesk"))
        .arg("worker")
        .env("DATABASE_URL", &app.url)
        .env("MSPDESK_DATA_DIR", &app.data_dir)
        .env("MSPDESK_JOB_WORKERS", "1")
        .env("MSPDESK_JOB_LEASE_SECS", "2")
        .env("MSPDESK_SMTP_URL", stalled.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let key = format!("mail.send:{id}");
    let job = || -> (String, i32, Option<String>) {
        jobs_table::table
            .filter(jobs_table::idempotency_key.eq(&key))
            .select((
                jobs_table::state,
                jobs_table::attempts,
                jobs_table::locked_by,
            ))
            .first(&mut app.conn())
            .unwrap()
    };
    let started = Instant::now();
    while job().0 != "running" {
        assert!(
            started.elapsed() < StdDuration::from_secs(30),
            "the worker never took the job"
        );
        std::thread::sleep(StdDuration::from_millis(100));
    }
    let (_, attempts, holder) = job();
    assert_eq!(attempts, 1);
    assert!(holder.unwrap().starts_with(&format!("w{}-", worker.id())));
    worker.kill().unwrap(); // SIGKILL: no chance to finish or release
    worker.wait().unwrap();
    assert_eq!(job().0, "running", "still held by the dead worker");

    // After the lease, another worker takes it over and delivers it.
    let sink = Sink::start(0);
    let later = Utc::now() + Duration::seconds(3);
    work(&mut app.conn(), &context(&app, Some(&sink)), later);
    assert_eq!(sink.messages().len(), 1, "sent once");
    let (state, attempts, _) = job();
    assert_eq!((state.as_str(), attempts), ("done", 2));
    let sent: Option<chrono::NaiveDateTime> = mails_table::table
        .find(id)
        .select(mails_table::sent_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(sent.is_some());
}

#[actix_web::test]
async fn admins_see_failed_jobs_retry_them_and_set_the_scheduler() {
    let app = TestApp::spawn().await;
    let draft = Draft {
        kind: "test",
        to: "ops@acme.test",
        subject: "Quarterly review",
        text: "Hello",
        html: "<p>Hello</p>",
        attachment: None,
    };
    let id = mails::queue(&mut app.conn(), app.a.id, &draft, Utc::now().naive_utc()).unwrap();
    let key = format!("mail.send:{id}");
    diesel::update(jobs_table::table.filter(jobs_table::idempotency_key.eq(&key)))
        .set((
            jobs_table::state.eq("dead"),
            jobs_table::attempts.eq(5),
            jobs_table::last_error.eq("SMTP: permanent error (550): mailbox unavailable"),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let admin = app.login(&app.a.admin).await;
    let mail = admin.get("/admin/mail").await;
    assert!(
        mail.body.contains("Quarterly review") && mail.body.contains("failed"),
        "{}",
        mail.body
    );
    let page = admin.get("/admin/jobs?state=dead").await;
    assert!(page.body.contains("mailbox unavailable"));
    let job: i64 = jobs_table::table
        .filter(jobs_table::idempotency_key.eq(&key))
        .select(jobs_table::id)
        .first(&mut app.conn())
        .unwrap();
    let done = admin.post(&format!("/admin/jobs/{job}/retry"), &[]).await;
    assert_eq!(done.status, 303);
    let (state, attempts): (String, i32) = jobs_table::table
        .find(job)
        .select((jobs_table::state, jobs_table::attempts))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 0));
    // Another tenant's admin cannot touch it.
    let other = app.login(&app.b.admin).await;
    assert_eq!(
        other
            .post(&format!("/admin/jobs/{job}/cancel"), &[])
            .await
            .status,
        404
    );

    let bad = [
        ("time_zone", "Mars/Olympus"),
        ("catch_up", "all"),
        ("leads", "30, 7"),
        ("overdue_days", ""),
    ];
    let refused = admin.post("/admin/scheduler", &bad).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("is not a time zone name") && refused.body.contains("Mars/Olympus")
    );
    let good = [
        ("time_zone", "Europe/Berlin"),
        ("catch_up", "latest"),
        ("leads", "14, 3, 0"),
        ("overdue_days", "10"),
        ("sender_name", "Alpha Service Desk"),
    ];
    assert_eq!(admin.post("/admin/scheduler", &good).await.status, 303);
    let s = mspdesk::domain::automation::settings::load(&mut app.conn(), app.a.id).unwrap();
    assert_eq!(
        (s.time_zone.name(), s.leads.clone(), s.overdue_days),
        ("Europe/Berlin", vec![14, 3, 0], Some(10))
    );
    let tech = app.login(&app.a.tech).await;
    assert_eq!(tech.get("/admin/jobs").await.status, 403);

    // The scheduler's finished rounds (one a minute) stay out of the default list.
    let now = Utc::now();
    mspdesk::domain::automation::scheduler::plan(&mut app.conn(), now.naive_utc()).unwrap();
    work(&mut app.conn(), &context(&app, None), now);
    assert!(!admin
        .get("/admin/jobs")
        .await
        .body
        .contains("scheduler.round"));
    assert!(admin
        .get("/admin/jobs?state=done")
        .await
        .body
        .contains("scheduler.round"));
}
