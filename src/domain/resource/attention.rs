//! What needs attention soon: every live record with an expiry date (licenses,
//! certificates, domains, asset warranties — from the registry) and every client's
//! contract end, in one view, so the client dashboard and the home page each read
//! them in one statement however many kinds there are.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::domain::registry;
use crate::domain::schema::{clients, mspdesk_expiring as v};
use crate::domain::scope::{ClientScope, Viewer};
use crate::platform::db::AnyConnection;

/// The kind name of a client's contract end among the resources' slugs.
pub const CONTRACT: &str = "contract";

const VIEW: &str = "mspdesk_expiring";

/// One dated record: its kind (a resource slug or `contract`), where it is and when.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub kind: String,
    pub client_id: i64,
    pub id: i64,
    pub name: String,
    pub date: NaiveDate,
}

fn view_sql() -> String {
    let mut parts: Vec<String> = registry::all()
        .iter()
        .filter_map(|r| {
            let (date, name, only) = r.expiry?;
            let only = if only.is_empty() {
                String::new()
            } else {
                format!(" AND ({only})")
            };
            Some(format!(
                "SELECT '{slug}' AS t, tenant_id, client_id, id, {name} AS name, {date} AS expires_on, \
                 {renew} AS auto_renew \
                 FROM {table} WHERE deleted_at IS NULL AND {date} IS NOT NULL{only}",
                slug = r.slug,
                table = r.table,
                renew = r.auto_renew.unwrap_or("FALSE"),
            ))
        })
        .collect();
    parts.push(format!(
        "SELECT '{CONTRACT}' AS t, tenant_id, id AS client_id, id, name, contract_end_date AS expires_on, \
         FALSE AS auto_renew FROM clients WHERE deleted_at IS NULL AND contract_end_date IS NOT NULL"
    ));
    parts.join(" UNION ALL ")
}

/// Creates (or replaces) the view from the registry at start-up, beside the tab view.
pub fn install(conn: &mut AnyConnection) -> QueryResult<()> {
    crate::platform::db::replace_view(conn, VIEW, &view_sql())
}

/// The client's records dated up to `until` (the expired ones too), soonest first,
/// of the kinds the reader may see.
pub fn for_client(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    kinds: &[&'static str],
    until: NaiveDate,
) -> QueryResult<Vec<Due>> {
    crate::of_client!(v, cs)
        .filter(v::t.eq_any(kinds))
        .filter(v::expires_on.le(until))
        .order((v::expires_on.asc(), v::id.asc()))
        .limit(100)
        .select((v::t, v::client_id, v::id, v::name, v::expires_on))
        .load(conn)
}

/// The same across every client the viewer may open, with the client's name.
pub fn for_viewer(
    conn: &mut AnyConnection,
    viewer: Viewer,
    kinds: &[&'static str],
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(Due, String)>> {
    between(conn, viewer, kinds, None, until, limit)
}

/// Records dated from `from` (or any time) up to `until`, across every client the
/// viewer may open, soonest first, with the client's name.
pub fn between(
    conn: &mut AnyConnection,
    viewer: Viewer,
    kinds: &[&'static str],
    from: Option<NaiveDate>,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(Due, String)>> {
    let mut q = crate::of_tenant!(v, viewer.tenant)
        .inner_join(
            clients::table.on(clients::id
                .eq(v::client_id)
                .and(clients::tenant_id.eq(v::tenant_id))),
        )
        .filter(v::t.eq_any(kinds))
        .filter(v::expires_on.le(until))
        .into_boxed();
    if let Some(from) = from {
        q = q.filter(v::expires_on.ge(from));
    }
    q = crate::only_allowed!(q, viewer, v::client_id);
    q.order((v::expires_on.asc(), v::id.asc()))
        .limit(limit)
        .select((
            (v::t, v::client_id, v::id, v::name, v::expires_on),
            clients::name,
        ))
        .load(conn)
}
