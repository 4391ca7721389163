//! File upload (multipart, streamed to disk under a random name, size-limited),
//! download (as an attachment, with the original name) and hard delete.

use std::io::Write;

use actix_files::NamedFile;
use actix_multipart::Multipart;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::resource::form::{form_page, FormState, Shown};
use super::resource::{base, client_context};

use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::documentation::files;
use crate::domain::documentation::files::{Files, Upload};
use crate::domain::forms::{Errors, FormInput};
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::{refs, Resource};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::{AppError, AppResult};
use crate::routes::Table;
use mspdesk_platform::db::Db;
use mspdesk_platform::keys::random_token;

pub use mspdesk_platform::storage::{PartialFile, Storage};

pub fn routes(t: &mut Table) {
    let p = |action| Perm::new(Files::AREA, action);
    let f = Some(Files::SLUG);
    t.get("/clients/{cid}/files/new", p(Action::Edit), f, || {
        web::get().to(new)
    });
    t.post("/clients/{cid}/files", p(Action::Edit), f, || {
        web::post().to(create)
    });
    t.get(
        "/clients/{cid}/files/{id}/download",
        p(Action::View),
        f,
        || web::get().to(download),
    );
    t.post(
        "/clients/{cid}/files/{id}/delete",
        p(Action::Delete),
        f,
        || web::post().to(delete),
    );
}

async fn new(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, cid) = (ctx.viewer(), cid.into_inner());
    let state = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let refs = refs::load(conn, &cs, Files::FIELDS)?;
            Ok(FormState {
                client,
                tabs,
                input: FormInput::default(),
                errors: Errors::default(),
                refs,
            })
        })
        .await?;
    form_page::<Files>(&ctx, None, &state, Shown::Fresh)
}

/// Only the last path component, without control characters: the name is shown and
/// sent back on download, never used as a path.
fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    last.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The most fields an upload form sends beside its file, and the most bytes they hold
/// together: a form has a handful of short fields, so anything beyond is refused rather
/// than held in memory.
const MAX_PARTS: usize = 32;
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// What the form sent: its fields, and the file with the guard that owns its bytes.
pub(crate) struct Received {
    pub input: FormInput,
    pub upload: Option<(Upload, PartialFile)>,
    pub too_big: bool,
}

fn bad(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("The upload could not be read: {e}"))
}

/// A text field of the form, in full: UTF-8 without NUL, within what is left of the
/// form's text budget.
async fn read_text(part: &mut actix_multipart::Field, budget: &mut usize) -> AppResult<String> {
    let mut text = Vec::new();
    while let Some(chunk) = part.next().await {
        let chunk = chunk.map_err(bad)?;
        if chunk.len() > *budget {
            return Err(AppError::BadRequest(
                "The form's fields are too large.".into(),
            ));
        }
        *budget -= chunk.len();
        text.extend_from_slice(&chunk);
    }
    match String::from_utf8(text) {
        Ok(t) if !t.contains('\0') => Ok(t),
        _ => Err(bad("a field is not UTF-8 text")),
    }
}

/// Streams the `file` part to disk; stops writing past the limit (reading on, so the
/// browser gets the answer) and reports it.
pub(crate) async fn receive(mut payload: Multipart, storage: &Storage) -> AppResult<Received> {
    let mut got = Received {
        input: FormInput::default(),
        upload: None,
        too_big: false,
    };
    let (mut parts, mut budget) = (0, MAX_TEXT_BYTES);
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(bad)?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::BadRequest("The form has too many fields.".into()));
        }
        let name = part.name().unwrap_or("").to_string();
        if name != "file" {
            let text = read_text(&mut part, &mut budget).await?;
            got.input.set(&name, text);
            continue;
        }
        let original = clean_name(
            part.content_disposition()
                .and_then(|cd| cd.get_filename())
                .unwrap_or(""),
        );
        if original.is_empty() || got.upload.is_some() {
            while part.next().await.is_some() {}
            continue;
        }
        let stored = random_token(16);
        let guard = PartialFile::new(storage, &stored);
        let (dir, open_path) = (storage.dir.clone(), guard.path().to_path_buf());
        let mut file = web::block(move || {
            std::fs::create_dir_all(&dir)?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            // Client files are for the application only: owner read/write.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            options.open(&open_path)
        })
        .await?
        .map_err(|e| AppError::Internal(format!("upload: {e}")))?;
        let mut size: u64 = 0;
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(bad)?;
            size += chunk.len() as u64;
            if size > storage.max_bytes {
                got.too_big = true;
                continue;
            }
            file = web::block(move || file.write_all(&chunk).map(|_| file))
                .await?
                .map_err(|e| AppError::Internal(format!("upload: {e}")))?;
        }
        let mime = actix_files::file_extension_to_mime(original.rsplit('.').next().unwrap_or(""))
            .to_string();
        let upload = Upload {
            file_path: stored,
            file_size: size as i64,
            mime_type: mime,
            original_name: original,
        };
        got.upload = Some((upload, guard));
    }
    Ok(got)
}

