//! Invoices: a draft with lines (totals by `totals`' rule, in the client's currency),
//! sent with a gap-free per-tenant number and a due date from the client's net terms,
//! paid in part or in full (`payments`), or voided (keeps its number, owes nothing).
//! A sent invoice is not edited in place.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::lines::{self, Doc, LineInput, Priced};
use super::refused::InvoiceRefused;
use crate::audit;
use crate::clients;
use crate::currency::Currency;
use crate::error::{AppError, AppResult};
use crate::outbox::event::Event;
use crate::outbox::events;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::{clients as clients_table, companies, invoices};
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use crate::tenancy::numbering;
use mspdesk_platform::db::{write_transaction, AnyConnection};

pub use super::invoice_status::InvoiceStatus;
use InvoiceStatus::{Draft, Sent, Void};

/// The table's name in the audit log.
pub const TABLE: &str = "invoices";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub client_id: i64,
    pub number: Option<i64>,
    pub reference: Option<String>,
    pub status: InvoiceStatus,
    pub currency: String,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub paid: i64,
    pub quote_id: Option<i64>,
    pub recurring_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Invoice {
    /// What the client still owes: nothing on a draft (not yet billed) or a void one.
    pub fn balance(&self) -> i64 {
        if matches!(self.status, Void | Draft) {
            0
        } else {
            self.total - self.paid
        }
    }
    pub fn currency(&self) -> AppResult<Currency> {
        Currency::stored(&self.currency)
    }
    /// Whether `void` takes it: a draft (discarded), or a sent invoice with nothing
    /// paid on it.
    pub fn voidable(&self) -> bool {
        self.status == Draft || (self.status == Sent && self.paid == 0)
    }
    /// Sent and not (fully) paid.
    pub fn unpaid(&self) -> bool {
        self.status.unpaid()
    }
    /// Overdue is not a stored status: an unpaid invoice past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.unpaid() && self.due_date.is_some_and(|d| d < today)
    }
}

pub fn find(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Invoice> {
    crate::of_client!(invoices, cs)
        .filter(invoices::id.eq(id))
        .filter(invoices::deleted_at.is_null())
        .select(Invoice::as_select())
        .first(conn)
}

/// The client's billing currency and net terms (days).
pub fn terms(conn: &mut AnyConnection, cs: &ClientScope) -> AppResult<(Currency, i32)> {
    let (code, days): (String, i32) = crate::of_tenant!(clients_table, cs.tenant())
        .filter(clients_table::id.eq(cs.client_id()))
        .select((clients_table::currency, clients_table::net_terms))
        .first(conn)?;
    let c = Currency::stored(&code)?;
    Ok((c, days))
}

/// Where a new draft comes from, besides its lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin {
    pub quote: Option<i64>,
    /// A recurring template and its period.
    pub recurring: Option<(i64, i32)>,
}

/// Inserts a draft with priced lines (inside the caller's transaction); returns its id.
pub(crate) fn insert_draft(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    currency: Currency,
    priced: &Priced,
    notes: &str,
    origin: Origin,
) -> QueryResult<i64> {
    let now = cs.now();
    let notes = notes.trim();
    let id: i64 = diesel::insert_into(invoices::table)
        .values((
            invoices::tenant_id.eq(cs.tenant_id()),
            invoices::client_id.eq(cs.client_id()),
            invoices::currency.eq(currency.code),
            invoices::notes.eq((!notes.is_empty()).then_some(notes)),
            invoices::subtotal.eq(priced.sum.subtotal),
            invoices::discount.eq(priced.sum.discount),
            invoices::tax.eq(priced.sum.tax),
            invoices::total.eq(priced.sum.total),
            invoices::quote_id.eq(origin.quote),
            invoices::recurring_id.eq(origin.recurring.map(|r| r.0)),
            invoices::period.eq(origin.recurring.map(|r| r.1)),
            invoices::created_at.eq(now),
            invoices::updated_at.eq(now),
        ))
        .returning(invoices::id)
        .get_result(conn)?;
    lines::store(conn, cs.tenant(), Doc::Invoice(id), priced)?;
    let event = Event::InvoiceCreated {
        client: cs.client(),
        invoice: id,
    };
    events::publish(conn, cs, &event)?;
    Ok(id)
}

/// Creates a draft from lines; returns its id, or what is wrong with the lines.
pub fn create_draft(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    input: &[LineInput],
    notes: &str,
) -> AppResult<Result<RecordId, Vec<String>>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let (currency, _) = terms(conn, &cs)?;
        let priced = match lines::price(input, currency) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let id = insert_draft(conn, &cs, currency, &priced, notes, Origin::default())?;
        let changes =
            json!({ "lines": priced.lines.len(), "total": currency.format(priced.sum.total) });
        let entry = audit::Entry::of_record(cid, TABLE, id, "create", changes).titled(format!(
            "draft invoice {} {}",
            currency.format(priced.sum.total),
            currency.code
        ));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(RecordId(id)))
    })
}

