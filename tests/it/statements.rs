//! The client list, the client dashboard, the sub-resource tabs and the service desk's
//! pages run a fixed number of SQL statements, whatever the number of rows: no N+1.

use mspdesk::domain::directory::addresses::Addresses;

use crate::fixtures;
use crate::helpers::TestApp;

async fn statements(app: &TestApp, path: &str) -> usize {
    let b = app.login(&app.a.admin).await;
    let page = b.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    page.statements
        .expect("the test server reports statement counts")
}

/// Each page's statements with 5 of the rows `add` makes, asserted the same with 100.
async fn same_for_5_and_100(app: &TestApp, pages: &[&str], add: impl Fn(usize)) -> Vec<usize> {
    add(5);
    let mut small = vec![];
    for p in pages {
        small.push(statements(app, p).await);
    }
    add(95);
    for (p, before) in pages.iter().zip(&small) {
        assert_eq!(statements(app, p).await, *before, "{p}");
    }
    small
}

#[actix_web::test]
async fn client_list_runs_the_same_statements_for_5_and_100_clients() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        fixtures::client(&mut app.conn(), app.a.id, &format!("Client {i}"));
    }
    let with_5 = statements(&app, "/clients?per=100").await;
    for i in 5..100 {
        fixtures::client(&mut app.conn(), app.a.id, &format!("Client {i}"));
    }
    let with_100 = statements(&app, "/clients?per=100").await;
    assert_eq!(with_5, with_100);
    assert!(with_100 <= 3, "user, count, page: got {with_100}");
}

#[actix_web::test]
async fn client_page_and_tabs_run_the_same_statements_for_5_and_100_rows() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let add = |from: usize, to: usize| {
        for i in from..to {
            let contact = fixtures::contact(&app, app.a.id, cid, &format!("Person {i}"));
            let c = contact.to_string();
            fixtures::row::<Addresses>(
                &app,
                app.a.id,
                cid,
                &[
                    ("name", &format!("Site {i}")),
                    ("address_line_1", "1 Way"),
                    ("contact_id", &c),
                ],
            );
        }
    };
    let pages = [
        format!("/clients/{cid}"),
        format!("/clients/{cid}/contacts?per=100"),
        format!("/clients/{cid}/addresses?per=100"),
    ];
    add(0, 5);
    let mut small = vec![];
    for p in &pages {
        // The first visit of a client also adds it to the user's recently viewed.
        statements(&app, p).await;
        small.push(statements(&app, p).await);
    }
    // Two of them are the money figures billing roles (the admin here) see.
    assert!(
        small[0] <= 10,
        "the dashboard runs at most 10 statements: {}",
        small[0]
    );
    add(5, 100);
    for (p, before) in pages.iter().zip(small) {
        assert_eq!(statements(&app, p).await, before, "{p}");
    }
}

#[actix_web::test]
async fn service_desk_pages_run_the_same_statements_for_5_and_100_rows() {
    use mspdesk::domain::assets::devices::Assets;
    use mspdesk::domain::documentation::licenses::Licenses;
    use mspdesk::domain::service_desk::tickets::Tickets;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let soon = (chrono::Utc::now().date_naive() + chrono::Duration::days(10)).to_string();
    let first = fixtures::row::<Tickets>(
        &app,
        app.a.id,
        cid,
        &[("subject", "First"), ("priority", "high")],
    );
    let tech = app.login(&app.a.tech).await;
    let add = |from: usize, to: usize| {
        let (app, soon, tech) = (&app, soon.clone(), &tech);
        async move {
            for i in from..to {
                let n = format!("Row {i}");
                fixtures::row::<Tickets>(
                    app,
                    app.a.id,
                    cid,
                    &[
                        ("subject", &n),
                        ("priority", "low"),
                        ("due_date", "2020-01-01"),
                    ],
                );
                fixtures::row::<Assets>(
                    app,
                    app.a.id,
                    cid,
                    &[("name", &n), ("warranty_expiry", &soon)],
                );
                fixtures::row::<Licenses>(
                    app,
                    app.a.id,
                    cid,
                    &[("name", &n), ("seats", "1"), ("expiry_date", &soon)],
                );
                let reply = format!("/clients/{cid}/tickets/{first}/reply");
                assert_eq!(
                    tech.post(&reply, &[("body", &n), ("minutes", "5")])
                        .await
                        .status,
                    303
                );
            }
        }
    };
    let pages = [
        "/tickets?status=all&per=100".to_string(),
        "/assets?per=100".to_string(),
        format!("/clients/{cid}/tickets/{first}"),
        format!("/clients/{cid}"),
        "/".to_string(),
    ];
    add(0, 5).await;
    let mut small = vec![];
    for p in &pages {
        // The first visit of a client also adds it to the user's recently viewed.
        tech.get(p).await;
        let page = tech.get(p).await;
        assert_eq!(page.status, 200, "{p}");
        small.push(page.statements.unwrap());
    }
    assert!(
        small[3] <= 8,
        "the dashboard runs at most 8 statements: {}",
        small[3]
    );
    add(5, 100).await;
    for (p, before) in pages.iter().zip(small) {
        let page = tech.get(p).await;
        assert_eq!(page.statements.unwrap(), before, "{p}");
    }
    assert!(tech.get(&pages[0]).await.body.contains("1–100 of 101"));
}

