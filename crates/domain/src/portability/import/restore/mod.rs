//! mspdesk's own export read back: the sheets' records through the same services as
//! any CSV (clients and every client record, matched by id in the tenant they came
//! from, by key elsewhere), and in between, steps for what no sheet holds whole —
//! the tenant's settings and people first, stored files once the records they hang off
//! are in, then the finance documents, replies, earlier secret values, who may open
//! which client, the records' own dates and numbers, and the numbering. Into an empty
//! tenant this makes every table again; what is already there is matched by what names
//! it (an e-mail address, an invoice's number) and never overwritten.

mod checks;
mod files;
mod people;
pub mod rows;
mod system;
mod tables;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use super::archive::Archive;
use super::columns::by_header;
use super::sheet::Sheet;
use super::state::Run;
use super::table::{self, Input};
use super::{in_writing_order, Action, Item, Line, Notes, Plan, Records, Report, Target};
use crate::error::AppResult;
use crate::portability::records;
use crate::portability::tenant_export::{Manifest, FORMAT, MANIFEST};
use mspdesk_platform::db::AnyConnection;

/// The rank of the kinds no other kind refers to (`targets`).
const LATER: u8 = super::targets::LATER;

type StepFn =
    Box<dyn for<'a> FnOnce(&mut Run<'a>, &mut AnyConnection, &mut Report) -> AppResult<()>>;

/// Work of an export's own between its sheets.
pub struct Step {
    pub(super) run: StepFn,
}

fn step(
    f: impl for<'a> FnOnce(&mut Run<'a>, &mut AnyConnection, &mut Report) -> AppResult<()> + 'static,
) -> Result<Item, String> {
    Ok(Item::Step(Step { run: Box::new(f) }))
}

/// The items of an mspdesk export, in the order they are written.
pub fn plan(name: &str, archive: Rc<Archive>) -> Result<Plan, String> {
    let manifest: Manifest = archive
        .get(MANIFEST)?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|m: &Manifest| m.format == FORMAT)
        .ok_or("mspdesk.json is not an mspdesk export manifest.")?;
    if manifest.version != 1 {
        return Err(format!(
            "This export is of version {}; this mspdesk reads version 1.",
            manifest.version
        ));
    }
    let notes = Rc::new(RefCell::new(Notes::default()));
    let mut parts: Vec<Records> = vec![];
    let a = archive.clone();
    parts.push(Box::new(
        [
            {
                let a = a.clone();
                step(move |run, conn, report| people::settings(run, conn, report, &a))
            },
            {
                let a = a.clone();
                step(move |run, conn, report| people::users(run, conn, report, &a))
            },
        ]
        .into_iter(),
    ));
    let mut files_step = false;
    for target in in_writing_order() {
        // Files hang off contacts and locations, and receipts point at them: they come
        // after the kinds others refer to, before the rest.
        if target.rank == LATER && !files_step {
            files_step = true;
            let a = archive.clone();
            parts.push(once_lazy(move || {
                vec![step(move |run, conn, report| {
                    files::restore(run, conn, report, &a)
                })]
            }));
        }
        let (archive, notes) = (archive.clone(), notes.clone());
        parts.push(Box::new(std::iter::once(()).flat_map(move |()| {
            let file = format!("{}.csv", target.slug);
            sheet(&file, target, &archive, &notes)
                .unwrap_or_else(|e| Box::new(std::iter::once(Err(format!("{file}: {e}")))))
        })));
    }
    let a = archive.clone();
    parts.push(once_lazy(move || {
        vec![
            {
                let a = a.clone();
                step(move |run, conn, report| tables::restore_all(run, conn, report, &a))
            },
            {
                let a = a.clone();
                step(move |run, conn, report| system::restore(run, conn, report, &a))
            },
            step(move |run, conn, report| people::numbering(run, conn, report, &a)),
        ]
    }));
    Ok(Plan {
        source: name.to_string(),
        records: Box::new(parts.into_iter().flatten()),
        notes,
        chosen_client: None,
        source_tenant: Some(manifest.tenant_id),
    })
}

/// Items made when the import reaches them.
fn once_lazy(make: impl FnOnce() -> Vec<Result<Item, String>> + 'static) -> Records {
    let mut make = Some(make);
    Box::new(std::iter::once(()).flat_map(move |()| make.take().map(|f| f()).unwrap_or_default()))
}

