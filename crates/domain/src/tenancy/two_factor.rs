//! Staff two-factor sign-in: a TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s) sealed in
//! the vault like every other secret, and ten single-use recovery codes kept as hashes.
//! A code is accepted within one step either side of the server's clock, and never
//! twice (the last accepted step is kept), so a code seen over a shoulder is spent.
//! Enabling needs a code from the new secret; disabling needs the password and a code.
//! Wrong codes count in the login throttle; every change is audited.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::users::{self, Role};
use super::{password, throttle};
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::schema::{companies, recovery_codes as rc, users as u};
use crate::scope::{TenantId, Who};
use mspdesk_platform::clock::Clock;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::keys::{random_token, token_hash};
use mspdesk_platform::vault::{SecretRef, Vault};

pub const RECOVERY_CODES: usize = 10;
const DIGITS: usize = 6;
const STEP: u64 = 30;

/// Who the tenant asks for a second factor (`companies.require_2fa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Nobody = 0,
    Admins = 1,
    Everyone = 2,
}

impl Required {
    pub fn from_i32(v: i32) -> Required {
        match v {
            1 => Required::Admins,
            2 => Required::Everyone,
            _ => Required::Nobody,
        }
    }
    pub fn applies_to(self, role: Role) -> bool {
        match self {
            Required::Nobody => false,
            Required::Admins => role == Role::Admin,
            Required::Everyone => true,
        }
    }
}

/// Where a user's sealed secret lives (its AAD binds it to the user's row).
fn at(tenant: TenantId, user: i64) -> SecretRef<'static> {
    SecretRef {
        tenant_id: tenant.get(),
        table: "users",
        column: "totp_secret",
        row_id: user,
    }
}

/// A fresh secret, in base32 (what an authenticator app is given).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    mspdesk_platform::keys::fill_random(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Some(
        Builder::new()
            .with_secret(secret)
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_step_duration(STEP)
            .build_noncompliant(),
    )
}

/// The `otpauth://` link an authenticator app scans, labelled with the account's
/// name and tenant.
pub fn link(secret: &str, account: &str, tenant: &str) -> String {
    let label = format!("{tenant} ({account})");
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/mspdesk:{}?secret={secret}&issuer=mspdesk&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(&label)
    )
}

/// The time step a code matches at `unix` (the step before, this one or the next).
pub(crate) fn matching_step(secret: &str, code: &str, unix: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret)?;
    let now = unix / STEP;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .find(|step| t.generate(step * STEP).to_string() == code)
}

/// The code of a secret at `unix` (tests, and the enrolment check).
pub fn code_at(secret: &str, unix: u64) -> Option<String> {
    Some(totp(secret)?.generate(unix).to_string())
}

