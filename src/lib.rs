//! mspdesk: a multi-tenant documentation and service desk for managed IT service
//! providers. The binary (`main.rs`) only parses the command line and calls `cli`.

pub mod addresses;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod certificates;
pub mod cli;
pub mod clients;
pub mod config;
pub mod contacts;
pub mod credentials;
pub mod db;
pub mod demo;
pub mod documents;
pub mod domains;
pub mod error;
pub mod files;
pub mod forms;
pub mod keys;
pub mod licenses;
pub mod locations;
pub mod money;
pub mod racks;
pub mod recurring;
pub mod resource;
pub mod schedule;
pub mod scope;
pub mod seed;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod tenants;
pub mod trips;
pub mod users;
pub mod vault;
pub mod web;
