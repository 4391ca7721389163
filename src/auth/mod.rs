//! Authentication: password hashing, the session, the `Ctx` extractor, CSRF, login.

pub mod csrf;
pub mod ctx;
pub mod password;
pub mod policy;

pub use ctx::{Ctx, Flash, Layout};

/// `bytes` random bytes from the OS, hex-encoded.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    hex::encode(buf)
}

/// Session keys. The cookie holds only these small values (cookies are ≤ 4 KB).
pub(crate) mod keys {
    pub const USER: &str = "uid";
    pub const EPOCH: &str = "epoch";
    pub const CSRF: &str = "csrf";
    pub const FLASH: &str = "flash";
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
