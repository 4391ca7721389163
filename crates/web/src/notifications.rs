//! The bell's page: the user's notifications (newest first, unread marked), marking
//! them read, and the user's choice per kind of being told in the app and by mail.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Utc;

use crate::admin::{values, Pairs};
use crate::auth::{Ctx, Layout};
use crate::domain::automation::notifications::{self, Choice, Notification};
use crate::error::AppResult;
use crate::see_other;
use mspdesk_platform::db::Db;

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    l: Layout,
    items: Vec<Notification>,
    choices: Vec<Choice>,
}

pub async fn list(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let (items, choices) = db
        .run(move |conn| {
            Ok((
                notifications::latest(conn, &who, 100)?,
                notifications::choices(conn, &who)?,
            ))
        })
        .await?;
    crate::page(&NotificationsPage {
        l: ctx.layout("Notifications"),
        items,
        choices,
    })
}

/// Marks all read; or, opening one (`/notifications/{id}`), marks it read and goes
/// where it points.
pub async fn read_all(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let who = ctx.who();
    db.run(move |conn| {
        Ok(notifications::mark_read(
            conn,
            &who,
            None,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(see_other("/notifications"))
}

pub async fn open(ctx: Ctx, db: Db, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (who, id) = (ctx.who(), path.into_inner());
    let link = db
        .run(move |conn| {
            let link = notifications::link_of(conn, &who, id)?;
            notifications::mark_read(conn, &who, Some(id), Utc::now().naive_utc())?;
            Ok(link)
        })
        .await?;
    // Only the application's own paths (a notification's link is written by the server).
    Ok(see_other(
        if link.starts_with('/') && !link.starts_with("//") {
            &link
        } else {
            "/"
        },
    ))
}

pub async fn choose(ctx: Ctx, db: Db, form: web::Form<Pairs>) -> AppResult<HttpResponse> {
    let (who, on) = (ctx.who(), values(&form.into_inner(), "on"));
    db.run(move |conn| notifications::choose(conn, &who, &on))
        .await?;
    ctx.flash("Your notification choices are saved.");
    Ok(see_other("/notifications"))
}
