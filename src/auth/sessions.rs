//! Server-side sessions behind actix-session. A signed-in session lives in the
//! `sessions` table: the cookie holds only `s.` + a random id, the table only the id's
//! hash, and the server enforces the idle timeout and the absolute lifetime. Logout,
//! password change and role change delete rows, so a copied cookie dies with them.
//!
//! An anonymous session (the login form's CSRF token, a flash message, the tenant
//! choice after a password matched in several tenants) stays in the encrypted cookie:
//! a visitor who never signs in costs no database write.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieTtl;
use actix_web::web;
use blake2::{Blake2s256, Digest};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::{keys, random_token};
use crate::db::schema::sessions;
use crate::db::{AnyConnection, Pool};

type State = HashMap<String, String>;

/// The prefix of a database session's cookie value (an anonymous one is a JSON object).
const DB_PREFIX: &str = "s.";
/// How stale `last_seen_at` may get before a request refreshes it: one write a minute
/// per active session, not one per request.
const TOUCH_AFTER_SECONDS: i64 = 60;

#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle: Duration,
    pub absolute: Duration,
}

fn hash(id: &str) -> String {
    hex::encode(Blake2s256::digest(id.as_bytes()))
}

/// Every session of a user ends (password change, role change, disable).
pub fn end_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// The live sessions of a user (for tests and, later, the account page).
pub fn count_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<i64> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// The state of a live session, its `last_seen_at` refreshed; an expired or idle one is
/// deleted and reads as absent.
fn load_live(
    conn: &mut AnyConnection,
    id_hash: &str,
    life: Lifetimes,
) -> QueryResult<Option<State>> {
    let now = Utc::now().naive_utc();
    let row: Option<(i64, String, NaiveDateTime, NaiveDateTime)> = sessions::table
        .find(id_hash)
        .select((
            sessions::user_id,
            sessions::state,
            sessions::last_seen_at,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
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
    let mut state: State = serde_json::from_str(&state).unwrap_or_default();
    state.insert(keys::USER.into(), user_id.to_string());
    Ok(Some(state))
}

/// A string value the session holds JSON-encoded.
fn take_string(state: &mut State, key: &str) -> Option<String> {
    state
        .remove(key)
        .and_then(|v| serde_json::from_str::<String>(&v).ok())
}

/// The session's user, if the state names one.
fn user_of(state: &State) -> Option<i64> {
    state.get(keys::USER).and_then(|v| v.parse().ok())
}

pub struct DbSessionStore {
    pool: Pool,
    life: Lifetimes,
}

impl DbSessionStore {
    pub fn new(pool: Pool, life: Lifetimes) -> Self {
        DbSessionStore { pool, life }
    }

    async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let pool = self.pool.clone();
        web::block(move || -> anyhow::Result<T> {
            let mut conn = pool.get()?;
            Ok(f(&mut conn)?)
        })
        .await?
    }

    /// A new database session for the state's user.
    async fn create(&self, user_id: i64, mut state: State) -> anyhow::Result<SessionKey> {
        let id = random_token(32);
        let id_hash = hash(&id);
        let ip = take_string(&mut state, keys::IP);
        let ua = take_string(&mut state, keys::USER_AGENT);
        state.remove(keys::USER);
        let body = serde_json::to_string(&state)?;
        let absolute = self.life.absolute;
        self.with_conn(move |conn| {
            let now = Utc::now().naive_utc();
            // Expired rows are cleared as new ones arrive, so the table stays the size of
            // the live sessions without a scheduled job.
            diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
            diesel::insert_into(sessions::table)
                .values((
                    sessions::id_hash.eq(id_hash),
                    sessions::user_id.eq(user_id),
                    sessions::state.eq(body),
                    sessions::created_at.eq(now),
                    sessions::last_seen_at.eq(now),
                    sessions::expires_at.eq(now + absolute),
                    sessions::ip.eq(ip),
                    sessions::user_agent.eq(ua.map(|u| u.chars().take(300).collect::<String>())),
                ))
                .execute(conn)
        })
        .await?;
        Ok(SessionKey::try_from(format!("{DB_PREFIX}{id}"))?)
    }

    fn anonymous(mut state: State) -> anyhow::Result<SessionKey> {
        state.remove(keys::USER);
        Ok(SessionKey::try_from(serde_json::to_string(&state)?)?)
    }

    async fn save_any(&self, state: State) -> anyhow::Result<SessionKey> {
        match user_of(&state) {
            Some(uid) => self.create(uid, state).await,
            None => Self::anonymous(state),
        }
    }

    async fn delete_id(&self, id: &str) -> anyhow::Result<()> {
        let h = hash(id);
        self.with_conn(move |conn| diesel::delete(sessions::table.find(h)).execute(conn))
            .await?;
        Ok(())
    }
}

impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let Some(id) = key.as_ref().strip_prefix(DB_PREFIX) else {
            // The cookie is encrypted, so this state is ours; a user id in it is ignored
            // all the same: only the table signs anyone in.
            let mut state: State = serde_json::from_str(key.as_ref())
                .map_err(|e| LoadError::Deserialization(e.into()))?;
            state.remove(keys::USER);
            return Ok(Some(state));
        };
        let (h, life) = (hash(id), self.life);
        self.with_conn(move |conn| load_live(conn, &h, life))
            .await
            .map_err(LoadError::Other)
    }

    async fn save(&self, state: State, _ttl: &CookieTtl) -> Result<SessionKey, SaveError> {
        self.save_any(state).await.map_err(SaveError::Other)
    }

    async fn update(
        &self,
        key: SessionKey,
        mut state: State,
        _ttl: &CookieTtl,
    ) -> Result<SessionKey, UpdateError> {
        let Some(id) = key.as_ref().strip_prefix(DB_PREFIX).map(str::to_string) else {
            return self.save_any(state).await.map_err(UpdateError::Other);
        };
        if user_of(&state).is_none() {
            self.delete_id(&id).await.map_err(UpdateError::Other)?;
            return Self::anonymous(state).map_err(UpdateError::Other);
        }
        state.remove(keys::USER);
        let body =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let h = hash(&id);
        // A row deleted meanwhile (logout elsewhere) stays deleted: the next request
        // finds no session.
        self.with_conn(move |conn| {
            diesel::update(sessions::table.find(h))
                .set(sessions::state.eq(body))
                .execute(conn)
        })
        .await
        .map_err(UpdateError::Other)?;
        Ok(key)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &CookieTtl) -> anyhow::Result<()> {
        // Idle time is tracked by `load` (last_seen_at), once a minute at most.
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        match key.as_ref().strip_prefix(DB_PREFIX) {
            Some(id) => self.delete_id(id).await,
            None => Ok(()),
        }
    }
}
