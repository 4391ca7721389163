//! The writes of every resource, each inside the caller's transaction (`Db::tx`): the
//! exclusive flag moves from one row to another atomically, and a secret is sealed
//! with its row id in the same transaction that creates the row.

use diesel::QueryResult;

use super::{secret_fields, Resource};
use crate::forms::Values;
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::{SecretRef, Vault};

pub fn create<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    v: &Values,
    vault: &Vault,
) -> QueryResult<i64> {
    if R::EXCLUSIVE.is_some_and(|f| v.bool(f)) {
        R::clear_exclusive(conn, cs, None)?;
    }
    let id = R::insert(conn, cs, v)?;
    R::created(conn, cs, id)?;
    seal_secrets::<R>(conn, cs, id, v, vault)?;
    Ok(id)
}

/// Whether `create` of these values may join others in `create_many`: the resource
/// allows it for them, and no secret is to be sealed and no exclusive flag moved (both
/// need the row's own id or the rows before it).
pub(crate) fn batchable<R: Resource>(v: &Values) -> bool {
    R::insert_in_bulk(v)
        && !R::EXCLUSIVE.is_some_and(|f| v.bool(f))
        && secret_fields::<R>().all(|f| v.text(f.name).is_none())
}

/// New rows that are each `batchable`, in one statement; their ids in `rows`' order.
pub(crate) fn create_many<R: Resource>(
    conn: &mut AnyConnection,
    rows: &[(ClientScope, Values)],
) -> QueryResult<Vec<i64>> {
    debug_assert!(rows.iter().all(|(_, v)| batchable::<R>(v)));
    R::insert_many(conn, rows)
}

pub fn update<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
    v: &Values,
    vault: &Vault,
) -> QueryResult<()> {
    if R::EXCLUSIVE.is_some_and(|f| v.bool(f)) {
        R::clear_exclusive(conn, cs, Some(id))?;
    }
    found(R::update(conn, cs, id, v)?)?;
    seal_secrets::<R>(conn, cs, id, v, vault)
}

/// A secret given in the form replaces the stored one; a blank one keeps it.
fn seal_secrets<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
    v: &Values,
    vault: &Vault,
) -> QueryResult<()> {
    for f in secret_fields::<R>() {
        if let Some(plain) = v.text(f.name) {
            let at = secret_ref::<R>(cs, id, f.name);
            if let Some(old) = R::read_secret(conn, cs, id, f.name)? {
                super::history::keep(conn, cs, at, &old, vault)?;
            }
            let sealed = vault.seal(at, &plain);
            R::write_secret(conn, cs, id, f.name, &sealed)?;
        }
    }
    Ok(())
}

pub fn secret_ref<'a, R: Resource>(cs: &ClientScope, id: i64, field: &'a str) -> SecretRef<'a> {
    SecretRef {
        tenant_id: cs.tenant_id(),
        table: R::TABLE,
        column: field,
        row_id: id,
    }
}

/// Archives (`true`) or restores a row of the client; a row that is not there is
/// `NotFound`, told by the update itself rather than by a separate lookup.
pub fn set_archived<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
    archive: bool,
) -> QueryResult<()> {
    let at = archive.then(|| cs.now());
    found(R::set_deleted(conn, cs, id, at)?)
}

/// An update that touched no row means the row is not in the client's scope.
fn found(rows: usize) -> QueryResult<()> {
    if rows == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}
