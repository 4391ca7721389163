//! The scheduler over 400 simulated days: the clock is the test's, the days have random
//! downtime gaps, and every round goes through the job queue as in production. What it
//! made — tickets, invoices, expiry and overdue notices — is compared with what the
//! test computes on its own from the rules, and nothing is made twice.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use mspdesk::domain::assets::devices::Assets;
use mspdesk::domain::automation::scheduler;
use mspdesk::domain::automation::settings::{self, ScheduleInput};
use mspdesk::domain::documentation::certificates::Certificates;
use mspdesk::domain::documentation::domains::Domains;
use mspdesk::domain::documentation::licenses::Licenses;
use mspdesk::domain::finance::recurring::{self as billing, TemplateInput};
use mspdesk::domain::outbox::job_kind::JobKind;
use mspdesk::domain::outbox::jobs::{self, Turn};
use mspdesk::domain::policy::Role;
use mspdesk::domain::scheduling::recurring::RecurringTickets;
use mspdesk::domain::schema::{
    client_certificates, invoices, jobs as jobs_table, mails, notices, tickets,
};
use mspdesk::domain::scope::ClientId;
use mspdesk::ops::handlers::{Context, Jobs};
use mspdesk::platform::db::AnyConnection;

use crate::finance::{line, who};
use crate::fixtures;
use crate::helpers::{Tenant, TestApp};

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_hms_opt(h, m, 0).unwrap()
}

/// The UTC instant of a wall-clock time in `tz` (the test avoids the DST gap hour).
fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// The same day of month `n` months on, or the month's last day (computed here, not
/// with the product's schedule code).
fn month_on(first: NaiveDate, n: u32) -> NaiveDate {
    let months = first.year() * 12 + first.month0() as i32 + n as i32;
    let (y, m) = (months / 12, (months % 12 + 1) as u32);
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let last = NaiveDate::from_ymd_opt(next.0, next.1, 1)
        .unwrap()
        .pred_opt()
        .unwrap();
    NaiveDate::from_ymd_opt(y, m, first.day())
        .unwrap_or(last)
        .min(last)
}

fn configure(app: &TestApp, t: &Tenant, zone: &str, catch_up: &str, overdue: &str) {
    let admin = who(app, t, &t.admin, Role::Admin);
    let input = ScheduleInput {
        time_zone: zone.into(),
        catch_up: catch_up.into(),
        leads: "30, 7, 1, 0".into(),
        quiet_auto_renew: Some("on".into()),
        overdue_days: overdue.into(),
        ..ScheduleInput::default()
    };
    settings::save(&mut app.conn(), &admin, &input)
        .unwrap()
        .unwrap();
}

/// Plans this minute's rounds and runs every due job, as a worker would at `now`.
fn tick(conn: &mut AnyConnection, ctx: &Context, now: DateTime<Utc>) {
    scheduler::plan(conn, now.naive_utc()).unwrap();
    let handler = Jobs { ctx, now };
    for _ in 0..100 {
        match jobs::run_once(conn, "sim", now.naive_utc(), Duration::minutes(5), &handler).unwrap()
        {
            Turn::Idle => return,
            Turn::Done(_) | Turn::Failed(..) => {}
        }
    }
    panic!("the queue did not drain");
}

fn recurring(
    app: &TestApp,
    t: &Tenant,
    cid: i64,
    name: &str,
    freq: &str,
    first: &str,
    tech: Option<i64>,
) -> i64 {
    let tech = tech.map(|id| id.to_string()).unwrap_or_default();
    fixtures::row::<RecurringTickets>(
        app,
        t.id,
        cid,
        &[
            ("name", name),
            ("frequency", freq),
            ("next_run_date", first),
            ("active", "on"),
            ("subject", name),
            ("priority", "medium"),
            ("assignee_id", &tech),
            ("description", "Opened by the schedule."),
        ],
    )
}

