//! Typed errors and their one mapping to HTTP. Internals never reach the page: a 500
//! shows a generic message and the detail goes to the log.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("the form has expired or did not come from this site (CSRF check failed)")]
    Csrf,
    #[error("login required")]
    LoginRequired { next: String },
    /// The tenant asks this user for two-factor sign-in, which they have not set up.
    #[error("two-factor sign-in must be set up")]
    TwoFactorSetup,
    /// The API without a valid key.
    #[error("an API key is required")]
    Unauthorized,
    /// An API key over its rate; the seconds until it may call again.
    #[error("rate limited")]
    RateLimited { retry_after: i64 },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Db(diesel::result::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("internal error: {0}")]
    Internal(String),
    /// A transaction undone on purpose (a dry run); never reaches a response.
    #[error("rolled back")]
    RolledBack,
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            // A unique index (one primary, one live domain name…) refused a write that
            // the form checks could not foresee, e.g. restoring a duplicate.
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict(
                    "Another live record already uses this name or flag. Archive or change that one first.".into(),
                )
            }
            other => AppError::Db(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    /// The database hung up or no connection came free in time: a moment's outage, not
    /// a fault of the page (the pool replaces a lost connection).
    pub fn unavailable(&self) -> bool {
        match self {
            AppError::Pool(_) => true,
            AppError::Db(e) => crate::platform::db::pool::is_lost(e),
            _ => false,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } | AppError::TwoFactorSetup => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            _ if self.unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal(_) | AppError::RolledBack => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::TwoFactorSetup = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/account/2fa"))
                .finish();
        }
        if let AppError::LoginRequired { next } = self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/login?{query}")))
                .finish();
        }
        let status = self.status_code();
        let (title, message) = match self {
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
            _ if self.unavailable() => {
                tracing::warn!(error = %self, "database unavailable");
                (
                    "Database unavailable",
                    "The database could not be reached just now. Please try again.",
                )
            }
            _ => {
                tracing::error!(error = %self, "request failed");
                ("Something went wrong", "The error has been logged. Please try again.")
            }
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
}
