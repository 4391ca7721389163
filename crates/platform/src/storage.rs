//! The stored-files directory: uploads, kept import files and staging folders. A file
//! is received under a temporary name (`<name>.part`) and takes its own name only once
//! the row that names it is committed, so a process killed mid-upload leaves a `.part`
//! the start-up sweep removes — never a half-written file under a name a row could use.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{AppError, AppResult};

/// The suffix of a file still being received.
const PART: &str = ".part";
/// A file written by a live request is touched at least this often (a chunk at a time);
/// anything older is left over from a process that died, even with several nodes
/// sharing the directory.
const LEFT_OVER_AFTER: Duration = Duration::from_secs(15 * 60);
/// The name a run's staging folder for restored files starts with (in the storage
/// folder; one left by a process that died is swept at the next start).
pub const STAGING: &str = ".import-";
/// Staging folders of an import live as long as the import: a day is no running one's.
const STAGING_LEFT_OVER_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Where uploads go and how large they may be.
#[derive(Clone)]
pub struct Storage {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

/// What the start-up sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Partial files whose row was committed just before the process died: renamed.
    pub completed: usize,
    /// Partial files, export spools and staging folders nothing names: removed.
    pub removed: usize,
}

impl Storage {
    pub fn path(&self, stored: &str) -> PathBuf {
        self.dir.join(stored)
    }

    /// Where a file is written while it is received.
    pub fn partial_path(&self, stored: &str) -> PathBuf {
        self.dir.join(format!("{stored}{PART}"))
    }

    /// Clears what processes that died left behind. `named(stored)` says whether a
    /// committed row names a file (`None`: it could not be told, so the file stays): a
    /// `.part` whose row exists lost only its rename and gets it; any other `.part`, a
    /// spooled export and an old staging folder go.
    pub fn sweep(&self, mut named: impl FnMut(&str) -> Option<bool>) -> Swept {
        let mut swept = Swept::default();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return swept;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .unwrap_or_default();
            let path = entry.path();
            if name.starts_with(STAGING) {
                if age > STAGING_LEFT_OVER_AFTER && std::fs::remove_dir_all(&path).is_ok() {
                    swept.removed += 1;
                }
            } else if let Some(stored) = name.strip_suffix(PART) {
                if age <= LEFT_OVER_AFTER {
                    continue;
                }
                match named(stored) {
                    Some(true) if std::fs::rename(&path, self.path(stored)).is_ok() => {
                        swept.completed += 1
                    }
                    Some(false) if std::fs::remove_file(&path).is_ok() => swept.removed += 1,
                    _ => {}
                }
            } else if name.starts_with(".export-")
                && age > LEFT_OVER_AFTER
                && std::fs::remove_file(&path).is_ok()
            {
                swept.removed += 1;
            }
        }
        swept
    }
}

/// A file being received under its temporary name: removed when dropped unless kept.
/// Every early return, error and cut connection (the handler's future is dropped) goes
/// through `Drop`, so no partial file stays behind. The removal is one unlink, too
/// short to be worth a trip off the worker.
pub struct PartialFile {
    partial: PathBuf,
    target: PathBuf,
    kept: bool,
}

impl PartialFile {
    pub fn new(storage: &Storage, stored: &str) -> Self {
        PartialFile {
            partial: storage.partial_path(stored),
            target: storage.path(stored),
            kept: false,
        }
    }

    /// Where the bytes are until the file is kept.
    pub fn path(&self) -> &Path {
        &self.partial
    }

    /// The row naming the file is committed: the file takes its name. Should the rename
    /// fail, the partial file stays for the start-up sweep to finish.
    pub async fn keep(mut self) -> AppResult<()> {
        self.kept = true;
        let (from, to) = (self.partial.clone(), self.target.clone());
        actix_web::web::block(move || std::fs::rename(from, to))
            .await?
            .map_err(|e| AppError::Internal(format!("keeping an upload: {e}")))
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aged(path: &Path, by: Duration) {
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(std::time::SystemTime::now() - by).unwrap();
    }

    #[test]
    fn the_sweep_finishes_committed_parts_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage {
            dir: dir.path().to_path_buf(),
            max_bytes: 1024,
        };
        let hour = Duration::from_secs(3600);
        for name in [
            "committed.part",
            "orphan.part",
            "live.part",
            "kept",
            ".export-x.zip",
        ] {
            std::fs::write(dir.path().join(name), b"bytes").unwrap();
        }
        for name in ["committed.part", "orphan.part", "kept", ".export-x.zip"] {
            aged(&dir.path().join(name), hour);
        }
        let swept = s.sweep(|stored| Some(stored == "committed"));
        assert_eq!(
            swept,
            Swept {
                completed: 1,
                removed: 2
            }
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["committed", "kept", "live.part"]);
    }
}
