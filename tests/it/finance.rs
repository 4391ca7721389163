//! Invoices and payments through their services (the pages come next): exact totals
//! stored and read back on both databases, gap-free numbers under concurrent sends,
//! partial payments, refused over-payment, void, and the accountant-only policy.

use mspdesk::domain::finance::invoices;
use mspdesk::domain::finance::lines::LineInput;
use mspdesk::domain::finance::payments::{self, PaymentInput};
use mspdesk::domain::scope::{ClientId, RecordId, Who};

use mspdesk::domain::tenancy::users::{self, Role};
use mspdesk::error::AppError;

use crate::fixtures;
use crate::helpers::{Tenant, TestApp};

/// The account `email` of tenant `t` as the services take it (acting from the shell).
pub fn who(app: &TestApp, t: &Tenant, email: &str, role: Role) -> Who {
    let accounts = users::find_all_by_email(&mut app.conn(), email).unwrap();
    let (user, _) = accounts
        .into_iter()
        .find(|(u, _)| u.tenant() == t.id)
        .expect("the account");
    assert_eq!(user.role(), role, "{email} has another role");
    Who::shell(&user, "test", mspdesk::platform::clock::Clock::System)
}

pub fn line(d: &str, q: &str, p: &str, tax: &str, disc: &str) -> LineInput {
    LineInput {
        description: d.into(),
        quantity: q.into(),
        unit_price: p.into(),
        tax_percent: tax.into(),
        discount_percent: disc.into(),
    }
}

/// The hand-computed lines of `finance::totals`: 142.50 + 12.65 tax, 59.97 − 6.00, 2.33.
fn worked_example() -> Vec<LineInput> {
    vec![
        line("Remote support", "1.5", "95.00", "8.875", "0"),
        line("USB-C adapters", "3", "19.99", "0", "10"),
        line("Cable ties", "7", "0.333", "0", "0"),
    ]
}

pub fn pay(amount: &str) -> PaymentInput {
    PaymentInput {
        amount: amount.into(),
        paid_on: "2026-11-20".into(),
        method: "bank_transfer".into(),
        reference: "SEPA 123".into(),
    }
}

#[actix_web::test]
async fn an_invoice_is_sent_with_a_number_and_paid_in_parts() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let id = invoices::create_draft(conn, &acc, cid, &worked_example(), "Thank you")
        .unwrap()
        .unwrap();
    let (_, cs) = mspdesk::domain::clients::scoped(conn, app.a.id, cid).unwrap();
    let inv = invoices::find(conn, &cs, id.0).unwrap();
    assert_eq!(
        (inv.subtotal, inv.discount, inv.tax, inv.total),
        (14250 + 5997 + 233, 600, 1265, 21145),
        "stored exactly and read back"
    );
    assert_eq!(inv.status.name(), "draft");
    assert_eq!(inv.number, None, "a draft has no number");
    // Payments wait for the invoice to be sent.
    assert!(payments::record(conn, &acc, cid, id, &pay("10"))
        .unwrap()
        .is_err());

    let reference = invoices::send(conn, &acc, cid, id).unwrap().unwrap();
    assert!(
        reference.starts_with("INV-") && reference.ends_with("-1001"),
        "{reference}"
    );
    assert!(
        invoices::send(conn, &acc, cid, id).unwrap().is_err(),
        "sent once"
    );
    let inv = invoices::find(conn, &cs, id.0).unwrap();
    assert_eq!(
        inv.due_date,
        inv.issue_date.map(|d| d + chrono::Duration::days(30))
    );

    let first = payments::record(conn, &acc, cid, id, &pay("100.00"))
        .unwrap()
        .unwrap();
    let inv = invoices::find(conn, &cs, id.0).unwrap();
    assert_eq!((inv.status.name(), inv.balance()), ("partial", 11145));
    let over = payments::record(conn, &acc, cid, id, &pay("111.46")).unwrap();
    assert_eq!(
        mspdesk::web::finance::refused::payment(&over.unwrap_err()),
        "That is more than the 111.45 USD still owed."
    );
    assert!(payments::record(conn, &acc, cid, id, &pay("0"))
        .unwrap()
        .is_err());
    assert!(
        payments::record(conn, &acc, cid, id, &pay("1.001"))
            .unwrap()
            .is_err(),
        "cents only"
    );
    payments::record(conn, &acc, cid, id, &pay("111.45"))
        .unwrap()
        .unwrap();
    let inv = invoices::find(conn, &cs, id.0).unwrap();
    assert_eq!(
        (inv.status.name(), inv.paid, inv.balance()),
        ("paid", 21145, 0)
    );
    // Deleting a payment restores the balance.
    payments::delete(conn, &acc, cid, RecordId(first)).unwrap();
    let inv = invoices::find(conn, &cs, id.0).unwrap();
    assert_eq!((inv.status.name(), inv.balance()), ("partial", 10000));
    assert!(
        invoices::void(conn, &acc, cid, id).unwrap().is_err(),
        "paid in part"
    );
}

