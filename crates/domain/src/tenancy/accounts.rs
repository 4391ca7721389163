//! The write path of a tenant's people and settings: adding a user, changing a user's
//! access, changing one's password, and the tenant settings. Each checks the policy,
//! validates, writes the change with its audit entry in one transaction; argon2 runs
//! before the transaction opens (SQLite has one writer).

use serde_json::json;

use super::users::{self, Role, User};
use super::{password, sessions, tenants, throttle};
use crate::audit;
use crate::clients;
use crate::error::{AppError, AppResult};
use crate::forms::values::is_email;
use crate::policy::{require, Action, Area, Perm};
use crate::scope::Who;
use mspdesk_platform::db::{write_transaction, AnyConnection};

pub const MIN_PASSWORD: usize = 10;
/// RFC 5321's limit for an address; passwords longer than this are not typed by people.
pub const MAX_EMAIL: usize = 254;
pub const MAX_PASSWORD: usize = 1024;
pub const MAX_NAME: usize = 200;

fn entry(user: i64, action: &str, changes: serde_json::Value) -> audit::Entry<'_> {
    audit::Entry::of_tenant("users", Some(user), action, changes)
}

/// A new user as the admin's form gives it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub password: String,
    pub role: Option<Role>,
}

impl NewUser {
    /// The first thing wrong with it, as the form says it.
    pub fn problem(&self) -> Option<String> {
        let pw = self.password.chars().count();
        Some(match () {
            _ if self.name.is_empty() => "Name is required.".into(),
            _ if self.name.chars().count() > MAX_NAME => {
                format!("Name must be at most {MAX_NAME} characters.")
            }
            _ if self.email.chars().count() > MAX_EMAIL || !is_email(&self.email) => {
                "Enter an e-mail address like name@example.com.".into()
            }
            _ if pw < MIN_PASSWORD => {
                format!("The password must be at least {MIN_PASSWORD} characters.")
            }
            _ if pw > MAX_PASSWORD => {
                format!("The password must be at most {MAX_PASSWORD} characters.")
            }
            _ if self.role.is_none() => "Choose a role.".into(),
            _ => return None,
        })
    }
}

/// Adds a user to the tenant. Only this tenant's accounts are looked at for a clash:
/// another tenant may have an account with the same e-mail, and this must not tell.
pub fn create_user(
    conn: &mut AnyConnection,
    who: &Who,
    new: NewUser,
) -> AppResult<Result<i64, String>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    if let Some(problem) = new.problem() {
        return Ok(Err(problem));
    }
    let hash = password::hash(&new.password);
    write_transaction(conn, |conn| add(conn, who, &new, &hash, "create"))
}

/// Writes a checked new user with `hash` and its audit entry (`action`: a user made
/// with a password, or invited), in the caller's transaction; refused when the e-mail
/// already has an account in the tenant.
pub(super) fn add(
    conn: &mut AnyConnection,
    who: &Who,
    new: &NewUser,
    hash: &str,
    action: &str,
) -> AppResult<Result<i64, String>> {
    let role = new.role.unwrap_or(Role::Tech);
    let email = new.email.trim().to_lowercase();
    let tenant = who.tenant();
    if users::email_taken_in(conn, tenant, &email)? {
        return Ok(Err(
            "That e-mail address already has an account in your team.".into(),
        ));
    }
    let id = users::create(conn, tenant, &new.name, &email, hash, role, who.now())?;
    let changes = json!({ "name": new.name, "email": email, "role": role.label() });
    audit::record(conn, &who.actor, entry(id, action, changes))?;
    Ok(Ok(id))
}

/// A refused access change: the user and the chosen clients' names, to show the form again.
pub struct AccessRefused {
    pub user: User,
    pub clients: Vec<(i64, String)>,
    pub error: &'static str,
}

/// A user's role and client restriction. A new role ends the user's sessions; an admin
/// cannot take the admin role from themself.
pub fn update_access(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    role: Option<Role>,
    restricted: bool,
    chosen: &[i64],
) -> AppResult<Result<(), Box<AccessRefused>>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let tenant = who.tenant();
    let error = match role {
        None => "Choose a role.",
        Some(r) if id == who.user_id && r != Role::Admin => {
            "You cannot take the admin role from yourself."
        }
        _ => "",
    };
    write_transaction(conn, |conn| {
        // Another tenant's user is a 404 before anything else is looked at.
        let before = users::find_in(conn, tenant, id)?;
        // Only this tenant's clients: another tenant's id is dropped, never stored.
        let named = clients::named(conn, tenant, chosen)?;
        let Some(role) = role.filter(|_| error.is_empty()) else {
            return Ok(Err(Box::new(AccessRefused {
                user: before,
                clients: named,
                error,
            })));
        };
        let mut own: Vec<i64> = named.iter().map(|(c, _)| *c).collect();
        own.sort_unstable();
        users::set_access(conn, tenant, id, role, restricted, &own, who.now())?;
        if before.role() != role {
            sessions::end_for_user(conn, id)?;
        }
        let changes = json!({ "role": [before.role().label(), role.label()], "restricted": [before.restricted, restricted], "clients": own });
        audit::record(conn, &who.actor, entry(id, "update_access", changes))?;
        Ok(Ok(()))
    })
}

