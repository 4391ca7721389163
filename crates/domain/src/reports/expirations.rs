//! Everything dated that comes due in the next N days, across clients: licences,
//! certificates, domains, warranties, contracts — the kinds the reader may see.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::{Chart, Report};
use crate::registry;
use crate::registry::attention::{self, CONTRACT};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

/// The most rows one report lists.
const LIMIT: i64 = 5_000;

pub(crate) fn kind_label(kind: &str) -> &'static str {
    if kind == CONTRACT {
        return "Contract end";
    }
    registry::all()
        .iter()
        .find(|r| r.slug == kind)
        .map_or("Record", |r| r.singular)
}

pub fn run(
    conn: &mut AnyConnection,
    viewer: Viewer,
    kinds: &[&'static str],
    today: NaiveDate,
    days: i64,
) -> QueryResult<Report> {
    let until = today + chrono::Duration::days(days);
    let due = attention::between(conn, viewer, kinds, Some(today), until, LIMIT)?;
    let mut per_kind: Vec<(String, i64)> = vec![];
    let rows = due
        .iter()
        .map(|(d, client)| {
            let label = kind_label(&d.kind);
            match per_kind.iter_mut().find(|(k, _)| k == label) {
                Some((_, n)) => *n += 1,
                None => per_kind.push((label.to_string(), 1)),
            }
            vec![
                d.date.to_string(),
                (d.date - today).num_days().to_string(),
                label.to_string(),
                d.name.clone(),
                client.clone(),
            ]
        })
        .collect();
    Ok(Report {
        left_out: 0,
        header: vec!["Date", "Days left", "Kind", "Record", "Client"],
        rows,
        charts: vec![Chart {
            caption: format!("Coming due in the next {days} days, by kind"),
            points: super::top(per_kind, 12, |n| n.to_string()),
        }],
    })
}
