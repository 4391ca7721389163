//! A backup that restores: taken while technicians keep writing and uploading, restored
//! into an empty data directory and database, it holds every write that had finished
//! before it began and no half-written one; a server on the restored copy reveals every
//! secret and serves every file as it was.

use std::cell::RefCell;
use std::rc::Rc;

use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, client_contacts};
use mspdesk::ops::backup::{restore, take};
use mspdesk::platform::config::Config;
use mspdesk::platform::db::{self, AnyConnection};

use crate::fixtures;
use crate::helpers::{id_from, Browser, TestApp, PASSWORD};

/// An empty database of the suite's kind for the restore, and how to drop it.
fn empty_target(app: &TestApp, dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match app.pg_schema() {
        None => (
            format!("sqlite://{}", dir.join("restored.db").display()),
            None,
        ),
        Some((server, schema)) => {
            let name = format!("r_{}", mspdesk::platform::keys::random_token(6));
            let mut admin = diesel::PgConnection::establish(&server).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .unwrap();
            let base = &server[..server.rfind('/').unwrap()];
            let url = format!("{base}/{name}?options=-csearch_path%3D{schema}");
            (url, Some((server, name)))
        }
    }
}

/// Keeps creating contacts (and now and then a file) until told to stop; the names
/// whose creation had answered.
fn write_load(b: Browser, cid: i64, stop: Rc<RefCell<bool>>, done: Rc<RefCell<Vec<String>>>) {
    actix_web::rt::spawn(async move {
        let mut n = 0;
        while !*stop.borrow() {
            n += 1;
            let name = format!("Load {n:04}");
            let made = b
                .post(&format!("/clients/{cid}/contacts"), &[("name", &name)])
                .await;
            assert_eq!(made.status, 303, "{}", made.body);
            done.borrow_mut().push(name);
            if n % 5 == 0 {
                let up = b
                    .upload(
                        &format!("/clients/{cid}/files"),
                        "scan.pdf",
                        vec![b'x'; 2048],
                        &[],
                    )
                    .await;
                assert_eq!(up.status, 303);
            }
        }
    });
}

#[actix_web::test]
async fn a_backup_under_load_restores_every_finished_write_every_secret_and_every_file() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let mut secrets = vec![];
    for (name, password) in [
        ("Firewall", "fw-Pass#1"),
        ("NAS", "nas ünïcode 2"),
        ("Wi-Fi", "wifi'3\""),
    ] {
        let made = tech
            .post(
                &format!("/clients/{cid}/credentials"),
                &[
                    ("name", name),
                    ("username", "admin"),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
        secrets.push((id_from(&made.location), password));
    }
    let contract = b"%PDF-1.4 the signed contract".to_vec();
    let up = tech
        .upload(
            &format!("/clients/{cid}/files"),
            "contract.pdf",
            contract.clone(),
            &[],
        )
        .await;
    let file = id_from(&up.location);

    let (stop, done) = (Rc::new(RefCell::new(false)), Rc::new(RefCell::new(vec![])));
    write_load(
        app.login(&app.a.tech).await,
        cid,
        stop.clone(),
        done.clone(),
    );
    while done.borrow().len() < 10 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before: Vec<String> = done.borrow().clone();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("backup.zip");
    let taken = {
        let (pool, url, data, archive) = (
            app.pool.clone(),
            app.url.clone(),
            app.data_dir.clone(),
            archive.clone(),
        );
        actix_web::rt::task::spawn_blocking(move || {
            take::take(&mut pool.get().unwrap(), &url, &data, &archive, None)
        })
        .await
        .unwrap()
        .unwrap()
    };
    // The load went on while the backup ran.
    let during = done.borrow().len();
    while done.borrow().len() < during + 5 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    *stop.borrow_mut() = true;
    assert!(taken.files >= 1 && taken.missing == 0, "{taken:?}");

    let target = tempfile::tempdir().unwrap();
    let (url, drop_db) = empty_target(&app, target.path());
    let data = target.path().join("data");
    let restored = {
        let (url, data) = (url.clone(), data.clone());
        actix_web::rt::task::spawn_blocking(move || restore::restore(&archive, None, &url, &data))
            .await
            .unwrap()
            .unwrap()
    };
    assert!(restored.secrets >= 3, "{restored:?}");

    let (_, pool) = db::init(&url, 4).unwrap();
    {
        let conn: &mut AnyConnection = &mut pool.get().unwrap();
        let names: Vec<(i64, String)> = client_contacts::table
            .filter(client_contacts::name.like("Load %"))
            .select((client_contacts::id, client_contacts::name))
            .load(conn)
            .unwrap();
        for name in &before {
            assert!(
                names.iter().any(|(_, n)| n == name),
                "{name} finished before the backup"
            );
        }
        // Nothing half-written: every contact arrived with its audit entry.
        for (id, name) in &names {
            let audited: i64 = audit_log::table
                .filter(audit_log::entity_id.eq(id))
                .filter(audit_log::action.eq("create"))
                .count()
                .get_result(conn)
                .unwrap();
            assert!(audited >= 1, "{name} has no audit entry");
        }
    }

    // A server on the restored copy: the same sign-in, every secret, every file.
    let mut config = Config::new(url.clone(), &data);
    config.bind = "127.0.0.1:0".into();
    config.job_workers = 0;
    let server = mspdesk::startup::Application::with_pool(&config, pool.clone()).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    actix_web::rt::spawn(server.run_until_stopped());
    let mut b = app.browser();
    b.base = base;
    assert_eq!(b.login(&app.a.tech, PASSWORD).await.status, 303);
    b.refresh_csrf().await;
    for (id, password) in &secrets {
        let shown = b
            .post(&format!("/clients/{cid}/credentials/{id}/reveal"), &[])
            .await;
        assert_eq!(shown.status, 200);
        assert!(
            shown.texts("code.secret").contains(&password.to_string()),
            "{password}"
        );
    }
    let got = b
        .get_raw(&format!("/clients/{cid}/files/{file}/download"))
        .await;
    assert_eq!(got.bytes().await.unwrap().to_vec(), contract);

    drop(pool);
    drop_target(drop_db);
}

fn drop_target(target: Option<(String, String)>) {
    if let Some((server, name)) = target {
        let mut admin = diesel::PgConnection::establish(&server).unwrap();
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut admin)
            .unwrap();
    }
}

