//! The resource pattern: a client sub-resource describes its fields, list columns and
//! rules, and gets its data functions from `scoped_crud!`; the generic handlers in
//! `web::resource` and the templates `list.html`, `form.html`, `show.html` do the rest.
//! A resource with a special view adds only that view, through the hooks below.

pub mod crud;
pub mod expiry;
pub mod history;
pub mod links;
pub mod refs;
pub mod service;
pub mod write;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

pub use crate::list::ListQuery;

/// Something done for every registered resource, with its type in hand (routes need
/// the type for their generic handlers, rotation for its queries). Each context's
/// `each` takes one; `registry::each` walks them all.
pub trait Visitor {
    fn visit<R: Resource>(&mut self);
}

use crate::error::AppResult;
use crate::forms::{Errors, Field, FormInput, RefOptions, Values};
use crate::scope::{ClientId, ClientScope};
use mspdesk_platform::db::AnyConnection;

pub trait Resource: Sized + 'static {
    /// URL segment under the client: `/clients/{id}/<slug>`.
    const SLUG: &'static str;
    const SINGULAR: &'static str;
    const PLURAL: &'static str;
    const FIELDS: &'static [Field];
    /// Field names shown as list columns; each is also a sort key.
    const COLUMNS: &'static [&'static str];
    const SEARCH_HINT: &'static str;
    /// The table (set by `scoped_crud!`); part of every secret's associated data.
    const TABLE: &'static str;
    /// Sort keys the data layer accepts (set by `scoped_crud!`); the first is the default.
    const SORTABLE: &'static [&'static str];
    /// List filters beyond search, as (value, label); `scoped_crud!` sets the expiry ones.
    const FILTERS: &'static [(&'static str, &'static str)] = &[];
    /// The filter's "no filter" option.
    const FILTER_ANY: &'static str = "Any";
    /// A boolean field that at most one live row of a client may have set.
    const EXCLUSIVE: Option<&'static str> = None;
    /// Other views of the list, as (path under the list, label): the month grid.
    const VIEWS: &'static [(&'static str, &'static str)] = &[];
    /// The policy area of the resource's pages.
    const AREA: crate::policy::Area = crate::policy::Area::Documentation;
    /// Whether a tenant admin can switch the module off (its key is the slug).
    const SWITCHABLE: bool = true;
    /// Items of this kind can be handed to outsiders by share link.
    const SHAREABLE: bool = false;
    /// Rows can be deleted for good (admins only), not just archived.
    const HARD_DELETE: bool = false;
    /// The resource brings its own new/create pages (file upload).
    const CUSTOM_CREATE: bool = false;
    /// Secret fields, each sealed in the column of its name (set by `scoped_crud!`'s
    /// `secrets:`); `vault rotate-key` re-seals them.
    const SECRETS: &'static [&'static str] = &[];
    /// The rows the tab counts, as an SQL condition on the table (open tickets only);
    /// empty counts every live row.
    const COUNT_WHERE: &'static str = "";
    /// The column that names a row in lists of several kinds (the attention list).
    const LABEL_COLUMN: &'static str = "name";
    /// The fields an imported row names an existing record by (all of them equal, case
    /// aside): what the user sees of the record. Empty: a row never names one, and every
    /// row makes a new record.
    const IMPORT_KEY: &'static [&'static str] = &["name"];
    /// Fields that mean something only together (a rack, its unit and height): an
    /// import that cannot keep one of them keeps none.
    const FIELD_GROUPS: &'static [&'static [&'static str]] = &[];
    /// The expiry date column (set by `scoped_crud!`'s `expiry:`).
    const EXPIRY_COLUMN: Option<&'static str> = None;
    /// Rows whose expiry needs no attention, as an SQL condition for the others (a
    /// retired asset's warranty); empty: every live row.
    const EXPIRY_WHERE: &'static str = "";
    /// The columns the list's search box looks in (set by `scoped_crud!`); global
    /// search indexes them, the first as the title.
    const SEARCH_COLUMNS: &'static [&'static str] = &[];
    /// The column saying a row renews by itself (its expiry notices can stay quiet).
    const AUTO_RENEW_COLUMN: Option<&'static str> = None;

    type Row: Send + 'static;

    fn id(row: &Self::Row) -> i64;
    fn archived(row: &Self::Row) -> bool;
    fn title(row: &Self::Row) -> String;
    /// The row as the strings its edit form shows.
    fn to_input(row: &Self::Row) -> FormInput;
    /// The date the expiry badge is computed from, for resources that expire.
    fn expiry(_row: &Self::Row) -> Option<NaiveDate> {
        None
    }
    /// Whether the row's expiry date needs attention at all (a retired asset's does not).
    fn expiry_applies(_row: &Self::Row) -> bool {
        true
    }
    /// Rules across fields (end after start, …), after each field passed on its own.
    fn check(_values: &Values, _errors: &mut Errors) {}
    /// Rules that need the database (uniqueness), in the write's transaction.
    fn check_db(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _id: Option<i64>,
        _values: &Values,
        _errors: &mut Errors,
    ) -> QueryResult<()> {
        Ok(())
    }
    /// Whether this user may write this row (`None` on create) with these values; the
    /// policy table has already allowed the area. Trips: a Tech only their own.
    fn may_write(_row: Option<&Self::Row>, _values: Option<&Values>, _who: Writer) -> bool {
        true
    }
    /// Whether a new row with these values may be inserted in one statement with
    /// others (an import's rows): only when no `check_db` rule and no `created` hook
    /// would need to see the rows before it. `write::batchable` adds the generic
    /// conditions (no secret given, no exclusive flag set).
    fn insert_in_bulk(_values: &Values) -> bool {
        false
    }
    /// After a new row is inserted, in the same transaction (a ticket takes its number).
    fn created(_conn: &mut AnyConnection, _cs: &ClientScope, _id: i64) -> QueryResult<()> {
        Ok(())
    }
    /// The event `service::save` publishes for a new row (an import publishes none:
    /// a thousand old tickets are not news).
    fn created_event(_client: ClientId, _id: i64) -> Option<crate::outbox::event::Event> {
        None
    }
    /// The new form's starting values (a tenant default, today's date…).
    fn defaults(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _who: Writer,
    ) -> QueryResult<FormInput> {
        Ok(FormInput::default())
    }
    /// The next dates of the schedule typed into the form (its "Preview schedule"
    /// button), or why there are none; `None`: the form has no schedule to preview.
    fn preview(_input: &FormInput) -> Option<Result<Vec<String>, String>> {
        None
    }
    /// What the detail page shows under the fields (a diagram, linked records…), as
    /// data: the web layer renders it.
    fn detail(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _row: &Self::Row,
        _audience: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::None)
    }

    // Scoped data access, usually generated by `scoped_crud!`.
    fn count(conn: &mut AnyConnection, cs: &ClientScope, q: &ListQuery) -> QueryResult<i64>;
    fn list(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        q: &ListQuery,
    ) -> QueryResult<Vec<Self::Row>>;
    fn find(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Self::Row>;
    /// Every row of the tenant, archived ones too, with its client id, in id order
    /// after `after` (the tenant export pages through them).
    fn of_tenant(
        conn: &mut AnyConnection,
        tenant: crate::scope::TenantId,
        after: i64,
        limit: i64,
    ) -> QueryResult<Vec<(i64, Self::Row)>>;
    fn insert(conn: &mut AnyConnection, cs: &ClientScope, v: &Values) -> QueryResult<i64>;
    /// Several new rows in one statement; their ids in the order of `rows`.
    fn insert_many(
        conn: &mut AnyConnection,
        rows: &[(ClientScope, Values)],
    ) -> QueryResult<Vec<i64>>;
    fn update(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
        v: &Values,
    ) -> QueryResult<usize>;
    fn set_deleted(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
        at: Option<NaiveDateTime>,
    ) -> QueryResult<usize>;
    /// Clears the exclusive flag on every row of the client but `keep` (archived rows
    /// too, so that restoring one can never make a second holder).
    fn clear_exclusive(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _keep: Option<i64>,
    ) -> QueryResult<usize> {
        Ok(0)
    }
    /// The stored (encrypted) value of a secret field.
    fn read_secret(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _id: i64,
        _field: &str,
    ) -> QueryResult<Option<String>> {
        Ok(None)
    }
    fn write_secret(
        _conn: &mut AnyConnection,
        _cs: &ClientScope,
        _id: i64,
        _field: &str,
        _sealed: &str,
    ) -> QueryResult<usize> {
        Ok(0)
    }
    /// Every stored secret of every tenant (`reseal` only: it takes `EveryTenant`).
    fn all_secrets(
        _conn: &mut AnyConnection,
        _every: &crate::scope::EveryTenant,
    ) -> QueryResult<Vec<Sealed>> {
        Ok(vec![])
    }
}

