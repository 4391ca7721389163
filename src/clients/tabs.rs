//! The client page's tab bar: every count from one statement (scalar subqueries), so
//! the number of tabs never adds queries.

use diesel::prelude::*;

use crate::db::schema::{
    client_addresses, client_calendar_events, client_certificates, client_contacts,
    client_credentials, client_documents, client_domains, client_files, client_licenses,
    client_locations, client_racks, client_recurring_tickets, client_services, client_trips,
};
use crate::db::AnyConnection;
use crate::scope::ClientScope;

#[derive(Debug, Clone)]
pub struct Tab {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: Option<i64>,
}

/// (slug, label) of every tab after Overview, in the order of the counts below.
pub const TABS: [(&str, &str); 14] = [
    ("contacts", "Contacts"),
    ("addresses", "Addresses"),
    ("locations", "Locations"),
    ("licenses", "Licenses"),
    ("credentials", "Credentials"),
    ("racks", "Racks"),
    ("certificates", "Certificates"),
    ("domains", "Domains"),
    ("services", "Services"),
    ("documents", "Documents"),
    ("files", "Files"),
    ("calendar", "Calendar"),
    ("trips", "Trips"),
    ("recurring-tickets", "Recurring tickets"),
];

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
    }];
    tabs.extend(
        TABS.iter()
            .zip(counts)
            .map(|((slug, label), count)| Tab { slug, label, count }),
    );
    Ok(tabs)
}
