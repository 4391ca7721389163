//! The files of an export, from a ZIP or from a folder (the command line), read one at
//! a time when the import reaches them, and only those it reaches: an export's
//! attachments and bodies never sit in memory together. What a ZIP unpacks to is
//! bounded in all — by the upload limit on the web, where an archive counts by what it
//! unpacks to — and no entry may unpack to more than `MAX_RATIO` times its packed size
//! (a small ZIP can hold gigabytes of zeros), however its entries claim to be sized.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The most bytes an archive may unpack to on the command line, and the most entries
/// it may have.
pub const MAX_UNPACKED: u64 = 1024 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 200_000;
/// The most an entry may unpack to per packed byte: text compresses 5–20 times, a
/// bomb thousands of times. Entries under `RATIO_FLOOR` are not held to it.
pub const MAX_RATIO: u64 = 100;
const RATIO_FLOOR: u64 = 1024 * 1024;

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
    /// The most bytes all the entries read may unpack to.
    limit: u64,
}

/// What an archive unpacking to more than `limit` is told.
fn too_big(limit: u64) -> String {
    format!(
        "The archive unpacks to more than {} MB, the most an import reads; an archive counts \
         by what it unpacks to. Split it, or use `mspdesk import` on the server.",
        limit / (1024 * 1024)
    )
}

/// What an entry may unpack to, given its packed size.
fn entry_cap(packed: u64) -> u64 {
    packed.saturating_mul(MAX_RATIO).max(RATIO_FLOOR)
}

impl Archive {
    /// A ZIP in memory (the unit tests' archives).
    #[cfg(test)]
    pub(crate) fn from_zip(bytes: Vec<u8>, limit: u64) -> Result<Archive, String> {
        Self::zip(Box::new(std::io::Cursor::new(bytes)), limit)
    }

    /// A ZIP on disk (an upload), read where it lies.
    pub(crate) fn from_zip_file(path: &Path, limit: u64) -> Result<Archive, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("The uploaded file cannot be read ({e}); upload it again."))?;
        Self::zip(Box::new(std::io::BufReader::new(file)), limit)
    }

    /// Lists the entries; an archive whose entries say they unpack to more than the
    /// limit, or one of them to more than its ratio allows, is refused before any is
    /// read (what they say is checked again as they are read).
    fn zip(reader: Box<dyn ReadSeek>, limit: u64) -> Result<Archive, String> {
        let mut zip = zip::ZipArchive::new(reader)
            .map_err(|e| format!("The file is not a readable ZIP archive ({e})."))?;
        if zip.len() > MAX_ENTRIES {
            return Err(format!(
                "The archive has {} entries; at most {MAX_ENTRIES} are read.",
                zip.len()
            ));
        }
        let mut entries = BTreeMap::new();
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let (packed, size) = match zip.by_index_raw(i) {
                Ok(e) => (e.compressed_size(), e.size()),
                Err(e) => return Err(format!("The file is not a readable ZIP archive ({e}).")),
            };
            let Some(Ok(name)) = zip.name_for_index(i) else {
                continue;
            };
            if size > entry_cap(packed) {
                return Err(bomb(&name));
            }
            declared = declared.saturating_add(size);
            if declared > limit {
                return Err(too_big(limit));
            }
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
            limit,
        })
    }

    /// An export's folder (the command line), read up to `MAX_UNPACKED`.
    pub(crate) fn from_dir(dir: &Path) -> Result<Archive, String> {
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
            limit: MAX_UNPACKED,
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
        let budget = self.limit.saturating_sub(self.unpacked.get());
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
                    .ok_or_else(|| format!("{path} is listed without its archive."))?;
                let mut zip = zip.borrow_mut();
                let entry = zip
                    .by_index(*i)
                    .map_err(|e| format!("{path} cannot be read from the archive ({e})."))?;
                // An entry whose header lied about its size stops at what its ratio
                // allows, like one that told the truth.
                let cap = entry_cap(entry.compressed_size());
                entry
                    .take(budget.min(cap) + 1)
                    .read_to_end(&mut data)
                    .map_err(|e| format!("{path} cannot be unpacked ({e})."))?;
                if data.len() as u64 > cap && (data.len() as u64) <= budget {
                    return Err(bomb(path));
                }
            }
        }
        let total = self.unpacked.get() + data.len() as u64;
        if total > self.limit {
            return Err(too_big(self.limit));
        }
        self.unpacked.set(total);
        Ok(data.into())
    }
}

/// What an entry that unpacks past its ratio is told.
fn bomb(path: &str) -> String {
    format!(
        "{path} unpacks to more than {MAX_RATIO} times its packed size; the archive is refused \
         as a ZIP bomb would be."
    )
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
        let a = Archive::from_zip(
            zip(&[
                ("export/Organizations.csv", b"id,name\n1,A\n"),
                ("export/../../evil.csv", b"x"),
                ("export/documents/DOC-1/1.html", b"<p>x</p>"),
            ]),
            MAX_UNPACKED,
        )
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
        // Bytes that do not compress (an attachment): no ratio to hold them to.
        let mut x: u32 = 2463534242;
        let text: Vec<u8> = (0..4 * 1024 * 1024)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let bytes = zip(&[("a.txt", &text), ("b.txt", &text)]);
        let refused = Archive::from_zip(bytes.clone(), 6 * 1024 * 1024)
            .err()
            .unwrap();
        assert!(refused.contains("unpacks to more than 6 MB"), "{refused}");
        let a = Archive::from_zip(bytes, 100 * 1024 * 1024).unwrap();
        a.unpacked.set(a.limit - 5 * 1024 * 1024);
        assert!(a.read("a.txt").is_ok());
        assert!(a
            .read("b.txt")
            .unwrap_err()
            .contains("unpacks to more than"));
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_read() {
        let zeros = vec![0u8; 20 * 1024 * 1024];
        let refused = Archive::from_zip(zip(&[("zeros.csv", &zeros)]), MAX_UNPACKED)
            .err()
            .unwrap();
        assert!(
            refused.contains("zeros.csv unpacks to more than 100 times"),
            "{refused}"
        );
        // Small entries compress as they like.
        let small = vec![b'a'; 512 * 1024];
        let a = Archive::from_zip(zip(&[("a.csv", &small)]), MAX_UNPACKED).unwrap();
        assert_eq!(a.read("a.csv").unwrap().len(), small.len());
    }
}
