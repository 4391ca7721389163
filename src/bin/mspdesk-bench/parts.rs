//! The measures besides the pages: the job queue, a 100,000-row import, and search
//! once the index holds a million rows.

use std::time::Instant;

use diesel::RunQueryDsl;
use mspdesk::domain::directory::seed;
use mspdesk::platform::db;

/// Jobs per second through the queue itself (claim, an empty effect, completion in
/// its transaction) with two workers, as `serve` runs them.
pub fn queue_throughput(pool: &db::Pool) -> String {
    use mspdesk::domain::outbox::jobs::{self, NewJob, Turn};
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
    format!(
        "job queue: {:.0} jobs/s (claim, run, complete; {done} jobs, 2 workers, {secs:.1} s)",
        done as f64 / secs
    )
}

/// 100,000 contacts of 1,000 clients from one CSV, as an admin imports them: the
/// file read and matched, every row through the contacts' service, one transaction.
pub fn import_throughput(pool: &db::Pool, dir: &std::path::Path) -> String {
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
    // A connection opened and analysed before the search index was built: the case
    // stale statistics hurt.
    let mut conn = pool.get().expect("connection");
    let admin = mspdesk::domain::tenancy::users::find_by_email(&mut conn, "bench@bench.test")
        .expect("query")
        .expect("the bench admin");
    let who = mspdesk::domain::scope::Who::shell(
        &admin,
        "bench",
        mspdesk::platform::clock::Clock::System,
    );
    let vault = mspdesk::platform::vault::Vault::open(dir).expect("vault");
    let started = Instant::now();
    let upload = import::Upload {
        name: "import.csv".into(),
        path: path.clone(),
        spec: Spec {
            kind: "contacts".into(),
            layout: Layout::Headers,
            client: None,
        },
        unpack_limit: import::archive::MAX_UNPACKED,
    };
    let files = dir.join("files");
    let context = import::Context {
        files_dir: &files,
        invite: None,
    };
    let report = import::run_upload(
        &mut conn,
        &who,
        &vault,
        &upload,
        import::Keep::All,
        &context,
    )
    .expect("import")
    .expect("a readable file");
    let secs = started.elapsed().as_secs_f64();
    assert!(report.committed, "the bench import is written");
    format!(
        "CSV import: {ROWS} contacts in {secs:.2} s ({:.0} rows/s, checked and written in one transaction)",
        ROWS as f64 / secs
    )
}

/// A million contacts of 1,000 clients from one CSV through `mspdesk import` in a
/// process of its own (its memory is the import's): the file is read a row at a time,
/// every row through the contacts' service, one transaction. Returns (seconds, peak
/// RSS in MiB), its peak read from `/proc` while it runs.
pub fn import_million(url: &str, dir: &std::path::Path) -> (f64, f64) {
    use std::io::Write;
    const ROWS: usize = 1_000_000;
    let path = dir.join("million.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("the file"));
        writeln!(out, "Client,Name,E-mail,Phone,Title").expect("write");
        for i in 0..ROWS {
            let c = i % 1_000;
            writeln!(
                out,
                "Client {c:05},Million Person {i},million{i}@import{c}.example,+1 555 02{:02} {:04},Staff",
                i % 100,
                i % 10_000
            )
            .expect("write");
        }
    }
    let bin = std::env::current_exe()
        .expect("own path")
        .with_file_name("mspdesk");
    let started = Instant::now();
    let mut child = std::process::Command::new(bin)
        .args([
            "import",
            "--as",
            "bench@bench.test",
            "--kind",
            "contacts",
            "--commit",
        ])
        .arg(&path)
        .env("DATABASE_URL", url)
        .env("MSPDESK_DATA_DIR", dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("mspdesk import");
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0.0_f64;
    let finished = loop {
        if let Some(done) = child.try_wait().expect("wait") {
            break done;
        }
        if let Some(kib) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let secs = started.elapsed().as_secs_f64();
    assert!(finished.success(), "the million-row import was written");
    let _ = std::fs::remove_file(&path);
    (secs, peak_kib / 1024.0)
}

/// Tops the index up to a million searchable rows and measures search again.
pub fn search_at_a_million(pool: &db::Pool, bench: &mut crate::Bench) {
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
    seed::run(
        &mut conn,
        tenant,
        missing.div_ceil(6),
        5,
        chrono::Utc::now(),
    )
    .expect("seed");
    let total = count(&mut conn);
    if let db::AnyConnection::Postgresql(c) = &mut *conn {
        let _ = diesel::sql_query("VACUUM ANALYZE").execute(c);
    }
    bench.note(format!(
        "search index topped up to {total} rows ({} added in {:.0} s) for the rows marked “at 1M”",
        total - have,
        started.elapsed().as_secs_f64()
    ));
    // A narrow query (12 hits), a wider one (1,200), a three-word one (2,000), one
    // that matches nothing, and a broad prefix (every 3rd asset: 10,000 hits).
    for page in [
        "/search?q=client%2000042",
        "/search?q=client%20004",
        "/search?q=contact%201%20client%2001",
        "/search?q=printer",
        "/search?q=pc01",
    ] {
        bench.page(&format!("{page} at 1M"), page, true);
    }
}
