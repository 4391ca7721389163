//! Admin pages that scale with the number of clients: the user-access picker lists the
//! chosen clients and finds others by name; the audit log's client filter takes a typed
//! name. Neither page lists every client of the tenant.

use crate::fixtures;
use crate::helpers::TestApp;

#[actix_web::test]
async fn an_admin_limits_a_user_to_clients_found_by_name() {
    let app = TestApp::spawn().await;
    let (acme, _acme_dental, _bolt) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Acme"),
            fixtures::client(&mut conn, app.a.id, "Acme Dental"),
            fixtures::client(&mut conn, app.a.id, "Bolt Logistics"),
        )
    };
    fixtures::client(&mut app.conn(), app.b.id, "Acme Foreign");
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let admin = app.login(&app.a.admin).await;
    let path = format!("/admin/users/{tech_id}");

    let form = admin.get(&path).await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.attrs("input[name=restricted][checked]", "value"),
        [""],
        "All clients is chosen"
    );
    assert!(
        form.attrs("input[name=client]", "value").is_empty(),
        "no client is listed before one is chosen or searched for"
    );

    // Find lists every match to tick, unticked, and saves nothing.
    let found = admin
        .post(
            &path,
            &[
                ("role", "2"),
                ("restricted", "on"),
                ("find", "acme"),
                ("op", "find"),
            ],
        )
        .await;
    assert_eq!(found.status, 200);
    assert_eq!(found.texts(".picked li"), ["Acme", "Acme Dental"]);
    assert!(found
        .attrs("input[name=client][checked]", "value")
        .is_empty());
    assert!(
        found.body.contains("2 clients match “acme”"),
        "{}",
        found.body
    );
    assert_eq!(found.input("find").as_deref(), Some("acme"));
    let tech = app.login(&app.a.tech).await;
    assert_eq!(
        tech.get("/clients?per=100").await.list_names().len(),
        3,
        "Find saved nothing"
    );

    // Save with an ambiguous name: the form again, nothing saved, the name kept.
    let ambiguous = admin
        .post(
            &path,
            &[("role", "2"), ("restricted", "on"), ("find", "acm")],
        )
        .await;
    assert_eq!(ambiguous.status, 422);
    assert!(ambiguous
        .body
        .contains("2 clients match “acm”: tick the ones to add"));
    assert_eq!(ambiguous.input("find").as_deref(), Some("acm"));
    let nothing = admin
        .post(
            &path,
            &[("role", "2"), ("restricted", "on"), ("find", "zebra")],
        )
        .await;
    assert_eq!(nothing.status, 422);
    assert!(nothing.body.contains("No client matches “zebra”"));

    // Save with a whole name (any case) adds that client; ticking keeps one.
    let saved = admin
        .post(
            &path,
            &[("role", "2"), ("restricted", "on"), ("find", "ACME")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(tech.get("/clients?per=100").await.list_names(), ["Acme"]);
    let form = admin.get(&path).await;
    assert_eq!(form.texts(".picked li"), ["Acme"]);
    assert_eq!(
        form.attrs("input[name=client][checked]", "value"),
        [acme.to_string()]
    );

    // A unique part of a name adds its client beside the ticked one.
    let acme = acme.to_string();
    let more = admin
        .post(
            &path,
            &[
                ("role", "2"),
                ("restricted", "on"),
                ("client", &acme),
                ("find", "bolt"),
            ],
        )
        .await;
    assert_eq!(more.status, 303);
    assert_eq!(
        tech.get("/clients?per=100").await.list_names(),
        ["Acme", "Bolt Logistics"]
    );
}

#[actix_web::test]
async fn the_audit_log_filters_by_a_typed_client_name() {
    let app = TestApp::spawn().await;
    let (acme, dental, bolt) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Acme"),
            fixtures::client(&mut conn, app.a.id, "Acme Dental"),
            fixtures::client(&mut conn, app.a.id, "Bolt Logistics"),
        )
    };
    let tech = app.login(&app.a.tech).await;
    for (cid, name) in [(acme, "Ann"), (dental, "Dee"), (bolt, "Bo")] {
        let made = tech
            .post(&format!("/clients/{cid}/contacts"), &[("name", name)])
            .await;
        assert_eq!(made.status, 303);
    }
    let admin = app.login(&app.a.admin).await;
    let clients_of = |page: &crate::browser::Page| {
        let mut c: Vec<String> = page
            .texts("table.audit tbody tr td:nth-child(3)")
            .into_iter()
            .collect();
        c.dedup();
        c
    };

    let log = admin.get("/admin/audit?action=create&client=bolt").await;
    assert_eq!(log.status, 200);
    assert_eq!(clients_of(&log), ["Bolt Logistics"]);
    assert_eq!(log.input("client").as_deref(), Some("Bolt Logistics"));
    assert!(
        log.attrs("select[name=client] option", "value").is_empty(),
        "no list of every client"
    );

    // A whole name wins over the longer ones that contain it.
    let exact = admin.get("/admin/audit?action=create&client=acme").await;
    assert_eq!(clients_of(&exact), ["Acme"]);

    // A part of several names: no entries, a choice of clients, each a working link.
    let several = admin.get("/admin/audit?action=create&client=ac").await;
    assert!(
        several.body.contains("2 clients match “ac”"),
        "{}",
        several.body
    );
    assert!(several
        .texts("table.audit tbody tr td:not(.empty)")
        .is_empty());
    let choices = several.hrefs(".choices a");
    assert_eq!(several.texts(".choices a"), ["Acme", "Acme Dental"]);
    let chosen = admin.get(&choices[1]).await;
    assert_eq!(clients_of(&chosen), ["Acme Dental"]);
    assert!(
        choices[1].contains("action=create"),
        "the other filters stay"
    );

    let none = admin.get("/admin/audit?client=zebra").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No client matches “zebra”"));

    // Another tenant's client is not found by name, nor by id.
    let foreign = fixtures::client(&mut app.conn(), app.b.id, "Zeta Foreign");
    let theirs = admin.get("/admin/audit?client=zeta").await;
    assert!(theirs.body.contains("No client matches"));
    let by_id = admin.get(&format!("/admin/audit?client={foreign}")).await;
    assert!(by_id.body.contains("No client matches"));
}
