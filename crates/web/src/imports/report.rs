//! An uploaded file's dry run: what each row would do (run at upload and kept with
//! it; run again only when asked), then the import of all of it (nothing when a row
//! fails), of only its good rows (the user's choice, still one transaction), or its
//! discard; and the rows that would be skipped, as a CSV to fix and import again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::portability::import::{self, batches, Action, Keep, Line, Report, Upload};
use crate::domain::scope::RecordId;
use crate::error::{AppError, AppResult};
use crate::files::{remove, Storage};
use crate::resource::export::{attachment, file_part};
use crate::see_other;
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

#[derive(Template)]
#[template(path = "admin/import_report.html")]
struct ReportPage {
    l: Layout,
    batch: batches::Batch,
    report: Report,
    /// The lines shown: problems first, then the rest, up to `SHOWN`.
    lines: Vec<Line>,
    hidden: usize,
    creates: usize,
    updates: usize,
    skips: usize,
    errors: usize,
    flagged: usize,
    dropped: usize,
    message: String,
}

const SHOWN: usize = 1_000;

/// The batch's upload, as the importer reads it.
fn upload_of(batch: &batches::Batch, storage: &Storage) -> Upload {
    Upload {
        name: batch.original_name.clone(),
        path: storage.path(&batch.stored_name),
        spec: batch.spec(),
        unpack_limit: storage.max_bytes,
    }
}

/// Reads an upload and runs its plan, keeping what `keep` says; restored users are
/// invited with links to this site. A file that cannot be read is the inner `Err`.
pub(super) async fn run(
    (req, ctx): (&HttpRequest, &Ctx),
    db: &Db,
    (storage, vault): (&Storage, &Vault),
    upload: Upload,
    keep: Keep,
) -> AppResult<Result<Report, String>> {
    let (who, vault, dir) = (ctx.who(), vault.clone(), storage.dir.clone());
    let base = crate::admin::user_lifecycle::base(req);
    db.run(move |conn| {
        let post = &crate::ops::messages::account_link;
        let context = import::Context {
            files_dir: &dir,
            invite: Some((&base, post)),
        };
        import::run_upload(conn, &who, &vault, &upload, keep, &context)
    })
    .await
}

/// The batch and its dry run: the one kept, or — for a batch without one, or when
/// `again` — a new one, kept for the next view.
async fn dry(
    (req, ctx, db, storage, vault, id): &Pending,
    again: bool,
) -> AppResult<(batches::Batch, Result<Report, String>)> {
    let (who, id) = (ctx.who(), RecordId(**id));
    let (batch, kept) = db
        .run(move |conn| {
            let batch = batches::find(conn, &who, id)?;
            let kept = if again {
                None
            } else {
                batches::report(conn, &who, id)?
            };
            Ok((batch, kept))
        })
        .await?;
    if let Some(report) = kept {
        return Ok((batch, Ok(report)));
    }
    let upload = upload_of(&batch, storage);
    let outcome = run((req, ctx), db, (storage, vault), upload, Keep::Nothing).await?;
    let batch = match &outcome {
        Ok(report) => keep_report(ctx, db, id, report).await?,
        Err(_) => batch,
    };
    Ok((batch, outcome))
}

/// Keeps a new dry run with its batch; the batch as it now is.
async fn keep_report(
    ctx: &Ctx,
    db: &Db,
    id: RecordId,
    report: &Report,
) -> AppResult<batches::Batch> {
    let (who, report) = (ctx.who(), report.clone());
    db.run(move |conn| {
        batches::keep_report(conn, &who, id, &report, chrono::Utc::now().naive_utc())?;
        batches::find(conn, &who, id)
    })
    .await
}

fn report_page(
    ctx: &Ctx,
    batch: batches::Batch,
    outcome: Result<Report, String>,
    message: String,
) -> AppResult<HttpResponse> {
    let (report, message) = match outcome {
        Ok(r) => (r, message),
        Err(e) => (Report::default(), e),
    };
    let problem = |l: &Line| l.action == Action::Error || !l.flags.is_empty();
    let mut lines: Vec<Line> = report
        .lines
        .iter()
        .filter(|l| problem(l))
        .cloned()
        .collect();
    lines.extend(report.lines.iter().filter(|l| !problem(l)).cloned());
    let hidden = lines.len().saturating_sub(SHOWN) + report.hidden;
    lines.truncate(SHOWN);
    // A dry run's errors are what the report is for; a refused commit (or a file that
    // cannot be read) is a form that did not pass.
    let status = if message.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::render(
        status,
        &ReportPage {
            l: ctx.layout(format!("Import {}", batch.original_name)),
            creates: report.count(Action::Create),
            updates: report.count(Action::Update),
            skips: report.count(Action::Skip),
            errors: report.count(Action::Error),
            flagged: report.flagged(),
            dropped: report.notes.dropped_values(),
            batch,
            report,
            lines,
            hidden,
            message,
        },
    )
}

