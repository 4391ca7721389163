//! The tenant scope: the only door to tenant data.
//!
//! A `TenantId` is made only inside the domain, from the server's own records (the
//! session's user, the CLI that created the tenant); a `ClientScope` only by
//! `clients::scoped`, which has checked that the client belongs to the tenant (and to a
//! restricted user's chosen clients). Every repository function on tenant data takes
//! one of them, the tables are private to the domain, and `of_tenant!`/`of_client!`
//! write the filter, so a query without it cannot be written by accident.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TenantId(i64);

impl TenantId {
    /// Only for ids that came from the server's own records (session, CLI).
    pub(crate) fn trusted(id: i64) -> Self {
        TenantId(id)
    }
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A client's id as a request names it (not yet checked against the tenant: that is
/// `clients::scoped`). A type of its own, so that a client id and a record id can not
/// trade places in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientId(pub i64);

impl std::fmt::Display for ClientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A record's id within a client (a contact, a credential…), as a request names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordId(pub i64);

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A client checked to belong to the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientScope {
    tenant: TenantId,
    client_id: i64,
}

impl ClientScope {
    pub(crate) fn checked(tenant: TenantId, client_id: i64) -> Self {
        ClientScope { tenant, client_id }
    }
    /// The scope a stored row names itself (tenant and client from the same row, which
    /// the composite foreign key ties together): for maintenance across tenants.
    pub(crate) fn from_row(tenant_id: i64, client_id: i64) -> Self {
        ClientScope {
            tenant: TenantId(tenant_id),
            client_id,
        }
    }
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }
    pub fn tenant_id(&self) -> i64 {
        self.tenant.0
    }
    pub fn client_id(&self) -> i64 {
        self.client_id
    }
}

/// The rows of tenant table `$t` that belong to one client (a `ClientScope`): the
/// tenant filter, written once for every client sub-resource table.
#[macro_export]
macro_rules! of_client {
    ($t:ident, $cs:expr) => {
        $t::table
            .filter($t::tenant_id.eq($cs.tenant_id()))
            .filter($t::client_id.eq($cs.client_id()))
    };
}

/// The rows of tenant table `$t` that belong to a tenant (a `TenantId`): the tenant
/// filter, written once for every tenant-wide table.
#[macro_export]
macro_rules! of_tenant {
    ($t:ident, $tenant:expr) => {
        $t::table.filter($t::tenant_id.eq($tenant.get()))
    };
}

/// Narrows a boxed query to the clients a `Viewer` may open: for a restricted user,
/// rows whose `$client` column names one of their chosen clients (a subquery; boxed
/// subqueries do not render on the multi-backend connection).
#[macro_export]
macro_rules! only_allowed {
    ($query:expr, $viewer:expr, $client:expr) => {{
        use $crate::schema::user_clients;
        match $viewer.restricted_to {
            Some(user) => $query.filter(
                $client.eq_any(
                    user_clients::table
                        .filter(user_clients::user_id.eq(user))
                        .select(user_clients::client_id),
                ),
            ),
            None => $query,
        }
    }};
}

/// The ids of the tenant's clients whose name matches the LIKE pattern `$p`, as a
/// subquery on an alias of `clients` (so that it may stand beside a join of the
/// table itself): searching a tenant-wide list by client name without joining it.
#[macro_export]
macro_rules! clients_named {
    ($tenant:expr, $p:expr) => {{
        use $crate::schema::clients;
        let named = diesel::alias!(clients as named);
        named
            .filter(named.field(clients::tenant_id).eq($tenant.get()))
            .filter(
                $crate::mspdesk_platform::db::lower(named.field(clients::name).nullable())
                    .like($p)
                    .escape('\\'),
            )
            .select(named.field(clients::id))
    }};
}

/// Orders a boxed query by `$col`, ascending or (`$desc`) descending.
#[macro_export]
macro_rules! sorted_by {
    ($query:expr, $desc:expr, $col:expr) => {
        if $desc {
            $query.order($col.desc())
        } else {
            $query.order($col.asc())
        }
    };
}

/// Whose view of the tenant's clients a query takes: all of them, or — for a user an
/// admin restricted — only the clients chosen for that user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub tenant: TenantId,
    /// The restricted user's id; `None` sees every client of the tenant.
    pub restricted_to: Option<i64>,
}

impl From<TenantId> for Viewer {
    /// The whole tenant (the CLI, the demo loader).
    fn from(tenant: TenantId) -> Viewer {
        Viewer {
            tenant,
            restricted_to: None,
        }
    }
}

/// Who acts, as every service takes it: which clients they reach, their role (for the
/// policy table) and where they act from (for the audit log).
#[derive(Debug, Clone)]
pub struct Who {
    pub viewer: Viewer,
    pub user_id: i64,
    pub role: crate::tenancy::users::Role,
    pub actor: crate::tenancy::audit::Actor,
}

impl Who {
    pub fn tenant(&self) -> TenantId {
        self.viewer.tenant
    }
    /// For `Resource::may_write`.
    pub fn writer(&self) -> crate::resource::Writer {
        crate::resource::Writer {
            user_id: self.user_id,
            role: self.role,
        }
    }
}

impl Who {
    /// The scheduler acting for a tenant: every client, an admin's permissions, no user
    /// (the audit log shows it as the system).
    pub fn system(tenant: TenantId) -> Who {
        Who {
            viewer: Viewer::from(tenant),
            user_id: 0,
            role: crate::tenancy::users::Role::Admin,
            actor: crate::tenancy::audit::Actor {
                tenant: Some(tenant),
                user_id: None,
                ip: None,
                user_agent: Some("scheduler".into()),
            },
        }
    }
}
