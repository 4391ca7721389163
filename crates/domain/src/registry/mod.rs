//! The one registry of client sub-resources (each context lists its own). Routes, the
//! tab bar and its counts, the modules a tenant can switch off, the secret columns
//! `vault rotate-key` re-seals and the tests' walks all come from here, so a new
//! resource is registered once.

pub mod attention;
pub mod dashboard;
pub mod reseal;
pub mod tabs;

use crate::resource::Resource;
pub use crate::resource::Visitor;

/// Calls the visitor for every resource, in tab order: each bounded context lists its
/// own (`directory::each`, …), so adding a resource touches its context only.
pub fn each(v: &mut impl Visitor) {
    crate::directory::each(v);
    crate::service_desk::each(v);
    crate::assets::each(v);
    crate::documentation::each(v);
    crate::scheduling::each(v);
    crate::finance::each(v);
}

/// A resource as the rest of the product sees it without its type.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    pub slug: &'static str,
    pub label: &'static str,
    pub singular: &'static str,
    pub area: crate::policy::Area,
    /// A module a tenant can switch off.
    pub switchable: bool,
    /// The table behind it (what the audit log names as the entity).
    pub table: &'static str,
    /// Its secret fields (each sealed in the column of the same name).
    pub secrets: &'static [&'static str],
    /// Which rows the tab counts (SQL condition; empty: every live row).
    pub count_where: &'static str,
    /// For resources that expire: the date column, the name column and which rows
    /// need attention (SQL condition; empty: every live row).
    pub expiry: Option<(&'static str, &'static str, &'static str)>,
    /// The column saying a row renews by itself, for resources that have one.
    pub auto_renew: Option<&'static str>,
    /// The columns global search indexes (the first is the title).
    pub search: &'static [&'static str],
}

impl Info {
    pub const fn of<R: Resource>() -> Info {
        Info {
            slug: R::SLUG,
            label: R::PLURAL,
            singular: R::SINGULAR,
            area: R::AREA,
            switchable: R::SWITCHABLE,
            table: R::TABLE,
            secrets: R::SECRETS,
            count_where: R::COUNT_WHERE,
            expiry: match R::EXPIRY_COLUMN {
                Some(column) => Some((column, R::LABEL_COLUMN, R::EXPIRY_WHERE)),
                None => None,
            },
            auto_renew: R::AUTO_RENEW_COLUMN,
            search: R::SEARCH_COLUMNS,
        }
    }
}

impl Info {
    /// Whether this user sees the resource's tab and records: the same policy as its
    /// routes, and not a module the tenant switched off.
    pub fn visible(&self, role: crate::policy::Role, disabled: &[String]) -> bool {
        use crate::policy::{allows, Action, Perm};
        allows(Perm::new(self.area, Action::View), role)
            && !(self.switchable && disabled.iter().any(|d| d == self.slug))
    }
}

/// Whether this user sees the resource `slug` (its tab, records and menus).
pub fn visible(slug: &str, role: crate::policy::Role, disabled: &[String]) -> bool {
    all()
        .iter()
        .any(|r| r.slug == slug && r.visible(role, disabled))
}

/// Who reads a detail page, with the tabs they may open.
pub fn audience<'a>(
    refs: &'a crate::forms::RefOptions,
    role: crate::policy::Role,
    disabled: &[String],
) -> crate::resource::Audience<'a> {
    crate::resource::Audience {
        refs,
        role,
        visible: all()
            .iter()
            .filter(|r| r.visible(role, disabled))
            .map(|r| r.slug)
            .collect(),
    }
}

/// Every resource's `Info`, in tab order.
pub fn all() -> &'static [Info] {
    static ALL: std::sync::LazyLock<Vec<Info>> = std::sync::LazyLock::new(|| {
        struct Collect(Vec<Info>);
        impl Visitor for Collect {
            fn visit<R: Resource>(&mut self) {
                self.0.push(Info::of::<R>());
            }
        }
        let mut c = Collect(vec![]);
        each(&mut c);
        c.0
    });
    &ALL
}
