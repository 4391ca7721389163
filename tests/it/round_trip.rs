//! The tenant export reproduces every table: the demo tenant is exported (with its
//! secrets, for a reason) and imported into another tenant, and then every table of
//! the schema that holds a tenant's data — found by walking the database, not from a
//! list kept by hand — is compared row by row. Surrogate ids differ between tenants,
//! so a row's own id and every reference (the foreign keys the database declares) are
//! compared as what they name: a user by e-mail address, any other row by its place
//! in its table. A table added later is compared too, and fails here until the export
//! carries it — or it is listed below as not the tenant's data, with the reason.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::{Map, Value};

use crate::fixtures;
use crate::helpers::{load, pg, TestApp};
use crate::imports::{check, export_with_secrets, rows};

/// Tables with a tenant's rows that are not its data, and why they do not travel.
const NOT_DATA: &[(&str, &str)] = &[
    ("audit_log", "the importing instance keeps its own log; the old one travels in the export as records/audit_log.jsonl"),
    ("platform_audit", "the platform operator's log, not the tenant's"),
    ("events", "the outbox of changes not yet dispatched: operational state"),
    ("jobs", "the job queue: operational state"),
    ("mails", "the mail outbox: what this instance sends (the import's invitations)"),
    ("notices", "which expiry notices were sent: the old instance's mail log"),
    ("notifications", "in-app bells of the old instance's users"),
    ("imports", "uploads waiting for their commit"),
    ("user_recent_clients", "a user's recently viewed clients: session state"),
    ("api_keys", "secrets (hashes of tokens): keys are issued anew"),
    ("one_time_links", "single-use tokens"),
    ("share_links", "tokens handed to outsiders, pointing at the old instance"),
    ("calendar_feeds", "subscription tokens, pointing at the old instance"),
    ("search_docs", "derived from the records by the search triggers"),
];

/// Columns that do not travel, and why.
const NOT_COPIED: &[(&str, &str, &str)] = &[
    (
        "users",
        "password_hash",
        "no password hash travels: users arrive invited",
    ),
    ("users", "last_login_at", "they have not signed in here yet"),
    ("users", "totp_secret", "second factors are enrolled anew"),
    (
        "users",
        "totp_enabled_at",
        "second factors are enrolled anew",
    ),
    (
        "users",
        "totp_last_step",
        "second factors are enrolled anew",
    ),
    (
        "client_files",
        "file_path",
        "a new random name on disk; the bytes are compared",
    ),
    (
        "companies",
        "name",
        "the tenant keeps the name its operator gave it",
    ),
    ("companies", "created_at", "the tenant's own account"),
    ("companies", "updated_at", "the tenant's own account"),
    ("companies", "suspended_at", "the tenant's own account"),
    (
        "companies",
        "sign_in_code",
        "the tenant's own sign-in code, unique on the platform",
    ),
];

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Pair {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    target: String,
}

