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

/// The counting statement for one client. The ids are integers from a checked scope,
/// written into the text (no placeholders: their syntax differs between the backends).
fn count_sql(cs: &ClientScope) -> String {
    registry::all()
        .iter()
        .map(|r| {
            format!(
                "SELECT '{t}' AS t, COUNT(*) AS n FROM {t} WHERE tenant_id = {} AND client_id = {} AND deleted_at IS NULL",
                cs.tenant_id(),
                cs.client_id(),
                t = r.table
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// The Overview tab, then one tab per registered resource with its live rows.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    let counts: Vec<Count> = diesel::sql_query(count_sql(cs)).load(conn)?;
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
