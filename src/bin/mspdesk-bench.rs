//! `make bench`: seeds a fresh database (default 10,000 clients × 5 contacts), serves it
//! on a free port and measures the main pages with keep-alive HTTP/1.1 requests from
//! this process: throughput, p50/p99 latency, SQL statements per page, peak memory.
//! Usage: mspdesk-bench [DATABASE_URL] (default: a temporary SQLite file; a postgres URL
//! gets a fresh schema on that server, dropped afterwards).

use mspdesk::domain::tenancy::password;
use mspdesk::platform::keys::random_token;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use mspdesk::domain::directory::seed;
use mspdesk::domain::tenancy::tenants;
use mspdesk::platform::config::Config;
use mspdesk::platform::db;
use mspdesk::startup::Application;

const CLIENTS: usize = 10_000;
const CONTACTS: usize = 5;
/// Per client: 50,000 tickets and 30,000 assets in all.
const TICKETS: usize = 5;
const ASSETS: usize = 3;
/// Invoices per client (the issue's 10,000 clients × 3), with lines and payments.
const INVOICES: usize = 3;
const REQUESTS: usize = 2_000;
const THREADS: usize = 2;

struct Conn {
    reader: BufReader<TcpStream>,
    cookie: String,
    /// An API key sent as `Authorization: Bearer` (API calls have no session).
    key: String,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Conn {
    fn open(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).ok();
        Conn {
            reader: BufReader::new(stream),
            cookie: String::new(),
            key: String::new(),
        }
    }

    fn send(&mut self, method: &str, path: &str, body: &str) -> Reply {
        let (auth, kind) = if self.key.is_empty() {
            (String::new(), "application/x-www-form-urlencoded")
        } else {
            (
                format!("Authorization: Bearer {}\r\n", self.key),
                "application/json",
            )
        };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nCookie: {}\r\n{auth}Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}",
            self.cookie,
            body.len()
        );
        self.reader
            .get_mut()
            .write_all(req.as_bytes())
            .expect("write");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut headers = vec![];
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut buf = vec![0; len];
        self.reader.read_exact(&mut buf).expect("body");
        if let Some((_, c)) = headers.iter().find(|(k, _)| k == "set-cookie") {
            self.cookie = c.split(';').next().unwrap_or("").to_string();
        }
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&buf).into_owned(),
        }
    }
}

fn csrf(body: &str) -> String {
    let at = body
        .find("name=\"csrf_token\" value=\"")
        .expect("csrf field")
        + 25;
    body[at..].split('"').next().unwrap_or("").to_string()
}

fn login(port: u16) -> Conn {
    let mut c = Conn::open(port);
    let page = c.send("GET", "/login", "");
    let body = format!(
        "csrf_token={}&email=bench%40bench.test&password=bench-password&next=%2Fclients",
        csrf(&page.body)
    );
    let r = c.send("POST", "/login", &body);
    assert_eq!(r.status, 303, "bench login failed");
    c
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kib| kib / 1024.0)
        .unwrap_or(0.0)
}

/// One request the bench repeats: a page with a session, or an API call with a key.
struct Call<'a> {
    method: &'a str,
    path: &'a str,
    body: &'a str,
    key: Option<&'a str>,
    expect: u16,
}

impl Call<'_> {
    fn connect(&self, port: u16) -> Conn {
        match self.key {
            Some(key) => Conn {
                key: key.to_string(),
                ..Conn::open(port)
            },
            None => login(port),
        }
    }
}

/// One page: its statement count, a warm-up, then `REQUESTS` over `THREADS` keep-alive
/// connections, printed as one row.
fn measure(port: u16, page: &str) {
    let call = Call {
        method: "GET",
        path: page,
        body: "",
        key: None,
        expect: 200,
    };
    measure_call(port, &call);
}

