//! Who and where: clients and, per client, contacts, addresses and locations (sites).

pub mod addresses;
pub mod clients;
pub mod contacts;
pub mod locations;
pub mod seed;
