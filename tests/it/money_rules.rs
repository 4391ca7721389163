//! The money rules through their services, on both databases: quotes become invoices,
//! recurring invoices follow the month-end rule and are made once per period, unbilled
//! work is billed once even by two requests at once, and for random invoices with
//! random payments the figures always add up.

use chrono::NaiveDate;
use diesel::prelude::*;
use mspdesk::domain::clients::scoped;
use mspdesk::domain::finance::figures::{self, Of};
use mspdesk::domain::finance::lines::LineInput;
use mspdesk::domain::finance::quotes::{self, QuoteInput, Step};
use mspdesk::domain::finance::recurring::{self, TemplateInput};
use mspdesk::domain::finance::{invoices, payments, unbilled};
use mspdesk::domain::forms::FormInput;
use mspdesk::domain::policy::Role;
use mspdesk::domain::scheduling::trips::Trips;
use mspdesk::domain::schema::{invoices as invoices_table, ticket_replies};
use mspdesk::domain::scope::{ClientId, RecordId};
use mspdesk::domain::service_desk::{service, tickets::Tickets};

use crate::finance::{line, pay, who};
use crate::fixtures;
use crate::helpers::TestApp;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[actix_web::test]
async fn an_accepted_quote_becomes_a_draft_invoice_and_a_late_one_expires() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let (_, cs) = scoped(conn, app.a.id, cid).unwrap();
    let input = QuoteInput {
        lines: vec![line("Access points", "4", "340", "8.875", "")],
        expires_on: "2026-12-31".into(),
        notes: "Valid for 30 days".into(),
    };
    let today = day("2026-11-20");
    let q = quotes::save(conn, &acc, cid, None, &input, today)
        .unwrap()
        .unwrap();
    assert!(
        quotes::step(conn, &acc, cid, q, Some(Step::Accept))
            .unwrap()
            .is_err(),
        "a draft is sent before it is accepted"
    );
    quotes::step(conn, &acc, cid, q, Some(Step::Send))
        .unwrap()
        .unwrap();
    let invoice = quotes::step(conn, &acc, cid, q, Some(Step::Accept))
        .unwrap()
        .unwrap()
        .expect("accepting makes an invoice");
    let quote = quotes::find(conn, &cs, q.0).unwrap();
    let inv = invoices::find(conn, &cs, invoice.0).unwrap();
    assert_eq!(
        quote.invoice_id,
        Some(invoice.0),
        "the quote names its invoice"
    );
    assert_eq!(inv.quote_id, Some(q.0), "the invoice names its quote");
    assert_eq!((inv.status.name(), inv.total), ("draft", quote.total));
    assert_eq!(inv.total, 148_070, "4 × 340 + 8.875 % tax");

    // A quote past its date shows as expired and cannot be accepted.
    let past = day("2026-09-01");
    let input = QuoteInput {
        expires_on: "2026-09-30".into(),
        ..input
    };
    let old = quotes::save(conn, &acc, cid, None, &input, past)
        .unwrap()
        .unwrap();
    quotes::step(conn, &acc, cid, old, Some(Step::Send))
        .unwrap()
        .unwrap();
    let old_q = quotes::find(conn, &cs, old.0).unwrap();
    assert_eq!(old_q.shown_status(day("2026-11-27")), "Expired");
    let refused = quotes::step(conn, &acc, cid, old, Some(Step::Accept))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        mspdesk::web::finance::refused::quote(refused),
        "This quote has expired; send a new one."
    );
    // A new quote cannot already be out of date.
    let stale = QuoteInput {
        expires_on: "2026-01-01".into(),
        lines: vec![line("x", "1", "1", "", "")],
        notes: String::new(),
    };
    assert!(quotes::save(conn, &acc, cid, None, &stale, today)
        .unwrap()
        .is_err());
}

fn template(anchor: &str, months: &str, end: &str) -> TemplateInput {
    TemplateInput {
        name: "Managed services".into(),
        months: months.into(),
        anchor_date: anchor.into(),
        end_date: end.into(),
        active: true,
        notes: String::new(),
        lines: vec![line("Seats", "10", "45", "", "")],
    }
}

