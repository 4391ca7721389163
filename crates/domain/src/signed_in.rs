//! What a request needs to know of its signed-in user, in one statement on every page:
//! the account, its tenant's switches, and the counts in the top bar (open tickets,
//! unread notifications). It reads across contexts, so it sits above them rather than
//! in `tenancy` (which would then reach into the service desk).

use diesel::prelude::*;

use crate::schema::{companies, notifications, tickets, user_clients, users};
use crate::tenancy::users::{live_user, User};
use mspdesk_platform::db::AnyConnection;

/// What a request needs to know of the user's tenant.
#[derive(Debug, Clone)]
pub struct TenantInfo {
    pub name: String,
    /// Modules switched off (their slugs).
    pub disabled: Vec<String>,
    pub reveal_reason_required: bool,
    /// The user's open tickets, for the top menu.
    pub open_tickets: i64,
    /// The user's unread notifications, for the bell.
    pub unread: i64,
    /// Who the tenant asks for a second factor (`two_factor::Required`).
    pub require_2fa: i32,
}

/// The session's user with their tenant (and their open ticket and unread
/// notification counts), in one statement.
pub fn find_with_tenant(
    conn: &mut AnyConnection,
    id: i64,
) -> QueryResult<Option<(User, TenantInfo)>> {
    // A ticket assigned before the user was restricted is not counted once its client
    // is out of their reach.
    let me = diesel::alias!(users as me);
    let unrestricted = diesel::dsl::not(diesel::dsl::exists(
        me.filter(me.field(users::id).eq(id))
            .filter(me.field(users::restricted).eq(true)),
    ));
    let reachable = tickets::client_id.eq_any(
        user_clients::table
            .filter(user_clients::user_id.eq(id))
            .select(user_clients::client_id),
    );
    let open = tickets::table
        .filter(tickets::assignee_id.eq(id))
        .filter(tickets::deleted_at.is_null())
        // A fixed literal, not `eq_any` of a list nor `dsl::sql`: either makes diesel
        // prepare the statement anew on every request, and this one runs on every page.
        .filter(mspdesk_platform::db::sql::fixed::<diesel::sql_types::Bool>(
            crate::service_desk::status::OPEN_SQL,
        ))
        .filter(unrestricted.or(reachable))
        .count()
        .single_value();
    let unread = notifications::table
        .filter(notifications::user_id.eq(id))
        .filter(notifications::read_at.is_null())
        .count()
        .single_value();
    type Row = (User, String, String, bool, Option<i64>, Option<i64>, i32);
    let row: Option<Row> = live_user!(id)
        .select((
            User::as_select(),
            companies::name,
            companies::disabled_features,
            companies::reveal_reason_required,
            open,
            unread,
            companies::require_2fa,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)?;
    Ok(row.map(
        |(user, name, disabled, reason, open, unread, require_2fa)| {
            (
                user,
                TenantInfo {
                    name,
                    disabled: serde_json::from_str(&disabled).unwrap_or_default(),
                    reveal_reason_required: reason,
                    open_tickets: open.unwrap_or(0),
                    unread: unread.unwrap_or(0),
                    require_2fa,
                },
            )
        },
    ))
}
