//! Clients of a tenant: the row, the form's fields and rules, and the scoped queries.

pub mod service;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, Values};
use crate::list::ListQuery;
use crate::schema::clients;
use crate::scope::{ClientId, ClientScope, TenantId, Viewer};
use mspdesk_platform::db::{lower, AnyConnection, MultiBackend};

pub const STATUSES: &[(&str, &str)] = &[
    ("active", "Active"),
    ("prospect", "Prospect"),
    ("on_hold", "On hold"),
    ("inactive", "Inactive"),
    ("former", "Former"),
];

crate::form_record! {
    /// What technicians and admins edit.
    pub struct ClientData for clients as field {
        name: String = Field::text("name", "Name").required(),
        company_name: Option<String> = Field::text("company_name", "Company name"),
        email: Option<String> = Field::new("email", "E-mail", Kind::Email),
        phone: Option<String> = Field::new("phone", "Phone", Kind::Phone),
        status: String = Field::new("status", "Status", Kind::Choice(STATUSES)).required(),
        kind: Option<String> = Field::text("type", "Type").help("Managed, break-fix, project…"),
        lead: bool = Field::new("lead", "Lead", Kind::Bool).help("Not yet a customer"),
        alert: Option<String> = Field::text("alert", "Alert").max_len(500)
            .help("Shown at the top of every page of this client: what everyone must know first"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::Markdown),
    }
}

crate::form_record! {
    /// The billing fields: accountants and admins see and edit them, technicians do not.
    pub struct BillingData for clients as billing_field {
        hourly_rate: i64 = Field::new("hourly_rate", "Hourly rate", Kind::Money),
        contract_start_date: Option<NaiveDate> = Field::new("contract_start_date", "Contract start", Kind::Date),
        contract_end_date: Option<NaiveDate> = Field::new("contract_end_date", "Contract end", Kind::Date),
        net_terms: i32 = Field::new("net_terms", "Net terms (days)", Kind::Integer { min: 0, max: 365 })
            .required()
            .help("Days from an invoice's date to its due date"),
        currency: String = Field::new("currency", "Currency", Kind::Choice(crate::currency::CHOICES))
            .required()
            .help("New invoices, quotes and recurring invoices are in this currency"),
    }
}

impl Default for BillingData {
    /// A new client's: the columns' defaults.
    fn default() -> Self {
        BillingData {
            hourly_rate: 0,
            contract_start_date: None,
            contract_end_date: None,
            net_terms: 30,
            currency: "USD".into(),
        }
    }
}

/// What technicians and admins edit.
pub const FIELDS: &[Field] = &[
    field::name,
    field::company_name,
    field::email,
    field::phone,
    field::status,
    field::kind,
    field::lead,
    field::alert,
    field::notes,
];

/// The billing fields: accountants and admins see and edit them, technicians do not.
pub const BILLING_FIELDS: &[Field] = &[
    billing_field::hourly_rate,
    billing_field::contract_start_date,
    billing_field::contract_end_date,
    billing_field::net_terms,
    billing_field::currency,
];

/// List columns; each is a sort key of `list`.
pub const SORTABLE: &[&str] = &[
    field::name.name,
    field::company_name.name,
    field::email.name,
    field::status.name,
    billing_field::hourly_rate.name,
    "created_at",
];

/// The sort keys `role` may order clients by: a technician does not see billing, so
/// not by the rate either (the order alone would tell every client's rate).
pub fn sortable_for(role: crate::policy::Role) -> Vec<&'static str> {
    let billing = crate::policy::sees_money(role);
    SORTABLE
        .iter()
        .copied()
        .filter(|s| billing || !BILLING_FIELDS.iter().any(|f| f.name == *s))
        .collect()
}

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

impl Client {
    pub fn to_input(&self) -> FormInput {
        let mut f = FormInput::default();
        self.data.show(&mut f);
        self.billing.show(&mut f);
        f
    }
    pub fn archived(&self) -> bool {
        self.deleted_at.is_some()
    }
    pub fn status_label(&self) -> &'static str {
        crate::forms::choice_label(STATUSES, &self.data.status)
    }
}

/// The billing form's rule across fields.
pub fn check(v: &Values, errors: &mut Errors) {
    if let (Some(start), Some(end)) = (
        v.date(billing_field::contract_start_date.name),
        v.date(billing_field::contract_end_date.name),
    ) && end < start
    {
        errors.add(
            billing_field::contract_end_date.name,
            "The contract cannot end before it starts.",
        );
    }
}

/// The client with the proof that it belongs to the tenant (and, for a restricted user,
/// that it is one of theirs); another tenant's id is `NotFound`, exactly like a missing
/// one.
pub fn scoped(
    conn: &mut AnyConnection,
    viewer: impl Into<Viewer>,
    id: ClientId,
) -> QueryResult<(Client, ClientScope)> {
    let (viewer, id) = (viewer.into(), id.0);
    let query = crate::of_tenant!(clients, viewer.tenant)
        .filter(clients::id.eq(id))
        .into_boxed();
    let query = crate::only_allowed!(query, viewer, clients::id);
    let client = query
        .select(Client::as_select())
        .load(conn)
        .map(mspdesk_platform::db::only)?
        .ok_or(diesel::result::Error::NotFound)?;
    Ok((client, ClientScope::checked(viewer, id)))
}

