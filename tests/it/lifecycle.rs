//! A user's life in the tenant, as admins and users run it in the browser: invited by
//! a one-time link, disabled and enabled, sent a reset link; the users list searched;
//! a user's own sessions listed and ended.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, mails, one_time_links, users};

use crate::api::Api;
use crate::fixtures;
use crate::helpers::{id_from, Browser, TestApp, PASSWORD};

/// The one-time link a flash message on the page after `location` shows.
async fn link_in_flash(b: &Browser, location: &str) -> String {
    let page = b.get(location).await;
    let text = page.texts(".flash").join(" ");
    let at = text
        .find("/password/")
        .unwrap_or_else(|| panic!("no link in {text:?}"));
    text[at..at + "/password/".len() + 64].to_string()
}

fn audited(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_invited_user_chooses_a_password_once_and_signs_in() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let made = admin
        .post(
            "/admin/users",
            &[
                ("name", "Nina New"),
                ("email", "nina@a.test"),
                ("role", "2"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let link = link_in_flash(&admin, &made.location).await;
    let sent: Vec<(String, String)> = mails::table
        .filter(mails::to_addr.eq("nina@a.test"))
        .select((mails::subject, mails::text_body))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(sent.len(), 1, "one invitation mail");
    assert!(sent[0].1.contains(&link), "the mail carries the link");
    // Before choosing, no password works (the account has none anyone knows).
    let mut nina = app.browser();
    assert_eq!(nina.login("nina@a.test", "").await.status, 422);

    let form = nina.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("nina@a.test") && form.body.contains("noindex"));
    assert!(
        !form.body.contains("Alpha IT"),
        "nothing of the tenant beyond the account"
    );
    nina.csrf = form.input("csrf_token").unwrap();
    let short = nina
        .post(&link, &[("password", "short"), ("confirm", "short")])
        .await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("at least 10 characters"));
    let chosen = "a long new password";
    let set = nina
        .post(&link, &[("password", chosen), ("confirm", chosen)])
        .await;
    let sign_in = format!("/login?team={}", app.a.team);
    assert_eq!(
        (set.status, set.location.as_str()),
        (303, sign_in.as_str()),
        "the team filled in"
    );
    assert_eq!(nina.get(&link).await.status, 404, "a link works once");
    assert_eq!(nina.login("nina@a.test", chosen).await.status, 303);
    assert_eq!(audited(&app, "invite"), 1);
    assert_eq!(audited(&app, "password_set_by_invite"), 1);
}

#[actix_web::test]
async fn a_disabled_user_is_refused_at_once_everywhere_until_enabled() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let key = crate::api::key(&app, &app.a, &app.a.tech, true);
    let api = Api::new(&app, &key);
    assert_eq!(api.get("/api/v1/clients").await.status, 200);
    let id = fixtures::user_id(&mut app.conn(), &app.a.tech);

    let done = admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    assert_eq!(done.status, 303);
    assert!(admin.get(&done.location).await.body.contains("Disabled"));
    let next = tech.get("/clients").await;
    assert_eq!(
        next.status, 303,
        "the live session is refused on its next request"
    );
    assert!(next.location.starts_with("/login"));
    assert_eq!(
        api.get("/api/v1/clients").await.status,
        401,
        "the key stops"
    );
    assert_eq!(app.browser().login(&app.a.tech, PASSWORD).await.status, 422);

    admin.post(&format!("/admin/users/{id}/enable"), &[]).await;
    assert_eq!(app.browser().login(&app.a.tech, PASSWORD).await.status, 303);
    assert_eq!(
        api.get("/api/v1/clients").await.status,
        200,
        "the key works again"
    );
    assert_eq!((audited(&app, "disable"), audited(&app, "enable")), (1, 1));
}

#[actix_web::test]
async fn an_admin_cannot_disable_themself_nor_another_tenants_user() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let me = fixtures::user_id(&mut app.conn(), &app.a.admin);
    let refused = admin.post(&format!("/admin/users/{me}/disable"), &[]).await;
    let page = admin.get(&refused.location).await;
    assert!(
        page.body.contains("You cannot disable yourself."),
        "{}",
        page.body
    );
    let disabled: Option<chrono::NaiveDateTime> = users::table
        .find(me)
        .select(users::disabled_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(disabled.is_none());
    let theirs = fixtures::user_id(&mut app.conn(), &app.b.tech);
    for action in ["disable", "enable", "reset-link"] {
        let path = format!("/admin/users/{theirs}/{action}");
        assert_eq!(admin.post(&path, &[]).await.status, 404, "{path}");
    }
}

