//! A sub-resource list as CSV, with the list's current search, filter, archive
//! switch and sort (all its rows, not one page). Secret fields are never exported.

use actix_web::{web, HttpResponse};

use super::client_context;
use crate::auth::Ctx;
use crate::domain::forms::display;
use crate::domain::list::ListParams;
use crate::domain::portability::csv_out;
use crate::domain::resource::{fields_for, refs, sortable_for, Resource};
use crate::error::{AppError, AppResult};
use mspdesk_platform::db::Db;

/// The most rows one export holds.
pub const MAX_ROWS: i64 = 50_000;

/// A file name part from a display name: letters, digits and dashes.
pub fn file_part(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "export".into()
    } else {
        s
    }
}

/// A CSV download.
pub fn attachment(body: Vec<u8>, name: &str, kind: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

pub async fn csv<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let mut query = params.normalize(&sortable_for::<R>(ctx.role()));
    query.page = 1;
    query.per = MAX_ROWS;
    let viewer = ctx.viewer();
    let (client, rows, refs) = db
        .run(move |conn| {
            let (client, cs, _) = client_context(conn, viewer, cid)?;
            let rows = R::list(conn, &cs, &query)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            Ok((client, rows, refs))
        })
        .await?;
    let fields: Vec<_> = fields_for::<R>(ctx.role())
        .into_iter()
        .filter(|f| !f.kind.is_secret())
        .collect();
    let header: Vec<String> = fields.iter().map(|f| f.label.to_string()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let input = R::to_input(row);
            fields.iter().map(|f| display(f, &input, &refs)).collect()
        })
        .collect();
    let body = csv_out::write(&header, &rows).map_err(AppError::Internal)?;
    let name = format!("{}-{}.csv", file_part(&client.data.name), R::SLUG);
    Ok(attachment(body, &name, "text/csv; charset=utf-8"))
}
