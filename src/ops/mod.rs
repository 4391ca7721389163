//! What the command line runs besides the server: the demo tenant, bulk seeding for
//! benchmarks, and vault key rotation.

pub mod demo;
pub mod rotate;
pub mod seed;
