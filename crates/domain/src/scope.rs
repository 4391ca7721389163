//! The tenant scope: the only door to tenant data.
//!
//! A `TenantId` is made only inside the domain, from the server's own records (the
//! session's user, the CLI that created the tenant); a `ClientScope` only by
//! `clients::scoped`, which has checked that the client belongs to the tenant (and to a
//! restricted user's chosen clients). Every repository function on tenant data takes
//! one of them, the tables are private to the domain, and `of_tenant!`/`of_client!`
//! write the filter, so a query without it cannot be written by accident.
//!
//! # Authority is made here, never assembled
//!
//! Outside the domain each of these is a compile error (the doc tests keep it one):
//! a `Who` with fields of one's choosing, an account that was not read from the
//! database, a tenant id from a number, a grant over every tenant, and the reads
//! across tenants that only the key rotation's walk may make.
//!
//! ```compile_fail
//! # use mspdesk_domain::scope::Who;
//! fn widen(who: &Who) -> Who { Who { user_id: 1, ..who.clone() } }
//! ```
//! ```compile_fail
//! # use mspdesk_domain::tenancy::users::User;
//! fn forge(u: &User) -> User { User { tenant_id: 2, ..u.clone() } }
//! ```
//! ```compile_fail
//! # use mspdesk_domain::scope::TenantId;
//! fn forge() -> TenantId { TenantId::trusted(2) }
//! ```
//! ```compile_fail
//! # use mspdesk_domain::scope::EveryTenant;
//! fn every() -> EveryTenant { EveryTenant(mspdesk_domain::mspdesk_platform::clock::Clock::System) }
//! ```
//! ```compile_fail
//! # use mspdesk_domain::mspdesk_platform::db::AnyConnection;
//! fn peek(conn: &mut AnyConnection) { let _ = mspdesk_domain::resource::history::all; }
//! ```
//!
//! What the layers above write instead: authority by where it comes from.
//!
//! ```
//! # use mspdesk_domain::scope::{TenantId, Viewer, Who};
//! # use mspdesk_domain::tenancy::users::User;
//! # use mspdesk_domain::mspdesk_platform::clock::Clock;
//! fn page(user: &User) -> Viewer {
//!     Who::signed_in(user, "192.0.2.1".into(), None, Clock::System).viewer()
//! }
//! fn command(user: &User) -> Who { Who::shell(user, "mspdesk api-key", Clock::System) }
//! fn scheduler(t: TenantId, turn: chrono::DateTime<chrono::Utc>) -> Who {
//!     Who::system(t, Clock::At(turn))
//! }
//! ```
//!
//! # The clock is passed in
//!
//! The domain never reads the clock: the clock comes with the authority. The door that
//! makes a `Who` (a request, a command, a job's turn) hands it one — the system's, or
//! one stopped at the job's instant — and the viewer, every client scope and the audit
//! entry made from it read that one (`now`), so a test that makes its `Who` with a
//! clock stopped at a date runs the domain at that date.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mspdesk_platform::clock::Clock;
use serde::Serialize;

use crate::policy::Role;

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

/// Authority over every tenant at once, for the two walks over every sealed value
/// (`registry::reseal`): the domain's reads and writes across tenants take it, and
/// only that module makes one, at the time its caller gives.
pub struct EveryTenant(pub(crate) Clock);

impl EveryTenant {
    /// The tests' grant (the `testing` feature, like the schema's).
    #[cfg(feature = "testing")]
    pub fn for_tests() -> EveryTenant {
        EveryTenant(Clock::System)
    }
    /// The scope a stored row names itself (tenant and client from the same row, which
    /// the composite foreign key ties together), for the walk this grant is for.
    pub(crate) fn scope_of(&self, tenant_id: i64, client_id: i64) -> ClientScope {
        ClientScope {
            tenant: TenantId(tenant_id),
            client_id,
            clock: self.0,
        }
    }
}

/// A client checked to belong to the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientScope {
    tenant: TenantId,
    client_id: i64,
    clock: Clock,
}

