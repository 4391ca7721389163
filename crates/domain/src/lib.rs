//! The domain, one folder per bounded context. Each context holds its records' models
//! and validation, their tenant-scoped queries and the services that change them. A
//! crate of its own: it stands on the platform and cannot import the web, the jobs or
//! the command line above it.

/// The platform, public because the domain's macros expand in other crates; errors
/// and the backend switch under the paths the domain has always used.
pub use mspdesk_platform;
pub use mspdesk_platform::{error, with_backend};

pub mod assets;
pub mod audit;
pub mod automation;
pub mod clients;
pub mod directory;
pub mod documentation;
pub mod finance;
pub mod outbox;
pub use mspdesk_kernel::{currency, form_record, forms, list, money, policy, totp};
pub mod platform;
pub mod portability;
pub mod registry;
pub mod reports;
pub mod resource;
pub mod scheduling;
/// The tables, visible to the data layer (this module's descendants) only: a handler
/// cannot write a query that skips the tenant scope. Tests read rows through the
/// `testing` feature.
#[cfg(not(feature = "testing"))]
mod schema;
#[cfg(feature = "testing")]
pub mod schema;
pub mod scope;
pub mod search;
pub mod service_desk;
pub mod sharing;
pub mod signed_in;
pub mod states;
pub mod tenancy;

/// The views derived from the registry (tab counts, the attention list), made at
/// start-up so a new resource needs no migration of its own for them.
pub fn install_views(conn: &mut mspdesk_platform::db::AnyConnection) -> diesel::QueryResult<()> {
    registry::tabs::install(conn)?;
    registry::attention::install(conn)?;
    search::index::install(conn)
}
