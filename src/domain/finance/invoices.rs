//! Invoices: a draft with lines (totals by `totals`' rule, in the client's currency),
//! sent with a gap-free per-tenant number and a due date from the client's net terms,
//! paid in part or in full (`payments`), or voided (keeps its number, owes nothing).
//! A sent invoice is not edited in place.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::currency::Currency;
use super::totals::{self, Line, LineTotals};
use crate::domain::directory::clients;
use crate::domain::schema::{clients as clients_table, companies, invoice_lines, invoices};
use crate::domain::scope::{ClientId, ClientScope, RecordId, Who};
use crate::domain::tenancy::policy::{require, Action, Area, Perm};
use crate::domain::tenancy::{audit, numbering};
use crate::error::{AppError, AppResult};
use crate::platform::db::{write_transaction, AnyConnection};

pub const STATUSES: &[(&str, &str)] = &[
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("partial", "Partially paid"),
    ("paid", "Paid"),
    ("void", "Void"),
];

/// The table's name in the audit log.
pub const TABLE: &str = "invoices";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub client_id: i64,
    pub number: Option<i64>,
    pub reference: Option<String>,
    pub status: String,
    pub currency: String,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub paid: i64,
    pub created_at: NaiveDateTime,
}

impl Invoice {
    pub fn balance(&self) -> i64 {
        if self.status == "void" {
            0
        } else {
            self.total - self.paid
        }
    }
    /// Overdue is not a stored status: an unpaid invoice past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        matches!(self.status.as_str(), "sent" | "partial")
            && self.due_date.is_some_and(|d| d < today)
    }
}

/// A line as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_percent: String,
    pub discount_percent: String,
}

/// Reads an exact decimal from `0` to `max` with at most `decimals` places.
fn decimal(text: &str, what: &str, max: i64, decimals: i64) -> Result<BigDecimal, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(BigDecimal::from(0));
    }
    let v = BigDecimal::from_str(text).map_err(|_| format!("{what} must be a number."))?;
    let limit = BigDecimal::from(max);
    if v.sign() == bigdecimal::num_bigint::Sign::Minus || v > limit {
        return Err(format!("{what} must be from 0 to {max}."));
    }
    if v.normalized().fractional_digit_count() > decimals {
        return Err(format!("{what} takes at most {decimals} decimal places."));
    }
    Ok(v.normalized())
}

/// The lines, validated, with their rounded figures; every problem named by line.
pub fn read_lines(
    input: &[LineInput],
    c: Currency,
) -> Result<Vec<(String, Line, LineTotals)>, Vec<String>> {
    let mut out = vec![];
    let mut errors = vec![];
    for (i, l) in input.iter().enumerate() {
        let n = i + 1;
        let description = l.description.trim().to_string();
        if description.is_empty() {
            errors.push(format!("Line {n}: a description is required."));
            continue;
        }
        let parsed = (|| {
            Ok::<_, String>(Line {
                quantity: decimal(&l.quantity, "Quantity", 1_000_000, 4)?,
                unit_price: decimal(&l.unit_price, "Unit price", 1_000_000_000, 6)?,
                tax_percent: decimal(&l.tax_percent, "Tax", 100, 3)?,
                discount_percent: decimal(&l.discount_percent, "Discount", 100, 3)?,
            })
        })();
        match parsed.and_then(|line| {
            totals::line(&line, c)
                .map(|t| (line, t))
                .map_err(|e| e.to_string())
        }) {
            Ok((line, t)) => out.push((description.chars().take(500).collect(), line, t)),
            Err(e) => errors.push(format!("Line {n}: {e}")),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push("An invoice needs at least one line.".into());
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub fn find(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Invoice> {
    crate::of_client!(invoices, cs)
        .filter(invoices::id.eq(id))
        .filter(invoices::deleted_at.is_null())
        .select(Invoice::as_select())
        .first(conn)
}

/// Creates a draft from lines; returns its id, or what is wrong with the lines.
pub fn create_draft(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    lines: &[LineInput],
    notes: &str,
) -> AppResult<Result<RecordId, Vec<String>>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let code: String = crate::of_tenant!(clients_table, cs.tenant())
            .filter(clients_table::id.eq(cs.client_id()))
            .select(clients_table::currency)
            .first(conn)?;
        let currency = Currency::of(&code).ok_or_else(|| {
            AppError::Internal(format!("client {} bills in unknown currency {code}", cid))
        })?;
        let lines = match read_lines(lines, currency) {
            Ok(l) => l,
            Err(e) => return Ok(Err(e)),
        };
        let each: Vec<LineTotals> = lines.iter().map(|(_, _, t)| *t).collect();
        let sum = totals::sum(&each).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let now = Utc::now().naive_utc();
        let notes = notes.trim();
        let id: i64 = diesel::insert_into(invoices::table)
            .values((
                invoices::tenant_id.eq(cs.tenant_id()),
                invoices::client_id.eq(cs.client_id()),
                invoices::currency.eq(currency.code),
                invoices::notes.eq((!notes.is_empty()).then_some(notes)),
                invoices::subtotal.eq(sum.subtotal),
                invoices::discount.eq(sum.discount),
                invoices::tax.eq(sum.tax),
                invoices::total.eq(sum.total),
                invoices::created_at.eq(now),
                invoices::updated_at.eq(now),
            ))
            .returning(invoices::id)
            .get_result(conn)?;
        for (i, (description, l, t)) in lines.iter().enumerate() {
            diesel::insert_into(invoice_lines::table)
                .values((
                    invoice_lines::tenant_id.eq(cs.tenant_id()),
                    invoice_lines::invoice_id.eq(id),
                    invoice_lines::position.eq(i as i32 + 1),
                    invoice_lines::description.eq(description),
                    invoice_lines::quantity.eq(l.quantity.to_string()),
                    invoice_lines::unit_price.eq(l.unit_price.to_string()),
                    invoice_lines::tax_percent.eq(l.tax_percent.to_string()),
                    invoice_lines::discount_percent.eq(l.discount_percent.to_string()),
                    invoice_lines::amount.eq(t.amount),
                    invoice_lines::discount.eq(t.discount),
                    invoice_lines::tax.eq(t.tax),
                ))
                .execute(conn)?;
        }
        let changes = json!({ "lines": lines.len(), "total": currency.format(sum.total) });
        let entry = audit::Entry::of_record(cid, TABLE, id, "create", changes)
            .titled(format!("Draft invoice {}", currency.format(sum.total)));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(RecordId(id)))
    })
}

