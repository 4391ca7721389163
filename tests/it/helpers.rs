//! `TestApp`: the real server on port 0 with a fresh database (a temp SQLite file, or a
//! fresh PostgreSQL schema when `MSPDESK_TEST_DATABASE_URL` is a postgres URL), two
//! tenants with one user of each role, and a browser-like client per user.

use mspdesk::domain::tenancy::password;
use mspdesk::platform::keys::random_token;
use std::sync::OnceLock;

use diesel::prelude::*;
use mspdesk::domain::scope::TenantId;
use mspdesk::domain::tenancy::users::Role;
use mspdesk::domain::tenancy::{tenants, users};
use mspdesk::platform::config::Config;
use mspdesk::platform::db;
use mspdesk::platform::db::{AnyConnection, Pool, PooledConn};
use mspdesk::startup::Application;
use reqwest::header::LOCATION;

pub const PASSWORD: &str = "correct horse battery staple";

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash(PASSWORD))
}

pub struct Tenant {
    pub id: TenantId,
    pub admin: String,
    pub tech: String,
    pub accountant: String,
}

pub struct TestApp {
    pub base: String,
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
        if let Some((url, schema)) = &self.pg_schema {
            if let Ok(mut admin) = PgConnection::establish(url) {
                let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&mut admin);
            }
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

fn seed_tenant(conn: &mut AnyConnection, name: &str, domain: &str) -> Tenant {
    let id = tenants::create(conn, name, None).unwrap();
    let mut email = |role: Role, who: &str| {
        let e = format!("{who}@{domain}");
        users::create(
            conn,
            id,
            &format!("{} {name}", role.label()),
            &e,
            password_hash(),
            role,
        )
        .unwrap();
        e
    };
    Tenant {
        id,
        admin: email(Role::Admin, "admin"),
        tech: email(Role::Tech, "tech"),
        accountant: email(Role::Accountant, "accountant"),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|conn, _, _| seed_tenant(conn, "Alpha IT", "alpha.test")).await
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
                .build()
                .unwrap(),
            jar,
            base: self.base.clone(),
            csrf: String::new(),
        }
    }

    /// A browser behind the trusted proxy, for a client at `ip`.
    pub fn browser_from(&self, ip: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().unwrap());
        self.browser_with(headers)
    }

    /// A browser logged in as `email`.
    pub async fn login(&self, email: &str) -> Browser {
        let mut b = self.browser();
        let r = b.login(email, PASSWORD).await;
        assert_eq!(r.status, 303, "login of {email} failed: {}", r.body);
        b.refresh_csrf().await;
        b
    }
}

pub struct Page {
    pub status: u16,
    pub location: String,
    pub body: String,
    pub statements: Option<usize>,
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }
    /// The texts of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }
    /// The `href`s of every element matching a CSS selector.
    pub fn hrefs(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    }
    /// The value of a form input by name.
    pub fn input(&self, name: &str) -> Option<String> {
        let sel = scraper::Selector::parse(&format!("[name=\"{name}\"]")).unwrap();
        let html = self.html();
        let el = html.select(&sel).next()?;
        match el.value().name() {
            "textarea" => Some(el.text().collect()),
            "select" => {
                let opt = scraper::Selector::parse("option[selected]").unwrap();
                Some(
                    el.select(&opt)
                        .next()
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or("")
                        .to_string(),
                )
            }
            _ if el.value().attr("type") == Some("checkbox") => {
                Some(if el.value().attr("checked").is_some() {
                    "on".into()
                } else {
                    String::new()
                })
            }
            _ => Some(el.value().attr("value").unwrap_or("").to_string()),
        }
    }
    /// The error message shown beside a field.
    pub fn field_error(&self, name: &str) -> Option<String> {
        self.texts(&format!("#e-{name}")).into_iter().next()
    }
    /// The first-column texts of a list table.
    pub fn list_names(&self) -> Vec<String> {
        self.texts("table.list tbody tr td:first-child a")
    }
}

pub struct Browser {
    http: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    base: String,
    pub csrf: String,
}

impl Browser {
    /// The `Cookie` header this browser sends (to copy it into another client).
    pub fn cookie_header(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    /// The underlying HTTP client and base URL, for requests the helpers do not cover.
    pub fn raw(&self) -> (&reqwest::Client, &str) {
        (&self.http, &self.base)
    }

    async fn page(resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let statements = resp
            .headers()
            .get("x-sql-statements")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        Page {
            status,
            location,
            body: resp.text().await.unwrap(),
            statements,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a form with this session's CSRF token, as the browser would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        self.post_raw(path, &all).await
    }

    /// Uploads a file as the browser's multipart form does (the CSRF token is the form's
    /// first field).
    pub async fn upload(
        &self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
        let url = format!("{}{path}", self.base);
        Self::page(self.http.post(url).multipart(form).send().await.unwrap()).await
    }

    /// The raw response of a GET (for downloads: headers and bytes).
    pub async fn get_raw(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::page(
            self.http
                .post(format!("{}{path}", self.base))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Reads the CSRF token from a page's forms.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/login").await;
        self.csrf = page
            .input("csrf_token")
            .expect("the login form has a CSRF token");
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        self.refresh_csrf().await;
        self.post(
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("next", "/clients"),
            ],
        )
        .await
    }

    /// Follows a redirect.
    pub async fn follow(&self, page: &Page) -> Page {
        assert!(
            page.status == 303 || page.status == 302,
            "expected a redirect, got {}: {}",
            page.status,
            page.body
        );
        self.get(&page.location).await
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
