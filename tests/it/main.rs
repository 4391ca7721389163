//! The integration suite: one binary, a module per area. Every test starts the real
//! server on a fresh database; `make test` runs it on SQLite and on PostgreSQL.

mod admin;
mod auth;
mod billing;
mod browser;
mod clients;
mod declarations;
mod demo;
mod exposure;
mod finance;
mod fixtures;
mod fuzz;
mod helpers;
mod isolation;
mod jobs;
mod load;
mod mail;
mod matrix;
mod money_rules;
mod networks;
mod notifications;
mod resources;
mod robustness;
mod scheduler;
mod secrets;
mod security;
mod service_desk;
mod sessions;
mod smtp;
mod special;
mod statements;
mod stories;
mod subresources;
mod throttling;
mod uploads;
mod vault;
