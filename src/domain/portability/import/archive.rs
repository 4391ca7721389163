//! The files of an export, from a ZIP or from a folder (the command line), read one at
//! a time when the import reaches them: an export's attachments and bodies never sit
//! in memory together. What a ZIP unpacks to is bounded in all (a small ZIP can hold
//! gigabytes of zeros), however its entries claim to be sized.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The most bytes an archive may unpack to, and the most entries it may have.
pub const MAX_UNPACKED: u64 = 1024 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 200_000;

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

enum Where {
    Zip(usize),
    File(PathBuf),
}

pub struct Archive {
    /// Path inside the archive ('/'-separated, without a leading folder they all
    /// share) → where its bytes are.
    entries: BTreeMap<String, Where>,
    zip: Option<RefCell<zip::ZipArchive<Box<dyn ReadSeek>>>>,
    unpacked: Cell<u64>,
}

impl Archive {
    /// A ZIP in memory.
    pub fn from_zip(bytes: Vec<u8>) -> Result<Archive, String> {
        Self::zip(Box::new(std::io::Cursor::new(bytes)))
    }

    /// A ZIP on disk (an upload), read where it lies.
    pub fn from_zip_file(path: &Path) -> Result<Archive, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("The uploaded file cannot be read ({e}); upload it again."))?;
        Self::zip(Box::new(std::io::BufReader::new(file)))
    }

    fn zip(reader: Box<dyn ReadSeek>) -> Result<Archive, String> {
        let zip = zip::ZipArchive::new(reader)
            .map_err(|e| format!("The file is not a readable ZIP archive ({e})."))?;
        if zip.len() > MAX_ENTRIES {
            return Err(format!(
                "The archive has {} entries; at most {MAX_ENTRIES} are read.",
                zip.len()
            ));
        }
        let mut entries = BTreeMap::new();
        for i in 0..zip.len() {
            let Some(Ok(name)) = zip.name_for_index(i) else {
                continue;
            };
            if name.ends_with('/') {
                continue;
            }
            // Only names that stay inside the archive (no `..`, no absolute paths).
            let safe = name.replace('\\', "/");
            if safe.starts_with('/') || safe.split('/').any(|p| p == "..") || safe.contains('\0') {
                continue;
            }
            entries.insert(safe, Where::Zip(i));
        }
        Ok(Archive {
            entries: unnested(entries),
            zip: Some(RefCell::new(zip)),
            unpacked: Cell::new(0),
        })
    }

    pub fn from_dir(dir: &Path) -> Result<Archive, String> {
        let mut entries = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let listing = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            for entry in listing {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(dir) {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    entries.insert(name, Where::File(path.clone()));
                }
            }
        }
        Ok(Archive {
            entries: unnested(entries),
            zip: None,
            unpacked: Cell::new(0),
        })
    }

    /// Every path in the archive, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The path of a file at the top of the archive, by name without case.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.names().find(|k| k.eq_ignore_ascii_case(name))
    }

    /// A file at the top of the archive, by name without case.
    pub fn get(&self, name: &str) -> Result<Option<Rc<[u8]>>, String> {
        match self.find(name) {
            Some(path) => self.read(path).map(Some),
            None => Ok(None),
        }
    }

    /// The bytes of the file at `path`.
    pub fn read(&self, path: &str) -> Result<Rc<[u8]>, String> {
        let budget = MAX_UNPACKED.saturating_sub(self.unpacked.get());
        let mut data = Vec::new();
        match self.entries.get(path) {
            None => return Err(format!("{path} is not in the archive.")),
            Some(Where::File(p)) => {
                std::fs::File::open(p)
                    .and_then(|f| f.take(budget + 1).read_to_end(&mut data))
                    .map_err(|e| format!("{}: {e}", p.display()))?;
            }
            Some(Where::Zip(i)) => {
                let zip = self
                    .zip
                    .as_ref()
                    .expect("zip entries come with their archive");
                let mut zip = zip.borrow_mut();
                let entry = zip
                    .by_index(*i)
                    .map_err(|e| format!("{path} cannot be read from the archive ({e})."))?;
                entry
                    .take(budget + 1)
                    .read_to_end(&mut data)
                    .map_err(|e| format!("{path} cannot be unpacked ({e})."))?;
            }
        }
        let total = self.unpacked.get() + data.len() as u64;
        if total > MAX_UNPACKED {
            return Err(format!(
                "The archive unpacks to more than {} MB.",
                MAX_UNPACKED / (1024 * 1024)
            ));
        }
        self.unpacked.set(total);
        Ok(data.into())
    }
}

/// Without the one folder every path starts with (a ZIP of a folder).
fn unnested(entries: BTreeMap<String, Where>) -> BTreeMap<String, Where> {
    let first = entries
        .keys()
        .next()
        .and_then(|k| k.split_once('/'))
        .map(|(d, _)| format!("{d}/"));
    match first {
        Some(prefix) if entries.keys().all(|k| k.starts_with(&prefix)) => entries
            .into_iter()
            .map(|(k, v)| (k[prefix.len()..].to_string(), v))
            .collect(),
        _ => entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_read_when_asked_for_without_their_shared_folder() {
        let a = Archive::from_zip(zip(&[
            ("export/Organizations.csv", b"id,name\n1,A\n"),
            ("export/../../evil.csv", b"x"),
            ("export/documents/DOC-1/1.html", b"<p>x</p>"),
        ]))
        .unwrap();
        assert_eq!(
            a.names().collect::<Vec<_>>(),
            ["Organizations.csv", "documents/DOC-1/1.html"]
        );
        assert_eq!(
            &*a.get("organizations.csv").unwrap().unwrap(),
            b"id,name\n1,A\n"
        );
        assert!(a.get("nothing.csv").unwrap().is_none());
    }

    #[test]
    fn what_an_archive_unpacks_to_is_bounded() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let a = Archive::from_zip(zip(&[("a.bin", &zeros), ("b.bin", &zeros)])).unwrap();
        a.unpacked.set(MAX_UNPACKED - 5 * 1024 * 1024);
        assert!(a.read("a.bin").is_ok());
        assert!(a
            .read("b.bin")
            .unwrap_err()
            .contains("unpacks to more than"));
    }
}
