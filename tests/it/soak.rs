//! The soak: the real server binary under a mixed load — reads, writes, uploads,
//! imports, logins and the job traffic tickets make — killed with SIGKILL half-way
//! (one upload cut in the middle) and started again on the same data, then checked:
//! no server error, no "database is locked" in its log, and whole data (SQLite's
//! integrity check, no stored file without its row, no record without its audit entry,
//! ticket numbers without a gap).
//!
//! `make test` runs a short version; `make soak` the long one (48 clients for 10
//! minutes, `MSPDESK_SOAK_CLIENTS`, `MSPDESK_SOAK_SECONDS`), which prints its figures.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, client_contacts, clients, tickets};
use mspdesk::platform::db::{AnyConnection, Backend};

use crate::helpers::Browser;

const PASSWORD: &str = "soak-password";
const TEAM: &str = "demo-msp";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn mspdesk(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mspdesk"));
    cmd.arg("--data-dir").arg(dir).env_remove("DATABASE_URL");
    cmd
}

/// Starts the server on a free port, its output appended to `log`; its address.
fn start(dir: &Path, log: &Path) -> (Child, String) {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let seen = std::fs::read_to_string(log).unwrap_or_default().len();
    let mut child = mspdesk(dir)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "2",
            "--job-workers",
            "2",
        ])
        .args(["--job-lease-secs", "5", "--max-upload-mb", "1", "serve"])
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();
    for _ in 0..600 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(at) = text[seen..].find("serving at http://") {
            let rest = &text[seen + at + "serving at ".len()..];
            return (child, rest.lines().next().unwrap().trim().to_string());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!(
        "the server did not start: {}",
        std::fs::read_to_string(log).unwrap()
    );
}

fn browser(base: &str) -> Browser {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    Browser {
        http: reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        jar,
        base: base.to_string(),
        csrf: String::new(),
        team: TEAM.into(),
    }
}

/// What the load shares: the server's address (new after the restart), whether to
/// hold off, and the requests under way.
struct Shared {
    base: RefCell<String>,
    paused: Cell<bool>,
    in_flight: Cell<usize>,
    stop: Cell<bool>,
}

#[derive(Default)]
struct Tally {
    requests: u64,
    failed: Vec<String>,
}

