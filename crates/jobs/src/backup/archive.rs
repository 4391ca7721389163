//! Writing and checking the archive's entries: each is streamed (a database of
//! gigabytes is never held in memory) and hashed as it goes.

use std::io::{Read, Seek, Write};
use std::path::Path;

use blake2::{Blake2s256, Digest};
use zip::write::SimpleFileOptions;

use super::{io, BackupError, Entry};

/// A ZIP being written, with the entries it holds so far.
pub struct Writer<W: Write + Seek> {
    zip: zip::ZipWriter<W>,
    pub entries: Vec<Entry>,
}

impl<W: Write + Seek> Writer<W> {
    pub fn new(out: W) -> Self {
        Writer {
            zip: zip::ZipWriter::new(out),
            entries: vec![],
        }
    }

    /// Adds the file at `path` as `name`, hashing it on the way.
    pub fn file(&mut self, name: &str, path: &Path) -> Result<(), BackupError> {
        let mut input = std::fs::File::open(path).map_err(io(path))?;
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true)
            .unix_permissions(0o600);
        self.zip.start_file(name, options)?;
        let mut hash = Blake2s256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            let n = input.read(&mut buf).map_err(io(path))?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            self.zip.write_all(&buf[..n]).map_err(io(path))?;
            size += n as u64;
        }
        self.entries.push(Entry {
            name: name.to_string(),
            size,
            blake2s256: hex::encode(hash.finalize()),
        });
        Ok(())
    }

    /// Adds a small entry from memory (the manifest) without listing it.
    pub fn bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), BackupError> {
        let options = SimpleFileOptions::default().unix_permissions(0o600);
        self.zip.start_file(name, options)?;
        self.zip.write_all(bytes).map_err(io(Path::new(name)))?;
        Ok(())
    }

    pub fn finish(self) -> Result<W, BackupError> {
        Ok(self.zip.finish()?)
    }
}

/// Streams entry `name` of `zip` to `out` (when given) and checks it against the
/// manifest's size and checksum.
pub fn check<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    expected: &Entry,
    out: Option<&Path>,
) -> Result<(), BackupError> {
    let mut entry = zip.by_name(&expected.name)?;
    let mut file = match out {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            Some(options.open(path).map_err(io(path))?)
        }
        None => None,
    };
    let mut hash = Blake2s256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    let name = Path::new(&expected.name);
    loop {
        let n = entry.read(&mut buf).map_err(io(name))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        if let Some(f) = file.as_mut() {
            f.write_all(&buf[..n]).map_err(io(name))?;
        }
        size += n as u64;
    }
    if let Some(f) = file {
        f.sync_all().map_err(io(name))?;
    }
    if size != expected.size || hex::encode(hash.finalize()) != expected.blake2s256 {
        return Err(BackupError::Refused(format!(
            "{} does not match its checksum in the manifest: the archive is damaged",
            expected.name
        )));
    }
    Ok(())
}
