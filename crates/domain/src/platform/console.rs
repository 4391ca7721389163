//! The platform console's work on tenants: the overview (users, clients, storage, last
//! activity — counts only, never a tenant's records), creating a tenant with its first
//! admin invited by a one-time link, and suspending or reactivating one. A suspended
//! tenant's users cannot sign in, their sessions and API keys stop at the next request
//! and its jobs wait; its data is untouched. Each action is in the platform audit log.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::operators;
use crate::error::{AppError, AppResult};
use crate::forms::values::is_email;
use crate::policy::Role;
use crate::schema::{clients, companies as c, sessions, users};
use crate::scope::TenantId;
use crate::tenancy::lifecycle::{send_link, LinkFor, Post};
use crate::tenancy::one_time::INVITE;
use crate::tenancy::{password, tenants};
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// Who acts on the platform, and from where.
#[derive(Debug, Clone)]
pub struct OperatorActor {
    pub id: i64,
    pub ip: String,
    /// When the operator acts.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One tenant as the console lists it.
#[derive(Debug, Clone, Queryable)]
pub struct TenantRow {
    pub id: i64,
    pub name: String,
    /// The team its people name when they sign in.
    pub sign_in_code: String,
    pub created_at: NaiveDateTime,
    pub suspended_at: Option<NaiveDateTime>,
    pub users: Option<i64>,
    pub clients: Option<i64>,
    pub storage_bytes: Option<i64>,
    pub last_active: Option<NaiveDateTime>,
}

/// Every tenant with its counts, in one statement.
pub fn tenants(conn: &mut AnyConnection) -> QueryResult<Vec<TenantRow>> {
    let users_of = users::table
        .filter(users::tenant_id.eq(c::id))
        .filter(users::deleted_at.is_null())
        .count()
        .single_value();
    let clients_of = clients::table
        .filter(clients::tenant_id.eq(c::id))
        .filter(clients::deleted_at.is_null())
        .count()
        .single_value();
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back for one type on both.
    let storage = diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
        "(SELECT CAST(SUM(f.file_size) AS BIGINT) FROM client_files f \
         WHERE f.tenant_id = companies.id)",
    );
    let active = sessions::table
        .inner_join(users::table)
        .filter(users::tenant_id.eq(c::id))
        .select(diesel::dsl::max(sessions::last_seen_at))
        .single_value();
    c::table
        .order(c::name.asc())
        .select((
            c::id,
            c::name,
            c::sign_in_code,
            c::created_at,
            c::suspended_at,
            users_of,
            clients_of,
            storage,
            active,
        ))
        .load(conn)
}

/// A new tenant as the console's form gives it.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub name: String,
    pub admin_name: String,
    pub admin_email: String,
}

impl NewTenant {
    fn problem(&self) -> Option<&'static str> {
        match () {
            _ if self.name.trim().is_empty() => Some("Name: required."),
            _ if self.name.chars().count() > 200 => Some("Name: at most 200 characters."),
            _ if self.admin_name.trim().is_empty() => Some("Admin's name: required."),
            _ if self.admin_name.chars().count() > 200 => {
                Some("Admin's name: at most 200 characters.")
            }
            _ if !is_email(self.admin_email.trim()) => {
                Some("Admin's e-mail: an address like name@example.com.")
            }
            _ => None,
        }
    }
}

/// Makes a tenant and invites its first admin (mailed, and returned for the operator
/// to pass on); the tenant's id and the link, or the form's message.
pub fn create(
    conn: &mut AnyConnection,
    op: &OperatorActor,
    new: &NewTenant,
    base: &str,
    post: Post,
) -> AppResult<Result<(TenantId, String), &'static str>> {
    if let Some(problem) = new.problem() {
        return Ok(Err(problem));
    }
    let unusable = password::hash(&password::generate());
    let now = op.at.naive_utc();
    let email = new.admin_email.trim().to_lowercase();
    write_transaction(conn, |conn| {
        let tenant = tenants::create(conn, new.name.trim(), Some(&email), now)?;
        let name = new.admin_name.trim();
        let admin =
            crate::tenancy::users::create(conn, tenant, name, &email, &unusable, Role::Admin, now)?;
        let to = LinkFor {
            tenant,
            user: admin,
            purpose: INVITE,
            name,
            email: &email,
        };
        let url = send_link(conn, &to, None, base, post, now)?;
        let details = json!({ "name": new.name.trim(), "admin": email });
        operators::record(
            conn,
            Some(op.id),
            "tenant_created",
            Some(tenant.get()),
            details,
            Some(&op.ip),
            now,
        )?;
        Ok(Ok((tenant, url)))
    })
}

/// Suspends (`on`) or reactivates a tenant; suspending ends its users' sessions now.
pub fn set_suspended(
    conn: &mut AnyConnection,
    op: &OperatorActor,
    tenant: i64,
    on: bool,
) -> AppResult<()> {
    let now = op.at.naive_utc();
    write_transaction(conn, |conn| {
        let found: Option<i64> = c::table.find(tenant).select(c::id).first(conn).optional()?;
        found.ok_or(AppError::NotFound)?;
        diesel::update(c::table.find(tenant))
            .set(c::suspended_at.eq(on.then_some(now)))
            .execute(conn)?;
        if on {
            let theirs = users::table
                .filter(users::tenant_id.eq(tenant))
                .select(users::id);
            diesel::delete(sessions::table.filter(sessions::user_id.eq_any(theirs)))
                .execute(conn)?;
        }
        let action = if on {
            "tenant_suspended"
        } else {
            "tenant_reactivated"
        };
        operators::record(
            conn,
            Some(op.id),
            action,
            Some(tenant),
            json!({}),
            Some(&op.ip),
            now,
        )?;
        Ok(())
    })
}
