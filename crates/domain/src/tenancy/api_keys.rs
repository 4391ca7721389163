//! API keys: a tenant admin makes one for a user of the tenant; the key acts with that
//! user's role and client restrictions, never more (read-only keys less). The secret is
//! shown once; only its hash is kept, so a database dump opens no API. Revoking a key,
//! its expiry, or its user leaving ends it at the next request.
//!
//! Rate limiting counts requests per key and minute. On PostgreSQL in `api_key_hits`,
//! one upsert per request, so every node of a deployment counts in the same row. An
//! embedded SQLite database has one server process by nature, which counts in its own
//! memory (`LocalHits`): a write per request would queue every API read behind the
//! database's single writer.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Area, Perm};
use crate::schema::{api_key_hits as h, api_keys as k, users as u};
use crate::scope::{RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// What every key starts with, so a leaked one is recognisable (secret scanners).
pub const PREFIX: &str = "mspdesk_";

use mspdesk_platform::keys::token_hash as hash;

#[derive(Debug, Clone, Queryable)]
pub struct Key {
    pub id: i64,
    pub name: String,
    pub user_id: i64,
    pub user_name: String,
    /// The token's first characters, to tell keys apart.
    pub hint: String,
    pub read_only: bool,
    pub expires_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl Key {
    pub fn state(&self, today: NaiveDate) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_on.is_some_and(|d| d < today) {
            "expired"
        } else {
            "active"
        }
    }
}

pub fn list(conn: &mut AnyConnection, who: &Who) -> AppResult<Vec<Key>> {
    require(Perm::new(Area::Admin, Action::View), who.role)?;
    Ok(crate::of_tenant!(k, who.tenant())
        .inner_join(u::table.on(u::id.eq(k::user_id).and(u::tenant_id.eq(k::tenant_id))))
        .order(k::id.desc())
        .select((
            k::id,
            k::name,
            k::user_id,
            u::name,
            k::hint,
            k::read_only,
            k::expires_on,
            k::created_at,
            k::last_used_at,
            k::revoked_at,
        ))
        .load(conn)?)
}

/// What the new-key form asks.
#[derive(Debug, Clone, Default)]
pub struct NewKey {
    pub name: String,
    pub user_id: i64,
    pub read_only: bool,
    pub expires_on: Option<NaiveDate>,
}

/// Makes a key for a live user of the tenant; returns the token, never shown again.
/// A refusal is the message for the form.
pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    new: &NewKey,
    today: NaiveDate,
) -> AppResult<Result<String, String>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let name: String = new.name.trim().chars().take(100).collect();
    if name.is_empty() {
        return Ok(Err("Name: required, e.g. \"RMM sync\".".into()));
    }
    if new.expires_on.is_some_and(|d| d <= today) {
        return Ok(Err("Expires: a date after today, or none.".into()));
    }
    write_transaction(conn, |conn| {
        let user: Option<i64> = crate::of_tenant!(u, who.tenant())
            .filter(u::id.eq(new.user_id))
            .filter(u::deleted_at.is_null())
            .select(u::id)
            .first(conn)
            .optional()?;
        if user.is_none() {
            return Ok(Err("User: choose a user of this tenant.".into()));
        }
        let token = format!("{PREFIX}{}", mspdesk_platform::keys::random_token(30));
        let id: i64 = diesel::insert_into(k::table)
            .values((
                k::tenant_id.eq(who.tenant().get()),
                k::user_id.eq(new.user_id),
                k::name.eq(&name),
                k::token_hash.eq(hash(&token)),
                k::hint.eq(&token[..PREFIX.len() + 4]),
                k::read_only.eq(new.read_only),
                k::expires_on.eq(new.expires_on),
                k::created_by.eq(who.user_id),
                k::created_at.eq(who.now()),
            ))
            .returning(k::id)
            .get_result(conn)?;
        let changes = json!({
            "name": name, "user": new.user_id, "read_only": new.read_only,
            "expires_on": new.expires_on,
        });
        let entry = audit::Entry::of_tenant("api_keys", Some(id), "create", changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(token))
    })
}

