//! `/account/sessions`: where the user is signed in (device, address, last seen), with
//! a button to end any one of them, or all but this one.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{keys, Ctx, Layout};
use crate::domain::tenancy::{accounts, sessions};
use crate::error::AppResult;
use crate::{page, see_other};
use mspdesk_platform::db::Db;

struct SessionView {
    id_hash: String,
    device: String,
    ip: String,
    started: String,
    last_seen: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account_sessions.html")]
struct SessionsPage {
    l: Layout,
    sessions: Vec<SessionView>,
}

/// A browser and system in a few words, from the User-Agent header.
pub fn device(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("A browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match system {
        Some(s) => format!("{browser} on {s}"),
        None => browser.to_string(),
    }
}

/// The request's own session: the one whose state holds its CSRF token.
fn is_current(ctx: &Ctx) -> impl Fn(&sessions::State) -> bool + use<> {
    let csrf = ctx.csrf.clone();
    move |state: &sessions::State| {
        state
            .get(keys::CSRF)
            .and_then(|v| serde_json::from_str::<String>(v).ok())
            .is_some_and(|t| t == csrf)
    }
}

pub async fn list(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let (user, is_current) = (ctx.user_id(), is_current(&ctx));
    let rows = db
        .run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            Ok(sessions::of_user(conn, user, is_current, now)?)
        })
        .await?;
    let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let sessions = rows
        .into_iter()
        .map(|s| SessionView {
            device: device(s.user_agent.as_deref().unwrap_or("")),
            ip: s.ip.unwrap_or_default(),
            started: fmt(s.created_at),
            last_seen: fmt(s.last_seen_at),
            current: s.current,
            id_hash: s.id_hash,
        })
        .collect();
    page(&SessionsPage {
        l: ctx.layout("Your sessions"),
        sessions,
    })
}

#[derive(Deserialize)]
pub struct Which {
    /// One session to end; empty: every one but the session in use.
    #[serde(default)]
    session: String,
}

pub async fn end(ctx: Ctx, db: Db, form: web::Form<Which>) -> AppResult<HttpResponse> {
    let (who, form, is_current) = (ctx.who(), form.into_inner(), is_current(&ctx));
    let ended = db
        .run(move |conn| {
            let one = Some(form.session.as_str()).filter(|s| !s.is_empty());
            // The session in use is found here, never taken from the form.
            let mine = sessions::of_user(conn, who.user_id(), is_current, who.now())?;
            let Some(current) = mine.into_iter().find(|s| s.current) else {
                return Ok(0);
            };
            accounts::end_sessions(conn, &who, one, &current.id_hash)
        })
        .await?;
    ctx.flash(match ended {
        0 => "Nothing to end.".to_string(),
        1 => "One session ended.".to_string(),
        n => format!("{n} sessions ended."),
    });
    Ok(see_other("/account/sessions"))
}
