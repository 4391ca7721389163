//! Login throttling, counted in the database (every worker and node sees the same
//! numbers) so that nobody can lock another user out:
//! - failures of one account from one address: after `PAIR_LIMIT` that pair waits;
//! - failures from one address over all accounts: a much higher `ADDRESS_LIMIT`
//!   (credential stuffing), so a colleague's typos never block your login;
//! - failures of one account from anywhere: a growing delay, never a lock, so an
//!   attacker who knows your e-mail cannot keep you out.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::login_failures;
use mspdesk_platform::db::AnyConnection;

pub const WINDOW_MINUTES: i64 = 15;
pub const PAIR_LIMIT: i64 = 10;
pub const ADDRESS_LIMIT: i64 = 100;
/// Failures of an account before answers slow down, and the slowest answer.
const DELAY_AFTER: i64 = 5;
const MAX_DELAY_MS: u64 = 3_000;

/// Recent failures for one attempt.
#[derive(Debug, Clone, Copy, Default)]
pub struct Failures {
    pub pair: i64,
    pub address: i64,
    pub account: i64,
}

impl Failures {
    pub fn blocked(&self) -> bool {
        self.pair >= PAIR_LIMIT || self.address >= ADDRESS_LIMIT
    }

    /// How long to wait before answering: 0 for the first few failures of the
    /// account, then a quarter second more per failure, up to three seconds.
    pub fn delay(&self) -> std::time::Duration {
        let over = (self.account - DELAY_AFTER).max(0) as u64;
        std::time::Duration::from_millis((over * 250).min(MAX_DELAY_MS))
    }
}

pub fn recent(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<Failures> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let recent = || login_failures::table.filter(login_failures::created_at.gt(since));
    let pair = recent()
        .filter(login_failures::email.eq(email))
        .filter(login_failures::ip.eq(ip))
        .count()
        .get_result(conn)?;
    let address = recent()
        .filter(login_failures::ip.eq(ip))
        .count()
        .get_result(conn)?;
    let account = recent()
        .filter(login_failures::email.eq(email))
        .count()
        .get_result(conn)?;
    Ok(Failures {
        pair,
        address,
        account,
    })
}

/// One more failure (a wrong password at login or at a password change). Rows older
/// than the window are cleared on the way, so the table stays small.
pub fn record(
    conn: &mut AnyConnection,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::created_at.lt(now - Duration::minutes(WINDOW_MINUTES))),
    )
    .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email),
            login_failures::ip.eq(ip),
            login_failures::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Failures;

    #[test]
    fn delay_grows_then_caps_and_never_locks() {
        let at = |account| Failures {
            account,
            ..Default::default()
        };
        assert_eq!(at(5).delay().as_millis(), 0);
        assert_eq!(at(6).delay().as_millis(), 250);
        assert_eq!(at(500).delay().as_millis(), 3000);
        assert!(!at(500).blocked());
    }
}
