//! Admin → Import & export: upload a file (it is kept for its dry run), read the
//! report of what each row would do (`report`), then import it all, only its good
//! rows, or discard it; and download the whole tenant as one ZIP (`export`).

mod export;
mod report;

pub use export::stream_export;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;

use super::files::{receive, remove, Received, Storage};
use crate::auth::{Ctx, Layout};
use crate::domain::policy::{Action as Act, Area, Perm};
use crate::domain::portability::import::{self, batches, Keep, Spec, Upload, ARCHIVE};
use crate::error::AppResult;
use crate::routes::Table;
use crate::see_other;
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

pub fn routes(t: &mut Table) {
    let p = |action| Perm::new(Area::Admin, action);
    t.get("/admin/import", p(Act::Edit), None, || web::get().to(start));
    t.post("/admin/import", p(Act::Edit), None, || {
        web::post().to(upload)
    });
    t.get("/admin/import/{id}", p(Act::Edit), None, || {
        web::get().to(report::dry_run)
    });
    t.get("/admin/import/{id}/skipped.csv", p(Act::Edit), None, || {
        web::get().to(report::skipped)
    });
    t.post("/admin/import/{id}/check", p(Act::Edit), None, || {
        web::post().to(report::check)
    });
    t.post("/admin/import/{id}/commit", p(Act::Edit), None, || {
        web::post().to(report::commit)
    });
    t.post("/admin/import/{id}/discard", p(Act::Edit), None, || {
        web::post().to(report::discard)
    });
    t.post("/admin/export", p(Act::Edit), None, || {
        web::post().to(export::export)
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
pub(super) struct StartPage {
    l: Layout,
    kinds: Vec<(String, String)>,
    itflow: Vec<&'static str>,
    pending: Vec<batches::Batch>,
    kind: String,
    layout: String,
    client: String,
    error: String,
    pub(super) export_error: String,
}

pub(super) async fn start_page(ctx: &Ctx, db: &Db, form: StartPage) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let pending = db.run(move |conn| batches::list(conn, &who)).await?;
    let status = if form.error.is_empty() && form.export_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::render(status, &StartPage { pending, ..form })
}

pub(super) fn blank(ctx: &Ctx) -> StartPage {
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
    req: HttpRequest,
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    vault: web::Data<Vault>,
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
    // The dry run is made now, once: a file that cannot be read is told at once, and
    // the report is kept with the upload for the page to show.
    let upload = Upload {
        name: up.original_name.clone(),
        path: guard.path().to_path_buf(),
        spec: spec.clone(),
        unpack_limit: storage.max_bytes,
    };
    let dry = report::run((&req, &ctx), &db, (&storage, &vault), upload, Keep::Nothing).await?;
    let report = match dry.map(|r| (r.unreadable.clone(), r)) {
        Ok((None, report)) => report,
        Ok((Some(e), _)) | Err(e) => {
            form.error = e;
            return start_page(&ctx, &db, form).await;
        }
    };
    let who = ctx.who();
    let (stored, original) = (up.file_path.clone(), up.original_name.clone());
    let (id, expired) = db
        .run(move |conn| {
            let names = (stored.as_str(), original.as_str());
            let now = Utc::now().naive_utc();
            batches::create(conn, &who, names, &spec, Some(&report), now)
        })
        .await?;
    guard.keep().await?;
    for old in expired {
        remove(&storage, &old).await;
    }
    Ok(see_other(&format!("/admin/import/{}", id.0)))
}
