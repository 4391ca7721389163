//! Staff two-factor sign-in as users meet it: set up with a QR code and a code, asked
//! after the password, recovery codes that work once, a code that works once, required
//! by the tenant, turned off only with the password and a code.

use chrono::Utc;
use diesel::prelude::*;
use mspdesk::domain::schema::users;
use mspdesk::domain::tenancy::two_factor::{self, code_at};
use mspdesk::platform::vault::Vault;

use crate::fixtures;
use crate::helpers::{Browser, TestApp, PASSWORD};

fn code_now(secret: &str) -> String {
    code_at(secret, Utc::now().timestamp() as u64).unwrap()
}

/// Turns 2FA on for the signed-in user; returns the secret and the recovery codes.
async fn enrol(b: &Browser) -> (String, Vec<String>) {
    let page = b.get("/account/2fa").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "a QR code drawn on the server");
    let secret = page.texts("code.secret").remove(0);
    let wrong = b.post("/account/2fa/enable", &[("code", "000000")]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("does not match"));
    let on = b
        .post("/account/2fa/enable", &[("code", &code_now(&secret))])
        .await;
    assert_eq!(on.status, 200, "{}", on.body);
    let codes = on.texts("ul.codes li");
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// A password step that must be followed by a code: the browser, waiting.
async fn password_step(app: &TestApp, email: &str) -> Browser {
    let mut b = app.browser();
    let first = b.login(email, PASSWORD).await;
    assert_eq!(
        (first.status, first.location.as_str()),
        (303, "/login/code")
    );
    assert_eq!(b.get("/clients").await.status, 303, "not signed in yet");
    let form = b.get("/login/code").await;
    b.csrf = form.input("csrf_token").unwrap();
    b
}

#[actix_web::test]
async fn a_code_is_asked_after_the_password_and_works_once() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let (secret, codes) = enrol(&tech).await;
    let id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let stored: Option<String> = users::table
        .find(id)
        .select(users::totp_secret)
        .first(&mut app.conn())
        .unwrap();
    let stored = stored.unwrap();
    assert!(
        stored.starts_with("v1:") && !stored.contains(&secret),
        "sealed"
    );

    let b = password_step(&app, &app.a.tech).await;
    let wrong = b.post("/login/code", &[("code", "123456")]).await;
    assert_eq!(wrong.status, 422);
    // The code of enrolment is spent; the app's next code (one step ahead is still
    // accepted) stands for the code a user types half a minute later.
    let code = code_at(&secret, Utc::now().timestamp() as u64 + 30).unwrap();
    let right = b.post("/login/code", &[("code", &code)]).await;
    assert_eq!(right.status, 303, "{}", right.body);
    assert_eq!(b.get("/clients").await.status, 200);

    let again = password_step(&app, &app.a.tech).await;
    let replay = again.post("/login/code", &[("code", &code)]).await;
    assert_eq!(replay.status, 422, "a code is spent once used");
    let recovery = again.post("/login/code", &[("code", &codes[0])]).await;
    assert_eq!(recovery.status, 303, "a recovery code stands in");
    let third = password_step(&app, &app.a.tech).await;
    let reused = third.post("/login/code", &[("code", &codes[0])]).await;
    assert_eq!(reused.status, 422, "a recovery code works once");
    let page = tech.get("/account/2fa").await;
    assert!(
        page.body.contains("Recovery codes left: 9."),
        "{}",
        page.body
    );
}

/// Two sign-ins send the same code at once: the second reaches the database while the
/// first has accepted it and not yet committed. It must wait and then be refused.
#[actix_web::test]
async fn one_code_sent_by_two_sign_ins_at_once_lets_one_in() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app.login(&app.a.tech).await).await;
    let id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let (user, _) = mspdesk::domain::signed_in::find_with_tenant(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    let vault = std::sync::Arc::new(Vault::open(&app.data_dir).unwrap());
    let code = code_at(&secret, Utc::now().timestamp() as u64 + 30).unwrap();
    let now = Utc::now().naive_utc();
    let (accepted_tx, accepted_rx) = std::sync::mpsc::channel();
    let first = {
        let (pool, vault, user, code) =
            (app.pool.clone(), vault.clone(), user.clone(), code.clone());
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            conn.transaction(|conn| {
                let ok = two_factor::check(conn, &vault, &user, &code, "10.0.0.1", now).unwrap();
                accepted_tx.send(ok).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(400));
                diesel::QueryResult::Ok(ok)
            })
            .unwrap()
        })
    };
    assert!(
        accepted_rx.recv().unwrap(),
        "the first sign-in's code is right"
    );
    let second = two_factor::check(&mut app.conn(), &vault, &user, &code, "10.0.0.2", now).unwrap();
    assert!(first.join().unwrap());
    assert!(!second, "the same code, sent alongside, is spent");
}

#[actix_web::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let (secret, _) = enrol(&tech).await;
    let b = password_step(&app, &app.a.tech).await;
    let mut last = 0;
    for _ in 0..12 {
        last = b.post("/login/code", &[("code", "000000")]).await.status;
    }
    assert_eq!(last, 429);
    let right = b.post("/login/code", &[("code", &code_now(&secret))]).await;
    assert_eq!(right.status, 429, "even the right code waits");
}

#[actix_web::test]
async fn a_tenant_that_requires_it_sends_users_to_set_it_up_first() {
    let app = TestApp::spawn().await;
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let settings = admin.get("/admin/settings").await;
    let mut fields: Vec<(String, String)> = ["mileage_rate", "invoice_prefix"]
        .iter()
        .map(|f| (f.to_string(), settings.input(f).unwrap_or_default()))
        .collect();
    fields.push(("require_2fa".into(), "2".into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(admin.post("/admin/settings", &fields).await.status, 303);

    let sent = tech.get("/clients").await;
    assert_eq!((sent.status, sent.location.as_str()), (303, "/account/2fa"));
    let (secret, _) = enrol(&tech).await;
    assert_eq!(tech.get("/clients").await.status, 200);
    let off = tech
        .post(
            "/account/2fa/disable",
            &[("password", PASSWORD), ("code", &code_now(&secret))],
        )
        .await;
    assert_eq!(off.status, 422, "it cannot be turned off while required");
}

#[actix_web::test]
async fn turning_it_off_needs_the_password_and_a_code() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let (_, codes) = enrol(&tech).await;
    let bad = tech
        .post(
            "/account/2fa/disable",
            &[("password", "not it"), ("code", &codes[1])],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("not your current password"));
    let off = tech
        .post(
            "/account/2fa/disable",
            &[("password", PASSWORD), ("code", &codes[1])],
        )
        .await;
    assert_eq!(off.status, 303);
    assert!(tech
        .follow(&off)
        .await
        .body
        .contains("Two-factor sign-in is off."));
    let mut b = app.browser();
    assert_eq!(b.login(&app.a.tech, PASSWORD).await.location, "/clients");
}
