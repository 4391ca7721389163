//! The tenant-wide asset list: every asset of the clients the viewer may open, with
//! the client list's search, a status filter, the warranty filter of the
//! client tab, sort and paging. Two statements whatever the filters.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::devices::STATUSES;
use crate::resource::{expiry, ListQuery};
use crate::schema::{assets, clients};
use crate::scope::Viewer;
use mspdesk_platform::db::{lower, AnyConnection, MultiBackend};

pub const SORTABLE: &[&str] = &[
    "name",
    "client",
    "type",
    "status",
    "ip_address",
    "warranty_expiry",
];

#[derive(Debug, Clone)]
pub struct Filter {
    pub status: Option<&'static str>,
    pub list: ListQuery,
}

impl Filter {
    pub fn status_of(value: &str) -> Option<&'static str> {
        crate::forms::choice_value(STATUSES, value)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct Row {
    pub id: i64,
    pub client_id: i64,
    pub client_name: Option<String>,
    pub name: String,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub ip_address: Option<String>,
    pub warranty_expiry: Option<NaiveDate>,
}

impl Row {
    pub fn href(&self) -> String {
        format!("/clients/{}/assets/{}", self.client_id, self.id)
    }
    /// The warranty as a badge, unless the asset is retired or disposed.
    pub fn warranty(&self) -> Option<NaiveDate> {
        self.warranty_expiry
            .filter(|_| super::devices::warranty_watched(self.status.as_deref()))
    }
}

type Joined = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::LeftJoinOn<
        assets::table,
        clients::table,
        diesel::dsl::And<
            diesel::dsl::Eq<clients::id, assets::client_id>,
            diesel::dsl::Eq<clients::tenant_id, assets::tenant_id>,
        >,
    >,
    MultiBackend,
>;

/// The list's conditions on the assets table alone (the client's name is searched
/// through a subquery), so that the count joins nothing.
macro_rules! narrowed {
    ($q:expr, $viewer:expr, $f:expr, $today:expr) => {{
        let (viewer, f, today) = ($viewer, $f, $today);
        let mut q = $q.filter(assets::tenant_id.eq(viewer.tenant.get()));
        if !f.list.archived {
            q = q.filter(assets::deleted_at.is_null());
        }
        q = crate::only_allowed!(q, viewer, assets::client_id);
        if let Some(s) = f.status {
            q = q.filter(assets::status.eq(s));
        }
        if let Some((from, to)) = expiry::bounds(&f.list.filter, today) {
            if let Some(to) = to {
                q = q.filter(assets::warranty_expiry.le(to));
            }
            match (from, f.list.filter.as_str()) {
                (Some(from), "ok") => {
                    q = q.filter(
                        assets::warranty_expiry
                            .ge(from)
                            .or(assets::warranty_expiry.is_null()),
                    )
                }
                (Some(from), _) => q = q.filter(assets::warranty_expiry.ge(from)),
                (None, _) => {}
            }
        }
        if let Some(p) = f.list.pattern() {
            q = q.filter(
                lower(assets::name.nullable())
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(assets::serial).like(p.clone()).escape('\\'))
                    .or(lower(assets::ip_address).like(p.clone()).escape('\\'))
                    .or(lower(assets::model).like(p.clone()).escape('\\'))
                    .or(assets::client_id.eq_any(crate::clients_named!(viewer.tenant, p))),
            );
        }
        q
    }};
}

/// The assets with their client's name (a left join on a unique key).
fn with_names() -> Joined {
    assets::table
        .left_join(
            clients::table.on(clients::id
                .eq(assets::client_id)
                .and(clients::tenant_id.eq(assets::tenant_id))),
        )
        .into_boxed()
}

/// The list's rows, narrowed by its filters.
fn joined(viewer: Viewer, f: &Filter, today: NaiveDate) -> Joined {
    let q = with_names();
    narrowed!(q, viewer, f, today)
}

pub fn count(
    conn: &mut AnyConnection,
    viewer: Viewer,
    f: &Filter,
    today: NaiveDate,
) -> QueryResult<i64> {
    let q = assets::table.into_boxed::<MultiBackend>();
    narrowed!(q, viewer, f, today).count().get_result(conn)
}

/// The list's order on a query of assets: the sorted column, ties by id in the same
/// direction (one index read forwards or backwards serves the whole order).
macro_rules! ordered {
    ($q:expr, $f:expr, $client:expr) => {{
        let f = $f;
        let q = match f.list.sort.as_str() {
            "client" => crate::sorted_by!($q, f.list.desc, $client),
            "type" => crate::sorted_by!($q, f.list.desc, assets::kind),
            "status" => crate::sorted_by!($q, f.list.desc, assets::status),
            "ip_address" => crate::sorted_by!($q, f.list.desc, assets::ip_address),
            "warranty_expiry" => crate::sorted_by!($q, f.list.desc, assets::warranty_expiry),
            _ => crate::sorted_by!($q, f.list.desc, assets::name),
        };
        if f.list.desc {
            q.then_order_by(assets::id.desc())
        } else {
            q.then_order_by(assets::id.asc())
        }
    }};
}

/// One page. Past the first, and except in client-name order, the page's ids are
/// picked first from the assets alone — an index walk to the offset that reads no
/// row — and then only those rows are read and joined to their client: a deep page
/// costs little more than the first. (Diesel cannot nest one boxed query of the two-backend connection in another,
/// hence two statements rather than a subquery.)
pub fn list(
    conn: &mut AnyConnection,
    viewer: Viewer,
    f: &Filter,
    today: NaiveDate,
) -> QueryResult<Vec<Row>> {
    let q = joined(viewer, f, today);
    // The first page reads its few rows as it walks: one statement.
    let q = if f.list.sort == "client" || f.list.offset() == 0 {
        ordered!(q, f, clients::name)
            .limit(f.list.per)
            .offset(f.list.offset())
    } else {
        let page = narrowed!(assets::table.into_boxed::<MultiBackend>(), viewer, f, today);
        let ids: Vec<i64> = ordered!(page, f, assets::name)
            .limit(f.list.per)
            .offset(f.list.offset())
            .select(assets::id)
            .load(conn)?;
        let q = with_names()
            .filter(assets::tenant_id.eq(viewer.tenant.get()))
            .filter(assets::id.eq_any(ids));
        ordered!(q, f, assets::name)
    };
    q.select((
        assets::id,
        assets::client_id,
        clients::name.nullable(),
        assets::name,
        assets::kind,
        assets::status,
        assets::ip_address,
        assets::warranty_expiry,
    ))
    .load(conn)
}
