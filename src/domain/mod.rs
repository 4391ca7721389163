//! The domain, one folder per bounded context. Each context holds its records' models
//! and validation, their tenant-scoped queries and the services that change them.

pub mod assets;
pub mod directory;
pub mod documentation;
pub mod forms;
pub mod money;
pub mod registry;
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
pub mod tenancy;
