//! Users of a tenant and their roles.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::list::ListQuery;
use crate::schema::{companies, sessions, user_clients, users};
use crate::scope::{ClientScope, TenantId};
use mspdesk_platform::db::{lower, AnyConnection};

pub use mspdesk_kernel::policy::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    // Tenant, role and restriction are what a `Who` is made of: read only from the
    // database, so no one outside the domain can write a `User` literal.
    pub(crate) tenant_id: i64,
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub(crate) role: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub(crate) restricted: bool,
    pub disabled_at: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub totp_enabled_at: Option<NaiveDateTime>,
}

impl User {
    pub fn role(&self) -> Role {
        Role::from_i32(self.role).unwrap_or(Role::Accountant)
    }
    pub fn tenant(&self) -> TenantId {
        TenantId::trusted(self.tenant_id)
    }
    /// Limited to the clients an admin chose for them.
    pub fn restricted(&self) -> bool {
        self.restricted
    }
}

/// The oldest live account with this e-mail (an e-mail may have an account in several
/// tenants; the shell and tests use this where they know it has one).
pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .filter(users::deleted_at.is_null())
        .order(users::id.asc())
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// At most this many accounts are listed for one e-mail (the shell asks for a tenant
/// among them).
pub const MAX_ACCOUNTS_PER_EMAIL: i64 = 5;

/// The shell's candidates: every live account with this e-mail, with its tenant's name.
pub fn find_all_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> QueryResult<Vec<(User, String)>> {
    users::table
        .inner_join(companies::table)
        .filter(users::email.eq(email))
        .filter(users::deleted_at.is_null())
        .filter(users::disabled_at.is_null())
        .filter(companies::suspended_at.is_null())
        .order(users::id.asc())
        .limit(MAX_ACCOUNTS_PER_EMAIL)
        .select((User::as_select(), companies::name))
        .load(conn)
}

/// Login's one candidate: the tenant whose sign-in code was given (when one has it) and
/// its live account with this e-mail — no other tenant's accounts are looked at, so a
/// password is only ever checked against the account its sender named.
pub fn find_for_sign_in(
    conn: &mut AnyConnection,
    code: &str,
    email: &str,
) -> QueryResult<(Option<TenantId>, Option<User>)> {
    let tenant: Option<(i64, bool)> = companies::table
        .filter(companies::sign_in_code.eq(code))
        .select((companies::id, companies::suspended_at.is_null()))
        .first(conn)
        .optional()?;
    let Some((tenant, open)) = tenant else {
        return Ok((None, None));
    };
    let tenant = TenantId::trusted(tenant);
    if !open {
        return Ok((Some(tenant), None));
    }
    let user = crate::of_tenant!(users, tenant)
        .filter(users::email.eq(email))
        .filter(users::deleted_at.is_null())
        .filter(users::disabled_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()?;
    Ok((Some(tenant), user))
}

/// Whether this tenant already has an account with this e-mail (another tenant's
/// accounts are never looked at: creating a user reveals nothing about them).
pub fn email_taken_in(
    conn: &mut AnyConnection,
    tenant: TenantId,
    email: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        crate::of_tenant!(users, tenant).filter(users::email.eq(email.trim().to_lowercase())),
    ))
    .get_result(conn)
}

/// The account `$id` joined with its tenant, if it may act: not removed, not disabled,
/// its tenant not suspended (so a disabled user's live session and every session and
/// API key of a suspended tenant are refused on their next request). The one rule for
/// every lookup of an acting account.
macro_rules! live_user {
    ($id:expr) => {
        $crate::schema::users::table
            .inner_join($crate::schema::companies::table)
            .filter($crate::schema::users::id.eq($id))
            .filter($crate::schema::users::deleted_at.is_null())
            .filter($crate::schema::users::disabled_at.is_null())
            .filter($crate::schema::companies::suspended_at.is_null())
    };
}
pub(crate) use live_user;

