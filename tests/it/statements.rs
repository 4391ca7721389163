//! The client list, the client page and a sub-resource tab run a fixed number of SQL
//! statements, whatever the number of rows: no N+1.

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
    assert!(
        small[0] <= 8,
        "the dashboard runs at most 8 statements: {}",
        small[0]
    );
    add(5, 100);
    for (p, before) in pages.iter().zip(small) {
        assert_eq!(statements(&app, p).await, before, "{p}");
    }
}
