//! gzip for HTML and CSS, done inline on the worker at a fast level. actix's `Compress`
//! hands every body over 1 KB to the blocking pool, which cost two orders of magnitude
//! (measured with wrk on /login: 60,000 req/s plain, 630 req/s through `Compress`);
//! compressing a 10 KB page here costs tens of microseconds. Static assets are
//! compressed once, at their first request (`web::assets`).

use std::io::Write;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Smaller bodies are not worth a header and a CPU pass.
const MIN_BYTES: usize = 1024;

pub fn accepts_gzip(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.trim().split(';').next() == Some("gzip"))
}

pub fn gzip(bytes: &[u8], level: Compression) -> Option<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    enc.write_all(bytes).ok()?;
    enc.finish().ok()
}

fn compressible(res: &ServiceResponse<BoxBody>) -> bool {
    let headers = res.headers();
    !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html") || t.starts_with("text/css"))
}

pub async fn pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let gzip_ok = accepts_gzip(req.request());
    let res = next.call(req).await?.map_into_boxed_body();
    if !gzip_ok || !compressible(&res) {
        return Ok(res);
    }
    let (http, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.unwrap_or_default();
    let body = match (bytes.len() >= MIN_BYTES)
        .then(|| gzip(&bytes, Compression::fast()))
        .flatten()
    {
        Some(zipped) => {
            let h = head.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            h.remove(header::CONTENT_LENGTH);
            zipped.into()
        }
        None => bytes,
    };
    Ok(ServiceResponse::new(
        http,
        head.set_body(body).map_into_boxed_body(),
    ))
}