fn measure_call(port: u16, call: &Call) {
    // A fresh connection per page: the previous one may have idled past keep-alive.
    let mut probe = call.connect(port);
    let r = probe.send(call.method, call.path, call.body);
    assert_eq!(r.status, call.expect, "{} {}", call.path, r.body);
    let stmts = r
        .headers
        .iter()
        .find(|(k, _)| k == "x-sql-statements")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    for _ in 0..50 {
        probe.send(call.method, call.path, call.body);
    }
    let started = Instant::now();
    let mut lat: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut c = call.connect(port);
                    (0..REQUESTS / THREADS)
                        .map(|_| {
                            let t = Instant::now();
                            let r = c.send(call.method, call.path, call.body);
                            assert_eq!(r.status, call.expect);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let secs = started.elapsed().as_secs_f64();
    lat.sort();
    let pct =
        |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1000.0;
    let name = match call.method {
        "GET" => call.path.to_string(),
        method => format!("{method} {}", call.path),
    };
    println!(
        "{name:<42} {:>9.0} {:>9.2} {:>9.2} {stmts:>6}",
        REQUESTS as f64 / secs,
        pct(0.5),
        pct(0.99)
    );
}

/// The API as a script calls it, with a read-write key of the bench admin: the clients
/// list and a ticket create.
fn api_throughput(pool: &db::Pool, port: u16, client: &str) {
    let mut conn = pool.get().expect("connection");
    let key =
        mspdesk::ops::acting::api_key(&mut conn, "bench@bench.test", None, None, "Bench", false)
            .expect("a key");
    let tickets = format!("/api/v1/clients/{client}/tickets");
    let calls = [
        ("GET", "/api/v1/clients", "", 200),
        (
            "POST",
            tickets.as_str(),
            r#"{"subject":"Scripted ticket from the RMM"}"#,
            201,
        ),
    ];
    for (method, path, body, expect) in calls {
        let call = Call {
            method,
            path,
            body,
            key: Some(&key),
            expect,
        };
        measure_call(port, &call);
    }
}

/// The database to seed: a fresh schema on the given PostgreSQL server, the given URL,
/// or a temporary SQLite file.
fn database_url(server: Option<&str>, dir: &std::path::Path, schema: &str) -> String {
    match server {
        Some(u) if u.starts_with("postgres") => {
            let mut admin = PgConnection::establish(u).expect("PostgreSQL is reachable");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .expect("create schema");
            let sep = if u.contains('?') { '&' } else { '?' };
            format!("{u}{sep}options=-csearch_path%3D{schema}")
        }
        Some(u) => u.to_string(),
        None => format!("sqlite://{}/bench.db", dir.display()),
    }
}

/// A tenant with `CLIENTS` clients of `CONTACTS` contacts (and the service desk's
/// tickets and assets), analysed as a live database is.
fn seed_database(pool: &db::Pool, backend: &str) {
    let mut conn = pool.get().expect("connection");
    let hash = password::hash("bench-password");
    let (tenant, admin) =
        tenants::create_with_admin(&mut conn, "Bench MSP", "bench@bench.test", &hash)
            .expect("tenant");
    let started = Instant::now();
    seed::run(&mut conn, tenant, CLIENTS, CONTACTS).expect("seed");
    // The tickets are shared by the admin (who the bench logs in as) and 19 technicians.
    let mut staff = vec![admin];
    for t in 1..20 {
        let email = format!("tech{t}@bench.test");
        let role = mspdesk::domain::tenancy::users::Role::Tech;
        let name = format!("Tech {t}");
        staff.push(
            mspdesk::domain::tenancy::users::create(&mut conn, tenant, &name, &email, &hash, role)
                .expect("technician"),
        );
    }
    let (tickets, assets) =
        mspdesk::domain::service_desk::seed::run(&mut conn, tenant, &staff, TICKETS, ASSETS)
            .expect("seed the service desk");
    let invoices = mspdesk::domain::finance::seed::run(&mut conn, tenant, INVOICES)
        .expect("seed the invoices");
    println!(
        "{backend}: seeded {CLIENTS} clients × {CONTACTS} contacts, {tickets} tickets, {assets} assets, {invoices} invoices in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // Statistics as a live database has them: autovacuum on PostgreSQL, `PRAGMA
    // optimize` (run by every new connection) on SQLite.
    match &mut *conn {
        db::AnyConnection::Postgresql(c) => {
            diesel::sql_query("VACUUM ANALYZE")
                .execute(c)
                .expect("vacuum");
        }
        db::AnyConnection::Sqlite(c) => {
            diesel::sql_query("ANALYZE").execute(c).expect("analyze");
        }
    }
}

fn main() {
    let dir = tempfile_dir();
    let server = std::env::args().nth(1);
    // PostgreSQL: a fresh schema of our own on the given server, dropped at the end.
    let schema = format!("bench_{}", random_token(4));
    let url = database_url(server.as_deref(), &dir, &schema);
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut config = Config::new(url.clone(), &dir);
    config.bind = "127.0.0.1:0".into();
    config.statement_header = true;
    // The API rows measure the server, not the per-key limit.
    config.api_requests_per_minute = i64::MAX / 2;

    let (_, pool) = db::init(&url, config.db_pool).expect("database");
    seed_database(&pool, backend);
    let queue_pool = pool.clone();

    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::with_pool(&config, pool).expect("server");
            tx.send(app.port()).unwrap();
            app.run_until_stopped().await
        })
    });
    let port = rx.recv().unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let mut probe = login(port);
    let list = probe.send("GET", "/clients?q=client%2000042", "");
    let id = list
        .body
        .split("<td><a href=\"/clients/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("1")
        .to_string();
    let tab = probe.send("GET", &format!("/clients/{id}/tickets"), "");
    let ticket = first_id(&tab.body, &format!("/clients/{id}/tickets/"));
    let billing = probe.send("GET", &format!("/clients/{id}/billing"), "");
    let invoice = first_id(&billing.body, &format!("/clients/{id}/invoices/"));
    let pages = [
        "/clients".to_string(),
        "/clients?per=100&sort=email&dir=desc".to_string(),
        // A deep page of a sorted list against its first page.
        "/clients?sort=email&dir=desc".to_string(),
        "/clients?sort=email&dir=desc&page=200".to_string(),
        "/clients?q=company%20042".to_string(),
        format!("/clients/{id}"),
        format!("/clients/{id}/contacts"),
        format!("/clients/{id}/assets"),
        // A tab the bench seeds no rows for: the cost of the page itself.
        format!("/clients/{id}/networks"),
        "/".to_string(),
        "/tickets".to_string(),
        "/tickets?status=all&sort=due&dir=desc&per=100".to_string(),
        "/tickets?assignee=me&overdue=1".to_string(),
        "/tickets?q=printer".to_string(),
        "/tickets?sort=subject&dir=desc&page=200".to_string(),
        format!("/clients/{id}/tickets"),
        format!("/clients/{id}/tickets/{ticket}"),
        "/assets".to_string(),
        "/assets?filter=30&sort=warranty_expiry".to_string(),
        "/assets?sort=ip_address&page=200".to_string(),
        format!("/clients/{id}/billing"),
        format!("/clients/{id}/invoices/{invoice}"),
        "/finance".to_string(),
        "/finance/invoices?status=overdue".to_string(),
        "/admin/jobs".to_string(),
        "/admin/mail".to_string(),
        "/notifications".to_string(),
        "/search?q=printer".to_string(),
        "/search?q=client%2000042".to_string(),
        format!("/clients/{id}/contacts.csv"),
        "/reports/expirations".to_string(),
        "/reports/licenses".to_string(),
        "/reports/tickets".to_string(),
        "/reports/revenue".to_string(),
        "/admin/import".to_string(),
        "/admin/feeds".to_string(),
        "/admin/api-keys".to_string(),
        "/admin/users".to_string(),
        "/admin/shares".to_string(),
        "/account/2fa".to_string(),
        "/account/sessions".to_string(),
        "/api/docs".to_string(),
    ];
    // MSPDESK_BENCH_ONLY=import,search runs only those parts (pages, api, queue,
    // import, search); all of them by default.
    let only = std::env::var("MSPDESK_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only.split(',').any(|p| p.trim() == name);
    if part("pages") {
        println!(
            "{:<42} {:>9} {:>9} {:>9} {:>6}",
            "page", "req/s", "p50 ms", "p99 ms", "stmts"
        );
        for page in &pages {
            measure(port, page);
        }
    }
    if part("api") {
        api_throughput(&queue_pool, port, &id);
    }
    if part("queue") {
        queue_throughput(&queue_pool);
    }
    if part("import") {
        import_throughput(&queue_pool, &url, &dir);
    }
    // Search over a million indexed rows: more clients and contacts, then the same
    // queries again.
    if part("search") {
        search_at_a_million(&queue_pool, port);
    }
    println!(
        "peak memory (server and load generator): {:.0} MiB",
        peak_rss_mib()
    );
    if let Some(u) = server.filter(|u| u.starts_with("postgres")) {
        if let Ok(mut admin) = PgConnection::establish(&u) {
            let _ = diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin);
        }
    }
    if std::env::var_os("MSPDESK_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("kept {}", dir.display());
    }
}

