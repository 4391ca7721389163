//! What runs without a user, on top of the event outbox and job queue (`outbox`; what
//! each job kind does is wired in `ops::handlers`): the outbox of mail (`mails`), the
//! scheduler (`scheduler`, with the tenant's `settings`) that opens recurring tickets, invoices
//! recurring invoices and notices expiries and overdue invoices (`notices`), and the
//! in-app notifications with each user's choices (`notifications`).

pub mod heartbeats;
pub mod mails;
pub mod notices;
pub mod notifications;
pub mod queue;
pub mod scheduler;
pub mod settings;
