//! `mspdesk vault rotate-key`: every secret re-sealed under a new key in one
//! transaction; the old key file is kept as a backup.
//!
//! Order matters for crash safety: the new key is written to `vault.key.new` first,
//! then the transaction commits, then the files are renamed. If the process dies after
//! the commit but before the renames, `vault.key.new` holds the key the database now
//! uses (the command refuses to run again until an operator resolves it).

use std::path::{Path, PathBuf};

use diesel::prelude::*;

use crate::domain::registry::reseal::{self, ResealError};
use crate::platform::db::AnyConnection;
use crate::platform::keys;
use crate::platform::vault::{StagedVault, Vault};

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("{0} exists: an earlier rotation was interrupted; compare it with vault.key before retrying")]
    Pending(String),
    #[error(transparent)]
    Secrets(#[from] ResealError),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("key files: {0}")]
    Io(#[from] std::io::Error),
}

/// Re-seals every secret; returns how many and where the old key went.
pub fn rotate(conn: &mut AnyConnection, data_dir: &Path) -> Result<(usize, PathBuf), RotateError> {
    let key_path = data_dir.join(keys::VAULT_KEY);
    let pending = StagedVault::path_in(data_dir);
    if pending.exists() {
        return Err(RotateError::Pending(pending.display().to_string()));
    }
    let old = Vault::open(data_dir)?;
    let new = Vault::stage_new(data_dir)?;
    let count = conn.transaction::<_, RotateError, _>(|conn| {
        Ok(reseal::every_secret(
            conn,
            &old,
            &new,
            crate::platform::clock::Clock::System,
        )?)
    });
    let count = match count {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&pending);
            return Err(e);
        }
    };
    let backup = data_dir.join(format!(
        "{}.bak-{}",
        keys::VAULT_KEY,
        chrono::Utc::now().format("%Y%m%dT%H%M%S")
    ));
    std::fs::rename(&key_path, &backup)?;
    std::fs::rename(&pending, &key_path)?;
    Ok((count, backup))
}

/// Opens every sealed value with `vault` and changes nothing (a restore's check);
/// how many opened.
pub fn verify(conn: &mut AnyConnection, vault: &Vault) -> Result<usize, RotateError> {
    Ok(reseal::open_every_secret(
        conn,
        vault,
        crate::platform::clock::Clock::System,
    )?)
}
