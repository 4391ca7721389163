//! The operators' sign-in at `/platform/login`, apart from the tenants' login: an
//! operator's e-mail opens no tenant, a tenant user's opens no console. Wrong
//! passwords count in the same throttle as the tenants' login. The session's cookie
//! carries a nonce the server keeps: signing out (or in elsewhere) ends every copy.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::Op;
use crate::auth::address::client_ip;
use crate::auth::{keys, Layout};
use crate::domain::platform::operators;
use crate::domain::tenancy::{password, throttle};
use crate::error::AppResult;
use crate::{page, render, see_other};
use mspdesk_platform::db::{write_transaction, Db};
use mspdesk_platform::keys::random_token;

#[derive(Template)]
#[template(path = "platform/login.html")]
struct LoginPage {
    l: Layout,
    email: String,
    error: String,
}

pub async fn form(session: Session) -> AppResult<HttpResponse> {
    page(&LoginPage {
        l: Layout::platform("Platform sign-in", &session),
        email: String::new(),
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    req: HttpRequest,
    session: Session,
    db: Db,
    form: web::Form<Credentials>,
) -> AppResult<HttpResponse> {
    let Credentials { email, password } = form.into_inner();
    let email: String = email.trim().to_lowercase().chars().take(254).collect();
    let password: String = password.chars().take(1024).collect();
    let ip = client_ip(&req);
    let (e, i) = (email.clone(), ip.clone());
    let found = db
        .run(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let failures = throttle::recent(conn, &e, &i, now)?;
            if failures.blocked() {
                return Ok(None);
            }
            let op = operators::find_by_email(conn, &e)?;
            let hash = op
                .as_ref()
                .map_or(password::dummy_hash(), |o| o.password_hash.as_str());
            if password::verify(&password, hash) {
                let Some(op) = op else {
                    return Ok(Some(None));
                };
                let nonce = random_token(16);
                write_transaction(conn, |conn| {
                    operators::set_session(conn, op.id(), Some(&nonce), now)?;
                    Ok(operators::record(
                        conn,
                        Some(op.id()),
                        "login",
                        None,
                        json!({}),
                        Some(&i),
                        now,
                    )?)
                })?;
                return Ok(Some(Some((op, nonce))));
            }
            write_transaction(conn, |conn| Ok(throttle::record(conn, &e, &i, now)?))?;
            Ok(Some(None))
        })
        .await?;
    let refuse = |status: StatusCode, error: &str| {
        render(
            status,
            &LoginPage {
                l: Layout::platform("Platform sign-in", &session),
                email: email.clone(),
                error: error.to_string(),
            },
        )
    };
    match found {
        None => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed sign-ins. Wait a while, then try again.",
        ),
        Some(None) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Wrong e-mail or password.",
        ),
        Some(Some((op, nonce))) => {
            session.renew();
            session.clear();
            session
                .insert(keys::OPERATOR, op.id())
                .and_then(|_| session.insert(keys::OPERATOR_NONCE, nonce))
                .and_then(|_| session.insert(keys::CSRF, random_token(32)))
                .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
            Ok(see_other("/platform"))
        }
    }
}

pub async fn logout(op: Op, session: Session, db: Db) -> AppResult<HttpResponse> {
    let (id, ip) = (op.actor.id, op.actor.ip.clone());
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let now = chrono::Utc::now().naive_utc();
            operators::set_session(conn, id, None, now)?;
            let (details, ip) = (json!({}), Some(ip.as_str()));
            Ok(operators::record(
                conn,
                Some(id),
                "logout",
                None,
                details,
                ip,
                now,
            )?)
        })
    })
    .await?;
    session.purge();
    Ok(see_other("/platform/login"))
}
