//! `make bench`: seeds a real MSP's volume (10,000 clients with their contacts,
//! locations, credentials, licences, domains, certificates, services and documents;
//! 50,000 tickets with replies, 30,000 assets, 30,000 invoices with payments), starts
//! `mspdesk serve` on it in its own process, and measures every main page with wrk at
//! 16 connections over 64 signed-in sessions against the `/healthz` ceiling of the same
//! run: req/s, p50, p99, statements per page, the server's peak RSS and cold start.
//! Usage: mspdesk-bench [postgres://…]   SQLite always; PostgreSQL too when a server is
//! given (a fresh schema there, dropped afterwards). Prints one table with both side by
//! side (also written to target/bench.md) and the budgets, met or missed.
//! `MSPDESK_BENCH_ONLY=pages,api,queue,import,search` runs only some parts;
//! `MSPDESK_BENCH_SECONDS` sets each page's load time (default 3);
//! `MSPDESK_BENCH_KEEP` keeps the SQLite directory and `MSPDESK_BENCH_REUSE=<dir>` measures
//! a kept one again without seeding (for iterating on one fix; the table says so);
//! `MSPDESK_BENCH_PAGES=/,/tickets` measures only those pages.

mod database;
mod http;
mod parts;
mod report;
mod server;
mod wrk;

use std::path::{Path, PathBuf};

use diesel::{Connection, PgConnection, RunQueryDsl};
use mspdesk::platform::db;
use mspdesk::platform::keys::random_token;

use report::{Row, Run};
use wrk::{Auth, Load};

const CLIENTS: usize = 10_000;
const CONTACTS: usize = 5;
/// Per client: 50,000 tickets and 30,000 assets in all.
const TICKETS: usize = 5;
const ASSETS: usize = 3;
/// Invoices per client (30,000 in all), with lines and payments.
const INVOICES: usize = 3;
/// Signed-in sessions the load rotates through.
const SESSIONS: usize = 64;

/// A backend's measuring run: the server, its sessions and what was measured so far.
pub struct Bench {
    port: u16,
    sessions: Vec<String>,
    dir: PathBuf,
    seconds: u32,
    rows: Vec<Row>,
    notes: Vec<String>,
    /// `MSPDESK_BENCH_PAGES`: only these paths (for profiling one page).
    pages: Option<Vec<String>>,
}

impl Bench {
    fn note(&mut self, line: String) {
        println!("  {line}");
        self.notes.push(line);
    }

    /// A connection carrying the first session (a fresh one: the last may have idled
    /// past keep-alive while wrk ran).
    fn probe(&self) -> http::Conn {
        let mut c = http::Conn::open(self.port).expect("connect");
        c.cookie = self.sessions[0].clone();
        c
    }

    /// A page under load from every session; `main` pages are held to the budgets.
    fn page(&mut self, name: &str, path: &str, main: bool) {
        if !self
            .pages
            .as_ref()
            .is_none_or(|p| p.iter().any(|p| p == path))
        {
            return;
        }
        let sessions = self.sessions.clone();
        let load = Load {
            method: "GET",
            path,
            body: "",
            auth: Auth::Sessions(&sessions),
        };
        self.measure(name, &load, 200, main);
    }

    fn measure(&mut self, name: &str, load: &Load, expect: u16, main: bool) {
        let mut probe = self.probe();
        if let Auth::Key(k) = load.auth {
            probe.key = k.to_string();
        }
        let first = probe
            .send(load.method, load.path, load.body)
            .expect("probe");
        assert_eq!(
            first.status, expect,
            "{} {}: {}",
            load.method, load.path, first.body
        );
        let stmts = first.header("x-sql-statements").unwrap_or("").to_string();
        for _ in 0..20 {
            let _ = probe.send(load.method, load.path, load.body);
        }
        let mut m = wrk::run(self.port, load, self.seconds, &self.dir);
        // wrk counts a redirect as success: a lost session would pass unseen.
        let mut again = self.probe();
        again.key = probe.key.clone();
        let after = again
            .send(load.method, load.path, load.body)
            .map(|r| r.status);
        if load.method == "GET" && after.ok() != Some(expect) {
            m.errors += 1;
        }
        println!(
            "  {name:<52} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  {stmts:>3} stmts{}",
            m.rps,
            m.p50_ms,
            m.p99_ms,
            if m.errors > 0 {
                format!("  {} ERRORS", m.errors)
            } else {
                String::new()
            }
        );
        self.rows.push(Row {
            page: name.to_string(),
            main,
            stmts,
            m,
        });
    }
}

