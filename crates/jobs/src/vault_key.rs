//! Opening the vault for a database: the key file of the data directory, or a new key
//! only for a database that holds no sealed value yet. A missing key file beside a
//! database full of secrets is a wrong data directory or a lost key; a new key there
//! would seal new secrets under one key while every old one stays under another, so
//! the process refuses to start and says where it looked.

use std::path::Path;

use crate::domain::registry::reseal::sealed_count;
use crate::platform::db::AnyConnection;
use crate::platform::keys;
use crate::platform::vault::Vault;

/// The vault of `data_dir` for the database behind `conn`.
pub fn open(conn: &mut AnyConnection, data_dir: &Path) -> Result<Vault, String> {
    if let Some(vault) = Vault::existing(data_dir).map_err(|e| e.to_string())? {
        return Ok(vault);
    }
    let sealed = sealed_count(conn, crate::platform::clock::Clock::System)
        .map_err(|e| format!("database error: {e}"))?;
    if sealed > 0 {
        return Err(format!(
            "the database holds {sealed} sealed secrets but {} does not exist: restore the \
             vault key from a backup, or point MSPDESK_DATA_DIR at the directory that holds \
             it. A new key would leave every stored secret unreadable.",
            data_dir.join(keys::VAULT_KEY).display()
        ));
    }
    Vault::open(data_dir).map_err(|e| e.to_string())
}
