//! The kinds of record an import writes: clients, then every registered client
//! sub-resource, each with its fields, the key a row names a record by and its place
//! in the order of writing.

use crate::clients::{BILLING_FIELDS, FIELDS as CLIENT_FIELDS};
use crate::forms::Field;
use crate::registry::{self, Visitor};
use crate::resource::Resource;

/// A kind of record the importer writes.
pub struct Target {
    pub slug: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    pub fields: Vec<Field>,
    pub is_client: bool,
    /// The fields a row names an existing record by (`Resource::IMPORT_KEY`); empty: it
    /// never does.
    pub key: &'static [&'static str],
    /// The field the report names a row by.
    pub title: &'static str,
    /// Fields kept or dropped together (`Resource::FIELD_GROUPS`).
    pub groups: &'static [&'static [&'static str]],
    /// Order of writing: what others refer to comes first.
    pub rank: u8,
    pub(super) write: Option<super::apply::WriteFn>,
}

/// The rank of every kind no other kind refers to: written after those that are.
pub const LATER: u8 = 20;

/// Kinds whose records others refer to, in the order they are written.
const FIRST: &[&str] = &[
    "contacts",
    "locations",
    "networks",
    "racks",
    "assets",
    "projects",
];

struct Collect(Vec<Target>);

impl Visitor for Collect {
    fn visit<R: Resource>(&mut self) {
        // Files come with their bytes; they are not rows of a sheet.
        if R::CUSTOM_CREATE {
            return;
        }
        // A computed field is read only as a key (a ticket's number names it).
        let fields: Vec<Field> = R::FIELDS
            .iter()
            .filter(|f| !f.computed || R::IMPORT_KEY.contains(&f.name))
            .copied()
            .collect();
        debug_assert!(R::IMPORT_KEY
            .iter()
            .all(|k| fields.iter().any(|f| f.name == *k)));
        let title = [R::LABEL_COLUMN, "name", "subject", "title", "purpose"]
            .into_iter()
            .find(|n| fields.iter().any(|f| f.name == *n))
            .unwrap_or(R::LABEL_COLUMN);
        let rank = FIRST
            .iter()
            .position(|s| *s == R::SLUG)
            .map_or(LATER, |p| p as u8 + 1);
        self.0.push(Target {
            slug: R::SLUG,
            singular: R::SINGULAR,
            plural: R::PLURAL,
            fields,
            is_client: false,
            key: R::IMPORT_KEY,
            title,
            groups: R::FIELD_GROUPS,
            rank,
            write: Some(super::rows::write::<R>),
        });
    }
}

/// Every kind the importer writes: clients, then each client sub-resource.
pub fn targets() -> &'static [Target] {
    static ALL: std::sync::LazyLock<Vec<Target>> = std::sync::LazyLock::new(|| {
        let clients = Target {
            slug: "clients",
            singular: "client",
            plural: "clients",
            fields: CLIENT_FIELDS
                .iter()
                .chain(BILLING_FIELDS)
                .copied()
                .collect(),
            is_client: true,
            key: &["name"],
            title: "name",
            groups: &[],
            rank: 0,
            write: None,
        };
        let mut c = Collect(vec![clients]);
        registry::each(&mut c);
        c.0
    });
    &ALL
}

pub fn target(slug: &str) -> Option<&'static Target> {
    targets().iter().find(|t| t.slug == slug)
}

/// Every kind in the order of writing.
pub(crate) fn in_writing_order() -> Vec<&'static Target> {
    let mut all: Vec<&Target> = targets().iter().collect();
    all.sort_by_key(|t| t.rank);
    all
}