/// One stored secret, with where it lives (its associated data).
#[derive(Debug, Clone)]
pub struct Sealed {
    pub scope: ClientScope,
    pub id: i64,
    pub field: &'static str,
    pub value: String,
}

/// A detail page's own part under the fields.
#[derive(Debug, Clone)]
pub enum Extra {
    None,
    /// Records that point at this one (a contact's, a location's), per section.
    Links {
        heading: &'static str,
        sections: Vec<links::Section>,
    },
    /// A rack's front view: unit numbers from the top down, and what is mounted.
    Rack {
        name: String,
        units: Vec<RackUnit>,
    },
    /// A document's body, as Markdown source.
    Markdown(String),
    /// A stored file and where to download it.
    File {
        href: String,
        original_name: String,
        size: String,
        mime: String,
    },
    /// A ticket's details, timeline, time worked and reply form.
    Ticket(Box<crate::service_desk::timeline::TicketView>),
    /// A project's tickets and progress.
    Project(crate::service_desk::projects::Progress),
    /// The next runs of a schedule (already formatted), and whether it is active.
    Schedule {
        runs: Vec<String>,
        active: bool,
    },
}

/// One row of a rack's front view: a free unit, the top unit of a device (spanning
/// `height` rows, with a link to it), or a unit a device above already covers.
#[derive(Debug, Clone)]
pub struct RackUnit {
    pub unit: i32,
    /// (href, name, height) of the device whose top unit this is.
    pub device: Option<(String, String, i32)>,
    pub covered: bool,
}

