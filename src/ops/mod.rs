//! What runs besides the web pages: the demo tenant, vault key rotation, the job
//! workers, what each job does (`handlers`) and what the mail says (`messages`) (bulk seeding for benchmarks is `domain::directory::seed`).

pub mod acting;
pub mod backup;
pub mod demo;
pub mod handlers;
pub mod import;
pub mod messages;
pub mod rotate;
pub mod vault_key;
pub mod workers;
