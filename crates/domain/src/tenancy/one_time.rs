//! One-time links that let a user choose a password: an invitation (a new user's first
//! password) or a reset an admin starts. Only the token's hash is kept, so a database
//! dump opens no account. A link works once and until it expires; a newer link of the
//! same user replaces the older one; using it ends every session of the user.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::accounts::{MAX_PASSWORD, MIN_PASSWORD};
use super::{password, sessions};
use crate::audit;
use crate::error::AppResult;
use crate::schema::{one_time_links as o, users as u};
use crate::scope::TenantId;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::keys::{random_token, token_hash};

pub const INVITE: &str = "invite";
pub const RESET: &str = "reset";

/// How long a link works: an invitation waits a week for its reader, a reset a day.
fn lifetime(purpose: &str) -> Duration {
    if purpose == INVITE {
        Duration::days(7)
    } else {
        Duration::hours(24)
    }
}

/// The path of a link's page (the caller puts the server's address in front).
pub fn path(token: &str) -> String {
    format!("/password/{token}")
}

/// Makes a link for `user` (in the caller's transaction); returns its token, which is
/// never stored. Earlier unused links of the user stop working.
pub fn issue(
    conn: &mut AnyConnection,
    tenant: TenantId,
    user: i64,
    purpose: &str,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    diesel::delete(
        o::table
            .filter(o::user_id.eq(user))
            .filter(o::used_at.is_null()),
    )
    .execute(conn)?;
    let token = random_token(32);
    diesel::insert_into(o::table)
        .values((
            o::tenant_id.eq(tenant.get()),
            o::user_id.eq(user),
            o::purpose.eq(purpose),
            o::token_hash.eq(token_hash(&token)),
            o::created_by.eq(created_by),
            o::created_at.eq(now),
            o::expires_at.eq(now + lifetime(purpose)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A live link and whose it is.
#[derive(Debug, Clone, Queryable)]
pub struct Link {
    pub id: i64,
    pub tenant_id: i64,
    pub user_id: i64,
    pub purpose: String,
    pub name: String,
    pub email: String,
}

/// The sign-in code of the link's tenant (where its user signs in next).
pub fn team(conn: &mut AnyConnection, link: &Link) -> QueryResult<String> {
    super::tenants::sign_in_code(conn, TenantId::trusted(link.tenant_id))
}

/// The link of `token` if it is unused, unexpired and its user can still sign in.
pub fn find(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Link>> {
    if token.len() != 64 {
        return Ok(None);
    }
    o::table
        .inner_join(u::table.on(u::id.eq(o::user_id).and(u::tenant_id.eq(o::tenant_id))))
        .filter(o::token_hash.eq(token_hash(token)))
        .filter(o::used_at.is_null())
        .filter(o::expires_at.gt(now))
        .filter(u::deleted_at.is_null())
        .filter(u::disabled_at.is_null())
        .select((
            o::id,
            o::tenant_id,
            o::user_id,
            o::purpose,
            u::name,
            u::email,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)
}

/// Why a password was not set through a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The link is unknown, used or expired (the page is a 404).
    Gone,
    /// The form's message.
    Form(String),
}

/// Sets the password of the link's user and uses the link up: audited, every session
/// of the user ended, in one transaction. The hash is made before it opens.
pub fn redeem(
    conn: &mut AnyConnection,
    actor: &audit::Actor,
    token: &str,
    new: &str,
    confirm: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Link, Refused>> {
    let n = new.chars().count();
    let problem = match () {
        _ if n < MIN_PASSWORD => {
            format!("The password must be at least {MIN_PASSWORD} characters.")
        }
        _ if n > MAX_PASSWORD => format!("The password must be at most {MAX_PASSWORD} characters."),
        _ if new != confirm => "The two passwords differ.".into(),
        _ => String::new(),
    };
    if find(conn, token, now)?.is_none() {
        return Ok(Err(Refused::Gone));
    }
    if !problem.is_empty() {
        return Ok(Err(Refused::Form(problem)));
    }
    let hash = password::hash(new);
    write_transaction(conn, |conn| {
        // Looked up again inside the transaction: two tabs cannot both use it.
        let Some(link) = find(conn, token, now)? else {
            return Ok(Err(Refused::Gone));
        };
        diesel::update(o::table.find(link.id))
            .set(o::used_at.eq(now))
            .execute(conn)?;
        diesel::update(u::table.find(link.user_id))
            .set((u::password_hash.eq(&hash), u::updated_at.eq(now)))
            .execute(conn)?;
        sessions::end_for_user(conn, link.user_id)?;
        let mut actor = actor.clone();
        actor.tenant = Some(TenantId::trusted(link.tenant_id));
        actor.user_id = Some(link.user_id);
        let action = format!("password_set_by_{}", link.purpose);
        let entry = audit::Entry::of_tenant(
            "users",
            Some(link.user_id),
            &action,
            json!({ "password": "changed" }),
        );
        audit::record(conn, &actor, entry)?;
        Ok(Ok(link))
    })
}