/// The rows of one sheet of the export; the export's own IDs and archive flags are
/// read like any other column.
fn sheet(
    file: &str,
    target: &'static Target,
    archive: &Archive,
    notes: &Rc<RefCell<Notes>>,
) -> Result<Records, String> {
    let Some(bytes) = archive.get(file)? else {
        return Ok(Box::new(std::iter::empty()));
    };
    let rows = table::open(&Input::Bytes(bytes))?;
    let (cols, _) = by_header(target, &rows.header);
    let header = rows.header.clone();
    let sheet = Sheet {
        file,
        encoding: rows.encoding,
        header: &header,
        target,
        cols,
    };
    Ok(sheet.records(rows, notes, |_, _| {}))
}

/// A line of a table's file: its number and its object.
type Numbered = (usize, Map<String, Json>);

/// The lines of a table's JSON Lines file, each as (line number, object); none when
/// the export does not hold it, or — with an error line in the report — when it
/// cannot be read.
fn lines(archive: &Archive, table: &str, report: &mut Report) -> Vec<Numbered> {
    match read_lines(archive, table) {
        Ok(all) => all,
        Err(e) => {
            let mut l = line(table, 0, "", "");
            l.fail(e);
            report.push(l);
            vec![]
        }
    }
}

fn read_lines(archive: &Archive, table: &str) -> Result<Vec<Numbered>, String> {
    let file = records::file_of(table);
    let Some(path) = archive.find(&file).map(str::to_string) else {
        return Ok(vec![]);
    };
    let bytes = archive.read(&path)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{file} is not UTF-8."))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map(|o| (i + 1, o))
                .map_err(|e| format!("{file}:{}: {e}", i + 1))
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// In an export of this very tenant, the row of `table` its id names, if it is still
/// here: that row is this one.
fn own(
    run: &Run,
    conn: &mut AnyConnection,
    table: &str,
    source: Option<i64>,
) -> diesel::QueryResult<Option<i64>> {
    use diesel::RunQueryDsl;
    let Some(source) = source.filter(|_| run.own_ids) else {
        return Ok(None);
    };
    let found: Vec<Id> =
        mspdesk_platform::db::sql::Sql::new(format!("SELECT id FROM {table} WHERE tenant_id = "))
            .int(run.who.tenant().get())
            .sql(" AND id = ")
            .int(source)
            .load(conn)?;
    Ok(found.first().map(|f| f.id))
}

/// A line's row, read and checked (`rows::read`); `None` when it cannot be stored, the
/// report line then failed with the reason.
fn read_or_fail(
    spec: &records::Table,
    raw: &Map<String, Json>,
    ids: &rows::Ids,
    mut l: Line,
    report: &mut Report,
) -> Option<(rows::Row, Line)> {
    match rows::read(spec, raw, ids) {
        Ok(row) => Some((row, l)),
        Err(e) => {
            l.fail(e);
            report.push(l);
            None
        }
    }
}

/// The rows of a table's file that can be stored, each with its report line (titled by
/// `title`); those that cannot are in the report already, failed.
fn good_rows(
    (archive, ids): (&Archive, &rows::Ids),
    spec: &records::Table,
    kind: &'static str,
    title: impl Fn(&Map<String, Json>) -> String,
    report: &mut Report,
) -> Vec<(rows::Row, Line)> {
    lines(archive, spec.name, report)
        .into_iter()
        .filter_map(|(number, raw)| {
            let l = line(spec.name, number, kind, title(&raw));
            read_or_fail(spec, &raw, ids, l, report)
        })
        .collect()
}

/// The id here of a line's row, when this import made that row (only those take what
/// the export says of them beyond their sheet).
fn made_here(run: &Run, table: &str, raw: &Map<String, Json>) -> Option<i64> {
    raw.get("id")
        .and_then(Json::as_i64)
        .and_then(|s| run.ids.get(table, s))
        .filter(|id| run.made(table, *id))
}

/// A report line of a restored row.
fn line(table: &str, number: usize, kind: &'static str, title: impl Into<String>) -> Line {
    Line {
        line: number,
        file: records::file_of(table),
        kind: kind.into(),
        title: title.into(),
        client: String::new(),
        action: Action::Create,
        reason: String::new(),
        flags: vec![],
    }
}
