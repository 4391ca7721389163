//! A CSV file as rows of text, read a row at a time (a file of a million rows never
//! sits in memory whole): UTF-8 with or without a BOM, UTF-16 with its BOM, or — when
//! the bytes are not UTF-8 — Windows-1252 (what spreadsheets on Windows still write;
//! it covers Latin-1), decoded by the WHATWG decoders; the delimiter guessed from the
//! header line (comma, semicolon, tab or pipe); every row as wide as the header; line
//! numbers counted by the file's own line breaks, CRLF or LF. A file that is not that
//! gets a message saying what is wrong and where.

use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::rc::Rc;

pub use super::text::Encoding;
use super::text::{decoded, encoding_of, read_some, SNIFF};

/// Where a file's bytes are: in memory (an archive's entry) or on disk (an upload).
#[derive(Debug, Clone)]
pub enum Input {
    Bytes(Rc<[u8]>),
    File(PathBuf),
}

impl Input {
    pub(super) fn open(&self) -> Result<Box<dyn Read>, String> {
        match self {
            Input::Bytes(b) => Ok(Box::new(std::io::Cursor::new(b.clone()))),
            Input::File(p) => std::fs::File::open(p)
                .map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn Read>)
                .map_err(|e| format!("The uploaded file cannot be read ({e}); upload it again.")),
        }
    }
}

/// A reader that remembers where the line breaks it handed out are, so that a
/// record's line number is the file's own (the CSV reader counts a CRLF file's lines
/// wrong). Only the breaks the CSV reader has read ahead of its last record are kept.
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    breaks: std::collections::VecDeque<u64>,
    /// Where the last record asked about starts, and the breaks before it.
    upto: u64,
    count: usize,
}

impl<R> Lines<R> {
    fn count_to(&mut self, at: u64) {
        self.upto = at;
        while self.breaks.front().is_some_and(|b| *b < at) {
            self.breaks.pop_front();
            self.count += 1;
        }
    }

    /// The line byte `at` is on (1-based).
    fn line_at(&mut self, at: u64) -> usize {
        self.count_to(at);
        self.count + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let start = self.read;
        self.breaks.extend(
            buf[..n]
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| start + i as u64),
        );
        self.read += n as u64;
        self.count_to(self.upto);
        Ok(n)
    }
}

/// One row of a file: its line number and cells, or why it cannot be read.
pub type Row = Result<(usize, Vec<String>), String>;
/// Rows read one at a time.
pub type RowIter = Box<dyn Iterator<Item = Row>>;

/// The rows of a CSV file after its header, one at a time.
pub struct Rows {
    pub header: Vec<String>,
    pub encoding: Encoding,
    reader: csv::Reader<Lines<Box<dyn Read>>>,
    delimiter: u8,
    record: csv::StringRecord,
    /// Data rows read so far.
    pub count: usize,
}

/// Opens a CSV file and reads its header.
pub fn open(input: &Input) -> Result<Rows, String> {
    let encoding = encoding_of(input)?;
    let mut text = decoded(input, encoding)?;
    // The delimiter from the first line of text.
    let mut head = vec![0u8; SNIFF];
    let mut got = 0;
    while got < head.len() {
        let n = read_some(&mut text, &mut head[got..])?;
        if n == 0 {
            break;
        }
        got += n;
        if head[..got].contains(&b'\n') {
            break;
        }
    }
    head.truncate(got);
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("The file is empty.".into());
    }
    let delimiter = delimiter(&String::from_utf8_lossy(&head));
    let source: Box<dyn Read> = Box::new(std::io::Cursor::new(head).chain(text));
    let lines = Lines {
        inner: source,
        read: 0,
        breaks: Default::default(),
        upto: 0,
        count: 0,
    };
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(lines);
    let mut rows = Rows {
        header: vec![],
        encoding,
        reader,
        delimiter,
        record: csv::StringRecord::new(),
        count: 0,
    };
    match rows.next_record()? {
        Some((_, cells)) => rows.header = cells.iter().map(|c| c.trim().to_string()).collect(),
        None => return Err("The file is empty.".into()),
    }
    Ok(rows)
}

