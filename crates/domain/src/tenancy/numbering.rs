//! Per-tenant sequences: ticket numbers, invoice numbers (quotes will use the same). The
//! next number is taken by one UPDATE … RETURNING inside the creating transaction: on
//! PostgreSQL the counter row stays locked until that transaction ends, on SQLite the
//! write transaction holds the database, so two creations never get the same number,
//! and a rolled-back one gives its number back before anyone else could see it.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::schema::counters;
use crate::scope::TenantId;
use mspdesk_platform::db::AnyConnection;

/// The first number a tenant's sequence gives is `START + 1`.
pub const START: i64 = 1000;

pub fn next(conn: &mut AnyConnection, tenant: TenantId, name: &str) -> QueryResult<i64> {
    if let Some(n) = bump(conn, tenant, name)? {
        return Ok(n);
    }
    // The tenant's first: create the row (in a savepoint, so that losing the race to
    // a concurrent first leaves this transaction usable), then take the next number.
    let created = conn.transaction(|conn| {
        diesel::insert_into(counters::table)
            .values((
                counters::tenant_id.eq(tenant.get()),
                counters::name.eq(name),
                counters::last.eq(START),
            ))
            .execute(conn)
    });
    match created {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e),
    }
    bump(conn, tenant, name)?.ok_or(diesel::result::Error::NotFound)
}

fn bump(conn: &mut AnyConnection, tenant: TenantId, name: &str) -> QueryResult<Option<i64>> {
    diesel::update(crate::of_tenant!(counters, tenant).filter(counters::name.eq(name)))
        .set(counters::last.eq(counters::last + 1))
        .returning(counters::last)
        .get_result(conn)
        .optional()
}
