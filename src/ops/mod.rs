//! What the command line runs besides the server: the demo tenant, imports from a file,
//! and the admin a command acts as. The background work (workers, handlers, mail,
//! backups, key rotation) is the jobs crate, named here under the paths it always had.

pub use mspdesk_jobs::{backup, handlers, messages, rotate, vault_key, workers};

pub mod acting;
pub mod demo;
pub mod import;
