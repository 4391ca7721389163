//! Invoices and their payments on the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use serde_json::Value;

use super::payment_json;
use super::{invoice_json, lines_json, lines_or_stored, refused, Draft};
use crate::api::problem;
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::finance::documents;
use crate::domain::finance::invoices;
use crate::domain::finance::lines::{Doc, LineInput};
use crate::domain::finance::payments::{self, PaymentInput};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::AppResult;
use crate::finance::refused as words;
use mspdesk_platform::db::Db;

pub(super) async fn get_invoice(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((cid, id), viewer) = (path.into_inner(), ctx.viewer());
    let full = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            Ok(documents::full(conn, &cs, id)?)
        })
        .await?;
    let mut out = invoice_json(&full.invoice);
    out["lines"] = lines_json(&full.lines);
    out["payments"] = Value::Array(
        full.payments
            .iter()
            .map(|p| payment_json(p, &full.invoice.currency))
            .collect(),
    );
    Ok(HttpResponse::Ok().json(out))
}

async fn invoice_answer(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: i64,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let viewer = ctx.viewer();
    let invoice = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, viewer, ClientId(cid))?;
            Ok(invoices::find(conn, &cs, id)?)
        })
        .await?;
    Ok(HttpResponse::build(status).json(invoice_json(&invoice)))
}

pub(super) async fn create_invoice(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    body: web::Json<Draft>,
) -> AppResult<HttpResponse> {
    let (cid, d, who) = (cid.into_inner(), body.into_inner(), ctx.who());
    let lines: Vec<LineInput> = d
        .lines
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect();
    let notes = d.notes.unwrap_or_default();
    let made = db
        .run(move |conn| invoices::create_draft(conn, &who, ClientId(cid), &lines, &notes))
        .await?;
    match made {
        Ok(id) => invoice_answer(&ctx, &db, cid, id.0, StatusCode::CREATED).await,
        Err(e) => Ok(refused("lines", e)),
    }
}

pub(super) async fn update_invoice(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    body: web::Json<Draft>,
) -> AppResult<HttpResponse> {
    let ((cid, id), d, who) = (path.into_inner(), body.into_inner(), ctx.who());
    let changed = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, who.viewer(), ClientId(cid))?;
            let invoice = invoices::find(conn, &cs, id)?;
            let lines = lines_or_stored(d.lines, conn, &cs, Doc::Invoice(invoice.id))?;
            let notes = d.notes.or(invoice.notes).unwrap_or_default();
            invoices::update_draft(conn, &who, ClientId(cid), RecordId(id), &lines, &notes)
        })
        .await?;
    match changed {
        Ok(()) => invoice_answer(&ctx, &db, cid, id, StatusCode::OK).await,
        Err(e) => Ok(refused("lines", e)),
    }
}

pub(super) async fn send_invoice(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let sent = db
        .run(move |conn| invoices::send(conn, &who, ClientId(cid), RecordId(id)))
        .await?;
    match sent {
        Ok(_) => invoice_answer(&ctx, &db, cid, id, StatusCode::OK).await,
        Err(e) => Ok(problem::refused("status", words::invoice(e), e.code())),
    }
}

pub(super) async fn void_invoice(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let voided = db
        .run(move |conn| invoices::void(conn, &who, ClientId(cid), RecordId(id)))
        .await?;
    match voided {
        Ok(_) => invoice_answer(&ctx, &db, cid, id, StatusCode::OK).await,
        Err(e) => Ok(problem::refused("status", words::invoice(e), e.code())),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    pub amount: String,
    pub paid_on: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
}

pub(super) async fn pay(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    body: web::Json<NewPayment>,
) -> AppResult<HttpResponse> {
    let ((cid, id), p, who) = (path.into_inner(), body.into_inner(), ctx.who());
    let input = PaymentInput {
        amount: p.amount,
        paid_on: p.paid_on,
        method: p.method,
        reference: p.reference,
    };
    let paid = db
        .run(move |conn| payments::record(conn, &who, ClientId(cid), RecordId(id), &input))
        .await?;
    match paid {
        Ok(_) => invoice_answer(&ctx, &db, cid, id, StatusCode::CREATED).await,
        Err(e) => Ok(problem::refused("amount", &words::payment(&e), e.code())),
    }
}
