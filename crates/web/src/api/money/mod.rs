//! Money on the API, in the Billing area like its pages: invoices (tenant-wide list,
//! one with its lines and payments, drafts created and changed, sent, voided),
//! payments (list, recorded on an invoice) and quotes (list, one, drafts, send /
//! accept / decline). Each write is the finance service the pages call; amounts are
//! decimal text in the document's currency, never floats.

mod invoice;
mod quote;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{problem, BASE, MAX_PER};
use crate::auth::Ctx;
use crate::domain::currency::Currency;
use crate::domain::finance::documents::{self, Payment};
use crate::domain::finance::invoices::{self, Invoice};
use crate::domain::finance::lines::{self, Doc, LineInput, StoredLine};
use crate::domain::finance::quotes::Quote;
use crate::domain::finance::registers;
use crate::domain::forms::Errors;
use crate::domain::policy::{Action, Area, Perm};
use crate::error::{AppError, AppResult};
use crate::routes::Table;
use mspdesk_platform::db::Db;

pub fn routes(t: &mut Table) {
    let (view, edit) = (
        Perm::new(Area::Billing, Action::View),
        Perm::new(Area::Billing, Action::Edit),
    );
    let inv = format!("{BASE}/clients/{{cid}}/invoices");
    let quo = format!("{BASE}/clients/{{cid}}/quotes");
    t.get(&format!("{BASE}/invoices"), view, None, || {
        web::get().to(list_invoices)
    });
    t.get(&format!("{BASE}/payments"), view, None, || {
        web::get().to(list_payments)
    });
    t.get(&format!("{BASE}/quotes"), view, None, || {
        web::get().to(list_quotes)
    });
    t.post(&inv, edit, None, || web::post().to(invoice::create_invoice));
    t.get(&format!("{inv}/{{id}}"), view, None, || {
        web::get().to(invoice::get_invoice)
    });
    t.patch(&format!("{inv}/{{id}}"), edit, None, || {
        web::patch().to(invoice::update_invoice)
    });
    t.post(&format!("{inv}/{{id}}/send"), edit, None, || {
        web::post().to(invoice::send_invoice)
    });
    t.post(&format!("{inv}/{{id}}/void"), edit, None, || {
        web::post().to(invoice::void_invoice)
    });
    t.post(&format!("{inv}/{{id}}/payments"), edit, None, || {
        web::post().to(invoice::pay)
    });
    t.post(&quo, edit, None, || web::post().to(quote::create_quote));
    t.get(&format!("{quo}/{{id}}"), view, None, || {
        web::get().to(quote::get_quote)
    });
    t.patch(&format!("{quo}/{{id}}"), edit, None, || {
        web::patch().to(quote::update_quote)
    });
    t.post(&format!("{quo}/{{id}}/send"), edit, None, || {
        web::post().to(quote::send_quote)
    });
    t.post(&format!("{quo}/{{id}}/accept"), edit, None, || {
        web::post().to(quote::accept_quote)
    });
    t.post(&format!("{quo}/{{id}}/decline"), edit, None, || {
        web::post().to(quote::decline_quote)
    });
}

/// A money list's query: page, per, and for invoices a status and a client.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyList {
    pub page: Option<i64>,
    pub per: Option<i64>,
    pub status: Option<String>,
    pub client_id: Option<i64>,
}

impl MoneyList {
    /// The window of a list that has no filters (payments, quotes).
    fn plain(&self) -> AppResult<((i64, i64), i64)> {
        if self.status.is_some() || self.client_id.is_some() {
            return Err(AppError::BadRequest(
                "This list takes page and per only.".into(),
            ));
        }
        self.window()
    }

    /// (offset, limit) and the page's number, or 400.
    fn window(&self) -> AppResult<((i64, i64), i64)> {
        let page = self.page.unwrap_or(1);
        let per = self.per.unwrap_or(25);
        if !(1..=crate::domain::list::MAX_PAGE).contains(&page) || !(1..=MAX_PER).contains(&per) {
            return Err(AppError::BadRequest(format!(
                "page: from 1; per: from 1 to {MAX_PER}."
            )));
        }
        Ok((((page - 1) * per, per), page))
    }
}

fn paged(items: Vec<Value>, total: i64, page: i64, per: i64) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "items": items, "total": total, "page": page, "per": per }))
}

fn money(code: &str, minor: i64) -> Value {
    match Currency::of(code) {
        Some(c) => json!(c.format(minor)),
        None => Value::Null,
    }
}

pub(super) fn invoice_json(i: &Invoice) -> Value {
    let m = |v| money(&i.currency, v);
    json!({
        "id": i.id, "client_id": i.client_id, "number": i.number, "reference": i.reference,
        "status": i.status, "currency": i.currency, "issue_date": i.issue_date,
        "due_date": i.due_date, "notes": i.notes, "subtotal": m(i.subtotal),
        "discount": m(i.discount), "tax": m(i.tax), "total": m(i.total), "paid": m(i.paid),
        "balance": m(i.balance()), "quote_id": i.quote_id,
    })
}

