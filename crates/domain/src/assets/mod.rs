//! A client's infrastructure: its assets (`devices`: workstations, servers, printers…)
//! and networks.

pub mod devices;
pub mod inventory;
pub mod networks;
pub(crate) mod placement;
pub(crate) mod relations;

/// This context's client sub-resources, in tab order (`registry::each` walks every
/// context): a new one is registered here, next to its `pub mod`.
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<devices::Assets>();
    v.visit::<networks::Networks>();
}
