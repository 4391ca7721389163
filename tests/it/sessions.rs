//! Server-side sessions: the cookie holds only an id, and the server ends sessions at
//! logout, password change, role change, after the idle timeout and after the absolute
//! lifetime — a copy of the cookie dies with them.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::schema::sessions;
use reqwest::header::{HeaderMap, COOKIE};

use crate::fixtures;
use crate::helpers::{Browser, TestApp};

/// Another browser that sends exactly the cookie `b` has now (a stolen copy).
fn copy_of(app: &TestApp, b: &Browser) -> Browser {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, b.cookie_header().parse().unwrap());
    app.browser_with(headers)
}

fn session_rows(app: &TestApp, user: i64) -> i64 {
    sessions::table
        .filter(sessions::user_id.eq(user))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_cookie_copied_before_logout_opens_nothing_after_it() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    let stolen = copy_of(&app, &b);
    assert_eq!(
        stolen.get("/clients").await.status,
        200,
        "the copy works at first"
    );
    b.post("/logout", &[]).await;
    let after = stolen.get("/clients").await;
    assert_eq!(after.status, 303);
    assert!(after.location.starts_with("/login"));
    let uid = fixtures::user_id(&mut app.conn(), &app.a.tech);
    assert_eq!(session_rows(&app, uid), 0, "the row is gone");
}

#[actix_web::test]
async fn the_cookie_holds_only_a_random_id_and_the_table_only_its_hash() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    let cookie = b.cookie_header();
    let value = cookie.strip_prefix("mspdesk_session=").unwrap();
    let stored: Vec<(String, String)> = sessions::table
        .select((sessions::id_hash, sessions::state))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored.len(), 1);
    let (hash, state) = &stored[0];
    assert!(!value.contains(hash.as_str()) && !state.contains(&app.a.tech));
    assert!(value.len() < 200, "an id, not the session's data: {value}");
}

#[actix_web::test]
async fn an_idle_session_and_an_old_session_end_on_the_server() {
    let app = TestApp::spawn().await;
    let idle = app.login(&app.a.tech).await;
    let uid = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let long_ago = Utc::now().naive_utc() - Duration::hours(3);
    diesel::update(sessions::table.filter(sessions::user_id.eq(uid)))
        .set(sessions::last_seen_at.eq(long_ago))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(idle.get("/clients").await.status, 303, "idle past 2 hours");

    let old = app.login(&app.a.tech).await;
    diesel::update(sessions::table.filter(sessions::user_id.eq(uid)))
        .set(sessions::expires_at.eq(Utc::now().naive_utc() - Duration::seconds(1)))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(old.get("/clients").await.status, 303, "past its lifetime");
    assert_eq!(session_rows(&app, uid), 0);
}

/// (A password change ending the other sessions: `security.rs`.)
#[actix_web::test]
async fn a_role_change_ends_the_users_sessions() {
    let app = TestApp::spawn().await;
    let me = app.login(&app.a.tech).await;
    let stolen = copy_of(&app, &me);
    let uid = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let admin = app.login(&app.a.admin).await;
    let demoted = admin
        .post(&format!("/admin/users/{uid}"), &[("role", "1")])
        .await;
    assert_eq!(demoted.status, 303);
    assert_eq!(
        me.get("/clients").await.status,
        303,
        "a new role needs a new login"
    );
    assert_eq!(stolen.get("/clients").await.status, 303);
    assert_eq!(session_rows(&app, uid), 0);
    assert_eq!(admin.get("/clients").await.status, 200);
}

#[actix_web::test]
async fn a_visitor_who_never_logs_in_costs_no_session_row() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for _ in 0..5 {
        b.refresh_csrf().await;
    }
    let rows: i64 = sessions::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(rows, 0);
}
