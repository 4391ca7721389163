//! mspdesk: a multi-tenant documentation and service desk for managed IT service
//! providers. The binary (`main.rs`) only parses the command line and calls `cli`.
//!
//! Layers (see ARCHITECTURE.md), each a crate, dependencies pointing down only:
//! `web` (pages, API) → `jobs` (workers, handlers, mail, backups) → `domain` (bounded
//! contexts: models, validation, scoped queries, services) → `platform` (database,
//! vault, keys, configuration). This library is the binary's: the command line, the
//! server's assembly, and `ops` (what the command line runs besides the server).

#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod cli;
pub mod ops;
pub mod startup;

/// The layers are crates of their own (crates/platform, domain, jobs, web): none can
/// import what is above it. Named here under the paths the rest of the code has
/// always used.
pub use mspdesk_domain as domain;
pub use mspdesk_domain::{
    clients_named, form_record, of_client, of_tenant, only_allowed, related, scoped_crud, sorted_by,
};
pub use mspdesk_platform as platform;
pub use mspdesk_platform::error;
pub use mspdesk_platform::with_backend;
pub use mspdesk_web as web;
