//! The domain, one folder per bounded context. Each context holds its records' models
//! and validation, their tenant-scoped queries and the services that change them.

pub mod directory;
pub mod documentation;
pub mod forms;
pub mod money;
pub mod registry;
pub mod resource;
pub mod scheduling;
pub mod scope;
pub mod tenancy;
