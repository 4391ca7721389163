//! Time at a client: calendar events, technicians' trips and recurring tickets (with
//! their schedules).

pub mod calendar;
pub mod recurring;
pub mod runs;
pub mod schedule;
pub mod trips;

/// This context's client sub-resources, in tab order (`registry::each` walks every
/// context): a new one is registered here, next to its `pub mod`.
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<calendar::Events>();
    v.visit::<trips::Trips>();
    v.visit::<recurring::RecurringTickets>();
}
