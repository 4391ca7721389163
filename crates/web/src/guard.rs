//! Middleware at the edge of every request: input that no handler can use is refused
//! before any handler sees it, and every response — errors made by middleware included —
//! carries the security headers.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::HttpMessage;

use crate::error::AppError;

/// NUL bytes and invalid UTF-8 in the path, the query or a urlencoded body, and a NUL
/// written as a JSON escape (`\u0000`) in a JSON body, are a 400: PostgreSQL refuses
/// NUL in text, and nothing a person types contains either. (The field validation
/// refuses control characters in every decoded value too: this is the edge's half.)
pub async fn refuse_unreadable_input<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let unreadable = || {
        AppError::BadRequest("The request contains a NUL byte or text that is not UTF-8.".into())
    };
    if !readable(req.path().as_bytes()) || !readable(req.query_string().as_bytes()) {
        return Ok(refuse(req, unreadable()));
    }
    let urlencoded = crate::auth::csrf::is_urlencoded(&req);
    if urlencoded || is_json(&req) {
        let body = match req.extract::<Bytes>().await {
            Ok(body) => body,
            Err(e) => return Ok(respond(req, e)),
        };
        let bad = if urlencoded {
            !readable(&body)
        } else {
            json_has_nul(&body)
        };
        if bad {
            return Ok(refuse(req, unreadable()));
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// A middleware's refusal as a response rather than an `Err`: an `Err` would skip the
/// middleware outside it (the session's changes, the security headers).
pub fn refuse<B>(req: ServiceRequest, e: AppError) -> ServiceResponse<EitherBody<B>> {
    respond(req, e.into())
}

pub fn respond<B>(req: ServiceRequest, e: actix_web::Error) -> ServiceResponse<EitherBody<B>> {
    let res = if super::api::is_api(req.match_info().as_str()) {
        super::api::problem::from_error(&e)
    } else {
        e.error_response()
    };
    req.into_response(res).map_into_right_body()
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Whether JSON text holds a NUL once decoded: the escape `\u0000` (an escaped
/// backslash before `u0000` is no such escape).
fn json_has_nul(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' {
            if body.get(i + 1) == Some(&b'u')
                && body
                    .get(i + 2..i + 6)
                    .is_some_and(|hex| hex.iter().all(|b| *b == b'0'))
            {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Whether percent-decoded text is UTF-8 without NUL. Decoding the whole string at once
/// is enough: `&`, `=` and `+` are ASCII and cannot complete a broken sequence.
pub fn readable(encoded: &[u8]) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode(encoded).collect();
    !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
}

const HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    (
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
];

/// Security headers on every response, and `Cache-Control: no-store` on everything but
/// static assets: pages of a signed-in user must not stay in a shared browser's cache.
/// The middleware inside answer refusals as responses (`refuse`), so they get the
/// headers too.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let cacheable = req.path().starts_with("/static/");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    for (name, value) in HEADERS {
        let name = HeaderName::from_static(name);
        // A download keeps its own stricter policy (CSP sandbox).
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Whether responses say how many SQL statements they ran (`X-Sql-Statements`).
#[derive(Debug, Clone, Copy)]
pub struct StatementHeader(pub bool);

/// Adds `X-Sql-Statements` when configured: tests and benchmarks prove that a page's
/// statement count does not grow with its rows.
pub async fn statement_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let on = req
        .app_data::<actix_web::web::Data<StatementHeader>>()
        .is_some_and(|h| h.0);
    let mut res = next.call(req).await?;
    if on {
        let n = res
            .request()
            .extensions()
            .get::<mspdesk_platform::db::StatementCounter>()
            .map(|c| c.get());
        if let Some(n) = n {
            res.headers_mut().insert(
                HeaderName::from_static("x-sql-statements"),
                HeaderValue::from(n as u64),
            );
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nul_and_broken_utf8_are_unreadable() {
        assert!(super::readable(b"q=caf%C3%A9&x=1+2"));
        assert!(!super::readable(b"q=%00"));
        assert!(!super::readable(b"q=a%FFb"));
        assert!(!super::readable(b"q=%C3&x=%A9"));
    }

    #[test]
    fn a_json_nul_escape_is_found_and_an_escaped_backslash_is_not_one() {
        use super::json_has_nul;
        assert!(json_has_nul(br#"{"a":"\u0000"}"#));
        assert!(!json_has_nul(br#"{"a":"\\u0000"}"#));
        assert!(!json_has_nul(br#"{"a":"\u00e9"}"#));
    }
}
