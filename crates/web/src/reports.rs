//! Reports: an index of those the user may read, and each report as a page (filter,
//! charts, table) and as CSV with the same rows. A report's route carries the
//! permission and module of what it reads, so the role matrix covers it.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::finance::chart::BarChart;
use crate::auth::{Ctx, Layout};
use crate::domain::finance::figures;
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::portability::csv_out;
use crate::domain::reports::{self, Report};
use crate::error::{AppError, AppResult};
use crate::resource::export::attachment;
use crate::routes::Table;
use mspdesk_platform::db::Db;

/// A report: its address, title, what it shows, and what reading it needs.
struct Def {
    name: &'static str,
    title: &'static str,
    about: &'static str,
    area: Area,
    module: Option<&'static str>,
    /// The filter: days ahead/back, or months back.
    span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Span {
    DaysAhead,
    DaysBack,
    MonthsBack,
    None,
}

const REPORTS: &[Def] = &[
    Def { name: "expirations", title: "Expirations", about: "Licences, certificates, domains, warranties and contracts that come due in the next days, across clients.", area: Area::Clients, module: None, span: Span::DaysAhead },
    Def { name: "licenses", title: "Licences", about: "Licences and seats by client and vendor, with their cost for billing roles.", area: Area::Documentation, module: Some("licenses"), span: Span::None },
    Def { name: "trips", title: "Trips and mileage", about: "Trips, miles and their cost per technician per month.", area: Area::Trips, module: Some("trips"), span: Span::MonthsBack },
    Def { name: "tickets", title: "Tickets and time", about: "Tickets opened and closed and hours worked, per client.", area: Area::Technical, module: Some("tickets"), span: Span::DaysBack },
    Def { name: "receivables", title: "Receivables", about: "What open invoices owe, by days past due, per currency.", area: Area::Billing, module: None, span: Span::None },
    Def { name: "revenue", title: "Revenue", about: "Payments received per month, per currency.", area: Area::Billing, module: None, span: Span::MonthsBack },
];

pub fn routes(t: &mut Table) {
    t.get(
        "/reports",
        Perm::new(Area::Clients, Action::View),
        None,
        || web::get().to(index),
    );
    for d in REPORTS {
        let perm = Perm::new(d.area, Action::View);
        t.get(&format!("/reports/{}", d.name), perm, d.module, || {
            web::get().to(show)
        });
        t.get(&format!("/reports/{}.csv", d.name), perm, d.module, || {
            web::get().to(csv)
        });
    }
}

fn visible(ctx: &Ctx, d: &Def) -> bool {
    allows(Perm::new(d.area, Action::View), ctx.role())
        && d.module
            .is_none_or(|m| !ctx.disabled.iter().any(|x| x == m))
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage {
    l: Layout,
    reports: Vec<(&'static str, &'static str, &'static str)>,
}

pub async fn index(ctx: Ctx) -> AppResult<HttpResponse> {
    let reports = REPORTS
        .iter()
        .filter(|d| visible(&ctx, d))
        .map(|d| (d.name, d.title, d.about))
        .collect();
    crate::page(&IndexPage {
        l: ctx.layout("Reports"),
        reports,
    })
}

#[derive(Deserialize, Default)]
pub struct Params {
    days: Option<String>,
    months: Option<String>,
}

/// The report the path names, and its span (clamped: 1–365 days, 1–36 months).
fn def_of(req: &HttpRequest) -> AppResult<&'static Def> {
    let name = req
        .path()
        .trim_start_matches("/reports/")
        .trim_end_matches(".csv");
    REPORTS
        .iter()
        .find(|d| d.name == name)
        .ok_or(AppError::NotFound)
}

fn span(d: &Def, p: &Params) -> i64 {
    let read = |v: &Option<String>, default: i64, max: i64| {
        v.as_deref()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(default)
            .clamp(1, max)
    };
    match d.span {
        Span::DaysAhead | Span::DaysBack => read(&p.days, 30, 365),
        Span::MonthsBack => read(&p.months, 12, 36),
        Span::None => 0,
    }
}

/// The report the request names, its span, and its rows.
/// `shown`: the rows a page shows (`None`: every row, for the CSV).
async fn load(
    ctx: &Ctx,
    db: &Db,
    req: &HttpRequest,
    p: &Params,
    shown: Option<usize>,
) -> AppResult<(&'static Def, i64, Report)> {
    let d = def_of(req)?;
    let n = span(d, p);
    let viewer = ctx.viewer();
    let kinds = super::home::due_kinds(ctx);
    let money = crate::domain::policy::sees_money(ctx.role());
    let now = Utc::now().naive_utc();
    let today = now.date();
    db.run(move |conn| {
        Ok(match d.name {
            "expirations" => reports::expirations::run(conn, viewer, &kinds, today, n)?,
            "licenses" => reports::licenses::run(conn, viewer, shown, money)?,
            "trips" => reports::trips::run(
                conn,
                viewer,
                figures::month_start(today, n as i32 - 1),
                n as u32,
                money,
            )?,
            "tickets" => reports::tickets::run(conn, viewer, now - Duration::days(n), n)?,
            "receivables" => reports::money::receivables(conn, viewer, today)?,
            "revenue" => reports::money::revenue(conn, viewer, today, n as u32)?,
            _ => return Err(AppError::NotFound),
        })
    })
    .await
    .map(|report| (d, n, report))
}

#[derive(Template)]
#[template(path = "reports/report.html")]
struct ReportPage {
    l: Layout,
    name: &'static str,
    about: &'static str,
    /// "days" or "months" (the filter's field), or "" for none.
    field: &'static str,
    n: i64,
    choices: &'static [i64],
    charts: Vec<BarChart>,
    report: Report,
}

/// The rows a report's page shows; its CSV has them all.
pub const SHOWN_ROWS: usize = 200;

/// A chart's labels are cut to fit under their bar; the title keeps the whole name.
fn chart(c: &reports::Chart) -> BarChart {
    let points: Vec<(String, i64, String)> = c
        .points
        .iter()
        .map(|(l, v, t)| {
            let short: String = l.chars().take(8).collect();
            let text = if short.len() < l.len() {
                format!("{l}: {t}")
            } else {
                t.clone()
            };
            (short, *v, text)
        })
        .collect();
    BarChart::new(c.caption.clone(), &points)
}

pub async fn show(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    p: web::Query<Params>,
) -> AppResult<HttpResponse> {
    // A page of 20,000 rows (licences by client and vendor at 10,000 clients) is read by
    // no one and cost 4 MB of HTML per request — 16 at once took the server from 84 to
    // 157 MiB. The page shows the first rows (the charts count all of them); the CSV
    // has every row.
    let (d, n, report) = load(&ctx, &db, &req, &p, Some(SHOWN_ROWS)).await?;
    let report = report.first(SHOWN_ROWS);
    let (field, choices): (&str, &[i64]) = match d.span {
        Span::DaysAhead => ("days", &[7, 30, 60, 90, 180, 365]),
        Span::DaysBack => ("days", &[7, 30, 90, 365]),
        Span::MonthsBack => ("months", &[3, 6, 12, 24, 36]),
        Span::None => ("", &[]),
    };
    crate::page(&ReportPage {
        l: ctx.layout(d.title),
        name: d.name,
        about: d.about,
        field,
        n,
        choices,
        charts: report
            .charts
            .iter()
            .filter(|c| !c.points.is_empty())
            .map(chart)
            .collect(),
        report,
    })
}

pub async fn csv(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    p: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let (d, _, report) = load(&ctx, &db, &req, &p, None).await?;
    let header: Vec<String> = report.header.iter().map(|h| h.to_string()).collect();
    let body = csv_out::write(&header, &report.rows).map_err(AppError::Internal)?;
    Ok(attachment(
        body,
        &format!("{}.csv", d.name),
        "text/csv; charset=utf-8",
    ))
}