#[actix_web::test]
async fn a_reset_link_replaces_the_password_and_ends_the_old_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let sent = admin
        .post(&format!("/admin/users/{id}/reset-link"), &[])
        .await;
    let link = link_in_flash(&admin, &sent.location).await;
    assert_eq!(
        tech.get("/clients").await.status,
        200,
        "the password still works meanwhile"
    );

    let mut b = app.browser();
    let form = b.get(&link).await;
    b.csrf = form.input("csrf_token").unwrap();
    let chosen = "another long password";
    let differ = b
        .post(
            &link,
            &[("password", chosen), ("confirm", "something else")],
        )
        .await;
    assert_eq!(differ.status, 422);
    assert!(differ.body.contains("The two passwords differ."));
    assert_eq!(
        b.post(&link, &[("password", chosen), ("confirm", chosen)])
            .await
            .status,
        303
    );
    assert_eq!(tech.get("/clients").await.status, 303, "old sessions end");
    assert_eq!(app.browser().login(&app.a.tech, PASSWORD).await.status, 422);
    assert_eq!(app.browser().login(&app.a.tech, chosen).await.status, 303);

    // An expired link is a missing page.
    let sent = admin
        .post(&format!("/admin/users/{id}/reset-link"), &[])
        .await;
    let link = link_in_flash(&admin, &sent.location).await;
    diesel::update(one_time_links::table.filter(one_time_links::used_at.is_null()))
        .set(one_time_links::expires_at.eq(Utc::now().naive_utc() - Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.browser().get(&link).await.status, 404);
}

#[actix_web::test]
async fn the_users_list_is_searched_and_shows_last_login() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    for i in 0..30 {
        let email = format!("person{i}@a.test");
        let made = admin
            .post(
                "/admin/users",
                &[
                    ("name", &format!("Person {i:02}")),
                    ("email", &email),
                    ("role", "1"),
                    ("password", "a password of ten"),
                ],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
        id_from(&made.location);
    }
    let found = admin.get("/admin/users?q=PERSON%2007").await;
    let names = found.texts("table.list tbody td:first-child");
    assert_eq!(names, ["Person 07"]);
    let by_mail = admin.get("/admin/users?q=person12%40").await;
    assert_eq!(
        by_mail.texts("table.list tbody td:first-child"),
        ["Person 12"]
    );
    let first = admin.get("/admin/users").await;
    assert!(first.body.contains("of 33"), "paged with a total");
    let me = admin.get(&format!("/admin/users?q={}", app.a.admin)).await;
    let row = me.texts("table.list tbody tr").join(" ");
    assert!(
        !row.contains("Never"),
        "the admin signed in and was active: {row}"
    );
}

#[actix_web::test]
async fn a_user_sees_their_sessions_and_ends_another_one() {
    let app = TestApp::spawn().await;
    let laptop = app.login(&app.a.tech).await;
    let phone = app.login(&app.a.tech).await;
    let page = laptop.get("/account/sessions").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("table.list tbody tr").len(), 2);
    assert_eq!(page.texts(".badge").len(), 1, "this session is marked");
    let others: Vec<String> = page.attrs("input[name=session]", "value");
    assert_eq!(others.len(), 1, "only the other session has an End button");
    let ended = laptop
        .post("/account/sessions/end", &[("session", &others[0])])
        .await;
    assert_eq!(ended.status, 303);
    assert_eq!(
        phone.get("/clients").await.status,
        303,
        "the phone is signed out"
    );
    assert_eq!(laptop.get("/clients").await.status, 200, "this one goes on");
    // Another user's session id ends nothing.
    let admin = app.login(&app.a.admin).await;
    let office = app.login(&app.a.admin).await;
    let theirs = admin
        .get("/account/sessions")
        .await
        .attrs("input[name=session]", "value");
    laptop
        .post("/account/sessions/end", &[("session", &theirs[0])])
        .await;
    assert_eq!(office.get("/clients").await.status, 200);
    // "End every other session" keeps the one in use.
    let tablet = app.login(&app.a.tech).await;
    laptop.post("/account/sessions/end", &[]).await;
    assert_eq!(tablet.get("/clients").await.status, 303);
    assert_eq!(laptop.get("/clients").await.status, 200);
    assert_eq!(audited(&app, "sessions_ended"), 2);
}

#[actix_web::test]
async fn invitation_and_reset_mails_arrive_over_smtp_with_their_links() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let fields = [
        ("name", "Ivy Invited"),
        ("email", "ivy@a.test"),
        ("role", "2"),
        ("password", ""),
    ];
    let made = admin.post("/admin/users", &fields).await;
    let invite = link_in_flash(&admin, &made.location).await;
    let id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let sent = admin
        .post(&format!("/admin/users/{id}/reset-link"), &[])
        .await;
    let reset = link_in_flash(&admin, &sent.location).await;

    let sink = crate::smtp::Sink::start(0);
    let ctx = crate::mail::context(&app, Some(&sink));
    crate::mail::work(&mut app.conn(), &ctx, Utc::now());
    let got = sink.messages();
    let to = |addr: &str| {
        got.iter()
            .find(|m| m.to.iter().any(|t| t == addr))
            .unwrap_or_else(|| panic!("nothing reached {addr}"))
            .decoded()
    };
    assert!(
        to("ivy@a.test").contains(&invite),
        "the invitation carries its link"
    );
    assert!(
        to(&app.a.tech).contains(&reset),
        "the reset mail carries its link"
    );
}
