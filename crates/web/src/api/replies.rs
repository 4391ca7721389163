//! A ticket's replies on the API: read them, or add one and/or move the ticket's
//! status, through the same service as the reply form (`service_desk::service::reply`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{problem, BASE};
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::forms::{Errors, FormInput};
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::Resource;
use crate::domain::scope::{ClientId, RecordId};
use crate::domain::service_desk::replies::{self, Reply};
use crate::domain::service_desk::service;
use crate::domain::service_desk::tickets::Tickets;
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::Db;

pub fn path() -> String {
    format!("{BASE}/clients/{{cid}}/{}/{{id}}/replies", Tickets::SLUG)
}

pub fn routes(t: &mut Table) {
    let feature = Tickets::SWITCHABLE.then_some(Tickets::SLUG);
    let p = |action| Perm::new(Tickets::AREA, action);
    t.get(&path(), p(Action::View), feature, || web::get().to(list));
    t.post(&path(), p(Action::Edit), feature, || web::post().to(add));
}

fn one(r: &Reply) -> Value {
    json!({
        "id": r.id,
        "author": r.author,
        "body": r.body,
        "public": r.public,
        "minutes": r.minutes,
        "billable": r.billable,
        "created_at": r.at.and_utc().to_rfc3339(),
    })
}

async fn load(db: &Db, ctx: &Ctx, cid: i64, id: i64) -> AppResult<Vec<Value>> {
    let viewer = ctx.viewer();
    let replies = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            let ticket = Tickets::find(conn, &cs, id)?;
            Ok(replies::of_ticket(conn, &cs, ticket.id)?)
        })
        .await?;
    Ok(replies.iter().map(one).collect())
}

async fn list(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let items = load(&db, &ctx, cid, id).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// A reply, a status change, or both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub minutes: u32,
    #[serde(default)]
    pub billable: bool,
    /// The ticket's new status (empty: unchanged).
    #[serde(default)]
    pub status: String,
}

async fn add(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    body: web::Json<NewReply>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let r = body.into_inner();
    let mut input = FormInput::default();
    input.set("body", r.body);
    input.set_bool("public", r.public);
    input.set("minutes", r.minutes.to_string());
    input.set_bool("billable", r.billable);
    input.set("status", r.status);
    let who = ctx.who();
    let done = db
        .run(move |conn| service::reply(conn, &who, ClientId(cid), RecordId(id), &input))
        .await?;
    if let Err(draft) = done {
        let mut errors = Errors::default();
        errors.add("body", draft.error);
        return Ok(problem::invalid(&errors));
    }
    let items = load(&db, &ctx, cid, id).await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(json!({ "items": items })))
}