/// Ten new recovery codes (shown once); their hashes replace the user's old ones.
fn new_recovery_codes(
    conn: &mut AnyConnection,
    user: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    diesel::delete(rc::table.filter(rc::user_id.eq(user))).execute(conn)?;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let t = random_token(5);
            format!("{}-{}", &t[..5], &t[5..])
        })
        .collect();
    for code in &codes {
        diesel::insert_into(rc::table)
            .values((
                rc::user_id.eq(user),
                rc::code_hash.eq(token_hash(code)),
                rc::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(codes)
}

fn entry(user: i64, action: &str) -> audit::Entry<'_> {
    audit::Entry::of_tenant("users", Some(user), action, json!({}))
}

/// Turns 2FA on with `secret` once `code` proves the app has it; returns the recovery
/// codes, or the form's message.
pub fn enable(
    conn: &mut AnyConnection,
    vault: &Vault,
    who: &Who,
    secret: &str,
    code: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Vec<String>, &'static str>> {
    let unix = now.and_utc().timestamp().max(0) as u64;
    let Some(step) = matching_step(secret, code, unix) else {
        return Ok(Err(
            "That code does not match. Type the 6 digits your app shows now.",
        ));
    };
    let sealed = vault.seal(at(who.tenant(), who.user_id), secret);
    write_transaction(conn, |conn| {
        diesel::update(u::table.find(who.user_id))
            .set((
                u::totp_secret.eq(Some(&sealed)),
                u::totp_enabled_at.eq(Some(now)),
                u::totp_last_step.eq(Some(step as i64)),
            ))
            .execute(conn)?;
        let codes = new_recovery_codes(conn, who.user_id, now)?;
        audit::record(conn, &who.actor, entry(who.user_id, "2fa_enabled"))?;
        Ok(Ok(codes))
    })
}

/// Whether a second-step answer (a current code, or an unused recovery code) is right
/// for `user`; spends it when it is. Wrong answers count in the login throttle.
pub fn check(
    conn: &mut AnyConnection,
    vault: &Vault,
    user: &users::User,
    answer: &str,
    ip: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let answer = answer.trim();
    let unix = now.and_utc().timestamp().max(0) as u64;
    write_transaction(conn, |conn| {
        let (sealed, last): (Option<String>, Option<i64>) = u::table
            .find(user.id)
            .select((u::totp_secret, u::totp_last_step))
            .first(conn)?;
        let secret = sealed
            .map(|s| vault.open_secret(at(user.tenant(), user.id), &s))
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let step = secret.and_then(|s| matching_step(&s, answer, unix));
        // A code's step is spent once accepted: the same code, or an older one, fails.
        // The update is the decision — its condition is checked again on the row it
        // locks, so of concurrent sign-ins with one code exactly one changes the row.
        if let Some(step) = step.filter(|s| last.is_none_or(|l| *s as i64 > l)) {
            let step = step as i64;
            let spent = diesel::update(
                u::table
                    .find(user.id)
                    .filter(u::totp_last_step.is_null().or(u::totp_last_step.lt(step))),
            )
            .set(u::totp_last_step.eq(Some(step)))
            .execute(conn)?;
            if spent == 1 {
                return Ok(true);
            }
        }
        let spent = diesel::update(
            rc::table
                .filter(rc::user_id.eq(user.id))
                .filter(rc::code_hash.eq(token_hash(&answer.to_lowercase())))
                .filter(rc::used_at.is_null()),
        )
        .set(rc::used_at.eq(Some(now)))
        .execute(conn)?;
        if spent == 1 {
            let actor = audit::Actor::visitor(Some(ip.to_string()), None, Clock::At(now.and_utc()))
                .as_user(user);
            audit::record(conn, &actor, entry(user.id, "recovery_code_used"))?;
            return Ok(true);
        }
        throttle::record(conn, &user.email, ip, now)?;
        Ok(false)
    })
}

/// Turns 2FA off: the password and a code (or a recovery code) are needed.
pub fn disable(
    conn: &mut AnyConnection,
    vault: &Vault,
    who: &Who,
    current_password: &str,
    code: &str,
    now: NaiveDateTime,
) -> AppResult<Result<(), &'static str>> {
    let user = users::find_live(conn, who.user_id)?.ok_or(AppError::NotFound)?;
    if required(conn, who.tenant())?.applies_to(who.role) {
        return Ok(Err(
            "Your team requires two-factor sign-in: it cannot be turned off.",
        ));
    }
    let ip = who.actor.ip.clone().unwrap_or_default();
    if throttle::recent(conn, &user.email, &ip, now)?.blocked() {
        return Ok(Err(
            "Too many wrong attempts. Wait a while, then try again.",
        ));
    }
    if !password::verify(current_password, &user.password_hash) {
        write_transaction(conn, |conn| {
            Ok(throttle::record(conn, &user.email, &ip, now)?)
        })?;
        return Ok(Err("That is not your current password."));
    }
    if !check(conn, vault, &user, code, &ip, now)? {
        return Ok(Err("That code does not match."));
    }
    write_transaction(conn, |conn| {
        diesel::update(u::table.find(user.id))
            .set((
                u::totp_secret.eq(None::<String>),
                u::totp_enabled_at.eq(None::<NaiveDateTime>),
                u::totp_last_step.eq(None::<i64>),
            ))
            .execute(conn)?;
        diesel::delete(rc::table.filter(rc::user_id.eq(user.id))).execute(conn)?;
        audit::record(conn, &who.actor, entry(user.id, "2fa_disabled"))?;
        Ok(Ok(()))
    })
}

