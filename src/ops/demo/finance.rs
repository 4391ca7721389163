//! The demo's money, per client and through the same services as the pages: a monthly
//! managed-services invoice generated since four months ago (so some are paid, one in
//! part, one overdue), a hardware draft, a voided invoice, two quotes whose statuses
//! cycle across clients (draft, sent, accepted, declined, expired), and expenses
//! (one billable, with the client's file as receipt). The client's billable ticket time
//! and trips stay unbilled, for the billing tab's "Create invoice".

use chrono::{Datelike, Duration, NaiveDate, Utc};
use diesel::QueryResult;

use super::records::s;
use super::service_desk::failed;
use super::{insert, Env};
use crate::domain::finance::expenses::{field as expense, Expenses};
use crate::domain::finance::invoices;
use crate::domain::finance::lines::LineInput;
use crate::domain::finance::payments::{self, PaymentInput};
use crate::domain::finance::quotes::{self, QuoteInput, Step};
use crate::domain::finance::recurring::{self, TemplateInput};
use crate::domain::forms::RefKind;
use crate::domain::resource::{refs, Resource};
use crate::domain::scope::{ClientId, ClientScope, RecordId};
use crate::error::AppResult;
use crate::platform::db::AnyConnection;

fn line(description: &str, quantity: &str, price: &str, tax: &str, discount: &str) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: quantity.into(),
        unit_price: price.into(),
        tax_percent: tax.into(),
        discount_percent: discount.into(),
    }
}

/// A service's refusal is a bug in the demo data: stop the load with it.
fn ok<T>(r: AppResult<Result<T, impl std::fmt::Debug>>) -> QueryResult<T> {
    match r.map_err(failed)? {
        Ok(v) => Ok(v),
        Err(e) => Err(failed(crate::error::AppError::Internal(format!("{e:?}")))),
    }
}

pub fn client(conn: &mut AnyConnection, cs: &ClientScope, i: usize, env: &Env) -> QueryResult<()> {
    let acc = env.accountant.clone();
    let cid = ClientId(cs.client_id());
    let today = Utc::now().date_naive();
    let seats = (8 + i * 3).to_string();

    // Monthly managed services since four months ago, on the 1st.
    let month = today.year() * 12 + today.month0() as i32 - 3;
    let anchor = NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today);
    let template = TemplateInput {
        name: "Managed services".into(),
        months: "1".into(),
        anchor_date: anchor.to_string(),
        end_date: String::new(),
        active: true,
        notes: "Thank you for your business. Bank transfer to the account on file.".into(),
        lines: vec![
            line("Managed workstations (per seat)", &seats, "45", "0", ""),
            line("Server monitoring and patching", "1", "150", "0", ""),
            line(
                "Microsoft 365 Business Premium (per seat)",
                &seats,
                "22",
                "8.875",
                "",
            ),
        ],
    };
    let rid = ok(recurring::save(conn, &acc, cid, None, &template))?;
    let sent = ok(recurring::generate(conn, &acc, cid, rid, today))?;
    // The oldest paid in full, the next paid in part for every third client.
    let made = crate::domain::finance::documents::made_by(conn, cs, rid.0)?;
    for (k, inv) in made.iter().rev().enumerate() {
        let issued = inv.issue_date.unwrap_or(today);
        let amount = match k {
            0 | 1 => inv.total,
            2 if i.is_multiple_of(3) => inv.total / 2,
            _ => continue,
        };
        let paid = PaymentInput {
            amount: crate::domain::currency::Currency::of(&inv.currency)
                .map(|c| c.format(amount))
                .unwrap_or_default(),
            paid_on: (issued + Duration::days(12)).min(today).to_string(),
            method: ["bank_transfer", "card", "check"][(i + k) % 3].into(),
            reference: format!("REF-{}-{k}", 4000 + i),
        };
        ok(payments::record(conn, &acc, cid, RecordId(inv.id), &paid))?;
    }
    debug_assert!(!sent.is_empty());

    // A hardware draft, and a project invoice sent long ago and left unpaid (overdue).
    let hardware = [
        line("Dell OptiPlex 7010 Micro", "2", "899", "8.875", "5"),
        line("Setup and data migration", "3.5", "125", "0", ""),
    ];
    ok(invoices::create_draft(
        conn,
        &acc,
        cid,
        &hardware,
        "Quote on request.",
    ))?;
    let project = [line(
        "Firewall replacement project",
        "1",
        &s(1200 + i * 40),
        "8.875",
        "",
    )];
    let old = ok(invoices::create_draft(conn, &acc, cid, &project, ""))?;
    ok(invoices::send_on(
        conn,
        &acc,
        cid,
        old,
        today - Duration::days(50 + i as i64),
    ))?;
    if i.is_multiple_of(4) {
        let wrong = [line("Wrong client", "1", "10", "", "")];
        let w = ok(invoices::create_draft(conn, &acc, cid, &wrong, ""))?;
        ok(invoices::send(conn, &acc, cid, w))?;
        ok(invoices::void(conn, &acc, cid, w))?;
    }

    // Two quotes, their statuses cycling across clients.
    for (k, (what, price)) in [
        ("Wi-Fi 6 access points, installed", "340"),
        ("Backup appliance", "2400"),
    ]
    .iter()
    .enumerate()
    {
        let stage = (i + k) % 5;
        let dated = if stage == 4 {
            today - Duration::days(60)
        } else {
            today
        };
        let input = QuoteInput {
            lines: vec![line(what, &s(2 + k), price, "8.875", "")],
            expires_on: (dated + Duration::days(30)).to_string(),
            notes: String::new(),
        };
        let q = ok(quotes::save(conn, &acc, cid, None, &input, dated))?;
        let steps: &[Step] = match stage {
            0 => &[],
            1 | 4 => &[Step::Send],
            2 => &[Step::Send, Step::Accept],
            _ => &[Step::Send, Step::Decline],
        };
        for st in steps {
            ok(quotes::step(conn, &acc, cid, q, Some(*st)))?;
        }
    }

    // Expenses: a billable one with the client's file as receipt, one overhead.
    let files = refs::load(conn, cs, Expenses::FIELDS)?;
    let receipt = files
        .0
        .get(&RefKind::File)
        .and_then(|f| f.first())
        .map(|(id, _)| id.to_string())
        .unwrap_or_default();
    let currency: String = invoices::terms(conn, cs).map_err(failed)?.0.code.into();
    let day = |d: i64| (today - Duration::days(d)).to_string();
    insert::<Expenses>(
        conn,
        cs,
        &[
            (expense::spent_on, day(6 + i as i64 % 5)),
            (expense::vendor, s("CDW")),
            (expense::category, s("hardware")),
            (expense::amount, s(format!("{}.50", 80 + i * 7))),
            (expense::currency, currency.clone()),
            (expense::billable, s("on")),
            (expense::receipt_file_id, receipt),
            (expense::notes, s("Replacement SSD, invoiced at cost.")),
        ],
        env,
    )?;
    insert::<Expenses>(
        conn,
        cs,
        &[
            (expense::spent_on, day(20)),
            (expense::vendor, s("FedEx")),
            (expense::category, s("shipping")),
            (expense::amount, s("24.90")),
            (expense::currency, currency),
            (
                expense::notes,
                s("Returned a faulty switch under warranty."),
            ),
        ],
        env,
    )?;
    Ok(())
}
