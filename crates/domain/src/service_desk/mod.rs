//! The service desk: tickets (numbered per tenant, moved through their statuses by
//! replies, timed), the tenant-wide queue, and projects that group tickets.

pub mod projects;
pub mod queue;
pub mod replies;
pub mod seed;
pub mod service;
pub mod status;
pub mod tickets;
pub mod timeline;

/// This context's client sub-resources, in tab order.
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<tickets::Tickets>();
    v.visit::<projects::Projects>();
}