#[actix_web::test]
async fn automation_pages_run_the_same_statements_for_5_and_100_rows() {
    use mspdesk::domain::automation::mails::{self, Draft};
    use mspdesk::domain::automation::notifications::{notify, recipients, TICKETS};
    let app = TestApp::spawn().await;
    let add = |n: usize| {
        let conn = &mut *app.conn();
        let now = chrono::Utc::now().naive_utc();
        let to = recipients(conn, app.a.id, TICKETS, None).unwrap();
        for i in 0..n {
            let subject = format!("Message {i}");
            let d = Draft {
                kind: "test",
                to: "ops@acme.test",
                subject: &subject,
                text: "Hello",
                html: "<p>Hello</p>",
                attachment: None,
            };
            mails::queue(conn, app.a.id, &d, now).unwrap();
            notify(conn, app.a.id, &to, TICKETS, &subject, "/", now).unwrap();
        }
    };
    let pages = [
        "/admin/jobs",
        "/admin/mail",
        "/notifications",
        "/admin/scheduler",
    ];
    let small = same_for_5_and_100(&app, &pages, add).await;
    assert!(
        small.iter().all(|n| *n <= 4),
        "user, then at most three reads: {small:?}"
    );
}

#[actix_web::test]
async fn search_runs_the_same_statements_for_5_and_100_hits() {
    use mspdesk::domain::directory::contacts::Contacts;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let add = |from: usize, to: usize| {
        for i in from..to {
            fixtures::row::<Contacts>(
                &app,
                app.a.id,
                cid,
                &[("name", &format!("Printer Person {i}"))],
            );
        }
    };
    add(0, 5);
    let small = statements(&app, "/search?q=printer").await;
    add(5, 100);
    assert_eq!(statements(&app, "/search?q=printer").await, small);
    assert!(small <= 2, "user, then one search: {small}");
}

#[actix_web::test]
async fn api_key_pages_run_the_same_statements_for_5_and_100_keys() {
    let app = TestApp::spawn().await;
    let add = |n: usize| {
        for _ in 0..n {
            crate::api::key(&app, &app.a, &app.a.tech, true);
        }
    };
    let pages = ["/admin/api-keys", "/api/docs"];
    let small = same_for_5_and_100(&app, &pages, add).await;
    assert!(small[0] <= 3, "user, keys, staff: {small:?}");
}

#[actix_web::test]
async fn user_pages_run_the_same_statements_for_5_and_100_users() {
    use mspdesk::domain::tenancy::users::{self, Role};
    let app = TestApp::spawn().await;
    let made = std::cell::Cell::new(0);
    let add = |n: usize| {
        for i in made.get()..made.get() + n {
            let email = format!("user{i}@alpha.test");
            let (tenant, now) = (app.a.id, chrono::Utc::now().naive_utc());
            users::create(
                &mut app.conn(),
                tenant,
                "A User",
                &email,
                "-",
                Role::Tech,
                now,
            )
            .unwrap();
        }
        made.set(made.get() + n);
    };
    let pages = ["/admin/users?per=100", "/account/sessions"];
    let small = same_for_5_and_100(&app, &pages, add).await;
    assert!(small[0] <= 4, "user, count, page, sign-in code: {small:?}");
}

#[actix_web::test]
async fn share_and_two_factor_pages_run_the_same_statements_for_5_and_100_links() {
    use mspdesk::domain::documentation::credentials::Credentials;
    use mspdesk::domain::policy::Role;
    use mspdesk::domain::scope::{ClientId, RecordId};
    use mspdesk::domain::sharing::links::{create, NewShare};
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let cred = fixtures::row::<Credentials>(&app, app.a.id, cid, &[("name", "VPN")]);
    let admin = crate::finance::who(&app, &app.a, &app.a.admin, Role::Admin);
    let add = |n: usize| {
        for _ in 0..n {
            let new = NewShare {
                minutes: 30,
                views: 1,
                passphrase: String::new(),
            };
            let now = chrono::Utc::now().naive_utc();
            let (c, r) = (ClientId(cid), RecordId(cred));
            create::<Credentials>(&mut app.conn(), &admin, c, r, &new, now)
                .unwrap()
                .unwrap();
        }
    };
    let pages = ["/admin/shares", "/account/2fa"];
    let small = same_for_5_and_100(&app, &pages, add).await;
    assert!(small[0] <= 2, "user, links: {small:?}");
}

#[actix_web::test]
async fn the_health_check_runs_no_statement_and_starts_no_session() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let page = visitor.get("/healthz").await;
    assert_eq!((page.status, page.body.as_str()), (200, "ok\n"));
    assert_eq!(page.statements, Some(0));
    let raw = visitor.get_raw("/healthz").await;
    assert!(
        raw.headers().get("set-cookie").is_none(),
        "no session cookie"
    );
    // Signed in, it is the same: no session is read for it.
    let admin = app.login(&app.a.admin).await;
    assert_eq!(admin.get("/healthz").await.statements, Some(0));
}
