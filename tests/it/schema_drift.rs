//! The Diesel schema is written by hand for both backends: a fresh database migrated by
//! this build must hold exactly the tables and columns `schema.rs` declares, each with
//! the declared nullability and a type of the declared family. A migration that adds,
//! drops, renames or retypes a column without the schema (or the reverse) fails here,
//! on whichever backend `make test` runs.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::helpers::{load, pg, TestApp};

/// One column as a schema declares it: its type's family and whether it may be null.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    family: &'static str,
    nullable: bool,
}

type Tables = BTreeMap<String, BTreeMap<String, Column>>;

/// The family of a Diesel SQL type or of a database's declared type.
fn family(ty: &str) -> &'static str {
    match ty.to_ascii_lowercase().as_str() {
        "bigint" | "integer" | "int" | "int8" | "int4" | "smallint" => "integer",
        "bool" | "boolean" => "boolean",
        "text" | "varchar" | "character varying" => "text",
        "date" => "date",
        "timestamp" | "datetime" | "timestamp without time zone" => "timestamp",
        _ => "other",
    }
}

/// `diesel::table!` blocks: table name, then `name -> Type,` lines (a preceding
/// `#[sql_name = "…"]` gives the column's name in the database).
fn declared(schema: &str) -> Tables {
    let mut tables = Tables::new();
    let mut current: Option<String> = None;
    let mut sql_name: Option<String> = None;
    for line in schema.lines().map(str::trim) {
        if let Some(rest) = line.strip_suffix('{').map(str::trim) {
            if let Some((name, _key)) = rest.split_once(" (") {
                current = Some(name.trim().to_string());
                tables.entry(name.trim().to_string()).or_default();
            }
        } else if let Some(name) = line
            .strip_prefix("#[sql_name = \"")
            .and_then(|l| l.strip_suffix("\"]"))
        {
            sql_name = Some(name.to_string());
        } else if let (Some(table), Some((name, ty))) = (&current, line.split_once(" -> ")) {
            let ty = ty.trim_end_matches(',');
            let (inner, nullable) = match ty.strip_prefix("Nullable<") {
                Some(t) => (t.trim_end_matches('>'), true),
                None => (ty, false),
            };
            let name = sql_name.take().unwrap_or_else(|| name.to_string());
            let column = Column {
                family: family(inner),
                nullable,
            };
            tables.get_mut(table).unwrap().insert(name, column);
        } else if line == "}" {
            current = None;
        }
    }
    tables
}

#[derive(QueryableByName)]
struct Catalog {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Bool)]
    view: bool,
}

/// The tables and views of the database as the application leaves it after start-up
/// (migrations, then the views and the search index it installs), and which are views.
fn migrated(conn: &mut mspdesk::platform::db::AnyConnection) -> (Tables, BTreeSet<String>) {
    let sql = if pg(conn) {
        "SELECT c.table_name::text AS tbl, c.column_name::text AS col, \
         c.data_type::text AS ty, (c.is_nullable = 'YES') AS nullable, \
         (t.table_type = 'VIEW') AS view \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_name = c.table_name AND t.table_schema = c.table_schema \
         WHERE c.table_schema = current_schema() AND t.table_type IN ('BASE TABLE', 'VIEW')"
    } else {
        // A rowid alias (INTEGER PRIMARY KEY) is never null whatever notnull says.
        "SELECT m.name AS tbl, p.name AS col, p.type AS ty, \
         (p.\"notnull\" = 0 AND p.pk = 0) AS nullable, (m.type = 'view') AS view \
         FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type IN ('table', 'view') AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    };
    let (mut tables, mut views) = (Tables::new(), BTreeSet::new());
    for c in load::<Catalog>(conn, sql) {
        if c.view {
            views.insert(c.tbl.clone());
        }
        let column = Column {
            family: family(&c.ty),
            nullable: c.nullable,
        };
        tables.entry(c.tbl).or_default().insert(c.col, column);
    }
    (tables, views)
}

/// What one side has that the other has not, or has differently, as sentences. A
/// view's columns are compared by name only: catalogs call every view column nullable
/// and SQLite gives computed ones no type.
fn drift(
    declared: &Tables,
    (migrated, views): (&Tables, &BTreeSet<String>),
    raw_sql_only: &[&str],
) -> Vec<String> {
    let mut found = vec![];
    for (table, columns) in declared {
        let Some(actual) = migrated.get(table) else {
            found.push(format!("{table}: declared, but no migration makes it"));
            continue;
        };
        for (name, want) in columns {
            match actual.get(name) {
                None => found.push(format!("{table}.{name}: declared, not in the database")),
                Some(got) if got != want && !views.contains(table) => found.push(format!(
                    "{table}.{name}: declared {want:?}, migrated {got:?}"
                )),
                Some(_) => {}
            }
        }
        for name in actual.keys().filter(|n| !columns.contains_key(*n)) {
            found.push(format!("{table}.{name}: in the database, not declared"));
        }
    }
    for table in migrated.keys() {
        let bookkeeping = table.starts_with("__diesel") || table.starts_with("sqlite_");
        let shadow = table.starts_with("search_fts"); // FTS5's own tables
        if !declared.contains_key(table)
            && !bookkeeping
            && !shadow
            && !raw_sql_only.contains(&table.as_str())
        {
            found.push(format!("{table}: migrated, not declared"));
        }
    }
    found
}

/// Tables the code reaches only through raw SQL, each named here on purpose so that a
/// new table without a declaration is noticed: the search index's documents, its
/// deferral flag and its version (written by triggers, read by one ranked query).
const RAW_SQL_ONLY: &[&str] = &["search_deferred", "search_docs", "search_meta"];

#[actix_web::test]
async fn a_freshly_migrated_database_holds_exactly_the_declared_schema() {
    let app = TestApp::spawn().await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/domain/src/schema.rs");
    let schema = declared(&std::fs::read_to_string(path).unwrap());
    assert!(
        schema.len() > 40,
        "the reader found {} tables",
        schema.len()
    );
    let (tables, views) = migrated(&mut app.conn());
    assert!(views.contains("mspdesk_tab_rows"), "{views:?}");
    let found = drift(&schema, (&tables, &views), RAW_SQL_ONLY);
    assert!(found.is_empty(), "schema drift: {found:#?}");
}

#[test]
fn drift_is_told_column_by_column() {
    let schema = declared(
        "diesel::table! {\n    notes (id) {\n        id -> BigInt,\n        \
         #[sql_name = \"type\"]\n        kind -> Text,\n        due -> Nullable<Date>,\n    }\n}\n",
    );
    let mut db = schema.clone();
    let notes = db.get_mut("notes").unwrap();
    notes.remove("due");
    notes.insert(
        "type".into(),
        Column {
            family: "integer",
            nullable: false,
        },
    );
    notes.insert("extra".into(), notes["id"].clone());
    db.insert("orphans".into(), BTreeMap::new());
    let none = BTreeSet::new();
    let found = drift(&schema, (&db, &none), &[]);
    assert_eq!(
        found,
        [
            "notes.due: declared, not in the database",
            "notes.type: declared Column { family: \"text\", nullable: false }, migrated Column { family: \"integer\", nullable: false }",
            "notes.extra: in the database, not declared",
            "orphans: migrated, not declared",
        ]
    );
    assert!(drift(&schema, (&schema, &none), &[]).is_empty());
    // A view is compared by its columns' names only.
    let view = BTreeSet::from(["notes".to_string()]);
    assert_eq!(drift(&schema, (&db, &view), &[]).len(), 3);
}
