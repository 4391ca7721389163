//! The clients a user opened lately, for the home page. Recorded when the client's
//! overview is shown; read through the viewer's scope, so a client the user has since
//! lost access to drops out.

use diesel::prelude::*;

use crate::schema::{clients, user_recent_clients as r};
use crate::scope::{ClientScope, Viewer};
use mspdesk_platform::db::AnyConnection;

/// Notes that `user` opened the client now.
pub fn touch(conn: &mut AnyConnection, cs: &ClientScope, user: i64) -> QueryResult<()> {
    let now = cs.now();
    let seen = diesel::update(crate::of_client!(r, cs).filter(r::user_id.eq(user)))
        .set(r::viewed_at.eq(now))
        .execute(conn)?;
    if seen == 0 {
        // Two first views at once: the second insert meets the key and is dropped.
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(r::table)
                .values((
                    r::tenant_id.eq(cs.tenant_id()),
                    r::user_id.eq(user),
                    r::client_id.eq(cs.client_id()),
                    r::viewed_at.eq(now),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_)
            | Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The user's most recently opened live clients, as (id, name).
pub fn list(
    conn: &mut AnyConnection,
    viewer: Viewer,
    user: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    let mut q = crate::of_tenant!(r, viewer.tenant)
        .filter(r::user_id.eq(user))
        .inner_join(
            clients::table.on(clients::id
                .eq(r::client_id)
                .and(clients::tenant_id.eq(r::tenant_id))),
        )
        .filter(clients::deleted_at.is_null())
        .into_boxed();
    q = crate::only_allowed!(q, viewer, r::client_id);
    q.order(r::viewed_at.desc())
        .limit(limit)
        .select((clients::id, clients::name))
        .load(conn)
}
