//! The API of every client sub-resource, generic like its pages: list, get, create,
//! update (PATCH: only the given fields), archive, restore and — for resources with
//! secrets — reveal. Each goes through the resource's service (`resource::service`):
//! the same policy, validation, tenant scope and audit entry as the form.

use crate::domain::policy::Role;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{json as record_json, problem, ApiList, Body, BASE};
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::{service, Resource};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

pub fn base<R: Resource>() -> String {
    format!("{BASE}/clients/{{cid}}/{}", R::SLUG)
}

/// Every API route of a sub-resource, with the permission its page has.
pub fn routes<R: Resource>(t: &mut Table) {
    use Action::*;
    let base = base::<R>();
    let feature = R::SWITCHABLE.then_some(R::SLUG);
    let perm = |action| Perm::new(R::AREA, action);
    let one = format!("{base}/{{id}}");
    t.get(&base, perm(View), feature, || web::get().to(list::<R>));
    if !R::CUSTOM_CREATE {
        t.post(&base, perm(Edit), feature, || web::post().to(create::<R>));
    }
    t.get(&one, perm(View), feature, || web::get().to(get::<R>));
    t.patch(&one, perm(Edit), feature, || web::patch().to(update::<R>));
    t.post(&format!("{one}/archive"), perm(Edit), feature, || {
        web::post().to(archive::<R>)
    });
    t.post(&format!("{one}/restore"), perm(Edit), feature, || {
        web::post().to(restore::<R>)
    });
    if crate::domain::resource::secret_fields::<R>()
        .next()
        .is_some()
    {
        t.post(&format!("{one}/reveal"), perm(Reveal), feature, || {
            web::post().to(reveal::<R>)
        });
    }
}

/// Registers the API of each resource it visits (`registry::each`).
pub struct Register<'a>(pub &'a mut Table);

impl crate::domain::registry::Visitor for Register<'_> {
    fn visit<R: Resource>(&mut self) {
        routes::<R>(self.0);
    }
}

/// A record as JSON, with the fields the caller's role reads (no cost for a technician).
fn one<R: Resource>(row: &R::Row, cid: i64, role: Role) -> Value {
    record_json::record(
        &crate::domain::resource::fields_for::<R>(role),
        &R::to_input(row),
        R::id(row),
        Some(cid),
        R::archived(row),
    )
}

async fn list<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    params: web::Query<ApiList>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let sortable = crate::domain::resource::sortable_for::<R>(ctx.role());
    let q = params.into_inner().query(&sortable, R::FILTERS)?;
    let (viewer, query) = (ctx.viewer(), q.clone());
    let (total, rows) = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            let total = R::count(conn, &cs, &query)?;
            Ok((total, R::list(conn, &cs, &query)?))
        })
        .await?;
    let items: Vec<Value> = rows.iter().map(|r| one::<R>(r, cid, ctx.role())).collect();
    Ok(super::page(items, total, &q))
}

async fn get<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let viewer = ctx.viewer();
    let row = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            Ok(R::find(conn, &cs, id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(one::<R>(&row, cid, ctx.role())))
}

async fn create<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    cid: web::Path<i64>,
    body: Body,
) -> AppResult<HttpResponse> {
    write::<R>(ctx, db, vault, cid.into_inner(), None, body.0).await
}

async fn update<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    path: web::Path<(i64, i64)>,
    body: Body,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    write::<R>(ctx, db, vault, cid, Some(id), body.0).await
}

/// Create (`id` None: the new form's defaults) or update (the record as it is), with
/// the body's fields laid over, through the form's own service.
async fn write<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    cid: i64,
    id: Option<i64>,
    body: Map<String, Value>,
) -> AppResult<HttpResponse> {
    let (who, vault) = (ctx.who(), vault.get_ref().clone());
    let saved = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, who.viewer(), ClientId(cid))?;
            let mut input = match id {
                Some(id) => R::to_input(&R::find(conn, &cs, id)?),
                None => R::defaults(conn, &cs, who.writer())?,
            };
            let errors = record_json::overlay(R::FIELDS, &body, &mut input);
            if !errors.is_empty() {
                return Ok(Err(errors));
            }
            let saved =
                service::save::<R>(conn, &who, &vault, ClientId(cid), id.map(RecordId), input)?;
            let saved = match saved {
                Ok(saved) => saved,
                Err(invalid) => return Ok(Err(invalid.errors)),
            };
            Ok(Ok(R::find(conn, &cs, saved.0)?))
        })
        .await?;
    Ok(match saved {
        Ok(row) => {
            let status = if id.is_some() {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            HttpResponse::build(status).json(one::<R>(&row, cid, ctx.role()))
        }
        Err(errors) => problem::invalid(&errors),
    })
}

async fn set_archived<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    archive: bool,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let who = ctx.who();
    let row = db
        .run(move |conn| {
            service::set_archived::<R>(conn, &who, ClientId(cid), RecordId(id), archive)?;
            let (_, cs) = clients::scoped(conn, who.viewer(), ClientId(cid))?;
            Ok(R::find(conn, &cs, id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(one::<R>(&row, cid, ctx.role())))
}

async fn archive<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, true).await
}

async fn restore<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, false).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevealBody {
    pub reason: String,
}

/// Opens a record's secrets like the page's Reveal: the reveal permission, a reason
/// (always, on the API), an audit entry; sent `no-store`.
async fn reveal<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    path: web::Path<(i64, i64)>,
    body: web::Json<RevealBody>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (who, vault) = (ctx.who(), vault.get_ref().clone());
    let reason = body.into_inner().reason;
    let revealed = db
        .run(move |conn| {
            service::reveal::<R>(
                conn,
                &who,
                &vault,
                ClientId(cid),
                RecordId(id),
                &reason,
                true,
            )
        })
        .await?;
    Ok(match revealed {
        Ok(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|r| json!({ "label": r.label, "value": r.with_time_left() }))
                .collect();
            HttpResponse::Ok().json(json!({ "id": id, "secrets": items }))
        }
        Err(_) => {
            let mut errors = crate::domain::forms::Errors::default();
            errors.add("reason", "Say why you reveal this secret.");
            problem::invalid(&errors)
        }
    })
}