/// Jobs per second through the queue itself (claim, an empty effect, completion in
/// its transaction) with two workers, as `serve` runs them.
fn queue_throughput(pool: &db::Pool) {
    use mspdesk::domain::automation::jobs::{self, NewJob, Turn};
    const JOBS: usize = 5_000;
    let now = chrono::Utc::now().naive_utc();
    {
        let mut conn = pool.get().expect("connection");
        for i in 0..JOBS {
            let job = NewJob::new("bench.noop", serde_json::json!({ "i": i }), now);
            jobs::enqueue(&mut conn, &job, now).expect("enqueue");
        }
    }
    let started = std::time::Instant::now();
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().expect("connection");
                let noop = |_: &mut mspdesk::platform::db::AnyConnection,
                            _: &jobs::Claimed|
                 -> Result<(), String> { Ok(()) };
                let name = format!("bench-{w}");
                let mut done = 0;
                let lease = chrono::Duration::minutes(5);
                while let Ok(Turn::Done(_)) = jobs::run_once(&mut conn, &name, now, lease, &noop) {
                    done += 1;
                }
                done
            })
        })
        .collect();
    let done: usize = workers.into_iter().map(|w| w.join().unwrap_or(0)).sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{:<42} {:>9.0} jobs/s ({done} jobs, 2 workers, {secs:.1} s)",
        "job queue (claim, run, complete)",
        done as f64 / secs
    );
}