#[actix_web::test]
async fn recurring_invoices_follow_the_month_end_and_are_made_once_per_period() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let (_, cs) = scoped(conn, app.a.id, cid).unwrap();
    let rid = recurring::save(conn, &acc, cid, None, &template("2026-01-31", "1", ""))
        .unwrap()
        .unwrap();
    let t = recurring::find(conn, &cs, rid.0).unwrap();
    let five: Vec<String> = t.preview(5).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        five,
        [
            "2026-01-31",
            "2026-02-28",
            "2026-03-31",
            "2026-04-30",
            "2026-05-31"
        ]
    );
    let made = recurring::generate(conn, &acc, cid, rid, day("2026-04-30"))
        .unwrap()
        .unwrap();
    assert_eq!(made.len(), 4, "January to April: {made:?}");
    let again = recurring::generate(conn, &acc, cid, rid, day("2026-04-30"))
        .unwrap()
        .unwrap();
    assert!(again.is_empty(), "running it twice makes nothing new");
    let dates: Vec<Option<NaiveDate>> = invoices_table::table
        .filter(invoices_table::recurring_id.eq(rid.0))
        .order(invoices_table::period)
        .select(invoices_table::issue_date)
        .load(conn)
        .unwrap();
    assert_eq!(
        dates,
        ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"].map(|d| Some(day(d)))
    );
    let t = recurring::find(conn, &cs, rid.0).unwrap();
    assert_eq!(t.monthly(), 45_000);
    // Once it has invoiced, its schedule stays; an end date may still be set.
    let moved = recurring::save(conn, &acc, cid, Some(rid), &template("2026-02-15", "1", ""))
        .unwrap()
        .unwrap_err();
    assert!(moved[0].contains("first date and period stay"), "{moved:?}");
    recurring::save(
        conn,
        &acc,
        cid,
        Some(rid),
        &template("2026-01-31", "1", "2026-06-30"),
    )
    .unwrap()
    .unwrap();
    let ended = recurring::find(conn, &cs, rid.0).unwrap();
    assert_eq!((ended.next_period, ended.preview(5).len()), (4, 2));
    // Quarterly, ending in the summer: two periods in the year, then none.
    let q = recurring::save(
        conn,
        &acc,
        cid,
        None,
        &template("2026-01-15", "3", "2026-06-30"),
    )
    .unwrap()
    .unwrap();
    let made = recurring::generate(conn, &acc, cid, q, day("2026-12-31"))
        .unwrap()
        .unwrap();
    assert_eq!(made.len(), 2);
    assert!(recurring::find(conn, &cs, q.0)
        .unwrap()
        .preview(5)
        .is_empty());
    let errors = recurring::save(
        conn,
        &acc,
        cid,
        None,
        &template("2026-05-01", "0", "2026-01-01"),
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "Every: a number of months from 1 to 120.",
            "Ends: the end is before the first invoice."
        ]
    );
}

