//! Running the tenants: platform operators (accounts outside every tenant, made on the
//! shell), the console's view of the tenants, creating, suspending and reactivating
//! them, and the platform's own audit log.

pub mod console;
pub mod operators;
pub mod stored;
