//! `mspdesk import`: the importer from the shell, with the same plan, service and
//! report as the browser's; the report is printed, problem rows first.

use std::path::Path;

use crate::domain::portability::import::{self, Action, Keep, Report, Spec, Upload};
use crate::platform::config::Config;
use crate::platform::db;

/// Runs the import; `Ok(true)` when it was written (or a dry run found no error).
pub fn run(
    config: &Config,
    path: &Path,
    email: &str,
    tenant: Option<i64>,
    spec: &Spec,
    keep: Keep,
) -> Result<bool, String> {
    let upload = Upload {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_path_buf(),
        spec: spec.clone(),
        unpack_limit: crate::domain::portability::import::archive::MAX_UNPACKED,
    };
    let (backend, _pool) = db::init(&config.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = backend.connect().map_err(|e| e.to_string())?;
    let vault = super::vault_key::open(&mut conn, &config.data_dir)?;
    let (user, who) = super::acting::account(&mut conn, email, tenant, "mspdesk import")?;
    if user.restricted() {
        return Err(format!(
            "{email} may open only some clients; imports need an unrestricted admin"
        ));
    }
    let started = std::time::Instant::now();
    // Restored users are made without a password: a link to this process's address
    // would not be the site's, so the admin sends them sign-in links from Admin → Users.
    let files = config.data_dir.join("files");
    let context = import::Context {
        files_dir: &files,
        invite: None,
    };
    let report = import::run_upload(&mut conn, &who, &vault, &upload, keep, &context)
        .map_err(|e| e.to_string())??;
    print(&report);
    let errors = report.count(Action::Error);
    let verdict = match (report.committed, keep, errors) {
        (true, _, 0) => "Imported",
        (true, _, _) => "Imported, without the rows with errors",
        (false, Keep::Nothing, 0) => "Dry run, nothing written; run again with --commit",
        (false, Keep::Nothing, _) => "Dry run with errors, nothing written",
        (false, _, _) => {
            "Nothing was written (fix the errors above, or skip them with --skip-failed)"
        }
    };
    println!("{verdict} in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(errors == 0 || report.committed)
}

fn print(report: &Report) {
    for l in report
        .lines
        .iter()
        .filter(|l| l.action == Action::Error || !l.flags.is_empty())
    {
        println!(
            "{}:{} {} \"{}\" — {}{}{}",
            l.file,
            l.line,
            l.kind,
            l.title,
            l.action.label(),
            if l.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", l.reason)
            },
            if l.flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", l.flags.join(" "))
            }
        );
    }
    for (file, encoding) in &report.notes.encodings {
        println!("{file} was read as {encoding}");
    }
    for i in &report.notes.ignored {
        println!(
            "ignored column {}: {} ({} values not imported)",
            i.file, i.column, i.values
        );
    }
    println!(
        "{} to create, {} to update, {} unchanged, {} errors, {} flagged.",
        report.count(Action::Create),
        report.count(Action::Update),
        report.count(Action::Skip),
        report.count(Action::Error),
        report.flagged()
    );
}
