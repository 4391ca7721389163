//! Earlier values of secrets: when a secret is replaced, the old one is opened and sealed
//! again under its history row, so it can still be revealed (and nothing else can).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::secret_history;
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::{SecretRef, Vault};

pub const TABLE: &str = "secret_history";

pub fn at(tenant_id: i64, id: i64) -> SecretRef<'static> {
    SecretRef {
        tenant_id,
        table: TABLE,
        column: "value",
        row_id: id,
    }
}

/// Keeps `old` (sealed under `from`) as an earlier value of the field.
pub fn keep(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    from: SecretRef<'_>,
    old: &str,
    vault: &Vault,
) -> QueryResult<()> {
    let id: i64 = diesel::insert_into(secret_history::table)
        .values((
            secret_history::tenant_id.eq(cs.tenant_id()),
            secret_history::client_id.eq(cs.client_id()),
            secret_history::entity.eq(from.table),
            secret_history::entity_id.eq(from.row_id),
            secret_history::field.eq(from.column),
            secret_history::value.eq(""),
            secret_history::created_at.eq(cs.now()),
        ))
        .returning(secret_history::id)
        .get_result(conn)?;
    // A value that no longer opens (tampered) is kept as it was: it will say so on reveal.
    let value = match vault.open_secret(from, old) {
        Ok(plain) => vault.seal(at(cs.tenant_id(), id), &plain),
        Err(_) => old.to_string(),
    };
    diesel::update(secret_history::table.find(id))
        .set(secret_history::value.eq(value))
        .execute(conn)?;
    Ok(())
}

/// (history id, field, sealed value, replaced at), newest first.
pub fn list(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    entity: &str,
    id: i64,
) -> QueryResult<Vec<(i64, String, String, NaiveDateTime)>> {
    crate::of_client!(secret_history, cs)
        .filter(secret_history::entity.eq(entity))
        .filter(secret_history::entity_id.eq(id))
        .order(secret_history::id.desc())
        .select((
            secret_history::id,
            secret_history::field,
            secret_history::value,
            secret_history::created_at,
        ))
        .load(conn)
}

/// Every earlier value of every tenant, as (row id, tenant, sealed value): `reseal` only.
pub(crate) fn all(
    conn: &mut AnyConnection,
    _every: &crate::scope::EveryTenant,
) -> QueryResult<Vec<(i64, i64, String)>> {
    secret_history::table
        .select((
            secret_history::id,
            secret_history::tenant_id,
            secret_history::value,
        ))
        .load(conn)
}

/// Replaces one earlier value's ciphertext (`reseal` only).
pub(crate) fn replace(
    conn: &mut AnyConnection,
    _every: &crate::scope::EveryTenant,
    id: i64,
    sealed: &str,
) -> QueryResult<()> {
    diesel::update(secret_history::table.find(id))
        .set(secret_history::value.eq(sealed))
        .execute(conn)
        .map(|_| ())
}