/// The runs of one template that have a ticket, by (ticket's template, run).
fn runs_of(conn: &mut AnyConnection, template: i64) -> Vec<NaiveDateTime> {
    tickets::table
        .filter(tickets::recurring_ticket_id.eq(template))
        .select(tickets::recurring_run_at.assume_not_null())
        .order(tickets::recurring_run_at)
        .load(conn)
        .unwrap()
}

#[actix_web::test]
async fn four_hundred_days_with_downtime_make_exactly_the_expected_work() {
    let app = TestApp::spawn().await;
    let ctx = Context {
        vault: std::sync::Arc::new(mspdesk::platform::vault::Vault::open(&app.data_dir).unwrap()),
        mailer: None,
        backup: None,
        print_invoice: mspdesk::web::finance::invoices::printable,
    };
    let (ny, berlin): (Tz, Tz) = (
        "America/New_York".parse().unwrap(),
        "Europe/Berlin".parse().unwrap(),
    );
    configure(&app, &app.a, "America/New_York", "all", "7");
    configure(&app, &app.b, "Europe/Berlin", "latest", "");

    // Tenant A: a client on 14-day terms with two schedules, a monthly invoice and
    // dated records of every kind.
    let cid = fixtures::client_with(&mut app.conn(), app.a.id, "Acme", |_, b| b.net_terms = 14);
    let tech = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let month_end = recurring(
        &app,
        &app.a,
        cid,
        "Month-end backup check",
        "monthly",
        "2027-01-31 09:00",
        Some(tech),
    );
    let weekly = recurring(
        &app,
        &app.a,
        cid,
        "Weekly patch review",
        "weekly",
        "2027-01-04 08:00",
        None,
    );
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let plan = TemplateInput {
        name: "Managed services".into(),
        months: "1".into(),
        anchor_date: "2027-01-15".into(),
        active: true,
        lines: vec![line("Managed services", "1", "500", "", "")],
        ..TemplateInput::default()
    };
    billing::save(&mut app.conn(), &acc, ClientId(cid), None, &plan)
        .unwrap()
        .unwrap();
    let license = fixtures::row::<Licenses>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Office 365"),
            ("seats", "10"),
            ("expiry_date", "2027-03-10"),
        ],
    );
    let cert = fixtures::row::<Certificates>(
        &app,
        app.a.id,
        cid,
        &[("name", "Portal TLS"), ("expiry_date", "2027-05-20")],
    );
    fixtures::row::<Domains>(
        &app,
        app.a.id,
        cid,
        &[
            ("domain_name", "acme.example"),
            ("expiry_date", "2027-06-01"),
            ("auto_renewal", "on"),
        ],
    );
    fixtures::row::<Assets>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Old NAS"),
            ("status", "disposed"),
            ("warranty_expiry", "2027-04-01"),
        ],
    );
    let server = fixtures::row::<Assets>(
        &app,
        app.a.id,
        cid,
        &[("name", "FW01"), ("warranty_expiry", "2027-08-15")],
    );
    // Tenant B: only the latest missed run of a weekly schedule opens a ticket.
    let bid = fixtures::client(&mut app.conn(), app.b.id, "Bravo");
    let b_weekly = recurring(
        &app,
        &app.b,
        bid,
        "Backup restore test",
        "weekly",
        "2027-01-06 10:00",
        None,
    );

    let start = date("2027-01-01");
    let renewed_on = date("2027-05-12");
    let mut rng = Rng(0x5eed_2027);
    let mut down_until = start;
    let mut ticks = vec![];
    let conn = &mut *app.conn();
    for day in 0..400 {
        let today = start + Duration::days(day);
        let last = day == 399;
        if today == renewed_on {
            diesel::update(client_certificates::table.find(cert))
                .set(client_certificates::expiry_date.eq(date("2027-11-20")))
                .execute(conn)
                .unwrap();
        }
        if !last && (today < down_until || rng.below(100) < 5) {
            if today >= down_until {
                down_until = today + Duration::days(1 + rng.below(10) as i64);
            }
            continue;
        }
        // Any hour but New York's 02:00 (the spring-forward gap); the last at 23:40.
        let hour = if last {
            23
        } else {
            [0, 1, 3, 6, 9, 12, 15, 18, 21, 23][rng.below(10) as usize]
        };
        let now = instant(ny, at(today, hour, if last { 40 } else { 17 }));
        tick(conn, &ctx, now);
        ticks.push(now);
    }
    assert!(
        ticks.len() < 380,
        "the run had downtime ({} ticks)",
        ticks.len()
    );
    let end = ticks.last().unwrap().with_timezone(&ny).naive_local();

    // Every round ran to the end.
    let failed: Vec<(String, Option<String>)> = jobs_table::table
        .filter(jobs_table::kind.eq(JobKind::SchedulerRound))
        .filter(jobs_table::state.ne("done"))
        .select((jobs_table::state, jobs_table::last_error))
        .load(conn)
        .unwrap();
    assert_eq!(failed, vec![], "rounds that did not finish");

    // Tenant A: every run up to the last tick, once, on the anchor's day of month.
    let expected: Vec<NaiveDateTime> = (0..)
        .map(|n| at(month_on(date("2027-01-31"), n), 9, 0))
        .take_while(|r| *r <= end)
        .collect();
    assert_eq!(runs_of(conn, month_end), expected);
    assert!(expected.iter().any(|r| r.date() == date("2027-04-30")));
    assert!(expected.iter().any(|r| r.date() == date("2027-05-31")));
    let expected: Vec<NaiveDateTime> = (0..)
        .map(|n| at(date("2027-01-04") + Duration::weeks(n), 8, 0))
        .take_while(|r| *r <= end)
        .collect();
    assert_eq!(runs_of(conn, weekly), expected);
    let assigned: Vec<Option<i64>> = tickets::table
        .filter(tickets::recurring_ticket_id.eq(month_end))
        .select(tickets::assignee_id)
        .distinct()
        .load(conn)
        .unwrap();
    assert_eq!(
        assigned,
        vec![Some(tech)],
        "auto-assigned to the template's technician"
    );

    // Tenant B: at each tick, only the latest run due since the previous one.
    let b_run = |n: u32| at(date("2027-01-06") + Duration::weeks(n as i64), 10, 0);
    let (mut next, mut expected) = (0u32, vec![]);
    for t in &ticks {
        let local = t.with_timezone(&berlin).naive_local();
        let due: Vec<u32> = (next..).take_while(|n| b_run(*n) <= local).collect();
        if let Some(&last) = due.last() {
            expected.push(b_run(last));
            next = last + 1;
        }
    }
    assert_eq!(runs_of(conn, b_weekly), expected);
    let all_runs = (0..).take_while(|n| b_run(*n) <= end).count();
    assert!(expected.len() < all_runs, "downtime skipped some runs");

    // Invoices: one per month on the 15th, dated on its period.
    let made: Vec<(Option<NaiveDate>, Option<NaiveDate>)> = invoices::table
        .filter(invoices::client_id.eq(cid))
        .order(invoices::issue_date)
        .select((invoices::issue_date, invoices::due_date))
        .load(conn)
        .unwrap();
    let periods: Vec<NaiveDate> = (0..)
        .map(|n| month_on(date("2027-01-15"), n))
        .take_while(|d| *d <= end.date())
        .collect();
    let issued: Vec<NaiveDate> = made.iter().filter_map(|m| m.0).collect();
    assert_eq!(issued, periods);

    // Expiry notices: each threshold of each watched date once, once a tick passed it.
    let mut expected = BTreeSet::new();
    for t in &ticks {
        let today = t.with_timezone(&ny).date_naive();
        let cert_date = if today < renewed_on {
            date("2027-05-20")
        } else {
            date("2027-11-20")
        };
        for (kind, id, due) in [
            ("licenses", license, date("2027-03-10")),
            ("certificates", cert, cert_date),
            ("assets", server, date("2027-08-15")),
        ] {
            for lead in [30, 7, 1, 0] {
                if due - Duration::days(lead) <= today && today <= due + Duration::days(30) {
                    expected.insert((kind.to_string(), id, due, lead as i32));
                }
            }
        }
    }
    let noticed: Vec<(String, i64, NaiveDate, i32)> = notices::table
        .filter(notices::tenant_id.eq(app.a.id.get()))
        .filter(notices::kind.eq("expiry"))
        .select((
            notices::subject,
            notices::subject_id,
            notices::due_on,
            notices::lead_days,
        ))
        .load(conn)
        .unwrap();
    assert!(
        expected.len() >= 12,
        "three items, four thresholds: {expected:?}"
    );
    assert_eq!(noticed.len(), expected.len(), "no notice twice");
    assert_eq!(noticed.into_iter().collect::<BTreeSet<_>>(), expected);

    // One digest a day at most, and every notice went into one.
    let unmailed: i64 = notices::table
        .filter(notices::kind.eq("expiry"))
        .filter(notices::mailed_at.is_null())
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(unmailed, 0);
    let days: BTreeSet<NaiveDate> = notices::table
        .filter(notices::tenant_id.eq(app.a.id.get()))
        .filter(notices::kind.eq("expiry"))
        .select(notices::noticed_on)
        .load(conn)
        .unwrap()
        .into_iter()
        .collect();
    let digests: Vec<String> = mails::table
        .filter(mails::kind.eq("digest"))
        .select(mails::to_addr)
        .load(conn)
        .unwrap();
    assert_eq!(digests.len(), days.len(), "one digest per day with news");
    assert!(digests.iter().all(|to| *to == app.a.admin));

    // Overdue reminders: each unpaid invoice once, 7 days after its due date.
    let expected: BTreeSet<NaiveDate> = made
        .iter()
        .filter_map(|m| m.1)
        .filter(|due| {
            ticks.iter().any(|t| {
                let today = t.with_timezone(&ny).date_naive();
                *due + Duration::days(7) <= today && today <= *due + Duration::days(37)
            })
        })
        .collect();
    let reminded: Vec<NaiveDate> = notices::table
        .filter(notices::kind.eq("overdue"))
        .select(notices::due_on)
        .load(conn)
        .unwrap();
    assert!(expected.len() >= 10, "a year of unpaid invoices");
    assert_eq!(reminded.len(), expected.len(), "no reminder twice");
    assert_eq!(reminded.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[actix_web::test]
async fn two_schedulers_at_once_open_one_ticket_per_run() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let template = recurring(
        &app,
        &app.a,
        cid,
        "Daily check",
        "daily",
        "2027-03-01 07:00",
        None,
    );
    let vault = std::sync::Arc::new(mspdesk::platform::vault::Vault::open(&app.data_dir).unwrap());
    let now = Utc.with_ymd_and_hms(2027, 3, 5, 12, 0, 0).unwrap();
    let tenant = app.a.id;
    let rounds: Vec<_> = (0..2)
        .map(|_| {
            let (pool, vault) = (app.pool.clone(), vault.clone());
            std::thread::spawn(move || {
                let conn = &mut *pool.get().unwrap();
                scheduler::round(conn, &vault, tenant, now).map(|r| r.tickets)
            })
        })
        .collect();
    let made: Vec<usize> = rounds
        .into_iter()
        .filter_map(|h| h.join().unwrap().ok())
        .collect();
    assert!(!made.is_empty(), "one of them ran");
    let conn = &mut *app.conn();
    let runs = runs_of(conn, template);
    assert_eq!(runs.len(), 5, "1 to 5 March, once each: {runs:?}");
    // Again later the same day: nothing new.
    scheduler::round(conn, &vault, tenant, now + Duration::hours(3)).unwrap();
    assert_eq!(runs_of(conn, template).len(), 5);
}
