//! One bad request never stops the server: a panic inside database work rolls back and
//! its connection leaves the pool, and input that used to panic or give a 500 (TOTP
//! parameters, far dates, overflowing totals, NUL bytes, broken UTF-8, huge pages) gets
//! a clear answer instead.

use diesel::connection::TransactionManager;
use diesel::prelude::*;
use mspdesk::domain::clients;
use mspdesk::domain::documentation::credentials::Credentials;
use mspdesk::domain::resource::write;
use mspdesk::domain::schema::client_credentials;
use mspdesk::domain::schema::clients as clients_table;
use mspdesk::domain::scope::ClientId;
use mspdesk::error::AppError;
use mspdesk::platform::db::{AnyConnection, Db};

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

type Tm = <AnyConnection as Connection>::TransactionManager;

/// Both tenants can still write: each admin adds a client through the pages.
pub async fn both_tenants_write(app: &TestApp) {
    for admin in [&app.a.admin, &app.b.admin] {
        let b = app.login(admin).await;
        let made = b
            .post(
                "/clients",
                &[("name", "After the storm"), ("status", "active")],
            )
            .await;
        assert_eq!(made.status, 303, "{admin} cannot write: {}", made.body);
    }
}

#[actix_web::test]
async fn a_panic_inside_a_write_transaction_rolls_back_and_the_server_writes_on() {
    let app = TestApp::spawn().await;
    let db = Db::new(app.pool.clone());
    let tenant = app.a.id;
    // More panics than the pool has connections: every connection is hit.
    for _ in 0..6 {
        let out: Result<(), AppError> = db
            .tx(move |conn| {
                clients::insert(
                    conn,
                    tenant,
                    &fixtures::client_data("Half-written"),
                    chrono::Utc::now().naive_utc(),
                )?;
                panic!("a handler bug");
            })
            .await;
        assert!(matches!(out, Err(AppError::Internal(_))));
    }
    let half: i64 = clients_table::table
        .filter(clients_table::name.eq("Half-written"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(half, 0, "the panicked change was rolled back");
    both_tenants_write(&app).await;
}

#[actix_web::test]
async fn a_connection_returned_inside_a_transaction_is_never_handed_out_again() {
    let app = TestApp::spawn().await;
    {
        let mut dirty = app.pool.get().unwrap();
        Tm::begin_transaction(&mut dirty).unwrap();
    }
    for _ in 0..8 {
        let mut conn = app.pool.get().unwrap();
        let depth = Tm::transaction_manager_status_mut(&mut conn).transaction_depth();
        assert!(matches!(depth, Ok(None)), "a dirty connection came back");
    }
    both_tenants_write(&app).await;
}

#[actix_web::test]
async fn totp_parameters_the_crate_cannot_compute_are_refused_and_old_rows_do_not_panic() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/credentials");
    let bad = "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0";
    let refused = tech
        .post(&base, &[("name", "VPN"), ("otp_secret", bad)])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .field_error("otp_secret")
        .unwrap()
        .contains("period of 0 seconds"));

    // A row saved before the check holds the same link.
    let id = id_from(&tech.post(&base, &[("name", "Old VPN")]).await.location);
    {
        let mut conn = app.conn();
        let (_, cs) = clients::scoped(&mut conn, app.a.id, ClientId(cid)).unwrap();
        let sealed = app
            .vault
            .seal(write::secret_ref::<Credentials>(&cs, id, "otp_secret"), bad);
        diesel::update(client_credentials::table.find(id))
            .set(client_credentials::otp_secret.eq(sealed))
            .execute(&mut conn)
            .unwrap();
    }
    for _ in 0..3 {
        let page = tech.post(&format!("{base}/{id}/reveal"), &[]).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Cannot compute a code"));
    }
    both_tenants_write(&app).await;
}

