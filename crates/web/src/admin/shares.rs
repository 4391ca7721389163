//! Admin → Share links: every link of the tenant (what it opens, how many views are
//! left, until when), with Revoke.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Utc;

use crate::auth::{Ctx, Layout};
use crate::domain::scope::RecordId;
use crate::domain::sharing::links::{self, Row};
use crate::error::AppResult;
use crate::{page, see_other};
use mspdesk_platform::db::Db;

/// The newest links shown.
const SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "admin/shares.html")]
struct SharesPage {
    l: Layout,
    links: Vec<(Row, &'static str)>,
}

pub async fn list(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let rows = db.run(move |conn| links::list(conn, &who, SHOWN)).await?;
    let now = Utc::now().naive_utc();
    let links = rows
        .into_iter()
        .map(|r| {
            let state = match () {
                _ if r.revoked_at.is_some() => "revoked",
                _ if r.expires_at <= now => "expired",
                _ if r.views >= r.max_views => "used up",
                _ => "active",
            };
            (r, state)
        })
        .collect();
    page(&SharesPage {
        l: ctx.layout("Share links"),
        links,
    })
}

pub async fn revoke(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (who, id, now) = (ctx.who(), id.into_inner(), Utc::now().naive_utc());
    db.run(move |conn| links::revoke(conn, &who, RecordId(id), now))
        .await?;
    ctx.flash("The link is revoked: it opens nothing any more.");
    Ok(see_other("/admin/shares"))
}
