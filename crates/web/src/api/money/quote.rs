//! Quotes on the API: drafts, then send, accept (which makes a draft invoice) or decline.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{lines_json, lines_or_stored, quote_json, refused, Draft};
use crate::api::problem;
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::finance::lines;
use crate::domain::finance::lines::Doc;
use crate::domain::finance::quotes::{self, QuoteInput, Step};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::AppResult;
use crate::finance::refused as words;
use mspdesk_platform::db::Db;

async fn quote_answer(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: i64,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let viewer = ctx.viewer();
    let (quote, lines) = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            let quote = quotes::find(conn, &cs, id)?;
            let lines = lines::load(conn, cs.tenant(), Doc::Quote(quote.id))?;
            Ok((quote, lines))
        })
        .await?;
    let mut out = quote_json(&quote);
    out["lines"] = lines_json(&lines);
    Ok(HttpResponse::build(status).json(out))
}

pub(super) async fn get_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    quote_answer(&ctx, &db, cid, id, StatusCode::OK).await
}

pub(super) async fn create_quote(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    body: web::Json<Draft>,
) -> AppResult<HttpResponse> {
    let (cid, d, who) = (cid.into_inner(), body.into_inner(), ctx.who());
    let input = QuoteInput {
        lines: d
            .lines
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        expires_on: d.expires_on.unwrap_or_default(),
        notes: d.notes.unwrap_or_default(),
    };
    let today = chrono::Utc::now().date_naive();
    let made = db
        .run(move |conn| quotes::save(conn, &who, ClientId(cid), None, &input, today))
        .await?;
    match made {
        Ok(id) => quote_answer(&ctx, &db, cid, id.0, StatusCode::CREATED).await,
        Err(e) => Ok(refused("lines", e)),
    }
}

pub(super) async fn update_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    body: web::Json<Draft>,
) -> AppResult<HttpResponse> {
    let ((cid, id), d, who) = (path.into_inner(), body.into_inner(), ctx.who());
    let today = chrono::Utc::now().date_naive();
    let changed = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, who.viewer(), ClientId(cid))?;
            let quote = quotes::find(conn, &cs, id)?;
            let input = QuoteInput {
                lines: lines_or_stored(d.lines, conn, &cs, Doc::Quote(quote.id))?,
                expires_on: d.expires_on.unwrap_or_else(|| quote.expires_on.to_string()),
                notes: d.notes.or(quote.notes).unwrap_or_default(),
            };
            quotes::save(conn, &who, ClientId(cid), Some(RecordId(id)), &input, today)
        })
        .await?;
    match changed {
        Ok(_) => quote_answer(&ctx, &db, cid, id, StatusCode::OK).await,
        Err(e) => Ok(refused("lines", e)),
    }
}

async fn step_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    step: Step,
) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let moved = db
        .run(move |conn| quotes::step(conn, &who, ClientId(cid), RecordId(id), Some(step)))
        .await?;
    match moved {
        Ok(_) => quote_answer(&ctx, &db, cid, id, StatusCode::OK).await,
        Err(e) => Ok(problem::refused("status", &words::quote(e), e.code())),
    }
}

pub(super) async fn send_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    step_quote(ctx, db, path, Step::Send).await
}

pub(super) async fn accept_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    step_quote(ctx, db, path, Step::Accept).await
}

pub(super) async fn decline_quote(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    step_quote(ctx, db, path, Step::Decline).await
}
