//! The whole tenant as one ZIP: built into a file beside the stored files, then
//! streamed as a download (the admin's button, and the platform console's).

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use crate::auth::Ctx;
use crate::domain::portability::tenant_export::{self, Asked};
use crate::error::{AppError, AppResult};
use crate::files::Storage;
use crate::resource::export::file_part;
use mspdesk_platform::db::Db;
use mspdesk_platform::keys::random_token;
use mspdesk_platform::vault::Vault;

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
        let mut page = super::blank(&ctx);
        page.export_error =
            "Say why the export needs the secrets; the audit log keeps the reason.".into();
        return super::start_page(&ctx, &db, page).await;
    }
    let asked = Asked::ByAdmin {
        reason: secrets.then(|| form.reason.clone()),
    };
    let files_dir = storage.dir.clone();
    stream_export(
        &req,
        &db,
        vault.get_ref().clone(),
        files_dir,
        ctx.who(),
        asked,
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
    asked: Asked,
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
            let built = tenant_export::build(conn, &who, &vault, &asked, now, &files_dir, out);
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
