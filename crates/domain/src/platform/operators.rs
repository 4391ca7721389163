//! Platform operators: they run tenants and read none of their data but the export the
//! tenant's audit log is told of (`tenant_export::Asked`). An operator is not
//! a user of any tenant (a row of its own table), is made with `mspdesk
//! create-operator EMAIL` on the server's shell, and signs in on the platform's own page.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use crate::schema::{operators as o, platform_audit as pa};
use crate::scope::Who;
use crate::tenancy::sessions::Lifetimes;
use mspdesk_platform::db::AnyConnection;

/// A platform operator as the database holds them: read only from there (the id is
/// the domain's), so a value of this type is proof of a real operator account.
#[derive(Debug, Clone, Queryable)]
pub struct Operator {
    pub(crate) id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

impl Operator {
    pub fn id(&self) -> i64 {
        self.id
    }
}

impl Who {
    /// A platform operator acting on one tenant (its export): every client, an admin's
    /// permissions, no tenant user (the tenant's log names the console).
    pub fn operator(
        _operator: &Operator,
        tenant: crate::scope::TenantId,
        ip: String,
        clock: mspdesk_platform::clock::Clock,
    ) -> Who {
        Who::tenant_wide(tenant, Some(ip), "platform console", clock)
    }
}

/// Makes an operator (or gives an existing one a new password); their id.
pub fn create(
    conn: &mut AnyConnection,
    email: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let email = email.trim().to_lowercase();
    if let Some(op) = find_by_email(conn, &email)? {
        diesel::update(o::table.find(op.id))
            .set(o::password_hash.eq(password_hash))
            .execute(conn)?;
        return Ok(op.id);
    }
    diesel::insert_into(o::table)
        .values((
            o::email.eq(&email),
            o::name.eq(email.split('@').next().unwrap_or("operator")),
            o::password_hash.eq(password_hash),
            o::created_at.eq(now),
        ))
        .returning(o::id)
        .get_result(conn)
}

pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<Operator>> {
    o::table
        .filter(o::email.eq(email.trim().to_lowercase()))
        .select((o::id, o::email, o::name, o::password_hash))
        .load(conn)
        .map(mspdesk_platform::db::only)
}

/// The operator whose live console session carries `nonce`, its last-seen time
/// refreshed (once a minute at most). A session idle or older than the tenant sessions'
/// limits is ended here and reads as absent: the cookie's age is not the server's rule.
pub fn find_live(
    conn: &mut AnyConnection,
    id: i64,
    nonce: &str,
    life: Lifetimes,
    now: NaiveDateTime,
) -> QueryResult<Option<Operator>> {
    let row: Option<(Operator, Option<NaiveDateTime>, Option<NaiveDateTime>)> = o::table
        .find(id)
        .filter(o::session_nonce.eq(nonce))
        .select((
            (o::id, o::email, o::name, o::password_hash),
            o::session_started_at,
            o::session_seen_at,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)?;
    let Some((operator, Some(started), Some(seen))) = row else {
        return Ok(None);
    };
    if started + life.absolute <= now || seen + life.idle <= now {
        set_session(conn, id, None, now)?;
        return Ok(None);
    }
    if now - seen > Duration::seconds(60) {
        diesel::update(o::table.find(id))
            .set(o::session_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(operator))
}

/// Starts a console session with `nonce` (ending any other); `None` ends it.
pub fn set_session(
    conn: &mut AnyConnection,
    id: i64,
    nonce: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let at = nonce.map(|_| now);
    diesel::update(o::table.find(id))
        .set((
            o::session_nonce.eq(nonce),
            o::session_started_at.eq(at),
            o::session_seen_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One entry of the platform audit log: who did what to which tenant, from where.
pub fn record(
    conn: &mut AnyConnection,
    operator: Option<i64>,
    action: &str,
    tenant: Option<i64>,
    details: Value,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(pa::table)
        .values((
            pa::operator_id.eq(operator),
            pa::action.eq(action),
            pa::tenant_id.eq(tenant),
            pa::details.eq(details.to_string()),
            pa::ip.eq(ip),
            pa::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A platform audit entry as the console lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub created_at: NaiveDateTime,
    pub operator: Option<String>,
    pub action: String,
    pub tenant_id: Option<i64>,
    pub details: String,
    pub ip: Option<String>,
}

/// The newest entries of the platform audit log.
pub fn log(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<Entry>> {
    pa::table
        .left_join(o::table.on(o::id.nullable().eq(pa::operator_id)))
        .order(pa::id.desc())
        .limit(limit)
        .select((
            pa::created_at,
            o::email.nullable(),
            pa::action,
            pa::tenant_id,
            pa::details,
            pa::ip,
        ))
        .load(conn)
}
