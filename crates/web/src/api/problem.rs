//! Errors of the API as RFC 9457 problem details (`application/problem+json`). Every
//! refusal on an API path — the edge guards, the permission check, an extractor, a
//! handler — is turned into one here (`from_error`), so a client never gets the HTML
//! error page, and validation failures carry the field errors.

use actix_web::error::JsonPayloadError;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use crate::domain::forms::Errors;
use crate::error::AppError;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// A problem response: the status's reason as its title, `detail` in words.
pub fn response(status: StatusCode, detail: &str, extra: Map<String, Value>) -> HttpResponse {
    let mut body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let Value::Object(map) = &mut body {
        map.extend(extra);
    }
    let mut res = HttpResponse::build(status);
    res.content_type(CONTENT_TYPE);
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    if status == StatusCode::UNAUTHORIZED {
        res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    res.body(body.to_string())
}

/// 422 with the message of each field that did not pass, by field name.
pub fn invalid(errors: &Errors) -> HttpResponse {
    let fields: Map<String, Value> = errors
        .0
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut extra = Map::new();
    extra.insert("errors".into(), Value::Object(fields));
    response(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Some fields did not pass validation.",
        extra,
    )
}

/// 422 for a service's refusal: its words as the detail and as the error of the field
/// it concerns, and its stable code as `code` and in the problem's `type`
/// (`urn:mspdesk:problem:<code>`), which a client program can test while the words
/// change.
pub fn refused(field: &str, words: &str, code: &str) -> HttpResponse {
    let mut extra = Map::new();
    extra.insert("errors".into(), json!({ field: words }));
    extra.insert("code".into(), json!(code));
    extra.insert("type".into(), json!(format!("urn:mspdesk:problem:{code}")));
    response(StatusCode::UNPROCESSABLE_ENTITY, words, extra)
}

/// Any error, as a problem. Internals never reach the client: a 5xx says only that
/// it was logged.
pub fn from_error(e: &actix_web::Error) -> HttpResponse {
    let status = e.as_response_error().status_code();
    let Some(app) = e.as_error::<AppError>() else {
        // Already a problem (the JSON extractor's, below), or an actix refusal in words.
        let res = e.error_response();
        let ready = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == CONTENT_TYPE.as_bytes());
        if ready {
            return res;
        }
        return response(status, &e.to_string(), Map::new());
    };
    let detail = match app {
        AppError::NotFound => "There is nothing here, or it is not yours to see.",
        AppError::Forbidden => "Your role, or this key, does not allow this.",
        AppError::Unauthorized => {
            "A valid API key is required: send it as `Authorization: Bearer <key>`."
        }
        AppError::RateLimited { .. } => "Too many requests with this key; try again later.",
        AppError::BadRequest(m) | AppError::Conflict(m) => m.as_str(),
        AppError::Csrf | AppError::LoginRequired { .. } => "Not available on the API.",
        _ => {
            tracing::error!(error = %app, "API request failed");
            "The error has been logged. Please try again."
        }
    };
    let mut res = response(status, detail, Map::new());
    if let AppError::RateLimited { retry_after } = app
        && let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The JSON body extractor's refusals: 415 for another content type, 413 for too
/// large, 400 for what is not JSON or not an object.
pub fn json_error(e: JsonPayloadError) -> actix_web::Error {
    let (status, detail) = match &e {
        JsonPayloadError::ContentType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as `Content-Type: application/json`.".to_string(),
        ),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The body is larger than {} bytes.", super::BODY_LIMIT),
        ),
        other => (
            StatusCode::BAD_REQUEST,
            format!("The body is not a JSON object: {other}"),
        ),
    };
    actix_web::error::InternalError::from_response(e, response(status, &detail, Map::new())).into()
}
