//! Admin → Import & export: upload a file (it is kept for its dry run), read the
//! report of what each row would do, then import it all or discard it; and download
//! the whole tenant as one ZIP.

use actix_multipart::Multipart;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::files::{receive, remove, Received, Storage};
use crate::domain::portability::import::{self, batches, Action, Line, Report, Spec, ARCHIVE};
use crate::domain::portability::tenant_export;
use crate::domain::scope::RecordId;
use crate::domain::tenancy::policy::{Action as Act, Area, Perm};
use crate::error::{AppError, AppResult};
use crate::platform::db::Db;
use crate::platform::keys::random_token;
use crate::platform::vault::Vault;
use crate::web::auth::{Ctx, Layout};
use crate::web::resource::export::file_part;
use crate::web::routes::Table;
use crate::web::see_other;

pub fn routes(t: &mut Table) {
    let p = |action| Perm::new(Area::Admin, action);
    t.get("/admin/import", p(Act::Edit), None, || web::get().to(start));
    t.post("/admin/import", p(Act::Edit), None, || {
        web::post().to(upload)
    });
    t.get("/admin/import/{id}", p(Act::Edit), None, || {
        web::get().to(report)
    });
    t.post("/admin/import/{id}/commit", p(Act::Edit), None, || {
        web::post().to(commit)
    });
    t.post("/admin/import/{id}/discard", p(Act::Edit), None, || {
        web::post().to(discard)
    });
    t.post("/admin/export", p(Act::Edit), None, || {
        web::post().to(export)
    });
}

/// The kinds the form offers: (value, label).
fn kinds() -> Vec<(String, String)> {
    let mut out = vec![(
        ARCHIVE.to_string(),
        "An export archive (ZIP): IT Glue or mspdesk".to_string(),
    )];
    out.extend(import::targets().iter().map(|t| {
        (
            t.slug.to_string(),
            format!("CSV of {}", t.plural.to_lowercase()),
        )
    }));
    out
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct StartPage {
    l: Layout,
    kinds: Vec<(String, String)>,
    itflow: Vec<&'static str>,
    pending: Vec<batches::Batch>,
    kind: String,
    layout: String,
    client: String,
    error: String,
    export_error: String,
}

async fn start_page(ctx: &Ctx, db: &Db, form: StartPage) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let pending = db.run(move |conn| batches::list(conn, &who)).await?;
    let status = if form.error.is_empty() && form.export_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::web::render(status, &StartPage { pending, ..form })
}

fn blank(ctx: &Ctx) -> StartPage {
    StartPage {
        l: ctx.layout("Import & export"),
        kinds: kinds(),
        itflow: import::columns::itflow_kinds().collect(),
        pending: vec![],
        kind: ARCHIVE.into(),
        layout: "headers".into(),
        client: String::new(),
        error: String::new(),
        export_error: String::new(),
    }
}

pub async fn start(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let form = blank(&ctx);
    start_page(&ctx, &db, form).await
}

pub async fn upload(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let Received {
        input,
        upload,
        too_big,
    } = receive(payload, &storage).await?;
    let mut form = blank(&ctx);
    form.kind = input.get("kind").to_string();
    form.layout = input.get("layout").to_string();
    form.client = input.get("client").to_string();
    let Some((up, guard)) = upload.filter(|_| !too_big) else {
        form.error = if too_big {
            format!("The file is larger than the {} MB upload limit; split it, or use `mspdesk import` on the server.", storage.max_bytes / (1024 * 1024))
        } else {
            "Choose a file to import.".into()
        };
        return start_page(&ctx, &db, form).await;
    };
    let spec = Spec {
        kind: form.kind.clone(),
        layout: batches::layout_of(&form.layout),
        client: Some(form.client.clone()).filter(|c| !c.trim().is_empty()),
    };
    // The file is read now so that a file that cannot be read is told at once.
    let path = storage.path(&up.file_path);
    let (name, check_spec) = (up.original_name.clone(), spec.clone());
    let planned = web::block(move || {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        import::plan(&name, &bytes, &check_spec).map(|_| ())
    })
    .await?;
    if let Err(e) = planned {
        form.error = e;
        return start_page(&ctx, &db, form).await;
    }
    let who = ctx.who();
    let (stored, original) = (up.file_path.clone(), up.original_name.clone());
    let (id, expired) = db
        .run(move |conn| {
            batches::create(
                conn,
                &who,
                &stored,
                &original,
                &spec,
                Utc::now().naive_utc(),
            )
        })
        .await?;
    guard.keep();
    for old in expired {
        remove(&storage, &old).await;
    }
    Ok(see_other(&format!("/admin/import/{}", id.0)))
}

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
    message: String,
}

const SHOWN: usize = 1_000;