/// What a page about a waiting upload is given (actix extracts the tuple whole).
type Pending = (
    HttpRequest,
    Ctx,
    Db,
    web::Data<Storage>,
    web::Data<Vault>,
    web::Path<i64>,
);

pub async fn dry_run(pending: Pending) -> AppResult<HttpResponse> {
    let (batch, outcome) = dry(&pending, false).await?;
    report_page(&pending.1, batch, outcome, String::new())
}

/// Runs the dry run again (the tenant's data may have changed since).
pub async fn check(pending: Pending) -> AppResult<HttpResponse> {
    let (batch, outcome) = dry(&pending, true).await?;
    if outcome.is_ok() {
        pending
            .1
            .flash("Checked again against your data as it is now.");
        return Ok(see_other(&format!("/admin/import/{}", batch.id)));
    }
    report_page(&pending.1, batch, outcome, String::new())
}

#[derive(Deserialize)]
pub struct CommitForm {
    /// "1": import the good rows and skip the ones that fail.
    #[serde(default)]
    skip_failed: String,
}

pub async fn commit(
    req: HttpRequest,
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    vault: web::Data<Vault>,
    id: web::Path<i64>,
    form: web::Form<CommitForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let keep = if form.skip_failed == "1" {
        Keep::GoodRows
    } else {
        Keep::All
    };
    let who = ctx.who();
    let batch = db
        .run(move |conn| batches::find(conn, &who, RecordId(id)))
        .await?;
    let upload = upload_of(&batch, &storage);
    let outcome = run((&req, &ctx), &db, (&storage, &vault), upload, keep).await?;
    let batch = match &outcome {
        // Refused: what it found is the dry run to show from now on.
        Ok(report) if !report.committed => keep_report(&ctx, &db, RecordId(id), report).await?,
        _ => batch,
    };
    match outcome {
        Ok(report) if report.committed => {
            let who = ctx.who();
            let stored = db
                .run(move |conn| batches::remove(conn, &who, RecordId(id)))
                .await?;
            remove(&storage, &stored).await;
            let skipped = match report.count(Action::Error) {
                0 => String::new(),
                n => format!(", {n} rows with errors skipped"),
            };
            ctx.flash(format!(
                "Imported {}: {} created, {} updated, {} unchanged{skipped}.",
                batch.original_name,
                report.count(Action::Create),
                report.count(Action::Update),
                report.count(Action::Skip)
            ));
            Ok(see_other("/admin/import"))
        }
        outcome => report_page(
            &ctx,
            batch,
            outcome,
            "Nothing was imported: the rows marked as errors must be fixed first, or \
             skipped."
                .into(),
        ),
    }
}

pub async fn discard(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (who, id) = (ctx.who(), id.into_inner());
    let stored = db
        .run(move |conn| batches::remove(conn, &who, RecordId(id)))
        .await?;
    remove(&storage, &stored).await;
    ctx.flash("The upload was discarded; nothing was imported.");
    Ok(see_other("/admin/import"))
}

/// The rows a dry run fails, as a CSV: for a CSV upload its own header and rows with
/// the reason in a last column (fix them and import the file again); for an archive,
/// which file, line and record, and why.
pub async fn skipped(
    req: HttpRequest,
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    vault: web::Data<Vault>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let pending = (req, ctx, db, storage, vault, id);
    let (batch, outcome) = dry(&pending, false).await?;
    let report = outcome.map_err(AppError::BadRequest)?;
    let upload = upload_of(&batch, &pending.3);
    let body = web::block(move || import::skipped_rows(&upload, &report))
        .await?
        .map_err(AppError::Internal)?;
    let name = format!("{}-skipped.csv", file_part(&batch.original_name));
    Ok(attachment(body, &name, "text/csv; charset=utf-8"))
}
