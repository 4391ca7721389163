//! `mspdesk vault rotate-key`: every secret re-sealed under a new key in one
//! transaction; the old key file is kept as a backup.
//!
//! Order matters for crash safety: the new key is written to `vault.key.new` first,
//! then the transaction commits, then the files are renamed. If the process dies after
//! the commit but before the renames, `vault.key.new` holds the key the database now
//! uses (the command refuses to run again until an operator resolves it).

use std::path::{Path, PathBuf};

use diesel::prelude::*;

use crate::platform::db::schema::{client_credentials, client_licenses, secret_history};
use crate::platform::db::AnyConnection;
use crate::platform::keys;
use crate::platform::vault::{SecretRef, Vault};

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("{0} exists: an earlier rotation was interrupted; compare it with vault.key before retrying")]
    Pending(String),
    #[error("the secret in {table}.{column} of row {id} does not open with the current key ({reason}); nothing was changed")]
    Unreadable {
        table: &'static str,
        column: &'static str,
        id: i64,
        reason: String,
    },
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("key files: {0}")]
    Io(#[from] std::io::Error),
}

/// Re-seals every secret; returns how many and where the old key went.
pub fn rotate(conn: &mut AnyConnection, data_dir: &Path) -> Result<(usize, PathBuf), RotateError> {
    let key_path = data_dir.join(keys::VAULT_KEY);
    let pending = data_dir.join(format!("{}.new", keys::VAULT_KEY));
    if pending.exists() {
        return Err(RotateError::Pending(pending.display().to_string()));
    }
    let old = Vault::open(data_dir)?;
    let new_key = keys::load_or_create(data_dir, &format!("{}.new", keys::VAULT_KEY), 32)?;
    let new = Vault::from_key(&new_key);
    let count = conn.transaction::<_, RotateError, _>(|conn| {
        let mut n = 0;
        macro_rules! reseal {
            ($t:ident, $col:ident, $column:literal) => {{
                let rows: Vec<(i64, i64, Option<String>)> = $t::table
                    .filter($t::$col.is_not_null())
                    .select(($t::id, $t::tenant_id, $t::$col.nullable()))
                    .load(conn)?;
                for (id, tenant_id, value) in rows {
                    let at = SecretRef {
                        tenant_id,
                        table: stringify!($t),
                        column: $column,
                        row_id: id,
                    };
                    let plain = old
                        .open_secret(at, value.as_deref().unwrap_or(""))
                        .map_err(|e| RotateError::Unreadable {
                            table: stringify!($t),
                            column: $column,
                            id,
                            reason: e.to_string(),
                        })?;
                    diesel::update($t::table.find(id))
                        .set($t::$col.eq(new.seal(at, &plain)))
                        .execute(conn)?;
                    n += 1;
                }
            }};
        }
        reseal!(client_credentials, password, "password");
        reseal!(client_credentials, otp_secret, "otp_secret");
        reseal!(client_licenses, license_key, "license_key");
        reseal!(secret_history, value, "value");
        Ok(n)
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
