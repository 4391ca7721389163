//! The integration suite: one binary, a module per area. Every test starts the real
//! server on a fresh database; `make test` runs it on SQLite and on PostgreSQL.

mod admin;
mod auth;
mod clients;
mod demo;
mod fixtures;
mod helpers;
mod isolation;
mod matrix;
mod resources;
mod secrets;
mod security;
mod special;
mod statements;
mod stories;
mod subresources;
mod uploads;
mod vault;
