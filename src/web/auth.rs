//! Login and logout pages.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{page, render, see_other};
use crate::auth::{keys, password, random_token, safe_next, Layout};
use crate::db::Db;
use crate::error::AppResult;
use crate::users;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub l: Layout,
    pub email: String,
    pub next: String,
    pub error: String,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn login_form(session: Session, q: web::Query<NextParam>) -> AppResult<HttpResponse> {
    page(&LoginPage {
        l: Layout::anonymous("Log in", &session),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    session: Session,
    db: Db,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let LoginForm {
        email,
        password,
        next,
    } = form.into_inner();
    let next = safe_next(next.as_deref());
    let lookup = email.clone();
    // The lookup and argon2 both run off the worker; an unknown e-mail still costs one
    // verification, so timing does not tell which accounts exist.
    let user = db
        .run(move |conn| {
            let user = users::find_by_email(conn, &lookup)?;
            let hash = user
                .as_ref()
                .map(|u| u.password_hash.as_str())
                .unwrap_or(password::dummy_hash());
            let ok = password::verify(&password, hash);
            Ok(user.filter(|_| ok))
        })
        .await?;
    match user {
        Some(user) => {
            session.renew();
            session.clear();
            session
                .insert(keys::USER, user.id)
                .and_then(|_| session.insert(keys::CSRF, random_token(32)))
                .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
            tracing::info!(user_id = user.id, "login");
            Ok(see_other(&next))
        }
        None => {
            tracing::info!(email = %email, "login failed");
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &LoginPage {
                    l: Layout::anonymous("Log in", &session),
                    email,
                    next,
                    error: "Wrong e-mail or password.".into(),
                },
            )
        }
    }
}

pub async fn logout(session: Session) -> HttpResponse {
    session.purge();
    see_other("/login")
}
