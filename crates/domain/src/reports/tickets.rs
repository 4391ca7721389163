//! The service desk per client over the last N days: tickets opened, tickets closed
//! and hours worked (time recorded on replies).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{sum_of, Chart, Report};
use crate::schema::{clients, ticket_replies as r, tickets as t};
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

#[derive(Default)]
struct Line {
    opened: i64,
    closed: i64,
    minutes: i64,
}

pub fn run(
    conn: &mut AnyConnection,
    viewer: Viewer,
    since: NaiveDateTime,
    days: i64,
) -> QueryResult<Report> {
    let on_client = || {
        clients::table.on(clients::id
            .eq(t::client_id)
            .and(clients::tenant_id.eq(t::tenant_id)))
    };
    let opened = crate::of_tenant!(t, viewer.tenant)
        .inner_join(on_client())
        .filter(t::deleted_at.is_null())
        .filter(t::created_at.ge(since))
        .group_by(clients::name)
        .select((clients::name, diesel::dsl::count_star()))
        .into_boxed();
    let opened: Vec<(String, i64)> =
        crate::only_allowed!(opened, viewer, t::client_id).load(conn)?;
    let closed = crate::of_tenant!(t, viewer.tenant)
        .inner_join(on_client())
        .filter(t::deleted_at.is_null())
        .filter(t::closed_at.ge(since))
        .group_by(clients::name)
        .select((clients::name, diesel::dsl::count_star()))
        .into_boxed();
    let closed: Vec<(String, i64)> =
        crate::only_allowed!(closed, viewer, t::client_id).load(conn)?;
    let worked = crate::of_tenant!(r, viewer.tenant)
        .inner_join(
            clients::table.on(clients::id
                .eq(r::client_id)
                .and(clients::tenant_id.eq(r::tenant_id))),
        )
        .filter(r::created_at.ge(since))
        .group_by(clients::name)
        .select((clients::name, sum_of("ticket_replies.minutes")))
        .into_boxed();
    let worked: Vec<(String, i64)> =
        crate::only_allowed!(worked, viewer, r::client_id).load(conn)?;
    let mut by: BTreeMap<String, Line> = BTreeMap::new();
    for (c, n) in opened {
        by.entry(c).or_default().opened = n;
    }
    for (c, n) in closed {
        by.entry(c).or_default().closed = n;
    }
    for (c, m) in worked {
        by.entry(c).or_default().minutes = m;
    }
    let hours = |m: i64| format!("{}.{:02}", m / 60, (m % 60) * 100 / 60);
    let chart = super::top(by.iter().map(|(c, l)| (c.clone(), l.minutes)), 12, |m| {
        format!("{} h", hours(m))
    });
    Ok(Report {
        left_out: 0,
        header: vec!["Client", "Opened", "Closed", "Hours worked"],
        rows: by
            .into_iter()
            .map(|(c, l)| {
                vec![
                    c,
                    l.opened.to_string(),
                    l.closed.to_string(),
                    hours(l.minutes),
                ]
            })
            .collect(),
        charts: vec![Chart {
            caption: format!("Hours worked in the last {days} days (top 12 clients)"),
            points: chart,
        }],
    })
}
