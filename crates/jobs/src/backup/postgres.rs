//! PostgreSQL through its own tools: `pg_dump` in the custom format (one consistent
//! snapshot however long it runs, so a backup while serving is whole) and `pg_restore`.
//! Both must be at least the server's major version; `.ci/run` installs Debian's
//! `postgresql-client`, which matches the Debian server.

use std::path::Path;
use std::process::Command;

use diesel::prelude::*;

use super::BackupError;
use crate::platform::db::AnyConnection;

/// The schema a URL's `options=-csearch_path=…` names (the tests' per-test schemas);
/// `None`: the database's own.
fn schema_of(url: &str) -> Option<String> {
    let decoded = url.replace("%3D", "=").replace("%3d", "=");
    let at = decoded.find("search_path=")? + "search_path=".len();
    let schema: String = decoded[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!schema.is_empty()).then_some(schema)
}

fn major(text: &str) -> Option<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())?
        .parse()
        .ok()
}

/// Refuses a tool older than the server it talks to.
fn check_tool(conn: &mut AnyConnection, tool: &str) -> Result<(), BackupError> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        server_version: String,
    }
    let server: Version = diesel::sql_query("SHOW server_version").get_result(conn)?;
    let out = Command::new(tool).arg("--version").output().map_err(|e| {
        BackupError::Refused(format!(
            "{tool} could not be run ({e}): install the PostgreSQL client tools \
             (Debian: postgresql-client) of the server's version"
        ))
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "pg_dump (PostgreSQL) 15.20 (Debian …)": the first word that is a version.
    let tool_major = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .and_then(major);
    let server_major = major(&server.server_version);
    match (tool_major, server_major) {
        (Some(t), Some(s)) if t >= s => Ok(()),
        _ => Err(BackupError::Refused(format!(
            "{tool} {} is older than the server ({}): install the client tools of the \
             server's version",
            text.trim(),
            server.server_version
        ))),
    }
}

/// Dumps the database (or the URL's schema) to `out`.
pub fn dump(conn: &mut AnyConnection, url: &str, out: &Path) -> Result<(), BackupError> {
    check_tool(conn, "pg_dump")?;
    let mut cmd = Command::new("pg_dump");
    cmd.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(out)
        .arg("--dbname")
        .arg(url);
    if let Some(schema) = schema_of(url) {
        cmd.args(["--schema", &schema]);
    }
    run(cmd, "pg_dump")
}

/// Whether the target database holds no table of its own yet.
pub fn is_empty(conn: &mut AnyConnection) -> Result<bool, BackupError> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let c: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .get_result(conn)?;
    Ok(c.n == 0)
}

/// Restores a dump into the (empty) database at `url`.
pub fn restore(conn: &mut AnyConnection, url: &str, dump: &Path) -> Result<(), BackupError> {
    check_tool(conn, "pg_restore")?;
    let mut cmd = Command::new("pg_restore");
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ])
    .arg("--dbname")
    .arg(url)
    .arg(dump);
    run(cmd, "pg_restore")
}

fn run(mut cmd: Command, tool: &str) -> Result<(), BackupError> {
    let out = cmd
        .output()
        .map_err(|e| BackupError::Refused(format!("{tool} could not be run: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(BackupError::Refused(format!(
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_comes_from_the_urls_options() {
        let url = "postgres://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dt_ab12";
        assert_eq!(schema_of(url).as_deref(), Some("t_ab12"));
        assert_eq!(schema_of("postgres://h/db"), None);
        assert_eq!(
            major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(major("15.20 (Debian 15.20-0+deb12u1)"), Some(15));
    }
}
