//! Secret keys kept as files in the data directory: generated on first start, mode 0600,
//! never printed or logged.

use std::fs;
use std::io::Write;
use std::path::Path;

pub const SESSION_KEY: &str = "session.key";
pub const VAULT_KEY: &str = "vault.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "key file {0} has the wrong length; restore it from a backup or remove it to start over"
    )]
    Length(String),
}

/// The key in `dir/name`, or `None` when there is no such file.
pub fn load(dir: &Path, name: &str, len: usize) -> Result<Option<Vec<u8>>, KeyError> {
    let path = dir.join(name);
    match fs::read(&path) {
        Ok(bytes) if bytes.len() == len => Ok(Some(bytes)),
        Ok(_) => Err(KeyError::Length(path.display().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

pub fn load_or_create(dir: &Path, name: &str, len: usize) -> Result<Vec<u8>, KeyError> {
    if let Some(key) = load(dir, name, len)? {
        return Ok(key);
    }
    let path = dir.join(name);
    let io = |source| KeyError::Io {
        path: path.display().to_string(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let mut key = vec![0u8; len];
    fill_random(&mut key);
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&path).map_err(io)?;
    file.write_all(&key).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(key)
}

/// `bytes` random bytes from the OS, hex-encoded (session ids, CSRF tokens, stored file
/// names).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    fill_random(&mut buf);
    hex::encode(buf)
}

/// Fills `buf` from the OS random source (keys, nonces, tokens, second-factor seeds).
#[allow(
    clippy::expect_used,
    reason = "without the OS random source no key, token or nonce can be made safely; stopping is the only safe answer"
)]
pub fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the OS random source is available");
}

/// The stored form of a secret token (API keys, feeds, sessions, one-time links): a
/// fast hash is enough for 32 random bytes, and a database dump then opens nothing.
pub fn token_hash(token: &str) -> String {
    use blake2::{Blake2s256, Digest};
    hex::encode(Blake2s256::digest(token.as_bytes()))
}
