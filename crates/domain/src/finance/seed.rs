//! Bulk synthetic invoices for benchmarks: for every client of a tenant, `per_client`
//! sent invoices of two lines each (in turn unpaid, partly paid, paid; one in three
//! past due), with their payments, and one monthly recurring template; the tenant's
//! invoice counter ends after the last number. Totals follow `totals`' rule.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::lines::{self, LineInput};
use crate::currency::Currency;
use crate::schema::{billing_lines, clients, counters, invoices, payments};
use crate::scope::TenantId;
use crate::tenancy::numbering;
use crate::with_backend;
use mspdesk_platform::db::AnyConnection;

const BATCH: usize = 500;

pub fn run(
    conn: &mut AnyConnection,
    tenant: TenantId,
    per_client: usize,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    let ids: Vec<i64> = crate::of_tenant!(clients, tenant)
        .order(clients::id.asc())
        .select(clients::id)
        .load(conn)?;
    let usd = Currency::of("USD").ok_or(diesel::result::Error::NotFound)?;
    let priced = lines::price(
        &[
            LineInput {
                description: "Managed services".into(),
                quantity: "12".into(),
                unit_price: "45".into(),
                tax_percent: "8.875".into(),
                ..LineInput::default()
            },
            LineInput {
                description: "On-site support".into(),
                quantity: "1.5".into(),
                unit_price: "125".into(),
                ..LineInput::default()
            },
        ],
        usd,
    )
    .map_err(|e| diesel::result::Error::QueryBuilderError(format!("{e:?}").into()))?;
    let s = priced.sum;
    let now = at.naive_utc();
    let today = now.date();
    let mut number = numbering::START;
    for chunk in ids.chunks(BATCH) {
        conn.transaction(|conn| {
            let mut rows = vec![];
            for cid in chunk {
                for j in 0..per_client {
                    number += 1;
                    let issued = today - Duration::days(10 + 25 * j as i64);
                    let paid = match number % 3 {
                        0 => 0,
                        1 => s.total / 2,
                        _ => s.total,
                    };
                    let status = super::invoices::InvoiceStatus::from_paid(paid, s.total);
                    rows.push((
                        invoices::tenant_id.eq(tenant.get()),
                        invoices::client_id.eq(*cid),
                        invoices::number.eq(Some(number)),
                        invoices::reference
                            .eq(Some(format!("INV-{}-{number}", issued.format("%Y")))),
                        invoices::status.eq(status),
                        invoices::currency.eq(usd.code),
                        invoices::issue_date.eq(Some(issued)),
                        invoices::due_date.eq(Some(issued + Duration::days(30))),
                        invoices::subtotal.eq(s.subtotal),
                        invoices::discount.eq(s.discount),
                        invoices::tax.eq(s.tax),
                        invoices::total.eq(s.total),
                        invoices::paid.eq(paid),
                        invoices::created_at.eq(now),
                        invoices::updated_at.eq(now),
                    ));
                }
            }
            for part in rows.chunks(1_000) {
                with_backend!(conn, |c| diesel::insert_into(invoices::table)
                    .values(part)
                    .execute(c))?;
            }
            let made: Vec<(i64, i64, i64, Option<chrono::NaiveDate>)> =
                crate::of_tenant!(invoices, tenant)
                    .filter(invoices::client_id.eq_any(chunk))
                    .select((
                        invoices::id,
                        invoices::client_id,
                        invoices::paid,
                        invoices::issue_date,
                    ))
                    .load(conn)?;
            let line_rows: Vec<lines::NewLine> = made
                .iter()
                .flat_map(|(id, ..)| lines::rows(tenant, lines::Doc::Invoice(*id), &priced))
                .collect();
            for part in line_rows.chunks(1_000) {
                with_backend!(conn, |c| diesel::insert_into(billing_lines::table)
                    .values(part)
                    .execute(c))?;
            }
            let pay_rows: Vec<_> = made
                .iter()
                .filter(|(_, _, paid, _)| *paid > 0)
                .map(|(id, cid, paid, issued)| {
                    (
                        payments::tenant_id.eq(tenant.get()),
                        payments::client_id.eq(*cid),
                        payments::invoice_id.eq(*id),
                        payments::paid_on.eq(issued.unwrap_or(today) + Duration::days(7)),
                        payments::amount.eq(*paid),
                        payments::method.eq("bank_transfer"),
                        payments::created_at.eq(now),
                    )
                })
                .collect();
            for part in pay_rows.chunks(1_000) {
                with_backend!(conn, |c| diesel::insert_into(payments::table)
                    .values(part)
                    .execute(c))?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    diesel::delete(crate::of_tenant!(counters, tenant).filter(counters::name.eq("invoice")))
        .execute(conn)?;
    diesel::insert_into(counters::table)
        .values((
            counters::tenant_id.eq(tenant.get()),
            counters::name.eq("invoice"),
            counters::last.eq(number),
        ))
        .execute(conn)?;
    Ok(ids.len() * per_client)
}
