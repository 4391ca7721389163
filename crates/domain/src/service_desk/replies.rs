//! Replies on a ticket: public (the client may read it) or internal, with the time
//! worked and whether it is billable.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{ticket_replies, users};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

/// A reply as written, before it is stored.
#[derive(Debug, Clone, Default)]
pub struct NewReply {
    pub body: String,
    pub public: bool,
    pub minutes: i32,
    pub billable: bool,
}

#[derive(Debug, Clone, Queryable)]
pub struct Reply {
    pub id: i64,
    pub author: Option<String>,
    pub body: String,
    pub public: bool,
    pub minutes: i32,
    pub billable: bool,
    pub at: NaiveDateTime,
}

pub fn insert(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    ticket_id: i64,
    author_id: i64,
    r: &NewReply,
) -> QueryResult<i64> {
    diesel::insert_into(ticket_replies::table)
        .values((
            ticket_replies::tenant_id.eq(cs.tenant_id()),
            ticket_replies::client_id.eq(cs.client_id()),
            ticket_replies::ticket_id.eq(ticket_id),
            ticket_replies::author_id.eq(author_id),
            ticket_replies::body.eq(&r.body),
            ticket_replies::public.eq(r.public),
            ticket_replies::minutes.eq(r.minutes),
            ticket_replies::billable.eq(r.billable),
            ticket_replies::created_at.eq(cs.now()),
        ))
        .returning(ticket_replies::id)
        .get_result(conn)
}

/// A ticket's replies, oldest first, with their authors' names.
pub fn of_ticket(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    ticket_id: i64,
) -> QueryResult<Vec<Reply>> {
    crate::of_client!(ticket_replies, cs)
        .filter(ticket_replies::ticket_id.eq(ticket_id))
        .left_join(users::table)
        .order((ticket_replies::created_at.asc(), ticket_replies::id.asc()))
        .select((
            ticket_replies::id,
            users::name.nullable(),
            ticket_replies::body,
            ticket_replies::public,
            ticket_replies::minutes,
            ticket_replies::billable,
            ticket_replies::created_at,
        ))
        .load(conn)
}

/// A reply's text when the client may read it (public); `None` for an internal note.
pub fn public_body(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
) -> QueryResult<Option<String>> {
    crate::of_client!(ticket_replies, cs)
        .filter(ticket_replies::id.eq(id))
        .filter(ticket_replies::public.eq(true))
        .select(ticket_replies::body)
        .first(conn)
        .optional()
}