#[actix_web::test]
async fn far_dates_big_numbers_and_huge_pages_get_answers_not_500s() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    for path in [
        format!("/clients/{cid}/calendar/month?month=%2B262142-12"),
        format!("/clients/{cid}/calendar/month?month=-4714-01"),
        "/admin/audit?to=%2B262142-12-31&from=-262143-01-01".to_string(),
        "/admin/audit?page=9223372036854775807".to_string(),
        "/clients?page=9223372036854775807&per=100".to_string(),
    ] {
        assert_eq!(admin.get(&path).await.status, 200, "{path}");
    }
    let trips = format!("/clients/{cid}/trips");
    let overflow = admin
        .post(
            &trips,
            &[
                ("purpose", "Round the sun"),
                ("start_date", "2026-11-27"),
                ("mileage", "9000000000000"),
                ("rate_per_mile", "9000000000"),
            ],
        )
        .await;
    assert_eq!(overflow.status, 422);
    assert!(overflow
        .field_error("mileage")
        .unwrap()
        .contains("too large"));
    for date in ["-4714-01-01", "+262142-01-01", "10000-01-01"] {
        let far = admin
            .post(
                &trips,
                &[
                    ("purpose", "Far"),
                    ("start_date", date),
                    ("mileage", "1"),
                    ("rate_per_mile", "1"),
                ],
            )
            .await;
        assert_eq!(far.status, 422, "{date}");
        assert!(far
            .field_error("start_date")
            .unwrap()
            .contains("years 1 to 9999"));
    }
}

#[actix_web::test]
async fn nul_bytes_and_broken_utf8_are_a_400_everywhere() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    assert_eq!(admin.get("/clients?q=%00").await.status, 400);
    assert_eq!(admin.get("/clients?q=caf%FF").await.status, 400);
    let contacts = format!("/clients/{cid}/contacts");
    assert_eq!(admin.post(&contacts, &[("name", "a\0b")]).await.status, 400);
    let (http, base) = admin.raw();
    let raw = http
        .post(format!("{base}{contacts}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={}&name=Caf%E9", admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert_eq!(admin.get("/clients?q=caf%C3%A9").await.status, 200);
    both_tenants_write(&app).await;
}

/// PostgreSQL restarted (here: every connection of the pool terminated by the server):
/// the pages go on being served, none fails, and a loss makes the pool test the other
/// connections before handing them out. (A SQLite file does not hang up.)
#[actix_web::test]
async fn connections_the_database_drops_are_replaced_without_a_failed_page() {
    let app = TestApp::spawn().await;
    let Some((url, _)) = app.pg_schema() else {
        return;
    };
    let b = app.login(&app.a.tech).await;
    for round in 0..2 {
        assert_eq!(b.get("/clients").await.status, 200);
        // Every connection of the pool at once, to learn their server processes.
        let held: Vec<_> = (0..4).map(|_| app.pool.get().unwrap()).collect();
        let pids: Vec<i32> = held
            .into_iter()
            .map(|mut c| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
                    "pg_backend_pid()",
                ))
                .get_result(&mut c)
                .unwrap()
            })
            .collect();
        let mut admin = diesel::PgConnection::establish(&url).unwrap();
        for pid in &pids {
            let gone: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "pg_terminate_backend({pid}, 5000)"
            )))
            .get_result(&mut admin)
            .unwrap();
            assert!(gone, "backend {pid} terminated");
        }
        // Round 0: at once (the connections look fresh); round 1: after the window in
        // which a connection is handed out untested.
        if round == 1 {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(600)).await;
        }
        for _ in 0..6 {
            let page = b.get("/clients").await;
            assert_eq!(page.status, 200, "round {round}: {}", page.body);
        }
    }
    both_tenants_write(&app).await;
}

#[actix_web::test]
async fn control_characters_are_refused_in_decoded_values_of_forms_and_the_api() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let key = crate::api::key(&app, &app.a, &app.a.tech, false);
    let api = crate::api::Api::new(&app, &key);
    // A NUL written as a JSON escape: valid JSON, a NUL once decoded.
    let nul = api
        .send("POST", &format!("/api/v1/clients/{cid}/locations"), None)
        .await;
    assert_eq!(nul.status, 415, "a body is needed");
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/clients/{cid}/locations", app.base))
        .header("Authorization", format!("Bearer {key}"))
        .header("Content-Type", "application/json")
        .body(r#"{"name": "HQ", "zip_code": "\u00b0\u0000"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "not a server error");
    // A line break in a one-line field, as a form sends it decoded.
    let b = app.login(&app.a.tech).await;
    let page = b
        .post(
            &format!("/clients/{cid}/contacts"),
            &[("name", "Ada\r\nBcc: all@example.test")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.field_error("name")
            .unwrap()
            .contains("must be one line"),
        "{:?}",
        page.field_error("name")
    );
    // In a multi-line field a line break is text.
    let ok = b
        .post(
            &format!("/clients/{cid}/contacts"),
            &[("name", "Ada"), ("notes", "line one\r\nline two")],
        )
        .await;
    assert_eq!(ok.status, 303);
    use mspdesk::domain::schema::client_locations;
    let stored: i64 = client_locations::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 0, "nothing of the refused body was stored");
}
