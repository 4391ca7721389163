//! Static assets, embedded in the binary (it runs from any directory) and served under a
//! name that carries a hash of their content, so browsers may keep them for a year:
//! a changed file gets a new name.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpResponse};
use blake2::{Blake2s256, Digest};

use crate::error::AppError;

struct Asset {
    /// `app.css`
    name: &'static str,
    /// `app.3f2a9c1d.css`
    hashed: String,
    body: &'static [u8],
    /// The body gzipped once, at its best level.
    gzipped: Option<actix_web::web::Bytes>,
    content_type: &'static str,
}

fn asset(name: &'static str, body: &'static [u8], content_type: &'static str) -> Asset {
    let hash = hex::encode(&Blake2s256::digest(body)[..6]);
    let hashed = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    };
    Asset {
        name,
        hashed,
        body,
        gzipped: super::compress::gzip(body, flate2::Compression::best())
            .filter(|z| z.len() < body.len())
            .map(Into::into),
        content_type,
    }
}

static ASSETS: LazyLock<[Asset; 3]> = LazyLock::new(|| {
    [
        asset(
            "app.css",
            include_bytes!("../../../static/app.css"),
            "text/css; charset=utf-8",
        ),
        asset(
            "app.js",
            include_bytes!("../../../static/app.js"),
            "text/javascript; charset=utf-8",
        ),
        asset(
            "favicon.svg",
            include_bytes!("../../../static/favicon.svg"),
            "image/svg+xml",
        ),
    ]
});

/// The URL of an asset by its plain name, e.g. `/static/app.3f2a9c1d.css`.
pub fn url(name: &str) -> String {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/static/{}", a.hashed))
        .unwrap_or_else(|| format!("/static/{name}"))
}

/// `GET /static/{file}`: a hashed name is immutable for a year; the plain name (an old
/// bookmark, a hand-written link) is served too, revalidated each time.
pub async fn serve(
    req: actix_web::HttpRequest,
    file: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let file = file.into_inner();
    let (asset, immutable) = ASSETS
        .iter()
        .find_map(|a| {
            if a.hashed == file {
                Some((a, true))
            } else if a.name == file {
                Some((a, false))
            } else {
                None
            }
        })
        .ok_or(AppError::NotFound)?;
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")));
    Ok(match &asset.gzipped {
        Some(z) if super::compress::accepts_gzip(&req) => res
            .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
            // A reference-counted copy, not a copy of the bytes.
            .body(z.clone()),
        _ => res.body(asset.body),
    })
}
