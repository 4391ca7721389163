//! Login throttling that nobody can turn against others, bounded login input, the
//! current-password check (signing in to a team: `sign_in`).

use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, login_failures};

use crate::helpers::{TestApp, PASSWORD};

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn behind_proxy() -> impl FnOnce(&mut mspdesk::platform::config::Config) {
    |c| c.trusted_proxies = "127.0.0.1".into()
}

#[actix_web::test]
async fn ten_failures_on_one_account_block_only_that_account_from_that_address() {
    let app = TestApp::spawn_configured(behind_proxy()).await;
    let mut attacker = app.browser_from("203.0.113.7");
    for _ in 0..10 {
        assert_eq!(attacker.login(&app.a.admin, "guess").await.status, 422);
    }
    let blocked = attacker.login(&app.a.admin, PASSWORD).await;
    assert_eq!(blocked.status, 429, "that account from that address waits");

    // A colleague behind the same address signs in with their own account.
    let mut colleague = app.browser_from("203.0.113.7");
    assert_eq!(colleague.login(&app.a.tech, PASSWORD).await.status, 303);
    // The attacked user, from their own address, gets in (slowly, never locked).
    let mut owner = app.browser_from("198.51.100.20");
    assert_eq!(owner.login(&app.a.admin, PASSWORD).await.status, 303);
    let stored: Vec<String> = login_failures::table
        .select(login_failures::ip)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(stored.iter().all(|ip| ip == "203.0.113.7"), "{stored:?}");
}

#[actix_web::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let app = TestApp::spawn().await;
    let mut b = app.browser_from("203.0.113.9");
    assert_eq!(b.login(&app.a.admin, "guess").await.status, 422);
    let ip: String = login_failures::table
        .select(login_failures::ip)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(ip, "127.0.0.1", "a client cannot pick its own address");
}

#[actix_web::test]
async fn a_huge_login_is_refused_before_anything_is_written() {
    let app = TestApp::spawn().await;
    let before = audit_count(&app, "login_failed") + audit_count(&app, "login_throttled");
    let mut b = app.browser();
    let huge = format!("{}@x.test", "a".repeat(900_000));
    for _ in 0..5 {
        let page = b.login(&huge, "whatever").await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains("at most 254 characters"));
        assert!(page.body.len() < 50_000, "the input is not echoed whole");
    }
    let long_password = "p".repeat(5_000);
    assert_eq!(b.login(&app.a.admin, &long_password).await.status, 422);
    let after = audit_count(&app, "login_failed") + audit_count(&app, "login_throttled");
    assert_eq!(before, after, "no audit row for refused input");
    let changes: Vec<String> = audit_log::table
        .select(audit_log::changes)
        .load(&mut app.conn())
        .unwrap();
    assert!(changes.iter().all(|c| c.len() < 2_000));
}

#[actix_web::test]
async fn wrong_current_passwords_are_audited_and_throttled() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    let attempt = |current: &'static str| {
        let b = &b;
        async move {
            b.post(
                "/account/password",
                &[
                    ("current", current),
                    ("new", "a much longer one"),
                    ("confirm", "a much longer one"),
                ],
            )
            .await
        }
    };
    for _ in 0..10 {
        assert_eq!(attempt("nope").await.status, 422);
    }
    assert_eq!(audit_count(&app, "password_change_failed"), 10);
    let blocked = attempt(PASSWORD).await;
    assert_eq!(blocked.status, 429, "even the right one waits");
    assert!(blocked.body.contains("Too many wrong passwords"));
    let mut fresh = app.browser();
    assert_eq!(
        fresh.login(&app.a.tech, PASSWORD).await.status,
        429,
        "the same account from the same address"
    );
}
