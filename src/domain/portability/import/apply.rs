//! A plan applied in one transaction: each record through the service function its
//! form uses (validation, database rules, permissions, secrets sealed), clients and
//! reference lists looked up once and kept current as rows are created, one audit
//! entry for the whole import.

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

/// Applies `plan`; keeps it only when `commit` and no row failed. Admins only.
pub fn run(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    plan: &Plan,
    commit: bool,
) -> AppResult<Report> {
    require(Perm::new(Area::Admin, Act::Edit), who.role)?;
    // A pooled SQLite connection keeps the planner statistics it loaded when it was
    // opened; one opened while the tables were small plans the import's statements
    // as scans (measured: 100k rows in minutes instead of seconds). `optimize`
    // re-analyses what grew since, and costs nothing when nothing did.
    if let AnyConnection::Sqlite(c) = conn {
        crate::platform::db::analyse(c, "PRAGMA optimize = 0x10002;")?;
    }
    let mut report = None;
    let outcome = write_transaction(conn, |conn| {
        let rep = index::deferred(conn, |conn| execute(conn, who, vault, plan))?;
        let keep = commit && rep.count(Action::Error) == 0;
        if keep {
            let changes = json!({
                "source": plan.source,
                "created": rep.count(Action::Create),
                "updated": rep.count(Action::Update),
                "skipped": rep.count(Action::Skip),
                "flagged": rep.flagged(),
            });
            audit::record(
                conn,
                &who.actor,
                audit::Entry::of_tenant("import", None, "import", changes)
                    .titled(plan.source.clone()),
            )?;
        }
        report = Some(rep);
        if keep {
            Ok(())
        } else {
            Err(AppError::RolledBack)
        }
    });
    match (outcome, report) {
        (Ok(()), Some(mut rep)) => {
            rep.committed = true;
            Ok(rep)
        }
        (Err(AppError::RolledBack), Some(rep)) => Ok(rep),
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(AppError::Internal("import without a report".into())),
    }
}

fn execute(conn: &mut AnyConnection, who: &Who, vault: &Vault, plan: &Plan) -> AppResult<Report> {
    let mut run = Run::new(who, vault, plan.source_tenant == Some(who.tenant().get()));
    for (id, name, archived) in clients::names_with_archived(conn, who.tenant())? {
        run.by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(super::state::Named { id, archived });
    }
    let mut report = Report {
        ignored: plan.ignored.clone(),
        ..Report::default()
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
                report.lines.push(line);
                return Ok(report);
            }
        }
    }
    let mut order: Vec<&Record> = plan.records.iter().collect();
    order.sort_by_key(|r| target(r.slug).map_or(u8::MAX, |t| t.rank));
    for record in order {
        let Some(t) = target(record.slug) else {
            continue;
        };
        let mut line = Line::of(record, t.singular);
        line.title = record.value(t.title).to_string();
        let written = if run.holds_other_than(record.slug) {
            run.flush(conn)
        } else {
            Ok(())
        };
        let written = written.and_then(|()| match t.write {
            Some(write) => write(&mut run, conn, record, &mut line),
            None => write_client(&mut run, conn, t, record, &mut line),
        });
        report.lines.push(line);
        if !goes_on(&mut run, &mut report, written)? {
            return Ok(sorted(report));
        }
    }
    let flushed = run.flush(conn);
    goes_on(&mut run, &mut report, flushed)?;
    Ok(sorted(report))
}

fn sorted(mut report: Report) -> Report {
    report
        .lines
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    report
}

/// Whether the import goes on after a write. The database refused a write the checks
/// did not foresee: the transaction cannot go on (PostgreSQL aborts it), so the import
/// stops at that row — the last one, or the first of the records held together.
fn goes_on(run: &mut Run, report: &mut Report, written: AppResult<()>) -> AppResult<bool> {
    match written {
        Ok(()) => Ok(true),
        Err(e @ (AppError::Conflict(_) | AppError::Db(_))) => {
            let at = run.failed_at.take();
            let line = report.lines.iter_mut().rev().find(|l| {
                at.as_ref()
                    .is_none_or(|(f, n)| (&l.file, l.line) == (f, *n))
            });
            if let Some(line) = line {
                let whole = if at.is_some() {
                    "; the import stopped at this row (written with the rows after it)."
                } else {
                    "; the import stopped at this row."
                };
                line.fail(format!("{e}{whole}"));
            }
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
    pub(super) fn fail(&mut self, reason: impl Into<String>) {
        self.action = Action::Error;
        self.reason = reason.into();
    }
}
