//! Restoring a backup into an empty data directory and an empty database. Nothing is
//! written before every entry has matched its checksum; after writing, the copy is
//! proven: every sealed secret opens with the restored key and every file a row names
//! is there with its size.

use std::fs::File;
use std::path::Path;

use super::archive::check;
use super::{io, postgres, BackupError, Manifest, FILES_DIR, FORMAT, KEYS_DIR, MANIFEST};
use crate::platform::db::{self, Backend};
use crate::platform::keys;

/// What a restore wrote and proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub files: usize,
    pub secrets: usize,
    pub created_at: String,
}

fn open(path: &Path) -> Result<zip::ZipArchive<File>, BackupError> {
    Ok(zip::ZipArchive::new(File::open(path).map_err(io(path))?)?)
}

fn manifest(zip: &mut zip::ZipArchive<File>) -> Result<Manifest, BackupError> {
    let entry = zip.by_name(MANIFEST).map_err(|_| {
        BackupError::Refused("the archive has no manifest.json: it is not an mspdesk backup".into())
    })?;
    let m: Manifest = serde_json::from_reader(entry)
        .map_err(|e| BackupError::Refused(format!("manifest.json cannot be read: {e}")))?;
    if m.format != FORMAT || m.version != 1 {
        return Err(BackupError::Refused(format!(
            "manifest.json is {} version {}, not an {FORMAT} this version reads",
            m.format, m.version
        )));
    }
    Ok(m)
}

/// Refuses a target that holds anything: a data directory with keys, files or a
/// database file, or a database with tables.
fn refuse_non_empty(url: &str, backend: &Backend, data_dir: &Path) -> Result<(), BackupError> {
    let taken = |what: &Path| {
        BackupError::Refused(format!(
            "{} exists: a backup restores only into an empty data directory and database",
            what.display()
        ))
    };
    for name in [keys::VAULT_KEY, keys::SESSION_KEY, "files"] {
        let path = data_dir.join(name);
        if path.exists() {
            return Err(taken(&path));
        }
    }
    match backend {
        Backend::Sqlite(path) if path.exists() => Err(taken(path)),
        Backend::Sqlite(_) => Ok(()),
        Backend::Postgres(_) => {
            let mut conn = backend.connect().map_err(db::DbSetupError::from)?;
            if postgres::is_empty(&mut conn)? {
                Ok(())
            } else {
                Err(BackupError::Refused(format!(
                    "the database at {} has tables: a backup restores only into an empty database",
                    url.split('@').next_back().unwrap_or(url)
                )))
            }
        }
    }
}

/// Restores `archive` (with the keys from `keys_file` when they were kept apart) into
/// the database at `url` and `data_dir`.
pub fn restore(
    archive: &Path,
    keys_file: Option<&Path>,
    url: &str,
    data_dir: &Path,
) -> Result<Restored, BackupError> {
    let backend = Backend::from_url(url).map_err(BackupError::Refused)?;
    let mut zip = open(archive)?;
    let m = manifest(&mut zip)?;
    let kind = if backend.is_sqlite() {
        "sqlite"
    } else {
        "postgres"
    };
    if m.backend != kind {
        return Err(BackupError::Refused(format!(
            "the backup is of a {} database and the target is {kind}: restore it into the same kind",
            m.backend
        )));
    }
    let mut keys_zip = match (m.keys_included, keys_file) {
        (true, _) => None,
        (false, Some(path)) => Some((open(path)?, path)),
        (false, None) => {
            return Err(BackupError::Refused(
                "the keys were written to a file of their own: give it with --keys".into(),
            ))
        }
    };
    let keys_manifest = match keys_zip.as_mut() {
        Some((z, _)) => Some(manifest(z)?),
        None => None,
    };
    refuse_non_empty(url, &backend, data_dir)?;
    // Every entry against its checksum before a byte is written.
    for e in &m.entries {
        check(&mut zip, e, None)?;
    }
    if let (Some((z, _)), Some(km)) = (keys_zip.as_mut(), keys_manifest.as_ref()) {
        for e in &km.entries {
            check(z, e, None)?;
        }
    }

    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let key_entries = match (keys_zip.as_mut(), keys_manifest.as_ref()) {
        (Some((z, _)), Some(km)) => write_keys(z, &km.entries, data_dir)?,
        _ => write_keys(&mut zip, &m.entries, data_dir)?,
    };
    if key_entries == 0 {
        return Err(BackupError::Refused("the backup holds no vault key".into()));
    }
    let mut files = 0;
    for e in &m.entries {
        if let Some(name) = e.name.strip_prefix(FILES_DIR) {
            check(&mut zip, e, Some(&data_dir.join("files").join(name)))?;
            files += 1;
        }
    }
    match &backend {
        Backend::Sqlite(path) => {
            let e = entry(&m, super::SQLITE_ENTRY)?;
            check(&mut zip, e, Some(path))?;
        }
        Backend::Postgres(_) => {
            let e = entry(&m, super::POSTGRES_ENTRY)?;
            let dump = data_dir.join(".restore-postgres.dump");
            check(&mut zip, e, Some(&dump))?;
            let mut conn = backend.connect().map_err(db::DbSetupError::from)?;
            let restored = postgres::restore(&mut conn, url, &dump);
            let _ = std::fs::remove_file(&dump);
            restored?;
        }
    }
    let secrets = prove(url, data_dir)?;
    Ok(Restored {
        files,
        secrets,
        created_at: m.created_at,
    })
}

fn entry<'m>(m: &'m Manifest, name: &str) -> Result<&'m super::Entry, BackupError> {
    m.entries
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| BackupError::Refused(format!("the backup holds no {name}")))
}

fn write_keys(
    zip: &mut zip::ZipArchive<File>,
    entries: &[super::Entry],
    data_dir: &Path,
) -> Result<usize, BackupError> {
    let mut vault = 0;
    for e in entries {
        if let Some(name) = e.name.strip_prefix(KEYS_DIR)
            && (name == keys::VAULT_KEY || name == keys::SESSION_KEY)
        {
            check(zip, e, Some(&data_dir.join(name)))?;
            vault += usize::from(name == keys::VAULT_KEY);
        }
    }
    Ok(vault)
}

/// Opens the restored database (migrating it, should the backup be older), opens every
/// sealed secret with the restored key and finds every file its rows name.
fn prove(url: &str, data_dir: &Path) -> Result<usize, BackupError> {
    let (backend, _) = db::init(url, 1)?;
    let mut conn = backend.connect().map_err(db::DbSetupError::from)?;
    let vault = crate::platform::vault::Vault::existing(data_dir)
        .map_err(|e| BackupError::Refused(e.to_string()))?
        .ok_or_else(|| BackupError::Refused("the vault key was not restored".into()))?;
    let secrets = crate::rotate::verify(&mut conn, &vault)?;
    let files_dir = data_dir.join("files");
    let mut wrong = vec![];
    for (name, size) in crate::domain::platform::stored::all(&mut conn)? {
        let on_disk = std::fs::metadata(files_dir.join(&name)).map(|m| m.len());
        match (on_disk, size) {
            (Ok(len), Some(size)) if len as i64 != size => wrong.push(format!("{name} (size)")),
            (Ok(_), _) => {}
            (Err(_), _) => wrong.push(name),
        }
    }
    if !wrong.is_empty() {
        return Err(BackupError::Refused(format!(
            "restored, but {} file(s) its rows name are missing or cut: {}",
            wrong.len(),
            wrong
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(secrets)
}