async fn user(
    b: Browser,
    email: &'static str,
    (cid, client): (i64, &'static str),
    shared: Rc<Shared>,
    n: u64,
) -> Tally {
    let mut b = b;
    let mut t = Tally::default();
    let mut round = 0u64;
    while !shared.stop.get() {
        if shared.paused.get() {
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        round += 1;
        b.base = shared.base.borrow().clone();
        shared.in_flight.set(shared.in_flight.get() + 1);
        let admin = email.starts_with("admin");
        let status = match (round + n) % 7 {
            0 => b.get("/clients").await.status,
            1 => b.get(&format!("/clients/{cid}/contacts")).await.status,
            2 => {
                let name = format!("Soak {n}-{round}");
                let path = format!("/clients/{cid}/contacts");
                b.post(&path, &[("name", &name)]).await.status
            }
            3 => {
                let status = b.login(email, PASSWORD).await.status;
                b.refresh_csrf().await;
                status
            }
            4 => {
                let path = format!("/clients/{cid}/files");
                b.upload(&path, "soak.bin", vec![b's'; 30_000], &[])
                    .await
                    .status
            }
            5 => {
                let subject = format!("Soak ticket {n}-{round}");
                let path = format!("/clients/{cid}/tickets");
                b.post(&path, &[("subject", &subject), ("priority", "low")])
                    .await
                    .status
            }
            _ if admin => import(&b, client, n, round).await,
            _ => b.get("/").await.status,
        };
        shared.in_flight.set(shared.in_flight.get() - 1);
        t.requests += 1;
        if status >= 500 {
            t.failed
                .push(format!("{status} in round {round} of user {n}"));
        }
    }
    t
}

/// An admin imports two contacts: upload (the dry run) and commit.
async fn import(b: &Browser, client: &str, n: u64, round: u64) -> u16 {
    let csv = format!("name,email\nSoak import {n}-{round}a,a{n}x{round}@soak.test\nSoak import {n}-{round}b,b{n}x{round}@soak.test\n");
    let fields = [("kind", "contacts"), ("client", client)];
    let up = b
        .upload("/admin/import", "soak.csv", csv.into_bytes(), &fields)
        .await;
    if up.status != 303 {
        return up.status;
    }
    b.post(&format!("{}/commit", up.location), &[]).await.status
}

/// A request cut in the middle of its upload when the server dies.
fn cut_upload(base: &str, b: &Browser, cid: i64) -> std::net::TcpStream {
    use std::io::Write;
    let host = base.trim_start_matches("http://").to_string();
    let mut socket = std::net::TcpStream::connect(&host).unwrap();
    let head = format!(
        "POST /clients/{cid}/files HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary=XB\r\nContent-Length: 900000\r\n\r\n--XB\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{}\r\n--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n",
        b.cookie_header(),
        b.csrf
    );
    socket.write_all(head.as_bytes()).unwrap();
    socket.write_all(&[b'c'; 200_000]).unwrap();
    socket
}

/// Whole data after the soak.
fn check(conn: &mut AnyConnection, files: &Path, tenant: i64) -> Vec<String> {
    let mut problems = vec![];
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let ok: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(conn)
        .unwrap();
    if ok.iter().any(|c| c.integrity_check != "ok") {
        problems.push("SQLite's integrity check failed".into());
    }
    for entry in std::fs::read_dir(files).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // A `.part` younger than the sweep's 15 minutes is the cut upload's; the next
        // start past that removes it.
        if name.ends_with(".part") || name.starts_with(".import-") {
            continue;
        }
        if !mspdesk::domain::platform::stored::is_named(conn, &name).unwrap() {
            problems.push(format!("stored file {name} has no row"));
        }
    }
    // An import is audited as one entry for its batch, and lands whole: both of its
    // two rows or neither.
    let imported: Vec<String> = client_contacts::table
        .filter(client_contacts::name.like("Soak import %"))
        .select(client_contacts::name)
        .load(conn)
        .unwrap();
    for name in imported.iter().filter(|n| n.ends_with('a')) {
        let pair = format!("{}b", &name[..name.len() - 1]);
        if !imported.contains(&pair) {
            problems.push(format!("{name} arrived without {pair}"));
        }
    }
    let made: Vec<i64> = client_contacts::table
        .filter(client_contacts::name.like("Soak %"))
        .filter(client_contacts::name.not_like("Soak import %"))
        .select(client_contacts::id)
        .load(conn)
        .unwrap();
    let audited: Vec<Option<i64>> = audit_log::table
        .filter(audit_log::entity_id.eq_any(&made))
        .filter(audit_log::action.eq("create"))
        .select(audit_log::entity_id)
        .load(conn)
        .unwrap();
    for id in &made {
        if !audited.contains(&Some(*id)) {
            problems.push(format!("contact {id} has no audit entry"));
        }
    }
    let mut numbers: Vec<Option<i64>> = tickets::table
        .filter(tickets::tenant_id.eq(tenant))
        .select(tickets::number)
        .load(conn)
        .unwrap();
    numbers.sort();
    let numbers: Vec<i64> = numbers.into_iter().flatten().collect();
    if numbers.windows(2).any(|w| w[1] != w[0] + 1) {
        problems.push(format!("ticket numbers have a gap: {numbers:?}"));
    }
    problems
}

#[actix_web::test]
async fn a_soak_with_a_kill_and_a_restart_loses_nothing_and_fails_nothing() {
    // It starts its own server on its own SQLite file (the embedded default, and the
    // database whose locking it watches): the PostgreSQL pass of the suite skips it.
    if std::env::var("MSPDESK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        return;
    }
    let clients = setting("MSPDESK_SOAK_CLIENTS", 6);
    let seconds = setting("MSPDESK_SOAK_SECONDS", 6);
    let dir = tempfile::tempdir().unwrap();
    let (data, log) = (dir.path().join("data"), dir.path().join("server.log"));
    let demo = mspdesk(&data)
        .args(["demo", "--password", PASSWORD])
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let url = format!("sqlite://{}", data.join("mspdesk.db").display());
    let mut conn = Backend::from_url(&url).unwrap().connect().unwrap();
    let (cid, tenant, client): (i64, i64, String) = clients::table
        .order(clients::id)
        .select((clients::id, clients::tenant_id, clients::name))
        .first(&mut conn)
        .unwrap();
    let client: &'static str = Box::leak(client.into_boxed_str());

    let (mut server, base) = start(&data, &log);
    let shared = Rc::new(Shared {
        base: RefCell::new(base.clone()),
        paused: Cell::new(false),
        in_flight: Cell::new(0),
        stop: Cell::new(false),
    });
    let mut tasks = vec![];
    for n in 0..clients {
        let email = ["admin@demo.test", "tech@demo.test"][n as usize % 2];
        let mut b = browser(&base);
        assert_eq!(b.login(email, PASSWORD).await.status, 303);
        b.refresh_csrf().await;
        tasks.push(actix_web::rt::spawn(user(
            b,
            email,
            (cid, client),
            shared.clone(),
            n,
        )));
    }
    let started = Instant::now();
    actix_web::rt::time::sleep(Duration::from_secs(seconds / 2)).await;

    // SIGKILL with an upload half sent (requests of the load are let finish first: a
    // connection the test itself sees reset is not a server error).
    shared.paused.set(true);
    while shared.in_flight.get() > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    let mut cutter = browser(&base);
    assert_eq!(cutter.login("tech@demo.test", PASSWORD).await.status, 303);
    cutter.refresh_csrf().await;
    let _socket = cut_upload(&base, &cutter, cid);
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let (restarted, base) = start(&data, &log);
    server = restarted;
    *shared.base.borrow_mut() = base;
    shared.paused.set(false);

    actix_web::rt::time::sleep(Duration::from_secs(seconds - seconds / 2)).await;
    shared.stop.set(true);
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.unwrap();
        all.requests += t.requests;
        all.failed.extend(t.failed);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let locked = text.matches("database is locked").count();
    let problems = check(&mut conn, &data.join("files"), tenant);
    let imported: i64 = client_contacts::table
        .filter(client_contacts::name.like("Soak import%"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let ticketed: i64 = tickets::table
        .filter(tickets::subject.like("Soak ticket%"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(
        imported > 0 && ticketed > 0,
        "imports {imported}, tickets {ticketed}"
    );
    eprintln!(
        "soak: {clients} clients, {:.0} s, {} requests, {} errors, {locked} lock warnings, one SIGKILL and restart, {} integrity problems",
        started.elapsed().as_secs_f64(),
        all.requests,
        all.failed.len(),
        problems.len()
    );
    assert!(all.failed.is_empty(), "errors: {:?}", all.failed);
    assert_eq!(locked, 0, "lock warnings in the log:\n{text}");
    assert!(!text.contains("panicked"), "{text}");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        all.requests > clients * 4,
        "too few requests to mean anything"
    );
}
