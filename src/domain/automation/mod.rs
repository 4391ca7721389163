//! What runs without a user: domain events through an outbox (`events`), the
//! persistent job queue the workers drain (`jobs`, `handlers`), and the scheduler
//! (`scheduler`, with the tenant's `settings`) that opens recurring tickets, invoices
//! recurring invoices and notices expiries and overdue invoices (`notices`).

pub mod events;
pub mod handlers;
pub mod jobs;
pub mod notices;
pub mod scheduler;
pub mod settings;
