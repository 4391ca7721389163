//! What a tenant export carries beyond the sheets the importer reads back: the
//! finance documents, ticket replies and stored files' details as JSON (every column,
//! one array a table), and the stored files themselves. An MSP leaving takes all of
//! its data; the importer does not write these back (yet), and says so by ignoring
//! them.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::domain::scope::TenantId;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;

/// Tenant tables exported as JSON only. None of them holds a sealed secret.
pub const TABLES: &[&str] = &[
    "ticket_replies",
    "invoices",
    "quotes",
    "billing_lines",
    "recurring_invoices",
    "payments",
    "client_files",
];

#[derive(QueryableByName)]
struct Text1 {
    #[diesel(sql_type = Text)]
    value: String,
}

/// The tenant's rows of `table` (one of `TABLES`) as a JSON array, in id order.
pub fn json_rows(conn: &mut AnyConnection, tenant: TenantId, table: &str) -> AppResult<String> {
    debug_assert!(TABLES.contains(&table));
    let sql = match conn {
        AnyConnection::Postgresql(_) => format!(
            "SELECT coalesce(json_agg(t ORDER BY t.id), '[]')::text AS value \
             FROM {table} t WHERE t.tenant_id = $1"
        ),
        AnyConnection::Sqlite(_) => {
            // SQLite has no row-to-JSON: the object is spelled out from the columns.
            let columns = diesel::sql_query(format!(
                "SELECT name AS value FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .load::<Text1>(conn)?;
            let pairs = columns
                .iter()
                .map(|c| format!("'{0}', t.\"{0}\"", c.value))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "SELECT coalesce(json_group_array(json(o)), '[]') AS value FROM \
                 (SELECT json_object({pairs}) AS o FROM {table} t WHERE t.tenant_id = $1 ORDER BY t.id)"
            )
        }
    };
    let out = crate::with_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<BigInt, _>(tenant.get())
        .get_result::<Text1>(c))?;
    Ok(out.value)
}

/// A stored file of the tenant: its id, name and where the storage keeps it.
#[derive(QueryableByName)]
pub struct Stored {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub file_path: String,
}

/// Every stored file of the tenant (archived ones too), in id order.
pub fn stored_files(conn: &mut AnyConnection, tenant: TenantId) -> AppResult<Vec<Stored>> {
    let sql = "SELECT id, name, file_path FROM client_files WHERE tenant_id = $1 ORDER BY id";
    Ok(crate::with_backend!(conn, |c| diesel::sql_query(sql)
        .bind::<BigInt, _>(tenant.get())
        .load::<Stored>(c))?)
}

/// The name a stored file has in the archive: `files/{id}-{name}`, the name reduced
/// to a safe file name (no folders, no control characters).
pub fn entry_name(file: &Stored) -> String {
    let name: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("files/{}-{}", file.id, name.trim_start_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_stay_in_their_folder() {
        let f = |name: &str| Stored {
            id: 7,
            name: name.into(),
            file_path: String::new(),
        };
        assert_eq!(entry_name(&f("invoice.pdf")), "files/7-invoice.pdf");
        assert_eq!(entry_name(&f("../../etc/passwd")), "files/7-_.._etc_passwd");
        assert_eq!(entry_name(&f("a\nb")), "files/7-a_b");
    }
}
