//! Builds the actix application and binds it. `Application::build` returns the bound
//! port, so tests can start the real server on port 0.

use std::net::TcpListener;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::error::AppError;
use crate::platform::config::Config;
use crate::platform::db;
use crate::platform::db::Pool;
use crate::platform::keys;
use crate::platform::telemetry::RequestSpan;

/// The largest urlencoded form (a document's Markdown body is the big one).
const FORM_LIMIT: usize = 1024 * 1024;

pub struct Application {
    port: u16,
    server: Server,
    workers: Option<crate::ops::workers::Workers>,
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
    #[error("{0}")]
    Mail(String),
    #[error("{0}")]
    Vault(String),
    #[error("cannot start the job workers: {0}")]
    Workers(std::io::Error),
}

/// What every worker's app shares: the pool, the vault, settings, the session key.
#[derive(Clone)]
struct Shared {
    pool: Pool,
    vault: web::Data<crate::platform::vault::Vault>,
    proxies: web::Data<crate::web::auth::address::TrustedProxies>,
    storage: web::Data<crate::web::files::Storage>,
    statement_header: web::Data<crate::web::guard::StatementHeader>,
    api_limits: web::Data<crate::web::api::auth::Limits>,
    session_key: Key,
    secure: bool,
    lifetimes: crate::domain::tenancy::sessions::Lifetimes,
    scheduled: web::Data<crate::ops::backup::schedule::Scheduled>,
}

impl Shared {
    fn new(config: &Config, pool: Pool) -> Result<Shared, StartError> {
        let key = keys::load_or_create(&config.data_dir, keys::SESSION_KEY, 64)?;
        let vault = {
            let mut conn = pool.get().map_err(db::DbSetupError::from)?;
            crate::ops::vault_key::open(&mut conn, &config.data_dir).map_err(StartError::Vault)?
        };
        let storage = crate::web::files::Storage {
            dir: config.data_dir.join("files"),
            max_bytes: config.max_upload_mb * 1024 * 1024,
        };
        {
            let mut conn = pool.get().map_err(db::DbSetupError::from)?;
            let swept = storage
                .sweep(|stored| crate::domain::platform::stored::is_named(&mut conn, stored).ok());
            if swept != Default::default() {
                tracing::info!(?swept, "stored files left by a stopped process");
            }
        }
        Ok(Shared {
            pool,
            vault: web::Data::new(vault),
            proxies: web::Data::new(
                crate::web::auth::address::TrustedProxies::parse(&config.trusted_proxies)
                    .map_err(StartError::Proxies)?,
            ),
            storage: web::Data::new(storage),
            statement_header: web::Data::new(crate::web::guard::StatementHeader(
                config.statement_header,
            )),
            api_limits: web::Data::new(crate::web::api::auth::Limits {
                per_minute: config.api_requests_per_minute.max(1),
                local: Default::default(),
            }),
            session_key: Key::from(&key),
            secure: config.secure_cookies,
            lifetimes: crate::domain::tenancy::sessions::Lifetimes::configured(config),
            scheduled: web::Data::new(crate::ops::backup::schedule::Scheduled(
                crate::ops::backup::schedule::Plan::configured(config),
            )),
        })
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(web::Data::new(self.pool.clone()))
            // Documents can be long; the default 16 KB form limit would refuse them.
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT)
                    .error_handler(|e, _| {
                        AppError::BadRequest(format!("The form could not be read: {e}")).into()
                    }),
            )
            // A malformed id in a URL is a missing page; a malformed query a bad request.
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                AppError::BadRequest(format!("The address could not be read: {e}")).into()
            }))
            .app_data(web::PayloadConfig::new(FORM_LIMIT))
            .app_data(crate::web::api::json_config())
            .app_data(self.api_limits.clone())
            .app_data(self.vault.clone())
            .app_data(self.proxies.clone())
            .app_data(self.storage.clone())
            .app_data(self.statement_header.clone())
            .app_data(web::Data::new(self.lifetimes))
            .app_data(self.scheduled.clone());
    }

    /// Server-side sessions behind an encrypted cookie that lives as long as the
    /// absolute lifetime.
    fn sessions(&self) -> SessionMiddleware<crate::web::auth::session_store::DbSessionStore> {
        let store =
            crate::web::auth::session_store::DbSessionStore::new(self.pool.clone(), self.lifetimes);
        let ttl = actix_web::cookie::time::Duration::seconds(self.lifetimes.absolute.num_seconds());
        SessionMiddleware::builder(store, self.session_key.clone())
            .cookie_name("mspdesk_session".into())
            .cookie_secure(self.secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(PersistentSession::default().session_ttl(ttl))
            .build()
    }
}

impl Application {
    /// Migrates the database, then binds `config.bind`.
    pub fn build(config: &Config) -> Result<Self, StartError> {
        let (_, pool) = db::init(&config.database_url, config.pool_size())?;
        Self::with_pool(config, pool)
    }

    pub fn with_pool(config: &Config, pool: Pool) -> Result<Self, StartError> {
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?
            .port();
        {
            let mut conn = pool.get().map_err(db::DbSetupError::from)?;
            crate::domain::install_views(&mut conn).map_err(db::DbSetupError::from)?;
        }
        let shared = Shared::new(config, pool)?;
        let workers = if config.job_workers > 0 {
            let ctx = crate::ops::handlers::Context::configured(
                config,
                shared.vault.clone().into_inner(),
                crate::web::finance::invoices::printable,
            )
            .map_err(StartError::Mail)?;
            Some(
                crate::ops::workers::Workers::start(
                    shared.pool.clone(),
                    ctx,
                    config.job_workers,
                    chrono::Duration::seconds(config.job_lease_secs.max(1) as i64),
                )
                .map_err(StartError::Workers)?,
            )
        } else {
            None
        };
        let mut server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new()
                .configure(|cfg| shared.configure(cfg))
                .configure(crate::web::routes::configure)
                .default_service(web::to(crate::web::routes::not_found))
                .wrap(from_fn(crate::web::auth::csrf::guard))
                .wrap(from_fn(crate::web::guard::refuse_unreadable_input))
                .wrap(shared.sessions())
                .wrap(from_fn(crate::web::guard::security_headers))
                .wrap(from_fn(crate::web::guard::statement_header))
                // HTML and CSS compress 4–6×; the client decides by Accept-Encoding.
                .wrap(from_fn(crate::web::compress::pages))
                .wrap(TracingLogger::<RequestSpan>::new())
        })
        .listen(listener)
        .map_err(|e| StartError::Bind(config.bind.clone(), e))?;
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        // Database work waits for one of the pool's connections anyway: more blocking
        // threads than connections (actix's default is 512) only add stacks and arenas.
        let http_workers = if config.workers > 0 {
            config.workers
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        };
        let blocking = (config.pool_size() as usize).div_ceil(http_workers).max(2) + 1;
        server = server.worker_max_blocking_threads(blocking);
        Ok(Application {
            port,
            server: server.run(),
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until a signal stops the server, then lets the job workers finish the
    /// jobs in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(workers) = self.workers {
            let _ = actix_web::rt::task::spawn_blocking(move || workers.stop()).await;
        }
        served
    }
}
