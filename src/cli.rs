//! The command line: `serve` (default), `worker`, `migrate`, `demo`, `create-tenant`,
//! `create-operator`, `seed`,
//! `vault rotate-key`, `backup`, `restore`, `routes`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::domain::directory::seed;
use crate::domain::tenancy::{password, tenants};
use crate::ops::demo;
use crate::platform::config::Config;
use crate::platform::db;
use crate::platform::db::AnyConnection;
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "mspdesk",
    version,
    about = "Documentation and service desk for managed IT service providers"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web application (the default).
    Serve,
    /// Run only job workers (the scheduler, events, mail) until stopped; several such
    /// processes and app nodes can share one PostgreSQL.
    Worker,
    /// Run pending database migrations and exit.
    Migrate,
    /// Load the demo tenant ("Demo MSP", three users, ~25 clients) when the database has no tenant.
    Demo {
        /// Password for the three demo users.
        #[arg(long, default_value = "demo-password")]
        password: String,
    },
    /// Create a tenant and its first admin.
    CreateTenant {
        name: String,
        #[arg(long)]
        admin_email: String,
        /// Admin password; a random one is generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
    },
    /// Create a platform operator (runs tenants at /platform, reads no tenant's data),
    /// or give an existing one a new password.
    CreateOperator {
        email: String,
        /// A random one is generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
    },
    /// Print the route table: method, path, permission (area.action) and module switch.
    Routes,
    /// Make an API key (printed once) as an admin of the tenant, for them or a user.
    ApiKey {
        /// The admin who makes the key (its audit entry names them).
        #[arg(long = "as")]
        admin: String,
        /// The user the key acts as; the admin when omitted.
        #[arg(long = "for")]
        user: Option<String>,
        /// The tenant id, when the e-mail has accounts in several.
        #[arg(long)]
        tenant: Option<i64>,
        /// What the key is for.
        #[arg(long, default_value = "Shell")]
        name: String,
        /// A key that can only read.
        #[arg(long)]
        read_only: bool,
    },
    /// Vault maintenance.
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
    /// Import a CSV file, an IT Glue export (ZIP or folder) or an mspdesk tenant export:
    /// a dry run that prints the report, unless --commit (all or nothing).
    Import {
        /// The CSV file, ZIP archive or export folder.
        path: std::path::PathBuf,
        /// The admin the import acts as (its audit entry names them).
        #[arg(long = "as")]
        user: String,
        /// The tenant id, when the e-mail has accounts in several.
        #[arg(long)]
        tenant: Option<i64>,
        /// What the CSV's rows are: clients, contacts, locations, assets, credentials, …
        #[arg(long, default_value = "")]
        kind: String,
        /// The CSV is one of ITFlow's positional import templates.
        #[arg(long)]
        itflow: bool,
        /// The client rows without a client column belong to.
        #[arg(long)]
        client: Option<String>,
        /// Write the import (otherwise a dry run): all of it, or nothing when a row
        /// fails.
        #[arg(long)]
        commit: bool,
        /// With --commit: write the rows that pass and skip the ones that fail.
        #[arg(long, requires = "commit")]
        skip_failed: bool,
    },
    /// Back up the database, the stored files and the keys into one new ZIP with a
    /// manifest of checksums, while the server runs.
    Backup {
        /// The archive to write (never overwritten).
        path: std::path::PathBuf,
        /// Write the keys to this new file instead, to keep apart from the backup: the
        /// backup alone then opens no secret.
        #[arg(long)]
        keys_to: Option<std::path::PathBuf>,
    },
    /// Restore a backup into an empty data directory and an empty database, checking
    /// every checksum first and every secret and file after.
    Restore {
        path: std::path::PathBuf,
        /// The keys file written by `backup --keys-to`.
        #[arg(long)]
        keys: Option<std::path::PathBuf>,
    },
    /// Bulk synthetic data for benchmarks, in batched transactions.
    Seed {
        #[arg(long)]
        tenant: i64,
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        #[arg(long, default_value_t = 5)]
        contacts_per_client: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Re-encrypt every secret under a new key in one transaction; the old key file is
    /// kept as a backup. Restart the server afterwards.
    RotateKey,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Rotate(#[from] crate::ops::rotate::RotateError),
    #[error(transparent)]
    Backup(#[from] crate::ops::backup::BackupError),
    #[error(transparent)]
    Setup(#[from] db::DbSetupError),
    #[error(transparent)]
    Start(#[from] crate::startup::StartError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mspdesk: {e}");
            ExitCode::FAILURE
        }
    }
}

fn connect(config: &Config) -> Result<AnyConnection, CliError> {
    let (backend, _pool) = db::init(&config.database_url, 1)?;
    Ok(backend.connect().map_err(db::DbSetupError::from)?)
}

fn dispatch(cli: Cli) -> Result<(), CliError> {
    let config = cli.config.resolved();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            actix_web::rt::System::new().block_on(async {
                let app = Application::build(&config)?;
                println!(
                    "mspdesk is serving at http://{}",
                    bind_display(&config.bind, app.port())
                );
                app.run_until_stopped().await?;
                Ok::<(), CliError>(())
            })?;
        }
        Command::Worker => worker(&config)?,
        Command::Routes => {
            for line in crate::web::routes::describe() {
                println!("{line}");
            }
        }
        Command::ApiKey {
            admin,
            user,
            tenant,
            name,
            read_only,
        } => {
            let mut conn = connect(&config)?;
            let made = crate::ops::acting::api_key(
                &mut conn,
                &admin,
                user.as_deref(),
                tenant,
                &name,
                read_only,
            )
            .map_err(CliError::Usage)?;
            println!("{made}");
        }
        Command::Migrate => {
            connect(&config)?;
            println!("Database is up to date.");
        }
        Command::Demo { password } => demo(&config, &password)?,
        Command::CreateTenant {
            name,
            admin_email,
            password,
        } => create_tenant(&config, &name, &admin_email, password)?,
        Command::CreateOperator { email, password } => create_operator(&config, &email, password)?,
        Command::Vault {
            command: VaultCommand::RotateKey,
        } => {
            let mut conn = connect(&config)?;
            let (count, backup) = crate::ops::rotate::rotate(&mut conn, &config.data_dir)?;
            println!(
                "Re-encrypted {count} secrets under a new key. The old key is kept at {}.",
                backup.display()
            );
            println!("Restart the server so that it uses the new key.");
        }
        Command::Import {
            path,
            user,
            tenant,
            kind,
            itflow,
            client,
            commit,
            skip_failed,
        } => {
            let spec = crate::domain::portability::import::Spec {
                kind,
                layout: if itflow {
                    crate::domain::portability::import::Layout::ItFlow
                } else {
                    crate::domain::portability::import::Layout::Headers
                },
                client,
            };
            use crate::domain::portability::import::Keep;
            let keep = match (commit, skip_failed) {
                (false, _) => Keep::Nothing,
                (true, false) => Keep::All,
                (true, true) => Keep::GoodRows,
            };
            if !crate::ops::import::run(&config, &path, &user, tenant, &spec, keep)
                .map_err(CliError::Usage)?
            {
                return Err(CliError::Usage("the import was not written".into()));
            }
        }
        Command::Backup { path, keys_to } => {
            let mut conn = connect(&config)?;
            let taken = crate::ops::backup::take::take(
                &mut conn,
                &config.database_url,
                &config.data_dir,
                &path,
                keys_to.as_deref(),
            )?;
            println!("{}", crate::ops::backup::take::describe(&taken));
        }
        Command::Restore { path, keys } => {
            let done = crate::ops::backup::restore::restore(
                &path,
                keys.as_deref(),
                &config.database_url,
                &config.data_dir,
            )?;
            println!(
                "Restored the backup of {}: {} files, {} secrets opened with the restored key.",
                done.created_at, done.files, done.secrets
            );
        }
        Command::Seed {
            tenant,
            clients,
            contacts_per_client,
        } => {
            let mut conn = connect(&config)?;
            let tenant = tenants::find(&mut conn, tenant)?
                .ok_or_else(|| CliError::Usage(format!("no tenant with id {tenant}")))?;
            let started = std::time::Instant::now();
            seed::run(
                &mut conn,
                tenant,
                clients,
                contacts_per_client,
                chrono::Utc::now(),
            )?;
            println!(
                "Seeded {clients} clients with {contacts_per_client} contacts each in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// `mspdesk worker`: job workers until SIGINT or SIGTERM, then the jobs in hand finish.
fn worker(config: &Config) -> Result<(), CliError> {
    let count = config.job_workers.max(1);
    let (_, pool) = db::init(&config.database_url, count as u32 + 1)?;
    let vault = {
        let mut conn = pool.get().map_err(db::DbSetupError::from)?;
        crate::ops::vault_key::open(&mut conn, &config.data_dir).map_err(CliError::Usage)?
    };
    let ctx = crate::ops::handlers::Context::configured(
        config,
        std::sync::Arc::new(vault),
        crate::web::finance::invoices::printable,
    )
    .map_err(CliError::Usage)?;
    let lease = chrono::Duration::seconds(config.job_lease_secs.max(1) as i64);
    let workers = crate::ops::workers::Workers::start(pool, ctx, count, lease)?;
    println!("mspdesk: {count} job workers running; stop with Ctrl-C or SIGTERM.");
    actix_web::rt::System::new().block_on(stopped())?;
    println!("mspdesk: stopping after the jobs in hand.");
    workers.stop();
    Ok(())
}

/// Waits for SIGINT or SIGTERM.
async fn stopped() -> std::io::Result<()> {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    tokio_select(actix_web::rt::signal::ctrl_c(), async move {
        term.recv().await;
        Ok(())
    })
    .await
}

/// The first of two futures to finish.
async fn tokio_select(
    a: impl std::future::Future<Output = std::io::Result<()>>,
    b: impl std::future::Future<Output = std::io::Result<()>>,
) -> std::io::Result<()> {
    use futures_util::future::{select, Either};
    match select(std::pin::pin!(a), std::pin::pin!(b)).await {
        Either::Left((r, _)) | Either::Right((r, _)) => r,
    }
}

/// `mspdesk demo`: the demo tenant when the database is empty, and the logins either way.
fn demo(config: &Config, password: &str) -> Result<(), CliError> {
    let mut conn = connect(config)?;
    let vault =
        crate::ops::vault_key::open(&mut conn, &config.data_dir).map_err(CliError::Usage)?;
    let files_dir = config.data_dir.join("files");
    match demo::load(&mut conn, password, &vault, &files_dir)? {
        Some(logins) => {
            println!("Loaded the demo tenant \"{}\".", demo::TENANT_NAME);
            let team = tenants::code_from_name(demo::TENANT_NAME);
            println!(
                "Open {}/login?team={team} and log in to team {team} as:",
                config.url()
            );
            for (email, role) in logins {
                println!("  {email:<24} {role:<11} password: {password}");
            }
        }
        None => {
            println!("The database already has data; the demo tenant was not loaded again.");
            let team = tenants::code_from_name(demo::TENANT_NAME);
            println!(
                "Open {}/login?team={team} — demo logins of team {team} (when the demo was loaded here):",
                config.url()
            );
            for (email, _, role) in demo::USERS {
                println!(
                    "  {email:<24} {:<11} password: demo-password (or the one given to `demo`)",
                    role.label()
                );
            }
        }
    }
    Ok(())
}

/// `mspdesk create-tenant`: a tenant and its first admin, with a generated password
/// printed when none is given.
fn create_tenant(
    config: &Config,
    name: &str,
    admin_email: &str,
    password: Option<String>,
) -> Result<(), CliError> {
    if !crate::domain::forms::values::is_email(admin_email) {
        return Err(CliError::Usage(format!(
            "{admin_email:?} is not an e-mail address"
        )));
    }
    let mut conn = connect(config)?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(password::generate);
    let hash = password::hash(&password);
    let now = chrono::Utc::now().naive_utc();
    let (tenant, _) = tenants::create_with_admin(&mut conn, name, admin_email, &hash, now)?;
    let code = tenants::sign_in_code(&mut conn, tenant)?;
    println!(
        "Created tenant {tenant} \"{name}\" with admin {admin_email}; they sign in to team {code}."
    );
    if generated {
        println!("Generated password: {password}");
    }
    Ok(())
}

/// `mspdesk create-operator`: an operator of the platform console.
fn create_operator(config: &Config, email: &str, password: Option<String>) -> Result<(), CliError> {
    if !crate::domain::forms::values::is_email(email) {
        return Err(CliError::Usage(format!(
            "{email:?} is not an e-mail address"
        )));
    }
    let mut conn = connect(config)?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(password::generate);
    let now = chrono::Utc::now().naive_utc();
    let hash = password::hash(&password);
    let id = crate::domain::platform::operators::create(&mut conn, email, &hash, now)?;
    crate::domain::platform::operators::record(
        &mut conn,
        Some(id),
        "operator_created",
        None,
        serde_json::json!({ "email": email, "by": "shell" }),
        None,
        now,
    )?;
    println!("Operator {email} can sign in at /platform/login.");
    if generated {
        println!("Generated password: {password}");
    }
    Ok(())
}

fn bind_display(bind: &str, port: u16) -> String {
    match bind.rsplit_once(':') {
        Some((host, _)) => format!("{host}:{port}"),
        None => format!("{bind}:{port}"),
    }
}
