//! `/password/{token}`: the page of a one-time link (an invitation or a reset), where
//! its user chooses a password without being signed in. An unknown, used or expired
//! link is a 404; the page names the account and nothing else of the tenant.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use crate::auth::login::visitor;
use crate::auth::{Flash, Layout};
use crate::domain::tenancy::accounts::{MAX_PASSWORD, MIN_PASSWORD};
use crate::domain::tenancy::one_time::{self, Refused, INVITE};
use crate::error::{AppError, AppResult};
use crate::{page, render, see_other};
use mspdesk_platform::db::Db;

#[derive(Template)]
#[template(path = "password_link.html")]
struct LinkPage {
    l: Layout,
    heading: &'static str,
    email: String,
    error: String,
    min: usize,
    max: usize,
}

fn link_page(session: &Session, purpose: &str, email: String, error: String) -> LinkPage {
    let heading = if purpose == INVITE {
        "Welcome — choose your password"
    } else {
        "Choose a new password"
    };
    LinkPage {
        l: Layout::anonymous(heading, session),
        heading,
        email,
        error,
        min: MIN_PASSWORD,
        max: MAX_PASSWORD,
    }
}

pub async fn form(session: Session, db: Db, token: web::Path<String>) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let now = Utc::now().naive_utc();
    let link = db
        .run(move |conn| Ok(one_time::find(conn, &token, now)?))
        .await?;
    let link = link.ok_or(AppError::NotFound)?;
    let mut res = page(&link_page(
        &session,
        &link.purpose,
        link.email,
        String::new(),
    ))?;
    res.headers_mut().insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct Chosen {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn set(
    session: Session,
    db: Db,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<Chosen>,
) -> AppResult<HttpResponse> {
    let (token, form) = (token.into_inner(), form.into_inner());
    let actor = visitor(&req);
    let now = Utc::now().naive_utc();
    let t = token.clone();
    let done = db
        .run(move |conn| one_time::redeem(conn, &actor, &t, &form.password, &form.confirm, now))
        .await?;
    match done {
        Ok(link) => {
            Flash::success("Your password is set. Log in with it.").set(&session);
            let code = db.run(move |conn| Ok(one_time::team(conn, &link)?)).await?;
            Ok(see_other(&format!("/login?team={code}")))
        }
        Err(Refused::Gone) => Err(AppError::NotFound),
        Err(Refused::Form(error)) => {
            let now = Utc::now().naive_utc();
            let link = db
                .run(move |conn| Ok(one_time::find(conn, &token, now)?))
                .await?;
            let link = link.ok_or(AppError::NotFound)?;
            let page = link_page(&session, &link.purpose, link.email, error);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
