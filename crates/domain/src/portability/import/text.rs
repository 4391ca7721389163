//! What text a file is: UTF-8, UTF-16 (by its BOM) or — bytes that are not UTF-8 —
//! Windows-1252, told from the whole file before a row is read (a stray byte in the
//! millionth row must not be found after the first 999,999 are written); and the
//! file's bytes decoded to UTF-8 as they are read.

use std::io::Read;

use super::table::Input;

/// The text encodings a file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::Windows1252 => "Windows-1252 (Latin-1)",
        }
    }
}

/// The bytes looked at to tell a text file from a binary one and to guess the
/// delimiter.
pub(super) const SNIFF: usize = 64 * 1024;

/// Which encoding `input` is in: a BOM says so; else UTF-8 when every byte is.
pub(super) fn encoding_of(input: &Input) -> Result<Encoding, String> {
    let mut r = input.open()?;
    let mut buf = vec![0u8; SNIFF];
    let mut first = true;
    // A multi-byte character may straddle two reads: its start is kept for the next.
    let mut carry = 0;
    loop {
        let n = read_some(&mut r, &mut buf[carry..])?;
        let len = carry + n;
        let chunk = &buf[..len];
        if first {
            first = false;
            if chunk.starts_with(b"\xFF\xFE") || chunk.starts_with(b"\xFE\xFF") {
                return Ok(Encoding::Utf16);
            }
            if chunk.starts_with(b"PK\x03\x04") {
                return Err(BINARY.into());
            }
        }
        if chunk.contains(&0) {
            return Err(BINARY.into());
        }
        let incomplete = match std::str::from_utf8(chunk) {
            Ok(_) => None,
            // Cut short at the end of the chunk, and more may follow.
            Err(e) if e.error_len().is_none() && n > 0 => Some(e.valid_up_to()),
            Err(_) => return Ok(Encoding::Windows1252),
        };
        if n == 0 {
            return Ok(Encoding::Utf8);
        }
        carry = match incomplete {
            Some(valid) => {
                buf.copy_within(valid..len, 0);
                len - valid
            }
            None => 0,
        };
    }
}

const BINARY: &str =
    "This is not a CSV file: it holds binary data (a spreadsheet or an archive?). \
                      Save the sheet as \"CSV UTF-8\" and upload that.";

pub(super) fn read_some(r: &mut dyn Read, buf: &mut [u8]) -> Result<usize, String> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other.map_err(|e| format!("The file cannot be read ({e}).")),
        }
    }
}

/// The file's text as UTF-8, without a BOM.
pub(super) fn decoded(input: &Input, encoding: Encoding) -> Result<Box<dyn Read>, String> {
    let raw = input.open()?;
    let enc = match encoding {
        Encoding::Utf8 => encoding_rs::UTF_8,
        Encoding::Utf16 => encoding_rs::UTF_16LE,
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
    };
    Ok(Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(enc))
            // A BOM says which UTF-16 it is; UTF-8 passes through as it is.
            .bom_override(true)
            .strip_bom(true)
            .utf8_passthru(true)
            .build(raw),
    ))
}