/// A restore writes nothing it cannot trust: not over existing data, not from a
/// damaged archive, not without the keys kept apart.
#[actix_web::test]
async fn a_restore_refuses_a_used_target_a_damaged_archive_and_missing_keys() {
    use std::io::{Read, Write};
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let up = tech
        .upload(
            &format!("/clients/{cid}/files"),
            "a.txt",
            b"original".to_vec(),
            &[],
        )
        .await;
    assert_eq!(up.status, 303);
    let out = tempfile::tempdir().unwrap();
    let (archive, keys) = (out.path().join("b.zip"), out.path().join("b.keys"));
    let conn = &mut *app.conn();
    let taken = take::take(conn, &app.url, &app.data_dir, &archive, Some(&keys)).unwrap();
    assert!(take::describe(&taken).contains("keep that file apart"));
    let again = take::take(conn, &app.url, &app.data_dir, &archive, None);
    assert!(again.unwrap_err().to_string().contains("never overwrites"));

    let refused = |r: Result<restore::Restored, mspdesk::ops::backup::BackupError>| {
        r.unwrap_err().to_string()
    };
    let fresh = out.path().join("fresh");
    let (url, drop_db) = empty_target(&app, out.path());
    assert!(refused(restore::restore(&archive, None, &url, &fresh)).contains("--keys"));
    assert!(refused(restore::restore(
        &archive,
        Some(&keys),
        &app.url,
        &app.data_dir
    ))
    .contains("exists"));

    // One stored file's bytes changed inside the archive.
    let damaged = out.path().join("damaged.zip");
    let mut src = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(&damaged).unwrap());
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = vec![];
        e.read_to_end(&mut bytes).unwrap();
        if name.starts_with("files/") {
            bytes = b"tampered".to_vec();
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        dst.write_all(&bytes).unwrap();
    }
    dst.finish().unwrap();
    let message = refused(restore::restore(&damaged, Some(&keys), &url, &fresh));
    assert!(message.contains("does not match its checksum"), "{message}");
    assert!(!fresh.join("vault.key").exists(), "nothing was written");
    drop_target(drop_db);
}

/// Scheduled backups: one per interval however often planned, run by a worker through
/// the queue, the oldest beyond the number kept deleted, the last result on the
/// operator console — and a backup that cannot be written is a failed job there.
#[actix_web::test]
async fn scheduled_backups_run_through_the_queue_keep_the_newest_and_show_on_the_console() {
    use chrono::{Duration, TimeZone, Utc};
    use mspdesk::domain::outbox::jobs::Turn;
    use mspdesk::ops::backup::schedule::{self, Plan};
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let app = {
        let backups = backups.clone();
        TestApp::spawn_custom(crate::helpers::alpha, move |c| {
            c.backup_dir = backups.display().to_string();
            c.backup_every_hours = 24;
            c.backup_keep = 2;
        })
        .await
    };
    let plan = Plan {
        dir: backups.clone(),
        every: Duration::hours(24),
        keep: 2,
        database_url: app.url.clone(),
        data_dir: app.data_dir.clone(),
    };
    let mut ctx = crate::mail::context(&app, None);
    ctx.backup = Some(plan.clone());
    let day = |n: i64| Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::days(n);
    let conn = &mut *app.conn();
    for n in 0..3 {
        assert!(schedule::plan(conn, &plan, day(n).naive_utc()).unwrap());
        assert!(!schedule::plan(conn, &plan, (day(n) + Duration::hours(5)).naive_utc()).unwrap());
        let turns = crate::mail::work(conn, &ctx, day(n) + Duration::hours(5));
        assert!(matches!(turns.as_slice(), [Turn::Done(_)]), "{turns:?}");
    }
    let kept: Vec<String> = schedule::list(&backups)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept[0].contains("20261203T080000"),
        "the newest first: {kept:?}"
    );

    let op = crate::platform::operator(&app).await;
    let console = op.get("/platform").await;
    let text = console.texts("main").join(" ");
    assert!(
        text.contains("Every 24 h") && text.contains("done"),
        "{text}"
    );
    assert!(console.body.contains(&kept[0]) && console.body.contains(&kept[1]));

    // The directory turned into a file: the next backup fails, and the console says so.
    std::fs::remove_dir_all(&backups).unwrap();
    std::fs::write(&backups, b"not a directory").unwrap();
    assert!(schedule::plan(conn, &plan, day(3).naive_utc()).unwrap());
    let turns = crate::mail::work(conn, &ctx, day(3) + Duration::hours(1));
    assert!(matches!(turns.as_slice(), [Turn::Failed(..)]), "{turns:?}");
    let console = op.get("/platform").await;
    assert!(
        console.body.contains("The directory cannot be read"),
        "{}",
        console.body
    );
}
