//! What runs without a user: the persistent job queue the workers drain (`jobs`).
//! Domain events, the scheduler and mail build on it.

pub mod jobs;
