//! Options for reference fields: the live records of the same client (users: of the
//! same tenant). One query per kind a resource uses, whatever the number of rows.

use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::db::schema::{assets, client_contacts, client_locations};
use crate::db::AnyConnection;
use crate::forms::{Field, Kind, RefKind, RefOptions};
use crate::scope::ClientScope;
use crate::users;

pub fn load(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    fields: &[Field],
) -> QueryResult<RefOptions> {
    let kinds: BTreeSet<RefKind> = fields
        .iter()
        .filter_map(|f| match f.kind {
            Kind::Ref(k) => Some(k),
            _ => None,
        })
        .collect();
    let mut out = RefOptions::default();
    for kind in kinds {
        let options = match kind {
            RefKind::Contact => client_contacts::table
                .filter(client_contacts::tenant_id.eq(cs.tenant_id()))
                .filter(client_contacts::client_id.eq(cs.client_id()))
                .filter(client_contacts::deleted_at.is_null())
                .order(client_contacts::name.asc())
                .select((client_contacts::id, client_contacts::name))
                .load(conn)?,
            RefKind::Location => client_locations::table
                .filter(client_locations::tenant_id.eq(cs.tenant_id()))
                .filter(client_locations::client_id.eq(cs.client_id()))
                .filter(client_locations::deleted_at.is_null())
                .order(client_locations::name.asc())
                .select((client_locations::id, client_locations::name))
                .load(conn)?,
            RefKind::Asset => assets::table
                .filter(assets::tenant_id.eq(cs.tenant_id()))
                .filter(assets::client_id.eq(cs.client_id()))
                .filter(assets::deleted_at.is_null())
                .order(assets::name.asc())
                .select((assets::id, assets::name))
                .load(conn)?,
            RefKind::User => users::names(conn, cs.tenant())?,
        };
        out.0.insert(kind, options);
    }
    Ok(out)
}