/// New recovery codes for a user with 2FA on (the old ones stop working).
pub fn renew_codes(
    conn: &mut AnyConnection,
    who: &Who,
    now: NaiveDateTime,
) -> AppResult<Vec<String>> {
    write_transaction(conn, |conn| {
        let codes = new_recovery_codes(conn, who.user_id, now)?;
        audit::record(
            conn,
            &who.actor,
            entry(who.user_id, "recovery_codes_renewed"),
        )?;
        Ok(codes)
    })
}

/// The user's 2FA state: on since when, and recovery codes left.
pub fn state(conn: &mut AnyConnection, user: i64) -> QueryResult<(Option<NaiveDateTime>, i64)> {
    let since = u::table.find(user).select(u::totp_enabled_at).first(conn)?;
    let left = rc::table
        .filter(rc::user_id.eq(user))
        .filter(rc::used_at.is_null())
        .count()
        .get_result(conn)?;
    Ok((since, left))
}

/// Who the tenant asks for a second factor.
pub fn required(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Required> {
    let v: i32 = companies::table
        .find(tenant.get())
        .select(companies::require_2fa)
        .first(conn)?;
    Ok(Required::from_i32(v))
}

/// Every sealed secret, with where it lives (the vault's key rotation re-seals them).
pub(crate) fn all_sealed(
    conn: &mut AnyConnection,
    _every: &crate::scope::EveryTenant,
) -> QueryResult<Vec<(i64, i64, String)>> {
    let rows: Vec<(i64, i64, Option<String>)> = u::table
        .filter(u::totp_secret.is_not_null())
        .select((u::id, u::tenant_id, u::totp_secret))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, t, s)| Some((id, t, s?)))
        .collect())
}

/// Where the secret of `user` in `tenant` is sealed.
pub(crate) fn sealed_at(tenant: i64, user: i64) -> SecretRef<'static> {
    at(TenantId::trusted(tenant), user)
}

/// Replaces a user's sealed secret (`reseal` only).
pub(crate) fn replace_sealed(
    conn: &mut AnyConnection,
    _every: &crate::scope::EveryTenant,
    user: i64,
    sealed: &str,
) -> QueryResult<()> {
    diesel::update(u::table.find(user))
        .set(u::totp_secret.eq(Some(sealed)))
        .execute(conn)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" (base32 below) and
    // its 8-digit codes; a 6-digit code is their last six digits.
    const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_the_rfc_vectors() {
        for (unix, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(RFC, unix).unwrap(), eight[2..], "at {unix}");
            assert_eq!(matching_step(RFC, &eight[2..], unix), Some(unix / STEP));
        }
    }

    #[test]
    fn a_code_holds_one_step_either_side_and_no_more() {
        let code = code_at(RFC, 1_000_000_000).unwrap();
        assert!(matching_step(RFC, &code, 1_000_000_000 + 30).is_some());
        assert!(matching_step(RFC, &code, 1_000_000_000 - 30).is_some());
        assert!(matching_step(RFC, &code, 1_000_000_000 + 90).is_none());
        assert!(matching_step(RFC, "12345", 1_000_000_000).is_none());
        assert!(matching_step(RFC, "abcdef", 1_000_000_000).is_none());
    }

    #[test]
    fn a_new_secret_is_base32_of_160_bits() {
        let s = new_secret();
        assert_eq!(s.len(), 32);
        assert!(code_at(&s, 0).is_some());
    }
}
