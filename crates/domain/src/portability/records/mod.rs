//! What a tenant export carries beyond the sheets, for the import to restore: every
//! table of the tenant's data that no sheet holds whole — people, stored files, the
//! service desk's replies, the finance documents, earlier secret values, numbering —
//! and the columns of the sheets' records that no form writes (when a record was made
//! and archived, a ticket's number and status). Each table is one JSON Lines file
//! (`records/<table>.jsonl`, an object a row), its columns declared here with their
//! kind, so the same declaration drives the export, the restore's conversions and its
//! id mapping. Values are written the same way from either database.

mod tables;

use tables::Kind::{Bool, Date, Sealed, Time};
use tables::SETTINGS_TABLE;
pub use tables::*;

use std::io::Write;

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::{Map, Value};

use crate::error::AppResult;
use crate::scope::TenantId;
use mspdesk_platform::db::AnyConnection;

/// The file of a table in the export.
pub(crate) fn file_of(table: &str) -> String {
    format!("records/{table}.jsonl")
}

#[derive(QueryableByName)]
struct Text1 {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Rows are read a page at a time.
const PAGE: i64 = 2_000;

/// Opens a sealed value of a row (the row, the column), or gives null.
pub type Opener<'a> = dyn FnMut(&Map<String, Value>, &str) -> AppResult<Value> + 'a;

/// Writes the tenant's rows of `table` as JSON Lines to `out`, in id order, each value
/// in the export's own form (`canonical`); a sealed value is given to `open` (which
/// returns it opened, or null when secrets are not exported). Returns the row count.
pub fn write(
    conn: &mut AnyConnection,
    tenant: TenantId,
    table: &Table,
    out: &mut dyn Write,
    open: &mut Opener,
) -> AppResult<usize> {
    let mut names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    if table.has_id {
        names.insert(0, "id");
    }
    let pairs = names
        .iter()
        .map(|n| format!("'{n}', \"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let object = match conn {
        AnyConnection::Postgresql(_) => format!("json_build_object({pairs})::text"),
        AnyConnection::Sqlite(_) => format!("json_object({pairs})"),
    };
    // Tables with ids are read a page at a time; the few without (a tenant's settings
    // row, its counters, its users' client lists) at once.
    let paged = table.has_id;
    let filter = match (table.name, paged) {
        (SETTINGS_TABLE, _) => "id = $1",
        (_, true) => "tenant_id = $1 AND id > $2",
        (_, false) => "tenant_id = $1",
    };
    let mut after = 0;
    let mut count = 0;
    loop {
        let sql = format!(
            "SELECT {object} AS value FROM {} WHERE {filter} ORDER BY {}",
            table.name,
            if paged {
                format!("id LIMIT {PAGE}")
            } else {
                "1".into()
            }
        );
        let rows: Vec<Text1> = if paged {
            crate::with_backend!(conn, |c| diesel::sql_query(&sql)
                .bind::<BigInt, _>(tenant.get())
                .bind::<BigInt, _>(after)
                .load::<Text1>(c))?
        } else {
            crate::with_backend!(conn, |c| diesel::sql_query(&sql)
                .bind::<BigInt, _>(tenant.get())
                .load::<Text1>(c))?
        };
        let done = !paged || (rows.len() as i64) < PAGE;
        for row in rows {
            let raw: Map<String, Value> = serde_json::from_str(&row.value)
                .map_err(|e| crate::error::AppError::Internal(format!("{}: {e}", table.name)))?;
            if let Some(id) = raw.get("id").and_then(Value::as_i64) {
                after = id;
            }
            let mut line = Map::new();
            if let Some(id) = raw.get("id") {
                line.insert("id".into(), id.clone());
            }
            for col in table.columns {
                let v = raw.get(col.name).cloned().unwrap_or(Value::Null);
                let v = match col.kind {
                    Sealed if !v.is_null() => open(&raw, col.name)?,
                    kind => canonical(kind, v),
                };
                line.insert(col.name.into(), v);
            }
            serde_json::to_writer(&mut *out, &line)
                .and_then(|()| out.write_all(b"\n").map_err(serde_json::Error::io))
                .map_err(|e| {
                    crate::error::AppError::Internal(format!("writing the export: {e}"))
                })?;
            count += 1;
        }
        if done {
            return Ok(count);
        }
    }
}

/// A value in the export's form, whichever database it came from: booleans as
/// booleans (SQLite has 0 and 1), times as `YYYY-MM-DDTHH:MM:SS` with the fraction the
/// database kept (the two write them differently), dates as `YYYY-MM-DD`.
pub fn canonical(kind: Kind, v: Value) -> Value {
    match (kind, v) {
        (_, Value::Null) => Value::Null,
        (Bool, Value::Number(n)) => Value::Bool(n.as_i64() != Some(0)),
        (Time, Value::String(s)) => match parse_time(&s) {
            Some(t) => Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()),
            None => Value::String(s),
        },
        (Date, Value::String(s)) => Value::String(s.get(..10).unwrap_or(&s).to_string()),
        (_, v) => v,
    }
}

/// A time as either database or the export writes it.
pub fn parse_time(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim().replacen(' ', "T", 1);
    let s = s.trim_end_matches('Z');
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
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
pub(crate) fn entry_name(id: i64, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("files/{id}-{}", name.trim_start_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_stay_in_their_folder() {
        assert_eq!(entry_name(7, "invoice.pdf"), "files/7-invoice.pdf");
        assert_eq!(entry_name(7, "../../etc/passwd"), "files/7-_.._etc_passwd");
        assert_eq!(entry_name(7, "a\nb"), "files/7-a_b");
    }

    #[test]
    fn values_read_the_same_from_either_database() {
        use serde_json::json;
        assert_eq!(canonical(Bool, json!(1)), json!(true));
        assert_eq!(canonical(Bool, json!(false)), json!(false));
        assert_eq!(
            canonical(Time, json!("2026-12-01 10:00:00")),
            json!("2026-12-01T10:00:00")
        );
        assert_eq!(
            canonical(Time, json!("2026-12-01T10:00:00.123456")),
            json!("2026-12-01T10:00:00.123456")
        );
        assert_eq!(canonical(Date, json!("2026-12-01")), json!("2026-12-01"));
    }
}
