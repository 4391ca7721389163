//! `mspdesk vault rotate-key`: every secret re-sealed under a new key in one
//! transaction; the old key file is kept as a backup.
//!
//! Order matters for crash safety: the new key is written to `vault.key.new` first,
//! then the transaction commits, then the files are renamed. If the process dies after
//! the commit but before the renames, `vault.key.new` holds the key the database now
//! uses (the command refuses to run again until an operator resolves it).

use std::path::{Path, PathBuf};

use diesel::prelude::*;

use crate::domain::registry::{self, Visitor};
use crate::domain::resource::{history, write, Resource};
use crate::domain::tenancy::two_factor;
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
        column: String,
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
    let count = conn.transaction::<_, RotateError, _>(|conn| walk(conn, &old, Some(&new)));
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

/// Opens every sealed value with `old` — the resources' secret fields, their earlier
/// values and staff two-factor secrets — and with `new` writes it back re-sealed;
/// stops at the first that does not open. Returns how many there were.
fn walk(conn: &mut AnyConnection, old: &Vault, new: Option<&Vault>) -> Result<usize, RotateError> {
    let mut reseal = Reseal {
        conn,
        old,
        new,
        count: 0,
        result: Ok(()),
    };
    registry::each(&mut reseal);
    reseal.result?;
    let mut n = reseal.count;
    // Earlier values live in one table of their own, sealed under their row.
    for (id, tenant_id, value) in history::all(conn)? {
        let at = history::at(tenant_id, id);
        let plain = open(old, at, &value, "secret_history", id)?;
        if let Some(new) = new {
            history::replace(conn, id, &new.seal(at, &plain))?;
        }
        n += 1;
    }
    // Staff two-factor secrets, sealed under their user's row.
    for (id, tenant_id, value) in two_factor::all_sealed(conn)? {
        let at = two_factor::sealed_at(tenant_id, id);
        let plain = open(old, at, &value, "users", id)?;
        if let Some(new) = new {
            two_factor::replace_sealed(conn, id, &new.seal(at, &plain))?;
        }
        n += 1;
    }
    Ok(n)
}

/// Opens every sealed value with `vault` and changes nothing (a restore's check);
/// how many opened.
pub fn verify(conn: &mut AnyConnection, vault: &Vault) -> Result<usize, RotateError> {
    walk(conn, vault, None)
}

fn open(
    old: &Vault,
    at: SecretRef<'_>,
    sealed: &str,
    table: &'static str,
    id: i64,
) -> Result<String, RotateError> {
    old.open_secret(at, sealed)
        .map_err(|e| RotateError::Unreadable {
            table,
            column: at.column.to_string(),
            id,
            reason: e.to_string(),
        })
}

/// Re-seals (or, without `new`, only opens) the secrets of each resource the registry
/// names; stops at the first that does not open (the transaction then rolls back).
struct Reseal<'a> {
    conn: &'a mut AnyConnection,
    old: &'a Vault,
    new: Option<&'a Vault>,
    count: usize,
    result: Result<(), RotateError>,
}

impl Visitor for Reseal<'_> {
    fn visit<R: Resource>(&mut self) {
        if self.result.is_ok() {
            self.result = self.reseal::<R>();
        }
    }
}

impl Reseal<'_> {
    fn reseal<R: Resource>(&mut self) -> Result<(), RotateError> {
        for s in R::all_secrets(self.conn)? {
            let at = write::secret_ref::<R>(&s.scope, s.id, s.field);
            let plain = open(self.old, at, &s.value, R::TABLE, s.id)?;
            if let Some(new) = self.new {
                R::write_secret(self.conn, &s.scope, s.id, s.field, &new.seal(at, &plain))?;
            }
            self.count += 1;
        }
        Ok(())
    }
}
