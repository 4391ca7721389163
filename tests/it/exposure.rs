//! What responses give away: headers on every answer (middleware refusals included),
//! no caching of signed-in pages, no sorting by a column the role may not see, and
//! reveals that need a reason when the tenant says so.

use diesel::prelude::*;
use mspdesk::domain::schema::audit_log;

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

fn assert_hardened(r: &reqwest::Response, what: &str) {
    for h in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
    ] {
        assert!(r.headers().contains_key(h), "{what}: no {h}");
    }
}

#[actix_web::test]
async fn refusals_made_by_middleware_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    let (http, base) = b.raw();
    let csrf = http
        .post(format!("{base}/clients"))
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(csrf.status(), 403);
    assert_hardened(&csrf, "CSRF refusal");
    let huge = "x".repeat(2 * 1024 * 1024);
    let too_big = http
        .post(format!("{base}/clients"))
        .form(&[("csrf_token", b.csrf.as_str()), ("name", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    assert_hardened(&too_big, "payload limit");
    let denied = http
        .get(format!("{base}/admin/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    assert_hardened(&denied, "role refusal");
    let anonymous = app.browser().get_raw("/clients").await;
    assert_eq!(anonymous.status(), 303);
    assert_hardened(&anonymous, "login redirect");
}

#[actix_web::test]
async fn signed_in_pages_are_not_cached_and_static_files_are() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;
    let page = b.get_raw("/clients").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let css = b.get_raw("/static/app.css").await;
    assert_eq!(css.status(), 200);
    assert_ne!(
        css.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
}

#[actix_web::test]
async fn a_technician_cannot_sort_by_the_rate_they_may_not_see() {
    let app = TestApp::spawn().await;
    for (name, rate) in [
        ("Alpha Dental", 100),
        ("Beta Law", 300),
        ("Gamma Farms", 200),
    ] {
        fixtures::client_with(&mut app.conn(), app.a.id, name, |_, b| b.hourly_rate = rate);
    }
    let path = "/clients?sort=hourly_rate&dir=desc";
    let tech = app.login(&app.a.tech).await;
    assert_eq!(
        tech.get(path).await.list_names(),
        ["Gamma Farms", "Beta Law", "Alpha Dental"],
        "by name, not by the hidden rate"
    );
    let accountant = app.login(&app.a.accountant).await;
    assert_eq!(
        accountant.get(path).await.list_names(),
        ["Beta Law", "Gamma Farms", "Alpha Dental"]
    );
}

#[actix_web::test]
async fn a_tenant_can_require_a_reason_for_every_reveal() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    let saved = admin
        .post(
            "/admin/settings",
            &[
                ("mileage_rate", "0.670"),
                ("reveal_reason_required", "on"),
                ("module", "credentials"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/credentials");
    let id = id_from(
        &tech
            .post(
                &base,
                &[("name", "Firewall"), ("password", "hunter2-secret")],
            )
            .await
            .location,
    );
    let reveals = || {
        audit_log::table
            .filter(audit_log::action.eq("reveal"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap()
    };
    let refused = tech
        .post(&format!("{base}/{id}/reveal"), &[("reason", "  ")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("requires a reason"));
    assert!(!refused.body.contains("hunter2-secret"));
    assert_eq!(reveals(), 0);
    let shown = tech
        .post(
            &format!("{base}/{id}/reveal"),
            &[("reason", "ticket T-1042")],
        )
        .await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("hunter2-secret"));
    assert_eq!(reveals(), 1);
    let (http, root) = tech.raw();
    let again = http
        .post(format!("{root}{base}/{id}/reveal"))
        .form(&[
            ("csrf_token", tech.csrf.as_str()),
            ("reason", "ticket T-1042"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.headers()["cache-control"],
        "no-store",
        "a revealed secret is not cached"
    );
}

#[test]
fn the_binary_prints_its_route_table_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mspdesk"))
        .arg("routes")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let reveal = text
        .lines()
        .find(|l| l.contains("/clients/{cid}/credentials/{id}/reveal"))
        .expect("the reveal route is listed");
    assert!(
        reveal.starts_with("POST")
            && reveal.contains("Credentials.Reveal")
            && reveal.ends_with("credentials")
    );
    assert_eq!(text.lines().count(), mspdesk::web::routes::table().len());
}
