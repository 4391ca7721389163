//! What no form writes of the sheets' records, set on the records this import made:
//! when each was made, changed and archived, a ticket's number, status, resolution and
//! closing, the invoice a trip or an expense went on, a recurring ticket's last run.
//! A ticket keeps its number unless another ticket here has it already (then it keeps
//! the one it was given, and the report says so); numbers move in two steps, so that
//! two restored tickets never hold one number at once.

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;

use super::rows;
use super::{line, lines, made_here, read_or_fail, Archive};
use crate::error::AppResult;
use crate::portability::records;
use mspdesk_platform::db::sql::{Sql, Value};
use mspdesk_platform::db::AnyConnection;

use super::super::state::Run;
use super::super::Report;

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// A restored ticket's number and reference, to set once every ticket is in.
struct Numbered {
    id: i64,
    number: i64,
    reference: Option<String>,
    line: usize,
}

pub(super) fn restore(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    let mut tickets = vec![];
    for table in records::system_tables() {
        let spec = records::system(table);
        for (number, raw) in lines(archive, table, report) {
            let Some(id) = made_here(run, table, &raw) else {
                continue;
            };
            let l = line(table, number, "record", format!("#{id}"));
            let Some((mut row, _)) = read_or_fail(&spec, &raw, &run.ids, l, report) else {
                continue;
            };
            if table == "tickets" {
                if let Some(n) = row.int("number") {
                    tickets.push(Numbered {
                        id,
                        number: n,
                        reference: row.text("reference").map(str::to_string),
                        line: number,
                    });
                }
                row.values
                    .retain(|(c, _)| !matches!(*c, "number" | "reference"));
            }
            rows::update(conn, table, tenant, id, &row.values)?;
        }
    }
    renumber(run, conn, report, tickets)
}

/// Gives restored tickets their numbers: first out of the way, then in place.
fn renumber(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    tickets: Vec<Numbered>,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    let mut moving = vec![];
    for t in tickets {
        let holders: Vec<Id> = Sql::new("SELECT id FROM tickets WHERE tenant_id = ")
            .int(tenant)
            .sql(" AND number = ")
            .int(t.number)
            .load(conn)?;
        if holders
            .iter()
            .any(|h| h.id != t.id && !run.made("tickets", h.id))
        {
            let mut l = line(
                "tickets",
                t.line,
                "ticket",
                t.reference.clone().unwrap_or_default(),
            );
            l.action = super::super::Action::Update;
            l.flags.push(format!(
                "Number {} is another ticket's here: this one keeps the number it was given.",
                t.number
            ));
            report.push(l);
            continue;
        }
        let out_of_way = vec![("number", Value::Int(Some(-t.id)))];
        rows::update(conn, "tickets", tenant, t.id, &out_of_way)?;
        moving.push(t);
    }
    for t in moving {
        let values = vec![
            ("number", Value::Int(Some(t.number))),
            ("reference", Value::Text(t.reference)),
        ];
        rows::update(conn, "tickets", tenant, t.id, &values)?;
    }
    Ok(())
}
