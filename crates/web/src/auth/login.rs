//! Login, and logout. A person names their team (the tenant's sign-in code), their
//! e-mail and password: the password is checked against that one tenant's account only,
//! so no tenant's account can tell anything about another's (one e-mail may have
//! accounts in several tenants, and each tenant's admin sets its own accounts'
//! passwords). The team is remembered in a cookie for the next sign-in. Input is
//! bounded before anything is looked up or audited; argon2 runs off the worker and
//! outside any write transaction (SQLite has one writer).

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::address::client_ip;
use crate::auth::{keys, safe_next, start_session, Layout};
use crate::domain::audit::Actor;
use crate::domain::tenancy::login::{self, Event};
use crate::domain::tenancy::users::User;
use crate::domain::tenancy::{password, throttle};
use crate::error::AppResult;
use crate::{page, render, see_other};
use mspdesk_platform::db::Db;

use crate::domain::tenancy::accounts::{MAX_EMAIL, MAX_PASSWORD};
use crate::domain::tenancy::tenants::MAX_CODE;

/// The cookie that remembers the team of the last sign-in on this browser. It names a
/// team, as a sign-in address would; it is no credential.
const TEAM_COOKIE: &str = "mspdesk_team";

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub l: Layout,
    pub team: String,
    pub email: String,
    pub next: String,
    pub error: String,
    pub max_code: usize,
    pub max_email: usize,
    pub max_password: usize,
}

impl LoginPage {
    fn new(session: &Session, team: &str, email: &str, next: String, error: String) -> Self {
        LoginPage {
            l: Layout::anonymous("Log in", session),
            team: team.chars().take(MAX_CODE).collect(),
            email: email.chars().take(MAX_EMAIL).collect(),
            next,
            error,
            max_code: MAX_CODE,
            max_email: MAX_EMAIL,
            max_password: MAX_PASSWORD,
        }
    }
}

#[derive(Deserialize)]
pub struct LoginParams {
    next: Option<String>,
    /// A tenant's sign-in address is `/login?team=CODE`.
    team: Option<String>,
}

/// The team named by the address, else the one this browser signed in to last.
fn remembered_team(req: &HttpRequest, given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| req.cookie(TEAM_COOKIE).map(|c| c.value().to_string()))
        .map(|t| normalise_code(&t))
        .unwrap_or_default()
}

/// Sign-in codes are compared in lower case, without surrounding blanks.
fn normalise_code(code: &str) -> String {
    code.trim().to_lowercase()
}

pub async fn login_form(
    req: HttpRequest,
    session: Session,
    q: web::Query<LoginParams>,
) -> AppResult<HttpResponse> {
    let next = safe_next(q.next.as_deref());
    let team = remembered_team(&req, q.team.as_deref());
    page(&LoginPage::new(&session, &team, "", next, String::new()))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    team: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Whoever sends `req`, before anyone is known: what the audit log keeps of them.
pub fn visitor(req: &HttpRequest) -> Actor {
    Actor::visitor(
        Some(client_ip(req)),
        user_agent(req),
        mspdesk_platform::clock::Clock::System,
    )
}

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Whether the password opens the account. No account still costs one verification,
/// so timing does not tell which teams and accounts exist.
fn opens(password: &str, account: Option<&User>) -> bool {
    match account {
        Some(u) => password::verify(password, &u.password_hash),
        None => {
            password::verify(password, password::dummy_hash());
            false
        }
    }
}

pub async fn login(
    req: HttpRequest,
    session: Session,
    db: Db,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let LoginForm {
        team,
        email,
        password,
        next,
    } = form.into_inner();
    let next = safe_next(next.as_deref());
    let team = normalise_code(&team);
    let email = email.trim().to_lowercase();
    let refuse = |status: StatusCode, error: String| {
        render(
            status,
            &LoginPage::new(&session, &team, &email, next.clone(), error),
        )
    };
    if team.chars().count() > MAX_CODE
        || email.chars().count() > MAX_EMAIL
        || password.chars().count() > MAX_PASSWORD
    {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("An e-mail address has at most {MAX_EMAIL} characters, a password at most {MAX_PASSWORD}, a team at most {MAX_CODE}."),
        );
    }
    if team.is_empty() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter your team: the sign-in code your MSP gave you (it is in your invitation)."
                .into(),
        );
    }
    let (ip, ua) = (client_ip(&req), user_agent(&req));
    let (t, e, i) = (team.clone(), email.clone(), ip.clone());
    let (failures, tenant, account) = db
        .run(move |conn| login::context(conn, &t, &e, &i, chrono::Utc::now().naive_utc()))
        .await?;
    // Refusals are audited in the tenant the sender named, so its admins see the
    // attempts on their accounts.
    let actor = Actor::visitor(Some(ip.clone()), ua, mspdesk_platform::clock::Clock::System)
        .in_tenant(tenant);
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
    let (opened, account) =
        web::block(move || (opens(&password, account.as_ref()), account)).await?;
    match account.filter(|_| opened) {
        None => {
            let e = email.clone();
            db.run(move |conn| login::record(conn, &actor, Event::Failed { email: &e }))
                .await?;
            refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Wrong team, e-mail or password.".into(),
            )
        }
        Some(user) => {
            let mut res = complete(&session, &db, user, actor, &next).await?;
            remember_team(&mut res, &team);
            Ok(res)
        }
    }
}

/// Keeps the team for this browser's next sign-in (a year; renewed at each).
fn remember_team(res: &mut HttpResponse, team: &str) {
    let cookie = actix_web::cookie::Cookie::build(TEAM_COOKIE, team.to_string())
        .path("/login")
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    // A cookie that cannot be added only means the team is typed again next time.
    let _ = res.add_cookie(&cookie);
}

/// Audits the login and signs the user in on a fresh session — or, with two-factor
/// sign-in on, asks for the code first.
async fn complete(
    session: &Session,
    db: &Db,
    user: User,
    actor: Actor,
    next: &str,
) -> AppResult<HttpResponse> {
    if user.totp_enabled_at.is_some() {
        return super::second_step::wait_for_code(session, user.id, next);
    }
    let actor = actor.as_user(&user);
    let (uid, ip, ua) = (user.id, actor.ip.clone(), actor.user_agent.clone());
    db.run(move |conn| login::record(conn, &actor, Event::Succeeded { user: uid }))
        .await?;
    start_session(session, uid, ip.as_deref().unwrap_or(""), ua.as_deref())?;
    Ok(see_other(next))
}

pub async fn logout(req: HttpRequest, session: Session, db: Db) -> AppResult<HttpResponse> {
    if let Ok(Some(uid)) = session.get::<i64>(keys::USER) {
        let actor = visitor(&req);
        db.run(move |conn| login::logout(conn, actor, uid)).await?;
    }
    // Purging deletes the session's row: a copy of the cookie opens nothing any more.
    session.purge();
    Ok(see_other("/login"))
}
