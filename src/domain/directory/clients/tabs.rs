//! The client page's tab bar, from the resource registry: every count in one statement
//! (a UNION ALL of one indexed count per table), so the number of tabs never adds
//! queries.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

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

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Text)]
    t: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One count per registered table for `tenant` and `client` (SQL expressions: the ids
/// of a checked scope, or a function's parameters).
fn count_sql(tenant: &str, client: &str) -> String {
    registry::all()
        .iter()
        .map(|r| {
            format!(
                "SELECT '{t}' AS t, COUNT(*) AS n FROM {t} WHERE tenant_id = {tenant} AND client_id = {client} AND deleted_at IS NULL",
                t = r.table
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// The function PostgreSQL counts through: built from the registry at start-up, so its
/// plan is prepared once per connection instead of for every page (raw SQL is never a
/// cached statement in diesel). SQLite plans the same text fast enough inline.
const PG_FUNCTION: &str = "mspdesk_tab_counts";

/// Creates (or replaces) the counting function on PostgreSQL; nothing on SQLite.
pub fn install(conn: &mut AnyConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    if let AnyConnection::Postgresql(pg) = conn {
        // Several nodes starting at once take turns (concurrent replaces of one function
        // would fail with "tuple concurrently updated").
        pg.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7270001); CREATE OR REPLACE FUNCTION {PG_FUNCTION}(p_tenant BIGINT, p_client BIGINT) \
             RETURNS TABLE (t TEXT, n BIGINT) LANGUAGE plpgsql STABLE AS $$ \
             BEGIN RETURN QUERY {}; END $$; COMMIT;",
            count_sql("p_tenant", "p_client")
        ))?;
    }
    Ok(())
}

/// The Overview tab, then one tab per registered resource with its live rows.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    let (tenant, client) = (cs.tenant_id().to_string(), cs.client_id().to_string());
    // The ids are integers from a checked scope, written into the text (placeholder
    // syntax differs between the backends).
    let sql = match conn {
        AnyConnection::Postgresql(_) => {
            format!("SELECT t, n FROM {PG_FUNCTION}({tenant}, {client})")
        }
        AnyConnection::Sqlite(_) => count_sql(&tenant, &client),
    };
    let counts: Vec<Count> = diesel::sql_query(sql).load(conn)?;
    let mut tabs = vec![Tab {
        def: OVERVIEW,
        count: None,
    }];
    tabs.extend(registry::all().iter().map(|def| Tab {
        def: *def,
        count: counts.iter().find(|c| c.t == def.table).map(|c| c.n),
    }));
    Ok(tabs)
}
