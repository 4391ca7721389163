//! Handlers and page structs. `routes` is the one table of every route. A crate of its
//! own at the top of the layers: the only place that knows URLs and page wording, and
//! nothing below it can import it.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod calendar;
pub mod clients;
pub mod compress;
pub mod dashboard;
pub mod error_page;
pub mod files;
pub mod finance;
pub mod guard;
pub mod health;
pub mod home;
pub mod imports;
pub mod inventory;
pub mod notifications;
pub mod pages;
pub mod platform;
pub mod portability;
pub mod reports;
pub mod resource;
pub mod routes;
pub mod search;
pub mod sharing;
pub mod tickets;
pub mod views;

// The layers below under the paths this code has always used (`platform` is the
// operator console's pages here; the platform crate is named `mspdesk_platform`).
use mspdesk_domain as domain;
use mspdesk_jobs as ops;
use mspdesk_platform::error;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;

use crate::error::{AppError, AppResult};

/// A form page's status: 200, or 422 when it shows a refusal.
pub fn status_of(error: &str) -> StatusCode {
    if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Renders a page with a status (200 for pages, 422 for a form with errors).
pub fn render<T: Template>(status: StatusCode, page: &T) -> AppResult<HttpResponse> {
    let body = page
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

pub fn page<T: Template>(page: &T) -> AppResult<HttpResponse> {
    render(StatusCode::OK, page)
}

/// `303 See Other`: after a successful POST, the browser GETs the next page.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}
