//! The client page's tab bar, from the resource registry: every count in one statement
//! (a UNION ALL of one indexed count per table), so the number of tabs never adds
//! queries.

use diesel::prelude::*;

use crate::policy::Area;
use crate::registry::{self, Info};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

const OVERVIEW: Info = Info {
    slug: "",
    label: "Overview",
    singular: "overview",
    area: Area::Clients,
    switchable: false,
    table: "clients",
    secrets: &[],
    count_where: "",
    expiry: None,
    auto_renew: None,
    search: &[],
};

/// The client's money (invoices, payments, quotes, recurring, unbilled work); its
/// count is the open invoices.
const BILLING: Info = Info {
    slug: "billing",
    label: "Billing",
    singular: "billing",
    area: Area::Billing,
    switchable: false,
    table: OPEN_INVOICES,
    secrets: &[],
    count_where: "",
    expiry: None,
    auto_renew: None,
    search: &[],
};

#[derive(Debug, Clone)]
pub struct Tab {
    pub def: Info,
    pub count: Option<i64>,
}

/// The view the tab counts read: one row per live record of every registered table,
/// as (table, tenant, client). Both databases push the scope filter into each branch
/// (index searches), and a query on the view is an ordinary typed statement, prepared
/// once per connection — raw SQL would be re-planned on every page.
const VIEW: &str = "mspdesk_tab_rows";

/// Counts beyond the tabs' that the client's dashboard reads from the same
/// statement, as (key, table, condition).
const EXTRA: &[(&str, &str, &str)] = &[
    (
        OVERDUE_TICKETS,
        "tickets",
        crate::service_desk::status::OVERDUE_SQL,
    ),
    (OPEN_INVOICES, "invoices", "status IN ('sent', 'partial')"),
];

/// The key of the client's open (sent, partly paid) invoices among the counts.
const OPEN_INVOICES: &str = "invoices:open";

/// The key of the client's overdue tickets among the counts.
pub const OVERDUE_TICKETS: &str = "tickets:overdue";

fn view_sql() -> String {
    let extra = EXTRA.iter().map(|(key, table, cond)| {
        format!("SELECT '{key}' AS t, tenant_id, client_id FROM {table} WHERE deleted_at IS NULL AND ({cond})")
    });
    registry::all()
        .iter()
        .map(|r| {
            let and = if r.count_where.is_empty() {
                String::new()
            } else {
                format!(" AND ({})", r.count_where)
            };
            format!(
                "SELECT '{t}' AS t, tenant_id, client_id FROM {t} WHERE deleted_at IS NULL{and}",
                t = r.table
            )
        })
        .chain(extra)
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Creates (or replaces) the view from the registry; run at start-up, so a new
/// resource is counted without a migration of its own.
pub fn install(conn: &mut AnyConnection) -> QueryResult<()> {
    mspdesk_platform::db::replace_view(conn, VIEW, &view_sql())
}

/// The Overview tab, then one tab per registered resource with its live rows.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    Ok(load_counts(conn, cs)?.0)
}

/// Live rows per table (and per extra key), as the view counts them.
pub type Counts = Vec<(String, i64)>;

/// The tabs and the extra counts (`OVERDUE_TICKETS`), from one statement.
pub(crate) fn load_counts(
    conn: &mut AnyConnection,
    cs: &ClientScope,
) -> QueryResult<(Vec<Tab>, Counts)> {
    use crate::schema::mspdesk_tab_rows as v;
    let counts: Vec<(String, i64)> = crate::of_client!(v, cs)
        .group_by(v::t)
        .select((v::t, diesel::dsl::count_star()))
        .load(conn)?;
    let mut tabs = vec![Tab {
        def: OVERVIEW,
        count: None,
    }];
    tabs.extend(registry::all().iter().map(|def| {
        Tab {
            def: *def,
            count: Some(
                counts
                    .iter()
                    .find(|(t, _)| t == def.table)
                    .map_or(0, |(_, n)| *n),
            ),
        }
    }));
    tabs.push(Tab {
        def: BILLING,
        count: counts
            .iter()
            .find(|(t, _)| t == OPEN_INVOICES)
            .map(|(_, n)| *n)
            .or(Some(0)),
    });
    Ok((tabs, counts))
}
