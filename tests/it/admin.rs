//! The tenant admin: module switches, per-client restrictions, users and the audit log.

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

#[actix_web::test]
async fn a_module_switched_off_has_no_tab_and_its_routes_are_404() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let cred = id_from(
        &tech
            .post(
                &format!("/clients/{cid}/credentials"),
                &[("name", "VPN"), ("password", "pw-1")],
            )
            .await
            .location,
    );
    let on: Vec<(&str, &str)> = [
        "racks",
        "certificates",
        "domains",
        "services",
        "documents",
        "files",
        "calendar",
        "trips",
        "recurring-tickets",
    ]
    .iter()
    .map(|m| ("module", *m))
    .chain([("mileage_rate", "0.725")])
    .collect();
    assert_eq!(admin.post("/admin/settings", &on).await.status, 303);
    let page = tech.get(&format!("/clients/{cid}")).await;
    let tabs = page.texts(".tabs a").join("|");
    assert!(
        !tabs.contains("Credentials") && tabs.contains("Racks"),
        "{tabs}"
    );
    for path in [
        format!("/clients/{cid}/credentials"),
        format!("/clients/{cid}/credentials/{cred}"),
        format!("/clients/{cid}/credentials/new"),
    ] {
        assert_eq!(tech.get(&path).await.status, 404, "{path}");
        assert_eq!(
            admin.get(&path).await.status,
            404,
            "{path}, even for an admin"
        );
    }
    assert_eq!(
        tech.post(&format!("/clients/{cid}/credentials/{cred}/reveal"), &[])
            .await
            .status,
        404
    );
    let trip = tech.get(&format!("/clients/{cid}/trips/new")).await;
    assert_eq!(
        trip.input("rate_per_mile").as_deref(),
        Some("0.725"),
        "the tenant's new rate"
    );
    // Tenant B is not affected.
    let beta = fixtures::client(&mut app.conn(), app.b.id, "Beta");
    let other = app.login(&app.b.tech).await;
    assert_eq!(
        other
            .get(&format!("/clients/{beta}/credentials"))
            .await
            .status,
        200
    );

    let mut all = on.clone();
    all.push(("module", "credentials"));
    admin.post("/admin/settings", &all).await;
    assert_eq!(
        tech.get(&format!("/clients/{cid}/credentials/{cred}"))
            .await
            .status,
        200
    );
    let bad = admin
        .post("/admin/settings", &[("mileage_rate", "-1")])
        .await;
    assert_eq!(bad.status, 422);
}

#[actix_web::test]
async fn a_restricted_user_sees_only_the_chosen_clients() {
    let app = TestApp::spawn().await;
    let (open, closed, foreign) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Open Client"),
            fixtures::client(&mut conn, app.a.id, "Closed Client"),
            fixtures::client(&mut conn, app.b.id, "Foreign Client"),
        )
    };
    let contact = fixtures::contact(&app, app.a.id, closed, "Hidden Person");
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let admin = app.login(&app.a.admin).await;
    let (o, f) = (open.to_string(), foreign.to_string());
    let saved = admin
        .post(
            &format!("/admin/users/{tech_id}"),
            &[
                ("role", "2"),
                ("restricted", "on"),
                ("client", &o),
                ("client", &f),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let form = admin.get(&format!("/admin/users/{tech_id}")).await;
    assert!(form.body.contains("Open Client") && !form.body.contains("Foreign Client"));

    let tech = app.login(&app.a.tech).await;
    assert_eq!(
        tech.get("/clients?per=100").await.list_names(),
        ["Open Client"]
    );
    assert!(
        tech.get("/clients?per=100").await.body.contains("1–1 of 1"),
        "counts respect it"
    );
    assert!(
        tech.get("/clients?q=closed").await.list_names().is_empty(),
        "and search"
    );
    assert_eq!(
        tech.get(&format!("/clients/{open}/contacts")).await.status,
        200
    );
    for path in [
        format!("/clients/{closed}"),
        format!("/clients/{closed}/contacts"),
        format!("/clients/{closed}/contacts/{contact}"),
    ] {
        assert_eq!(tech.get(&path).await.status, 404, "{path}");
    }
    assert_eq!(
        tech.post(&format!("/clients/{closed}/contacts"), &[("name", "x")])
            .await
            .status,
        404
    );
    assert_eq!(
        tech.get(&format!("/clients/{foreign}")).await.status,
        404,
        "another tenant's id never becomes allowed"
    );

    admin
        .post(&format!("/admin/users/{tech_id}"), &[("role", "2")])
        .await;
    assert_eq!(
        tech.get("/clients?per=100").await.list_names().len(),
        2,
        "lifting the restriction"
    );
}

#[actix_web::test]
async fn an_admin_adds_users_and_reads_the_audit_log() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    let bad = admin
        .post(
            "/admin/users",
            &[
                ("name", "Sam"),
                ("email", "sam@alpha.test"),
                ("password", "short"),
                ("role", "2"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let dup = admin
        .post(
            "/admin/users",
            &[
                ("name", "Sam"),
                ("email", &app.a.tech),
                ("password", "long enough pw"),
                ("role", "2"),
            ],
        )
        .await;
    assert_eq!(dup.status, 422, "e-mails are unique within a tenant");
    assert!(dup.body.contains("already has an account in your team"));
    let made = admin
        .post(
            "/admin/users",
            &[
                ("name", "Sam Tech"),
                ("email", "Sam@Alpha.test"),
                ("password", "long enough pw"),
                ("role", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let mut sam = app.browser();
    assert_eq!(
        sam.login("sam@alpha.test", "long enough pw").await.status,
        303
    );
    assert!(admin.get("/admin/users").await.body.contains("Sam Tech"));

    let tech = app.login(&app.a.tech).await;
    tech.post(&format!("/clients/{cid}/contacts"), &[("name", "Maria")])
        .await;
    assert_eq!(tech.get("/admin/audit").await.status, 403);
    let log = admin.get("/admin/audit?action=create").await;
    let text = log.texts("table.audit td").join("|");
    assert!(
        text.contains("client_contacts") && text.contains("users"),
        "{text}"
    );
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let mine = admin
        .get(&format!("/admin/audit?user={tech_id}"))
        .await
        .texts("table.audit tbody tr")
        .len();
    assert_eq!(
        mine, 3,
        "the tech's login, the contact and the refused visit to the log"
    );
    let theirs = app.login(&app.b.admin).await;
    assert!(
        !theirs
            .get("/admin/audit")
            .await
            .body
            .contains("client_contacts"),
        "another tenant's log is separate"
    );
    let overview = admin.get(&format!("/clients/{cid}")).await;
    assert!(
        overview
            .texts("section[aria-label='Recent activity'] li")
            .iter()
            .any(|l| l.contains("added contact")),
        "the client page shows its recent activity in words"
    );
}
