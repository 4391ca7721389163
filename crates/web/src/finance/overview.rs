//! The tenant-wide Finance section: figures and aging across the clients the user may
//! open, paid revenue by month as an SVG chart, and every invoice with filters.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::billing::{FiguresView, InvoiceRow, FILTERS};
use super::chart::BarChart;
use super::money;
use crate::auth::{Ctx, Layout};
use crate::domain::finance::documents;
use crate::domain::finance::expenses::CATEGORIES;
use crate::domain::finance::figures::{self, Of, BUCKETS};
use crate::domain::finance::payments::METHODS;
use crate::domain::finance::registers;
use crate::domain::forms::choice_label;
use crate::domain::forms::view::OptionView;
use crate::error::AppResult;
use crate::page;
use crate::views::Pager;
use mspdesk_platform::db::Db;

/// Months of paid revenue on the chart.
const MONTHS: u32 = 12;

#[derive(Template)]
#[template(path = "finance/overview.html")]
struct OverviewPage {
    l: Layout,
    current: &'static str,
    sections: &'static [(&'static str, &'static str)],
    figures: Vec<FiguresView>,
    buckets: [&'static str; 5],
    charts: Vec<BarChart>,
    overdue: Vec<InvoiceRow>,
}

pub async fn show(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let today = chrono::Utc::now().date_naive();
    let viewer = ctx.viewer();
    let (figures, revenue, overdue) = db
        .run(move |conn| {
            Ok((
                figures::of(conn, Of::Tenant(&viewer), today)?,
                figures::revenue(conn, &viewer, today, MONTHS)?,
                documents::across(conn, &viewer, "overdue", None, today, (0, 10))?.1,
            ))
        })
        .await?;
    let charts = revenue
        .iter()
        .map(|(code, months)| {
            let points: Vec<(String, i64, String)> = months
                .iter()
                .map(|(m, v)| (m.format("%b").to_string(), *v, money(code, *v)))
                .collect();
            BarChart::new(
                format!("Paid revenue by month, {code}, last {MONTHS} months"),
                &points,
            )
        })
        .collect();
    page(&OverviewPage {
        l: ctx.layout("Finance"),
        current: "/finance",
        sections: SECTIONS,
        figures: figures.iter().map(FiguresView::of).collect(),
        buckets: BUCKETS,
        charts,
        overdue: overdue
            .iter()
            .map(|r| InvoiceRow::of(&r.invoice, &r.client, today))
            .collect(),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    status: Option<String>,
    client: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "finance/invoices.html")]
struct InvoicesPage {
    l: Layout,
    current: &'static str,
    sections: &'static [(&'static str, &'static str)],
    filters: Vec<OptionView>,
    rows: Vec<InvoiceRow>,
    pager: Pager,
}

pub async fn invoices(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    let today = chrono::Utc::now().date_naive();
    let status = params.status.clone().unwrap_or_default();
    let status = FILTERS
        .iter()
        .find(|(v, _)| *v == status)
        .map_or("", |(v, _)| *v);
    let client: Option<i64> = params.client.as_deref().and_then(|c| c.parse().ok());
    let mut q = crate::domain::list::ListParams {
        page: params.page.clone(),
        per: Some("50".into()),
        ..Default::default()
    }
    .normalize(&["created"]);
    q.extra = vec![
        ("status", status.to_string()),
        ("client", client.map(|c| c.to_string()).unwrap_or_default()),
    ];
    let (viewer, page_at) = (ctx.viewer(), (q.offset(), q.per));
    let (total, rows) = db
        .run(move |conn| {
            Ok(documents::across(
                conn, &viewer, status, client, today, page_at,
            )?)
        })
        .await?;
    let base = "/finance/invoices";
    page(&InvoicesPage {
        l: ctx.layout("Invoices"),
        current: "/finance/invoices",
        sections: SECTIONS,
        filters: OptionView::choices(FILTERS, status),
        pager: Pager::new(&q, base, total, rows.len()),
        rows: rows
            .iter()
            .map(|r| InvoiceRow::of(&r.invoice, &r.client, today))
            .collect(),
    })
}

/// The Finance section's pages, for its sub-menu: (href, label).
pub const SECTIONS: &[(&str, &str)] = &[
    ("/finance", "Overview"),
    ("/finance/invoices", "Invoices"),
    ("/finance/payments", "Payments"),
    ("/finance/quotes", "Quotes"),
    ("/finance/recurring", "Recurring"),
    ("/finance/expenses", "Expenses"),
];

/// A row of a register: the first cell links to the record, the second is its client.
pub struct RegisterRow {
    pub href: String,
    pub first: String,
    pub client: String,
    pub client_href: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "finance/register.html")]
struct RegisterPage {
    l: Layout,
    heading: &'static str,
    current: &'static str,
    sections: &'static [(&'static str, &'static str)],
    /// Headers after the first two (record, client).
    first: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<RegisterRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageParam {
    page: Option<String>,
}

/// A register's statement: (offset, size) → (how many in all, this page).
type Loader<T> = fn(
    &mut mspdesk_platform::db::AnyConnection,
    &crate::domain::scope::Viewer,
    (i64, i64),
) -> diesel::QueryResult<(i64, Vec<T>)>;

/// Renders one page of a register: `load` gives (total, rows) for (offset, size).
async fn register<T: Send + 'static>(
    ctx: Ctx,
    db: Db,
    params: web::Query<PageParam>,
    (base, heading, first, headers): (&'static str, &'static str, &'static str, Vec<&'static str>),
    load: Loader<T>,
    row: impl Fn(&T, chrono::NaiveDate) -> RegisterRow,
) -> AppResult<HttpResponse> {
    let q = crate::domain::list::ListParams {
        page: params.page.clone(),
        per: Some("50".into()),
        ..Default::default()
    }
    .normalize(&["date"]);
    let (viewer, at) = (ctx.viewer(), (q.offset(), q.per));
    let (total, rows) = db.run(move |conn| Ok(load(conn, &viewer, at)?)).await?;
    let today = chrono::Utc::now().date_naive();
    page(&RegisterPage {
        l: ctx.layout(heading),
        heading,
        current: base,
        sections: SECTIONS,
        first,
        headers,
        pager: Pager::new(&q, base, total, rows.len()),
        rows: rows.iter().map(|r| row(r, today)).collect(),
    })
}

fn client_link(id: i64) -> String {
    format!("/clients/{id}/billing")
}

pub async fn payments(ctx: Ctx, db: Db, p: web::Query<PageParam>) -> AppResult<HttpResponse> {
    let head = (
        "/finance/payments",
        "Payments",
        "Date",
        vec!["Invoice", "Amount", "Method", "Reference"],
    );
    register(ctx, db, p, head, registers::payments, |(r, client), _| {
        RegisterRow {
            href: format!(
                "/clients/{}/invoices/{}",
                r.payment.client_id, r.payment.invoice_id
            ),
            first: r.payment.paid_on.to_string(),
            client: client.clone(),
            client_href: client_link(r.payment.client_id),
            cells: vec![
                r.reference.clone().unwrap_or_default(),
                money(&r.currency, r.payment.amount),
                choice_label(METHODS, &r.payment.method).to_string(),
                r.payment.reference.clone().unwrap_or_default(),
            ],
        }
    })
    .await
}

pub async fn quotes(ctx: Ctx, db: Db, p: web::Query<PageParam>) -> AppResult<HttpResponse> {
    let head = (
        "/finance/quotes",
        "Quotes",
        "Quote",
        vec!["Status", "Valid until", "Total"],
    );
    register(ctx, db, p, head, registers::quotes, |(q, client), today| {
        RegisterRow {
            href: format!("/clients/{}/quotes/{}", q.client_id, q.id),
            first: q.reference.clone(),
            client: client.clone(),
            client_href: client_link(q.client_id),
            cells: vec![
                q.shown_status(today).to_string(),
                q.expires_on.to_string(),
                money(&q.currency, q.total),
            ],
        }
    })
    .await
}

pub async fn recurring(ctx: Ctx, db: Db, p: web::Query<PageParam>) -> AppResult<HttpResponse> {
    let head = (
        "/finance/recurring",
        "Recurring invoices",
        "Name",
        vec!["Every", "Next", "Per month", "Status"],
    );
    register(ctx, db, p, head, registers::recurring, |(t, client), _| {
        RegisterRow {
            href: format!("/clients/{}/recurring-invoices/{}", t.client_id, t.id),
            first: t.name.clone(),
            client: client.clone(),
            client_href: client_link(t.client_id),
            cells: vec![
                t.every(),
                t.next_text(),
                money(&t.currency, t.monthly()),
                if t.active { "Active" } else { "Paused" }.to_string(),
            ],
        }
    })
    .await
}

pub async fn expenses(ctx: Ctx, db: Db, p: web::Query<PageParam>) -> AppResult<HttpResponse> {
    let head = (
        "/finance/expenses",
        "Expenses",
        "Date",
        vec!["Vendor", "Category", "Amount", "Billing"],
    );
    register(ctx, db, p, head, registers::expenses, |(e, client), _| {
        RegisterRow {
            href: format!("/clients/{}/expenses/{}", e.client_id, e.id),
            first: e.spent_on.to_string(),
            client: client.clone(),
            client_href: client_link(e.client_id),
            cells: vec![
                e.vendor.clone(),
                choice_label(CATEGORIES, e.category.as_deref().unwrap_or("")).to_string(),
                format!(
                    "{} {}",
                    crate::domain::money::display_scaled(e.amount, 3),
                    e.currency
                ),
                match (e.billable, e.invoice_id) {
                    (_, Some(_)) => "Billed",
                    (true, None) => "To bill",
                    (false, None) => "Not billable",
                }
                .to_string(),
            ],
        }
    })
    .await
}
