//! The tenant-wide money lists of the Finance section beside invoices: payments,
//! quotes, recurring invoices and expenses of every client the viewer may open, newest
//! first, one page at a time, each row with its client's name. Two statements a page
//! (count, rows), written once by `register!`.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::documents::Payment;
use super::quotes::Quote;
use super::recurring::Template;
use crate::schema::{client_expenses, clients, invoices, payments, quotes, recurring_invoices};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

/// (how many in all, this page's rows with their client's name)
pub type Page<T> = (i64, Vec<(T, String)>);

/// Count and one page of `$t` joined to its client, narrowed to the viewer's clients
/// and by `$live`, ordered by `$order`, selecting `$select` beside the client's name.
macro_rules! register {
    ($conn:expr, $v:expr, $page:expr, $t:ident, $live:expr, $order:expr, $select:expr) => {{
        let base = || {
            let q = $t::table
                .inner_join(clients::table.on(clients::id.eq($t::client_id)))
                .filter($t::tenant_id.eq($v.tenant.get()))
                .filter(clients::tenant_id.eq($v.tenant.get()))
                .filter($live)
                .into_boxed();
            crate::only_allowed!(q, $v, $t::client_id)
        };
        let total: i64 = base().count().get_result($conn)?;
        let rows = base()
            .order($order)
            .limit($page.1)
            .offset($page.0)
            .select(($select, clients::name))
            .load($conn)?;
        Ok((total, rows))
    }};
}

/// A payment with its invoice's reference and currency.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub payment: Payment,
    pub reference: Option<String>,
    pub currency: String,
}

pub fn payments(
    conn: &mut AnyConnection,
    v: &Viewer,
    page: (i64, i64),
) -> QueryResult<Page<PaymentRow>> {
    let q = || {
        let q = payments::table
            .inner_join(invoices::table.on(invoices::id.eq(payments::invoice_id)))
            .inner_join(clients::table.on(clients::id.eq(payments::client_id)))
            .filter(payments::tenant_id.eq(v.tenant.get()))
            .filter(clients::tenant_id.eq(v.tenant.get()))
            .into_boxed();
        crate::only_allowed!(q, v, payments::client_id)
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows: Vec<(Payment, Option<String>, String, String)> = q()
        .order((payments::paid_on.desc(), payments::id.desc()))
        .limit(page.1)
        .offset(page.0)
        .select((
            Payment::as_select(),
            invoices::reference,
            invoices::currency,
            clients::name,
        ))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(payment, reference, currency, client)| {
            (
                PaymentRow {
                    payment,
                    reference,
                    currency,
                },
                client,
            )
        })
        .collect();
    Ok((total, rows))
}

pub fn quotes(conn: &mut AnyConnection, v: &Viewer, page: (i64, i64)) -> QueryResult<Page<Quote>> {
    register!(
        conn,
        v,
        page,
        quotes,
        quotes::deleted_at.is_null(),
        quotes::id.desc(),
        Quote::as_select()
    )
}

pub fn recurring(
    conn: &mut AnyConnection,
    v: &Viewer,
    page: (i64, i64),
) -> QueryResult<Page<Template>> {
    register!(
        conn,
        v,
        page,
        recurring_invoices,
        recurring_invoices::deleted_at.is_null(),
        (recurring_invoices::name, recurring_invoices::id),
        Template::as_select()
    )
}

/// An expense as the list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct ExpenseRow {
    pub id: i64,
    pub client_id: i64,
    pub spent_on: NaiveDate,
    pub vendor: String,
    pub category: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub billable: bool,
    pub invoice_id: Option<i64>,
}

pub fn expenses(
    conn: &mut AnyConnection,
    v: &Viewer,
    page: (i64, i64),
) -> QueryResult<Page<ExpenseRow>> {
    register!(
        conn,
        v,
        page,
        client_expenses,
        client_expenses::deleted_at.is_null(),
        (client_expenses::spent_on.desc(), client_expenses::id.desc()),
        (
            client_expenses::id,
            client_expenses::client_id,
            client_expenses::spent_on,
            client_expenses::vendor,
            client_expenses::category,
            client_expenses::amount,
            client_expenses::currency,
            client_expenses::billable,
            client_expenses::invoice_id,
        )
    )
}
