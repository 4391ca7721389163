//! Login (with a choice of tenant when one password opens accounts in several), and
//! logout. Input is bounded before anything is looked up or audited; argon2 runs off the
//! worker and outside any write transaction (SQLite has one writer).

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::domain::tenancy::audit::Actor;
use crate::domain::tenancy::login::{self, Event};
use crate::domain::tenancy::users::User;
use crate::domain::tenancy::{password, throttle, users};
use crate::error::{AppError, AppResult};
use crate::platform::db::Db;
use crate::web::auth::address::client_ip;
use crate::web::auth::{keys, safe_next, start_session, Layout};
use crate::web::{page, render, see_other};

use crate::domain::tenancy::accounts::{MAX_EMAIL, MAX_PASSWORD};
/// How long the tenant choice stays open after the password matched.
const CHOICE_MINUTES: i64 = 5;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub l: Layout,
    pub email: String,
    pub next: String,
    pub error: String,
    /// (user id, tenant name) when the password matched accounts in several tenants.
    pub choices: Vec<(i64, String)>,
    pub max_email: usize,
    pub max_password: usize,
}

impl LoginPage {
    fn new(session: &Session, email: &str, next: String, error: String) -> Self {
        LoginPage {
            l: Layout::anonymous("Log in", session),
            email: email.chars().take(MAX_EMAIL).collect(),
            next,
            error,
            choices: vec![],
            max_email: MAX_EMAIL,
            max_password: MAX_PASSWORD,
        }
    }
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn login_form(session: Session, q: web::Query<NextParam>) -> AppResult<HttpResponse> {
    let next = safe_next(q.next.as_deref());
    page(&LoginPage::new(&session, "", next, String::new()))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Whoever sends `req`, before anyone is known: what the audit log keeps of them.
pub fn visitor(req: &HttpRequest) -> Actor {
    Actor {
        tenant: None,
        user_id: None,
        ip: Some(client_ip(req)),
        user_agent: user_agent(req),
    }
}

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The accounts the password opens. An unknown e-mail still costs one verification,
/// so timing does not tell which accounts exist.
fn matching(password: &str, candidates: Vec<(User, String)>) -> Vec<(User, String)> {
    if candidates.is_empty() {
        password::verify(password, password::dummy_hash());
    }
    candidates
        .into_iter()
        .filter(|(u, _)| password::verify(password, &u.password_hash))
        .collect()
}

/// The tenant choice kept in the (encrypted, anonymous) session between the two steps.
#[derive(Serialize, Deserialize)]
struct Pending {
    ids: Vec<i64>,
    until: i64,
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
    let refuse = |status: StatusCode, error: String| {
        render(
            status,
            &LoginPage::new(&session, &email, next.clone(), error),
        )
    };
    if email.chars().count() > MAX_EMAIL || password.chars().count() > MAX_PASSWORD {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("An e-mail address has at most {MAX_EMAIL} characters, a password at most {MAX_PASSWORD}."),
        );
    }
    let (ip, ua) = (client_ip(&req), user_agent(&req));
    let (e, i) = (email.clone(), ip.clone());
    let (failures, candidates) = db.run(move |conn| login::context(conn, &e, &i)).await?;
    let actor = Actor {
        tenant: candidates.first().map(|(u, _)| u.tenant()),
        user_id: None,
        ip: Some(ip.clone()),
        user_agent: ua,
    };
    if failures.blocked() {
        let (a, e) = (actor.clone(), email.clone());
        db.run(move |conn| login::record(conn, &a, Event::Throttled { email: &e }))
            .await?;
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed log-ins from this address. Wait {} minutes, then try again.",
                throttle::WINDOW_MINUTES
            ),
        );
    }
    actix_web::rt::time::sleep(failures.delay()).await;
    let mut matched = web::block(move || matching(&password, candidates)).await?;
    match matched.len() {
        0 => {
            let e = email.clone();
            db.run(move |conn| login::record(conn, &actor, Event::Failed { email: &e }))
                .await?;
            refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Wrong e-mail or password.".into(),
            )
        }
        1 => complete(&session, &db, matched.remove(0).0, actor, &next).await,
        _ => {
            let pending = Pending {
                ids: matched.iter().map(|(u, _)| u.id).collect(),
                until: (Utc::now() + chrono::Duration::minutes(CHOICE_MINUTES)).timestamp(),
            };
            session
                .insert(keys::PENDING, pending)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let mut page = LoginPage::new(&session, &email, next.clone(), String::new());
            page.choices = matched.into_iter().map(|(u, t)| (u.id, t)).collect();
            page.choices.sort_by(|a, b| a.1.cmp(&b.1));
            render(StatusCode::OK, &page)
        }
    }
}

/// Audits the login and signs the user in on a fresh session — or, with two-factor
/// sign-in on, asks for the code first.
async fn complete(
    session: &Session,
    db: &Db,
    user: User,
    mut actor: Actor,
    next: &str,
) -> AppResult<HttpResponse> {
    if user.totp_enabled_at.is_some() {
        return super::second_step::wait_for_code(session, user.id, next);
    }
    actor.tenant = Some(user.tenant());
    actor.user_id = Some(user.id);
    let (uid, ip, ua) = (user.id, actor.ip.clone(), actor.user_agent.clone());
    db.run(move |conn| login::record(conn, &actor, Event::Succeeded { user: uid }))
        .await?;
    start_session(session, uid, ip.as_deref().unwrap_or(""), ua.as_deref())?;
    Ok(see_other(next))
}

#[derive(Deserialize)]
pub struct TenantChoice {
    #[serde(default)]
    user_id: String,
    next: Option<String>,
}

/// The second step after a password matched accounts in several tenants: only one of
/// those accounts, and only for a few minutes.
pub async fn choose_tenant(
    req: HttpRequest,
    session: Session,
    db: Db,
    form: web::Form<TenantChoice>,
) -> AppResult<HttpResponse> {
    let next = safe_next(form.next.as_deref());
    let pending = session
        .remove_as::<Pending>(keys::PENDING)
        .and_then(Result::ok)
        .filter(|p| p.until > Utc::now().timestamp());
    let chosen = form
        .user_id
        .parse::<i64>()
        .ok()
        .filter(|id| pending.is_some_and(|p| p.ids.contains(id)));
    let user = match chosen {
        Some(uid) => {
            db.run(move |conn| Ok(users::find_with_tenant(conn, uid)?))
                .await?
        }
        None => None,
    };
    let Some((user, _)) = user else {
        let error = "That choice has expired. Log in again.".to_string();
        let page = LoginPage::new(&session, "", next, error);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let actor = Actor {
        tenant: Some(user.tenant()),
        ..visitor(&req)
    };
    complete(&session, &db, user, actor, &next).await
}

pub async fn logout(req: HttpRequest, session: Session, db: Db) -> AppResult<HttpResponse> {
    if let Ok(Some(uid)) = session.get::<i64>(keys::USER) {
        let actor = Actor {
            user_id: Some(uid),
            ..visitor(&req)
        };
        db.run(move |conn| login::logout(conn, actor, uid)).await?;
    }
    // Purging deletes the session's row: a copy of the cookie opens nothing any more.
    session.purge();
    Ok(see_other("/login"))
}