/// The live account `id` (see `live_user!`).
pub fn find_live(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<User>> {
    live_user!(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn create(
    conn: &mut AnyConnection,
    tenant: TenantId,
    name: &str,
    email: &str,
    password_hash: &str,
    role: Role,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::tenant_id.eq(tenant.get()),
            users::name.eq(name),
            users::email.eq(email.trim().to_lowercase()),
            users::password_hash.eq(password_hash),
            users::role.eq(role as i32),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

/// Every technician of the tenant (Tech and Admin users), for the queue's assignee
/// filter.
pub fn staff(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Vec<(i64, String)>> {
    crate::of_tenant!(users, tenant)
        .filter(users::role.ge(Role::Tech as i32))
        .filter(users::deleted_at.is_null())
        .order(users::name.asc())
        .select((users::id, users::name))
        .load(conn)
}

/// The tenant's technicians (Tech and Admin users) as (id, name): who can be sent on a
/// trip, booked for an event or assigned a ticket — those who may open the client.
pub fn technicians(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<(i64, String)>> {
    crate::of_tenant!(users, cs.tenant())
        .filter(users::role.ge(Role::Tech as i32))
        .filter(users::deleted_at.is_null())
        .filter(
            users::restricted.eq(false).or(users::id.eq_any(
                user_clients::table
                    .filter(user_clients::client_id.eq(cs.client_id()))
                    .select(user_clients::user_id),
            )),
        )
        .order(users::name.asc())
        .select((users::id, users::name))
        .load(conn)
}

/// A new password; every session of the user ends (the caller starts a new one for
/// the browser that made the change).
pub fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::tenancy::sessions::end_for_user(conn, id)?;
    Ok(())
}

/// Every user of the tenant, for the admin's list.
pub fn list(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Vec<User>> {
    crate::of_tenant!(users, tenant)
        .filter(users::deleted_at.is_null())
        .order(users::name.asc())
        .select(User::as_select())
        .load(conn)
}

/// Notes a successful sign-in (shown to the tenant's admins).
pub fn touch_login(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// One user of the tenant; another tenant's user is `NotFound`.
pub fn find_in(conn: &mut AnyConnection, tenant: TenantId, id: i64) -> QueryResult<User> {
    crate::of_tenant!(users, tenant)
        .filter(users::id.eq(id))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
}

/// The clients a restricted user may reach.
pub fn client_ids(conn: &mut AnyConnection, tenant: TenantId, id: i64) -> QueryResult<Vec<i64>> {
    crate::of_tenant!(user_clients, tenant)
        .filter(user_clients::user_id.eq(id))
        .select(user_clients::client_id)
        .load(conn)
}

/// Role and client restriction, in the caller's transaction. The client ids must be
/// the tenant's own (the composite foreign key refuses any other).
pub fn set_access(
    conn: &mut AnyConnection,
    tenant: TenantId,
    id: i64,
    role: Role,
    restricted: bool,
    clients: &[i64],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(crate::of_tenant!(users, tenant).filter(users::id.eq(id)))
        .set((
            users::role.eq(role as i32),
            users::restricted.eq(restricted),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(crate::of_tenant!(user_clients, tenant).filter(user_clients::user_id.eq(id)))
        .execute(conn)?;
    for client in clients {
        diesel::insert_into(user_clients::table)
            .values((
                user_clients::tenant_id.eq(tenant.get()),
                user_clients::user_id.eq(id),
                user_clients::client_id.eq(client),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One row of the users list: the user and their last activity (the newest session).
pub type Listed = (User, Option<NaiveDateTime>);

/// A page of the tenant's users, by name, those whose name or e-mail holds the list's
/// search text; with the number of all that match.
pub fn page(
    conn: &mut AnyConnection,
    tenant: TenantId,
    q: &ListQuery,
) -> QueryResult<(Vec<Listed>, i64)> {
    let pattern = q.pattern().unwrap_or_else(|| "%".into());
    let matching = || {
        crate::of_tenant!(users, tenant)
            .filter(users::deleted_at.is_null())
            .filter(
                lower(users::name.nullable())
                    .like(pattern.clone())
                    .escape('\\')
                    .or(users::email.like(pattern.clone()).escape('\\')),
            )
    };
    let total = matching().count().get_result(conn)?;
    let last_seen = sessions::table
        .filter(sessions::user_id.eq(users::id))
        .select(diesel::dsl::max(sessions::last_seen_at))
        .single_value();
    let rows = matching()
        .order((users::name.asc(), users::id.asc()))
        .limit(q.per)
        .offset(q.offset())
        .select((User::as_select(), last_seen))
        .load(conn)?;
    Ok((rows, total))
}
