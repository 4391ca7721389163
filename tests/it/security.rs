//! Hardening: security headers, login throttling, session renewal, password changes
//! ending other sessions, and the audit log written with each change.

use diesel::prelude::*;
use mspdesk::domain::schema::audit_log;

use crate::fixtures;
use crate::helpers::{id_from, TestApp, PASSWORD};

type Row = (
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
    String,
    String,
);

fn audit_rows(app: &TestApp, entity: &str) -> Vec<Row> {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .order(audit_log::id.asc())
        .select((
            audit_log::user_id,
            audit_log::client_id,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::action,
            audit_log::changes,
        ))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    for path in [
        "/login",
        "/clients",
        "/clients/999999",
        "/no/such/page",
        "/static/app.css",
    ] {
        let resp = b.get_raw(path).await;
        let h = resp.headers();
        let csp = h
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp:?}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    let anon = app.browser();
    let resp = anon.get_raw("/login").await;
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        cookie.contains("httponly")
            && cookie.contains("samesite=lax")
            && !cookie.contains("secure"),
        "{cookie}"
    );
}

#[actix_web::test]
async fn ten_failed_logins_lock_the_door_for_a_while() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for _ in 0..10 {
        assert_eq!(b.login(&app.a.admin, "guess").await.status, 422);
    }
    let locked = b.login(&app.a.admin, PASSWORD).await;
    assert_eq!(locked.status, 429, "even the right password waits");
    assert!(locked
        .body
        .contains("Too many failed log-ins from this address. Wait 15 minutes"));
    let failures = audit_rows(&app, "session")
        .iter()
        .filter(|r| r.4 == "login_failed")
        .count();
    assert_eq!(failures, 10);
    assert!(
        audit_rows(&app, "session")
            .iter()
            .any(|r| r.4 == "login_failed" && r.5.contains(&app.a.admin)),
        "the e-mail tried is kept"
    );
}

#[actix_web::test]
async fn login_renews_the_session_and_is_audited() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.refresh_csrf().await;
    let before = b.csrf.clone();
    assert_eq!(b.login(&app.a.tech, PASSWORD).await.status, 303);
    b.refresh_csrf().await;
    assert_ne!(before, b.csrf, "a new session (and token) after login");
    b.post("/logout", &[]).await;
    let actions: Vec<String> = audit_rows(&app, "session")
        .into_iter()
        .map(|r| r.4)
        .collect();
    assert_eq!(actions, ["login", "logout"]);
}

#[actix_web::test]
async fn a_password_change_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.login(&app.a.tech).await;
    let elsewhere = app.login(&app.a.tech).await;
    let short = here
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    let wrong = here
        .post(
            "/account/password",
            &[
                ("current", "nope"),
                ("new", "a much longer one"),
                ("confirm", "a much longer one"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("current password is wrong"));
    let done = here
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a much longer one"),
                ("confirm", "a much longer one"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        here.get("/clients").await.status,
        200,
        "this session goes on"
    );
    assert_eq!(
        elsewhere.get("/clients").await.status,
        303,
        "the other session has ended"
    );
    let mut again = app.browser();
    assert_eq!(again.login(&app.a.tech, PASSWORD).await.status, 422);
    assert_eq!(
        again.login(&app.a.tech, "a much longer one").await.status,
        303
    );
}

#[actix_web::test]
async fn each_change_writes_one_audit_row_with_its_diff() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/contacts");
    let id = id_from(
        &b.post(&base, &[("name", "Maria"), ("title", "Manager")])
            .await
            .location,
    );
    b.post(
        &format!("{base}/{id}"),
        &[("name", "Maria"), ("title", "Director")],
    )
    .await;
    assert_eq!(
        b.post(&base, &[("name", "")]).await.status,
        422,
        "refused: no row"
    );
    b.post(&format!("{base}/{id}/archive"), &[]).await;
    b.post(&format!("{base}/{id}/restore"), &[]).await;
    let rows = audit_rows(&app, "client_contacts");
    let actions: Vec<&str> = rows.iter().map(|r| r.4.as_str()).collect();
    assert_eq!(actions, ["create", "update", "archive", "restore"]);
    let tech = fixtures::user_id(&mut app.conn(), &app.a.tech);
    assert!(rows
        .iter()
        .all(|r| r.0 == Some(tech) && r.1 == Some(cid) && r.3 == Some(id)));
    let created: serde_json::Value = serde_json::from_str(&rows[0].5).unwrap();
    assert_eq!(created["name"], serde_json::json!(["", "Maria"]));
    let updated: serde_json::Value = serde_json::from_str(&rows[1].5).unwrap();
    assert_eq!(
        updated,
        serde_json::json!({ "title": ["Manager", "Director"] }),
        "only what changed"
    );

    let cred = id_from(
        &b.post(
            &format!("/clients/{cid}/credentials"),
            &[("name", "VPN"), ("password", "hunter2-secret")],
        )
        .await
        .location,
    );
    b.post(
        &format!("/clients/{cid}/credentials/{cred}/reveal"),
        &[("reason", "ticket 4711")],
    )
    .await;
    let rows = audit_rows(&app, "client_credentials");
    assert_eq!(
        rows.iter().map(|r| r.4.as_str()).collect::<Vec<_>>(),
        ["create", "reveal"]
    );
    assert!(rows[0].5.contains("\"password\":\"changed\"") && !rows[0].5.contains("hunter2"));
    assert!(rows[1].5.contains("ticket 4711"));
}

