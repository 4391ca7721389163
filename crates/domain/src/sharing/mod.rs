//! Handing items to outsiders: share links, and what a link shows.

pub mod links;
pub mod shown;
