//! mspdesk: a multi-tenant documentation and service desk for managed IT service
//! providers. The binary (`main.rs`) only parses the command line and calls `cli`.

pub mod addresses;
pub mod auth;
pub mod cli;
pub mod clients;
pub mod config;
pub mod contacts;
pub mod db;
pub mod demo;
pub mod error;
pub mod forms;
pub mod keys;
pub mod money;
pub mod resource;
pub mod scope;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod tenants;
pub mod users;
pub mod vault;
pub mod web;