#[actix_web::test]
async fn unbilled_work_is_billed_once_even_by_two_requests_at_once() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let ticket = fixtures::row::<Tickets>(
        &app,
        app.a.id,
        cid,
        &[("subject", "VPN"), ("priority", "medium")],
    );
    fixtures::row::<Trips>(
        &app,
        app.a.id,
        cid,
        &[
            ("purpose", "Visit"),
            ("start_date", "2026-11-20"),
            ("mileage", "10"),
            ("rate_per_mile", "0.5"),
            ("billable", "on"),
        ],
    );
    let tech = who(&app, &app.a, &app.a.tech, Role::Tech);
    let mut reply = FormInput::default();
    reply.set("body", "Fixed the tunnel.");
    reply.set("minutes", "25");
    reply.set("billable", "on");
    service::reply(
        &mut app.conn(),
        &tech,
        ClientId(cid),
        RecordId(ticket),
        &reply,
    )
    .unwrap()
    .unwrap();
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let (_, cs) = scoped(&mut app.conn(), app.a.id, ClientId(cid)).unwrap();
    let items = unbilled::list(&mut app.conn(), &cs).unwrap();
    let keys: Vec<String> = items.iter().map(|i| i.key()).collect();
    assert_eq!(items.len(), 2, "{keys:?}");
    // 25 min at 100.00/h = 41.666… → 41.67; 10 mi × 0.50 = 5.00.
    assert_eq!(
        items.iter().map(|i| i.amount).collect::<Vec<_>>(),
        [4167, 500]
    );

    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (pool, acc, keys) = (app.pool.clone(), acc.clone(), keys.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                unbilled::bill(&mut conn, &acc, ClientId(cid), &keys)
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let billed: Vec<RecordId> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().and_then(|r| r.as_ref().ok()).copied())
        .collect();
    assert_eq!(billed.len(), 1, "one request bills: {results:?}");
    let conn = &mut *app.conn();
    let drafts: i64 = invoices_table::table.count().get_result(conn).unwrap();
    assert_eq!(drafts, 1, "the other wrote nothing");
    let inv = invoices::find(conn, &cs, billed[0].0).unwrap();
    assert_eq!(inv.total, 4667);
    assert!(unbilled::list(conn, &cs).unwrap().is_empty());
    // Voiding the draft frees the work for another invoice.
    invoices::void(conn, &acc, ClientId(cid), billed[0])
        .unwrap()
        .unwrap();
    assert_eq!(unbilled::list(conn, &cs).unwrap().len(), 2);
    let freed: i64 = ticket_replies::table
        .filter(ticket_replies::invoice_id.is_null())
        .filter(ticket_replies::billable.eq(true))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(freed, 1);
}

/// A small deterministic generator (no extra crate for one property test).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[actix_web::test]
async fn for_random_invoices_and_payments_the_figures_add_up() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let (_, cs) = scoped(conn, app.a.id, cid).unwrap();
    let mut rng = Lcg(7);
    let mut owed = 0;
    for _ in 0..30 {
        let lines: Vec<LineInput> = (0..1 + rng.next(4))
            .map(|k| {
                line(
                    &format!("Item {k}"),
                    &format!("{}.{}", rng.next(20), rng.next(100)),
                    &format!("{}.{:02}", rng.next(500), rng.next(100)),
                    &format!("{}.{}", rng.next(25), rng.next(1000)),
                    &format!("{}", rng.next(30)),
                )
            })
            .collect();
        let id = invoices::create_draft(conn, &acc, cid, &lines, "")
            .unwrap()
            .unwrap();
        invoices::send(conn, &acc, cid, id).unwrap().unwrap();
        let inv = invoices::find(conn, &cs, id.0).unwrap();
        let stored = mspdesk::domain::finance::lines::load(
            conn,
            cs.tenant(),
            mspdesk::domain::finance::lines::Doc::Invoice(id.0),
        )
        .unwrap();
        assert_eq!(stored.iter().map(|l| l.amount).sum::<i64>(), inv.subtotal);
        assert_eq!(inv.subtotal + inv.tax - inv.discount, inv.total);
        // Pay a random part, sometimes all, in one or two payments.
        for _ in 0..rng.next(3) {
            let inv = invoices::find(conn, &cs, id.0).unwrap();
            if inv.balance() == 0 {
                break;
            }
            let part = 1 + rng.next(inv.balance() as u64) as i64;
            let amount = format!("{}.{:02}", part / 100, part % 100);
            payments::record(conn, &acc, cid, id, &pay(&amount))
                .unwrap()
                .unwrap();
        }
        let inv = invoices::find(conn, &cs, id.0).unwrap();
        assert_eq!(inv.paid + inv.balance(), inv.total, "{inv:?}");
        let expected = match inv.paid {
            0 => "sent",
            p if p == inv.total => "paid",
            _ => "partial",
        };
        assert_eq!(inv.status.name(), expected);
        owed += inv.balance();
    }
    let f = figures::of(conn, Of::Client(&cs), chrono::Utc::now().date_naive()).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].balance, owed,
        "the billing tab's balance is the sum of balances"
    );
    assert_eq!(f[0].aging.iter().sum::<i64>(), owed);
}