/// Who reads a detail page: what its extras may show them. Made by
/// `registry::audience`, which knows every tab.
pub struct Audience<'a> {
    pub refs: &'a RefOptions,
    pub role: crate::policy::Role,
    /// The tabs this reader may open (their role may, the tenant has them on).
    pub(crate) visible: Vec<&'static str>,
}

impl Audience<'_> {
    /// Whether records of the tab `slug` may be shown (same rule as the tab itself).
    pub(crate) fn may_see(&self, slug: &str) -> bool {
        self.visible.contains(&slug)
    }
}

impl crate::scope::Who {
    /// For `Resource::may_write`.
    pub fn writer(&self) -> Writer {
        Writer {
            user_id: self.user_id,
            role: self.role,
        }
    }
}

/// Who writes, for `Resource::may_write`.
#[derive(Debug, Clone, Copy)]
pub struct Writer {
    pub user_id: i64,
    pub role: crate::policy::Role,
}

/// Whether `role` reads field `f`: an amount of money only for the roles that see
/// billing (a technician meets no amount on any page, a licence's cost included).
pub fn reads(f: &Field, role: crate::policy::Role) -> bool {
    !matches!(f.kind, crate::forms::Kind::Money) || crate::policy::sees_money(role)
}

/// The sort keys of a resource that `role` may order by: none by a field it does not
/// read, since the order alone would tell the hidden values (pages, CSV and API alike).
pub fn sortable_for<R: Resource>(role: crate::policy::Role) -> Vec<&'static str> {
    R::SORTABLE
        .iter()
        .copied()
        .filter(|key| R::FIELDS.iter().all(|f| f.name != *key || reads(f, role)))
        .collect()
}

/// The fields of a resource that `role` reads, in their order.
pub fn fields_for<R: Resource>(role: crate::policy::Role) -> Vec<Field> {
    R::FIELDS
        .iter()
        .filter(|f| reads(f, role))
        .copied()
        .collect()
}

/// The secret fields of a resource.
pub fn secret_fields<R: Resource>() -> impl Iterator<Item = &'static Field> {
    R::FIELDS.iter().filter(|f| f.kind.is_secret())
}
