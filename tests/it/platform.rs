//! The platform console as an operator runs it: signed in apart from the tenants,
//! sees counts and never a tenant's records, makes a tenant whose admin is invited,
//! suspends one (its users, sessions, keys and jobs stop at once) and reactivates it.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::outbox::jobs::{self, NewJob};
use mspdesk::domain::platform::operators;
use mspdesk::domain::schema::{mails, operators as operators_t, platform_audit};
use mspdesk::domain::tenancy::password;

use crate::api::Api;
use crate::fixtures;
use crate::helpers::{Browser, TestApp, PASSWORD};

const OPERATOR: &str = "ops@platform.test";

pub async fn operator(app: &TestApp) -> Browser {
    let hash = password::hash(PASSWORD);
    operators::create(
        &mut app.conn(),
        OPERATOR,
        &hash,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    let mut b = app.browser();
    let form = b.get("/platform/login").await;
    b.csrf = form.input("csrf_token").unwrap();
    let wrong = b
        .post(
            "/platform/login",
            &[("email", OPERATOR), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    let signed = b
        .post(
            "/platform/login",
            &[("email", OPERATOR), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (signed.status, signed.location.as_str()),
        (303, "/platform")
    );
    let console = b.get("/platform").await;
    b.csrf = console.input("csrf_token").unwrap();
    b
}

#[actix_web::test]
async fn an_operator_sees_tenants_but_no_tenant_page_and_users_see_no_console() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let op = operator(&app).await;
    let console = op.get("/platform").await;
    let rows = console.texts("table.list tbody tr").join("\n");
    assert!(
        rows.contains("Alpha IT") && rows.contains("Beta Networks"),
        "{rows}"
    );
    assert!(
        !console.body.contains("Acme Dental"),
        "counts, never records"
    );
    for path in [
        "/clients",
        &format!("/clients/{cid}"),
        "/admin/users",
        "/search?q=acme",
        "/",
    ] {
        assert_eq!(op.get(path).await.status, 404, "{path}");
    }
    let admin = app.login(&app.a.admin).await;
    assert_eq!(admin.get("/platform").await.status, 404);
    assert_eq!(admin.get("/platform/audit").await.status, 404);
    // A tenant user's password does not open the console either.
    let mut b = app.browser();
    b.csrf = b.get("/platform/login").await.input("csrf_token").unwrap();
    let tried = b
        .post(
            "/platform/login",
            &[("email", &app.a.admin), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(tried.status, 422);
}

#[actix_web::test]
async fn an_idle_console_session_and_an_old_one_end_on_the_server() {
    let app = TestApp::spawn().await;
    // Moves the console session's last-seen (or start) time back by some hours.
    let age = |started: bool, hours: i64| {
        let at = Utc::now().naive_utc() - Duration::hours(hours);
        let rows = operators_t::table.filter(operators_t::email.eq(OPERATOR));
        let done = if started {
            diesel::update(rows)
                .set(operators_t::session_started_at.eq(at))
                .execute(&mut app.conn())
        } else {
            diesel::update(rows)
                .set(operators_t::session_seen_at.eq(at))
                .execute(&mut app.conn())
        };
        assert_eq!(done.unwrap(), 1);
    };
    let idle = operator(&app).await;
    age(false, 3);
    assert_eq!(idle.get("/platform").await.status, 404, "idle past 2 hours");
    // Ended for good: the nonce is gone, so even a fresh last-seen does not revive it.
    age(false, 0);
    assert_eq!(idle.get("/platform").await.status, 404);

    let old = operator(&app).await;
    age(true, 30);
    assert_eq!(old.get("/platform").await.status, 404, "past its lifetime");
    let fresh = operator(&app).await;
    assert_eq!(fresh.get("/platform").await.status, 200);
}

#[actix_web::test]
async fn a_new_tenant_gets_its_admin_invited() {
    let app = TestApp::spawn().await;
    let op = operator(&app).await;
    let bad = op
        .post(
            "/platform/tenants",
            &[
                ("name", "Gamma IT"),
                ("admin_name", "Gail"),
                ("admin_email", "nope"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Gamma IT"),
        "the form keeps what was typed"
    );
    let fields = [
        ("name", "Gamma IT"),
        ("admin_name", "Gail Admin"),
        ("admin_email", "gail@gamma.test"),
    ];
    let made = op.post("/platform/tenants", &fields).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let text = op.get("/platform").await.texts(".flash").join(" ");
    let at = text.find("/password/").unwrap();
    let link = &text[at..at + "/password/".len() + 64];
    let sent: Vec<String> = mails::table
        .filter(mails::to_addr.eq("gail@gamma.test"))
        .select(mails::text_body)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(sent.len(), 1, "the invitation is mailed");
    assert!(
        sent[0].contains("give your team: gamma-it"),
        "and names the team: {}",
        sent[0]
    );
    let mut gail = app.browser();
    gail.csrf = gail.get(link).await.input("csrf_token").unwrap();
    let chosen = "gamma's first password";
    let set = gail
        .post(link, &[("password", chosen), ("confirm", chosen)])
        .await;
    assert_eq!(set.location, "/login?team=gamma-it");
    let form = gail.follow(&set).await;
    gail.team = form.input("team").unwrap();
    assert_eq!(gail.login("gail@gamma.test", chosen).await.status, 303);
    assert!(gail.get("/admin/users").await.body.contains("Gail Admin"));
    let logged: Vec<String> = platform_audit::table
        .select(platform_audit::action)
        .load(&mut app.conn())
        .unwrap();
    assert!(logged.contains(&"tenant_created".to_string()), "{logged:?}");
}

#[actix_web::test]
async fn a_suspended_tenant_stops_at_once_and_comes_back_untouched() {
    let app = TestApp::spawn().await;
    let op = operator(&app).await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let tech = app.login(&app.a.tech).await;
    let key = crate::api::key(&app, &app.a, &app.a.tech, true);
    let api = Api::new(&app, &key);
    let a = app.a.id.get();
    assert_eq!(
        op.post(&format!("/platform/tenants/{a}/suspend"), &[])
            .await
            .status,
        303
    );
    let now = chrono::Utc::now().naive_utc();
    let job = NewJob {
        tenant_id: Some(a),
        ..NewJob::new("test.noop", serde_json::json!({}), now)
    };
    let job = jobs::enqueue(&mut app.conn(), &job, now).unwrap().unwrap();
    assert_eq!(
        tech.get("/clients").await.status,
        303,
        "the live session ends"
    );
    assert_eq!(app.browser().login(&app.a.tech, PASSWORD).await.status, 422);
    assert_eq!(
        api.get("/api/v1/clients").await.status,
        401,
        "the key stops"
    );
    let claimed = jobs::claim(
        &mut app.conn(),
        "w1",
        now,
        chrono::Duration::minutes(1),
        None,
    )
    .unwrap();
    assert!(claimed.is_none(), "its jobs wait");
    let state: String = mspdesk::domain::schema::jobs::table
        .find(job)
        .select(mspdesk::domain::schema::jobs::state)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(state, "queued");
    let beta = app.login(&app.b.tech).await;
    assert_eq!(
        beta.get("/clients").await.status,
        200,
        "other tenants go on"
    );

    assert_eq!(
        op.post(&format!("/platform/tenants/{a}/reactivate"), &[])
            .await
            .status,
        303
    );
    let back = app.login(&app.a.tech).await;
    assert!(back
        .get(&format!("/clients/{cid}"))
        .await
        .body
        .contains("Acme Dental"));
    assert_eq!(api.get("/api/v1/clients").await.status, 200);
    let export = op.post(&format!("/platform/tenants/{a}/export"), &[]).await;
    assert_eq!(export.status, 200, "{}", export.body);
    // The tenant's admins see that an operator took their records, and who.
    let admin = app.login(&app.a.admin).await;
    let theirs = admin
        .get("/admin/audit?action=export_by_platform_operator")
        .await;
    let rows = theirs.texts("table tbody tr").join("\n");
    assert!(
        rows.contains("export_by_platform_operator") && rows.contains(OPERATOR),
        "{rows}"
    );
    assert!(rows.contains("secrets") && rows.contains("false"), "{rows}");
    let audit = op.get("/platform/audit").await.body;
    for action in [
        "tenant_suspended",
        "tenant_reactivated",
        "tenant_exported",
        "login",
    ] {
        assert!(audit.contains(action), "{action}");
    }
}

#[actix_web::test]
async fn every_console_route_answers_an_operator() {
    use mspdesk::domain::policy::Area;
    let app = TestApp::spawn().await;
    let op = operator(&app).await;
    let b = app.b.id.get().to_string();
    let routes = mspdesk::web::routes::table();
    let console: Vec<_> = routes
        .iter()
        .filter(|d| d.perm.area == Area::Platform)
        .collect();
    assert!(console.len() >= 7);
    // Signing out comes last.
    for def in console.iter().filter(|d| !d.path.ends_with("/logout")) {
        let path = def.path.replace("{id}", &b);
        let status = if def.method == actix_web::http::Method::GET {
            op.get(&path).await.status
        } else {
            op.post(&path, &[]).await.status
        };
        assert!(
            [200, 303, 422].contains(&status),
            "{} {path}: {status}",
            def.method
        );
    }
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, op.cookie_header().parse().unwrap());
    let copy = app.browser_with(headers);
    assert_eq!(
        copy.get("/platform").await.status,
        200,
        "a copy works at first"
    );
    let out = op.post("/platform/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(op.get("/platform").await.status, 404, "signed out");
    assert_eq!(
        copy.get("/platform").await.status,
        404,
        "and so is every copy"
    );
}

#[actix_web::test]
async fn the_console_runs_the_same_statements_for_5_and_100_tenants() {
    use mspdesk::domain::tenancy::tenants;
    let app = TestApp::spawn().await;
    let op = operator(&app).await;
    let add = |from: usize, to: usize| {
        for i in from..to {
            tenants::create(
                &mut app.conn(),
                &format!("MSP {i}"),
                None,
                chrono::Utc::now().naive_utc(),
            )
            .unwrap();
        }
    };
    add(0, 3);
    let small = op.get("/platform").await.statements.unwrap();
    add(3, 98);
    let large = op.get("/platform").await.statements.unwrap();
    assert_eq!(small, large);
    assert!(small <= 4, "operator, tenants, workers, queue: {small}");
}