/// 100,000 contacts of 1,000 clients from one CSV, as an admin imports them: the
/// file read and matched, every row through the contacts' service, one transaction.
fn import_throughput(pool: &db::Pool, url: &str, dir: &std::path::Path) {
    use mspdesk::domain::portability::import::{self, Layout, Spec};
    const ROWS: usize = 100_000;
    let mut csv = String::from("Client,Name,E-mail,Phone,Title\n");
    for i in 0..ROWS {
        let c = i % 1_000;
        csv.push_str(&format!(
            "Client {c:05},Imported Person {i},person{i}@import{c}.example,+1 555 01{:02} {:04},Staff\n",
            i % 100,
            i % 10_000
        ));
    }
    let path = dir.join("import.csv");
    std::fs::write(&path, &csv).expect("write the file");
    // A connection of the server's pool, as the browser's import uses (opened and
    // analysed before the search index was built: the case stale statistics hurt).
    let _ = url;
    let mut conn = pool.get().expect("connection");
    let admin = mspdesk::domain::tenancy::users::find_by_email(&mut conn, "bench@bench.test")
        .expect("query")
        .expect("the bench admin");
    let who = mspdesk::domain::scope::Who {
        viewer: mspdesk::domain::scope::Viewer::from(admin.tenant()),
        user_id: admin.id,
        role: admin.role(),
        actor: mspdesk::domain::tenancy::audit::Actor {
            tenant: Some(admin.tenant()),
            user_id: Some(admin.id),
            ip: None,
            user_agent: Some("bench".into()),
        },
    };
    let vault = mspdesk::platform::vault::Vault::open(dir).expect("vault");
    let started = Instant::now();
    let bytes = std::fs::read(&path).expect("read the file");
    let spec = Spec {
        kind: "contacts".into(),
        layout: Layout::Headers,
        client: None,
    };
    let plan = import::plan("import.csv", &bytes, &spec).expect("a readable file");
    let report = import::run(&mut conn, &who, &vault, &plan, true).expect("import");
    let secs = started.elapsed().as_secs_f64();
    assert!(report.committed, "the bench import is written");
    println!(
        "{:<42} {:>9.0} rows/s ({ROWS} contacts in {secs:.2} s, one transaction)",
        "import CSV (dry-run logic + commit)",
        ROWS as f64 / secs
    );
}

/// Tops the index up to a million searchable rows and measures search again.
fn search_at_a_million(pool: &db::Pool, port: u16) {
    let mut conn = pool.get().expect("connection");
    let count = |conn: &mut db::AnyConnection| -> i64 {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT COUNT(*) FROM search_docs)",
        ))
        .get_result(conn)
        .expect("count")
    };
    let have = count(&mut conn);
    let tenant = mspdesk::domain::tenancy::users::find_by_email(&mut conn, "bench@bench.test")
        .expect("query")
        .expect("the bench admin")
        .tenant();
    let started = Instant::now();
    let missing = (1_000_000 - have).max(0) as usize;
    // Each seeded client brings itself and five contacts.
    seed::run(&mut conn, tenant, missing.div_ceil(6), 5).expect("seed");
    let total = count(&mut conn);
    if let db::AnyConnection::Postgresql(c) = &mut *conn {
        let _ = diesel::sql_query("VACUUM ANALYZE").execute(c);
    }
    println!(
        "search index: {total} rows ({} added in {:.0} s)",
        total - have,
        started.elapsed().as_secs_f64()
    );
    // A narrow query (12 hits), a wider one (1,200), a three-word one (2,000), one
    // that matches nothing, and a broad prefix (every 3rd asset: 10,000 hits).
    for page in [
        "/search?q=client%2000042",
        "/search?q=client%20004",
        "/search?q=contact%201%20client%2001",
        "/search?q=printer",
        "/search?q=pc01",
    ] {
        measure(port, page);
    }
}

/// The first record id a page links to under `prefix` ("1" when there is none).
fn first_id(body: &str, prefix: &str) -> String {
    body.split(format!("href=\"{prefix}").as_str())
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|s| s.parse::<i64>().is_ok())
        .unwrap_or("1")
        .to_string()
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mspdesk-bench-{}", random_token(6)));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
