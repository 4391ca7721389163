//! Clients on the API: the client form's fields, and the billing fields for the roles
//! that see them on the page. Writes go through `clients::service` like the forms.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{Map, Value};

use super::{json as record_json, problem, ApiList, Body, BASE};
use crate::auth::Ctx;
use crate::domain::clients::{self, service, Client, BILLING_FIELDS, FIELDS};
use crate::domain::forms::{self, Errors, Field, FormInput, RefOptions};
use crate::domain::policy::{Action, Area, Perm};
use crate::domain::scope::ClientId;
use crate::error::{AppError, AppResult};
use crate::routes::Table;
use mspdesk_platform::db::{write_transaction, Db};

pub fn routes(t: &mut Table) {
    use Action::*;
    let p = |action| Perm::new(Area::Clients, action);
    let base = format!("{BASE}/clients");
    let one = format!("{base}/{{id}}");
    t.get(&base, p(View), None, || web::get().to(list));
    t.post(&base, p(Edit), None, || web::post().to(create));
    t.get(&one, p(View), None, || web::get().to(get));
    t.patch(&one, p(Edit), None, || web::patch().to(update));
    t.post(&format!("{one}/archive"), p(Edit), None, || {
        web::post().to(archive)
    });
    t.post(&format!("{one}/restore"), p(Edit), None, || {
        web::post().to(restore)
    });
}

/// The fields a client shows this caller: billing ones only for billing roles.
fn fields(ctx: &Ctx) -> Vec<Field> {
    let mut fields = FIELDS.to_vec();
    if ctx.bills() {
        fields.extend_from_slice(BILLING_FIELDS);
    }
    fields
}

fn one(ctx: &Ctx, c: &Client) -> Value {
    record_json::record(&fields(ctx), &c.to_input(), c.id, None, c.archived())
}

async fn list(ctx: Ctx, db: Db, params: web::Query<ApiList>) -> AppResult<HttpResponse> {
    let q = params
        .into_inner()
        .query(&clients::sortable_for(ctx.role()), &[])?;
    if !q.status.is_empty() && !clients::STATUSES.iter().any(|(s, _)| *s == q.status) {
        return Err(AppError::BadRequest(format!(
            "status: {:?} is not a client status.",
            q.status
        )));
    }
    let (viewer, query) = (ctx.viewer(), q.clone());
    let (total, rows) = db
        .run(move |conn| {
            Ok((
                clients::count(conn, viewer, &query)?,
                clients::list(conn, viewer, &query)?,
            ))
        })
        .await?;
    let items = rows.iter().map(|c| one(&ctx, c)).collect();
    Ok(super::page(items, total, &q))
}

async fn get(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (viewer, id) = (ctx.viewer(), id.into_inner());
    let (client, _) = db
        .run(move |conn| Ok(clients::scoped(conn, viewer, ClientId(id))?))
        .await?;
    Ok(HttpResponse::Ok().json(one(&ctx, &client)))
}

/// The body laid over `input`, checked like the client form (and the billing form
/// when a billing field is given). Returns whether billing fields were given.
/// Both forms are checked before either writes, so a refusal writes nothing.
fn read(
    fields: &[Field],
    body: &Map<String, Value>,
    input: &mut FormInput,
) -> Result<bool, Errors> {
    let errors = record_json::overlay(fields, body, input);
    if !errors.is_empty() {
        return Err(errors);
    }
    let none = RefOptions::default();
    forms::parse_checked(FIELDS, input, &none, |_, _| {})?;
    let billing = BILLING_FIELDS.iter().any(|f| body.contains_key(f.name));
    if billing {
        forms::parse_checked(BILLING_FIELDS, input, &none, clients::check)?;
    }
    Ok(billing)
}

async fn create(ctx: Ctx, db: Db, body: Body) -> AppResult<HttpResponse> {
    // A new client's starting values: the form's (active) and the columns' defaults.
    let mut input = FormInput::default();
    input.set("status", "active");
    clients::BillingData::default().show(&mut input);
    let billing = match read(&fields(&ctx), &body.0, &mut input) {
        Ok(billing) => billing,
        Err(errors) => return Ok(problem::invalid(&errors)),
    };
    let who = ctx.who();
    let created = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let id = match service::create(conn, &who, &input)? {
                    Ok(id) => id,
                    Err(errors) => return Ok(Err(errors)),
                };
                if billing && let Err(errors) = service::update_billing(conn, &who, id, &input)? {
                    return Err(AppError::BadRequest(format!("{errors:?}")));
                }
                Ok(Ok(clients::scoped(conn, who.viewer(), id)?.0))
            })
        })
        .await?;
    Ok(match created {
        Ok(client) => HttpResponse::build(StatusCode::CREATED).json(one(&ctx, &client)),
        Err(errors) => problem::invalid(&errors),
    })
}

async fn update(ctx: Ctx, db: Db, id: web::Path<i64>, body: Body) -> AppResult<HttpResponse> {
    let (who, id, body) = (ctx.who(), ClientId(id.into_inner()), body.0);
    let fields = fields(&ctx);
    let updated = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let (before, _) = clients::scoped(conn, who.viewer(), id)?;
                let mut input = before.to_input();
                let billing = match read(&fields, &body, &mut input) {
                    Ok(billing) => billing,
                    Err(e) => return Ok(Err(e)),
                };
                if let Err(e) = service::update(conn, &who, id, &input)? {
                    return Ok(Err(e));
                }
                if billing && let Err(e) = service::update_billing(conn, &who, id, &input)? {
                    return Err(AppError::BadRequest(format!("{e:?}")));
                }
                Ok(Ok(clients::scoped(conn, who.viewer(), id)?.0))
            })
        })
        .await?;
    Ok(match updated {
        Ok(client) => HttpResponse::Ok().json(one(&ctx, &client)),
        Err(errors) => problem::invalid(&errors),
    })
}

async fn set_archived(ctx: Ctx, db: Db, id: i64, archive: bool) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let client = db
        .run(move |conn| {
            service::set_archived(conn, &who, ClientId(id), archive)?;
            Ok(clients::scoped(conn, who.viewer(), ClientId(id))?.0)
        })
        .await?;
    Ok(HttpResponse::Ok().json(one(&ctx, &client)))
}

async fn archive(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_archived(ctx, db, id.into_inner(), true).await
}

async fn restore(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_archived(ctx, db, id.into_inner(), false).await
}
