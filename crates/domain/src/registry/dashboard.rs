//! The client overview as a dashboard (the design's ClientDashboardService): who to
//! call and where, the open and overdue tickets, assets and open projects, everything
//! expiring within 30 days (or already expired) and the recent activity — what the
//! reader's role and the tenant's modules allow. Seven statements with the user's,
//! whatever the client holds.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::attention::{self, Due};
use super::tabs::{self, Tab};
use crate::audit::{self, Activity};
use crate::clients::{scoped, Client};
use crate::directory::recent;
use crate::schema::{client_contacts, client_locations, clients};
use crate::scope::{ClientId, ClientScope, Viewer};
use mspdesk_platform::db::AnyConnection;

/// The primary contact (id, name, e-mail, phone) and primary location (id, name,
/// street, city) of a client.
#[derive(Debug, Clone, Default, Queryable)]
pub struct Primaries {
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub location_id: Option<i64>,
    pub location_name: Option<String>,
    pub location_street: Option<String>,
    pub location_city: Option<String>,
}

pub struct Dashboard {
    pub client: Client,
    pub tabs: Vec<Tab>,
    pub primaries: Primaries,
    pub overdue_tickets: i64,
    pub due: Vec<Due>,
    pub activity: Vec<Activity>,
    /// Per currency; empty for those who do not see money.
    pub money: Vec<crate::finance::figures::Figures>,
}

impl Dashboard {
    /// A tab's count (open tickets, assets, open projects), 0 when it is not shown.
    pub fn count(&self, slug: &str) -> i64 {
        self.tabs
            .iter()
            .find(|t| t.def.slug == slug)
            .and_then(|t| t.count)
            .unwrap_or(0)
    }
}

/// What the reader may see on it: the dated kinds (`attention`) and the audit tables
/// left out of the activity.
pub struct Sight<'a> {
    pub kinds: &'a [&'static str],
    pub hidden: &'a [&'static str],
    pub user_id: i64,
    /// Billing roles see the client's money (balance, overdue, monthly recurring).
    pub money: bool,
}

fn primaries(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Primaries> {
    crate::of_tenant!(clients, cs.tenant())
        .filter(clients::id.eq(cs.client_id()))
        .left_join(
            client_contacts::table.on(client_contacts::client_id
                .eq(clients::id)
                .and(client_contacts::tenant_id.eq(clients::tenant_id))
                .and(client_contacts::is_primary.eq(true))
                .and(client_contacts::deleted_at.is_null())),
        )
        .left_join(
            client_locations::table.on(client_locations::client_id
                .eq(clients::id)
                .and(client_locations::tenant_id.eq(clients::tenant_id))
                .and(client_locations::is_primary.eq(true))
                .and(client_locations::deleted_at.is_null())),
        )
        .select((
            client_contacts::id.nullable(),
            client_contacts::name.nullable(),
            client_contacts::email.nullable(),
            client_contacts::phone.nullable(),
            client_locations::id.nullable(),
            client_locations::name.nullable(),
            client_locations::address_line_1.nullable(),
            client_locations::city.nullable(),
        ))
        .first(conn)
}

/// Loads the dashboard and notes the visit for the user's "recently viewed".
pub fn load(
    conn: &mut AnyConnection,
    viewer: Viewer,
    id: ClientId,
    sight: &Sight,
    today: NaiveDate,
) -> QueryResult<Dashboard> {
    let (client, cs) = scoped(conn, viewer, id)?;
    let (tabs, counts) = tabs::load_counts(conn, &cs)?;
    let overdue_tickets = counts
        .iter()
        .find(|(k, _)| k == tabs::OVERDUE_TICKETS)
        .map_or(0, |(_, n)| *n);
    let primaries = primaries(conn, &cs)?;
    let due = attention::for_client(conn, &cs, sight.kinds, today + chrono::Duration::days(30))?;
    let activity = audit::recent_of_client(conn, cs.tenant(), cs.client_id(), sight.hidden, 10)?;
    recent::touch(conn, &cs, sight.user_id)?;
    let money = if sight.money {
        use crate::finance::figures;
        figures::of(conn, figures::Of::Client(&cs), today)?
    } else {
        vec![]
    };
    Ok(Dashboard {
        money,
        client,
        tabs,
        primaries,
        overdue_tickets,
        due,
        activity,
    })
}
