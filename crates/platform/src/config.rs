//! Every setting, from the environment or a command-line flag, documented once here
//! (and shown by `mspdesk --help`). Secrets never come from flags: they live in files
//! under the data directory, generated on first start with mode 0600.

use std::path::{Path, PathBuf};

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite://PATH` (embedded; the default is `mspdesk.db` in the data
    /// directory) or `postgres://…` (scale-out).
    #[arg(long, env = "DATABASE_URL", default_value = "", global = true)]
    pub database_url: String,

    /// Address and port the web server listens on.
    #[arg(
        long,
        env = "MSPDESK_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,

    /// Directory for the SQLite file (unless DATABASE_URL names another), generated
    /// secret keys (mode 0600) and uploads: back it up whole.
    #[arg(long, env = "MSPDESK_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Mark session cookies `Secure` (turn on whenever the app is served over HTTPS).
    #[arg(long, env = "MSPDESK_SECURE_COOKIES", default_value_t = false, global = true,
          action = clap::ArgAction::Set, value_parser = parse_bool, num_args = 0..=1,
          default_missing_value = "true")]
    pub secure_cookies: bool,

    /// HTTP worker threads (0 = one per core).
    #[arg(long, env = "MSPDESK_WORKERS", default_value_t = 0, global = true)]
    pub workers: usize,

    /// Database connections in the pool (0 = twice the cores, at least 4).
    #[arg(long, env = "MSPDESK_DB_POOL", default_value_t = 0, global = true)]
    pub db_pool: u32,

    /// Largest file upload, in megabytes.
    #[arg(
        long,
        env = "MSPDESK_MAX_UPLOAD_MB",
        default_value_t = 25,
        global = true
    )]
    pub max_upload_mb: u64,

    /// A signed-in session ends after this many minutes without a request.
    #[arg(
        long,
        env = "MSPDESK_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: u32,

    /// A signed-in session ends this many hours after login, however active.
    #[arg(
        long,
        env = "MSPDESK_SESSION_LIFETIME_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub session_lifetime_hours: u32,

    /// Reverse proxies whose `X-Forwarded-For` names the client (comma-separated
    /// addresses or CIDR ranges, e.g. `127.0.0.1,10.0.0.0/8`). Empty: the socket's peer
    /// is the client, and the header is ignored.
    #[arg(
        long,
        env = "MSPDESK_TRUSTED_PROXIES",
        default_value = "",
        global = true
    )]
    pub trusted_proxies: String,

    /// Add an `X-Sql-Statements` header to every response: the number of SQL statements
    /// the request ran (for tests and benchmarks; leave off in production).
    #[arg(long, env = "MSPDESK_STATEMENT_HEADER", default_value_t = false, global = true,
          action = clap::ArgAction::Set, value_parser = parse_bool, num_args = 0..=1,
          default_missing_value = "true")]
    pub statement_header: bool,

    /// Job workers `serve` runs beside the web server (0: none — run `mspdesk worker`
    /// processes instead).
    #[arg(long, env = "MSPDESK_JOB_WORKERS", default_value_t = 2, global = true)]
    pub job_workers: usize,

    /// How long a worker holds a job before another may take it over (seconds).
    #[arg(
        long,
        env = "MSPDESK_JOB_LEASE_SECS",
        default_value_t = 300,
        global = true
    )]
    pub job_lease_secs: u64,

    /// The SMTP server: `smtps://user:pass@host:465`, `smtp://user:pass@host:587`
    /// (STARTTLS), or `smtp://localhost:25` (a local relay, no TLS). Empty: mail waits.
    #[arg(
        long,
        env = "MSPDESK_SMTP_URL",
        default_value = "",
        global = true,
        hide_env_values = true
    )]
    pub smtp_url: String,

    /// API requests each key may make per minute (429 beyond, counted in the
    /// database so every node shares the count).
    #[arg(
        long,
        env = "MSPDESK_API_REQUESTS_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub api_requests_per_minute: i64,

    /// The address mail is sent from (`Name <desk@example.com>` or an address).
    #[arg(
        long,
        env = "MSPDESK_MAIL_FROM",
        default_value = "mspdesk <mspdesk@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Scheduled backups go into this directory (empty: none are taken). Each is what
    /// `mspdesk backup` writes, keys included: keep the directory as safe as the keys.
    #[arg(long, env = "MSPDESK_BACKUP_DIR", default_value = "", global = true)]
    pub backup_dir: String,

    /// Hours between scheduled backups.
    #[arg(
        long,
        env = "MSPDESK_BACKUP_EVERY_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub backup_every_hours: u32,

    /// How many scheduled backups are kept (the oldest beyond are deleted).
    #[arg(long, env = "MSPDESK_BACKUP_KEEP", default_value_t = 7, global = true)]
    pub backup_keep: u32,
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!("expected true or false, got {other:?}")),
    }
}

impl Config {
    /// The pool's size. It bounds the database work running at once, and with it the
    /// memory: each SQLite connection keeps its own page cache and each running page its
    /// rows. Twice the cores keeps them busy — on two cores 4 connections served as
    /// many pages as 8, with a peak of 82 MiB instead of 117 under `make bench`.
    pub fn pool_size(&self) -> u32 {
        if self.db_pool > 0 {
            return self.db_pool;
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        (2 * cores).max(4)
    }

    /// With the defaults that depend on other settings filled in: the SQLite file lives
    /// in the data directory, beside the vault key, so that one directory holds both and
    /// another working directory opens the same database.
    pub fn resolved(mut self) -> Config {
        if self.database_url.trim().is_empty() {
            self.database_url = format!("sqlite://{}", self.data_dir.join("mspdesk.db").display());
        }
        self
    }

    /// A configuration for a given database and data directory, everything else default.
    pub fn new(database_url: impl Into<String>, data_dir: impl AsRef<Path>) -> Self {
        Config {
            database_url: database_url.into(),
            bind: "127.0.0.1:8080".into(),
            data_dir: data_dir.as_ref().to_path_buf(),
            secure_cookies: false,
            workers: 0,
            db_pool: 0,
            max_upload_mb: 25,
            session_idle_minutes: 120,
            session_lifetime_hours: 24,
            trusted_proxies: String::new(),
            statement_header: false,
            // Embedded uses (tests, the benchmark) start workers themselves.
            job_workers: 0,
            job_lease_secs: 300,
            smtp_url: String::new(),
            mail_from: "mspdesk <mspdesk@localhost>".into(),
            api_requests_per_minute: 600,
            backup_dir: String::new(),
            backup_every_hours: 24,
            backup_keep: 7,
        }
    }

    /// The public URL printed for humans.
    pub fn url(&self) -> String {
        format!("http://{}", self.bind)
    }
}
