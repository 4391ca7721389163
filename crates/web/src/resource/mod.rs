//! Generic handlers for every client sub-resource. Each loads the client through the
//! tenant scope first, so another tenant's client (or a row of another client) is a 404.

pub(crate) mod detail;
pub mod export;
pub mod extra;
pub mod form;

use actix_web::{web, HttpResponse};

use super::page;
use super::pages::ListPage;
use super::views::{headers, priced, ClientNav, Pager, RowView};
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::clients::Client;
use crate::domain::forms::shown;
use crate::domain::forms::view::OptionView;
use crate::domain::forms::Field;
use crate::domain::list::ListParams;
use crate::domain::policy;
use crate::domain::policy::{Action, Perm};
use crate::domain::registry::tabs;
use crate::domain::resource::expiry;
use crate::domain::resource::{fields_for, refs, sortable_for, Resource};
use crate::domain::scope::{ClientId, ClientScope, Viewer};
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::{AnyConnection, Db};

/// Every route of a sub-resource, with the permission it needs.
pub fn routes<R: Resource>(t: &mut Table) {
    use Action::*;
    let base = format!("/clients/{{cid}}/{}", R::SLUG);
    let feature = R::SWITCHABLE.then_some(R::SLUG);
    let perm = |action| Perm::new(R::AREA, action);
    t.get(&base, perm(View), feature, || web::get().to(list::<R>));
    t.get(&format!("{base}.csv"), perm(View), feature, || {
        web::get().to(export::csv::<R>)
    });
    if !R::CUSTOM_CREATE {
        t.post(&base, perm(Edit), feature, || {
            web::post().to(form::create::<R>)
        });
        t.get(&format!("{base}/new"), perm(Edit), feature, || {
            web::get().to(form::new::<R>)
        });
    }
    t.get(&format!("{base}/{{id}}"), perm(View), feature, || {
        web::get().to(detail::show::<R>)
    });
    t.post(&format!("{base}/{{id}}"), perm(Edit), feature, || {
        web::post().to(form::update::<R>)
    });
    t.get(&format!("{base}/{{id}}/edit"), perm(Edit), feature, || {
        web::get().to(form::edit::<R>)
    });
    t.post(
        &format!("{base}/{{id}}/archive"),
        perm(Edit),
        feature,
        || web::post().to(detail::archive::<R>),
    );
    t.post(
        &format!("{base}/{{id}}/restore"),
        perm(Edit),
        feature,
        || web::post().to(detail::restore::<R>),
    );
    if R::SHAREABLE {
        let needed = crate::domain::sharing::links::needed::<R>();
        t.post(&format!("{base}/{{id}}/share"), needed, feature, || {
            web::post().to(crate::sharing::share::<R>)
        });
    }
    if crate::domain::resource::secret_fields::<R>()
        .next()
        .is_some()
    {
        t.post(
            &format!("{base}/{{id}}/reveal"),
            perm(Reveal),
            feature,
            || web::post().to(detail::reveal::<R>),
        );
        t.get(
            &format!("{base}/{{id}}/reveal"),
            perm(View),
            feature,
            || web::get().to(detail::reveal_again::<R>),
        );
    }
}

/// Registers every route of each resource it visits (`registry::each`).
pub struct Register<'a>(pub &'a mut Table);

impl crate::domain::registry::Visitor for Register<'_> {
    fn visit<R: Resource>(&mut self) {
        routes::<R>(self.0);
    }
}

/// The list's downloads: CSV with the list's search, filter and sort; contacts also
/// as vCards.
fn exports<R: Resource>(
    q: &crate::domain::resource::ListQuery,
    base: &str,
) -> Vec<(String, String)> {
    let mut links = vec![(
        q.href(&format!("{base}.csv"), None, None),
        "Export CSV".to_string(),
    )];
    if R::SLUG == crate::domain::directory::contacts::Contacts::SLUG {
        links.push((format!("{base}.vcf"), "vCards".to_string()));
    }
    links
}

pub fn base<R: Resource>(cid: i64) -> String {
    format!("/clients/{cid}/{}", R::SLUG)
}

fn label(fields: &[Field], name: &str) -> &'static str {
    fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.label)
        .unwrap_or("")
}

/// What every client page loads first: the client (proving the scope) and its tabs.
pub fn client_context(
    conn: &mut AnyConnection,
    viewer: Viewer,
    cid: i64,
) -> AppResult<(Client, ClientScope, Vec<tabs::Tab>)> {
    let (client, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
    let tabs = tabs::load(conn, &cs)?;
    Ok((client, cs, tabs))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn list<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let sortable = sortable_for::<R>(ctx.role());
    let q = params.normalize(&sortable);
    let (tenant, query) = (ctx.viewer(), q.clone());
    let (client, tabs, total, rows, refs) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let total = R::count(conn, &cs, &query)?;
            let rows = R::list(conn, &cs, &query)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            Ok((client, tabs, total, rows, refs))
        })
        .await?;
    let base = base::<R>(cid);
    let fields = fields_for::<R>(ctx.role());
    let shown_columns: Vec<&str> = R::COLUMNS
        .iter()
        .copied()
        .filter(|c| R::FIELDS.iter().all(|f| f.name != *c) || fields.iter().any(|f| f.name == *c))
        .collect();
    let columns: Vec<_> = shown_columns
        .iter()
        .map(|c| (*c, label(R::FIELDS, c)))
        .collect();
    let today = today();
    let rows: Vec<RowView> = rows
        .iter()
        .map(|row| {
            let input = R::to_input(row);
            RowView {
                href: format!("{base}/{}", R::id(row)),
                cells: shown_columns
                    .iter()
                    .filter_map(|c| fields.iter().find(|f| f.name == *c))
                    .map(|f| priced(f, shown(f, &input, &refs), &client.billing.currency))
                    .collect(),
                archived: R::archived(row),
                badge: expiry::badge(R::expiry(row), today),
            }
        })
        .collect();
    page(&ListPage {
        l: ctx.layout(format!("{} · {}", R::PLURAL, client.data.name)),
        nav: Some(ClientNav::new(&ctx, &client, tabs, R::SLUG)),
        heading: R::PLURAL.to_string(),
        headers: headers(&q, &base, &columns, &sortable),
        pager: Pager::new(&q, &base, total, rows.len()),
        rows,
        new_href: if policy::allows(Perm::new(R::AREA, Action::Edit), ctx.role()) {
            format!("{base}/new")
        } else {
            String::new()
        },
        new_label: format!("New {}", R::SINGULAR),
        search_hint: R::SEARCH_HINT,
        statuses: vec![],
        filter_any: R::FILTER_ANY,
        filters: OptionView::choices(R::FILTERS, &q.filter),
        extra_links: R::VIEWS
            .iter()
            .map(|(path, label)| (format!("{base}/{path}"), label.to_string()))
            .chain(exports::<R>(&q, &base))
            .collect(),
        base,
        q,
    })
}
