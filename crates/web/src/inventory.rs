//! The tenant-wide asset list (`/assets`): every asset of the clients the user may
//! open, with the client tab's search, status and warranty filters, on the generic
//! list page.

use actix_web::{web, HttpResponse};

use super::page;
use super::pages::ListPage;
use super::views::{headers, Pager, RowView};
use crate::auth::Ctx;
use crate::domain::assets::devices::{Assets, STATUSES, TYPES};
use crate::domain::assets::inventory::{self, Filter};
use crate::domain::forms::choice_label;
use crate::domain::forms::view::OptionView;
use crate::domain::list::ListParams;
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::{expiry, Resource};
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::Db;

pub fn routes(t: &mut Table) {
    t.get(
        "/assets",
        Perm::new(Assets::AREA, Action::View),
        Some(Assets::SLUG),
        || web::get().to(list),
    );
    t.get(
        "/assets.csv",
        Perm::new(Assets::AREA, Action::View),
        Some(Assets::SLUG),
        || web::get().to(export),
    );
}

fn label(pairs: &[(&'static str, &'static str)], value: Option<&str>) -> String {
    choice_label(pairs, value.unwrap_or("")).to_string()
}

const COLUMNS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("client", "Client"),
    ("type", "Type"),
    ("status", "Status"),
    ("ip_address", "IP address"),
    ("warranty_expiry", "Warranty until"),
];

fn cells(r: &inventory::Row) -> Vec<String> {
    vec![
        r.name.clone(),
        r.client_name.clone().unwrap_or_default(),
        label(TYPES, r.kind.as_deref()),
        label(STATUSES, r.status.as_deref()),
        r.ip_address.clone().unwrap_or_default(),
        r.warranty_expiry.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

fn filter(params: &ListParams) -> Filter {
    let q = params.normalize(inventory::SORTABLE);
    Filter {
        status: Filter::status_of(&q.status),
        list: q,
    }
}

/// `/assets.csv`: the inventory with its search, filters and sort, every row.
async fn export(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    use crate::resource::export::{attachment, MAX_ROWS};
    let mut f = filter(&params);
    f.list.page = 1;
    f.list.per = MAX_ROWS;
    let today = chrono::Utc::now().date_naive();
    let viewer = ctx.viewer();
    let rows = db
        .run(move |conn| Ok(inventory::list(conn, viewer, &f, today)?))
        .await?;
    let header: Vec<String> = COLUMNS.iter().map(|c| c.1.to_string()).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let body = crate::domain::portability::csv_out::write(&header, &rows)
        .map_err(crate::error::AppError::Internal)?;
    Ok(attachment(body, "assets.csv", "text/csv; charset=utf-8"))
}

async fn list(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    let f = filter(&params);
    let q = f.list.clone();
    let today = chrono::Utc::now().date_naive();
    let (viewer, filter) = (ctx.viewer(), f.clone());
    let (total, rows) = db
        .run(move |conn| {
            Ok((
                inventory::count(conn, viewer, &filter, today)?,
                inventory::list(conn, viewer, &filter, today)?,
            ))
        })
        .await?;
    let base = "/assets";
    let columns = COLUMNS;
    let rows: Vec<RowView> = rows
        .iter()
        .map(|r| RowView {
            href: r.href(),
            cells: cells(r),
            archived: false,
            badge: expiry::badge(r.warranty(), today),
        })
        .collect();
    page(&ListPage {
        l: ctx.layout("Assets"),
        nav: None,
        heading: "Assets".into(),
        headers: headers(&q, base, columns, inventory::SORTABLE),
        pager: Pager::new(&q, base, total, rows.len()),
        rows,
        new_href: String::new(),
        new_label: String::new(),
        search_hint: "Name, serial, IP, model, client",
        statuses: OptionView::choices(STATUSES, &q.status),
        filters: OptionView::choices(expiry::FILTERS, &q.filter),
        filter_any: "Any warranty",
        extra_links: vec![(q.href("/assets.csv", None, None), "Export CSV".into())],
        base: base.into(),
        q,
    })
}
