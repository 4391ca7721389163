//! Signed-in sessions, stored server-side: the row holds the hash of the cookie's random
//! id, the user, the session's state and its times. The web layer's session store
//! (`web::auth::session_store`) calls these; logout, password change and role change
//! end rows here.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::sessions;
use mspdesk_platform::config::Config;
use mspdesk_platform::db::AnyConnection;

pub type State = HashMap<String, String>;

/// How stale `last_seen_at` may get before a request refreshes it: one write a minute
/// per active session, not one per request.
const TOUCH_AFTER_SECONDS: i64 = 60;

#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Lifetimes {
    /// The limits the server's settings give (each at least a minute, an hour).
    pub fn configured(config: &Config) -> Lifetimes {
        Lifetimes {
            idle: Duration::minutes(config.session_idle_minutes.max(1) as i64),
            absolute: Duration::hours(config.session_lifetime_hours.max(1) as i64),
        }
    }
}

pub use mspdesk_platform::keys::token_hash as hash;

/// Every session of a user ends (password change, role change, disable).
pub(crate) fn end_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// The user and state of a live session, its `last_seen_at` refreshed; an expired or
/// idle one is deleted and reads as absent.
pub fn load_live(
    conn: &mut AnyConnection,
    id_hash: &str,
    life: Lifetimes,
    now: NaiveDateTime,
) -> QueryResult<Option<(i64, State)>> {
    let row: Option<(i64, String, NaiveDateTime, NaiveDateTime)> = sessions::table
        .find(id_hash)
        .select((
            sessions::user_id,
            sessions::state,
            sessions::last_seen_at,
            sessions::expires_at,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)?;
    let Some((user_id, state, last_seen, expires)) = row else {
        return Ok(None);
    };
    if expires <= now || last_seen + life.idle <= now {
        diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
        return Ok(None);
    }
    if now - last_seen > Duration::seconds(TOUCH_AFTER_SECONDS) {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some((
        user_id,
        serde_json::from_str(&state).unwrap_or_default(),
    )))
}

/// What a new session row records besides its state.
pub struct NewSession {
    pub id_hash: String,
    pub user_id: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A new session. Expired rows are cleared as new ones arrive, so the table stays the
/// size of the live sessions without a scheduled job.
pub fn create(
    conn: &mut AnyConnection,
    new: NewSession,
    state: &State,
    absolute: Duration,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(new.id_hash),
            sessions::user_id.eq(new.user_id),
            sessions::state.eq(serde_json::to_string(state).unwrap_or_else(|_| "{}".into())),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + absolute),
            sessions::ip.eq(new.ip),
            sessions::user_agent.eq(new
                .user_agent
                .map(|u| u.chars().take(300).collect::<String>())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session's state changed (a flash message, a new CSRF token). A row deleted
/// meanwhile (logout elsewhere) stays deleted.
pub fn update_state(conn: &mut AnyConnection, id_hash: &str, state: &State) -> QueryResult<()> {
    diesel::update(sessions::table.find(id_hash))
        .set(sessions::state.eq(serde_json::to_string(state).unwrap_or_else(|_| "{}".into())))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut AnyConnection, id_hash: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
    Ok(())
}

/// One of a user's live sessions, as their sessions page lists it.
#[derive(Debug, Clone)]
pub struct Live {
    pub id_hash: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// The user's live sessions, the most recently used first; `is_current` tells the
/// request's own session by its state.
pub fn of_user(
    conn: &mut AnyConnection,
    user_id: i64,
    is_current: impl Fn(&State) -> bool,
    now: NaiveDateTime,
) -> QueryResult<Vec<Live>> {
    type Row = (
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .order(sessions::last_seen_at.desc())
        .limit(100)
        .select((
            sessions::id_hash,
            sessions::state,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::ip,
            sessions::user_agent,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id_hash, state, created_at, last_seen_at, ip, user_agent)| {
                let state: State = serde_json::from_str(&state).unwrap_or_default();
                Live {
                    current: is_current(&state),
                    id_hash,
                    created_at,
                    last_seen_at,
                    ip,
                    user_agent,
                }
            },
        )
        .collect())
}

/// Ends one session of the user (none of anyone else's); whether it existed.
pub(crate) fn end_one(conn: &mut AnyConnection, user_id: i64, id_hash: &str) -> QueryResult<bool> {
    let gone = diesel::delete(
        sessions::table
            .filter(sessions::id_hash.eq(id_hash))
            .filter(sessions::user_id.eq(user_id)),
    )
    .execute(conn)?;
    Ok(gone > 0)
}

/// Ends every session of the user but `keep` (the one in use); how many.
pub(crate) fn end_others(conn: &mut AnyConnection, user_id: i64, keep: &str) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id_hash.ne(keep)),
    )
    .execute(conn)
}
