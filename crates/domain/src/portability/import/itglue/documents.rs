//! IT Glue's documents: `documents.csv` lists them, and each one's body is the HTML
//! file in the export's folder named by its locator (`documents/DOC-1234-5678 Name/…
//! .html`). The locator, and only it, says which body is whose: a document id can
//! equal another record's number in any folder name.

use std::rc::Rc;

use super::super::archive::Archive;
use super::super::columns::norm;
use super::super::table::RowIter;
use super::super::Record;

/// The rows with a "Content" column holding each document's body, read as the row is;
/// returns the rows and the columns read into it (the locator).
pub(super) fn with_bodies(
    header: &mut Vec<String>,
    rows: RowIter,
    archive: Rc<Archive>,
) -> (RowIter, Vec<usize>) {
    if header
        .iter()
        .any(|h| matches!(norm(h).as_str(), "content" | "body" | "html"))
    {
        return (rows, vec![]);
    }
    let Some(locator) = header.iter().position(|h| norm(h) == "locator") else {
        return (rows, vec![]);
    };
    header.push("Content".into());
    let pages: Vec<String> = archive
        .names()
        .filter(|p| {
            let p = p.to_ascii_lowercase();
            p.ends_with(".html") || p.ends_with(".htm")
        })
        .map(str::to_string)
        .collect();
    let rows = rows.map(move |row| {
        let (line, mut cells) = row?;
        let body = match page_of(&pages, cells[locator].trim()) {
            Some(path) => String::from_utf8_lossy(&archive.read(path)?).into_owned(),
            None => String::new(),
        };
        cells.push(body);
        Ok((line, cells))
    });
    (Box::new(rows), vec![locator])
}

/// The HTML page in the folder (or named) by `locator`: a path part that is the
/// locator itself or starts with it and a space ("DOC-1234-5678 Onboarding").
fn page_of<'a>(pages: &'a [String], locator: &str) -> Option<&'a str> {
    if locator.is_empty() {
        return None;
    }
    let loc = locator.to_ascii_lowercase();
    pages
        .iter()
        .find(|path| {
            path.split('/').any(|part| {
                let part = part.to_ascii_lowercase();
                let stem = part
                    .strip_suffix(".html")
                    .or(part.strip_suffix(".htm"))
                    .unwrap_or(&part);
                stem == loc || stem.starts_with(&format!("{loc} "))
            })
        })
        .map(String::as_str)
}

/// A document whose body the export does not hold is imported empty, and said so.
pub(super) fn flag_missing_body(r: &mut Record, locator: &str, has_locators: bool) {
    if !r.value("content").is_empty() {
        return;
    }
    r.flags.push(match (has_locators, locator.is_empty()) {
        (false, _) => {
            "The export names no locator for its documents, so no body could be matched; \
             the document was created empty."
                .to_string()
        }
        (true, true) => "The row has no locator; the document was created empty.".into(),
        (true, false) => {
            format!("The export holds no body for {locator}; the document was created empty.")
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_found_by_its_locator_only() {
        let pages = [
            "documents/DOC-11-61 Onboarding/61.html".to_string(),
            "documents/DOC-61-7 Backups/7.html".to_string(),
        ];
        assert_eq!(
            page_of(&pages, "DOC-61-7"),
            Some("documents/DOC-61-7 Backups/7.html")
        );
        assert_eq!(
            page_of(&pages, "doc-11-61"),
            Some("documents/DOC-11-61 Onboarding/61.html")
        );
        assert_eq!(page_of(&pages, "DOC-11-6"), None, "no prefix of a number");
        assert_eq!(page_of(&pages, ""), None);
    }
}
