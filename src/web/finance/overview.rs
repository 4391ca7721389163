//! The tenant-wide Finance section: figures and aging across the clients the user may
//! open, paid revenue by month as an SVG chart, and every invoice with filters.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::billing::{FiguresView, InvoiceRow, FILTERS};
use super::chart::BarChart;
use super::money;
use crate::domain::finance::documents;
use crate::domain::finance::figures::{self, Of, BUCKETS};
use crate::domain::forms::view::OptionView;
use crate::error::AppResult;
use crate::platform::db::Db;
use crate::web::auth::{Ctx, Layout};
use crate::web::page;
use crate::web::views::Pager;

/// Months of paid revenue on the chart.
const MONTHS: u32 = 12;

#[derive(Template)]
#[template(path = "finance/overview.html")]
struct OverviewPage {
    l: Layout,
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
    let mut q = crate::domain::resource::list::ListParams {
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
        filters: OptionView::choices(FILTERS, status),
        pager: Pager::new(&q, base, total, rows.len()),
        rows: rows
            .iter()
            .map(|r| InvoiceRow::of(&r.invoice, &r.client, today))
            .collect(),
    })
}
