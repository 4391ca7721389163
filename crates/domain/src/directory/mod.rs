//! Who and where: clients and, per client, contacts, addresses and locations (sites).

pub mod addresses;
pub mod contacts;
pub mod locations;
pub mod recent;
pub mod seed;

/// This context's client sub-resources, in tab order (`registry::each` walks every
/// context): a new one is registered here, next to its `pub mod`.
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<contacts::Contacts>();
    v.visit::<addresses::Addresses>();
    v.visit::<locations::Locations>();
}
