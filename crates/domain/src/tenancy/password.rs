//! argon2id password hashing. Both calls are slow on purpose: run them off the actix
//! worker (`web::block`).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

#[allow(
    clippy::expect_used,
    reason = "argon2 with its default parameters fails only without the OS random source for the salt"
)]
pub fn hash(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the e-mail is unknown, so that a wrong e-mail costs
/// as much time as a wrong password and does not reveal which accounts exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("no such user: the time is what matters"))
}

/// A random password for accounts created without one (printed once by the CLI).
pub fn generate() -> String {
    mspdesk_platform::keys::random_token(12)
}
