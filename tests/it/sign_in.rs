//! Signing in names a team: a password is checked against that one tenant's account,
//! so one tenant's admin cannot use an e-mail shared with another tenant to test that
//! tenant's passwords; refusals are counted and audited in the tenant named; a person
//! who works for two MSPs signs in to either, and the browser remembers the last team.

use diesel::prelude::*;
use mspdesk::domain::schema::{audit_log, login_failures};

use crate::helpers::{TestApp, PASSWORD};

/// Audit entries of `action` in tenant `tenant`.
fn audited(app: &TestApp, tenant: i64, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::tenant_id.eq(tenant))
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// Alpha's admin sets the password of Alpha's account `id` (through a reset link they
/// use themselves; here written directly).
fn alpha_sets_password(app: &TestApp, id: i64, password: &str) {
    use mspdesk::domain::schema::users;
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(mspdesk::domain::tenancy::password::hash(password)))
        .execute(&mut app.conn())
        .unwrap();
}

/// Alpha's admin makes an account with the e-mail of Beta's technician: its id.
async fn alpha_adds_betas_technician(app: &TestApp, password: &str) -> i64 {
    let admin = app.login(&app.a.admin).await;
    let made = admin
        .post(
            "/admin/users",
            &[
                ("name", "Contractor"),
                ("email", &app.b.tech),
                ("password", password),
                ("role", "2"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "no hint that Beta has this address");
    made.location.rsplit('/').next().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn an_admin_cannot_test_another_tenants_password_through_a_shared_email() {
    let app = TestApp::spawn().await;
    // Alpha's admin adds a user with the e-mail of Beta's technician, whose password
    // is PASSWORD — and tries "guesses" by setting them as the Alpha account's.
    let id = alpha_adds_betas_technician(&app, "first guess here").await;
    let beta_before =
        audited(&app, app.b.id.get(), "login") + audited(&app, app.b.id.get(), "login_failed");

    let mut answers = vec![];
    for guess in ["first guess here", PASSWORD] {
        alpha_sets_password(&app, id, guess);
        let mut b = app.browser();
        let page = b.login(&app.b.tech, guess).await;
        let home = b.follow(&page).await;
        answers.push((page.status, page.location.clone(), home.texts("h1")));
        assert!(!home.body.contains("Beta Networks"), "{}", home.body);
    }
    assert_eq!(
        answers[0], answers[1],
        "the right guess of Beta's password looks like any other"
    );
    assert_eq!(
        audited(&app, app.b.id.get(), "login") + audited(&app, app.b.id.get(), "login_failed"),
        beta_before,
        "Beta's account was never tried"
    );

    // Guessing at Beta itself is an ordinary attempt on Beta's account: refused the
    // same way as an unknown team, counted against the account, audited in Beta.
    let mut b = app.browser();
    b.team = app.b.team.clone();
    let wrong = b.login(&app.b.tech, "first guess here").await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Wrong team, e-mail or password."));
    b.team = "no-such-team".into();
    let unknown = b.login(&app.b.tech, PASSWORD).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("Wrong team, e-mail or password."));
    assert_eq!(audited(&app, app.b.id.get(), "login_failed"), 1);
    let counted: i64 = login_failures::table
        .filter(login_failures::email.eq(&app.b.tech))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(
        counted, 2,
        "failures count against the e-mail whichever team"
    );
}

#[actix_web::test]
async fn a_person_of_two_msps_signs_in_to_either_and_the_team_is_remembered() {
    let app = TestApp::spawn().await;
    alpha_adds_betas_technician(&app, "alpha password").await;

    let mut b = app.browser();
    b.team = app.b.team.clone();
    let beta = b.login(&app.b.tech, PASSWORD).await;
    assert_eq!(beta.status, 303);
    assert!(b.get("/clients").await.body.contains("Beta Networks"));
    let form = b.get("/login").await;
    assert_eq!(form.input("team").as_deref(), Some(app.b.team.as_str()));

    let mut other = app.browser();
    let alpha = other.login(&app.b.tech, "alpha password").await;
    assert_eq!(alpha.status, 303);
    assert!(other.get("/clients").await.body.contains("Alpha IT"));

    // A sign-in address names the team; no team is asked for before anything is checked.
    let address = app
        .browser()
        .get(&format!("/login?team={}", app.a.team))
        .await;
    assert_eq!(address.input("team").as_deref(), Some(app.a.team.as_str()));
    let mut blank = app.browser();
    blank.team = String::new();
    let asked = blank.login(&app.a.admin, PASSWORD).await;
    assert_eq!(asked.status, 422);
    assert!(asked.body.contains("Enter your team"), "{}", asked.body);
    assert_eq!(
        asked.input("email").as_deref(),
        Some(app.a.admin.as_str()),
        "the input is kept"
    );
}
