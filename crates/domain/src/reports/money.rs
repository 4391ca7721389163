//! Receivables (what open invoices owe, by age) and paid revenue by month, per
//! currency — amounts of different currencies are never added together.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::{Chart, Report};
use crate::finance::figures::{self, Of, BUCKETS};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

fn money(code: &str, minor: i64) -> String {
    match crate::currency::Currency::of(code) {
        Some(c) => c.format(minor),
        None => minor.to_string(),
    }
}

pub fn receivables(
    conn: &mut AnyConnection,
    viewer: Viewer,
    today: NaiveDate,
) -> QueryResult<Report> {
    let figures = figures::of(conn, Of::Tenant(&viewer), today)?;
    let mut header = vec!["Currency", "Owed", "Overdue"];
    header.extend(BUCKETS);
    Ok(Report {
        left_out: 0,
        header,
        charts: figures
            .iter()
            .filter(|f| f.balance > 0)
            .map(|f| Chart {
                caption: format!("Owed by days past due, {}", f.currency),
                points: BUCKETS
                    .iter()
                    .zip(f.aging)
                    .map(|(b, v)| (b.to_string(), v, money(&f.currency, v)))
                    .collect(),
            })
            .collect(),
        rows: figures
            .iter()
            .map(|f| {
                let mut row = vec![
                    f.currency.clone(),
                    money(&f.currency, f.balance),
                    money(&f.currency, f.overdue),
                ];
                row.extend(f.aging.iter().map(|v| money(&f.currency, *v)));
                row
            })
            .collect(),
    })
}

pub fn revenue(
    conn: &mut AnyConnection,
    viewer: Viewer,
    today: NaiveDate,
    months: u32,
) -> QueryResult<Report> {
    let series = figures::revenue(conn, &viewer, today, months)?;
    let mut rows = vec![];
    let mut charts = vec![];
    for (code, months_of) in &series {
        for (month, v) in months_of {
            rows.push(vec![
                code.clone(),
                month.format("%Y-%m").to_string(),
                money(code, *v),
            ]);
        }
        charts.push(Chart {
            caption: format!("Paid revenue by month, {code}"),
            points: months_of
                .iter()
                .map(|(m, v)| (m.format("%b").to_string(), *v, money(code, *v)))
                .collect(),
        });
    }
    Ok(Report {
        left_out: 0,
        header: vec!["Currency", "Month", "Paid"],
        rows,
        charts,
    })
}