/// Changes a draft's lines and notes (a sent invoice is voided and issued again instead).
pub fn update_draft(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    input: &[LineInput],
    notes: &str,
) -> AppResult<Result<(), Vec<String>>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let invoice = find(conn, &cs, id.0)?;
        if invoice.status != Draft {
            return Ok(Err(vec![SENT_IS_FINAL.to_string()]));
        }
        let currency = invoice.currency()?;
        let priced = match lines::price(input, currency) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let notes = notes.trim();
        diesel::update(
            crate::of_client!(invoices, cs)
                .filter(invoices::id.eq(invoice.id))
                .filter(invoices::status.eq(Draft)),
        )
        .set((
            invoices::notes.eq((!notes.is_empty()).then_some(notes)),
            invoices::subtotal.eq(priced.sum.subtotal),
            invoices::discount.eq(priced.sum.discount),
            invoices::tax.eq(priced.sum.tax),
            invoices::total.eq(priced.sum.total),
            invoices::updated_at.eq(cs.now()),
        ))
        .execute(conn)?;
        lines::store(conn, cs.tenant(), Doc::Invoice(invoice.id), &priced)?;
        let changes =
            json!({ "lines": priced.lines.len(), "total": currency.format(priced.sum.total) });
        let entry = audit::Entry::of_record(cid, TABLE, invoice.id, "update", changes)
            .titled("draft invoice".to_string());
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(()))
    })
}

const SENT_IS_FINAL: &str = "A sent invoice is not changed: void it and issue a new one.";

/// Gives a draft the tenant's next number (gap-free: a rolled-back transaction gives it
/// back), the issue date and a due date after the client's net terms, inside the
/// caller's transaction. Returns the reference, or `None` when it is no longer a draft.
pub fn issue(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
    on: NaiveDate,
) -> AppResult<Option<String>> {
    let (_, net_terms) = terms(conn, cs)?;
    let prefix: String = companies::table
        .find(cs.tenant_id())
        .select(companies::invoice_prefix)
        .first(conn)?;
    let number = numbering::next(conn, cs.tenant(), "invoice")?;
    let reference = format!("{prefix}{}-{number:04}", on.format("%Y"));
    let sent = diesel::update(
        crate::of_client!(invoices, cs)
            .filter(invoices::id.eq(id))
            .filter(invoices::status.eq(Draft)),
    )
    .set((
        invoices::status.eq(Sent),
        invoices::number.eq(number),
        invoices::reference.eq(&reference),
        invoices::issue_date.eq(on),
        invoices::due_date.eq(on + Duration::days(i64::from(net_terms))),
        invoices::updated_at.eq(cs.now()),
    ))
    .execute(conn)?;
    if sent == 0 {
        return Ok(None);
    }
    let event = Event::InvoiceSent {
        client: cs.client(),
        invoice: id,
    };
    events::publish(conn, cs, &event)?;
    Ok(Some(reference))
}

/// Sends a draft: numbered and dated today. Returns the reference.
pub fn send(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
) -> AppResult<Result<String, InvoiceRefused>> {
    send_on(conn, who, cid, id, who.today())
}

/// Sends a draft dated `on` (an import of past invoices, the demo).
pub fn send_on(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    on: NaiveDate,
) -> AppResult<Result<String, InvoiceRefused>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let invoice = find(conn, &cs, id.0)?;
        if invoice.status != Draft {
            return Ok(Err(InvoiceRefused::NotDraft));
        }
        let Some(reference) = issue(conn, &cs, invoice.id, on)? else {
            return Err(AppError::Conflict("The invoice was sent meanwhile.".into()));
        };
        let entry = audit::Entry::of_record(
            cid,
            TABLE,
            invoice.id,
            "send",
            json!({ "number": reference }),
        )
        .titled(format!("invoice {reference}"));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(reference))
    })
}

/// Voids a sent invoice with nothing paid on it (it keeps its number and owes
/// nothing), or discards a draft (it never had a number: it is gone). The work it
/// billed can be billed again. Returns whether it was a discarded draft.
pub fn void(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
) -> AppResult<Result<bool, InvoiceRefused>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let invoice = find(conn, &cs, id.0)?;
        let now = cs.now();
        let row = crate::of_client!(invoices, cs)
            .filter(invoices::id.eq(invoice.id))
            .filter(invoices::status.eq(invoice.status))
            .filter(invoices::paid.eq(0));
        if !invoice.voidable() {
            return Ok(Err(InvoiceRefused::NotVoidable));
        }
        let (changed, action, title) = match invoice.status {
            Draft => (
                diesel::update(row)
                    .set(invoices::deleted_at.eq(now))
                    .execute(conn)?,
                "discard",
                "draft invoice".to_string(),
            ),
            _ => (
                diesel::update(row)
                    .set((invoices::status.eq(Void), invoices::updated_at.eq(now)))
                    .execute(conn)?,
                "void",
                format!("invoice {}", invoice.reference.clone().unwrap_or_default()),
            ),
        };
        if changed == 0 {
            return Err(AppError::Conflict("The invoice changed meanwhile.".into()));
        }
        super::unbilled::release(conn, &cs, invoice.id)?;
        let entry =
            audit::Entry::of_record(cid, TABLE, invoice.id, action, json!({})).titled(title);
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(action == "discard"))
    })
}
