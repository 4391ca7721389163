//! A plan applied in one transaction, as its records are read: each record through the
//! service function its form uses (validation, database rules, permissions, secrets
//! sealed), clients and reference lists looked up once and kept current as rows are
//! created, one audit entry for the whole import.

use serde_json::json;

use super::rows::write_client;
use super::state::Run;
use super::{target, Action, ClientRef, Item, Line, Plan, Record, Report};
use crate::audit;
use crate::clients;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action as Act, Area, Perm};
use crate::scope::Who;
use crate::search::index;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::vault::Vault;

pub(super) type WriteFn = fn(&mut Run, &mut AnyConnection, &Record, &mut Line) -> AppResult<()>;

pub use mspdesk_platform::storage::STAGING;

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

/// What an import needs beside the database: where stored files go, and how restored
/// users are invited.
pub struct Context<'a> {
    pub files_dir: &'a std::path::Path,
    /// The site's address and the mail of an invitation link; without it restored
    /// users wait for an admin to invite them.
    pub invite: Option<(&'a str, crate::tenancy::lifecycle::Post<'a>)>,
}

/// Applies `plan`; keeps what `keep` says. Admins only.
pub fn run(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    plan: Plan,
    keep: Keep,
    ctx: &Context,
) -> AppResult<Report> {
    require(Perm::new(Area::Admin, Act::Edit), who.role)?;
    // A pooled SQLite connection keeps the planner statistics it loaded when it was
    // opened; one opened while the tables were small plans the import's statements
    // as scans (measured: 100k rows in minutes instead of seconds). `optimize`
    // re-analyses what grew since, and costs nothing when nothing did.
    if let AnyConnection::Sqlite(c) = conn {
        mspdesk_platform::db::analyse(c, "PRAGMA optimize = 0x10002;")?;
    }
    let source = plan.source.clone();
    let mut report = None;
    let mut new_files = vec![];
    // Restored files' bytes are written here first; what is not kept goes with it.
    let staging = ctx.files_dir.join(format!(
        "{STAGING}{}",
        mspdesk_platform::keys::random_token(8)
    ));
    let outcome = write_transaction(conn, |conn| {
        let rep = index::deferred(conn, |conn| {
            execute(conn, who, vault, plan, keep, (ctx, &staging))
        })?;
        new_files.clone_from(&rep.new_files);
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
    // Restored files' bytes take their names once the rows naming them are kept.
    if outcome.is_ok() {
        for (written, name) in &new_files {
            if let Err(e) = std::fs::rename(written, name) {
                tracing::error!("import: a restored file at {}: {e}", written.display());
            }
        }
    }
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
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
    /// Stored files' bytes written under a temporary name, and their names.
    new_files: Vec<(std::path::PathBuf, std::path::PathBuf)>,
}

impl std::ops::Deref for Ran {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.report
    }
}

fn execute(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    plan: Plan,
    keep: Keep,
    (ctx, staging): (&Context, &std::path::Path),
) -> AppResult<Ran> {
    let own_ids = plan.source_tenant == Some(who.tenant().get());
    let mut run = Run::new(who, vault, own_ids, ctx, keep != Keep::Nothing);
    run.staging = staging.to_path_buf();
    run.restoring = plan.source_tenant.is_some();
    for (id, name, archived) in clients::names_with_archived(conn, who.tenant())? {
        run.by_name
            .entry(name.to_lowercase())
            .or_default()
            .push(super::state::Named { id, archived });
    }
    let mut ran = Ran {
        report: Report::default(),
        stopped: false,
        new_files: vec![],
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
    for item in plan.records {
        let record = match item {
            Ok(Item::Record(r)) => r,
            Ok(Item::Step(step)) => {
                // A step reads the ids of every record before it, and sets what those
                // records cannot change after it: held records and references first.
                let done = run
                    .flush(conn)
                    .and_then(|()| super::deferred::finish(&mut run, conn, &mut ran.report))
                    .and_then(|()| (step.run)(&mut run, conn, &mut ran.report));
                if !goes_on(&mut run, &mut ran, done)? {
                    break;
                }
                continue;
            }
            Err(e) => {
                // The file cannot be read on: what it held after this is unknown.
                let mut line = Line::of(&Record::new(&plan.source, 0, "", ClientRef::Chosen), "");
                line.fail(format!("{e} The import stopped here."));
                ran.report.push(line);
                ran.report.unreadable = Some(e.to_string());
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
    ran.new_files = std::mem::take(&mut run.new_files);
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
            kind: kind.into(),
            title: String::new(),
            client: String::new(),
            action: Action::Skip,
            reason: String::new(),
            flags: r.flags.clone(),
        }
    }
}
