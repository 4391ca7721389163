//! Options for reference fields: the live records of the same client (users: of the
//! same tenant who may open this client). One query per kind a resource uses, whatever the number of rows.

use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::forms::{Field, Kind, RefKind, RefOptions};
use crate::schema::{
    assets, client_contacts, client_files, client_locations, client_networks, client_racks,
    projects,
};
use crate::scope::ClientScope;
use crate::tenancy::users;
use mspdesk_platform::db::AnyConnection;

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
        macro_rules! live_names {
            ($t:ident) => {
                $crate::of_client!($t, cs)
                    .filter($t::deleted_at.is_null())
                    .order($t::name.asc())
                    .select(($t::id, $t::name))
                    .load(conn)?
            };
        }
        let options = match kind {
            RefKind::Contact => live_names!(client_contacts),
            RefKind::Location => live_names!(client_locations),
            RefKind::Asset => live_names!(assets),
            RefKind::Network => live_names!(client_networks),
            RefKind::Rack => live_names!(client_racks),
            RefKind::Project => live_names!(projects),
            RefKind::File => live_names!(client_files),
            RefKind::User => users::technicians(conn, cs)?,
        };
        out.0.insert(kind, options);
    }
    Ok(out)
}

/// Every record's name by id, per kind of reference, across the whole tenant (archived
/// ones too): the tenant export writes references as names.
pub fn tenant_names(
    conn: &mut AnyConnection,
    tenant: crate::scope::TenantId,
) -> QueryResult<std::collections::HashMap<RefKind, std::collections::HashMap<i64, String>>> {
    use crate::schema::users;
    let mut out = std::collections::HashMap::new();
    macro_rules! names {
        ($t:ident) => {
            $crate::of_tenant!($t, tenant)
                .select(($t::id, $t::name))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .collect()
        };
    }
    out.insert(RefKind::Contact, names!(client_contacts));
    out.insert(RefKind::Location, names!(client_locations));
    out.insert(RefKind::Asset, names!(assets));
    out.insert(RefKind::Network, names!(client_networks));
    out.insert(RefKind::Rack, names!(client_racks));
    out.insert(RefKind::Project, names!(projects));
    out.insert(RefKind::File, names!(client_files));
    out.insert(RefKind::User, names!(users));
    Ok(out)
}
