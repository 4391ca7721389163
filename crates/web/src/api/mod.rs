//! The JSON API under `/api/v1`: the same route table, policy, module switches, tenant
//! scope, services and audit log as the pages, with API keys instead of sessions.
//! A key is accepted on API paths only and a session cookie never is (`auth`), so the
//! API has no CSRF surface and a key cannot open a page. Errors are problem details
//! (`problem`); records are their form's fields as JSON (`json`); the OpenAPI document
//! is written from the route table and the field declarations (`openapi`).

pub mod auth;
pub mod clients;
pub mod json;
pub mod money;
pub mod openapi;
pub mod problem;
pub mod records;
pub mod reference;
pub mod replies;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::domain::list::MAX_PAGE;
use crate::domain::policy::{Action, Area, Perm};
use crate::domain::registry;
use crate::domain::resource::ListQuery;
use crate::error::{AppError, AppResult};
use crate::routes::Table;

pub const BASE: &str = "/api/v1";
/// The largest JSON body (a document's Markdown is the big one, as in the form).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The most records a list page returns.
pub const MAX_PER: i64 = 100;

/// Whether a path is the API's (keys, problem details, no CSRF token). Callers pass
/// the path as the router reads it (`match_info().as_str()`, percent-decoded where
/// the router decodes), so `/%61pi/…` cannot reach an API route as a page.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Every API route: the document and its reference page (public: they hold no tenant
/// data), clients, every client sub-resource, ticket replies.
pub fn routes(t: &mut Table) {
    use Action::*;
    t.get(
        &format!("{BASE}/openapi.json"),
        Perm::new(Area::Public, View),
        None,
        || web::get().to(openapi::serve),
    );
    t.get("/api/docs", Perm::new(Area::Public, View), None, || {
        web::get().to(reference::page)
    });
    clients::routes(t);
    replies::routes(t);
    money::routes(t);
    registry::each(&mut records::Register(t));
}

/// A JSON object body, limited to `BODY_LIMIT`, `Content-Type: application/json`.
pub struct Body(pub Map<String, Value>);

impl FromRequest for Body {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Body, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<Map<String, Value>>::from_request(req, payload);
        Box::pin(async move { Ok(Body(json.await?.into_inner())) })
    }
}

/// The JSON extractor's settings on every route (only the API reads JSON).
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT)
        .error_handler(|e, _| problem::json_error(e))
}

/// A list's query string, strictly: a value out of range is a 400, not a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiList {
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<i64>,
    pub per: Option<i64>,
    pub archived: Option<bool>,
    pub filter: Option<String>,
    pub status: Option<String>,
}

impl ApiList {
    pub fn query(
        self,
        sortable: &[&str],
        filters: &[(&'static str, &'static str)],
    ) -> AppResult<ListQuery> {
        let bad = |m: String| Err(AppError::BadRequest(m));
        let sort = match self.sort {
            None => sortable.first().copied().unwrap_or("id").to_string(),
            Some(s) if sortable.contains(&s.as_str()) => s,
            Some(s) => return bad(format!("sort: {s:?} is not one of {sortable:?}.")),
        };
        let desc = match self.dir.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(d) => return bad(format!("dir: {d:?} is not asc or desc.")),
        };
        let page = self.page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return bad(format!("page: from 1 to {MAX_PAGE}."));
        }
        let per = self.per.unwrap_or(25);
        if !(1..=MAX_PER).contains(&per) {
            return bad(format!("per: from 1 to {MAX_PER}."));
        }
        let filter = self.filter.unwrap_or_default();
        if !filter.is_empty() && !filters.iter().any(|(v, _)| *v == filter) {
            return bad(format!("filter: {filter:?} is not a filter of this list."));
        }
        let q = self.q.unwrap_or_default();
        if q.chars().count() > 100 {
            return bad("q: at most 100 characters.".into());
        }
        Ok(ListQuery {
            q: q.trim().to_string(),
            sort,
            desc,
            page,
            per,
            archived: self.archived.unwrap_or(false),
            status: self.status.unwrap_or_default(),
            filter,
            extra: vec![],
        })
    }
}

/// A page of a list: its items, the total and where it is.
pub fn page(items: Vec<Value>, total: i64, q: &ListQuery) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "items": items,
        "total": total,
        "page": q.page,
        "per": q.per,
    }))
}
