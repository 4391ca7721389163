//! Who is asking: the session (server-side, `session_store`), the `Ctx` extractor,
//! the client's address, CSRF, and the login and logout pages.

pub mod address;
pub mod csrf;
pub mod ctx;
pub mod login;
pub mod password_link;
pub mod second_step;
pub mod session_store;

pub use ctx::{Ctx, Flash, Layout};

use mspdesk_platform::keys::random_token;

/// Session keys. A signed-in session's values live in the `sessions` table; an
/// anonymous one's in its encrypted cookie (cookies are ≤ 4 KB).
pub(crate) mod keys {
    pub const USER: &str = "uid";
    pub const CSRF: &str = "csrf";
    pub const FLASH: &str = "flash";
    /// Where the session began; moved into the session's row, not kept in its state.
    pub const IP: &str = "ip";
    pub const USER_AGENT: &str = "ua";
    /// After the password step of a user with two-factor sign-in: who waits for a code.
    pub const SECOND_STEP: &str = "second_step";
    /// A TOTP secret being set up on the account page (until a code confirms it).
    pub const TOTP_SETUP: &str = "totp_setup";
    /// A platform operator's session (never a tenant user's).
    pub const OPERATOR: &str = "operator";
    /// The operator's session nonce (kept by the server too: see `operators`).
    pub const OPERATOR_NONCE: &str = "operator_nonce";
}

/// Signs a user in on this session: a fresh id (nothing from before survives into it),
/// a new CSRF token, and the address and browser for the session's row.
pub fn start_session(
    session: &actix_session::Session,
    user_id: i64,
    ip: &str,
    user_agent: Option<&str>,
) -> Result<(), crate::error::AppError> {
    session.renew();
    session.clear();
    session
        .insert(keys::USER, user_id)
        .and_then(|_| session.insert(keys::CSRF, random_token(32)))
        .and_then(|_| session.insert(keys::IP, ip))
        .and_then(|_| session.insert(keys::USER_AGENT, user_agent.unwrap_or("")))
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))
}

/// Only local paths are honoured as a post-login target: `/x` but not `//host` or
/// `/\host`, which browsers treat as another origin.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/clients".to_string(),
    }
}
