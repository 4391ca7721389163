//! A user's life in the tenant, as an admin runs it: invited by a one-time link,
//! disabled and enabled again, sent a password reset link. Disabling ends the user's
//! sessions and stops their API keys at once (both read `disabled_at`); nobody can
//! disable themself or leave the tenant without an active admin. Each step checks the
//! policy and writes its change, its audit entry and its mail in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::accounts::{self, NewUser};
use super::one_time::{self, INVITE, RESET};
use super::users::{self, Role};
use super::{password, sessions};
use crate::audit;
use crate::error::AppResult;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::users as u;
use crate::scope::{TenantId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// A link to mail: to whom, and the page's full address.
pub struct Mailing<'a> {
    pub tenant: TenantId,
    pub purpose: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub url: &'a str,
}

/// Queues the mail of a link in the caller's transaction (the messages module writes
/// it; the domain only decides that it is sent).
pub type Post<'a> = &'a dyn Fn(&mut AnyConnection, &Mailing) -> AppResult<()>;

fn entry(user: i64, action: &str, changes: serde_json::Value) -> audit::Entry<'_> {
    audit::Entry::of_tenant("users", Some(user), action, changes)
}

/// Active admins of the tenant (not disabled, not removed).
fn active_admins(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<i64> {
    crate::of_tenant!(u, tenant)
        .filter(u::deleted_at.is_null())
        .filter(u::disabled_at.is_null())
        .filter(u::role.eq(Role::Admin as i32))
        .count()
        .get_result(conn)
}

/// Whether taking `user` out of the admins leaves the tenant without one.
pub(crate) fn is_last_admin(
    conn: &mut AnyConnection,
    tenant: TenantId,
    user: &users::User,
) -> QueryResult<bool> {
    Ok(user.role() == Role::Admin
        && user.disabled_at.is_none()
        && active_admins(conn, tenant)? <= 1)
}

/// Disables (`on` false) or enables a user. A refusal is the page's message.
pub fn set_enabled(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    on: bool,
    now: NaiveDateTime,
) -> AppResult<Result<(), &'static str>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let tenant = who.tenant();
    write_transaction(conn, |conn| {
        let user = users::find_in(conn, tenant, id)?;
        if !on && id == who.user_id {
            return Ok(Err("You cannot disable yourself."));
        }
        if !on && is_last_admin(conn, tenant, &user)? {
            return Ok(Err("The tenant needs at least one active admin."));
        }
        if user.disabled_at.is_none() == on {
            return Ok(Ok(()));
        }
        diesel::update(u::table.find(id))
            .set((
                u::disabled_at.eq((!on).then_some(now)),
                u::updated_at.eq(now),
            ))
            .execute(conn)?;
        if !on {
            sessions::end_for_user(conn, id)?;
        }
        let action = if on { "enable" } else { "disable" };
        audit::record(
            conn,
            &who.actor,
            entry(id, action, json!({ "email": user.email })),
        )?;
        Ok(Ok(()))
    })
}

/// Whom a one-time link is for.
pub struct LinkFor<'a> {
    pub tenant: TenantId,
    pub user: i64,
    pub purpose: &'a str,
    pub name: &'a str,
    pub email: &'a str,
}

/// Issues a one-time link and queues its mail, in the caller's transaction; the link's
/// full address.
pub(crate) fn send_link(
    conn: &mut AnyConnection,
    to: &LinkFor,
    created_by: Option<i64>,
    base: &str,
    post: Post,
    now: NaiveDateTime,
) -> AppResult<String> {
    let token = one_time::issue(conn, to.tenant, to.user, to.purpose, created_by, now)?;
    let url = format!("{base}{}", one_time::path(&token));
    let m = Mailing {
        tenant: to.tenant,
        purpose: to.purpose,
        name: to.name,
        email: to.email,
        url: &url,
    };
    post(conn, &m)?;
    Ok(url)
}

/// Sends a password reset link to a user of the tenant (mailed, and returned for the
/// admin to pass on). The current password keeps working until the link is used.
pub fn reset_link(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    base: &str,
    post: Post,
    now: NaiveDateTime,
) -> AppResult<String> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let tenant = who.tenant();
    write_transaction(conn, |conn| {
        let user = users::find_in(conn, tenant, id)?;
        let to = LinkFor {
            tenant,
            user: id,
            purpose: RESET,
            name: &user.name,
            email: &user.email,
        };
        let url = send_link(conn, &to, Some(who.user_id), base, post, now)?;
        let changes = json!({ "email": user.email });
        audit::record(conn, &who.actor, entry(id, "reset_link", changes))?;
        Ok(url)
    })
}

/// Who is invited, as the new-user form gives it.
pub struct Invitee<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: Option<Role>,
}

/// Invites a new user: the account is made without a usable password (a random one
/// nobody sees) and an invitation link lets them choose theirs. Returns the user's id
/// and the link, or the form's message.
pub fn invite(
    conn: &mut AnyConnection,
    who: &Who,
    invitee: &Invitee,
    base: &str,
    post: Post,
    now: NaiveDateTime,
) -> AppResult<Result<(i64, String), String>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let new = NewUser {
        name: invitee.name.trim().to_string(),
        email: invitee.email.trim().to_lowercase(),
        password: password::generate(),
        role: invitee.role,
    };
    if let Some(problem) = new.problem() {
        return Ok(Err(problem));
    }
    let hash = password::hash(&new.password);
    write_transaction(conn, |conn| {
        let id = match accounts::add(conn, who, &new, &hash, "invite")? {
            Ok(id) => id,
            Err(refused) => return Ok(Err(refused)),
        };
        let to = LinkFor {
            tenant: who.tenant(),
            user: id,
            purpose: INVITE,
            name: &new.name,
            email: &new.email,
        };
        let url = send_link(conn, &to, Some(who.user_id), base, post, now)?;
        Ok(Ok((id, url)))
    })
}
