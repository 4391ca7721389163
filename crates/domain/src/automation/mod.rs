//! What runs without a user: domain events through an outbox (`events`), the
//! persistent job queue the workers drain (`jobs`; what each kind does is wired in
//! `ops::handlers`), the outbox of mail (`mails`), and the scheduler
//! (`scheduler`, with the tenant's `settings`) that opens recurring tickets, invoices
//! recurring invoices and notices expiries and overdue invoices (`notices`), and the
//! in-app notifications with each user's choices (`notifications`).

pub mod events;
pub mod heartbeats;
pub mod jobs;
pub mod mails;
pub mod notices;
pub mod notifications;
pub mod queue;
pub mod scheduler;
pub mod settings;
