//! Global search, as a technician on a call uses it: "fw01" or a surname from any page
//! lands on the record; the index follows every change in its transaction (a rename,
//! an archive, a rollback); and it shows nobody more than their lists would — not
//! another tenant's records, not a restricted user's other clients, not credentials
//! to an accountant, never a secret.

use diesel::prelude::*;
use mspdesk::domain::assets::devices::Assets;
use mspdesk::domain::clients;
use mspdesk::domain::directory::contacts::Contacts;
use mspdesk::domain::documentation::credentials::Credentials;
use mspdesk::domain::resource::write;
use mspdesk::domain::schema::client_contacts;
use mspdesk::domain::scope::ClientId;
use mspdesk::domain::tenancy::users::{self, Role};

use crate::fixtures;
use crate::helpers::TestApp;

async fn found(b: &crate::helpers::Browser, q: &str) -> Vec<String> {
    let page = b.get(&format!("/search?q={q}")).await;
    assert_eq!(page.status, 200);
    page.hrefs("ul.hits a")
}

#[actix_web::test]
async fn anything_is_found_from_the_top_bar_and_the_index_follows_each_change() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let fw = fixtures::row::<Assets>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "FW01"),
            ("serial", "SN-77812"),
            ("ip_address", "10.20.0.1"),
        ],
    );
    let ada = fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "Ada Lovelace"), ("email", "ada@acme.test")],
    );
    fixtures::row::<Credentials>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Firewall admin"),
            ("username", "root"),
            ("password", "hunter2-secret"),
        ],
    );
    let tech = app.login(&app.a.tech).await;

    let home = tech.get("/").await;
    assert_eq!(
        home.attrs("header form.search input", "name"),
        ["q"],
        "a box on every page"
    );
    assert_eq!(
        found(&tech, "fw01").await,
        [format!("/clients/{cid}/assets/{fw}")]
    );
    assert_eq!(found(&tech, "fw0").await.len(), 1, "a prefix finds it");
    assert_eq!(
        found(&tech, "SN-77812").await,
        [format!("/clients/{cid}/assets/{fw}")]
    );
    assert_eq!(
        found(&tech, "10.20.0.1").await,
        [format!("/clients/{cid}/assets/{fw}")]
    );
    assert_eq!(
        found(&tech, "lovelace").await,
        [format!("/clients/{cid}/contacts/{ada}")]
    );
    // The closest match first: a title that starts with the word, then one that holds
    // it, then a match elsewhere in the record.
    let zed = fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "Zed Zulu"), ("email", "ada.zulu@acme.test")],
    );
    let nadia = fixtures::row::<Contacts>(&app, app.a.id, cid, &[("name", "Nadia Adams")]);
    assert_eq!(
        found(&tech, "ada").await,
        [ada, nadia, zed].map(|id| format!("/clients/{cid}/contacts/{id}"))
    );
    let page = tech.get("/search?q=lovel").await;
    assert_eq!(
        page.texts("ul.hits mark"),
        ["Lovelace"],
        "the match is marked"
    );
    assert_eq!(page.texts("section.search-group h3"), ["Contacts"]);
    assert_eq!(
        found(&tech, "acme").await[0],
        format!("/clients/{cid}"),
        "clients too"
    );
    assert!(
        found(&tech, "hunter2").await.is_empty(),
        "a secret is never indexed"
    );
    assert!(found(&tech, "root")
        .await
        .iter()
        .any(|h| h.contains("/credentials/")));

    // A rename is found by the new name only; an archived record is gone.
    {
        let conn = &mut *app.conn();
        diesel::update(client_contacts::table.find(ada))
            .set(client_contacts::name.eq("Ada Byron"))
            .execute(conn)
            .unwrap();
    }
    assert!(found(&tech, "lovelace").await.is_empty());
    assert_eq!(found(&tech, "byron").await.len(), 1);
    {
        let conn = &mut *app.conn();
        let (_, cs) = clients::scoped(conn, app.a.id, ClientId(cid)).unwrap();
        write::set_archived::<Contacts>(conn, &cs, ada, true).unwrap();
    }
    assert!(found(&tech, "byron").await.is_empty(), "archived");

    // A change that rolls back was never searchable.
    {
        let conn = &mut *app.conn();
        let _ = conn.transaction::<(), diesel::result::Error, _>(|conn| {
            let (_, cs) = clients::scoped(conn, app.a.id, ClientId(cid)).unwrap();
            let refs = mspdesk::domain::resource::refs::load(conn, &cs, Contacts::FIELDS).unwrap();
            let mut input = mspdesk::domain::forms::FormInput::default();
            input.set("name", "Grace Ghost");
            let values = mspdesk::domain::forms::parse(Contacts::FIELDS, &input, &refs).unwrap();
            write::create::<Contacts>(conn, &cs, &values, &app.vault).unwrap();
            Err(diesel::result::Error::RollbackTransaction)
        });
    }
    assert!(found(&tech, "ghost").await.is_empty());
}

use mspdesk::domain::resource::Resource;

#[actix_web::test]
async fn search_shows_nobody_more_than_their_lists() {
    let app = TestApp::spawn().await;
    let mine = fixtures::client(&mut app.conn(), app.a.id, "Mine Corp");
    let theirs = fixtures::client(&mut app.conn(), app.a.id, "Other Corp");
    fixtures::row::<Contacts>(&app, app.a.id, mine, &[("name", "Quinn Mine")]);
    fixtures::row::<Contacts>(&app, app.a.id, theirs, &[("name", "Quinn Other")]);
    fixtures::row::<Credentials>(
        &app,
        app.a.id,
        mine,
        &[("name", "Quinn vault"), ("username", "quinn")],
    );
    let b_client = fixtures::client(&mut app.conn(), app.b.id, "Beta Corp");
    fixtures::row::<Contacts>(&app, app.b.id, b_client, &[("name", "Quinn Beta")]);
    {
        let conn = &mut *app.conn();
        let tech = fixtures::user_id(conn, &app.a.tech);
        let now = chrono::Utc::now().naive_utc();
        users::set_access(conn, app.a.id, tech, Role::Tech, true, &[mine], now).unwrap();
    }

    let admin = app.login(&app.a.admin).await;
    let all = found(&admin, "quinn").await;
    assert_eq!(
        all.len(),
        3,
        "both clients and the credential, never tenant B: {all:?}"
    );
    let tech = app.login(&app.a.tech).await;
    let restricted = found(&tech, "quinn").await;
    assert_eq!(restricted.len(), 2, "{restricted:?}");
    assert!(restricted
        .iter()
        .all(|h| h.starts_with(&format!("/clients/{mine}/"))));
    let accountant = app.login(&app.a.accountant).await;
    let theirs = found(&accountant, "quinn").await;
    assert!(
        theirs.iter().all(|h| !h.contains("/credentials/")),
        "{theirs:?}"
    );
}
