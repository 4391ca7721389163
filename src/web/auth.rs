//! Login and logout pages.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::{page, render, see_other};
use crate::audit::{self, Actor};
use crate::auth::{keys, password, random_token, safe_next, Layout};
use crate::db::Db;
use crate::error::{AppError, AppResult};
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

/// The address the request came from, as the socket saw it (a forwarded-for header
/// would let a client pick its own address and dodge throttling).
pub fn peer_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A login, logout or refused login in the audit log.
fn session_event(
    conn: &mut crate::db::AnyConnection,
    actor: &Actor,
    action: &str,
    user: Option<i64>,
    changes: serde_json::Value,
) -> diesel::QueryResult<()> {
    let entry = audit::Entry {
        client_id: None,
        entity: "session",
        entity_id: user,
        action,
        changes,
    };
    audit::record(conn, actor, entry)
}

enum Attempt {
    Ok(users::User),
    Wrong,
    Throttled,
}

pub async fn login(
    req: HttpRequest,
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
    let email = email.trim().to_lowercase();
    let lookup = email.clone();
    let ip = peer_ip(&req);
    let ua = user_agent(&req);
    // The lookup and argon2 both run off the worker; an unknown e-mail still costs one
    // verification, so timing does not tell which accounts exist. Failures are counted
    // from the audit log, so every worker (and every instance) sees the same count.
    let attempt = db
        .tx(move |conn| {
            let (by_email, by_ip) = audit::recent_login_failures(conn, &lookup, &ip)?;
            let user = users::find_by_email(conn, &lookup)?;
            let mut actor = Actor {
                tenant: user.as_ref().map(|u| u.tenant()),
                user_id: None,
                ip: Some(ip),
                user_agent: ua,
            };
            if by_email >= audit::LOGIN_MAX_FAILURES || by_ip >= audit::LOGIN_MAX_FAILURES {
                session_event(
                    conn,
                    &actor,
                    "login_throttled",
                    None,
                    json!({ "email": lookup }),
                )?;
                return Ok(Attempt::Throttled);
            }
            let hash = user
                .as_ref()
                .map(|u| u.password_hash.as_str())
                .unwrap_or(password::dummy_hash());
            let ok = password::verify(&password, hash);
            match user.filter(|_| ok) {
                Some(user) => {
                    actor.user_id = Some(user.id);
                    session_event(conn, &actor, "login", Some(user.id), json!({}))?;
                    Ok(Attempt::Ok(user))
                }
                None => {
                    session_event(
                        conn,
                        &actor,
                        "login_failed",
                        None,
                        json!({ "email": lookup }),
                    )?;
                    Ok(Attempt::Wrong)
                }
            }
        })
        .await?;
    let (status, error) = match attempt {
        Attempt::Ok(user) => {
            // A fresh session: nothing from before the login survives into it.
            session.renew();
            session.clear();
            session
                .insert(keys::USER, user.id)
                .and_then(|_| session.insert(keys::EPOCH, user.session_epoch))
                .and_then(|_| session.insert(keys::CSRF, random_token(32)))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            return Ok(see_other(&next));
        }
        Attempt::Wrong => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Wrong e-mail or password.".to_string(),
        ),
        Attempt::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed log-ins. Wait {} minutes, then try again.",
                audit::LOGIN_WINDOW_MINUTES
            ),
        ),
    };
    render(
        status,
        &LoginPage {
            l: Layout::anonymous("Log in", &session),
            email,
            next,
            error,
        },
    )
}

pub async fn logout(req: HttpRequest, session: Session, db: Db) -> AppResult<HttpResponse> {
    if let Ok(Some(uid)) = session.get::<i64>(keys::USER) {
        let (ip, ua) = (peer_ip(&req), user_agent(&req));
        db.tx(move |conn| {
            if let Some((user, _)) = users::find_with_tenant(conn, uid)? {
                let actor = Actor {
                    tenant: Some(user.tenant()),
                    user_id: Some(uid),
                    ip: Some(ip),
                    user_agent: ua,
                };
                session_event(conn, &actor, "logout", Some(uid), json!({}))?;
            }
            Ok(())
        })
        .await?;
    }
    session.purge();
    Ok(see_other("/login"))
}
