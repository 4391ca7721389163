//! Builds the actix application and binds it. `Application::build` returns the bound
//! port, so tests can start the real server on port 0.

use std::net::TcpListener;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpMessage, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::error::AppError;
use crate::platform::config::Config;
use crate::platform::db;
use crate::platform::db::{Pool, StatementCounter};
use crate::platform::keys;
use crate::platform::telemetry::RequestSpan;

/// The largest urlencoded form (a document's Markdown body is the big one).
const FORM_LIMIT: usize = 1024 * 1024;

pub struct Application {
    port: u16,
    server: Server,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::DbSetupError),
    #[error("cannot bind {0}: {1}")]
    Bind(String, std::io::Error),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error("MSPDESK_TRUSTED_PROXIES: {0}")]
    Proxies(String),
}

impl Application {
    /// Migrates the database, then binds `config.bind`.
    pub fn build(config: &Config) -> Result<Self, StartError> {
        let (_, pool) = db::init(&config.database_url, config.db_pool)?;
        Self::with_pool(config, pool)
    }

    pub fn with_pool(config: &Config, pool: Pool) -> Result<Self, StartError> {
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?
            .port();
        let session_key = Key::from(&keys::load_or_create(
            &config.data_dir,
            keys::SESSION_KEY,
            64,
        )?);
        let secure = config.secure_cookies;
        let statement_header = config.statement_header;
        let proxies = web::Data::new(
            crate::web::auth::address::TrustedProxies::parse(&config.trusted_proxies)
                .map_err(StartError::Proxies)?,
        );
        let lifetimes = config.session_lifetimes();
        let session_pool = pool.clone();
        let pool = web::Data::new(pool);
        let vault = web::Data::new(crate::platform::vault::Vault::open(&config.data_dir)?);
        let storage = web::Data::new(crate::web::files::Storage {
            dir: config.data_dir.join("files"),
            max_bytes: config.max_upload_mb * 1024 * 1024,
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(pool.clone())
                // Documents can be long; the default 16 KB form limit would refuse them.
                .app_data(
                    web::FormConfig::default()
                        .limit(FORM_LIMIT)
                        .error_handler(|e, _| {
                            AppError::BadRequest(format!("The form could not be read: {e}")).into()
                        }),
                )
                // A malformed id in a URL is a missing page; a malformed query a bad request.
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(web::QueryConfig::default().error_handler(|e, _| {
                    AppError::BadRequest(format!("The address could not be read: {e}")).into()
                }))
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .app_data(vault.clone())
                .app_data(proxies.clone())
                .app_data(storage.clone())
                .configure(crate::web::routes::configure)
                .default_service(web::to(crate::web::routes::not_found))
                .wrap(from_fn(crate::web::auth::csrf::guard))
                .wrap(from_fn(crate::web::guard::refuse_unreadable_input))
                .wrap(
                    SessionMiddleware::builder(
                        crate::web::auth::session_store::DbSessionStore::new(
                            session_pool.clone(),
                            lifetimes,
                        ),
                        session_key.clone(),
                    )
                    .cookie_name("mspdesk_session".into())
                    .cookie_secure(secure)
                    .cookie_http_only(true)
                    .cookie_same_site(SameSite::Lax)
                    .cookie_content_security(CookieContentSecurity::Private)
                    .session_lifecycle(PersistentSession::default().session_ttl(
                        actix_web::cookie::time::Duration::seconds(
                            lifetimes.absolute.num_seconds(),
                        ),
                    ))
                    .build(),
                )
                .wrap(from_fn(crate::web::guard::security_headers))
                .wrap(from_fn(
                    move |req, next: actix_web::middleware::Next<_>| async move {
                        let mut res = next.call(req).await?;
                        if statement_header {
                            let n = res
                                .request()
                                .extensions()
                                .get::<StatementCounter>()
                                .map(|c| c.get());
                            if let Some(n) = n {
                                res.headers_mut().insert(
                                    HeaderName::from_static("x-sql-statements"),
                                    HeaderValue::from(n as u64),
                                );
                            }
                        }
                        Ok::<_, actix_web::Error>(res)
                    },
                ))
                // HTML and CSS compress 4–6×; the client decides by Accept-Encoding.
                .wrap(Compress::default())
                .wrap(TracingLogger::<RequestSpan>::new())
        })
        .listen(listener)
        .map_err(|e| StartError::Bind(config.bind.clone(), e))?;
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        Ok(Application {
            port,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
