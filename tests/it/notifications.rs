//! The bell: a technician is told in the app (and by mail, as they chose) of a ticket
//! assigned to them; opening the notification reads it and leads to the ticket;
//! turning mail off for a kind stops the mail but not the bell; another user's
//! notification is not theirs to open.

use chrono::Utc;
use mspdesk::domain::directory::contacts::Contacts;
use mspdesk::domain::forms::FormInput;
use mspdesk::domain::policy::Role;
use mspdesk::domain::resource::service;
use mspdesk::domain::scope::ClientId;
use mspdesk::domain::service_desk::tickets::Tickets;

use crate::finance::who;
use crate::fixtures;
use crate::helpers::{id_from, TestApp};
use crate::mail::{context, work};
use crate::smtp::Sink;

pub fn open_ticket(app: &TestApp, cid: i64, contact: i64, tech: i64, subject: &str) {
    let admin = who(app, &app.a, &app.a.admin, Role::Admin);
    let mut input = FormInput::default();
    for (k, v) in [
        ("subject", subject),
        ("priority", "medium"),
        ("contact_id", &contact.to_string()),
        ("assignee_id", &tech.to_string()),
    ] {
        input.set(k, v);
    }
    service::save::<Tickets>(
        &mut app.conn(),
        &admin,
        &app.vault,
        ClientId(cid),
        None,
        input,
    )
    .unwrap()
    .unwrap();
}

#[actix_web::test]
async fn a_technician_hears_of_their_ticket_as_they_chose() {
    let app = TestApp::spawn().await;
    let sink = Sink::start(0);
    let ctx = context(&app, Some(&sink));
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let contact = fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "Sam User"), ("email", "sam@acme.test")],
    );
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    open_ticket(&app, cid, contact, tech_id, "Printer offline");
    work(&mut app.conn(), &ctx, Utc::now());

    let tech = app.login(&app.a.tech).await;
    let home = tech.get("/").await;
    assert_eq!(home.texts("header .bell .count"), ["1"]);
    let list = tech.get("/notifications").await;
    let items = list.texts("ul.notifications li.unread a");
    assert_eq!(items.len(), 1);
    assert!(
        items[0].ends_with("Printer offline: assigned to you"),
        "{items:?}"
    );
    let href = list.hrefs("ul.notifications li a")[0].clone();
    let opened = tech.get(&href).await;
    assert_eq!(opened.status, 303);
    assert!(opened
        .location
        .starts_with(&format!("/clients/{cid}/tickets/")));
    assert!(
        tech.get("/").await.texts("header .bell .count").is_empty(),
        "read"
    );
    let mut to: Vec<String> = sink.messages().iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["sam@acme.test", app.a.tech.as_str()]);

    // Mail off for tickets: the next one only rings the bell.
    let saved = tech
        .post(
            "/notifications/choices",
            &[("on", "tickets:app"), ("on", "expiry:app")],
        )
        .await;
    assert_eq!(saved.status, 303);
    open_ticket(&app, cid, contact, tech_id, "VPN down");
    work(&mut app.conn(), &ctx, Utc::now());
    let to: Vec<String> = sink.messages()[2..]
        .iter()
        .flat_map(|m| m.to.clone())
        .collect();
    assert_eq!(
        to,
        ["sam@acme.test"],
        "the contact still hears; the technician only in the app"
    );
    assert_eq!(tech.get("/").await.texts("header .bell .count"), ["1"]);

    // Someone else's notification is not found.
    let other = app.login(&app.a.admin).await;
    let id = id_from(&href);
    assert_eq!(other.get(&format!("/notifications/{id}")).await.status, 404);
}
