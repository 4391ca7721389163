//! A row of an export's records as the values of its new row: each column converted
//! by its declared kind (a time as either database wrote it, a boolean as 0/1 or
//! true/false), every reference to another row mapped to that row's id here, text
//! refused with a NUL byte; and the one statement that inserts it or sets it.

use std::collections::HashMap;

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use serde_json::{Map, Value as Json};

use crate::portability::records::{self, parse_time, Column, Kind, Table};
use mspdesk_platform::db::sql::{Sql, Value};
use mspdesk_platform::db::AnyConnection;

/// Ids of the export (source) to ids here, by table.
#[derive(Default)]
pub struct Ids(HashMap<&'static str, HashMap<i64, i64>>);

impl Ids {
    pub fn set(&mut self, table: &'static str, source: i64, id: i64) {
        self.0.entry(table).or_default().insert(source, id);
    }
    pub fn get(&self, table: &str, source: i64) -> Option<i64> {
        self.0.get(table)?.get(&source).copied()
    }
}

/// A row of the export: its source id and its values by column.
pub struct Row {
    pub source: Option<i64>,
    pub values: Vec<(&'static str, Value)>,
}

impl Row {
    pub fn get(&self, column: &str) -> &Value {
        self.values
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
            .unwrap_or(&Value::Text(None))
    }
    pub fn text(&self, column: &str) -> Option<&str> {
        match self.get(column) {
            Value::Text(t) => t.as_deref(),
            _ => None,
        }
    }
    pub fn int(&self, column: &str) -> Option<i64> {
        match self.get(column) {
            Value::Int(i) => *i,
            _ => None,
        }
    }
    pub fn set(&mut self, column: &'static str, value: Value) {
        match self.values.iter_mut().find(|(c, _)| *c == column) {
            Some((_, v)) => *v = value,
            None => self.values.push((column, value)),
        }
    }
}

/// The longest text a restored column takes (a document body, a reply).
const MAX_TEXT: usize = 1_000_000;

/// Reads `line` of the table's file into its values, its references mapped, checked by
/// its table's rules (`checks`); `Err` with the reason when a value is not of its kind,
/// breaks a rule or names a row the import did not bring. A reference set once both
/// sides are in (`records::LINKS`) is left blank.
pub fn read(table: &Table, line: &Map<String, Json>, ids: &Ids) -> Result<Row, String> {
    read_with(table, line, ids, false)
}

/// Reads only the references of `line` that are set once both sides are in.
pub(crate) fn read_links(
    table: &Table,
    line: &Map<String, Json>,
    ids: &Ids,
) -> Result<Row, String> {
    read_with(table, line, ids, true)
}

fn read_with(
    table: &Table,
    line: &Map<String, Json>,
    ids: &Ids,
    links: bool,
) -> Result<Row, String> {
    let source = line.get("id").and_then(Json::as_i64);
    let mut values = Vec::with_capacity(table.columns.len());
    for col in table.columns {
        let link = records::is_link(table.name, col.name);
        if link != links {
            if !links {
                values.push((col.name, null(col.kind)));
            }
            continue;
        }
        let raw = line.get(col.name).unwrap_or(&Json::Null);
        values.push((col.name, value(col, raw, ids)?));
    }
    let mut row = Row { source, values };
    if !links {
        super::checks::check(table.name, &mut row)?;
    }
    Ok(row)
}

fn value(col: &Column, raw: &Json, ids: &Ids) -> Result<Value, String> {
    let bad = || format!("{} is not a {} here: {raw}", col.name, noun(col.kind));
    if raw.is_null() {
        if !col.null {
            return Err(format!("{} is missing.", col.name));
        }
        return Ok(null(col.kind));
    }
    Ok(match col.kind {
        Kind::Text | Kind::Sealed => {
            let s = raw.as_str().ok_or_else(bad)?;
            if s.contains('\0') || s.chars().count() > MAX_TEXT {
                return Err(format!("{} holds a NUL byte or is too long.", col.name));
            }
            Value::Text(Some(s.to_string()))
        }
        Kind::Int => Value::Int(Some(raw.as_i64().ok_or_else(bad)?)),
        Kind::Bool => Value::Bool(Some(match raw {
            Json::Bool(b) => *b,
            Json::Number(n) => n.as_i64() != Some(0),
            _ => return Err(bad()),
        })),
        Kind::Date => {
            let d = raw
                .as_str()
                .and_then(|s| chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
                .ok_or_else(bad)?;
            Value::Date(Some(d))
        }
        Kind::Time => Value::Time(Some(raw.as_str().and_then(parse_time).ok_or_else(bad)?)),
        Kind::Ref(table) => {
            let source = raw.as_i64().ok_or_else(bad)?;
            match ids.get(table, source) {
                Some(id) => Value::Int(Some(id)),
                None if col.null => Value::Int(None),
                None => {
                    return Err(format!(
                        "{} names {table} row {source}, which the import did not bring.",
                        col.name
                    ))
                }
            }
        }
    })
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Sealed => "text",
        Kind::Int | Kind::Ref(_) => "number",
        Kind::Bool => "yes/no",
        Kind::Date => "date",
        Kind::Time => "time",
    }
}

fn null(kind: Kind) -> Value {
    match kind {
        Kind::Text | Kind::Sealed => Value::Text(None),
        Kind::Int | Kind::Ref(_) => Value::Int(None),
        Kind::Bool => Value::Bool(None),
        Kind::Date => Value::Date(None),
        Kind::Time => Value::Time(None),
    }
}

/// Whether a nullable reference of the row was left blank because the row it named
/// did not come (the caller flags it).
pub(crate) fn lost_references(table: &Table, line: &Map<String, Json>, row: &Row) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Ref(_)) && !records::is_link(table.name, c.name))
        .filter(|c| {
            !line.get(c.name).unwrap_or(&Json::Null).is_null()
                && matches!(row.get(c.name), Value::Int(None))
        })
        .map(|c| format!("{}: the row it named did not come; left blank.", c.name))
        .collect()
}

