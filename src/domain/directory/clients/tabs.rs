//! The client page's tab bar: every count from one statement (scalar subqueries), so
//! the number of tabs never adds queries.

use diesel::prelude::*;

use crate::domain::directory::addresses::Addresses;
use crate::domain::directory::contacts::Contacts;
use crate::domain::directory::locations::Locations;
use crate::domain::documentation::certificates::Certificates;
use crate::domain::documentation::credentials::Credentials;
use crate::domain::documentation::documents::Documents;
use crate::domain::documentation::domains::Domains;
use crate::domain::documentation::files::Files;
use crate::domain::documentation::licenses::Licenses;
use crate::domain::documentation::racks::Racks;
use crate::domain::documentation::services::Services;
use crate::domain::resource::Resource;
use crate::domain::scheduling::calendar::Events;
use crate::domain::scheduling::recurring::RecurringTickets;
use crate::domain::scheduling::trips::Trips;
use crate::domain::scope::ClientScope;
use crate::domain::tenancy::policy;
use crate::domain::tenancy::policy::{Action, Area, Perm};
use crate::domain::tenancy::users::Role;
use crate::platform::db::schema::{
    client_addresses, client_calendar_events, client_certificates, client_contacts,
    client_credentials, client_documents, client_domains, client_files, client_licenses,
    client_locations, client_racks, client_recurring_tickets, client_services, client_trips,
};
use crate::platform::db::AnyConnection;

/// A tab as its resource defines it.
#[derive(Debug, Clone, Copy)]
pub struct TabDef {
    pub slug: &'static str,
    pub label: &'static str,
    pub area: Area,
    /// A module a tenant can switch off.
    pub switchable: bool,
    /// The table behind it (what the audit log names as the entity).
    pub table: &'static str,
}

impl TabDef {
    const fn of<R: Resource>() -> TabDef {
        TabDef {
            slug: R::SLUG,
            label: R::PLURAL,
            area: R::AREA,
            switchable: R::SWITCHABLE,
            table: R::TABLE,
        }
    }

    /// Whether this user sees the tab and its records: the same policy as its routes,
    /// and not a module the tenant switched off.
    pub fn visible(&self, role: Role, disabled: &[String]) -> bool {
        policy::allows(Perm::new(self.area, Action::View), role)
            && !(self.switchable && disabled.iter().any(|d| d == self.slug))
    }
}

const OVERVIEW: TabDef = TabDef {
    slug: "",
    label: "Overview",
    area: Area::Clients,
    switchable: false,
    table: "clients",
};

/// Every tab after Overview, in the order of the counts below, taken from the
/// resources themselves.
pub const TABS: [TabDef; 14] = [
    TabDef::of::<Contacts>(),
    TabDef::of::<Addresses>(),
    TabDef::of::<Locations>(),
    TabDef::of::<Licenses>(),
    TabDef::of::<Credentials>(),
    TabDef::of::<Racks>(),
    TabDef::of::<Certificates>(),
    TabDef::of::<Domains>(),
    TabDef::of::<Services>(),
    TabDef::of::<Documents>(),
    TabDef::of::<Files>(),
    TabDef::of::<Events>(),
    TabDef::of::<Trips>(),
    TabDef::of::<RecurringTickets>(),
];

#[derive(Debug, Clone)]
pub struct Tab {
    pub def: TabDef,
    pub count: Option<i64>,
}

/// Live rows per sub-resource of one client, in one statement.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    macro_rules! live {
        ($t:ident) => {
            $t::table
                .filter($t::tenant_id.eq(cs.tenant_id()))
                .filter($t::client_id.eq(cs.client_id()))
                .filter($t::deleted_at.is_null())
                .count()
                .single_value()
        };
    }
    type N = Option<i64>;
    type Seven = (N, N, N, N, N, N, N);
    let (a, b): (Seven, Seven) = diesel::select((
        (
            live!(client_contacts),
            live!(client_addresses),
            live!(client_locations),
            live!(client_licenses),
            live!(client_credentials),
            live!(client_racks),
            live!(client_certificates),
        ),
        (
            live!(client_domains),
            live!(client_services),
            live!(client_documents),
            live!(client_files),
            live!(client_calendar_events),
            live!(client_trips),
            live!(client_recurring_tickets),
        ),
    ))
    .get_result(conn)?;
    let counts = [
        a.0, a.1, a.2, a.3, a.4, a.5, a.6, b.0, b.1, b.2, b.3, b.4, b.5, b.6,
    ];
    let mut tabs = vec![Tab {
        def: OVERVIEW,
        count: None,
    }];
    tabs.extend(
        TABS.iter()
            .zip(counts)
            .map(|(def, count)| Tab { def: *def, count }),
    );
    Ok(tabs)
}