/// Seeds the backend at `url`, serves it, measures it.
fn run_backend(url: &str, backend: &'static str, dir: &Path) -> Run {
    let reused = dir.join("seeded").exists();
    let (_, pool) = db::init(url, 4).expect("database");
    let seeded = if reused {
        "a kept database, measured again (not seeded in this run)".to_string()
    } else {
        // The views and the search index's triggers, as a server installs them when it
        // first starts: the seed then fills the index as use would, and the measured
        // start is a restart on an existing database, not a first index build.
        mspdesk::domain::install_views(&mut pool.get().expect("connection")).expect("views");
        let seeded = database::seed_database(&pool, backend, dir);
        let _ = std::fs::write(dir.join("seeded"), &seeded);
        seeded
    };
    let (server, starts) = server::Server::start_median(url, dir);
    println!("{backend}: served after {starts}");
    let port = server.port;
    let sessions: Vec<String> = (0..SESSIONS).map(|_| http::login(port).cookie).collect();
    let seconds = std::env::var("MSPDESK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let mut bench = Bench {
        port,
        sessions,
        dir: dir.to_path_buf(),
        seconds,
        rows: vec![],
        notes: vec![seeded, format!("cold starts {starts}: the median counts")],
        pages: std::env::var("MSPDESK_BENCH_PAGES")
            .ok()
            .map(|p| p.split(',').map(str::to_string).collect()),
    };
    let ceiling = Load {
        method: "GET",
        path: "/healthz",
        body: "",
        auth: Auth::None,
    };
    bench.measure("/healthz", &ceiling, 200, false);
    let ceiling = bench.rows.pop().expect("the ceiling").m;

    let mut probe = bench.probe();
    let list = probe.get("/clients?q=client%2000042");
    let id = list
        .body
        .split("<td><a href=\"/clients/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("1")
        .to_string();
    let overview = probe.get(&format!("/clients/{id}"));
    let css = overview
        .body
        .split("href=\"/static/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|f| format!("/static/{f}"))
        .unwrap_or_else(|| "/static/app.css".into());
    let tabs = http::tabs(&overview.body);
    let ticket = http::first_id(
        &probe.get(&format!("/clients/{id}/tickets")).body,
        &format!("/clients/{id}/tickets/"),
    );
    let invoice = http::first_id(
        &probe.get(&format!("/clients/{id}/billing")).body,
        &format!("/clients/{id}/invoices/"),
    );

    let only = std::env::var("MSPDESK_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only.split(',').any(|p| p.trim() == name);
    if part("pages") {
        let statics = Load {
            method: "GET",
            path: &css,
            body: "",
            auth: Auth::None,
        };
        bench.measure(&css, &statics, 200, false);
        bench.page("/login", "/login", false);
        // The main pages: held to the budgets.
        let mut main = vec![
            "/".to_string(),
            "/clients".to_string(),
            format!("/clients/{id}"),
        ];
        for t in &tabs {
            if !main.contains(t) {
                main.push(t.clone());
            }
        }
        main.extend([
            "/tickets".to_string(),
            format!("/clients/{id}/tickets/{ticket}"),
            "/assets".to_string(),
            format!("/clients/{id}/invoices/{invoice}"),
            "/search?q=printer".to_string(),
        ]);
        for p in &main {
            bench.page(p, p, true);
        }
        for p in [
            "/clients?per=100&sort=email&dir=desc".to_string(),
            "/clients?sort=email&dir=desc&page=200".to_string(),
            "/clients?q=company%20042".to_string(),
            "/tickets?status=all&sort=due&dir=desc&per=100".to_string(),
            "/tickets?assignee=me&overdue=1".to_string(),
            "/tickets?q=printer".to_string(),
            "/tickets?sort=subject&dir=desc&page=200".to_string(),
            "/assets?filter=30&sort=warranty_expiry".to_string(),
            "/assets?sort=ip_address&page=200".to_string(),
            "/finance".to_string(),
            "/finance/invoices?status=overdue".to_string(),
            "/search?q=client%2000042".to_string(),
            format!("/clients/{id}/contacts.csv"),
            "/reports/expirations".to_string(),
            "/reports/licenses".to_string(),
            "/reports/tickets".to_string(),
            "/reports/revenue".to_string(),
            "/notifications".to_string(),
            "/admin/users".to_string(),
            "/admin/audit".to_string(),
            "/admin/jobs".to_string(),
            "/admin/mail".to_string(),
            "/admin/import".to_string(),
            "/admin/api-keys".to_string(),
            "/account/sessions".to_string(),
            "/api/docs".to_string(),
        ] {
            bench.page(&p, &p, false);
        }
    }
    if part("api") {
        let mut conn = pool.get().expect("connection");
        let key = mspdesk::ops::acting::api_key(
            &mut conn,
            "bench@bench.test",
            None,
            None,
            "Bench",
            false,
        )
        .expect("a key");
        let tickets = format!("/api/v1/clients/{id}/tickets");
        for (method, path, body, expect) in [
            ("GET", "/api/v1/clients", "", 200),
            (
                "POST",
                tickets.as_str(),
                r#"{"subject":"Scripted ticket from the RMM"}"#,
                201,
            ),
        ] {
            let load = Load {
                method,
                path,
                body,
                auth: Auth::Key(&key),
            };
            let name = if method == "GET" {
                path.to_string()
            } else {
                format!("{method} {path}")
            };
            bench.measure(&name, &load, expect, false);
        }
    }
    if part("queue") {
        let line = parts::queue_throughput(&pool);
        bench.note(line);
    }
    let mut million = None;
    if part("import") {
        let line = parts::import_throughput(&pool, dir);
        bench.note(line);
        let (secs, mib) = parts::import_million(url, dir);
        bench.note(format!(
            "CSV import: 1,000,000 contacts in {secs:.1} s ({:.0} rows/s) by `mspdesk import`, peak RSS {mib:.0} MiB",
            1_000_000.0 / secs
        ));
        million = Some((secs, mib));
    }
    if part("search") {
        parts::search_at_a_million(&pool, &mut bench);
    }
    Run {
        backend,
        ceiling,
        rss_mib: server.peak_rss_mib(),
        cold_start_ms: server.cold_start_ms,
        rows: bench.rows,
        notes: bench.notes,
        million,
    }
}

fn main() {
    let server = std::env::args().nth(1);
    let sqlite_dir = std::env::var_os("MSPDESK_BENCH_REUSE")
        .map(PathBuf::from)
        .unwrap_or_else(tempfile_dir);
    let sqlite = run_backend(
        &format!("sqlite://{}/bench.db", sqlite_dir.display()),
        "SQLite",
        &sqlite_dir,
    );
    let pg = server.filter(|u| u.starts_with("postgres")).map(|u| {
        let dir = tempfile_dir();
        // A fresh schema of our own on the given server, dropped at the end.
        let schema = format!("bench_{}", random_token(4));
        let url = database::database_url(Some(&u), &dir, &schema);
        let run = run_backend(&url, "PostgreSQL", &dir);
        if let Ok(mut admin) = PgConnection::establish(&u) {
            let _ = diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin);
        }
        let _ = std::fs::remove_dir_all(&dir);
        run
    });
    let table = report::table(&sqlite, pg.as_ref());
    let (budgets, all) = report::budgets(&sqlite, pg.as_ref());
    println!("\n{table}\n{budgets}");
    println!(
        "{}",
        if all {
            "every budget met"
        } else {
            "some budgets missed (MISSED above)"
        }
    );
    let _ = std::fs::write("target/bench.md", format!("{table}\n```\n{budgets}```\n"));
    if std::env::var_os("MSPDESK_BENCH_KEEP").is_none()
        && std::env::var_os("MSPDESK_BENCH_REUSE").is_none()
    {
        let _ = std::fs::remove_dir_all(&sqlite_dir);
    } else {
        println!("kept {}", sqlite_dir.display());
    }
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mspdesk-bench-{}", random_token(6)));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
