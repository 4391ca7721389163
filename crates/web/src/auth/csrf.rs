//! CSRF: a per-session synchronizer token, sent by every form as the hidden input
//! `csrf_token` (or by scripts as the `X-CSRF-Token` header), compared in constant time
//! for every request that is not GET/HEAD/OPTIONS. These lines are ours to own rather
//! than a crate that calls itself unaudited.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::HttpMessage;
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use super::keys;
use crate::error::AppError;
use crate::guard::{refuse, respond};

pub const FIELD: &str = "csrf_token";

pub async fn guard<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    // The API is not opened by cookies (`web::api::auth`), so a forged cross-site
    // request carries nothing that could act: it has no token to check.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || crate::api::is_api(req.match_info().as_str())
    {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let expected = req.get_session().get::<String>(keys::CSRF).ok().flatten();
    let provided = match req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        Some(v) => Some(v.to_string()),
        None if is_urlencoded(&req) => match req.extract::<Bytes>().await {
            Ok(body) => {
                let token = token_in(&body);
                req.set_payload(actix_web::dev::Payload::from(body));
                token
            }
            Err(e) => return Ok(respond(req, e)),
        },
        // Multipart bodies are streamed to disk: the token is their first part, read
        // before a byte of any file (and never put in a URL, where logs would keep it).
        None => match boundary(&req) {
            Some(boundary) => {
                let (token, payload) = first_part(req.take_payload(), &boundary).await;
                req.set_payload(payload);
                token
            }
            None => None,
        },
    };
    match (expected, provided) {
        (Some(e), Some(p))
            if e.len() == p.len() && bool::from(e.as_bytes().ct_eq(p.as_bytes())) =>
        {
            Ok(next.call(req).await?.map_into_left_body())
        }
        _ => {
            tracing::warn!(path = %req.path(), "CSRF check failed");
            Ok(refuse(req, AppError::Csrf))
        }
    }
}

fn boundary(req: &ServiceRequest) -> Option<String> {
    let mime = req.mime_type().ok()??;
    (mime.type_() == "multipart")
        .then(|| mime.get_param("boundary").map(|b| b.as_str().to_string()))?
}

/// The most of a multipart body read to find its first part.
const FIRST_PART_LIMIT: usize = 8 * 1024;

/// The value of the multipart body's first part if that part is `csrf_token`, and the
/// body to hand on unchanged (what was read, then the rest of the stream).
async fn first_part(mut payload: Payload, boundary: &str) -> (Option<String>, Payload) {
    let mut buf = BytesMut::new();
    let end = format!("\r\n--{boundary}");
    let mut token = None;
    while buf.len() < FIRST_PART_LIMIT {
        match payload.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            _ => break,
        }
        if let Some(t) = parse_first_part(&buf, boundary, &end) {
            token = t;
            break;
        }
    }
    let head = futures_util::stream::once(async move { Ok(buf.freeze()) });
    let body: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(head.chain(payload));
    (token, Payload::from(body))
}

/// `None` while the first part is incomplete; `Some(token)` once it is (`Some(None)` if
/// the first part is something else).
fn parse_first_part(buf: &[u8], boundary: &str, end: &str) -> Option<Option<String>> {
    let text = std::str::from_utf8(buf).ok().or_else(|| {
        // The first part is text; a file's bytes may follow it in the same chunk.
        let valid = std::str::from_utf8(buf).err()?.valid_up_to();
        std::str::from_utf8(&buf[..valid]).ok()
    })?;
    let rest = text.strip_prefix(&format!("--{boundary}\r\n"))?;
    let (headers, body) = rest.split_once("\r\n\r\n")?;
    let value = &body[..body.find(end)?];
    let named = headers
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
        .any(|l| l.contains(&format!("name=\"{FIELD}\"")));
    Some(named.then(|| value.to_string()))
}

pub(crate) fn is_urlencoded(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn token_in(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}
