//! `mspdesk backup PATH` and `mspdesk restore PATH`: one ZIP holding a consistent copy
//! of the database (SQLite's `VACUUM INTO`, PostgreSQL's `pg_dump`), the stored files
//! and — unless written to a separate file for separate safekeeping — the keys, with a
//! manifest giving every entry's size and BLAKE2s-256 checksum. A restore checks every
//! checksum before it writes anything, writes only into an empty data directory and an
//! empty database, then proves the copy: every sealed secret opens with the restored
//! key and every file a row names is there, whole.

mod archive;
mod postgres;
pub mod restore;
pub mod schedule;
pub mod take;

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "mspdesk-backup";
pub const MANIFEST: &str = "manifest.json";
/// The database's entry: the SQLite file, or PostgreSQL's custom-format dump.
pub const SQLITE_ENTRY: &str = "database/mspdesk.db";
pub const POSTGRES_ENTRY: &str = "database/postgres.dump";
/// The keys' folder inside the archive, or the separate keys file's own entries.
pub const KEYS_DIR: &str = "keys/";
pub const FILES_DIR: &str = "files/";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_at: String,
    /// "sqlite" or "postgres": a backup restores into the same kind of database.
    pub backend: String,
    /// Whether the keys are in this archive or in a file of their own.
    pub keys_included: bool,
    pub entries: Vec<Entry>,
    /// Files a row named that were gone when they were copied (deleted meanwhile).
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub size: u64,
    pub blake2s256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Setup(#[from] crate::platform::db::DbSetupError),
    #[error(transparent)]
    Secrets(#[from] crate::rotate::RotateError),
}

/// An I/O error that names its path.
pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}
