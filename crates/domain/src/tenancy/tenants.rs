//! Tenants (MSPs, the `companies` table) and the CLI's way to create one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::policy::Role;
use crate::schema::companies;
use crate::scope::TenantId;
use crate::tenancy::users;
use mspdesk_platform::db::AnyConnection;

pub fn create(
    conn: &mut AnyConnection,
    name: &str,
    email: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<TenantId> {
    let code = free_code(conn, &code_from_name(name))?;
    let id: i64 = diesel::insert_into(companies::table)
        .values((
            companies::name.eq(name),
            companies::email.eq(email),
            companies::sign_in_code.eq(code),
            companies::created_at.eq(now),
            companies::updated_at.eq(now),
        ))
        .returning(companies::id)
        .get_result(conn)?;
    Ok(TenantId::trusted(id))
}

/// The longest sign-in code.
pub const MAX_CODE: usize = 40;

/// A sign-in code made from a tenant's name: its words in lower-case ASCII letters and
/// digits, joined by hyphens ("Alpha IT" → "alpha-it"); "team" when nothing is left.
/// Room is kept for a "-N" suffix when the code is taken.
pub fn code_from_name(name: &str) -> String {
    let mut code = String::new();
    for word in name
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '.' || c == '&')
    {
        let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() || code.len() + word.len() + 1 > MAX_CODE - 4 {
            continue;
        }
        if !code.is_empty() {
            code.push('-');
        }
        code.push_str(&word);
    }
    if code.is_empty() {
        code.push_str("team");
    }
    code
}

/// `base`, or `base-2`, `base-3`… — the first no tenant has.
fn free_code(conn: &mut AnyConnection, base: &str) -> QueryResult<String> {
    let taken: Vec<String> = companies::table
        .filter(companies::sign_in_code.like(format!("{base}%")))
        .select(companies::sign_in_code)
        .load(conn)?;
    // Of `taken.len() + 1` candidates at least one is free.
    let free = (1..=taken.len() + 1)
        .map(|n| match n {
            1 => base.to_string(),
            n => format!("{base}-{n}"),
        })
        .find(|c| !taken.contains(c));
    Ok(free.unwrap_or_else(|| format!("{base}-{}", taken.len() + 2)))
}

/// The code a tenant's people sign in with.
pub fn sign_in_code(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<String> {
    companies::table
        .find(tenant.get())
        .select(companies::sign_in_code)
        .first(conn)
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
    now: NaiveDateTime,
) -> QueryResult<(TenantId, i64)> {
    conn.transaction(|conn| {
        let tenant = create(conn, name, Some(admin_email), now)?;
        let uid = users::create(
            conn,
            tenant,
            "Administrator",
            admin_email,
            password_hash,
            Role::Admin,
            now,
        )?;
        Ok((tenant, uid))
    })
}

/// Whether the tenant still answers a public token (a share link, a calendar feed) for
/// `module`: it is not suspended and has not switched the module off. A token obeys
/// both as it obeys its own revocation.
pub fn serves(conn: &mut AnyConnection, tenant: TenantId, module: &str) -> QueryResult<bool> {
    let row: Option<(bool, String)> = companies::table
        .find(tenant.get())
        .select((
            companies::suspended_at.is_null(),
            companies::disabled_features,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)?;
    Ok(row.is_some_and(|(live, disabled)| {
        live && !serde_json::from_str::<Vec<String>>(&disabled)
            .unwrap_or_default()
            .iter()
            .any(|m| m == module)
    }))
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
    now: NaiveDateTime,
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
            companies::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn name(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<String> {
    companies::table
        .find(tenant.get())
        .select(companies::name)
        .first(conn)
}

#[cfg(test)]
mod tests {
    use super::code_from_name;

    #[test]
    fn codes_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(code_from_name("Alpha IT"), "alpha-it");
        assert_eq!(
            code_from_name("Müller & Söhne, IT-Service"),
            "mller-shne-it-service"
        );
        assert_eq!(code_from_name("株式会社"), "team");
        assert!(code_from_name(&"word ".repeat(40)).len() <= super::MAX_CODE - 4);
    }
}
