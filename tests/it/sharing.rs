//! Share links as an outsider meets them: a technician shares a credential or a
//! document; the outsider opens it behind a button, within its views and lifetime,
//! with its passphrase; after that, or once revoked, the link opens nothing.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, share_links};

use crate::fixtures;
use crate::helpers::{id_from, Browser, TestApp};

/// A credential of a new client of tenant A: (client, credential).
async fn credential(b: &Browser, app: &TestApp) -> (i64, i64) {
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let made = b
        .post(
            &format!("/clients/{cid}/credentials"),
            &[
                ("name", "Front desk PC"),
                ("username", "frontdesk"),
                ("password", "S3cret-Pass!"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    (cid, id_from(&made.location))
}

/// Shares `path` with these fields; returns the link's path (`/s/…`).
async fn share(b: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let made = b.post(&format!("{path}/share"), fields).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let text = b.get(&made.location).await.texts(".flash").join(" ");
    let at = text
        .find("/s/")
        .unwrap_or_else(|| panic!("no link in {text:?}"));
    text[at..at + 3 + 64].to_string()
}

/// An outsider's browser that has opened the link's first page.
async fn outsider(app: &TestApp, link: &str) -> (Browser, u16) {
    let mut b = app.browser();
    let first = b.get(link).await;
    if first.status == 200 {
        b.csrf = first.input("csrf_token").unwrap();
        assert!(
            !first.body.contains("S3cret-Pass!"),
            "nothing before the button"
        );
    }
    (b, first.status)
}

#[actix_web::test]
async fn a_shared_credential_opens_once_behind_a_button_and_is_audited() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let (cid, id) = credential(&tech, &app).await;
    let item = format!("/clients/{cid}/credentials/{id}");
    assert!(tech.get(&item).await.body.contains("Share by link"));
    let link = share(&tech, &item, &[("minutes", "30"), ("views", "1")]).await;

    let (b, status) = outsider(&app, &link).await;
    assert_eq!(status, 200);
    let raw = app.browser().get_raw(&link).await;
    assert_eq!(raw.headers()["cache-control"], "no-store");
    assert!(raw.headers()["x-robots-tag"]
        .to_str()
        .unwrap()
        .contains("noindex"));
    let shown = b.post(&link, &[]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("S3cret-Pass!") && shown.body.contains("frontdesk"));
    assert!(!shown.body.contains("Alpha IT"), "nothing of the tenant");
    assert!(!shown.body.contains("Acme Dental"), "not even the client");
    assert_eq!(b.post(&link, &[]).await.status, 404, "one view only");
    assert_eq!(app.browser().get(&link).await.status, 404);
    let views: i64 = audit_log::table
        .filter(audit_log::action.eq("share_viewed"))
        .filter(audit_log::ip.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(views, 1, "the view is audited with its address");
}

#[actix_web::test]
async fn a_passphrase_a_lifetime_and_revoking_end_a_link() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let admin = app.login(&app.a.admin).await;
    let (cid, id) = credential(&tech, &app).await;
    let item = format!("/clients/{cid}/credentials/{id}");
    let fields = [
        ("minutes", "1440"),
        ("views", "3"),
        ("passphrase", "blue harbour"),
    ];
    let link = share(&tech, &item, &fields).await;
    let (b, _) = outsider(&app, &link).await;
    let wrong = b.post(&link, &[("passphrase", "red harbour")]).await;
    assert_eq!(wrong.status, 422);
    assert!(!wrong.body.contains("S3cret-Pass!"));
    let right = b.post(&link, &[("passphrase", "blue harbour")]).await;
    assert_eq!(right.status, 200);
    assert!(right.body.contains("opens 2 more times"));

    // Revoked from the admin's list: at once a missing page.
    let list = admin.get("/admin/shares").await;
    let revoke = list.attrs("form[action$='/revoke']", "action");
    assert_eq!(admin.post(&revoke[0], &[]).await.status, 303);
    assert_eq!(
        b.post(&link, &[("passphrase", "blue harbour")])
            .await
            .status,
        404
    );

    // Expired: a missing page too.
    let link = share(&tech, &item, &[("minutes", "30"), ("views", "1")]).await;
    diesel::update(share_links::table.filter(share_links::revoked_at.is_null()))
        .set(share_links::expires_at.eq(Utc::now().naive_utc() - Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(outsider(&app, &link).await.1, 404);
}

#[actix_web::test]
async fn a_shared_document_shows_its_text_and_bad_choices_are_refused() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let made = tech
        .post(
            &format!("/clients/{cid}/documents"),
            &[
                ("name", "Wi-Fi for guests"),
                ("content", "# Guests\n\nNetwork **GuestNet**"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let item = made.location.clone();
    let refused = tech
        .post(
            &format!("{item}/share"),
            &[("minutes", "5"), ("views", "1")],
        )
        .await;
    let page = tech.get(&refused.location).await;
    assert!(page
        .body
        .contains("Expires: choose one of the offered lifetimes."));
    let none: i64 = share_links::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(none, 0);
    let link = share(&tech, &item, &[("minutes", "1440"), ("views", "2")]).await;
    let (b, _) = outsider(&app, &link).await;
    let shown = b.post(&link, &[]).await;
    assert!(
        shown.body.contains("<strong>GuestNet</strong>"),
        "{}",
        shown.body
    );
    // Another tenant's admin cannot make a link to it.
    let theirs = app.login(&app.b.admin).await;
    let path = format!("{item}/share");
    assert_eq!(
        theirs
            .post(&path, &[("minutes", "1440"), ("views", "1")])
            .await
            .status,
        404
    );
}

/// Public tokens obey the tenant as they obey revocation: a suspended tenant, or one
/// that switched the module off, hands out neither a shared credential nor its calendar.
#[actix_web::test]
async fn a_suspended_tenant_or_a_switched_off_module_hands_out_nothing() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let (cid, id) = credential(&tech, &app).await;
    let item = format!("/clients/{cid}/credentials/{id}");
    let link = share(&tech, &item, &[("minutes", "1440"), ("views", "10")]).await;
    let made = app
        .login(&app.a.admin)
        .await
        .post("/admin/feeds", &[("label", "Phone")])
        .await;
    let feed = made.texts("code.feed-url")[0].clone();
    let feed = &feed[feed.find("/feeds/").unwrap()..];
    let answers = |expected: u16, why: &'static str| {
        let (app, link) = (&app, &link);
        async move {
            let (b, opened) = outsider(app, link).await;
            assert_eq!(opened, expected, "the link's page: {why}");
            if opened == 200 {
                let shown = b.post(link, &[]).await;
                assert!(shown.body.contains("S3cret-Pass!"), "{why}");
            }
            assert_eq!(
                app.browser().get(feed).await.status,
                expected,
                "the feed: {why}"
            );
        }
    };
    answers(200, "live").await;

    let op = crate::platform::operator(&app).await;
    let a = app.a.id.get();
    let suspend = op
        .post(&format!("/platform/tenants/{a}/suspend"), &[])
        .await;
    assert_eq!(suspend.status, 303);
    answers(404, "suspended").await;
    let back = op
        .post(&format!("/platform/tenants/{a}/reactivate"), &[])
        .await;
    assert_eq!(back.status, 303);
    answers(200, "reactivated").await;

    // Every module on but credentials and the calendar.
    let admin = app.login(&app.a.admin).await;
    let on: Vec<(&str, &str)> = ["racks", "documents", "files", "trips"]
        .iter()
        .map(|m| ("module", *m))
        .chain([("mileage_rate", "0.725")])
        .collect();
    assert_eq!(admin.post("/admin/settings", &on).await.status, 303);
    answers(404, "modules switched off").await;
}
