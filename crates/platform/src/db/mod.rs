//! Both databases behind one connection type. The backend is chosen from the URL here,
//! not by the MultiConnection derive (which tries PostgreSQL first and would quietly
//! create a SQLite file named `postgres://…` when the server is down).

pub mod counter;
pub mod pool;
pub mod sql;

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::r2d2;
use diesel::QueryResult;
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use counter::{write_transaction, Db, StatementCounter};
pub use pool::{Pool, PooledConn};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs the same diesel expression on whichever inner connection this is, for the few
/// things `MultiBackend` cannot express (batch inserts, backend-specific SQL).
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgresql($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres(url.to_string()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("DATABASE_URL sqlite:// needs a file path".into());
            }
            Ok(Backend::Sqlite(PathBuf::from(path)))
        } else {
            Err(format!(
                "DATABASE_URL must start with sqlite:// or postgres://, got {url:?}"
            ))
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Backend::Sqlite(_))
    }

    /// Opens one connection, with SQLite's per-connection settings applied.
    pub fn connect(&self) -> Result<AnyConnection, diesel::ConnectionError> {
        match self {
            Backend::Postgres(url) => PgConnection::establish(url).map(AnyConnection::Postgresql),
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .and_then(|_| analyse(&mut conn, "PRAGMA optimize = 0x10002;"))
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

/// Runs `analyze` (`PRAGMA optimize = 0x10002` refreshes the statistics of tables
/// that grew since they were last analysed, and is cheap when none did), then drops
/// the per-value samples the bundled SQLite's STAT4 keeps: with samples, a statement
/// whose bound value meets an indexed column (`tenant_id = ?` — nearly every one) is
/// re-parsed and re-planned on every run, because the value might change the plan.
/// Measured on the search at a million rows: a third of its time. The row counts
/// (`sqlite_stat1`) stay, and the plans are the indexes' anyway.
pub fn analyse(conn: &mut SqliteConnection, analyze: &str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    conn.batch_execute(analyze)?;
    let sampled: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "EXISTS (SELECT 1 FROM sqlite_stat4)",
    ))
    .get_result(conn)
    .unwrap_or(false);
    if sampled {
        // `ANALYZE sqlite_schema` makes every connection reload the statistics.
        conn.batch_execute("DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;")?;
    }
    Ok(())
}

/// The row of a lookup by key, read without `LIMIT`. Use it for the statements every
/// request runs: diesel binds a `.first()`'s limit, and SQLite re-parses and re-plans
/// a statement on every run whose LIMIT is a bound value (the value might change the
/// plan) — with the statistics samples above, that was half of a search page's time.
pub fn only<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// Rolls back every open transaction level after a panic (best effort: a connection
/// this cannot clean is discarded by `has_broken` when it goes back to the pool).
pub(crate) fn roll_back_everything(conn: &mut AnyConnection) {
    use diesel::connection::TransactionManager;
    type Tm = <AnyConnection as Connection>::TransactionManager;
    for _ in 0..16 {
        match Tm::transaction_manager_status_mut(conn).transaction_depth() {
            Ok(Some(_)) => {
                if Tm::rollback_transaction(conn).is_err() {
                    return;
                }
            }
            _ => return,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("{0}")]
    Url(String),
    #[error("cannot create {path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migrate(String),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::PoolError),
}

/// Creates the SQLite directory, switches SQLite to WAL once (per connection it races:
/// concurrent opens fail with "database is locked"), runs pending migrations and builds
/// the pool.
pub fn init(database_url: &str, pool_size: u32) -> Result<(Backend, Pool), DbSetupError> {
    let backend = Backend::from_url(database_url).map_err(DbSetupError::Url)?;
    if let Backend::Sqlite(path) = &backend
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| DbSetupError::Dir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let mut conn = backend.connect()?;
    if let Backend::Sqlite(path) = &backend {
        // The file holds password hashes and sealed secrets: owner only (SQLite gives
        // its -wal and -shm files the same mode).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(
                |source| DbSetupError::Dir {
                    path: path.display().to_string(),
                    source,
                },
            )?;
        }
        conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    }
    migrate(&mut conn)?;
    drop(conn);
    let pool = pool::build(&backend, pool_size)?;
    Ok((backend, pool))
}

pub fn migrate(conn: &mut AnyConnection) -> Result<usize, DbSetupError> {
    let ran = match conn {
        AnyConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    ran.map_err(|e| DbSetupError::Migrate(e.to_string()))
}

diesel::define_sql_function! {
    /// `lower()` exists on both backends; searches compare lowered text on both, since
    /// LIKE ignores case on SQLite only.
    fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// Creates or replaces a view the application derives from its own declarations at
/// start-up (never from input). Several nodes starting at once take turns.
pub fn replace_view(conn: &mut AnyConnection, name: &str, sql: &str) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(pg) => pg.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7270001); \
             DROP VIEW IF EXISTS {name}; CREATE VIEW {name} AS {sql}; COMMIT;"
        )),
        AnyConnection::Sqlite(lite) => lite.batch_execute(&format!(
            "BEGIN IMMEDIATE; DROP VIEW IF EXISTS {name}; CREATE VIEW {name} AS {sql}; COMMIT;"
        )),
    }
}