impl Rows {
    /// The next record that is not blank, with its line number.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, String> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => {
                    let at = e.position().map_or(0, |p| p.byte());
                    let line = self.reader.get_mut().line_at(at);
                    return Err(match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => format!(
                            "Line {line} is not UTF-8 text. Save the file as \"CSV UTF-8\" \
                             and upload it again."
                        ),
                        _ => format!("Line {line} could not be read as CSV: {e}."),
                    });
                }
            }
            // The CSV reader's own record positions count blank lines and CRLFs wrong;
            // where the record ends is right: its terminator is the byte before. The
            // record starts as many lines up as its quoted cells hold line breaks.
            let end = self.reader.position().byte().saturating_sub(1);
            let inside: usize = self.record.iter().map(|c| c.matches('\n').count()).sum();
            let line = self.reader.get_mut().line_at(end) - inside;
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Ok(Some((
                line,
                self.record.iter().map(str::to_string).collect(),
            )));
        }
    }
}

impl Iterator for Rows {
    type Item = Row;

    fn next(&mut self) -> Option<Self::Item> {
        let (line, mut cells) = match self.next_record() {
            Ok(Some(row)) => row,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let width = self.header.len();
        // Trailing empty cells (a delimiter too many at the end) are harmless.
        while cells.len() > width && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.len() != width {
            return Some(Err(format!(
                "Line {line} has {} columns where the header has {width}. Look for a \
                 missing or extra {} on that line, or a quote that is not closed.",
                cells.len(),
                name(self.delimiter)
            )));
        }
        self.count += 1;
        Some(Ok((line, cells)))
    }
}

/// A whole (small) file in memory: an archive's lookup sheets, tests.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    /// (line number in the file, cells), empty rows left out.
    pub rows: Vec<(usize, Vec<String>)>,
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let mut rows = open(&Input::Bytes(bytes.into()))?;
    let mut table = Table {
        header: rows.header.clone(),
        rows: vec![],
    };
    for row in &mut rows {
        table.rows.push(row?);
    }
    if table.rows.is_empty() {
        return Err("The file has a header but no rows.".into());
    }
    Ok(table)
}

/// The delimiter the header line uses most, outside quotes.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

fn name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => "comma",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_semicolons_and_quotes() {
        let t = read("\u{feff}Name;E-mail\n\"Doe; Jane\";jane@x.test\n\n".as_bytes()).unwrap();
        assert_eq!(t.header, ["Name", "E-mail"]);
        assert_eq!(
            t.rows,
            [(2, vec!["Doe; Jane".into(), "jane@x.test".into()])]
        );
    }

    #[test]
    fn line_numbers_are_the_files_with_crlf_and_breaks_inside_quotes() {
        let t = read(b"a,b\r\n1,2\r\n\"x\r\ny\",3\r\n\r\n4,5\r\n").unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [2, 3, 6]);
        let t = read(b"a,b\n\n\n1,2").unwrap();
        assert_eq!(t.rows[0].0, 4, "blank lines count");
        let ragged = read(b"a,b\r\n1,2\r\n3\r\n").unwrap_err();
        assert!(ragged.contains("Line 3 has 1 columns"), "{ragged}");
    }

    #[test]
    fn latin_1_and_utf_16_are_decoded() {
        let t = read(b"Name,City\nJos\xe9,Z\xfcrich\n").unwrap();
        assert_eq!(t.rows[0].1, ["José", "Zürich"]);
        assert_eq!(
            open(&Input::Bytes(b"Name\nJos\xe9\n".as_slice().into()))
                .unwrap()
                .encoding,
            Encoding::Windows1252
        );
        let utf16: Vec<u8> = "\u{feff}Name\tCity\nJosé\tZürich\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let t = read(&utf16).unwrap();
        assert_eq!(t.header, ["Name", "City"]);
        assert_eq!(t.rows[0].1, ["José", "Zürich"]);
        // A multi-byte character across the sniffing window's edge is still UTF-8.
        let mut long = b"Name\n".to_vec();
        long.extend(std::iter::repeat_n(b'a', SNIFF - 6));
        long.extend("é\n".as_bytes());
        assert_eq!(
            open(&Input::Bytes(long.into())).unwrap().encoding,
            Encoding::Utf8
        );
    }

    #[test]
    fn bad_files_say_why() {
        assert!(read(b"").unwrap_err().contains("empty"));
        assert!(read(b"PK\x03\x04rest").unwrap_err().contains("binary"));
        let ragged = read(b"a,b,c\n1,2,3\n1,2\n").unwrap_err();
        assert!(ragged.contains("Line 3 has 2 columns"), "{ragged}");
        assert!(read(b"a,b\n").unwrap_err().contains("no rows"));
        // A delimiter too many at the end of a row is not an error.
        assert_eq!(read(b"a,b\n1,2,\n").unwrap().rows[0].1, ["1", "2"]);
    }
}
