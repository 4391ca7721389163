//! The tenant-wide asset list: every asset of the clients the viewer may open, with
//! the client list's search, a status filter, the warranty filter of the
//! client tab, sort and paging. Two statements whatever the filters.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::devices::STATUSES;
use crate::domain::resource::{expiry, ListQuery};
use crate::domain::schema::{assets, clients};
use crate::domain::scope::Viewer;
use crate::platform::db::{lower, AnyConnection, MultiBackend};

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
        crate::domain::forms::choice_value(STATUSES, value)
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

/// The page's rows with their client's name (a left join on a unique key).
fn joined(viewer: Viewer, f: &Filter, today: NaiveDate) -> Joined {
    let q = assets::table
        .left_join(
            clients::table.on(clients::id
                .eq(assets::client_id)
                .and(clients::tenant_id.eq(assets::tenant_id))),
        )
        .into_boxed();
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

pub fn list(
    conn: &mut AnyConnection,
    viewer: Viewer,
    f: &Filter,
    today: NaiveDate,
) -> QueryResult<Vec<Row>> {
    let q = joined(viewer, f, today);
    let q = match f.list.sort.as_str() {
        "client" => crate::sorted_by!(q, f.list.desc, clients::name),
        "type" => crate::sorted_by!(q, f.list.desc, assets::kind),
        "status" => crate::sorted_by!(q, f.list.desc, assets::status),
        "ip_address" => crate::sorted_by!(q, f.list.desc, assets::ip_address),
        "warranty_expiry" => crate::sorted_by!(q, f.list.desc, assets::warranty_expiry),
        _ => crate::sorted_by!(q, f.list.desc, assets::name),
    };
    // Ties by id in the same direction: one index read forwards or backwards serves
    // the whole order.
    let q = if f.list.desc {
        q.then_order_by(assets::id.desc())
    } else {
        q.then_order_by(assets::id.asc())
    };
    q.limit(f.list.per)
        .offset(f.list.offset())
        .select((
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
