//! mspdesk: a multi-tenant documentation and service desk for managed IT service
//! providers. The binary (`main.rs`) only parses the command line and calls `cli`.
//!
//! Layers (see ARCHITECTURE.md), dependencies pointing down only:
//! `web` (HTML handlers) → `domain` (bounded contexts: models, validation, scoped
//! repositories, services) → `platform` (database, vault, keys, configuration). `ops`
//! holds what the command line runs besides the server (demo data, seeding, key
//! rotation).

pub mod cli;
pub mod domain;
pub mod ops;
pub mod startup;
pub mod web;

/// The bottom layer is its own crate (crates/platform): it cannot import the layers
/// above. Named here under the paths the rest of the code has always used.
pub use mspdesk_platform as platform;
pub use mspdesk_platform::error;
pub use mspdesk_platform::with_backend;
