//! Tenants (MSPs, the `companies` table) and the CLI's way to create one.

use chrono::Utc;
use diesel::prelude::*;

use crate::domain::schema::companies;
use crate::domain::scope::TenantId;
use crate::domain::tenancy::users;
use crate::domain::tenancy::users::Role;
use crate::platform::db::AnyConnection;

pub fn create(conn: &mut AnyConnection, name: &str, email: Option<&str>) -> QueryResult<TenantId> {
    let now = Utc::now().naive_utc();
    let id: i64 = diesel::insert_into(companies::table)
        .values((
            companies::name.eq(name),
            companies::email.eq(email),
            companies::created_at.eq(now),
            companies::updated_at.eq(now),
        ))
        .returning(companies::id)
        .get_result(conn)?;
    Ok(TenantId::trusted(id))
}

pub fn count(conn: &mut AnyConnection) -> QueryResult<i64> {
    companies::table.count().get_result(conn)
}

/// Looks a tenant up for the CLI (the operator names it by id).
pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<TenantId>> {
    companies::table
        .filter(companies::id.eq(id))
        .select(companies::id)
        .first::<i64>(conn)
        .optional()
        .map(|o| o.map(TenantId::trusted))
}

/// A tenant with its first admin, in one transaction.
pub fn create_with_admin(
    conn: &mut AnyConnection,
    name: &str,
    admin_email: &str,
    password_hash: &str,
) -> QueryResult<(TenantId, i64)> {
    conn.transaction(|conn| {
        let tenant = create(conn, name, Some(admin_email))?;
        let uid = users::create(
            conn,
            tenant,
            "Administrator",
            admin_email,
            password_hash,
            Role::Admin,
        )?;
        Ok((tenant, uid))
    })
}

/// The settings an admin edits.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Settings {
    /// Mills per mile.
    pub mileage_rate: i64,
    /// Modules switched off (their slugs).
    pub disabled: Vec<String>,
    /// Every reveal of a secret must give a reason.
    pub reveal_reason_required: bool,
    /// What printed invoices and statements say of the tenant.
    pub billing_address: String,
    pub tax_id: String,
    /// Invoice references are the prefix, the year and the number (`INV-2026-1042`).
    pub invoice_prefix: String,
    /// Who must sign in with a second factor (`two_factor::Required`).
    pub require_2fa: i32,
}

pub fn settings(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Settings> {
    type Row = (
        i64,
        String,
        bool,
        Option<String>,
        Option<String>,
        String,
        i32,
    );
    let (rate, disabled, reason, address, tax_id, prefix, require_2fa): Row = companies::table
        .find(tenant.get())
        .select((
            companies::mileage_rate,
            companies::disabled_features,
            companies::reveal_reason_required,
            companies::billing_address,
            companies::tax_id,
            companies::invoice_prefix,
            companies::require_2fa,
        ))
        .first(conn)?;
    Ok(Settings {
        mileage_rate: rate,
        disabled: serde_json::from_str(&disabled).unwrap_or_default(),
        reveal_reason_required: reason,
        billing_address: address.unwrap_or_default(),
        tax_id: tax_id.unwrap_or_default(),
        invoice_prefix: prefix,
        require_2fa,
    })
}

pub fn update_settings(
    conn: &mut AnyConnection,
    tenant: TenantId,
    s: &Settings,
) -> QueryResult<usize> {
    diesel::update(companies::table.find(tenant.get()))
        .set((
            companies::mileage_rate.eq(s.mileage_rate),
            companies::disabled_features
                .eq(serde_json::to_string(&s.disabled).unwrap_or_else(|_| "[]".into())),
            companies::reveal_reason_required.eq(s.reveal_reason_required),
            companies::billing_address.eq(Some(s.billing_address.trim()).filter(|a| !a.is_empty())),
            companies::tax_id.eq(Some(s.tax_id.trim()).filter(|a| !a.is_empty())),
            companies::invoice_prefix.eq(s.invoice_prefix.trim()),
            companies::require_2fa.eq(s.require_2fa),
            companies::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
}

pub fn name(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<String> {
    companies::table
        .find(tenant.get())
        .select(companies::name)
        .first(conn)
}
