//! Another tenant's ids — in the URL or in a form — are a 404 (or a refused field) and
//! change nothing.

use diesel::prelude::*;
use mspdesk::domain::directory::addresses::Addresses;
use mspdesk::domain::schema::{client_addresses, client_contacts, clients};

use crate::fixtures;
use crate::helpers::TestApp;

#[actix_web::test]
async fn another_tenants_client_contact_and_address_are_404_and_unchanged() {
    let app = TestApp::spawn().await;
    let (cid, contact, address, own) = {
        let mut conn = app.conn();
        let cid = fixtures::client(&mut conn, app.a.id, "Alpha's Client");
        let contact = fixtures::contact(&app, app.a.id, cid, "Alpha Contact");
        let address = fixtures::row::<Addresses>(
            &app,
            app.a.id,
            cid,
            &[("name", "HQ"), ("address_line_1", "1 Alpha Way")],
        );
        let own = fixtures::client(&mut conn, app.b.id, "Beta's Client");
        (cid, contact, address, own)
    };
    let intruder = app.login(&app.b.admin).await;

    let gets = [
        format!("/clients/{cid}"),
        format!("/clients/{cid}/edit"),
        format!("/clients/{cid}/contacts"),
        format!("/clients/{cid}/contacts/new"),
        format!("/clients/{cid}/contacts/{contact}"),
        format!("/clients/{cid}/contacts/{contact}/edit"),
        format!("/clients/{cid}/addresses"),
        format!("/clients/{cid}/addresses/{address}"),
        // Another tenant's rows under the intruder's own client.
        format!("/clients/{own}/contacts/{contact}"),
        format!("/clients/{own}/addresses/{address}/edit"),
    ];
    for path in &gets {
        let page = intruder.get(path).await;
        assert_eq!(page.status, 404, "GET {path}");
        assert!(!page.body.contains("Alpha"), "GET {path} leaks a name");
    }

    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/clients/{cid}"),
            vec![("name", "Pwned"), ("status", "active")],
        ),
        (format!("/clients/{cid}/archive"), vec![]),
        (format!("/clients/{cid}/contacts"), vec![("name", "Pwned")]),
        (
            format!("/clients/{cid}/contacts/{contact}"),
            vec![("name", "Pwned")],
        ),
        (format!("/clients/{cid}/contacts/{contact}/archive"), vec![]),
        (
            format!("/clients/{cid}/addresses/{address}"),
            vec![("name", "Pwned"), ("address_line_1", "x")],
        ),
        (
            format!("/clients/{cid}/addresses/{address}/archive"),
            vec![],
        ),
        (
            format!("/clients/{own}/contacts/{contact}"),
            vec![("name", "Pwned")],
        ),
        (
            format!("/clients/{own}/addresses/{address}/archive"),
            vec![],
        ),
    ];
    for (path, fields) in &posts {
        assert_eq!(intruder.post(path, fields).await.status, 404, "POST {path}");
    }

    let mut conn = app.conn();
    let client: (String, Option<chrono::NaiveDateTime>) = clients::table
        .find(cid)
        .select((clients::name, clients::deleted_at))
        .first(&mut conn)
        .unwrap();
    assert_eq!(client, ("Alpha's Client".to_string(), None));
    let contacts: Vec<(String, Option<chrono::NaiveDateTime>)> = client_contacts::table
        .select((client_contacts::name, client_contacts::deleted_at))
        .load(&mut conn)
        .unwrap();
    assert_eq!(contacts, vec![("Alpha Contact".to_string(), None)]);
    let addresses: Vec<(String, Option<chrono::NaiveDateTime>)> = client_addresses::table
        .select((client_addresses::name, client_addresses::deleted_at))
        .load(&mut conn)
        .unwrap();
    assert_eq!(addresses, vec![("HQ".to_string(), None)]);
}

#[actix_web::test]
async fn another_tenants_contact_in_a_form_is_refused_and_never_stored() {
    let app = TestApp::spawn().await;
    let (foreign_contact, own) = {
        let mut conn = app.conn();
        let cid = fixtures::client(&mut conn, app.a.id, "Alpha's Client");
        (
            fixtures::contact(&app, app.a.id, cid, "Alpha Contact"),
            fixtures::client(&mut conn, app.b.id, "Beta's Client"),
        )
    };
    let b = app.login(&app.b.tech).await;
    let id = foreign_contact.to_string();
    let page = b
        .post(
            &format!("/clients/{own}/addresses"),
            &[
                ("name", "HQ"),
                ("address_line_1", "1 Beta Way"),
                ("contact_id", &id),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("contact_id").is_some());
    let stored: i64 = client_addresses::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn lists_never_show_another_tenants_rows() {
    let app = TestApp::spawn().await;
    {
        let mut conn = app.conn();
        fixtures::client(&mut conn, app.a.id, "Alpha Only");
        fixtures::client(&mut conn, app.b.id, "Beta Only");
    }
    let a = app.login(&app.a.accountant).await;
    let b = app.login(&app.b.accountant).await;
    assert_eq!(
        a.get("/clients?per=100").await.list_names(),
        vec!["Alpha Only"]
    );
    assert_eq!(
        b.get("/clients?per=100").await.list_names(),
        vec!["Beta Only"]
    );
}
