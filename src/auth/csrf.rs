//! CSRF: a per-session synchronizer token, sent by every form as the hidden input
//! `csrf_token` (or by scripts as the `X-CSRF-Token` header), compared in constant time
//! for every request that is not GET/HEAD/OPTIONS. These lines are ours to own rather
//! than a crate that calls itself unaudited.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use subtle::ConstantTimeEq;

use super::keys;
use crate::error::AppError;

pub const FIELD: &str = "csrf_token";

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let expected = req.get_session().get::<String>(keys::CSRF).ok().flatten();
    let provided = match req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        Some(v) => Some(v.to_string()),
        None if is_urlencoded(&req) => {
            let body = req.extract::<Bytes>().await?;
            let token = token_in(&body);
            req.set_payload(actix_web::dev::Payload::from(body));
            token
        }
        // Multipart bodies are streamed to disk; their forms carry the token in the query.
        None => token_in(req.query_string().as_bytes()),
    };
    match (expected, provided) {
        (Some(e), Some(p))
            if e.len() == p.len() && bool::from(e.as_bytes().ct_eq(p.as_bytes())) =>
        {
            next.call(req).await
        }
        _ => {
            tracing::warn!(path = %req.path(), "CSRF check failed");
            Err(AppError::Csrf.into())
        }
    }
}

fn is_urlencoded(req: &ServiceRequest) -> bool {
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