#[actix_web::test]
async fn a_change_that_fails_leaves_no_audit_row() {
    let app = TestApp::spawn().await;
    let (cid, other) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Acme"),
            fixtures::client(&mut conn, app.a.id, "Other"),
        )
    };
    let b = app.login(&app.a.tech).await;
    let first = id_from(
        &b.post(
            &format!("/clients/{cid}/domains"),
            &[("domain_name", "acme.example")],
        )
        .await
        .location,
    );
    b.post(&format!("/clients/{cid}/domains/{first}/archive"), &[])
        .await;
    b.post(
        &format!("/clients/{other}/domains"),
        &[("domain_name", "acme.example")],
    )
    .await;
    assert_eq!(
        b.post(&format!("/clients/{cid}/domains/{first}/restore"), &[])
            .await
            .status,
        409
    );
    let actions: Vec<String> = audit_rows(&app, "client_domains")
        .into_iter()
        .map(|r| r.4)
        .collect();
    assert_eq!(
        actions,
        ["create", "archive", "create"],
        "the refused restore rolled back with its audit row"
    );
}

#[actix_web::test]
async fn session_cookies_are_secure_when_configured() {
    let app = TestApp::spawn_configured(|c| c.secure_cookies = true).await;
    let resp = app.browser().get_raw("/login").await;
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        cookie.contains("secure") && cookie.contains("httponly") && cookie.contains("samesite=lax"),
        "{cookie}"
    );
}

/// Many users writing at once: every request is answered, none with a 500 (on SQLite a
/// write transaction takes its lock up front and waits its turn).
#[actix_web::test]
async fn concurrent_writers_all_succeed() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let mut browsers = vec![];
    for _ in 0..6 {
        browsers.push(app.login(&app.a.tech).await);
    }
    let path = format!("/clients/{cid}/contacts");
    let posts = browsers.iter().enumerate().flat_map(|(i, b)| {
        let path = path.clone();
        (0..5).map(move |j| {
            let path = path.clone();
            async move {
                b.post(&path, &[("name", &format!("Person {i}-{j}"))])
                    .await
                    .status
            }
        })
    });
    let logins = (0..6).map(|_| async {
        let mut b = app.browser();
        b.login(&app.a.admin, PASSWORD).await.status
    });
    let (statuses, login_statuses) = futures_util::join!(
        futures_util::future::join_all(posts),
        futures_util::future::join_all(logins)
    );
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert!(
        login_statuses.iter().all(|s| *s == 303),
        "{login_statuses:?}"
    );
    assert_eq!(
        app.login(&app.a.tech)
            .await
            .get(&format!("{path}?per=100"))
            .await
            .list_names()
            .len(),
        30
    );
}

#[actix_web::test]
async fn malformed_addresses_get_the_site_pages_not_raw_errors() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    for path in [
        "/clients/abc",
        "/clients/1/contacts/xyz",
        "/clients/99999999999999999999999",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("Not found"), "{path}: {}", page.body);
    }
}
