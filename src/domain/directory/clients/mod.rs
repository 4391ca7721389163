//! Clients of a tenant: the row, the form's fields and rules, and the scoped queries.

pub mod service;
pub mod tabs;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, Values};
use crate::domain::money;
use crate::domain::resource::ListQuery;
use crate::domain::schema::{clients, user_clients};
use crate::domain::scope::{ClientScope, TenantId, Viewer};
use crate::platform::db::lower;
use crate::platform::db::{AnyConnection, MultiBackend};

/// The clients an admin opened to a restricted user (a subquery; boxed subqueries do
/// not render on the multi-backend connection).
macro_rules! allowed {
    ($user:expr) => {
        user_clients::table
            .filter(user_clients::user_id.eq($user))
            .select(user_clients::client_id)
    };
}

pub const STATUSES: &[(&str, &str)] = &[
    ("active", "Active"),
    ("prospect", "Prospect"),
    ("on_hold", "On hold"),
    ("inactive", "Inactive"),
    ("former", "Former"),
];

/// What technicians and admins edit.
pub const FIELDS: &[Field] = &[
    Field::text("name", "Name").required(),
    Field::text("company_name", "Company name"),
    Field::new("email", "E-mail", Kind::Email),
    Field::new("phone", "Phone", Kind::Phone),
    Field::new("status", "Status", Kind::Choice(STATUSES)).required(),
    Field::text("type", "Type").help("Managed, break-fix, project…"),
    Field::new("lead", "Lead", Kind::Bool).help("Not yet a customer"),
];

/// The billing fields: accountants and admins see and edit them, technicians do not.
pub const BILLING_FIELDS: &[Field] = &[
    Field::new("hourly_rate", "Hourly rate", Kind::Money),
    Field::new("contract_start_date", "Contract start", Kind::Date),
    Field::new("contract_end_date", "Contract end", Kind::Date),
];

/// List columns; each is a sort key of `list`.
pub const SORTABLE: &[&str] = &[
    "name",
    "company_name",
    "email",
    "status",
    "hourly_rate",
    "created_at",
];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clients)]
pub struct Client {
    pub id: i64,
    pub tenant_id: i64,
    #[diesel(embed)]
    pub data: ClientData,
    #[diesel(embed)]
    pub billing: BillingData,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub struct ClientData {
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
    pub lead: bool,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub struct BillingData {
    pub hourly_rate: i64,
    pub contract_start_date: Option<NaiveDate>,
    pub contract_end_date: Option<NaiveDate>,
}

impl From<&Values> for BillingData {
    fn from(v: &Values) -> Self {
        BillingData {
            hourly_rate: v.int("hourly_rate").unwrap_or(0),
            contract_start_date: v.date("contract_start_date"),
            contract_end_date: v.date("contract_end_date"),
        }
    }
}

impl From<&Values> for ClientData {
    fn from(v: &Values) -> Self {
        ClientData {
            name: v.req_text("name"),
            company_name: v.text("company_name"),
            email: v.text("email"),
            phone: v.text("phone"),
            status: v.text("status").unwrap_or_else(|| "active".into()),
            lead: v.bool("lead"),
            kind: v.text("type"),
        }
    }
}

impl Client {
    pub fn to_input(&self) -> FormInput {
        let mut f = FormInput::default();
        f.set("name", &self.data.name);
        f.set_opt("company_name", self.data.company_name.as_ref());
        f.set_opt("email", self.data.email.as_ref());
        f.set_opt("phone", self.data.phone.as_ref());
        f.set("status", &self.data.status);
        f.set_opt("type", self.data.kind.as_ref());
        f.set("hourly_rate", money::to_input(self.billing.hourly_rate));
        f.set_opt("contract_start_date", self.billing.contract_start_date);
        f.set_opt("contract_end_date", self.billing.contract_end_date);
        f.set_bool("lead", self.data.lead);
        f
    }
    pub fn archived(&self) -> bool {
        self.deleted_at.is_some()
    }
    pub fn status_label(&self) -> &'static str {
        STATUSES
            .iter()
            .find(|(v, _)| *v == self.data.status)
            .map(|(_, l)| *l)
            .unwrap_or("")
    }
}

/// The billing form's rule across fields.
pub fn check(v: &Values, errors: &mut Errors) {
    if let (Some(start), Some(end)) = (v.date("contract_start_date"), v.date("contract_end_date")) {
        if end < start {
            errors.add(
                "contract_end_date",
                "The contract cannot end before it starts.",
            );
        }
    }
}

/// The client with the proof that it belongs to the tenant (and, for a restricted user,
/// that it is one of theirs); another tenant's id is `NotFound`, exactly like a missing
/// one.
pub fn scoped(
    conn: &mut AnyConnection,
    viewer: impl Into<Viewer>,
    id: i64,
) -> QueryResult<(Client, ClientScope)> {
    let viewer = viewer.into();
    let mut query = crate::of_tenant!(clients, viewer.tenant)
        .filter(clients::id.eq(id))
        .into_boxed();
    if let Some(user) = viewer.restricted_to {
        query = query.filter(clients::id.eq_any(allowed!(user)));
    }
    let client = query.select(Client::as_select()).first(conn)?;
    Ok((client, ClientScope::checked(viewer.tenant, id)))
}

fn filtered(viewer: Viewer, q: &ListQuery) -> clients::BoxedQuery<'static, MultiBackend> {
    let mut query = crate::of_tenant!(clients, viewer.tenant).into_boxed();
    if let Some(user) = viewer.restricted_to {
        query = query.filter(clients::id.eq_any(allowed!(user)));
    }
    if !q.archived {
        query = query.filter(clients::deleted_at.is_null());
    }
    if STATUSES.iter().any(|(s, _)| *s == q.status) {
        query = query.filter(clients::status.eq(q.status.clone()));
    }
    if let Some(p) = q.pattern() {
        query = query.filter(
            lower(clients::name.nullable())
                .like(p.clone())
                .escape('\\')
                .or(lower(clients::company_name).like(p.clone()).escape('\\'))
                .or(lower(clients::email).like(p).escape('\\')),
        );
    }
    query
}

