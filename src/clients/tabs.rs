//! The client page's tab bar: every count from one statement (scalar subqueries), so
//! the number of tabs never adds queries.

use diesel::prelude::*;

use crate::auth::policy::{self, Action, Area, Perm};
use crate::db::schema::{
    client_addresses, client_calendar_events, client_certificates, client_contacts,
    client_credentials, client_documents, client_domains, client_files, client_licenses,
    client_locations, client_racks, client_recurring_tickets, client_services, client_trips,
};
use crate::db::AnyConnection;
use crate::scope::ClientScope;
use crate::users::Role;

#[derive(Debug, Clone)]
pub struct Tab {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: Option<i64>,
    pub area: Area,
    /// A module a tenant can switch off.
    pub switchable: bool,
}

impl Tab {
    /// Whether this user sees the tab: the same policy as the tab's routes.
    pub fn visible(&self, role: Role, disabled: &[String]) -> bool {
        policy::allows(Perm::new(self.area, Action::View), role)
            && !(self.switchable && disabled.iter().any(|d| d == self.slug))
    }
}

use Area::{Credentials, Directory, Documentation, Trips};

/// Every tab after Overview, in the order of the counts below: (slug, label, area,
/// switchable) — the same as the resources' own settings.
pub const TABS: [(&str, &str, Area, bool); 14] = [
    ("contacts", "Contacts", Directory, false),
    ("addresses", "Addresses", Directory, false),
    ("locations", "Locations", Directory, false),
    ("licenses", "Licenses", Documentation, false),
    ("credentials", "Credentials", Credentials, true),
    ("racks", "Racks", Documentation, true),
    ("certificates", "Certificates", Documentation, true),
    ("domains", "Domains", Documentation, true),
    ("services", "Services", Documentation, true),
    ("documents", "Documents", Documentation, true),
    ("files", "Files", Documentation, true),
    ("calendar", "Calendar", Documentation, true),
    ("trips", "Trips", Trips, true),
    (
        "recurring-tickets",
        "Recurring tickets",
        Documentation,
        true,
    ),
];

/// The table behind a tab (what the audit log names as the entity).
pub fn table_of(slug: &str) -> String {
    match slug {
        "calendar" => "client_calendar_events".into(),
        other => format!("client_{}", other.replace('-', "_")),
    }
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
        slug: "",
        label: "Overview",
        count: None,
        area: Area::Clients,
        switchable: false,
    }];
    tabs.extend(
        TABS.iter()
            .zip(counts)
            .map(|(&(slug, label, area, switchable), count)| Tab {
                slug,
                label,
                count,
                area,
                switchable,
            }),
    );
    Ok(tabs)
}
