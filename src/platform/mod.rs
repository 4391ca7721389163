//! What every layer stands on: configuration, the database (both backends, pool,
//! migrations, schema), the vault and its keys, and telemetry.

pub mod config;
pub mod db;
pub mod keys;
pub mod telemetry;
pub mod vault;
