//! A CSV file as rows of text: UTF-8 with or without a BOM, the delimiter guessed from
//! the header line (comma, semicolon, tab or pipe — spreadsheets in many locales write
//! semicolons), and every row as wide as the header. A file that is not that gets a
//! message saying what is wrong and where, before anything is matched or written.

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 250_000;

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    /// (line number in the file, cells), empty rows left out.
    pub rows: Vec<(usize, Vec<String>)>,
}

pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("The file is empty.".into());
    }
    if bytes.contains(&0) || bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "This is not a CSV file: it holds binary data (a spreadsheet or an archive?). \
             Save the sheet as \"CSV UTF-8\" and upload that."
                .into(),
        );
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "The file is not UTF-8 text (the first bad byte is at position {}). Save it as \
             \"CSV UTF-8\" and upload it again.",
            e.valid_up_to() + 1
        )
    })?;
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    for record in reader.records() {
        let record = record.map_err(|e| format!("The file could not be read as CSV: {e}."))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if table.header.is_empty() {
            table.header = cells.iter().map(|c| c.trim().to_string()).collect();
            continue;
        }
        let width = table.header.len();
        // Trailing empty cells (a delimiter too many at the end) are harmless.
        while cells.len() > width && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.len() != width {
            return Err(format!(
                "Line {line} has {} columns where the header has {width}. Look for a \
                 missing or extra {} on that line, or a quote that is not closed.",
                cells.len(),
                name(delimiter)
            ));
        }
        if table.rows.len() == MAX_ROWS {
            return Err(format!(
                "The file has more than {MAX_ROWS} rows; split it into several files."
            ));
        }
        table.rows.push((line, cells));
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
        } else if !quoted {
            if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                c.1 += 1;
            }
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
    fn bad_files_say_why() {
        assert!(read(b"").unwrap_err().contains("empty"));
        assert!(read(b"PK\x03\x04rest").unwrap_err().contains("binary"));
        assert!(read(b"a,b\n\xff\xfe,1\n").unwrap_err().contains("UTF-8"));
        let ragged = read(b"a,b,c\n1,2,3\n1,2\n").unwrap_err();
        assert!(ragged.contains("Line 3 has 2 columns"), "{ragged}");
        assert!(read(b"a,b\n").unwrap_err().contains("no rows"));
        // A delimiter too many at the end of a row is not an error.
        assert_eq!(read(b"a,b\n1,2,\n").unwrap().rows[0].1, ["1", "2"]);
    }
}