#[derive(diesel::QueryableByName)]
struct NewId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts the row into `table` for `tenant`; returns its id (for tables that have
/// one).
pub fn insert(
    conn: &mut AnyConnection,
    table: &str,
    tenant: i64,
    row: &Row,
    has_id: bool,
) -> diesel::QueryResult<Option<i64>> {
    let (tenant_column, tenant_value) = if table == "companies" {
        ("id", tenant)
    } else {
        ("tenant_id", tenant)
    };
    let mut names = vec![format!("\"{tenant_column}\"")];
    names.extend(row.values.iter().map(|(c, _)| format!("\"{c}\"")));
    let mut sql = Sql::new(format!(
        "INSERT INTO {table} ({}) VALUES (",
        names.join(", ")
    ))
    .int(tenant_value);
    for (_, v) in &row.values {
        sql = sql.sql(", ").value(v.clone());
    }
    if has_id {
        let got: NewId = sql.sql(") RETURNING id").get_result(conn)?;
        Ok(Some(got.id))
    } else {
        sql.sql(")").execute(conn)?;
        Ok(None)
    }
}

/// Sets the row's values on the tenant's row `id` of `table`.
pub fn update(
    conn: &mut AnyConnection,
    table: &str,
    tenant: i64,
    id: i64,
    values: &[(&'static str, Value)],
) -> diesel::QueryResult<usize> {
    if values.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(format!("UPDATE {table} SET "));
    for (i, (c, v)) in values.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        sql = sql.sql(format!("{sep}\"{c}\" = ")).value(v.clone());
    }
    let scope = if table == "companies" {
        " WHERE id = "
    } else {
        " WHERE tenant_id = "
    };
    let sql = sql.sql(scope).int(tenant);
    let sql = if table == "companies" {
        sql
    } else {
        sql.sql(" AND id = ").int(id)
    };
    sql.execute(conn)
}
