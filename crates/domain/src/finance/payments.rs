//! Payments against one invoice each: partial payments allowed, over-payment refused
//! (the product keeps no client credit yet: the accountant records what the invoice
//! still owes and the rest where it belongs). The invoice's paid sum and status follow
//! every payment and every deletion in the same transaction, and the sum is guarded in
//! the UPDATE itself, so two payments at once can never exceed the total.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::invoices::{self, InvoiceStatus, TABLE};
use super::refused::PaymentRefused;
use crate::audit;
use crate::clients;
use crate::error::AppResult;
use crate::money;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::{invoices as invoices_table, payments};
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

pub const METHODS: &[(&str, &str)] = &[
    ("bank_transfer", "Bank transfer"),
    ("card", "Card"),
    ("cash", "Cash"),
    ("check", "Check"),
    ("other", "Other"),
];

/// A payment as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct PaymentInput {
    pub amount: String,
    pub paid_on: String,
    pub method: String,
    pub reference: String,
}

/// Sets the invoice's status from its paid sum (sent, partially paid, paid).
fn settle(conn: &mut AnyConnection, cs: &ClientScope, invoice: i64) -> QueryResult<()> {
    let (total, paid): (i64, i64) = crate::of_client!(invoices_table, cs)
        .filter(invoices_table::id.eq(invoice))
        .select((invoices_table::total, invoices_table::paid))
        .first(conn)?;
    let status = InvoiceStatus::from_paid(paid, total);
    diesel::update(crate::of_client!(invoices_table, cs).filter(invoices_table::id.eq(invoice)))
        .set((
            invoices_table::status.eq(status),
            invoices_table::updated_at.eq(cs.now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a payment on a sent (or partly paid) invoice; returns its id, or why not.
pub fn record(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    invoice: RecordId,
    input: &PaymentInput,
) -> AppResult<Result<i64, PaymentRefused>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let inv = invoices::find(conn, &cs, invoice.0)?;
        if !inv.status.unpaid() {
            return Ok(Err(PaymentRefused::NotPayable));
        }
        let Some(paid_on) = crate::forms::dates::date(&input.paid_on) else {
            return Ok(Err(PaymentRefused::NoDate));
        };
        if !METHODS.iter().any(|(m, _)| *m == input.method) {
            return Ok(Err(PaymentRefused::NoMethod));
        }
        let currency = inv.currency()?;
        let amount = match money::parse_scaled(&input.amount, i64::from(currency.minor)) {
            Ok(a) if a > 0 => a,
            Ok(_) => return Ok(Err(PaymentRefused::NotPositive)),
            Err(e) => return Ok(Err(PaymentRefused::Amount(e))),
        };
        // The guard is in the UPDATE: a concurrent payment cannot slip past it.
        let applied = diesel::update(
            crate::of_client!(invoices_table, cs)
                .filter(invoices_table::id.eq(inv.id))
                .filter((invoices_table::paid + amount).le(invoices_table::total)),
        )
        .set(invoices_table::paid.eq(invoices_table::paid + amount))
        .execute(conn)?;
        if applied == 0 {
            return Ok(Err(PaymentRefused::MoreThanOwed {
                owed: inv.balance(),
                currency,
            }));
        }
        settle(conn, &cs, inv.id)?;
        let reference = input.reference.trim();
        let id: i64 = diesel::insert_into(payments::table)
            .values((
                payments::tenant_id.eq(cs.tenant_id()),
                payments::client_id.eq(cs.client_id()),
                payments::invoice_id.eq(inv.id),
                payments::paid_on.eq(paid_on),
                payments::amount.eq(amount),
                payments::method.eq(&input.method),
                payments::reference.eq((!reference.is_empty()).then_some(reference)),
                payments::created_at.eq(cs.now()),
            ))
            .returning(payments::id)
            .get_result(conn)?;
        let changes =
            json!({ "payment": id, "amount": currency.format(amount), "method": input.method });
        let name = inv.reference.clone().unwrap_or_default();
        let entry = audit::Entry::of_record(cid, TABLE, inv.id, "payment", changes)
            .titled(format!("invoice {name}"));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(id))
    })
}

/// Deletes a payment; its invoice owes the amount again. Returns the invoice's id.
pub fn delete(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    payment: RecordId,
) -> AppResult<i64> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let (invoice, amount, paid_on): (i64, i64, NaiveDate) = crate::of_client!(payments, cs)
            .filter(payments::id.eq(payment.0))
            .select((payments::invoice_id, payments::amount, payments::paid_on))
            .first(conn)?;
        diesel::delete(crate::of_client!(payments, cs).filter(payments::id.eq(payment.0)))
            .execute(conn)?;
        diesel::update(
            crate::of_client!(invoices_table, cs).filter(invoices_table::id.eq(invoice)),
        )
        .set(invoices_table::paid.eq(invoices_table::paid - amount))
        .execute(conn)?;
        settle(conn, &cs, invoice)?;
        let changes = json!({ "payment": payment.0, "paid_on": paid_on.to_string() });
        let entry = audit::Entry::of_record(cid, TABLE, invoice, "payment deleted", changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(invoice)
    })
}
