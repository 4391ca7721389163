//! The search index: one document per live record of every searchable kind (each
//! registry resource's search columns, the first as its title, and the clients), kept
//! by database triggers generated here at start-up. A trigger runs inside the writing
//! transaction, so a committed change is searchable at once and a rolled-back one never
//! was — whoever writes (pages, imports, the scheduler, bulk seeds). When the generated
//! triggers change (a new resource, a new column), the index is rebuilt from the tables.

use blake2::{Blake2s256, Digest};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::registry;
use mspdesk_platform::db::AnyConnection;

/// One searchable table.
#[derive(Debug, Clone)]
pub struct Source {
    pub table: &'static str,
    pub kind: &'static str,
    /// The column naming the record's client (`id` for the clients themselves).
    pub client: &'static str,
    pub columns: Vec<&'static str>,
}

/// Text indexed beyond a list's own search columns (a ticket's details).
const EXTRA: &[(&str, &[&str])] = &[("tickets", &["details"])];

pub const CLIENTS: &str = "clients";

pub(crate) fn sources() -> Vec<Source> {
    let mut all = vec![Source {
        table: "clients",
        kind: CLIENTS,
        client: "id",
        columns: vec!["name", "company_name", "email", "phone"],
    }];
    for r in registry::all().iter().filter(|r| !r.search.is_empty()) {
        let mut columns = r.search.to_vec();
        for (_, more) in EXTRA.iter().filter(|(t, _)| *t == r.table) {
            columns.extend(more.iter().copied());
        }
        all.push(Source {
            table: r.table,
            kind: r.slug,
            client: "client_id",
            columns,
        });
    }
    all
}

/// A column as SQL: `kind` fields are stored in `type` columns.
fn column(prefix: &str, name: &str) -> String {
    let name = if name == "kind" { "type" } else { name };
    format!("{prefix}\"{name}\"")
}

fn title(s: &Source, prefix: &str, pg: bool) -> String {
    let c = column(prefix, s.columns[0]);
    if pg {
        format!("coalesce({c}::text, '')")
    } else {
        format!("coalesce(CAST({c} AS TEXT), '')")
    }
}

fn body(s: &Source, prefix: &str, pg: bool) -> String {
    let rest = &s.columns[1..];
    if rest.is_empty() {
        return "''".into();
    }
    if pg {
        let parts: Vec<String> = rest
            .iter()
            .map(|c| format!("{}::text", column(prefix, c)))
            .collect();
        format!("concat_ws(' ', {})", parts.join(", "))
    } else {
        let parts: Vec<String> = rest
            .iter()
            .map(|c| format!("coalesce(CAST({} AS TEXT), '')", column(prefix, c)))
            .collect();
        parts.join(" || ' ' || ")
    }
}

/// The document of a row as a SELECT list (prefix `NEW.` in triggers, none in rebuilds).
fn values(s: &Source, prefix: &str, pg: bool) -> String {
    format!(
        "{p}tenant_id, {client}, '{kind}', {p}id, {title}, {body}",
        p = prefix,
        client = column(prefix, s.client),
        kind = s.kind,
        title = title(s, prefix, pg),
        body = body(s, prefix, pg),
    )
}

const DOC: &str = "search_docs (tenant_id, client_id, kind, record_id, title, body)";
/// Whether the full-text half of the index is deferred (see `deferred`).
const DEFERRING: &str = "SELECT 1 FROM search_deferred WHERE doc_id = 0";

fn sqlite_triggers(s: &Source) -> String {
    let (t, k) = (s.table, s.kind);
    // The words go into FTS under the document's rowid, taken from the insert just
    // made (`last_insert_rowid()` is the trigger's own within a trigger) rather than
    // looked up again: one index probe less per write.
    // During a bulk write (`deferred`) the document's id is noted instead.
    let insert = format!(
        "INSERT INTO {DOC} SELECT {v} WHERE NEW.deleted_at IS NULL; \
         INSERT INTO search_fts (rowid, title, body) SELECT last_insert_rowid(), {title}, {body} \
           WHERE NEW.deleted_at IS NULL AND NOT EXISTS ({DEFERRING}); \
         INSERT OR IGNORE INTO search_deferred (doc_id) SELECT last_insert_rowid() \
           WHERE NEW.deleted_at IS NULL AND EXISTS ({DEFERRING});",
        v = values(s, "NEW.", false),
        title = title(s, "NEW.", false),
        body = body(s, "NEW.", false),
    );
    let remove = |row: &str| {
        format!(
            "DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE kind = '{k}' AND record_id = {row}.id); \
             DELETE FROM search_docs WHERE kind = '{k}' AND record_id = {row}.id;"
        )
    };
    format!(
        "DROP TRIGGER IF EXISTS search_{t}_ins; DROP TRIGGER IF EXISTS search_{t}_upd; DROP TRIGGER IF EXISTS search_{t}_del; \
         CREATE TRIGGER search_{t}_ins AFTER INSERT ON {t} BEGIN {insert} END; \
         CREATE TRIGGER search_{t}_upd AFTER UPDATE ON {t} BEGIN {old} {insert} END; \
         CREATE TRIGGER search_{t}_del AFTER DELETE ON {t} BEGIN {old} END;",
        old = remove("OLD"),
    )
}

