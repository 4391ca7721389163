//! What the command line runs besides the server: the demo tenant, vault key rotation
//! and the job workers (bulk seeding for benchmarks is `domain::directory::seed`).

pub mod demo;
pub mod rotate;
pub mod workers;
