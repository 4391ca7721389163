//! What runs without a user: domain events through an outbox (`events`) and the
//! persistent job queue the workers drain (`jobs`). The scheduler and mail build on
//! them.

pub mod events;
pub mod jobs;
