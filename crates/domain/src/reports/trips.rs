//! Trips and mileage per technician per month, over the last N months.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::{Chart, Report};
use crate::money;
use crate::schema::{client_trips as tr, users};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

#[derive(Default)]
struct Line {
    trips: i64,
    miles: i64,
    cost: i64,
}

/// Without `money` (a technician) the cost column is left out.
pub fn run(
    conn: &mut AnyConnection,
    viewer: Viewer,
    since: NaiveDate,
    months: u32,
    money: bool,
) -> QueryResult<Report> {
    // One row per technician and day: few whatever the number of trips; months are
    // made here, so the SQL is the same on both databases. Staff names: one more
    // statement, a handful of rows.
    let q = crate::of_tenant!(tr, viewer.tenant)
        .filter(tr::deleted_at.is_null())
        .filter(tr::start_date.ge(since))
        .group_by((tr::user_id, tr::start_date))
        .select((
            tr::user_id,
            tr::start_date,
            diesel::dsl::count_star(),
            super::sum_of("client_trips.mileage"),
            super::sum_of("client_trips.total_cost"),
        ))
        .into_boxed();
    let days: Vec<(Option<i64>, NaiveDate, i64, i64, i64)> =
        crate::only_allowed!(q, viewer, tr::client_id).load(conn)?;
    let staff: std::collections::HashMap<i64, String> = crate::of_tenant!(users, viewer.tenant)
        .select((users::id, users::name))
        .load(conn)?
        .into_iter()
        .collect();
    let mut by: BTreeMap<(String, String), Line> = BTreeMap::new();
    // Every month of the span has its bar, driven or not.
    let mut per_month: BTreeMap<String, i64> = BTreeMap::new();
    let mut m = since;
    while m <= viewer.at().date_naive() {
        per_month.insert(format!("{}-{:02}", m.year(), m.month()), 0);
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    for (who, day, n, miles, cost) in days {
        let month = format!("{}-{:02}", day.year(), day.month());
        let who = who
            .and_then(|id| staff.get(&id).cloned())
            .unwrap_or_else(|| "(nobody)".into());
        let line = by.entry((who, month.clone())).or_default();
        line.trips += n;
        line.miles += miles;
        line.cost += cost;
        *per_month.entry(month).or_default() += miles;
    }
    let miles = |v: i64| money::display_scaled(v, 2);
    Ok(Report {
        left_out: 0,
        header: if money {
            vec!["Technician", "Month", "Trips", "Miles", "Cost"]
        } else {
            vec!["Technician", "Month", "Trips", "Miles"]
        },
        rows: by
            .into_iter()
            .map(|((who, month), l)| {
                let mut row = vec![who, month, l.trips.to_string(), miles(l.miles)];
                if money {
                    row.push(money::display(l.cost));
                }
                row
            })
            .collect(),
        charts: vec![Chart {
            caption: format!("Miles driven per month, last {months} months"),
            points: per_month
                .into_iter()
                .map(|(m, v)| (m, v, format!("{} mi", miles(v))))
                .collect(),
        }],
    })
}
