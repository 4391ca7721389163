//! mspdesk: a multi-tenant documentation and service desk for managed IT service
//! providers. The binary (`main.rs`) only parses the command line and calls `cli`.
//!
//! Layers (see ARCHITECTURE.md), dependencies pointing down only:
//! `web` (HTML handlers) → `domain` (bounded contexts: models, validation, scoped
//! repositories, services) → `platform` (database, vault, keys, configuration). `ops`
//! holds what the command line runs besides the server (demo data, seeding, key
//! rotation).

pub mod cli;
pub mod ops;
pub mod startup;
pub mod web;

/// The layers below are crates of their own (crates/platform, crates/domain): neither
/// can import what is above it. Named here under the paths the rest of the code has
/// always used.
pub use mspdesk_domain as domain;
pub use mspdesk_domain::{
    clients_named, form_record, of_client, of_tenant, only_allowed, related, scoped_crud, sorted_by,
};
pub use mspdesk_platform as platform;
pub use mspdesk_platform::error;
pub use mspdesk_platform::with_backend;
