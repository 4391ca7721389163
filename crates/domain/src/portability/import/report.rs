//! What an import did, row by row, and what it noticed of its files. A file of a
//! million rows gives a million outcomes: each is counted, every problem row is kept
//! up to a bound (errors, flags), the plain ones only for a first look; the lines of
//! every row that failed are kept (as numbers) for the file of skipped rows.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::columns::Col;
use super::table::Encoding;

/// What one row of the file became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Create,
    Update,
    Skip,
    Error,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Skip => "skip",
            Action::Error => "error",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// One line of the report (kept with its upload, so that the page shows the dry run
/// without reading the file again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub line: usize,
    /// The file it comes from (an export holds several).
    pub file: String,
    pub kind: Cow<'static, str>,
    pub title: String,
    pub client: String,
    pub action: Action,
    pub reason: String,
    pub flags: Vec<String>,
}

impl Line {
    pub(super) fn fail(&mut self, reason: impl Into<String>) {
        self.action = Action::Error;
        self.reason = reason.into();
    }
    fn is_problem(&self) -> bool {
        self.action == Action::Error || !self.flags.is_empty()
    }
}

/// Problem rows kept in full; rows without a problem kept for a first look.
const KEEP_PROBLEMS: usize = 10_000;
const KEEP_PLAIN: usize = 1_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// The rows kept, in the file's order once the import is done.
    pub lines: Vec<Line>,
    counts: [usize; 4],
    flagged: usize,
    /// Rows counted but not kept.
    pub hidden: usize,
    /// Rows kept: (with a problem, without).
    kept: (usize, usize),
    /// The line numbers of every row that failed, by file.
    pub failed: BTreeMap<String, Vec<usize>>,
    pub notes: Notes,
    pub committed: bool,
    /// Why the file could not be read on, when it could not (an upload like that is
    /// refused at once).
    #[serde(default)]
    pub unreadable: Option<String>,
}

impl Report {
    pub fn count(&self, action: Action) -> usize {
        self.counts[action.index()]
    }
    pub fn flagged(&self) -> usize {
        self.flagged
    }

    pub(super) fn push(&mut self, line: Line) {
        self.counts[line.action.index()] += 1;
        if !line.flags.is_empty() {
            self.flagged += 1;
        }
        if line.action == Action::Error {
            self.failed
                .entry(line.file.clone())
                .or_default()
                .push(line.line);
        }
        let (kept, cap) = if line.is_problem() {
            (&mut self.kept.0, KEEP_PROBLEMS)
        } else {
            (&mut self.kept.1, KEEP_PLAIN)
        };
        if *kept < cap {
            *kept += 1;
            self.lines.push(line);
        } else {
            self.hidden += 1;
        }
    }

    /// A row written earlier turned out to fail (the database refused it with the
    /// rows held with it): it is an error now, however it was counted.
    pub(super) fn fail_at(&mut self, file: &str, line: usize, reason: String) {
        if let Some(l) = self
            .lines
            .iter_mut()
            .rev()
            .find(|l| l.file == file && l.line == line)
        {
            self.counts[l.action.index()] -= 1;
            self.counts[Action::Error.index()] += 1;
            l.fail(reason);
        } else {
            // A row not kept was a plain create.
            self.counts[Action::Create.index()] =
                self.counts[Action::Create.index()].saturating_sub(1);
            self.hidden = self.hidden.saturating_sub(1);
            self.push(Line {
                line,
                file: file.to_string(),
                kind: Cow::Borrowed(""),
                title: String::new(),
                client: String::new(),
                action: Action::Error,
                reason,
                flags: vec![],
            });
            return;
        }
        self.failed.entry(file.to_string()).or_default().push(line);
    }

    /// A flag on a row reported earlier (a reference set at the end named nothing).
    pub(super) fn flag_at(&mut self, file: &str, line: usize, flag: String) {
        match self
            .lines
            .iter_mut()
            .rev()
            .find(|l| l.file == file && l.line == line)
        {
            Some(l) => {
                if l.flags.is_empty() {
                    self.flagged += 1;
                }
                l.flags.push(flag);
            }
            // Past the rows kept: the flag is kept on a line of its own.
            None => {
                self.flagged += 1;
                self.lines.push(Line {
                    line,
                    file: file.to_string(),
                    kind: Cow::Borrowed(""),
                    title: String::new(),
                    client: String::new(),
                    action: Action::Update,
                    reason: String::new(),
                    flags: vec![flag],
                });
            }
        }
    }

    /// The last row reported, to mark it failed when the database refuses it.
    pub(super) fn last_line(&self) -> Option<(String, usize)> {
        self.lines.last().map(|l| (l.file.clone(), l.line))
    }

    pub(super) fn sort(&mut self) {
        self.lines
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    }
}

/// What reading the files noticed: an encoding other than UTF-8, and the columns no
/// field matched with how many values they held (nothing is dropped unsaid).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Notes {
    /// (file, the encoding it was read in), for files that were not UTF-8.
    pub encodings: Vec<(String, Cow<'static, str>)>,
    pub ignored: Vec<Ignored>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ignored {
    pub file: String,
    pub column: String,
    /// The cells of the column that held a value.
    pub values: usize,
}

impl Notes {
    /// A file is opened: its encoding and unmatched columns are noted; returns which
    /// columns to count values of, as (column, note).
    pub(super) fn open(
        &mut self,
        file: &str,
        encoding: Encoding,
        header: &[String],
        cols: &[Col],
    ) -> Vec<(usize, usize)> {
        if encoding != Encoding::Utf8 {
            self.encodings
                .push((file.to_string(), Cow::Borrowed(encoding.label())));
        }
        let mut out = vec![];
        for (i, (h, c)) in header.iter().zip(cols).enumerate() {
            if *c == Col::Ignored && !h.trim().is_empty() {
                out.push((i, self.ignored.len()));
                self.ignored.push(Ignored {
                    file: file.to_string(),
                    column: h.clone(),
                    values: 0,
                });
            }
        }
        out
    }

    pub(super) fn tally(&mut self, columns: &[(usize, usize)], cells: &[String]) {
        for (col, note) in columns {
            if cells.get(*col).is_some_and(|c| !c.trim().is_empty()) {
                self.ignored[*note].values += 1;
            }
        }
    }

    /// Values of the file that no field took.
    pub fn dropped_values(&self) -> usize {
        self.ignored.iter().map(|i| i.values).sum()
    }
}
