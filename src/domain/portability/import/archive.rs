//! The files of an export, from a ZIP or from a folder (the command line), held in
//! memory by their path inside it. An archive that would unpack to more than the
//! limit is refused before it is unpacked: a small ZIP can hold gigabytes of zeros.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The most bytes an archive may unpack to.
pub const MAX_UNPACKED: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Path inside the archive ('/'-separated, without a leading folder they all
    /// share) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Archive {
    pub fn from_zip(bytes: &[u8]) -> Result<Archive, String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| format!("The file is not a readable ZIP archive ({e})."))?;
        let mut files = BTreeMap::new();
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut entry = zip
                .by_index(i)
                .map_err(|e| format!("An entry of the archive cannot be read ({e})."))?;
            if entry.is_dir() {
                continue;
            }
            let Some(name) = entry.enclosed_name() else {
                continue;
            };
            let name = name.to_string_lossy().replace('\\', "/");
            let mut data = Vec::new();
            let budget = MAX_UNPACKED.saturating_sub(total);
            (&mut entry)
                .take(budget + 1)
                .read_to_end(&mut data)
                .map_err(|e| format!("{name} cannot be unpacked ({e})."))?;
            total += data.len() as u64;
            if total > MAX_UNPACKED {
                return Err(format!(
                    "The archive unpacks to more than {} MB.",
                    MAX_UNPACKED / (1024 * 1024)
                ));
            }
            files.insert(name, data);
        }
        Ok(Archive { files }.unnested())
    }

    pub fn from_dir(dir: &Path) -> Result<Archive, String> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(dir) {
                    let data =
                        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    files.insert(rel.to_string_lossy().replace('\\', "/"), data);
                }
            }
        }
        Ok(Archive { files }.unnested())
    }

    /// Without the one folder every path starts with (a ZIP of a folder).
    fn unnested(self) -> Archive {
        let first = self
            .files
            .keys()
            .next()
            .and_then(|k| k.split_once('/'))
            .map(|(d, _)| format!("{d}/"));
        match first {
            Some(prefix) if self.files.keys().all(|k| k.starts_with(&prefix)) => Archive {
                files: self
                    .files
                    .into_iter()
                    .map(|(k, v)| (k[prefix.len()..].to_string(), v))
                    .collect(),
            },
            _ => self,
        }
    }

    /// A file at the top of the archive, by name without case.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}
