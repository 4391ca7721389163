//! Data out of mspdesk: lists as CSV (with their filter), contacts as vCard 4.0
//! (RFC 6350), calendars as iCalendar (RFC 5545) behind secret, revocable feed tokens.
//! Each format is written here by hand where it is a few escaping rules (vCard,
//! iCalendar) and with the `csv` crate where quoting is the whole job.

pub mod csv_out;
pub mod feeds;
pub mod ical;
pub mod import;
pub mod lines;
pub mod records;
pub mod tenant_export;
pub mod vcard;