pub(super) fn payment_json(p: &Payment, currency: &str) -> Value {
    json!({
        "id": p.id, "client_id": p.client_id, "invoice_id": p.invoice_id, "paid_on": p.paid_on,
        "amount": money(currency, p.amount), "currency": currency, "method": p.method,
        "reference": p.reference,
    })
}

pub(super) fn quote_json(q: &Quote) -> Value {
    let m = |v| money(&q.currency, v);
    json!({
        "id": q.id, "client_id": q.client_id, "reference": q.reference, "status": q.status,
        "currency": q.currency, "issue_date": q.issue_date, "expires_on": q.expires_on,
        "notes": q.notes, "subtotal": m(q.subtotal), "discount": m(q.discount),
        "tax": m(q.tax), "total": m(q.total), "invoice_id": q.invoice_id,
    })
}

pub(super) fn lines_json(lines: &[StoredLine]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| {
                json!({ "description": l.description, "quantity": l.quantity,
                    "unit_price": l.unit_price, "tax_percent": l.tax_percent,
                    "discount_percent": l.discount_percent })
            })
            .collect(),
    )
}

async fn list_invoices(ctx: Ctx, db: Db, q: web::Query<MoneyList>) -> AppResult<HttpResponse> {
    let (window, page) = q.window()?;
    let status = q.status.clone().unwrap_or_default();
    let allowed = ["", "all", "open", "overdue"];
    if !allowed.contains(&status.as_str()) && invoices::InvoiceStatus::parse(&status).is_none() {
        return Err(AppError::BadRequest(format!(
            "status: {status:?} is not an invoice status."
        )));
    }
    let (viewer, client, today) = (ctx.viewer(), q.client_id, chrono::Utc::now().date_naive());
    let (total, rows) = db
        .run(move |conn| {
            Ok(documents::across(
                conn, &viewer, &status, client, today, window,
            )?)
        })
        .await?;
    let items = rows.iter().map(|r| invoice_json(&r.invoice)).collect();
    Ok(paged(items, total, page, window.1))
}

async fn list_payments(ctx: Ctx, db: Db, q: web::Query<MoneyList>) -> AppResult<HttpResponse> {
    let (window, page) = q.plain()?;
    let viewer = ctx.viewer();
    let (total, rows) = db
        .run(move |conn| Ok(registers::payments(conn, &viewer, window)?))
        .await?;
    let items = rows
        .iter()
        .map(|(r, _)| payment_json(&r.payment, &r.currency))
        .collect();
    Ok(paged(items, total, page, window.1))
}

async fn list_quotes(ctx: Ctx, db: Db, q: web::Query<MoneyList>) -> AppResult<HttpResponse> {
    let (window, page) = q.plain()?;
    let viewer = ctx.viewer();
    let (total, rows) = db
        .run(move |conn| Ok(registers::quotes(conn, &viewer, window)?))
        .await?;
    let items = rows.iter().map(|(q, _)| quote_json(q)).collect();
    Ok(paged(items, total, page, window.1))
}

/// A draft's lines and notes, as the lines editor sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    #[serde(default)]
    pub lines: Option<Vec<Line>>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Quotes only: the last day the quote holds (YYYY-MM-DD).
    #[serde(default)]
    pub expires_on: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    #[serde(default)]
    pub tax_percent: String,
    #[serde(default)]
    pub discount_percent: String,
}

impl From<Line> for LineInput {
    fn from(l: Line) -> LineInput {
        LineInput {
            description: l.description,
            quantity: l.quantity,
            unit_price: l.unit_price,
            tax_percent: l.tax_percent,
            discount_percent: l.discount_percent,
        }
    }
}

/// The lines a PATCH gives, or the document's stored ones when it gives none.
pub(super) fn lines_or_stored(
    given: Option<Vec<Line>>,
    conn: &mut mspdesk_platform::db::AnyConnection,
    cs: &crate::domain::scope::ClientScope,
    doc: Doc,
) -> diesel::QueryResult<Vec<LineInput>> {
    Ok(match given {
        Some(lines) => lines.into_iter().map(LineInput::from).collect(),
        None => lines::load(conn, cs.tenant(), doc)?
            .iter()
            .map(StoredLine::to_input)
            .collect(),
    })
}

/// A refusal of the finance services (a list of messages) as one field error.
pub(super) fn refused(field: &str, messages: Vec<String>) -> HttpResponse {
    let mut errors = Errors::default();
    errors.add(field, messages.join(" "));
    problem::invalid(&errors)
}
