//! The transactional outbox and the job queue it feeds: an event is written in the
//! transaction of the change it tells of, and dispatched to keyed jobs that the
//! workers claim. Below every context that emits events (the audit log included), so
//! none of them has to reach up into `automation` to write one.

pub mod event;
pub mod events;
pub mod job_kind;
pub(crate) mod job_state;
pub mod jobs;
