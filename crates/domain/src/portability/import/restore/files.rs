//! Stored files: each row with its bytes from the export (`files/{id}-{name}`), the
//! size checked against them, written under a new random name — in the run's staging
//! folder until the import is kept (a dry run writes nothing). A file already here (the
//! same client, name, original name, size and time) is that file.

use std::io::Write;

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;

use super::rows::{self, Row};
use super::{line, lines, read_or_fail, Archive};
use crate::error::{AppError, AppResult};
use crate::portability::records;
use mspdesk_platform::db::sql::{Sql, Value};
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::keys::random_token;

use super::super::state::Run;
use super::super::{Action, Report};

const TABLE: &str = "client_files";

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn existing(conn: &mut AnyConnection, tenant: i64, row: &Row) -> diesel::QueryResult<Option<i64>> {
    let found: Vec<Id> = Sql::new("SELECT id FROM client_files WHERE tenant_id = ")
        .int(tenant)
        .sql(" AND client_id = ")
        .value(row.get("client_id").clone())
        .sql(" AND name = ")
        .value(row.get("name").clone())
        .sql(" AND original_name = ")
        .value(row.get("original_name").clone())
        .sql(" AND file_size = ")
        .value(row.get("file_size").clone())
        .sql(" AND created_at = ")
        .value(row.get("created_at").clone())
        .load(conn)?;
    Ok(found.first().map(|f| f.id))
}

pub(super) fn restore(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let spec = records::restored(TABLE)?;
    let tenant = run.who.tenant().get();
    for (number, raw) in lines(archive, TABLE, report) {
        let name = raw.get("name").and_then(|v| v.as_str()).unwrap_or("");
        let l = line(TABLE, number, "file", name);
        let Some((mut row, mut l)) = read_or_fail(spec, &raw, &run.ids, l, report) else {
            continue;
        };
        l.flags.extend(rows::lost_references(spec, &raw, &row));
        let source = row.source.map(|s| s.to_string());
        let here = match super::own(run, conn, TABLE, row.source)? {
            Some(id) => Some(id),
            None => existing(conn, tenant, &row)?,
        };
        if let Some(id) = here {
            run.mapped(TABLE, source.as_deref(), id, false);
            l.action = Action::Skip;
            l.reason = "Already here.".into();
            report.push(l);
            continue;
        }
        let entry = records::entry_name(row.source.unwrap_or(0), name);
        let bytes = match archive.find(&entry).map(str::to_string) {
            Some(path) => archive.read(&path).map_err(AppError::BadRequest)?,
            None => {
                l.fail("The export holds no bytes for this file (its content was missing when it was exported).");
                report.push(l);
                continue;
            }
        };
        if row.int("file_size") != Some(bytes.len() as i64) {
            l.flags.push(format!(
                "Its size was given as {} bytes; the export holds {}.",
                row.int("file_size").unwrap_or(0),
                bytes.len()
            ));
            row.set("file_size", Value::Int(Some(bytes.len() as i64)));
        }
        let stored = random_token(16);
        if run.writes_files {
            let written = run.staging.join(&stored);
            let wrote = std::fs::create_dir_all(&run.staging).and_then(|()| {
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                options.open(&written)?.write_all(&bytes)
            });
            wrote.map_err(|e| AppError::Internal(format!("restoring a file: {e}")))?;
            run.new_files
                .push((written, run.ctx.files_dir.join(&stored)));
        }
        row.set("file_path", Value::Text(Some(stored)));
        let id = rows::insert(conn, TABLE, tenant, &row, true)?.unwrap_or_default();
        run.mapped(TABLE, source.as_deref(), id, true);
        report.push(l);
    }
    // The reference lists read so far do not name the files just made (a receipt).
    run.refs.clear();
    Ok(())
}
