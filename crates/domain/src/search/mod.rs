//! Global search: an index of every live record kept by database triggers in the
//! writing transaction (`index`), and one ranked query that honours roles, module
//! switches and per-user client restrictions like the lists do (`query`).

pub mod index;
pub mod query;