#[derive(QueryableByName)]
struct Json {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Every table with a `tenant_id` column, and the tenants' own table.
fn tenant_tables(conn: &mut mspdesk::platform::db::AnyConnection) -> Vec<String> {
    let sql = if pg(conn) {
        "SELECT c.table_name AS name FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_name = c.table_name \
         AND t.table_schema = c.table_schema \
         WHERE c.column_name = 'tenant_id' AND c.table_schema = current_schema() \
         AND t.table_type = 'BASE TABLE' ORDER BY 1"
    } else {
        "SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS \
         (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'tenant_id') ORDER BY 1"
    };
    let mut all: Vec<String> = load::<Name>(conn, sql)
        .into_iter()
        .map(|n| n.name)
        .collect();
    all.push("companies".into());
    all
}

fn columns(conn: &mut mspdesk::platform::db::AnyConnection, table: &str) -> Vec<String> {
    let sql = if pg(conn) {
        format!(
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY ordinal_position"
        )
    } else {
        format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
    };
    load::<Name>(conn, &sql)
        .into_iter()
        .map(|n| n.name)
        .collect()
}

/// The table's foreign keys as declared: column → table it names.
fn references(
    conn: &mut mspdesk::platform::db::AnyConnection,
    table: &str,
) -> HashMap<String, String> {
    let sql = if pg(conn) {
        format!(
            "SELECT kcu.column_name::text AS name, ccu.table_name::text AS target \
             FROM information_schema.table_constraints tc \
             JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name \
               AND tc.table_schema = kcu.table_schema \
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
               AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = '{table}' \
               AND tc.table_schema = current_schema()"
        )
    } else {
        format!(
            "SELECT \"from\" AS name, \"table\" AS target FROM pragma_foreign_key_list('{table}')"
        )
    };
    load::<Pair>(conn, &sql)
        .into_iter()
        .filter(|p| p.name != "tenant_id")
        .map(|p| (p.name, p.target))
        .collect()
}

/// A tenant's rows of `table`, every column, as JSON objects in id order.
fn rows_of(
    conn: &mut mspdesk::platform::db::AnyConnection,
    table: &str,
    tenant: i64,
) -> Vec<Map<String, Value>> {
    let cols = columns(conn, table);
    let pairs = cols
        .iter()
        .map(|c| format!("'{c}', \"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let object = if pg(conn) {
        format!("json_build_object({pairs})::text")
    } else {
        format!("json_object({pairs})")
    };
    let (filter, order) = match table {
        "companies" => (format!("id = {tenant}"), "id".to_string()),
        _ if cols.iter().any(|c| c == "id") => (format!("tenant_id = {tenant}"), "id".into()),
        _ => (format!("tenant_id = {tenant}"), cols.join(", ")),
    };
    load::<Json>(
        conn,
        &format!("SELECT {object} AS value FROM {table} WHERE {filter} ORDER BY {order}"),
    )
    .into_iter()
    .map(|j| serde_json::from_str(&j.value).unwrap())
    .collect()
}

/// What each row of every table is, across tenants: a user their e-mail, any other
/// row its place in its table.
type Identities = HashMap<String, HashMap<i64, Value>>;

fn identities(all: &BTreeMap<String, Vec<Map<String, Value>>>) -> Identities {
    all.iter()
        .map(|(table, rows)| {
            let ids = rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let id = r.get("id")?.as_i64()?;
                    let who = match table.as_str() {
                        "users" => r["email"].clone(),
                        _ => Value::from(i),
                    };
                    Some((id, who))
                })
                .collect();
            (table.clone(), ids)
        })
        .collect()
}

/// Opens a sealed value of a tenant's row: secrets are compared opened (each is sealed
/// for its own row, so the ciphertexts always differ).
struct Opener<'a> {
    vault: &'a mspdesk::platform::vault::Vault,
    tenant: i64,
}

impl Opener<'_> {
    fn sealed(table: &str, column: &str) -> bool {
        (table == "secret_history" && column == "value")
            || mspdesk::domain::registry::all()
                .iter()
                .any(|i| i.table == table && i.secrets.contains(&column))
    }
    fn open(&self, table: &str, column: &str, row: &Map<String, Value>) -> Value {
        let Some(sealed) = row[column].as_str() else {
            return Value::Null;
        };
        let at = mspdesk::platform::vault::SecretRef {
            tenant_id: self.tenant,
            table,
            column,
            row_id: row["id"].as_i64().unwrap(),
        };
        Value::String(
            self.vault
                .open_secret(at, sealed)
                .expect("opens for its row"),
        )
    }
}

/// A row as the other tenant must have it: its id and references as what they name,
/// secrets opened, times and yes/no written one way, what does not travel left out.
fn comparable(
    table: &str,
    row: &Map<String, Value>,
    (refs, ids, opener): (&HashMap<String, String>, &Identities, &Opener),
) -> Map<String, Value> {
    let name = |t: &str, v: &Value| -> Value {
        match v.as_i64() {
            Some(id) => ids
                .get(t)
                .and_then(|m| m.get(&id).cloned())
                .unwrap_or_else(|| Value::String(format!("{t} #{id} of no tenant row"))),
            None => Value::Null,
        }
    };
    let mut out = Map::new();
    for (column, value) in row {
        if column == "tenant_id"
            || NOT_COPIED
                .iter()
                .any(|(t, c, _)| *t == table && c == column)
        {
            continue;
        }
        let v = if column == "id" {
            name(table, value)
        } else if let Some(target) = refs.get(column) {
            name(target, value)
        } else if table == "secret_history" && column == "entity_id" {
            name(row["entity"].as_str().unwrap(), value)
        } else if table == "client_recurring_tickets" && column == "template_data" {
            // The ticket template names its assignee by id inside its JSON.
            let mut t: Map<String, Value> = serde_json::from_str(value.as_str().unwrap()).unwrap();
            let assignee = t.get("assignee_id").cloned().unwrap_or(Value::Null);
            t.insert("assignee_id".into(), name("users", &assignee));
            Value::Object(t)
        } else if Opener::sealed(table, column) {
            opener.open(table, column, row)
        } else {
            normal(value)
        };
        out.insert(column.clone(), v);
    }
    out
}

/// A value written the same way on both sides: times with a `T`.
fn normal(v: &Value) -> Value {
    match v
        .as_str()
        .and_then(mspdesk::domain::portability::records::parse_time)
    {
        Some(t) if v.as_str().is_some_and(|s| s.len() >= 19) => {
            Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
        }
        _ => v.clone(),
    }
}

