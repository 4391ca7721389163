//! The tenant-wide ticket queue: every ticket of the clients the viewer may open,
//! filtered by status set, assignee ("me", "unassigned", anyone or one technician),
//! client, priority, overdue and words, sorted and paged. The home page's lists are
//! this query with fixed filters. Two statements (count, page) whatever the filters.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::status::{self, TicketStatus};
use crate::list::ListQuery;
use crate::schema::{clients, tickets, users};
use crate::scope::Viewer;
use mspdesk_platform::db::{lower, AnyConnection, MultiBackend};

/// The status sets the queue offers, as (value, label, statuses).
pub const STATUS_SETS: &[(&str, &str, &[TicketStatus])] = &[
    ("open", "Open (new, open, on hold)", &TicketStatus::OPEN),
    ("new", "New", &[TicketStatus::New]),
    ("on_hold", "On hold", &[TicketStatus::OnHold]),
    ("done", "Resolved or closed", &TicketStatus::DONE),
    ("all", "All", &TicketStatus::ALL),
];

pub const SORTABLE: &[&str] = &[
    "number", "subject", "client", "status", "priority", "due", "updated",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    Anyone,
    Me,
    Unassigned,
    User(i64),
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub statuses: &'static [TicketStatus],
    pub assignee: Assignee,
    pub client: Option<i64>,
    pub priority: Option<&'static str>,
    pub overdue: bool,
    pub list: ListQuery,
}

impl Filter {
    /// The set named `value` (default: open).
    pub fn status_set(value: &str) -> &'static [TicketStatus] {
        STATUS_SETS
            .iter()
            .find(|(v, _, _)| *v == value)
            .map_or(&TicketStatus::OPEN, |(_, _, s)| s)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct QueueRow {
    pub id: i64,
    pub client_id: i64,
    pub client_name: Option<String>,
    pub reference: Option<String>,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub assignee: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

impl QueueRow {
    pub fn href(&self) -> String {
        format!("/clients/{}/tickets/{}", self.client_id, self.id)
    }
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.due_date.is_some_and(|d| d < today)
            && TicketStatus::parse(&self.status).is_some_and(TicketStatus::is_open)
    }
}

type Joined = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::LeftJoinOn<
        diesel::dsl::LeftJoinOn<
            tickets::table,
            clients::table,
            diesel::dsl::And<
                diesel::dsl::Eq<clients::id, tickets::client_id>,
                diesel::dsl::Eq<clients::tenant_id, tickets::tenant_id>,
            >,
        >,
        users::table,
        diesel::dsl::Eq<diesel::dsl::Nullable<users::id>, tickets::assignee_id>,
    >,
    MultiBackend,
>;

/// The queue's conditions on the tickets table alone (the client's name is searched
/// through a subquery), so that the count reads the tickets index and joins nothing.
macro_rules! narrowed {
    ($q:expr, $viewer:expr, $me:expr, $f:expr, $today:expr) => {{
        let (viewer, f) = ($viewer, $f);
        let mut q = $q
            .filter(tickets::tenant_id.eq(viewer.tenant.get()))
            .filter(tickets::deleted_at.is_null());
        q = crate::only_allowed!(q, viewer, tickets::client_id);
        // Overdue means open: one list of statuses, the chosen ones that are open (a
        // second IN over the same column only blurred the planner's estimate).
        let chosen: Vec<TicketStatus> = f
            .statuses
            .iter()
            .copied()
            .filter(|s| !f.overdue || s.is_open())
            .collect();
        let statuses: Vec<&str> = chosen.iter().map(|s| s.name()).collect();
        // The open tickets' partial indexes (migration 030) hold them in due order, and
        // only a literal list proves their condition. In any other order the literal
        // made the planner sort every open ticket instead of walking that order's own
        // index (`/tickets` 1,700 → 108 req/s at 50,000 tickets), so only the due order
        // (the home page's lists, the queue sorted by due date) gets it.
        q = if chosen == TicketStatus::OPEN && f.list.sort == "due" {
            q.filter(mspdesk_platform::db::sql::fixed::<diesel::sql_types::Bool>(
                status::OPEN_TICKETS_SQL,
            ))
        } else {
            q.filter(tickets::status.eq_any(statuses))
        };
        q = match f.assignee {
            Assignee::Anyone => q,
            Assignee::Me => q.filter(tickets::assignee_id.eq($me)),
            Assignee::Unassigned => q.filter(tickets::assignee_id.is_null()),
            Assignee::User(id) => q.filter(tickets::assignee_id.eq(id)),
        };
        if let Some(c) = f.client {
            q = q.filter(tickets::client_id.eq(c));
        }
        if let Some(p) = f.priority {
            q = q.filter(tickets::priority.eq(p));
        }
        if f.overdue {
            q = q.filter(tickets::due_date.lt($today));
        }
        if let Some(p) = f.list.pattern() {
            q = q.filter(
                lower(tickets::subject.nullable())
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(tickets::reference).like(p.clone()).escape('\\'))
                    .or(tickets::client_id.eq_any(crate::clients_named!(viewer.tenant, p))),
            );
        }
        q
    }};
}

