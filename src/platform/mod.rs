//! What every layer stands on: configuration, the database (both backends, pool,
//! migrations, schema), the vault and its keys, SMTP mail, and telemetry.

pub mod config;
pub mod db;
pub mod keys;
pub mod mail;
pub mod memory;
pub mod storage;
pub mod telemetry;
pub mod vault;
