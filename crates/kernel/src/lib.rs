//! The domain's shared kernel: what every context uses and none owns. It imports no
//! context — being a crate below the domain, it cannot — so the form machinery, money
//! and the policy table stay free of any one context's types.
//!
//! Identity and scope (`TenantId`, `ClientScope`, `Who`) are not here: they are minted
//! by the domain's own reads, and Rust's visibility cannot let one crate make a value
//! that a crate between it and the pages may not.

pub mod currency;
pub mod forms;
pub mod list;
pub mod money;
pub mod policy;
pub mod totp;

pub use mspdesk_platform::error;
