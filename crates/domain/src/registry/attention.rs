//! What needs attention soon: every live record with an expiry date (licenses,
//! certificates, domains, asset warranties — from the registry) and every client's
//! contract end, in one view, so the client dashboard and the home page each read
//! them in one statement however many kinds there are.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::registry;
use crate::schema::mspdesk_expiring as v;
use crate::scope::{ClientScope, Viewer};
use mspdesk_platform::db::sql::Sql;
use mspdesk_platform::db::AnyConnection;

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
    mspdesk_platform::db::replace_view(conn, VIEW, &view_sql())
}

/// The client's records dated up to `until` (the expired ones too), soonest first,
/// of the kinds the reader may see.
pub(crate) fn for_client(
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
///
/// One statement, but not over the view: each kind's soonest `limit` rows come from its
/// own (tenant, date) index, already in order, and only those are merged and joined to
/// their clients. Over the view every dated row up to `until` was read and sorted —
/// 15,000 of them at 10,000 clients, 16 ms of the home page's 20.
pub fn between(
    conn: &mut AnyConnection,
    viewer: Viewer,
    kinds: &[&'static str],
    from: Option<NaiveDate>,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(Due, String)>> {
    let Some(sql) = soonest_sql(viewer, kinds, from, until, limit) else {
        return Ok(vec![]);
    };
    let rows: Vec<Soonest> = sql.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let due = Due {
                kind: r.t,
                client_id: r.client_id,
                id: r.id,
                name: r.name,
                date: r.expires_on,
            };
            (due, r.client_name)
        })
        .collect())
}

#[derive(QueryableByName)]
struct Soonest {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    client_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    expires_on: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Text)]
    client_name: String,
}

/// The statement of `between`. Its text depends only on which kinds and whether the
/// viewer is restricted or a start is given — every value is bound — so the database
/// keeps it prepared (written inline, each user and day was a new statement to parse:
/// a fifth of the home page's time).
fn soonest_sql(
    viewer: Viewer,
    kinds: &[&'static str],
    from: Option<NaiveDate>,
    until: NaiveDate,
    limit: i64,
) -> Option<Sql> {
    let tenant = viewer.tenant.get();
    // One branch's conditions after `WHERE tenant_id = ? AND deleted_at IS NULL`.
    let branch = |date: &str, only: &str, client_id: &str| {
        let mut sql = Sql::new(format!(" AND {date} IS NOT NULL AND {date} <= ")).date(until);
        if let Some(f) = from {
            sql = sql.sql(format!(" AND {date} >= ")).date(f);
        }
        if !only.is_empty() {
            sql = sql.sql(format!(" AND ({only})"));
        }
        if let Some(user) = viewer.restricted_to {
            sql = sql
                .sql(format!(
                    " AND {client_id} IN (SELECT client_id FROM user_clients WHERE user_id = "
                ))
                .int(user)
                .sql(")");
        }
        sql.sql(format!(" ORDER BY {date}, id LIMIT ")).int(limit)
    };
    let mut branches: Vec<Sql> = registry::all()
        .iter()
        .filter(|r| kinds.contains(&r.slug))
        .filter_map(|r| {
            let (date, name, only) = r.expiry?;
            Some(
                Sql::new(format!(
                    "SELECT * FROM (SELECT '{slug}' AS t, client_id, id, {name} AS name, {date} AS expires_on \
                     FROM {table} WHERE tenant_id = ",
                    slug = r.slug,
                    table = r.table,
                ))
                .int(tenant)
                .sql(" AND deleted_at IS NULL")
                .then(branch(date, only, "client_id"))
                .sql(format!(") AS {}", r.table)),
            )
        })
        .collect();
    if kinds.contains(&CONTRACT) {
        branches.push(
            Sql::new(format!(
                "SELECT * FROM (SELECT '{CONTRACT}' AS t, id AS client_id, id, name, contract_end_date AS expires_on \
                 FROM clients WHERE tenant_id = "
            ))
            .int(tenant)
            .sql(" AND deleted_at IS NULL")
            .then(branch("contract_end_date", "", "id"))
            .sql(") AS contracts"),
        );
    }
    let mut union = branches.into_iter();
    let first = union.next()?;
    let all = union.fold(first, |all, b| all.sql(" UNION ALL ").then(b));
    Some(
        Sql::new(
            "SELECT u.t, u.client_id, u.id, u.name, u.expires_on, c.name AS client_name FROM (",
        )
        .then(all)
        .sql(") AS u INNER JOIN clients c ON c.id = u.client_id AND c.tenant_id = ")
        .int(tenant)
        .sql(" ORDER BY u.expires_on, u.id LIMIT ")
        .int(limit),
    )
}
