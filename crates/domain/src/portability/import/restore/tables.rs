//! The rows no sheet holds whole, restored table by table in the order they refer to
//! each other: recurring invoices, quotes, invoices, their lines and payments, ticket
//! replies, earlier secret values, client access; then the references set once both
//! sides are in (the invoice a quote became). A row already here is matched by what
//! names it — a document's number, a reply's ticket, time and text — and left as it is;
//! the parts of a document (lines, payments) and a record's earlier secrets come only
//! with a document or record this import made.

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use serde_json::{Map, Value as Json};

use super::rows::{self, Row};
use super::{line, lines, Archive};
use crate::error::AppResult;
use crate::portability::records::{restored, Table, LINKS};
use crate::registry;
use crate::resource::history;
use mspdesk_platform::db::sql::{Sql, Value};
use mspdesk_platform::db::AnyConnection;

use super::super::state::Run;
use super::super::{Action, Report};

/// The tables of this step, in order.
const ORDER: &[(&str, &str)] = &[
    ("recurring_invoices", "recurring invoice"),
    ("quotes", "quote"),
    ("invoices", "invoice"),
    ("billing_lines", "line"),
    ("payments", "payment"),
    ("ticket_replies", "reply"),
    ("secret_history", "earlier secret"),
];

pub(super) fn restore_all(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    for (name, kind) in ORDER {
        let spec = restored(name)?;
        for (number, raw) in lines(archive, name, report) {
            let mut l = line(name, number, kind, title(name, &raw));
            match one(run, conn, spec, &raw)? {
                Done::Made(flags) => l.flags = flags,
                Done::There(why) => {
                    l.action = Action::Skip;
                    l.reason = why.into();
                }
                Done::Refused(why) => l.fail(why),
            }
            report.push(l);
        }
    }
    super::people::user_clients(run, conn, report, archive)?;
    links(run, conn, report, archive)
}

fn title(table: &str, raw: &Map<String, Json>) -> String {
    let text = |c: &str| raw.get(c).and_then(Json::as_str).unwrap_or("").to_string();
    match table {
        "quotes" | "invoices" => match text("reference") {
            r if r.is_empty() => "draft".into(),
            r => r,
        },
        "recurring_invoices" => text("name"),
        "billing_lines" => text("description"),
        "secret_history" => format!("{} {}", text("entity"), text("field")),
        _ => String::new(),
    }
}

enum Done {
    /// Made, with the report's flags.
    Made(Vec<String>),
    /// Not made: already here, or part of something already here.
    There(&'static str),
    Refused(String),
}

fn one(
    run: &mut Run,
    conn: &mut AnyConnection,
    spec: &'static Table,
    raw: &Map<String, Json>,
) -> AppResult<Done> {
    let tenant = run.who.tenant().get();
    let mut row = match rows::read(spec, raw, &run.ids) {
        Ok(row) => row,
        Err(e) => return Ok(Done::Refused(e)),
    };
    if let Some(why) = part_of_something_here(run, spec.name, &mut row) {
        return Ok(Done::There(why));
    }
    let source = row.source.map(|s| s.to_string());
    let here = match super::own(run, conn, spec.name, row.source)? {
        Some(id) => Some(id),
        None => existing(conn, tenant, spec.name, &row)?,
    };
    if let Some(id) = here {
        run.mapped(spec.name, source.as_deref(), id, false);
        return Ok(Done::There("Already here."));
    }
    let flags = rows::lost_references(spec, raw, &row);
    // An earlier secret is sealed for its new row, once the row has its id.
    let secret = match spec.name {
        "secret_history" => row.text("value").map(str::to_string),
        _ => None,
    };
    if secret.is_some() {
        row.set("value", Value::Text(Some(String::new())));
    }
    let table = spec.name;
    let id = rows::insert(conn, table, tenant, &row, spec.has_id)?.unwrap_or_default();
    if let Some(plain) = secret {
        let sealed = run.vault.seal(history::at(tenant, id), &plain);
        rows::update(
            conn,
            table,
            tenant,
            id,
            &[("value", Value::Text(Some(sealed)))],
        )?;
    }
    run.mapped(table, source.as_deref(), id, true);
    Ok(Done::Made(flags))
}

/// Lines, payments and earlier secrets come with what they belong to: only when this
/// import made it. An earlier secret's row is mapped to its record's new id here.
fn part_of_something_here(run: &Run, table: &str, row: &mut Row) -> Option<&'static str> {
    let made = |t: &str, c: &str| row.int(c).is_some_and(|id| run.made(t, id));
    match table {
        "billing_lines" => (!(made("invoices", "invoice_id")
            || made("quotes", "quote_id")
            || made("recurring_invoices", "recurring_id")))
        .then_some("Part of a document already here."),
        "payments" => {
            (!made("invoices", "invoice_id")).then_some("Part of an invoice already here.")
        }
        "secret_history" => {
            let entity = row.text("entity").unwrap_or("").to_string();
            let field = row.text("field").unwrap_or("").to_string();
            let sealed_there = registry::all()
                .iter()
                .find(|i| i.table == entity && i.secrets.contains(&field.as_str()))
                .map(|i| i.table);
            let target = sealed_there.and_then(|t| {
                let id = run.ids.get(t, row.int("entity_id")?)?;
                run.made(t, id).then_some(id)
            });
            match target {
                Some(id) => {
                    row.set("entity_id", Value::Int(Some(id)));
                    None
                }
                None => Some("Of a record already here, or not a secret mspdesk keeps."),
            }
        }
        _ => None,
    }
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The row here that is this one, by what names it.
fn existing(
    conn: &mut AnyConnection,
    tenant: i64,
    table: &str,
    row: &Row,
) -> diesel::QueryResult<Option<i64>> {
    let by = |columns: &[&str]| {
        let mut sql = Sql::new(format!("SELECT id FROM {table} WHERE tenant_id = ")).int(tenant);
        for c in columns {
            sql = match row.get(c) {
                Value::Text(None) | Value::Int(None) | Value::Date(None) | Value::Time(None) => {
                    sql.sql(format!(" AND \"{c}\" IS NULL"))
                }
                v => sql.sql(format!(" AND \"{c}\" = ")).value(v.clone()),
            };
        }
        sql
    };
    let query = match table {
        "recurring_invoices" => by(&["client_id", "name", "anchor_date"]),
        "quotes" => by(&["number"]),
        "invoices" if row.int("number").is_some() => by(&["number"]),
        "invoices" => by(&["client_id", "created_at"]),
        "ticket_replies" => by(&["ticket_id", "created_at", "body"]),
        _ => return Ok(None),
    };
    let found: Vec<Id> = query.load(conn)?;
    Ok(found.first().map(|f| f.id))
}

/// References set once both sides are in, on the rows this import made.
fn links(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    for (table, _) in LINKS {
        let spec = restored(table)?;
        for (number, raw) in lines(archive, table, report) {
            let Some(id) = super::made_here(run, table, &raw) else {
                continue;
            };
            match rows::read_links(spec, &raw, &run.ids) {
                Ok(row) => {
                    rows::update(conn, spec.name, tenant, id, &row.values)?;
                }
                Err(e) => {
                    let mut l = line(table, number, "link", "");
                    l.fail(e);
                    report.push(l);
                }
            }
        }
    }
    Ok(())
}
