//! Typed errors and their status codes. The page a user sees for one is the web
//! layer's (`web::error_page`, handed over once at start-up through [`show_with`]):
//! this crate knows no page, wording or URL. Internals never reach the page; a 500's
//! detail goes to the log.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

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
            AppError::Db(e) => crate::db::pool::is_lost(e),
            _ => false,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// How an error is shown, set by the web layer when it builds the application.
type Page = fn(&AppError, StatusCode) -> HttpResponse;
static PAGE: OnceLock<Page> = OnceLock::new();

/// Hands over the web layer's error page; the first call wins (every application a
/// process builds shows errors alike).
pub fn show_with(page: Page) {
    let _ = PAGE.get_or_init(|| page);
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
        let status = self.status_code();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "database unavailable");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        match PAGE.get() {
            Some(page) => page(self, status),
            None => HttpResponse::build(status).finish(),
        }
    }
}
