//! The client page's tab bar, from the resource registry: every count in one statement
//! (a UNION ALL of one indexed count per table), so the number of tabs never adds
//! queries.

use diesel::prelude::*;

use crate::domain::registry::{self, Info};
use crate::domain::scope::ClientScope;
use crate::domain::tenancy::policy::Area;
use crate::platform::db::AnyConnection;

const OVERVIEW: Info = Info {
    slug: "",
    label: "Overview",
    singular: "overview",
    area: Area::Clients,
    switchable: false,
    table: "clients",
    secrets: &[],
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

fn view_sql() -> String {
    registry::all()
        .iter()
        .map(|r| {
            format!(
                "SELECT '{t}' AS t, tenant_id, client_id FROM {t} WHERE deleted_at IS NULL",
                t = r.table
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Creates (or replaces) the view from the registry; run at start-up, so a new
/// resource is counted without a migration of its own.
pub fn install(conn: &mut AnyConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    let view = view_sql();
    match conn {
        // Several nodes starting at once take turns.
        AnyConnection::Postgresql(pg) => pg.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7270001); \
             CREATE OR REPLACE VIEW {VIEW} AS {view}; COMMIT;"
        )),
        AnyConnection::Sqlite(lite) => lite.batch_execute(&format!(
            "BEGIN IMMEDIATE; DROP VIEW IF EXISTS {VIEW}; CREATE VIEW {VIEW} AS {view}; COMMIT;"
        )),
    }
}

/// The Overview tab, then one tab per registered resource with its live rows.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    use crate::domain::schema::mspdesk_tab_rows as v;
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
    Ok(tabs)
}
