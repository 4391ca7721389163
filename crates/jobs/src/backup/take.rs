//! Taking a backup while the server runs. The database is copied first, as one
//! snapshot; the stored files after it, so every file a row of the snapshot names is
//! there (one deleted in between is listed as missing, and the restore says so).

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use super::archive::Writer;
use super::{io, postgres, BackupError, Manifest, FILES_DIR, FORMAT, KEYS_DIR, MANIFEST};
use crate::platform::db::{AnyConnection, Backend};
use crate::platform::keys;

/// What a backup holds, for the command's report and the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub path: PathBuf,
    pub files: usize,
    pub bytes: u64,
    pub missing: usize,
    /// Where the keys went when not into the archive.
    pub keys_apart: Option<PathBuf>,
}

/// Writes the backup of the database at `url` with `data_dir`'s files and keys to
/// `out` (a new file); with `keys_to`, the keys go to that new file instead.
pub fn take(
    conn: &mut AnyConnection,
    url: &str,
    data_dir: &Path,
    out: &Path,
    keys_to: Option<&Path>,
) -> Result<Taken, BackupError> {
    let backend = Backend::from_url(url).map_err(BackupError::Refused)?;
    let created = chrono::Utc::now();
    if out.exists() {
        return Err(exists(out));
    }
    // Written under temporary names beside the archive, so a backup cut short leaves
    // nothing that looks like one.
    let partial = Spooled(with_suffix(out, ".part"));
    let spool = Spooled(with_suffix(out, ".db"));
    let mut zip = Writer::new(create_new(&partial.0)?);
    let backend_name = match &backend {
        Backend::Sqlite(_) => {
            let quoted = spool.0.to_string_lossy().replace('\'', "''");
            diesel::RunQueryDsl::execute(
                diesel::sql_query(format!("VACUUM INTO '{quoted}'")),
                conn,
            )?;
            zip.file(super::SQLITE_ENTRY, &spool.0)?;
            "sqlite"
        }
        Backend::Postgres(_) => {
            postgres::dump(conn, url, &spool.0)?;
            zip.file(super::POSTGRES_ENTRY, &spool.0)?;
            "postgres"
        }
    };
    drop(spool);
    let named = crate::domain::platform::stored::all(conn)?;
    let files_dir = data_dir.join("files");
    let mut missing = vec![];
    for (name, _) in &named {
        let path = files_dir.join(name);
        if path.is_file() {
            zip.file(&format!("{FILES_DIR}{name}"), &path)?;
        } else {
            missing.push(name.clone());
        }
    }
    let keys_apart = match keys_to {
        None => {
            add_keys(&mut zip, data_dir)?;
            None
        }
        Some(path) => {
            let mut apart = Writer::new(create_new(path)?);
            add_keys(&mut apart, data_dir)?;
            finish(apart, created, backend_name, true, vec![])?;
            Some(path.to_path_buf())
        }
    };
    let files = named.len() - missing.len();
    let bytes = zip.entries.iter().map(|e| e.size).sum();
    finish(
        zip,
        created,
        backend_name,
        keys_to.is_none(),
        missing.clone(),
    )?;
    if out.exists() {
        return Err(exists(out));
    }
    std::fs::rename(&partial.0, out).map_err(io(out))?;
    std::mem::forget(partial);
    Ok(Taken {
        path: out.to_path_buf(),
        files,
        bytes,
        missing: missing.len(),
        keys_apart,
    })
}

/// What the command prints of a backup.
pub fn describe(t: &Taken) -> String {
    let mut text = format!(
        "Wrote {}: the database and {} files, {} MB before compression.",
        t.path.display(),
        t.files,
        t.bytes / (1024 * 1024)
    );
    if t.missing > 0 {
        text.push_str(&format!(
            " {} file(s) were deleted while it ran and are not in it.",
            t.missing
        ));
    }
    match &t.keys_apart {
        Some(keys) => text.push_str(&format!(
            " The keys are in {} alone: keep that file apart from the backup, safely — without it no secret of the backup opens.",
            keys.display()
        )),
        None => text.push_str(" The keys are in the archive: whoever holds it can open every secret."),
    }
    text
}

/// A temporary file of the backup, removed when dropped.
struct Spooled(PathBuf);

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn exists(path: &Path) -> BackupError {
    BackupError::Refused(format!(
        "{} exists: a backup never overwrites a file",
        path.display()
    ))
}

fn create_new(path: &Path) -> Result<std::fs::File, BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => io(path)(e),
    })
}

fn add_keys<W: Write + Seek>(zip: &mut Writer<W>, data_dir: &Path) -> Result<(), BackupError> {
    for name in [keys::VAULT_KEY, keys::SESSION_KEY] {
        let path = data_dir.join(name);
        if path.is_file() {
            zip.file(&format!("{KEYS_DIR}{name}"), &path)?;
        } else if name == keys::VAULT_KEY {
            return Err(BackupError::Refused(format!(
                "{} does not exist: a backup without the vault key cannot open a secret",
                path.display()
            )));
        }
    }
    Ok(())
}

fn finish(
    mut zip: Writer<std::fs::File>,
    created: chrono::DateTime<chrono::Utc>,
    backend: &str,
    keys_included: bool,
    missing: Vec<String>,
) -> Result<(), BackupError> {
    let manifest = Manifest {
        format: FORMAT.into(),
        version: 1,
        created_at: created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        backend: backend.into(),
        keys_included,
        entries: zip.entries.clone(),
        missing,
    };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    zip.bytes(MANIFEST, &json)?;
    let file = zip.finish()?;
    file.sync_all().map_err(io(Path::new(MANIFEST)))?;
    Ok(())
}