/// Why a password change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordRefused {
    TooShort,
    TooLong,
    Mismatch,
    WrongCurrent,
    Throttled,
}

/// How long to wait before checking this user's current password (failures slow the
/// answers down, never lock).
pub fn password_delay(conn: &mut AnyConnection, who: &Who) -> AppResult<std::time::Duration> {
    let user = users::find_live(conn, who.user_id)?.ok_or(AppError::NotFound)?;
    let ip = who.actor.ip.clone().unwrap_or_default();
    Ok(throttle::recent(conn, &user.email, &ip, who.now())?.delay())
}

/// Changes the user's own password. Wrong current passwords count in the login
/// throttle and are audited; every session of the user ends with the change.
pub fn change_password(
    conn: &mut AnyConnection,
    who: &Who,
    current: &str,
    new: &str,
    confirm: &str,
) -> AppResult<Result<(), PasswordRefused>> {
    let n = new.chars().count();
    if n < MIN_PASSWORD {
        return Ok(Err(PasswordRefused::TooShort));
    }
    if n > MAX_PASSWORD || current.chars().count() > MAX_PASSWORD {
        return Ok(Err(PasswordRefused::TooLong));
    }
    if new != confirm {
        return Ok(Err(PasswordRefused::Mismatch));
    }
    let user = users::find_live(conn, who.user_id)?.ok_or(AppError::NotFound)?;
    let ip = who.actor.ip.clone().unwrap_or_default();
    if throttle::recent(conn, &user.email, &ip, who.now())?.blocked() {
        return Ok(Err(PasswordRefused::Throttled));
    }
    let new_hash = password::verify(current, &user.password_hash).then(|| password::hash(new));
    write_transaction(conn, |conn| {
        let Some(hash) = &new_hash else {
            throttle::record(conn, &user.email, &ip, who.now())?;
            let changes = json!({ "reason": "wrong current password" });
            audit::record(
                conn,
                &who.actor,
                entry(user.id, "password_change_failed", changes),
            )?;
            return Ok(Err(PasswordRefused::WrongCurrent));
        };
        users::set_password(conn, user.id, hash, who.now())?;
        audit::record(
            conn,
            &who.actor,
            entry(
                user.id,
                "password_changed",
                json!({ "password": "changed" }),
            ),
        )?;
        Ok(Ok(()))
    })
}

/// The tenant's settings, audited with what changed.
pub fn update_settings(
    conn: &mut AnyConnection,
    who: &Who,
    new: &tenants::Settings,
) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let tenant = who.tenant();
    write_transaction(conn, |conn| {
        let old = tenants::settings(conn, tenant)?;
        tenants::update_settings(conn, tenant, new, who.now())?;
        let changes = json!({
            "mileage_rate": [old.mileage_rate, new.mileage_rate],
            "disabled_modules": [old.disabled, new.disabled],
            "reveal_reason_required": [old.reveal_reason_required, new.reveal_reason_required],
            "require_2fa": [old.require_2fa, new.require_2fa],
        });
        let entry = audit::Entry::of_tenant("settings", Some(tenant.get()), "update", changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(())
    })
}

/// Ends one of the user's own sessions (`Some`) or every one but `keep` (the session
/// in use); audited.
pub fn end_sessions(
    conn: &mut AnyConnection,
    who: &Who,
    one: Option<&str>,
    keep: &str,
) -> AppResult<usize> {
    write_transaction(conn, |conn| {
        let ended = match one {
            Some(id_hash) => usize::from(sessions::end_one(conn, who.user_id, id_hash)?),
            None => sessions::end_others(conn, who.user_id, keep)?,
        };
        if ended > 0 {
            let changes = json!({ "sessions": ended });
            audit::record(
                conn,
                &who.actor,
                entry(who.user_id, "sessions_ended", changes),
            )?;
        }
        Ok(ended)
    })
}