/// Sends a draft: the tenant's next number (gap-free: a rolled-back send gives it back),
/// issue date today, due after the client's net terms. Returns the reference.
pub fn send(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
) -> AppResult<Result<String, String>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let invoice = find(conn, &cs, id.0)?;
        if invoice.status != "draft" {
            return Ok(Err("Only a draft can be sent.".to_string()));
        }
        let net_terms: i32 = crate::of_tenant!(clients_table, cs.tenant())
            .filter(clients_table::id.eq(cs.client_id()))
            .select(clients_table::net_terms)
            .first(conn)?;
        let prefix: String = companies::table
            .find(cs.tenant_id())
            .select(companies::invoice_prefix)
            .first(conn)?;
        let number = numbering::next(conn, cs.tenant(), "invoice")?;
        let today = Utc::now().date_naive();
        let reference = format!("{prefix}{}-{number:04}", today.format("%Y"));
        let sent = diesel::update(
            crate::of_client!(invoices, cs)
                .filter(invoices::id.eq(invoice.id))
                .filter(invoices::status.eq("draft")),
        )
        .set((
            invoices::status.eq("sent"),
            invoices::number.eq(number),
            invoices::reference.eq(&reference),
            invoices::issue_date.eq(today),
            invoices::due_date.eq(today + Duration::days(i64::from(net_terms))),
            invoices::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        if sent == 0 {
            return Err(AppError::Conflict("The invoice was sent meanwhile.".into()));
        }
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

/// Voids a sent invoice with nothing paid on it: it keeps its number and owes nothing.
pub fn void(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
) -> AppResult<Result<(), String>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let invoice = find(conn, &cs, id.0)?;
        if invoice.status != "sent" || invoice.paid != 0 {
            return Ok(Err(
                "Only a sent invoice with no payment can be voided; delete its payments first."
                    .to_string(),
            ));
        }
        diesel::update(
            crate::of_client!(invoices, cs)
                .filter(invoices::id.eq(invoice.id))
                .filter(invoices::status.eq("sent"))
                .filter(invoices::paid.eq(0)),
        )
        .set((
            invoices::status.eq("void"),
            invoices::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        let name = invoice.reference.clone().unwrap_or_default();
        let entry = audit::Entry::of_record(cid, TABLE, invoice.id, "void", json!({}))
            .titled(format!("invoice {name}"));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(()))
    })
}