fn filtered(viewer: Viewer, q: &ListQuery) -> clients::BoxedQuery<'static, MultiBackend> {
    let query = crate::of_tenant!(clients, viewer.tenant).into_boxed();
    let mut query = crate::only_allowed!(query, viewer, clients::id);
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
    // Ties break in the sort's direction, so one index (tenant, column, id) read
    // forwards or backwards serves the whole order.
    let query = if q.desc {
        query.then_order_by(clients::id.desc())
    } else {
        query.then_order_by(clients::id.asc())
    };
    query
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
        .set((billing, clients::updated_at.eq(cs.now())))
        .execute(conn)
}

pub fn insert(
    conn: &mut AnyConnection,
    tenant: TenantId,
    data: &ClientData,
    now: NaiveDateTime,
) -> QueryResult<i64> {
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
        .set((data, clients::updated_at.eq(cs.now())))
        .execute(conn)
}

pub(crate) fn set_deleted(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(clients, cs.tenant()).filter(clients::id.eq(cs.client_id())))
        .set((clients::deleted_at.eq(at), clients::updated_at.eq(cs.now())))
        .execute(conn)
}

/// Every client of the tenant, archived ones too, in id order (the tenant export).
pub(crate) fn all_of_tenant(
    conn: &mut AnyConnection,
    tenant: TenantId,
) -> QueryResult<Vec<Client>> {
    crate::of_tenant!(clients, tenant)
        .order(clients::id.asc())
        .select(Client::as_select())
        .load(conn)
}

pub fn names(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Vec<(i64, String)>> {
    crate::of_tenant!(clients, tenant)
        .filter(clients::deleted_at.is_null())
        .order(clients::name.asc())
        .select((clients::id, clients::name))
        .load(conn)
}

/// Every client of the tenant, archived ones too, as (id, name, archived), by id (an
/// import matches a row to one by name).
pub(crate) fn names_with_archived(
    conn: &mut AnyConnection,
    tenant: TenantId,
) -> QueryResult<Vec<(i64, String, bool)>> {
    let rows: Vec<(i64, String, Option<chrono::NaiveDateTime>)> =
        crate::of_tenant!(clients, tenant)
            .order(clients::id.asc())
            .select((clients::id, clients::name, clients::deleted_at))
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, deleted)| (id, name, deleted.is_some()))
        .collect())
}

/// The tenant's clients among `ids` (archived ones too) as (id, name), by name: the
/// names a page shows for the ids it holds, and the check that chosen ids are this
/// tenant's own.
pub fn named(
    conn: &mut AnyConnection,
    tenant: TenantId,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = Vec::with_capacity(ids.len());
    // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
    for chunk in ids.chunks(10_000) {
        out.extend(
            crate::of_tenant!(clients, tenant)
                .filter(clients::id.eq_any(chunk))
                .select((clients::id, clients::name))
                .load::<(i64, String)>(conn)?,
        );
    }
    out.sort_by_key(|a| a.1.to_lowercase());
    Ok(out)
}

/// The live clients a typed name finds, as (id, name): those whose name, company or
/// e-mail contains it, at most `limit`, by name — with the client whose whole name it is
/// (case aside) first, even past the limit. `the_one` picks the client it names.
pub fn matching(
    conn: &mut AnyConnection,
    viewer: impl Into<Viewer>,
    text: &str,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    let viewer = viewer.into();
    let text = text.trim();
    if text.is_empty() {
        return Ok(vec![]);
    }
    let exact = crate::of_tenant!(clients, viewer.tenant)
        .filter(clients::deleted_at.is_null())
        .filter(lower(clients::name.nullable()).eq(text.to_lowercase()))
        .into_boxed();
    let mut found: Vec<(i64, String)> = crate::only_allowed!(exact, viewer, clients::id)
        .order(clients::id.asc())
        .limit(2)
        .select((clients::id, clients::name))
        .load(conn)?;
    if found.len() > 1 {
        // Two clients of that very name: neither is "the" one.
        found.clear();
    }
    let params = crate::list::ListParams {
        q: Some(text.to_string()),
        ..Default::default()
    };
    let mut q = params.normalize(SORTABLE);
    q.per = limit;
    for c in list(conn, viewer, &q)? {
        if found.first().is_none_or(|f| f.0 != c.id) {
            found.push((c.id, c.data.name));
        }
    }
    Ok(found)
}

/// The one client `matching` found for `text`: the one of that name, or the only match.
pub fn the_one<'a>(found: &'a [(i64, String)], text: &str) -> Option<&'a (i64, String)> {
    match found {
        [one] => Some(one),
        [first, ..] if first.1.to_lowercase() == text.trim().to_lowercase() => Some(first),
        _ => None,
    }
}
