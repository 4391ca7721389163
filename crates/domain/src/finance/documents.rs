//! What the money pages read: a client's invoices, payments, quotes and templates, the
//! tenant-wide invoice list, and an invoice with everything its printed page names
//! (the tenant's details, the client and its billing contact, the lines, payments).
//! Lists are bounded and each is one statement.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::invoices::{Invoice, InvoiceStatus};
use super::lines::{self, Doc, StoredLine};
use super::quotes::Quote;
use super::recurring::Template;
use crate::schema::{
    client_contacts, clients, companies, invoices, payments, quotes, recurring_invoices,
};
use crate::scope::{ClientScope, Viewer};
use mspdesk_platform::db::AnyConnection;

/// The most rows of each list on a client's billing tab (older ones: the Finance lists).
pub const TAB_ROWS: i64 = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub client_id: i64,
    pub invoice_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: String,
    pub reference: Option<String>,
}

/// The invoices shown for one status filter (`open`, `overdue`, a stored status, or
/// all), newest first.
fn narrowed<'a>(
    q: invoices::BoxedQuery<'a, mspdesk_platform::db::MultiBackend>,
    status: &str,
    today: NaiveDate,
) -> invoices::BoxedQuery<'a, mspdesk_platform::db::MultiBackend> {
    let q = q.filter(invoices::deleted_at.is_null());
    match status {
        "open" => q.filter(invoices::status.eq_any(InvoiceStatus::UNPAID)),
        "overdue" => q
            .filter(invoices::status.eq_any(InvoiceStatus::UNPAID))
            .filter(invoices::due_date.lt(today)),
        "" | "all" => q,
        s => match InvoiceStatus::parse(s) {
            Some(status) => q.filter(invoices::status.eq(status)),
            // Not a state: no invoice is in it (ids start at 1).
            None => q.filter(invoices::id.lt(0)),
        },
    }
}

pub fn invoices_of(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    status: &str,
    today: NaiveDate,
) -> QueryResult<Vec<Invoice>> {
    narrowed(crate::of_client!(invoices, cs).into_boxed(), status, today)
        .order((invoices::created_at.desc(), invoices::id.desc()))
        .limit(TAB_ROWS)
        .select(Invoice::as_select())
        .load(conn)
}

/// The client's latest payments, each with its invoice's currency.
pub fn payments_of(
    conn: &mut AnyConnection,
    cs: &ClientScope,
) -> QueryResult<Vec<(Payment, String)>> {
    crate::of_client!(payments, cs)
        .inner_join(invoices::table.on(invoices::id.eq(payments::invoice_id)))
        .order((payments::paid_on.desc(), payments::id.desc()))
        .limit(TAB_ROWS)
        .select((Payment::as_select(), invoices::currency))
        .load(conn)
}

