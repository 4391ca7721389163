//! Server-side sessions behind actix-session. A signed-in session lives in the
//! `sessions` table (`domain::tenancy::sessions`): the cookie holds only `s.` + a random
//! id, the table only the id's hash, and the server enforces the idle timeout and the
//! absolute lifetime. Logout, password change and role change delete rows, so a copied
//! cookie dies with them.
//!
//! An anonymous session (the login form's CSRF token, a flash message, the tenant
//! choice after a password matched in several tenants) stays in the encrypted cookie:
//! a visitor who never signs in costs no database write.

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieTtl;
use actix_web::web;

use super::keys;
use crate::domain::tenancy::sessions;
use crate::domain::tenancy::sessions::{Lifetimes, NewSession, State};
use crate::error::{AppError, AppResult};
use mspdesk_platform::db::{AnyConnection, Pool};
use mspdesk_platform::keys::random_token;

/// The prefix of a database session's cookie value (an anonymous one is a JSON object).
const DB_PREFIX: &str = "s.";

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
        f: impl FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
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
        let new = NewSession {
            id_hash: sessions::hash(&id),
            user_id,
            ip: take_string(&mut state, keys::IP),
            user_agent: take_string(&mut state, keys::USER_AGENT),
        };
        state.remove(keys::USER);
        let absolute = self.life.absolute;
        self.with_conn(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            Ok(sessions::create(conn, new, &state, absolute, now)?)
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
        let h = sessions::hash(id);
        self.with_conn(move |conn| Ok(sessions::delete(conn, &h)?))
            .await
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
        let (h, life) = (sessions::hash(id), self.life);
        // Every page starts here, so this is where a restarted database is met first:
        // the lost connection is dropped and the load (a read and a touch) runs again on
        // a tested one, instead of failing the page.
        let load = |h: String| {
            self.with_conn(move |conn| {
                let now = chrono::Utc::now().naive_utc();
                Ok(sessions::load_live(conn, &h, life, now)?)
            })
        };
        let mut live = load(h.clone()).await;
        let lost = |e: &anyhow::Error| {
            e.downcast_ref::<AppError>()
                .is_some_and(AppError::unavailable)
        };
        if live.as_ref().is_err_and(lost) {
            live = load(h).await;
        }
        let live = live.map_err(LoadError::Other)?;
        Ok(live.map(|(user_id, mut state)| {
            state.insert(keys::USER.into(), user_id.to_string());
            state
        }))
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
        let h = sessions::hash(&id);
        self.with_conn(move |conn| Ok(sessions::update_state(conn, &h, &state)?))
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