#[actix_web::test]
async fn an_export_imported_into_an_empty_tenant_reproduces_every_table() {
    // The demo's export unpacks to a few MB: an archive counts against the upload
    // limit by what it unpacks to.
    let app = TestApp::spawn_custom(fixtures::demo_tenant, |c| c.max_upload_mb = 16).await;
    let a = app.login(&app.a.admin).await;
    let zipped = export_with_secrets(&a, "Moving to a new instance").await;

    let b = app.login(&app.b.admin).await;
    let (report, id) = check(&b, "a.zip", zipped.clone(), &[("kind", "archive")]).await;
    let errors: Vec<_> = rows(&report)
        .into_iter()
        .filter(|x| x.1 == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);

    let conn = &mut *app.conn();
    let (ta, tb) = (app.a.id.get(), app.b.id.get());
    let tables = tenant_tables(conn);
    let compared: Vec<String> = tables
        .iter()
        .filter(|t| !NOT_DATA.iter().any(|(n, _)| n == t))
        .cloned()
        .collect();
    let mut of_a = BTreeMap::new();
    let mut of_b = BTreeMap::new();
    for t in &compared {
        of_a.insert(t.clone(), rows_of(conn, t, ta));
        let mut rows = rows_of(conn, t, tb);
        if t == "users" {
            // The importing tenant's own people were there before; the export's came.
            let theirs: Vec<Value> = of_a["users"].iter().map(|r| r["email"].clone()).collect();
            rows.retain(|r| theirs.contains(&r["email"]));
        }
        of_b.insert(t.clone(), rows);
    }
    let (ids_a, ids_b) = (identities(&of_a), identities(&of_b));
    for t in &compared {
        let rows_a = &of_a[t];
        assert!(
            !rows_a.is_empty() || t == "companies",
            "the demo has no {t} rows: the round trip cannot show that they travel"
        );
        let refs = references(conn, t);
        let side = |rows: &Vec<Map<String, Value>>, ids: &Identities, tenant: i64| {
            let opener = Opener {
                vault: &app.vault,
                tenant,
            };
            rows.iter()
                .map(|r| comparable(t, r, (&refs, ids, &opener)))
                .collect::<Vec<_>>()
        };
        let (ca, cb) = (side(rows_a, &ids_a, ta), side(&of_b[t], &ids_b, tb));
        assert_eq!(ca.len(), cb.len(), "{t}: as many rows");
        for (x, y) in ca.iter().zip(&cb) {
            assert_eq!(x, y, "{t}: the same row");
        }
    }
    // The people arrive invited: a link to choose a password, by mail — not the one
    // who had left.
    use mspdesk::domain::schema::mails;
    let invited: Vec<String> = mails::table
        .filter(mails::tenant_id.eq(tb))
        .select(mails::to_addr)
        .load(conn)
        .unwrap();
    assert!(
        invited.iter().any(|to| to.contains("tech@demo.test")),
        "{invited:?}"
    );
    assert!(
        !invited.iter().any(|to| to.contains("jordan@demo.test")),
        "{invited:?}"
    );

    // Stored files keep their bytes.
    for (x, y) in of_a["client_files"].iter().zip(&of_b["client_files"]) {
        let bytes = |r: &Map<String, Value>| {
            std::fs::read(
                app.data_dir
                    .join("files")
                    .join(r["file_path"].as_str().unwrap()),
            )
            .unwrap()
        };
        assert_eq!(bytes(x), bytes(y), "{}", x["name"]);
    }

    // The same export again changes nothing.
    let (again, _) = check(&b, "a.zip", zipped, &[("kind", "archive")]).await;
    let changed: Vec<_> = rows(&again).into_iter().filter(|x| x.1 != "skip").collect();
    assert!(changed.is_empty(), "{changed:?}");

    // Numbering goes on after the highest number the export used.
    use mspdesk::domain::schema::{counters, tickets};
    let last: i64 = counters::table
        .filter(counters::tenant_id.eq(ta))
        .filter(counters::name.eq("ticket"))
        .select(counters::last)
        .first(conn)
        .unwrap();
    let client = of_b["clients"][0]["id"].as_i64().unwrap();
    let made = b
        .post(
            &format!("/clients/{client}/tickets"),
            &[("subject", "After the move"), ("priority", "low")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let number: Option<i64> = tickets::table
        .filter(tickets::tenant_id.eq(tb))
        .filter(tickets::subject.eq("After the move"))
        .select(tickets::number)
        .first(conn)
        .unwrap();
    assert_eq!(number, Some(last + 1));
}
