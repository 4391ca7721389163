//! What a login, a refused login and a logout write: the audit entry and, for a wrong
//! password, a row for the throttle — together, in one transaction. The pages decide
//! the timing (the delay, argon2 off the worker); this is the write path.

use chrono::NaiveDateTime;
use serde_json::json;

use super::throttle::{self, Failures};
use super::users::{self, User};
use crate::audit::{self, Actor};
use crate::error::AppResult;
use crate::scope::TenantId;
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// What one login attempt is judged by: the recent failures, the tenant the sign-in
/// code names and its account with the e-mail (no other tenant is looked at).
pub fn context(
    conn: &mut AnyConnection,
    code: &str,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> AppResult<(Failures, Option<TenantId>, Option<User>)> {
    let (tenant, user) = users::find_for_sign_in(conn, code, email)?;
    Ok((throttle::recent(conn, email, ip, now)?, tenant, user))
}

/// How a login (or logout) ended.
pub enum Event<'a> {
    Throttled { email: &'a str },
    Failed { email: &'a str },
    Succeeded { user: i64 },
    LoggedOut { user: i64 },
}

pub fn record(conn: &mut AnyConnection, actor: &Actor, event: Event<'_>) -> AppResult<()> {
    let now = actor.at().naive_utc();
    write_transaction(conn, |conn| {
        let (action, user, changes) = match event {
            Event::Throttled { email } => ("login_throttled", None, json!({ "email": email })),
            Event::Failed { email } => {
                throttle::record(conn, email, actor.ip.as_deref().unwrap_or(""), now)?;
                ("login_failed", None, json!({ "email": email }))
            }
            Event::Succeeded { user } => {
                users::touch_login(conn, user, now)?;
                ("login", Some(user), json!({}))
            }
            Event::LoggedOut { user } => ("logout", Some(user), json!({})),
        };
        let entry = audit::Entry::of_tenant("session", user, action, changes);
        Ok(audit::record(conn, actor, entry)?)
    })
}

/// A logout: audited with the user's tenant (a user deleted meanwhile leaves no entry).
pub fn logout(conn: &mut AnyConnection, actor: Actor, user: i64) -> AppResult<()> {
    if let Some(u) = users::find_live(conn, user)? {
        record(conn, &actor.as_user(&u), Event::LoggedOut { user })?;
    }
    Ok(())
}
