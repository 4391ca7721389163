//! Logging: `RUST_LOG` (default `info`), one line per request from the closing of its
//! span, with the number of SQL statements the request ran.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::db::StatementCounter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .try_init();
}

/// The request span, with a `db_statements` field filled in when the request ends.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(StatementCounter::default());
        tracing_actix_web::root_span!(request, db_statements = tracing::field::Empty)
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(response) = outcome
            && let Some(counter) = response.request().extensions().get::<StatementCounter>()
        {
            span.record("db_statements", counter.get());
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