pub(crate) async fn remove(storage: &Storage, stored: &str) {
    let path = storage.path(stored);
    let _ = web::block(move || std::fs::remove_file(path)).await;
}

async fn create(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    cid: web::Path<i64>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let (tenant, cid) = (ctx.viewer(), cid.into_inner());
    // Another tenant's client is a 404 before a byte is stored.
    db.run(move |conn| Ok(clients::scoped(conn, tenant, ClientId(cid))?))
        .await?;
    let Received {
        mut input,
        upload,
        too_big,
    } = receive(payload, &storage).await?;
    let mut file_error = String::new();
    if too_big {
        file_error = format!(
            "The file is larger than the {} MB limit.",
            storage.max_bytes / (1024 * 1024)
        );
    } else if upload.is_none() {
        file_error = "Choose a file to upload.".into();
    }
    let (upload, guard) = upload.unzip();
    if let Some(up) = &upload
        && input.get("name").is_empty()
    {
        input.set("name", up.original_name.clone());
    }
    let who = ctx.who();
    let file_error = (!file_error.is_empty()).then_some(file_error);
    let outcome = db
        .run(move |conn| {
            files::create_uploaded(
                conn,
                &who,
                ClientId(cid),
                input,
                upload.as_ref(),
                file_error,
            )
        })
        .await?;
    match outcome {
        Ok(id) => {
            // Only a committed row keeps its bytes; every other path drops the guard.
            if let Some(g) = guard {
                g.keep().await?;
            }
            ctx.flash("The file was uploaded.");
            Ok(super::see_other(&format!("{}/{id}", base::<Files>(cid))))
        }
        Err(invalid) => {
            let state = FormState::again(&db, *invalid).await?;
            form_page::<Files>(&ctx, None, &state, Shown::Refused)
        }
    }
}

/// Types a browser shows inline without running anything; everything else (HTML, SVG,
/// JavaScript, PDF…) is sent as bytes to save.
const INLINE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

async fn download(
    req: HttpRequest,
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let tenant = ctx.viewer();
    let file = db
        .run(move |conn| {
            let (_, cs) = clients::scoped(conn, tenant, ClientId(cid))?;
            Ok(Files::find(conn, &cs, id)?)
        })
        .await?;
    let named = NamedFile::open_async(storage.path(&file.file_path))
        .await
        .map_err(|_| AppError::NotFound)?;
    let mime = file
        .mime_type
        .as_deref()
        .filter(|m| INLINE_TYPES.contains(m))
        .and_then(|m| m.parse::<actix_web::mime::Mime>().ok())
        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM);
    let named = named
        .set_content_type(mime)
        .set_content_disposition(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: disposition_names(&file.original_name),
        });
    let mut res = named.into_response(&req);
    // Should the bytes ever be rendered anyway, they run in a sandbox with no script.
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(res)
}

/// RFC 6266: an ASCII `filename` for old clients and the exact name as UTF-8
/// `filename*`.
fn disposition_names(name: &str) -> Vec<DispositionParam> {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() && c != '"' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut params = vec![DispositionParam::Filename(ascii)];
    if !name.is_ascii() {
        params.push(DispositionParam::FilenameExt(
            actix_web::http::header::ExtendedValue {
                charset: actix_web::http::header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            },
        ));
    }
    params
}

/// Permanent delete: the row and the bytes (the route table lets only admins here).
async fn delete(
    ctx: Ctx,
    db: Db,
    storage: web::Data<Storage>,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let who = ctx.who();
    let file = db
        .run(move |conn| files::delete_for_good(conn, &who, ClientId(cid), RecordId(id)))
        .await?;
    remove(&storage, &file.file_path).await;
    ctx.flash(format!("{} was deleted permanently.", file.data.name));
    Ok(super::see_other(&base::<Files>(cid)))
}