#[actix_web::test]
async fn bad_lines_are_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let conn = &mut *app.conn();
    let refused = invoices::create_draft(
        conn,
        &acc,
        cid,
        &[
            line("", "1", "1", "0", "0"),
            line("Ok", "-1", "1", "0", "0"),
            line("Ok", "1", "1", "101", "0"),
            line("Ok", "1.23456", "1", "0", "0"),
        ],
        "",
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(
        refused,
        vec![
            "Line 1: a description is required.",
            "Line 2: Quantity must be from 0 to 1000000.",
            "Line 3: Tax must be from 0 to 100.",
            "Line 4: Quantity takes at most 4 decimal places.",
        ]
    );
    assert!(invoices::create_draft(conn, &acc, cid, &[], "")
        .unwrap()
        .is_err());
    use diesel::prelude::*;
    let n: i64 = mspdesk::domain::schema::invoices::table
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(n, 0);
}

#[actix_web::test]
async fn fifty_concurrent_sends_give_fifty_gap_free_numbers_and_void_keeps_its_number() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let drafts: Vec<RecordId> = (0..50)
        .map(|_| {
            invoices::create_draft(&mut app.conn(), &acc, cid, &worked_example(), "")
                .unwrap()
                .unwrap()
        })
        .collect();
    let threads: Vec<_> = drafts
        .iter()
        .map(|id| {
            let (pool, acc, id) = (app.pool.clone(), acc.clone(), *id);
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                invoices::send(&mut conn, &acc, cid, id).unwrap().unwrap()
            })
        })
        .collect();
    let mut numbers: Vec<i64> = threads
        .into_iter()
        .map(|t| {
            t.join()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1001..=1050).collect::<Vec<i64>>());
    let conn = &mut *app.conn();
    invoices::void(conn, &acc, cid, drafts[0]).unwrap().unwrap();
    let (_, cs) = mspdesk::domain::clients::scoped(conn, app.a.id, cid).unwrap();
    let void = invoices::find(conn, &cs, drafts[0].0).unwrap();
    assert_eq!((void.status.name(), void.balance()), ("void", 0));
    assert!(void.number.is_some());
}

#[actix_web::test]
async fn technicians_and_other_tenants_cannot_touch_invoices() {
    let app = TestApp::spawn().await;
    let cid = ClientId(fixtures::client(&mut app.conn(), app.a.id, "Acme"));
    let conn = &mut *app.conn();
    let tech = who(&app, &app.a, &app.a.tech, Role::Tech);
    assert!(matches!(
        invoices::create_draft(conn, &tech, cid, &worked_example(), ""),
        Err(AppError::Forbidden)
    ));
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let id = invoices::create_draft(conn, &acc, cid, &worked_example(), "")
        .unwrap()
        .unwrap();
    let theirs = who(&app, &app.b, &app.b.accountant, Role::Accountant);
    assert!(matches!(
        invoices::send(conn, &theirs, cid, id),
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        payments::record(conn, &theirs, cid, id, &pay("1")),
        Err(AppError::NotFound)
    ));
}