pub fn quotes_of(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Quote>> {
    crate::of_client!(quotes, cs)
        .filter(quotes::deleted_at.is_null())
        .order(quotes::id.desc())
        .limit(TAB_ROWS)
        .select(Quote::as_select())
        .load(conn)
}

pub fn templates_of(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Template>> {
    crate::of_client!(recurring_invoices, cs)
        .filter(recurring_invoices::deleted_at.is_null())
        .order(recurring_invoices::name)
        .limit(TAB_ROWS)
        .select(Template::as_select())
        .load(conn)
}

/// The invoices a recurring template made, newest first.
pub fn made_by(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    template: i64,
) -> QueryResult<Vec<Invoice>> {
    crate::of_client!(invoices, cs)
        .filter(invoices::recurring_id.eq(template))
        .filter(invoices::deleted_at.is_null())
        .order(invoices::period.desc())
        .limit(TAB_ROWS)
        .select(Invoice::as_select())
        .load(conn)
}

/// An invoice with its client's name, for the tenant-wide list.
pub struct Listed {
    pub invoice: Invoice,
    pub client: String,
}

/// The invoices of every client the viewer may open: (count, one page).
pub fn across(
    conn: &mut AnyConnection,
    v: &Viewer,
    status: &str,
    client: Option<i64>,
    today: NaiveDate,
    page: (i64, i64),
) -> QueryResult<(i64, Vec<Listed>)> {
    let base = || {
        let mut q = invoices::table
            .filter(invoices::tenant_id.eq(v.tenant.get()))
            .into_boxed();
        if let Some(c) = client {
            q = q.filter(invoices::client_id.eq(c));
        }
        narrowed(
            crate::only_allowed!(q, v, invoices::client_id),
            status,
            today,
        )
    };
    let total = base().count().get_result(conn)?;
    let ids: Vec<i64> = base()
        .order((invoices::created_at.desc(), invoices::id.desc()))
        .limit(page.1)
        .offset(page.0)
        .select(invoices::id)
        .load(conn)?;
    let rows: Vec<(Invoice, String)> = invoices::table
        .inner_join(clients::table.on(clients::id.eq(invoices::client_id)))
        .filter(invoices::tenant_id.eq(v.tenant.get()))
        .filter(invoices::id.eq_any(&ids))
        .order((invoices::created_at.desc(), invoices::id.desc()))
        .select((Invoice::as_select(), clients::name))
        .load(conn)?;
    Ok((
        total,
        rows.into_iter()
            .map(|(invoice, client)| Listed { invoice, client })
            .collect(),
    ))
}

/// Who sends the invoice: the tenant's settings.
#[derive(Debug, Clone, Default)]
pub struct Issuer {
    pub name: String,
    pub address: String,
    pub tax_id: String,
    pub email: String,
}

pub fn issuer(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Issuer> {
    let (name, address, tax_id, email): (String, Option<String>, Option<String>, Option<String>) =
        companies::table
            .find(cs.tenant_id())
            .select((
                companies::name,
                companies::billing_address,
                companies::tax_id,
                companies::email,
            ))
            .first(conn)?;
    Ok(Issuer {
        name,
        address: address.unwrap_or_default(),
        tax_id: tax_id.unwrap_or_default(),
        email: email.unwrap_or_default(),
    })
}

/// Who receives it: the client and its billing contact (else its primary contact).
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub name: String,
    pub contact: String,
    pub email: String,
}

pub fn recipient(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Recipient> {
    let name: String = crate::of_tenant!(clients, cs.tenant())
        .filter(clients::id.eq(cs.client_id()))
        .select(clients::name)
        .first(conn)?;
    let contact: Option<(String, Option<String>)> = crate::of_client!(client_contacts, cs)
        .filter(client_contacts::deleted_at.is_null())
        .filter(client_contacts::billing.or(client_contacts::is_primary))
        .order((client_contacts::billing.desc(), client_contacts::id))
        .select((client_contacts::name, client_contacts::email))
        .first(conn)
        .optional()?;
    let (contact, email) = contact.unwrap_or_default();
    Ok(Recipient {
        name,
        contact,
        email: email.unwrap_or_default(),
    })
}

/// An invoice as its page and its printed copy show it.
pub struct Full {
    pub invoice: Invoice,
    pub lines: Vec<StoredLine>,
    pub payments: Vec<Payment>,
    /// The quote it came from, as (id, reference).
    pub quote: Option<(i64, String)>,
    /// The recurring template it came from, as (id, name).
    pub template: Option<(i64, String)>,
}

pub fn full(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Full> {
    let invoice = super::invoices::find(conn, cs, id)?;
    let lines = lines::load(conn, cs.tenant(), Doc::Invoice(invoice.id))?;
    let payments = crate::of_client!(payments, cs)
        .filter(payments::invoice_id.eq(invoice.id))
        .order((payments::paid_on, payments::id))
        .select(Payment::as_select())
        .load(conn)?;
    let quote = match invoice.quote_id {
        Some(q) => crate::of_client!(quotes, cs)
            .filter(quotes::id.eq(q))
            .select((quotes::id, quotes::reference))
            .first(conn)
            .optional()?,
        None => None,
    };
    let template = match invoice.recurring_id {
        Some(r) => crate::of_client!(recurring_invoices, cs)
            .filter(recurring_invoices::id.eq(r))
            .select((recurring_invoices::id, recurring_invoices::name))
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Full {
        invoice,
        lines,
        payments,
        quote,
        template,
    })
}

/// One line of a statement of account.
#[derive(Debug, Clone)]
pub struct StatementLine {
    pub date: NaiveDate,
    pub description: String,
    /// Minor units: what was invoiced, what was paid, and the balance after it.
    pub charge: i64,
    pub payment: i64,
    pub balance: i64,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub currency: String,
    pub opening: i64,
    pub lines: Vec<StatementLine>,
    pub closing: i64,
}

/// Invoices issued and payments received in `from..=to`, in the client's currency,
/// after the balance brought forward (void invoices owe nothing and are left out).
pub fn statement(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    from: NaiveDate,
    to: NaiveDate,
) -> crate::error::AppResult<Statement> {
    let (currency, _) = super::invoices::terms(conn, cs)?;
    let charged: Vec<(NaiveDate, Option<String>, i64)> = crate::of_client!(invoices, cs)
        .filter(invoices::deleted_at.is_null())
        .filter(invoices::status.eq_any(InvoiceStatus::BILLED))
        .filter(invoices::currency.eq(currency.code))
        .filter(invoices::issue_date.le(to))
        .select((
            invoices::issue_date.assume_not_null(),
            invoices::reference,
            invoices::total,
        ))
        .load(conn)?;
    let paid: Vec<(NaiveDate, Option<String>, i64, String)> = crate::of_client!(payments, cs)
        .inner_join(invoices::table.on(invoices::id.eq(payments::invoice_id)))
        .filter(invoices::currency.eq(currency.code))
        .filter(payments::paid_on.le(to))
        .select((
            payments::paid_on,
            invoices::reference,
            payments::amount,
            payments::method,
        ))
        .load(conn)?;
    let mut events: Vec<(NaiveDate, u8, String, i64, i64)> = charged
        .into_iter()
        .map(|(d, r, t)| (d, 0, format!("Invoice {}", r.unwrap_or_default()), t, 0))
        .chain(paid.into_iter().map(|(d, r, a, m)| {
            let how = crate::forms::choice_label(super::payments::METHODS, &m);
            (
                d,
                1,
                format!("Payment ({how}), invoice {}", r.unwrap_or_default()),
                0,
                a,
            )
        }))
        .collect();
    events.sort_by_key(|e| (e.0, e.1));
    let mut balance = 0;
    let mut opening = 0;
    let mut lines = vec![];
    for (date, _, description, charge, payment) in events {
        balance += charge - payment;
        if date < from {
            opening = balance;
            continue;
        }
        lines.push(StatementLine {
            date,
            description,
            charge,
            payment,
            balance,
        });
    }
    Ok(Statement {
        currency: currency.code.to_string(),
        opening,
        lines,
        closing: balance,
    })
}