fn pg_trigger(s: &Source) -> String {
    let (t, k) = (s.table, s.kind);
    format!(
        "CREATE OR REPLACE FUNCTION search_{t}() RETURNS trigger AS $fn$ BEGIN \
           IF TG_OP <> 'INSERT' THEN DELETE FROM search_docs WHERE kind = '{k}' AND record_id = OLD.id; END IF; \
           IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN INSERT INTO {DOC} SELECT {v}; END IF; \
           RETURN NULL; END $fn$ LANGUAGE plpgsql; \
         DROP TRIGGER IF EXISTS search_{t} ON {t}; \
         CREATE TRIGGER search_{t} AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION search_{t}();",
        v = values(s, "NEW.", true)
    )
}

fn rebuild(sources: &[Source], pg: bool) -> String {
    let mut sql = String::from("DELETE FROM search_docs; ");
    if !pg {
        sql.push_str("DELETE FROM search_fts; ");
    }
    for s in sources {
        sql.push_str(&format!(
            "INSERT INTO {DOC} SELECT {v} FROM {t} WHERE deleted_at IS NULL; ",
            v = values(s, "", pg),
            t = s.table
        ));
    }
    if !pg {
        sql.push_str(
            "INSERT INTO search_fts (rowid, title, body) SELECT id, title, body FROM search_docs; ",
        );
    }
    sql
}

#[derive(QueryableByName)]
struct Signature {
    #[diesel(sql_type = Text)]
    signature: String,
}

/// Installs the triggers (idempotent) and rebuilds the index when they changed.
pub fn install(conn: &mut AnyConnection) -> QueryResult<()> {
    let sources = sources();
    let pg = matches!(conn, AnyConnection::Postgresql(_));
    let triggers: String = sources
        .iter()
        .map(|s| {
            if pg {
                pg_trigger(s)
            } else {
                sqlite_triggers(s)
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let signature = hex::encode(Blake2s256::digest(triggers.as_bytes()));
    let stored = diesel::sql_query("SELECT signature FROM search_meta WHERE id = 1")
        .get_result::<Signature>(conn)
        .optional()?
        .map(|s| s.signature);
    let refresh = if stored.as_deref() == Some(signature.as_str()) {
        String::new()
    } else {
        format!(
            // Fresh statistics: the planner must not keep the empty table's.
            "{} DELETE FROM search_meta; INSERT INTO search_meta (id, signature) VALUES (1, '{signature}'); \
             ANALYZE search_docs;",
            rebuild(&sources, pg)
        )
    };
    match conn {
        AnyConnection::Postgresql(c) => c.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7270002); {triggers} {refresh} COMMIT;"
        )),
        AnyConnection::Sqlite(c) => {
            c.batch_execute(&format!("BEGIN IMMEDIATE; {triggers} {refresh} COMMIT;"))?;
            mspdesk_platform::db::analyse(c, "")
        }
    }
}

/// Runs a bulk write (in the caller's transaction) with the full-text words of the
/// documents it creates added once at its end rather than row by row: FTS5 flushes
/// its pending words at each statement that fires a trigger, which made an import's
/// rows three times as dear. The documents themselves, and removals, are written as
/// usual; the transaction is the same, so what commits is searchable and nothing of a
/// rollback is. PostgreSQL's index has no such cost: there `f` just runs.
pub fn deferred<T, E: From<diesel::result::Error>>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E> {
    let AnyConnection::Sqlite(c) = conn else {
        return f(conn);
    };
    c.batch_execute("INSERT OR IGNORE INTO search_deferred (doc_id) VALUES (0);")?;
    let out = f(conn);
    // A noted document gone again (updated twice, archived) has nothing to add; after
    // a failure the caller rolls back, and nothing stays deferred meanwhile.
    let catch_up = if out.is_ok() {
        "INSERT INTO search_fts (rowid, title, body) \
           SELECT d.id, d.title, d.body FROM search_deferred p JOIN search_docs d ON d.id = p.doc_id \
           ORDER BY d.id;"
    } else {
        ""
    };
    if let AnyConnection::Sqlite(c) = conn {
        c.batch_execute(&format!(
            "DELETE FROM search_deferred WHERE doc_id = 0; {catch_up} DELETE FROM search_deferred;"
        ))?;
    }
    out
}