/// The tickets with their client's and assignee's names (left joins on unique keys).
/// An archived client's open tickets stay in the queue: the work is still open.
fn with_names() -> Joined {
    tickets::table
        .left_join(
            clients::table.on(clients::id
                .eq(tickets::client_id)
                .and(clients::tenant_id.eq(tickets::tenant_id))),
        )
        .left_join(users::table.on(users::id.nullable().eq(tickets::assignee_id)))
        .into_boxed()
}

/// The queue's rows, narrowed by its filters.
fn joined(viewer: Viewer, me: i64, f: &Filter, today: NaiveDate) -> Joined {
    let q = with_names();
    narrowed!(q, viewer, me, f, today)
}

pub fn count(
    conn: &mut AnyConnection,
    viewer: Viewer,
    me: i64,
    f: &Filter,
    today: NaiveDate,
) -> QueryResult<i64> {
    let q = tickets::table.into_boxed::<MultiBackend>();
    narrowed!(q, viewer, me, f, today).count().get_result(conn)
}

/// The queue's order on a query of tickets: the sorted column, ties by id in the same
/// direction (one index read forwards or backwards serves the whole order).
macro_rules! ordered {
    ($q:expr, $f:expr, $client:expr) => {{
        let f = $f;
        let q = match f.list.sort.as_str() {
            "subject" => crate::sorted_by!($q, f.list.desc, tickets::subject),
            "client" => crate::sorted_by!($q, f.list.desc, $client),
            "status" => crate::sorted_by!($q, f.list.desc, tickets::status),
            "priority" => crate::sorted_by!($q, f.list.desc, tickets::priority),
            "due" => crate::sorted_by!($q, f.list.desc, tickets::due_date),
            "updated" => crate::sorted_by!($q, f.list.desc, tickets::updated_at),
            _ => crate::sorted_by!($q, f.list.desc, tickets::number),
        };
        if f.list.desc {
            q.then_order_by(tickets::id.desc())
        } else {
            q.then_order_by(tickets::id.asc())
        }
    }};
}

/// One page, picked like the asset list's (`inventory::list`): the page's ids from
/// the tickets' indexes first, then only those rows joined — except in client-name
/// order, which needs the join to pick the page.
pub fn list(
    conn: &mut AnyConnection,
    viewer: Viewer,
    me: i64,
    f: &Filter,
    today: NaiveDate,
) -> QueryResult<Vec<QueueRow>> {
    let q = joined(viewer, me, f, today);
    // The first page reads its few rows as it walks: one statement.
    let q = if f.list.sort == "client" || f.list.offset() == 0 {
        ordered!(q, f, clients::name)
            .limit(f.list.per)
            .offset(f.list.offset())
    } else {
        let page = narrowed!(
            tickets::table.into_boxed::<MultiBackend>(),
            viewer,
            me,
            f,
            today
        );
        let ids: Vec<i64> = ordered!(page, f, tickets::number)
            .limit(f.list.per)
            .offset(f.list.offset())
            .select(tickets::id)
            .load(conn)?;
        let q = with_names()
            .filter(tickets::tenant_id.eq(viewer.tenant.get()))
            .filter(tickets::id.eq_any(ids));
        ordered!(q, f, tickets::number)
    };
    q.select((
        tickets::id,
        tickets::client_id,
        clients::name.nullable(),
        tickets::reference,
        tickets::subject,
        tickets::status,
        tickets::priority,
        users::name.nullable(),
        tickets::due_date,
        tickets::updated_at,
    ))
    .load(conn)
}
