//! Time at a client: calendar events, technicians' trips and recurring tickets (with
//! their schedules).

pub mod calendar;
pub mod recurring;
pub mod schedule;
pub mod trips;
