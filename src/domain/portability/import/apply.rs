//! A plan applied in one transaction, as its records are read: each record through the
//! service function its form uses (validation, database rules, permissions, secrets
//! sealed), clients and reference lists looked up once and kept current as rows are
//! created, one audit entry for the whole import.

use serde_json::json;

use super::rows::write_client;
use super::state::Run;
use super::{target, Action, ClientRef, Line, Plan, Record, Report};
use crate::domain::directory::clients;
use crate::domain::scope::Who;
use crate::domain::search::index;
use crate::domain::tenancy::audit;
use crate::domain::tenancy::policy::{require, Action as Act, Area, Perm};
use crate::error::{AppError, AppResult};
use crate::platform::db::{write_transaction, AnyConnection};
use crate::platform::vault::Vault;

pub(super) type WriteFn = fn(&mut Run, &mut AnyConnection, &Record, &mut Line) -> AppResult<()>;

/// What a run keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// A dry run: everything is rolled back.
    Nothing,
    /// Everything, or nothing when a single row fails (the default).
    All,
    /// The rows that pass; the rows that fail are skipped (the user's choice after a
    /// dry run listed them).
    GoodRows,
}

/// Applies `plan`; keeps what `keep` says. Admins only.
pub fn run(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    plan: Plan,
    keep: Keep,
) -> AppResult<Report> {
    require(Perm::new(Area::Admin, Act::Edit), who.role)?;
    // A pooled SQLite connection keeps the planner statistics it loaded when it was
    // opened; one opened while the tables were small plans the import's statements
    // as scans (measured: 100k rows in minutes instead of seconds). `optimize`
    // re-analyses what grew since, and costs nothing when nothing did.
    if let AnyConnection::Sqlite(c) = conn {
        crate::platform::db::analyse(c, "PRAGMA optimize = 0x10002;")?;
    }
    let source = plan.source.clone();
    let mut report = None;
    let outcome = write_transaction(conn, |conn| {
        let rep = index::deferred(conn, |conn| execute(conn, who, vault, plan))?;
        let kept = match keep {
            Keep::Nothing => false,
            Keep::All => rep.count(Action::Error) == 0 && !rep.stopped,
            Keep::GoodRows => !rep.stopped,
        };
        if kept {
            let changes = json!({
                "source": source,
                "created": rep.count(Action::Create),
                "updated": rep.count(Action::Update),
                "skipped": rep.count(Action::Skip),
                "failed_and_left_out": rep.count(Action::Error),
                "flagged": rep.flagged(),
            });
            audit::record(
                conn,
                &who.actor,
                audit::Entry::of_tenant("import", None, "import", changes).titled(source.clone()),
            )?;
        }
        report = Some(rep);
        if kept {
            Ok(())
        } else {
            Err(AppError::RolledBack)
        }
    });
    match (outcome, report) {
        (Ok(()), Some(mut rep)) => {
            rep.report.committed = true;
            Ok(rep.report)
        }
        (Err(AppError::RolledBack), Some(rep)) => Ok(rep.report),
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(AppError::Internal("import without a report".into())),
    }
}

/// A report, and whether the import had to stop (a file that could not be read on,
/// a write the database refused): then nothing can be kept.
struct Ran {
    report: Report,
    stopped: bool,
}

impl std::ops::Deref for Ran {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.report
    }
}

fn execute(conn: &mut AnyConnection, who: &Who, vault: &Vault, plan: Plan) -> AppResult<Ran> {
    let mut run = Run::new(who, vault, plan.source_tenant == Some(who.tenant().get()));
    for (id, name, archived) in clients::names_with_archived(conn, who.tenant())? {
        run.by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(super::state::Named { id, archived });
    }
    let mut ran = Ran {
        report: Report::default(),
        stopped: false,
    };
    if let Some(name) = &plan.chosen_client {
        match run.client_named(name) {
            Ok(id) => run.chosen = Some(id),
            Err(e) => {
                let mut line = Line::of(
                    &Record::new(&plan.source, 0, "clients", ClientRef::Chosen),
                    "",
                );
                line.fail(e);
                ran.report.push(line);
                ran.stopped = true;
                return Ok(ran);
            }
        }
    }
    for record in plan.records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // The file cannot be read on: what it held after this is unknown.
                let mut line = Line::of(&Record::new(&plan.source, 0, "", ClientRef::Chosen), "");
                line.fail(format!("{e} The import stopped here."));
                ran.report.push(line);
                ran.stopped = true;
                break;
            }
        };
        let Some(t) = target(record.slug) else {
            continue;
        };
        let mut line = Line::of(&record, t.singular);
        line.title = record.value(t.title).to_string();
        let written = if run.holds_other_than(record.slug) {
            run.flush(conn)
        } else {
            Ok(())
        };
        let written = written.and_then(|()| match t.write {
            Some(write) => write(&mut run, conn, &record, &mut line),
            None => write_client(&mut run, conn, t, &record, &mut line),
        });
        ran.report.push(line);
        if !goes_on(&mut run, &mut ran, written)? {
            break;
        }
    }
    if !ran.stopped {
        let flushed = run.flush(conn);
        if goes_on(&mut run, &mut ran, flushed)? {
            let linked = super::deferred::finish(&mut run, conn, &mut ran.report);
            goes_on(&mut run, &mut ran, linked)?;
        }
    }
    ran.report.notes = plan.notes.borrow().clone();
    ran.report.sort();
    Ok(ran)
}

/// Whether the import goes on after a write. The database refused a write the checks
/// did not foresee: the transaction cannot go on (PostgreSQL aborts it), so the import
/// stops at that row — the last one, or the first of the records held together.
fn goes_on(run: &mut Run, ran: &mut Ran, written: AppResult<()>) -> AppResult<bool> {
    match written {
        Ok(()) => Ok(true),
        Err(e @ (AppError::Conflict(_) | AppError::Db(_))) => {
            let (whole, at) = match run.failed_at.take() {
                Some(at) => (
                    "; the import stopped at this row (written with the rows after it).",
                    Some(at),
                ),
                None => ("; the import stopped at this row.", ran.report.last_line()),
            };
            if let Some((file, line)) = at {
                ran.report.fail_at(&file, line, format!("{e}{whole}"));
            }
            ran.stopped = true;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

impl Line {
    fn of(r: &Record, kind: &'static str) -> Line {
        Line {
            line: r.line,
            file: r.file.clone(),
            kind,
            title: String::new(),
            client: String::new(),
            action: Action::Skip,
            reason: String::new(),
            flags: r.flags.clone(),
        }
    }
}
