//! The tenant-wide asset list (`/assets`): every asset of the clients the user may
//! open, with the client tab's search, status and warranty filters, on the generic
//! list page.

use actix_web::{web, HttpResponse};

use super::page;
use super::pages::ListPage;
use super::views::{headers, Pager, RowView};
use crate::domain::assets::devices::{Assets, STATUSES, TYPES};
use crate::domain::assets::inventory::{self, Filter};
use crate::domain::forms::choice_label;
use crate::domain::forms::view::OptionView;
use crate::domain::resource::list::ListParams;
use crate::domain::resource::{expiry, Resource};
use crate::domain::tenancy::policy::{Action, Perm};
use crate::error::AppResult;
use crate::platform::db::Db;
use crate::web::auth::Ctx;
use crate::web::routes::Table;

pub fn routes(t: &mut Table) {
    t.get(
        "/assets",
        Perm::new(Assets::AREA, Action::View),
        Some(Assets::SLUG),
        || web::get().to(list),
    );
}

fn label(pairs: &[(&'static str, &'static str)], value: Option<&str>) -> String {
    choice_label(pairs, value.unwrap_or("")).to_string()
}

async fn list(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    let q = params.normalize(inventory::SORTABLE);
    let f = Filter {
        status: Filter::status_of(&q.status),
        list: q.clone(),
    };
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
    let columns: &[(&str, &str)] = &[
        ("name", "Name"),
        ("client", "Client"),
        ("type", "Type"),
        ("status", "Status"),
        ("ip_address", "IP address"),
        ("warranty_expiry", "Warranty until"),
    ];
    let rows: Vec<RowView> = rows
        .iter()
        .map(|r| RowView {
            href: r.href(),
            cells: vec![
                r.name.clone(),
                r.client_name.clone().unwrap_or_default(),
                label(TYPES, r.kind.as_deref()),
                label(STATUSES, r.status.as_deref()),
                r.ip_address.clone().unwrap_or_default(),
                r.warranty_expiry.map(|d| d.to_string()).unwrap_or_default(),
            ],
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
        extra_links: vec![],
        base: base.into(),
        q,
    })
}
