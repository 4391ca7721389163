//! What every layer stands on: configuration, the database (both backends, pool,
//! migrations), the vault and its keys, SMTP mail transport, stored files, telemetry,
//! and the typed errors with their one mapping to HTTP. It knows no tenant, record or
//! page: nothing here imports the layers above, and the compiler holds that.

pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod keys;
pub mod mail;
pub mod memory;
pub mod storage;
pub mod telemetry;
pub mod vault;
