//! Reports across the clients a user may open: what expires soon, what licences cost,
//! how far technicians drove, what the service desk opened, closed and worked, and —
//! for billing roles — receivables and revenue. Each is a few grouped statements
//! whatever the number of rows behind it; the page draws a chart (server-rendered SVG)
//! and the same rows download as CSV.

pub mod expirations;
pub mod licenses;
pub mod money;
pub mod tickets;
pub mod trips;

/// A report's table, and the series its charts draw.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub charts: Vec<Chart>,
    /// Rows of the whole report left out of `rows` (a page shows the first ones; the
    /// charts and the CSV count every row).
    pub left_out: usize,
}

impl Report {
    /// Keeps the first `n` rows, counting the rest as left out.
    pub fn first(mut self, n: usize) -> Report {
        self.left_out += self.rows.len().saturating_sub(n);
        self.rows.truncate(n);
        self
    }
}

/// One bar chart: a caption and (label, value, value as text) per bar.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub caption: String,
    pub points: Vec<(String, i64, String)>,
}

/// The first `n` of `(label, value)` pairs by value, largest first, with their text.
pub fn top(
    pairs: impl IntoIterator<Item = (String, i64)>,
    n: usize,
    text: impl Fn(i64) -> String,
) -> Vec<(String, i64, String)> {
    let mut all: Vec<(String, i64)> = pairs.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.into_iter()
        .take(n)
        .map(|(l, v)| (l, v, text(v)))
        .collect()
}

pub(crate) use crate::finance::figures::total_of as sum_of;
