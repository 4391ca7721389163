//! The tenant itself: its settings, users and roles (the policy table), passwords,
//! sessions, login throttling and the audit log.

pub mod accounts;
pub mod api_keys;
pub mod lifecycle;
pub mod login;
pub(crate) mod numbering;
pub mod one_time;
pub mod password;
pub mod sessions;
pub mod tenants;
pub mod throttle;
pub mod two_factor;
pub mod users;
mod who;
