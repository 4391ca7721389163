//! What an MSP documents per client: licenses, credentials (with TOTP), racks, TLS
//! certificates, domains, services, documents and files.

pub mod certificates;
pub mod credentials;
pub mod documents;
pub mod domains;
pub mod files;
pub mod licenses;
pub mod racks;
pub mod seed;
pub mod services;

/// This context's client sub-resources, in tab order (`registry::each` walks every
/// context): a new one is registered here, next to its `pub mod`.
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<licenses::Licenses>();
    v.visit::<credentials::Credentials>();
    v.visit::<racks::Racks>();
    v.visit::<certificates::Certificates>();
    v.visit::<domains::Domains>();
    v.visit::<services::Services>();
    v.visit::<documents::Documents>();
    v.visit::<files::Files>();
}
