//! Logging in and out, the login redirect, and CSRF.

use crate::helpers::{TestApp, PASSWORD};

#[actix_web::test]
async fn anonymous_visitor_is_sent_to_login_with_next() {
    let app = TestApp::spawn().await;
    let page = app.browser().get("/clients?q=acme").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location, "/login?next=%2Fclients%3Fq%3Dacme");
}

#[actix_web::test]
async fn login_with_right_password_lands_on_next_page() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.refresh_csrf().await;
    let page = b
        .post(
            "/login",
            &[
                ("team", &app.a.team),
                ("email", &app.a.tech),
                ("password", PASSWORD),
                ("next", "/clients?q=x"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location, "/clients?q=x");
    let list = b.follow(&page).await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Tech Alpha IT"),
        "the user bar names the user"
    );
}

#[actix_web::test]
async fn login_ignores_a_next_that_leaves_the_site() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.refresh_csrf().await;
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let page = b
            .post(
                "/login",
                &[
                    ("team", &app.a.team),
                    ("email", &app.a.admin),
                    ("password", PASSWORD),
                    ("next", evil),
                ],
            )
            .await;
        assert_eq!(page.status, 303);
        assert_eq!(
            page.location, "/clients",
            "next {evil:?} must not be followed"
        );
        b.refresh_csrf().await;
    }
}

#[actix_web::test]
async fn wrong_password_shows_the_form_again_and_logs_nobody_in() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let page = b.login(&app.a.admin, "not the password").await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Wrong team, e-mail or password."));
    assert_eq!(
        page.input("email").as_deref(),
        Some(app.a.admin.as_str()),
        "the e-mail is kept"
    );
    let page = b.login("nobody@nowhere.test", PASSWORD).await;
    assert_eq!(page.status, 422);
    assert_eq!(b.get("/clients").await.status, 303, "still anonymous");
}

#[actix_web::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    assert_eq!(b.get("/clients").await.status, 200);
    let page = b.post("/logout", &[]).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location, "/login");
    assert_eq!(b.get("/clients").await.status, 303);
}

#[actix_web::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let missing = b
        .post_raw(
            "/clients",
            &[("name", "No Token Ltd"), ("status", "active")],
        )
        .await;
    assert_eq!(missing.status, 403);
    let wrong = b
        .post_raw(
            "/clients",
            &[
                ("name", "Wrong Token Ltd"),
                ("status", "active"),
                ("csrf_token", "00ff"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("did not come from this site"));
    let list = b.get("/clients").await;
    assert!(!list.body.contains("Token Ltd"));
    // Logout and login are protected as well.
    assert_eq!(b.post_raw("/logout", &[]).await.status, 403);
    let anon = app.browser();
    let page = anon
        .post_raw(
            "/login",
            &[
                ("team", &app.a.team),
                ("email", &app.a.admin),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[actix_web::test]
async fn every_form_carries_the_csrf_token() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    for path in ["/clients/new", "/login"] {
        let page = b.get(path).await;
        assert_eq!(
            page.input("csrf_token").as_deref(),
            Some(b.csrf.as_str()),
            "{path}"
        );
    }
}
