//! The rows an import skips, as a CSV to fix and import again: for a CSV upload, its
//! own header and the failed rows as they were, with the reason in a last column (the
//! importer lists that column as unmatched and leaves it); for an archive, which
//! file, line and record failed, and why — to be fixed at the source.

use std::collections::{HashMap, HashSet};

use super::table::{self, Input};
use super::{Action, Report, Upload};
use crate::portability::csv_out;

pub fn skipped_rows(upload: &Upload, report: &Report) -> Result<Vec<u8>, String> {
    let reasons: HashMap<(&str, usize), &str> = report
        .lines
        .iter()
        .filter(|l| l.action == Action::Error)
        .map(|l| ((l.file.as_str(), l.line), l.reason.as_str()))
        .collect();
    let archive = upload.path.is_dir() || is_zip(upload)?;
    if archive {
        let header = ["File", "Line", "Record", "Why it was skipped"].map(String::from);
        let rows: Vec<Vec<String>> = report
            .lines
            .iter()
            .filter(|l| l.action == Action::Error)
            .map(|l| {
                vec![
                    l.file.clone(),
                    l.line.to_string(),
                    l.title.clone(),
                    l.reason.clone(),
                ]
            })
            .collect();
        return csv_out::write(&header, &rows);
    }
    let failed: HashSet<usize> = report
        .failed
        .get(&upload.name)
        .map(|lines| lines.iter().copied().collect())
        .unwrap_or_default();
    let rows = table::open(&Input::File(upload.path.clone()))?;
    let mut header = rows.header.clone();
    header.push("Import error".into());
    let mut out = vec![];
    for row in rows {
        let (line, mut cells) = row?;
        if failed.contains(&line) {
            let why = reasons.get(&(upload.name.as_str(), line)).copied();
            cells.push(why.unwrap_or("").to_string());
            out.push(cells);
        }
    }
    csv_out::write(&header, &out)
}

/// Whether the upload is a ZIP (by its first bytes, whatever its name).
pub(super) fn is_zip(upload: &Upload) -> Result<bool, String> {
    let mut head = [0u8; 4];
    let n = std::fs::File::open(&upload.path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map_err(|e| format!("The uploaded file cannot be read ({e}); upload it again."))?;
    Ok(head[..n] == *b"PK\x03\x04")
}