/// Reads the batch's file and runs its plan: a dry run, or the commit.
async fn apply(
    ctx: &Ctx,
    db: &Db,
    storage: &Storage,
    vault: &Vault,
    id: i64,
    commit: bool,
) -> AppResult<(batches::Batch, Result<Report, String>)> {
    let who = ctx.who();
    let batch = db
        .run(move |conn| batches::find(conn, &who, RecordId(id)))
        .await?;
    let path = storage.path(&batch.stored_name);
    let (name, spec) = (batch.original_name.clone(), batch.spec());
    let plan = web::block(move || {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("The uploaded file is gone ({e}); upload it again."))?;
        import::plan(&name, &bytes, &spec)
    })
    .await?;
    let plan = match plan {
        Ok(p) => p,
        Err(e) => return Ok((batch, Err(e))),
    };
    let (who, vault) = (ctx.who(), vault.clone());
    let report = db
        .run(move |conn| import::run(conn, &who, &vault, &plan, commit))
        .await?;
    Ok((batch, Ok(report)))
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
    let mut lines: Vec<Line> = report
        .lines
        .iter()
        .filter(|l| l.action == Action::Error || !l.flags.is_empty())
        .cloned()
        .collect();
    lines.extend(
        report
            .lines
            .iter()
            .filter(|l| l.action != Action::Error && l.flags.is_empty())
            .cloned(),
    );
    let hidden = lines.len().saturating_sub(SHOWN);
    lines.truncate(SHOWN);
    let errors = report.count(Action::Error);
    // A dry run's errors are what the report is for; a refused commit (or a file that
    // cannot be read) is a form that did not pass.
    let status = if !message.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    crate::web::render(
        status,
        &ReportPage {
            l: ctx.layout(format!("Import {}", batch.original_name)),
            creates: report.count(Action::Create),
            updates: report.count(Action::Update),
            skips: report.count(Action::Skip),
            errors,
            flagged: report.flagged(),
            batch,
            report,
            lines,
            hidden,
            message,
        },
    )
}

pub async fn report(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    vault: web::Data<Vault>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (batch, outcome) = apply(&ctx, &db, &storage, &vault, id.into_inner(), false).await?;
    report_page(&ctx, batch, outcome, String::new())
}

pub async fn commit(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    vault: web::Data<Vault>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (batch, outcome) = apply(&ctx, &db, &storage, &vault, id, true).await?;
    match outcome {
        Ok(report) if report.committed => {
            let who = ctx.who();
            let stored = db
                .run(move |conn| batches::remove(conn, &who, RecordId(id)))
                .await?;
            remove(&storage, &stored).await;
            ctx.flash(format!(
                "Imported {}: {} created, {} updated, {} unchanged.",
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
            "Nothing was imported: the rows marked as errors must be fixed first.".into(),
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

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    secrets: Option<String>,
    #[serde(default)]
    reason: String,
}

pub async fn export(
    req: HttpRequest,
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    storage: web::Data<Storage>,
    form: web::Form<ExportForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let secrets = form.secrets.is_some();
    if secrets && form.reason.trim().is_empty() {
        let mut page = blank(&ctx);
        page.export_error =
            "Say why the export needs the secrets; the audit log keeps the reason.".into();
        return start_page(&ctx, &db, page).await;
    }
    let reason = secrets.then(|| form.reason.clone());
    let files_dir = storage.dir.clone();
    stream_export(
        &req,
        &db,
        vault.get_ref().clone(),
        files_dir,
        ctx.who(),
        reason,
    )
    .await
}

/// Builds the tenant's export as `who` and streams it as a download (the admin's
/// button, and the platform console's).
pub async fn stream_export(
    req: &HttpRequest,
    db: &Db,
    vault: Vault,
    files_dir: std::path::PathBuf,
    who: crate::domain::scope::Who,
    reason: Option<String>,
) -> AppResult<HttpResponse> {
    let now = Utc::now().naive_utc();
    // Written next to the stored files (the same disk), opened for reading, and
    // unlinked at once: the open file streams out and the disk space goes with it.
    let (zip, tenant) = db
        .run(move |conn| {
            let path = files_dir.join(format!(".export-{}.zip", random_token(12)));
            // A server that has stored no file yet has no storage directory either.
            std::fs::create_dir_all(&files_dir)
                .map_err(|e| AppError::Internal(format!("the storage directory: {e}")))?;
            let out = std::fs::File::create_new(&path)
                .map_err(|e| AppError::Internal(format!("the export file: {e}")))?;
            let built =
                tenant_export::build(conn, &who, &vault, reason.as_deref(), now, &files_dir, out);
            let zip = built.and_then(|()| {
                std::fs::File::open(&path)
                    .map_err(|e| AppError::Internal(format!("the export file: {e}")))
            });
            let _ = std::fs::remove_file(&path);
            let name = crate::domain::tenancy::tenants::name(conn, who.tenant())?;
            Ok::<_, AppError>((zip?, name))
        })
        .await?;
    let name = format!("{}-export-{}.zip", file_part(&tenant), now.format("%Y%m%d"));
    // The name's `.zip` gives the content type.
    let file = actix_files::NamedFile::from_file(zip, &name)
        .map_err(|e| AppError::Internal(format!("the export file: {e}")))?
        .set_content_disposition(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name.clone())],
        })
        .use_etag(false)
        .use_last_modified(false);
    Ok(file.into_response(req))
}
