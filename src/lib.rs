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
pub mod error;
pub mod ops;
pub mod platform;
pub mod startup;
pub mod web;
