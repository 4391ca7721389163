//! What licences cost, by client and vendor (live licences of live clients).

use diesel::prelude::*;

use super::{sum_of, Chart, Report};
use crate::domain::money;
use crate::domain::schema::{client_licenses as l, clients};
use crate::domain::scope::Viewer;
use crate::platform::db::AnyConnection;

pub fn run(conn: &mut AnyConnection, viewer: Viewer) -> QueryResult<Report> {
    let q = crate::of_tenant!(l, viewer.tenant)
        .inner_join(
            clients::table.on(clients::id
                .eq(l::client_id)
                .and(clients::tenant_id.eq(l::tenant_id))),
        )
        .filter(l::deleted_at.is_null())
        .filter(clients::deleted_at.is_null())
        .group_by((clients::name, l::vendor))
        .select((
            clients::name,
            l::vendor,
            diesel::dsl::count_star(),
            sum_of("client_licenses.seats"),
            sum_of("client_licenses.cost"),
        ))
        .into_boxed();
    let mut rows: Vec<(String, Option<String>, i64, i64, i64)> =
        crate::only_allowed!(q, viewer, l::client_id).load(conn)?;
    rows.sort_by(|a, b| b.4.cmp(&a.4).then_with(|| a.0.cmp(&b.0)));
    let mut by_vendor: Vec<(String, i64)> = vec![];
    for r in &rows {
        let vendor =
            r.1.clone()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| "(no vendor)".into());
        match by_vendor.iter_mut().find(|(v, _)| *v == vendor) {
            Some((_, c)) => *c += r.4,
            None => by_vendor.push((vendor, r.4)),
        }
    }
    Ok(Report {
        header: vec!["Client", "Vendor", "Licences", "Seats", "Cost"],
        rows: rows
            .into_iter()
            .map(|(client, vendor, n, seats, cost)| {
                vec![
                    client,
                    vendor.unwrap_or_default(),
                    n.to_string(),
                    seats.to_string(),
                    money::display(cost),
                ]
            })
            .collect(),
        charts: vec![Chart {
            caption: "Licence cost by vendor (top 12)".into(),
            points: super::top(by_vendor, 12, money::display),
        }],
    })
}