pub fn count(
    conn: &mut AnyConnection,
    viewer: impl Into<Viewer>,
    q: &ListQuery,
) -> QueryResult<i64> {
    filtered(viewer.into(), q).count().get_result(conn)
}

pub fn list(
    conn: &mut AnyConnection,
    viewer: impl Into<Viewer>,
    q: &ListQuery,
) -> QueryResult<Vec<Client>> {
    let query = filtered(viewer.into(), q);
    let query = match (q.sort.as_str(), q.desc) {
        ("company_name", false) => query.order(clients::company_name.asc()),
        ("company_name", true) => query.order(clients::company_name.desc()),
        ("email", false) => query.order(clients::email.asc()),
        ("email", true) => query.order(clients::email.desc()),
        ("status", false) => query.order(clients::status.asc()),
        ("status", true) => query.order(clients::status.desc()),
        ("hourly_rate", false) => query.order(clients::hourly_rate.asc()),
        ("hourly_rate", true) => query.order(clients::hourly_rate.desc()),
        ("created_at", false) => query.order(clients::created_at.asc()),
        ("created_at", true) => query.order(clients::created_at.desc()),
        (_, true) => query.order(clients::name.desc()),
        (_, false) => query.order(clients::name.asc()),
    };
    query
        .then_order_by(clients::id.asc())
        .limit(q.per)
        .offset(q.offset())
        .select(Client::as_select())
        .load(conn)
}

pub fn update_billing(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    billing: &BillingData,
) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(clients, cs.tenant()).filter(clients::id.eq(cs.client_id())))
        .set((billing, clients::updated_at.eq(Utc::now().naive_utc())))
        .execute(conn)
}

pub fn insert(conn: &mut AnyConnection, tenant: TenantId, data: &ClientData) -> QueryResult<i64> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(clients::table)
        .values((
            data,
            clients::tenant_id.eq(tenant.get()),
            clients::created_at.eq(now),
            clients::updated_at.eq(now),
        ))
        .returning(clients::id)
        .get_result(conn)
}

pub fn update(conn: &mut AnyConnection, cs: &ClientScope, data: &ClientData) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(clients, cs.tenant()).filter(clients::id.eq(cs.client_id())))
        .set((data, clients::updated_at.eq(Utc::now().naive_utc())))
        .execute(conn)
}

pub fn set_deleted(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(clients, cs.tenant()).filter(clients::id.eq(cs.client_id())))
        .set((
            clients::deleted_at.eq(at),
            clients::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
}

/// Every live client of the tenant as (id, name), for the admin's restriction picker.
pub fn names(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Vec<(i64, String)>> {
    crate::of_tenant!(clients, tenant)
        .filter(clients::deleted_at.is_null())
        .order(clients::name.asc())
        .select((clients::id, clients::name))
        .load(conn)
}