impl ClientScope {
    /// A client of `viewer`'s tenant that the caller checked it may open.
    pub(crate) fn checked(viewer: Viewer, client_id: i64) -> Self {
        ClientScope {
            tenant: viewer.tenant,
            client_id,
            clock: viewer.clock,
        }
    }
    /// When the act this scope is for happens (naive UTC, as the database stores it).
    pub fn now(&self) -> NaiveDateTime {
        self.clock.naive()
    }
    /// The act's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
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
    pub fn client(&self) -> ClientId {
        ClientId(self.client_id)
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

/// Who acts, and from where. The tenant and the user are set only here, from records
/// the domain read (an account, a session, a link), so an audit entry cannot be put in
/// another tenant's log nor under another user's name by whoever builds the value.
#[derive(Debug, Clone)]
pub struct Actor {
    pub(crate) tenant: Option<TenantId>,
    pub(crate) user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Their clock: the time their entries are written at.
    pub(crate) clock: Clock,
}

impl Actor {
    /// Whoever sends a request, by `clock`, before anyone is known.
    pub fn visitor(ip: Option<String>, user_agent: Option<String>, clock: Clock) -> Actor {
        Actor {
            tenant: None,
            user_id: None,
            ip,
            user_agent,
            clock,
        }
    }
    /// The same sender, in the log of the tenant a sign-in named (a refused login is
    /// shown to that tenant's admins).
    pub fn in_tenant(self, tenant: Option<TenantId>) -> Actor {
        Actor { tenant, ..self }
    }
    pub fn tenant(&self) -> Option<TenantId> {
        self.tenant
    }
    pub fn user_id(&self) -> Option<i64> {
        self.user_id
    }
    pub fn at(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Whose view of the tenant's clients a query takes: all of them, or — for a user an
/// admin restricted — only the clients chosen for that user. Made only with a `Who`
/// (`Who::viewer`): a tenant id alone never widens a restricted user's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub(crate) tenant: TenantId,
    /// The restricted user's id; `None` sees every client of the tenant.
    pub(crate) restricted_to: Option<i64>,
    /// Their clock: what the scopes made from this view read.
    pub(crate) clock: Clock,
}

impl Viewer {
    /// The whole tenant: for the domain's own work (a share link's record, a job).
    pub(crate) fn whole(tenant: TenantId, clock: Clock) -> Viewer {
        Viewer {
            tenant,
            restricted_to: None,
            clock,
        }
    }
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }
    /// The time by this view's clock (naive UTC, as the database stores it).
    pub fn now(&self) -> NaiveDateTime {
        self.clock.naive()
    }
    pub fn at(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    /// Whether this view leaves some of the tenant's clients out.
    pub fn is_restricted(&self) -> bool {
        self.restricted_to.is_some()
    }
}

/// The tests' shortcut to a whole tenant's view (the `testing` feature, like the
/// schema's): the application itself is checked without it (`make test` first builds
/// it alone), so no page, job or command can widen a view this way.
#[cfg(feature = "testing")]
impl From<TenantId> for Viewer {
    fn from(tenant: TenantId) -> Viewer {
        Viewer::whole(tenant, Clock::System)
    }
}

/// Who acts, as every service takes it: which clients they reach, their role (for the
/// policy table) and where they act from (for the audit log).
///
/// The fields are the domain's own; outside it a `Who` is made only by a constructor
/// that names where the authority comes from (a session, an API key, a shell command
/// run as an account, a platform operator, the scheduler), each from records the
/// domain itself read.
#[derive(Debug, Clone)]
pub struct Who {
    pub(crate) viewer: Viewer,
    pub(crate) user_id: i64,
    pub(crate) role: Role,
    pub(crate) actor: Actor,
}

impl Who {
    /// The scheduler acting for a tenant: every client, an admin's permissions, no user
    /// (the audit log shows it as the system).
    pub fn system(tenant: TenantId, clock: Clock) -> Who {
        Who::tenant_wide(tenant, None, "scheduler", clock)
    }

    pub(crate) fn tenant_wide(
        tenant: TenantId,
        ip: Option<String>,
        agent: &str,
        clock: Clock,
    ) -> Who {
        Who {
            viewer: Viewer::whole(tenant, clock),
            user_id: 0,
            role: Role::Admin,
            actor: Actor::visitor(ip, Some(agent.into()), clock).in_tenant(Some(tenant)),
        }
    }

    pub fn tenant(&self) -> TenantId {
        self.viewer.tenant
    }
    pub fn viewer(&self) -> Viewer {
        self.viewer
    }
    /// The acting user's id; 0 for the scheduler and the platform console.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    /// The time by their clock (naive UTC, as the database stores it).
    pub fn now(&self) -> NaiveDateTime {
        self.viewer.now()
    }
    pub fn at(&self) -> DateTime<Utc> {
        self.viewer.at()
    }
    /// Their date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.viewer.clock.today()
    }
    pub fn clock(&self) -> Clock {
        self.viewer.clock
    }
}
