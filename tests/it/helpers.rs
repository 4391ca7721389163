//! `TestApp`: the real server on port 0 with a fresh database (a temp SQLite file, or a
//! fresh PostgreSQL schema when `MSPDESK_TEST_DATABASE_URL` is a postgres URL), two
//! tenants with one user of each role, and a browser-like client per user
//! (`browser.rs`).

use mspdesk::domain::tenancy::password;
use mspdesk::platform::keys::random_token;
use std::sync::OnceLock;

use diesel::prelude::*;
use mspdesk::domain::policy::Role;
use mspdesk::domain::scope::TenantId;
use mspdesk::domain::tenancy::{tenants, users};
use mspdesk::platform::config::Config;
use mspdesk::platform::db;
use mspdesk::platform::db::{AnyConnection, Pool, PooledConn};
use mspdesk::startup::Application;

pub const PASSWORD: &str = "correct horse battery staple";

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash(PASSWORD))
}

pub struct Tenant {
    pub id: TenantId,
    /// Its sign-in code.
    pub team: String,
    pub admin: String,
    pub tech: String,
    pub accountant: String,
}

pub struct TestApp {
    pub base: String,
    /// The database URL (a worker process started by a test connects with it).
    pub url: String,
    pub pool: Pool,
    pub vault: mspdesk::platform::vault::Vault,
    pub data_dir: std::path::PathBuf,
    pub a: Tenant,
    pub b: Tenant,
    /// The PostgreSQL server URL and this test's schema, dropped with the app.
    pg_schema: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.pg_schema
            && let Ok(mut admin) = PgConnection::establish(url)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&mut admin);
        }
    }
}

/// The test database URL, and for PostgreSQL the (server URL, schema) to drop afterwards.
fn database_url(dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match std::env::var("MSPDESK_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("t_{}", random_token(8));
            let mut admin =
                PgConnection::establish(&url).expect("PostgreSQL for tests is reachable");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .expect("create schema");
            let sep = if url.contains('?') { '&' } else { '?' };
            (
                format!("{url}{sep}options=-csearch_path%3D{schema}"),
                Some((url, schema)),
            )
        }
        _ => (format!("sqlite://{}", dir.join("test.db").display()), None),
    }
}

/// The standard tenant A, "Alpha IT" (for `spawn_custom`).
pub fn alpha(
    conn: &mut AnyConnection,
    _: &mspdesk::platform::vault::Vault,
    _: &std::path::Path,
) -> Tenant {
    seed_tenant(conn, "Alpha IT", "alpha.test")
}

fn seed_tenant(conn: &mut AnyConnection, name: &str, domain: &str) -> Tenant {
    let id = tenants::create(conn, name, None, chrono::Utc::now().naive_utc()).unwrap();
    let team = tenants::sign_in_code(conn, id).unwrap();
    let mut email = |role: Role, who: &str| {
        let e = format!("{who}@{domain}");
        users::create(
            conn,
            id,
            &format!("{} {name}", role.label()),
            &e,
            password_hash(),
            role,
            chrono::Utc::now().naive_utc(),
        )
        .unwrap();
        e
    };
    Tenant {
        id,
        team,
        admin: email(Role::Admin, "admin"),
        tech: email(Role::Tech, "tech"),
        accountant: email(Role::Accountant, "accountant"),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(alpha).await
    }

    /// Tenant A comes from `first` (given the vault and the data directory); tenant B is
    /// always the standard second tenant.
    pub async fn spawn_with(
        first: impl FnOnce(
            &mut AnyConnection,
            &mspdesk::platform::vault::Vault,
            &std::path::Path,
        ) -> Tenant,
    ) -> TestApp {
        Self::spawn_custom(first, |_| {}).await
    }

    /// The standard app with some settings changed.
    pub async fn spawn_configured(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_custom(
            |conn, _, _| seed_tenant(conn, "Alpha IT", "alpha.test"),
            tweak,
        )
        .await
    }

    pub async fn spawn_custom(
        first: impl FnOnce(
            &mut AnyConnection,
            &mspdesk::platform::vault::Vault,
            &std::path::Path,
        ) -> Tenant,
        tweak: impl FnOnce(&mut Config),
    ) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let vault = mspdesk::platform::vault::Vault::open(dir.path()).unwrap();
        let (url, pg_schema) = database_url(dir.path());
        let mut config = Config::new(url.clone(), dir.path());
        config.bind = "127.0.0.1:0".into();
        config.workers = 1;
        config.db_pool = 4;
        config.statement_header = true;
        config.max_upload_mb = 1;
        tweak(&mut config);
        let (_, pool) = db::init(&url, config.db_pool).expect("database initialises");
        let (a, b) = {
            let mut conn = pool.get().unwrap();
            (
                first(&mut conn, &vault, dir.path()),
                seed_tenant(&mut conn, "Beta Networks", "beta.test"),
            )
        };
        let app = Application::with_pool(&config, pool.clone()).expect("server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp {
            base,
            url,
            pool,
            vault,
            data_dir: dir.path().to_path_buf(),
            a,
            b,
            pg_schema,
            _dir: dir,
        }
    }

    /// The PostgreSQL server URL and this test's schema, when testing on PostgreSQL.
    pub fn pg_schema(&self) -> Option<(String, String)> {
        self.pg_schema.clone()
    }

    pub fn conn(&self) -> PooledConn {
        self.pool.get().unwrap()
    }

    /// A browser (cookie jar, no automatic redirects) that is not logged in.
    pub fn browser(&self) -> Browser {
        self.browser_with(reqwest::header::HeaderMap::new())
    }

    /// A browser that sends these headers with every request (a proxy's
    /// `X-Forwarded-For`, a copied `Cookie`).
    pub fn browser_with(&self, headers: reqwest::header::HeaderMap) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                // A test may block its thread on the database for longer than the server's
                // 5 s keep-alive; a pooled connection the server closed meanwhile is not
                // reused (the pool checks its age when it hands one out).
                .pool_idle_timeout(std::time::Duration::from_secs(3))
                .build()
                .unwrap(),
            jar,
            base: self.base.clone(),
            csrf: String::new(),
            team: self.a.team.clone(),
        }
    }

    /// A browser behind the trusted proxy, for a client at `ip`.
    pub fn browser_from(&self, ip: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().unwrap());
        self.browser_with(headers)
    }

    /// The team (sign-in code) of the tenant where `email` has its first account.
    pub fn team_of(&self, email: &str) -> String {
        let accounts = users::find_all_by_email(&mut self.conn(), email).unwrap();
        let (user, _) = accounts.first().expect("the account exists");
        tenants::sign_in_code(&mut self.conn(), user.tenant()).unwrap()
    }

    /// A browser logged in as `email` (to its tenant).
    pub async fn login(&self, email: &str) -> Browser {
        let mut b = self.browser();
        b.team = self.team_of(email);
        let r = b.login(email, PASSWORD).await;
        assert_eq!(r.status, 303, "login of {email} failed: {}", r.body);
        b.refresh_csrf().await;
        b
    }
}

/// The id at the end of a redirect such as `/clients/7` or `/clients/7/contacts/9`.
pub fn id_from(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

pub use crate::browser::{Browser, Page};

/// The rows of a raw SQL statement (catalog queries differ by backend).
pub fn load<
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
>(
    conn: &mut AnyConnection,
    sql: &str,
) -> Vec<T> {
    mspdesk::with_backend!(conn, |c| diesel::sql_query(sql).load::<T>(c)).unwrap()
}

pub fn pg(conn: &mut AnyConnection) -> bool {
    matches!(conn, AnyConnection::Postgresql(_))
}