pub fn revoke(conn: &mut AnyConnection, who: &Who, id: RecordId) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let n = diesel::update(
            crate::of_tenant!(k, who.tenant())
                .filter(k::id.eq(id.0))
                .filter(k::revoked_at.is_null()),
        )
        .set(k::revoked_at.eq(who.now()))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        let entry = audit::Entry::of_tenant("api_keys", Some(id.0), "revoke", json!({}));
        audit::record(conn, &who.actor, entry)?;
        Ok(())
    })
}

/// A live key, as a request carries it.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub key_id: i64,
    pub user_id: i64,
    pub read_only: bool,
}

/// The live key of `token`: not revoked, not expired, its user not removed. The user's
/// tenant and role are read by the caller like a session's.
pub fn authenticate(
    conn: &mut AnyConnection,
    token: &str,
    today: NaiveDate,
) -> QueryResult<Option<Access>> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    let row: Option<(i64, i64, bool)> = k::table
        .inner_join(u::table.on(u::id.eq(k::user_id).and(u::tenant_id.eq(k::tenant_id))))
        .filter(k::token_hash.eq(hash(token)))
        .filter(k::revoked_at.is_null())
        .filter(k::expires_on.is_null().or(k::expires_on.ge(today)))
        .filter(u::deleted_at.is_null())
        .filter(u::disabled_at.is_null())
        .select((k::id, k::user_id, k::read_only))
        .first(conn)
        .optional()?;
    Ok(row.map(|(key_id, user_id, read_only)| Access {
        key_id,
        user_id,
        read_only,
    }))
}

/// This process's counts of the current minute per key (SQLite deployments).
#[derive(Debug, Default)]
pub struct LocalHits(Mutex<HashMap<i64, (NaiveDateTime, i64)>>);

impl LocalHits {
    /// The key's count in the minute starting at `start`, this request included.
    fn count(&self, key: i64, start: NaiveDateTime) -> i64 {
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Keys seen in earlier minutes are forgotten once there are many of them.
        if keys.len() > 10_000 {
            keys.retain(|_, (window, _)| *window == start);
        }
        let entry = keys.entry(key).or_insert((start, 0));
        if entry.0 != start {
            *entry = (start, 0);
        }
        entry.1 += 1;
        entry.1
    }
}

/// The minute a request falls in, as the start of its window.
fn window(now: NaiveDateTime) -> NaiveDateTime {
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
}

/// Counts a request of `key` and answers whether it is within `per_minute`; when it is
/// not, the seconds until the next window. On PostgreSQL one statement a request (the
/// upsert is atomic on its own); on SQLite none. The first request of a window also
/// stamps the key's last use and drops its older windows — one write a minute, not one
/// a request, and nothing is lost if a node stops between them.
pub fn hit(
    conn: &mut AnyConnection,
    local: &LocalHits,
    key: i64,
    per_minute: i64,
    now: NaiveDateTime,
) -> QueryResult<Result<(), i64>> {
    let start = window(now);
    let hits: i64 = match conn {
        AnyConnection::Sqlite(_) => local.count(key, start),
        AnyConnection::Postgresql(c) => diesel::insert_into(h::table)
            .values((
                h::key_id.eq(key),
                h::window_start.eq(start),
                h::hits.eq(1i64),
            ))
            .on_conflict((h::key_id, h::window_start))
            .do_update()
            .set(h::hits.eq(h::hits + 1i64))
            .returning(h::hits)
            .get_result(c)?,
    };
    if hits == 1 {
        diesel::update(k::table.filter(k::id.eq(key)))
            .set(k::last_used_at.eq(now))
            .execute(conn)?;
        diesel::delete(
            h::table
                .filter(h::key_id.eq(key))
                .filter(h::window_start.lt(start)),
        )
        .execute(conn)?;
    }
    if hits > per_minute {
        let left = 60 - (now - start).num_seconds();
        return Ok(Err(left.clamp(1, 60)));
    }
    Ok(Ok(()))
}
