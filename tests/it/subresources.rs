//! Contacts and addresses: CRUD, validation, archive/restore, the one-primary rule and
//! the contact picker.

use diesel::prelude::*;
use mspdesk::domain::schema::{client_addresses, client_contacts};

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

fn primaries(app: &TestApp, client_id: i64) -> Vec<String> {
    client_contacts::table
        .filter(client_contacts::client_id.eq(client_id))
        .filter(client_contacts::is_primary.eq(true))
        .filter(client_contacts::deleted_at.is_null())
        .select(client_contacts::name)
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn contacts_are_added_edited_archived_and_restored() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/contacts");

    let form = b.get(&format!("{base}/new")).await;
    assert_eq!(form.status, 200);
    let created = b
        .post(
            &base,
            &[
                ("name", "Maria Lopez"),
                ("title", "Office Manager"),
                ("email", "maria@acme.example"),
                ("billing", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let id = id_from(&created.location);
    let show = b.follow(&created).await;
    assert!(show.body.contains("The contact was added."));
    assert!(show.body.contains("Office Manager"));

    let list = b.get(&base).await;
    assert_eq!(list.list_names(), vec!["Maria Lopez"]);
    assert!(
        list.texts(".tabs a.active")
            .iter()
            .any(|t| t.contains("Contacts") && t.contains('1')),
        "tab count"
    );

    let edit = b.get(&format!("{base}/{id}/edit")).await;
    assert_eq!(edit.input("billing").as_deref(), Some("on"));
    let saved = b
        .post(
            &format!("{base}/{id}"),
            &[("name", "Maria Lopez-Garcia"), ("technical", "on")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let (name, billing, technical): (String, bool, bool) = client_contacts::table
        .find(id)
        .select((
            client_contacts::name,
            client_contacts::billing,
            client_contacts::technical,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), billing, technical),
        ("Maria Lopez-Garcia", false, true),
        "unchecked boxes clear"
    );

    let bad = b
        .post(&format!("{base}/{id}"), &[("name", ""), ("email", "nope")])
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.field_error("name").as_deref(),
        Some("Name is required.")
    );
    assert!(bad.field_error("email").is_some());

    assert_eq!(
        b.post(&format!("{base}/{id}/archive"), &[]).await.status,
        303
    );
    assert!(
        b.get(&base).await.list_names().is_empty(),
        "archived contact hidden"
    );
    let archived = b.get(&format!("{base}?archived=1")).await;
    assert_eq!(archived.list_names(), vec!["Maria Lopez-Garcia"]);
    assert!(archived.body.contains("badge"));
    assert_eq!(
        b.post(&format!("{base}/{id}/restore"), &[]).await.status,
        303
    );
    assert_eq!(b.get(&base).await.list_names(), vec!["Maria Lopez-Garcia"]);
}

#[actix_web::test]
async fn a_client_has_at_most_one_primary_contact() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let other = fixtures::client(&mut app.conn(), app.a.id, "Other");
    let other_primary = fixtures::row::<mspdesk::domain::directory::contacts::Contacts>(
        &app,
        app.a.id,
        other,
        &[("name", "Other Primary"), ("primary", "on")],
    );
    let b = app.login(&app.a.admin).await;
    let base = format!("/clients/{cid}/contacts");

    let first = id_from(
        &b.post(&base, &[("name", "First"), ("primary", "on")])
            .await
            .location,
    );
    assert_eq!(primaries(&app, cid), vec!["First"]);
    let second = id_from(
        &b.post(&base, &[("name", "Second"), ("primary", "on")])
            .await
            .location,
    );
    assert_eq!(
        primaries(&app, cid),
        vec!["Second"],
        "the new primary replaces the old"
    );
    b.post(
        &format!("{base}/{first}"),
        &[("name", "First"), ("primary", "on")],
    )
    .await;
    assert_eq!(
        primaries(&app, cid),
        vec!["First"],
        "editing switches it back"
    );

    // Archive the primary, make another primary, restore: still only one.
    b.post(&format!("{base}/{first}/archive"), &[]).await;
    b.post(
        &format!("{base}/{second}"),
        &[("name", "Second"), ("primary", "on")],
    )
    .await;
    b.post(&format!("{base}/{first}/restore"), &[]).await;
    assert_eq!(primaries(&app, cid), vec!["Second"]);
    assert_eq!(
        primaries(&app, other),
        vec!["Other Primary"],
        "other clients are untouched"
    );
    let _ = other_primary;
}

#[actix_web::test]
async fn addresses_work_with_the_primary_rule_and_a_same_client_contact() {
    let app = TestApp::spawn().await;
    let (cid, other, maria, stranger) = {
        let mut conn = app.conn();
        let cid = fixtures::client(&mut conn, app.a.id, "Acme");
        let other = fixtures::client(&mut conn, app.a.id, "Other");
        let maria = fixtures::contact(&app, app.a.id, cid, "Maria");
        let stranger = fixtures::contact(&app, app.a.id, other, "Stranger");
        (cid, other, maria, stranger)
    };
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/addresses");

    let form = b.get(&format!("{base}/new")).await;
    let options = form.texts("select[name=contact_id] option");
    assert!(options.contains(&"Maria".to_string()));
    assert!(
        !options.contains(&"Stranger".to_string()),
        "the picker offers only this client's contacts"
    );

    let (m, s) = (maria.to_string(), stranger.to_string());
    let hq = b
        .post(
            &base,
            &[
                ("name", "Head office"),
                ("address_line_1", "1 Main St"),
                ("city", "Portland"),
                ("contact_id", &m),
                ("primary", "on"),
            ],
        )
        .await;
    assert_eq!(hq.status, 303, "{}", hq.body);
    let hq = id_from(&hq.location);
    let show = b.get(&format!("{base}/{hq}")).await;
    assert!(show.body.contains("Maria"), "the contact's name is shown");

    let refused = b
        .post(
            &base,
            &[
                ("name", "Sneaky"),
                ("address_line_1", "2 Side St"),
                ("contact_id", &s),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("contact_id").as_deref(),
        Some("Choose a contact of this client.")
    );
    assert_eq!(
        refused.input("address_line_1").as_deref(),
        Some("2 Side St")
    );
    let missing_street = b.post(&base, &[("name", "No street")]).await;
    assert_eq!(missing_street.status, 422);
    assert!(missing_street.field_error("address_line_1").is_some());

    let billing = b
        .post(
            &base,
            &[
                ("name", "Billing"),
                ("address_line_1", "PO Box 9"),
                ("primary", "on"),
            ],
        )
        .await;
    let billing = id_from(&billing.location);
    let primary: Vec<i64> = client_addresses::table
        .filter(client_addresses::is_primary.eq(true))
        .select(client_addresses::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(primary, vec![billing]);
    let count: i64 = client_addresses::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(count, 2, "refused forms wrote nothing");
    let _ = other;
}
