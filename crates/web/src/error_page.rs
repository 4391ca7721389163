//! The page for an error: its wording, and where a sign-in or a missing second factor
//! sends the user. Handed to the platform's error type once, when routes are built.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;

use crate::error::AppError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

pub fn show(error: &AppError, status: StatusCode) -> HttpResponse {
    if let AppError::TwoFactorSetup = error {
        return HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/account/2fa"))
            .finish();
    }
    if let AppError::LoginRequired { next } = error {
        let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
        return HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/login?{query}")))
            .finish();
    }
    let (title, message) = match error {
        AppError::NotFound => ("Not found", "There is nothing here, or it is not yours to see."),
        AppError::Forbidden => ("Forbidden", "Your role does not allow this."),
        AppError::Csrf => (
            "Forbidden",
            "The form has expired or did not come from this site. Go back, reload the page and try again.",
        ),
        AppError::Unauthorized => ("Unauthorized", "This address needs an API key."),
        AppError::RateLimited { .. } => ("Too many requests", "Slow down and try again shortly."),
        AppError::BadRequest(m) => ("Bad request", m.as_str()),
        AppError::Conflict(m) => ("Conflict", m.as_str()),
        _ if error.unavailable() => (
            "Database unavailable",
            "The database could not be reached just now. Please try again.",
        ),
        _ => ("Something went wrong", "The error has been logged. Please try again."),
    };
    let body = ErrorPage {
        status: status.as_u16(),
        title,
        message,
    }
    .render()
    .unwrap_or_else(|_| title.to_string());
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}
