//! What the command line runs besides the server: the demo tenant, and vault key rotation (bulk seeding
//! for benchmarks is `domain::directory::seed`).

pub mod demo;
pub mod rotate;
