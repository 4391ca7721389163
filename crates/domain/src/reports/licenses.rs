//! Licences by client and vendor (live licences of live clients): how many, their seats
//! and, for the roles that see money, what they cost. A technician's report is ordered
//! and charted by seats, so neither its rows nor their order tell a cost.

use diesel::prelude::*;

use super::{sum_of, Chart, Report};
use crate::money;
use crate::schema::{client_licenses as l, clients};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

/// Every (client, vendor) group, costliest (or, without `money`, largest) first; only
/// the first `shown` are kept as rows (all when `None`), the others counted. The groups
/// are read one at a time: at 10,000 clients there are 20,000 of them, and holding them
/// all for a page that shows 200 was 5 MB per request.
pub fn run(
    conn: &mut AnyConnection,
    viewer: Viewer,
    shown: Option<usize>,
    money: bool,
) -> QueryResult<Report> {
    let measure = if money {
        "client_licenses.cost"
    } else {
        "client_licenses.seats"
    };
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
            sum_of(measure),
        ))
        .order((sum_of(measure).desc(), clients::name.asc(), l::vendor.asc()))
        .into_boxed();
    let groups =
        crate::only_allowed!(q, viewer, l::client_id)
            .load_iter::<(String, Option<String>, i64, i64, i64), _>(conn)?;
    let shown = shown.unwrap_or(usize::MAX);
    let mut rows = vec![];
    let mut left_out = 0;
    let mut by_vendor: Vec<(String, i64)> = vec![];
    for group in groups {
        let (client, vendor, n, seats, measured) = group?;
        let label = vendor
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "(no vendor)".into());
        match by_vendor.iter_mut().find(|(v, _)| *v == label) {
            Some((_, c)) => *c += measured,
            None => by_vendor.push((label, measured)),
        }
        if rows.len() < shown {
            let mut row = vec![
                client,
                vendor.unwrap_or_default(),
                n.to_string(),
                seats.to_string(),
            ];
            if money {
                row.push(money::display(measured));
            }
            rows.push(row);
        } else {
            left_out += 1;
        }
    }
    let (header, chart) = if money {
        (
            vec!["Client", "Vendor", "Licences", "Seats", "Cost"],
            Chart {
                caption: "Licence cost by vendor (top 12)".into(),
                points: super::top(by_vendor, 12, money::display),
            },
        )
    } else {
        (
            vec!["Client", "Vendor", "Licences", "Seats"],
            Chart {
                caption: "Licence seats by vendor (top 12)".into(),
                points: super::top(by_vendor, 12, |v| format!("{v} seats")),
            },
        )
    };
    Ok(Report {
        header,
        rows,
        charts: vec![chart],
        left_out,
    })
}
