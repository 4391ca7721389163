//! `/login/code`: the second step of signing in for a user with two-factor sign-in on.
//! The password step leaves only the user's id in the anonymous session, for a few
//! minutes; a right code (or an unused recovery code) then signs them in on a fresh
//! session. Wrong codes count in the same throttle as wrong passwords.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::auth::address::client_ip;
use crate::auth::login::user_agent;
use crate::auth::{keys, start_session, Layout};
use crate::domain::audit::Actor;
use crate::domain::tenancy::login::{self, Event};
use crate::domain::tenancy::{throttle, two_factor, users};
use crate::error::{AppError, AppResult};
use crate::{page, render, see_other};
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

/// How long the code step waits after the password step.
const MINUTES: i64 = 5;

/// A password step that passed, waiting for its code.
#[derive(Serialize, Deserialize, Clone)]
pub struct Waiting {
    pub user_id: i64,
    pub until: i64,
    pub next: String,
}

/// Leaves the user waiting for their code; the answer to the password step.
pub fn wait_for_code(session: &Session, user_id: i64, next: &str) -> AppResult<HttpResponse> {
    let waiting = Waiting {
        user_id,
        until: (Utc::now() + chrono::Duration::minutes(MINUTES)).timestamp(),
        next: next.to_string(),
    };
    session
        .insert(keys::SECOND_STEP, waiting)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(see_other("/login/code"))
}

fn waiting(session: &Session) -> Option<Waiting> {
    session
        .get::<Waiting>(keys::SECOND_STEP)
        .ok()
        .flatten()
        .filter(|w| w.until > Utc::now().timestamp())
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    l: Layout,
    error: String,
}

pub async fn form(session: Session) -> AppResult<HttpResponse> {
    if waiting(&session).is_none() {
        return Ok(see_other("/login"));
    }
    page(&CodePage {
        l: Layout::anonymous("Sign-in code", &session),
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct Answer {
    #[serde(default)]
    code: String,
}

pub async fn check(
    req: HttpRequest,
    session: Session,
    db: Db,
    vault: web::Data<Vault>,
    form: web::Form<Answer>,
) -> AppResult<HttpResponse> {
    let Some(w) = waiting(&session) else {
        return Ok(see_other("/login"));
    };
    let (ip, ua) = (client_ip(&req), user_agent(&req));
    let code: String = form.into_inner().code.chars().take(40).collect();
    let (uid, i, vault) = (w.user_id, ip.clone(), vault.into_inner());
    let now = Utc::now().naive_utc();
    let outcome = db
        .run(move |conn| {
            let Some(user) = users::find_live(conn, uid)? else {
                return Ok(None);
            };
            if throttle::recent(conn, &user.email, &i, now)?.blocked() {
                return Ok(Some((user, None)));
            }
            let right = two_factor::check(conn, &vault, &user, &code, &i, now)?;
            Ok(Some((user, Some(right))))
        })
        .await?;
    let refuse = |status: StatusCode, error: &str| {
        render(
            status,
            &CodePage {
                l: Layout::anonymous("Sign-in code", &session),
                error: error.to_string(),
            },
        )
    };
    match outcome {
        None => {
            session.remove(keys::SECOND_STEP);
            Ok(see_other("/login"))
        }
        Some((_, None)) => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many wrong codes. Wait a while, then try again.",
        ),
        Some((_, Some(false))) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "That code does not match. Type the 6 digits your app shows now, or a recovery code.",
        ),
        Some((user, Some(true))) => {
            session.remove(keys::SECOND_STEP);
            let actor = Actor::visitor(
                Some(ip.clone()),
                ua.clone(),
                mspdesk_platform::clock::Clock::System,
            )
            .as_user(&user);
            let uid = user.id;
            db.run(move |conn| login::record(conn, &actor, Event::Succeeded { user: uid }))
                .await?;
            start_session(&session, uid, &ip, ua.as_deref())?;
            Ok(see_other(&w.next))
        }
    }
}
