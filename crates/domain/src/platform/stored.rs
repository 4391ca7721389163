//! Which stored file names a committed row holds, whatever its tenant: the start-up
//! sweep asks it of every file a dead process left under its temporary name. A stored
//! name is a random token, so the answer reveals nothing of any tenant's data.

use diesel::dsl::exists;
use diesel::prelude::*;

use crate::schema::{client_files, imports};
use mspdesk_platform::db::AnyConnection;

pub fn is_named(conn: &mut AnyConnection, stored: &str) -> QueryResult<bool> {
    let file = diesel::select(exists(
        client_files::table.filter(client_files::file_path.eq(stored)),
    ))
    .get_result::<bool>(conn)?;
    if file {
        return Ok(true);
    }
    diesel::select(exists(
        imports::table.filter(imports::stored_name.eq(stored)),
    ))
    .get_result(conn)
}

/// Every stored file a committed row names, with the size the row gives when it gives
/// one (a restore checks that each is there, whole).
pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<(String, Option<i64>)>> {
    let mut named: Vec<(String, Option<i64>)> = client_files::table
        .select((client_files::file_path, client_files::file_size.nullable()))
        .load(conn)?;
    let kept: Vec<String> = imports::table.select(imports::stored_name).load(conn)?;
    named.extend(kept.into_iter().map(|n| (n, None)));
    Ok(named)
}
