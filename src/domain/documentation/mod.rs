//! What an MSP documents per client: licenses, credentials (with TOTP), racks, TLS
//! certificates, domains, services, documents and files.

pub mod certificates;
pub mod credentials;
pub mod documents;
pub mod domains;
pub mod files;
pub mod licenses;
pub mod racks;
pub mod services;
pub mod totp;
