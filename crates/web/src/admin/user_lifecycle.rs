//! A user's lifecycle buttons on their admin page: disable, enable, send a password
//! reset link. Each answers with the user's page and a message saying what happened.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;

use crate::auth::Ctx;
use crate::domain::tenancy::lifecycle;
use crate::error::AppResult;
use crate::ops::messages;
use crate::see_other;
use mspdesk_platform::db::Db;

/// This server's address as the admin's browser reached it: the start of a link that
/// goes into a mail.
pub fn base(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

async fn set_enabled(ctx: Ctx, db: Db, id: i64, on: bool) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let now = Utc::now().naive_utc();
    let done = db
        .run(move |conn| lifecycle::set_enabled(conn, &who, id, on, now))
        .await?;
    match done {
        Ok(()) if on => ctx.flash("The user can sign in again."),
        Ok(()) => {
            ctx.flash("The user is disabled: their sessions ended and their API keys stopped.")
        }
        Err(refused) => ctx.flash_error(refused),
    }
    Ok(see_other(&format!("/admin/users/{id}")))
}

pub async fn disable(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_enabled(ctx, db, id.into_inner(), false).await
}

pub async fn enable(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_enabled(ctx, db, id.into_inner(), true).await
}

pub async fn reset_link(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (who, id, base) = (ctx.who(), id.into_inner(), base(&req));
    let now = Utc::now().naive_utc();
    let url = db
        .run(move |conn| lifecycle::reset_link(conn, &who, id, &base, &messages::account_link, now))
        .await?;
    ctx.flash(format!(
        "A reset link was mailed to the user (see Admin → Mail). It works once, for 24 hours; you can also pass it on yourself: {url}"
    ));
    Ok(see_other(&format!("/admin/users/{id}")))
}
