//! The vault beyond passwords: TOTP seeds, password history, and key rotation.

use diesel::prelude::*;
use mspdesk::domain::registry::{self, Visitor};
use mspdesk::domain::resource::{secret_fields, write, Resource};
use mspdesk::domain::schema::{client_credentials, client_licenses, secret_history};
use mspdesk::domain::scope::EveryTenant;
use mspdesk::platform::db::AnyConnection;
use mspdesk::platform::vault::{SecretRef, Vault, VaultError};

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

const SEED: &str = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";

#[actix_web::test]
async fn a_totp_seed_is_sealed_and_shows_the_current_code_after_reveal() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/credentials");
    let bad = b
        .post(&base, &[("name", "M365"), ("otp_secret", "not a seed!")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("otp_secret").unwrap().contains("base32"));
    assert_eq!(
        bad.input("otp_secret").as_deref(),
        Some(""),
        "a seed is never echoed back"
    );
    let id = id_from(
        &b.post(&base, &[("name", "M365"), ("otp_secret", SEED)])
            .await
            .location,
    );
    let stored: Option<String> = client_credentials::table
        .find(id)
        .select(client_credentials::otp_secret)
        .first(&mut app.conn())
        .unwrap();
    let stored = stored.unwrap();
    assert!(stored.starts_with("v1:") && !stored.to_uppercase().contains("GEZDGNBV"));
    let page = b.post(&format!("{base}/{id}/reveal"), &[]).await;
    let secrets = page.texts("code.secret");
    assert!(
        secrets.contains(&"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_string()),
        "normalised: {secrets:?}"
    );
    let code = page.texts("code.totp").pop().expect("a current code");
    assert!(
        code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
        "{code}"
    );
    assert!(
        page.texts(".countdown")[0].ends_with("s left"),
        "its time left"
    );

    let uri =
        "otpauth://totp/Acme:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&digits=8";
    let with_uri = id_from(
        &b.post(&base, &[("name", "Portal"), ("otp_secret", uri)])
            .await
            .location,
    );
    let page = b.post(&format!("{base}/{with_uri}/reveal"), &[]).await;
    let code = page.texts("code.totp").pop().unwrap();
    assert!(
        code.len() == 8 && code.chars().all(|c| c.is_ascii_digit()),
        "eight digits from the link: {code}"
    );
}

#[actix_web::test]
async fn every_password_change_keeps_the_previous_one_revealable() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/credentials");
    let id = id_from(
        &b.post(&base, &[("name", "Router"), ("password", "first-pass")])
            .await
            .location,
    );
    b.post(
        &format!("{base}/{id}"),
        &[("name", "Router"), ("password", "second-pass")],
    )
    .await;
    b.post(
        &format!("{base}/{id}"),
        &[("name", "Router renamed"), ("password", "")],
    )
    .await;
    b.post(
        &format!("{base}/{id}"),
        &[("name", "Router"), ("password", "third-pass")],
    )
    .await;
    let rows: Vec<String> = secret_history::table
        .select(secret_history::value)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        rows.len(),
        2,
        "a blank edit keeps the password and adds no history"
    );
    assert!(rows
        .iter()
        .all(|v| v.starts_with("v1:") && !v.contains("pass")));
    let page = b.post(&format!("{base}/{id}/reveal"), &[]).await;
    let secrets = page.texts("code.secret").join("|");
    assert!(secrets.starts_with("third-pass"), "{secrets}");
    assert!(
        secrets.contains(": second-pass") && secrets.contains(": first-pass"),
        "{secrets}"
    );
}

/// Every stored secret with where it lives, from the resource registry (so a new
/// resource with a secret is covered here without being named), plus earlier values.
fn secrets(app: &TestApp) -> Vec<(SecretRef<'static>, String)> {
    struct Collect<'a>(&'a mut AnyConnection, Vec<(SecretRef<'static>, String)>);
    impl Visitor for Collect<'_> {
        fn visit<R: Resource>(&mut self) {
            for s in R::all_secrets(self.0, &EveryTenant::for_tests()).unwrap() {
                let at = write::secret_ref::<R>(&s.scope, s.id, s.field);
                self.1.push((at, s.value));
            }
        }
    }
    let mut conn = app.conn();
    let mut c = Collect(&mut conn, vec![]);
    registry::each(&mut c);
    let mut out = c.1;
    let history: Vec<(i64, i64, String)> = secret_history::table
        .select((
            secret_history::id,
            secret_history::tenant_id,
            secret_history::value,
        ))
        .load(&mut conn)
        .unwrap();
    for (id, t, v) in history {
        out.push((mspdesk::domain::resource::history::at(t, id), v));
    }
    out
}

/// Every secret field of every registered resource is stored in its own column and
/// so re-sealed by a rotation: a secret field without one would silently not be kept.
#[test]
fn every_secret_field_of_every_resource_has_a_sealed_column() {
    struct Check;
    impl Visitor for Check {
        fn visit<R: Resource>(&mut self) {
            let fields: Vec<&str> = secret_fields::<R>().map(|f| f.name).collect();
            assert_eq!(fields, R::SECRETS, "{}", R::SLUG);
        }
    }
    registry::each(&mut Check);
}

#[actix_web::test]
async fn rotating_the_key_keeps_every_secret_readable_under_the_new_key_only() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let cred = id_from(
        &b.post(
            &format!("/clients/{cid}/credentials"),
            &[
                ("name", "VPN"),
                ("password", "pw-one"),
                ("otp_secret", SEED),
            ],
        )
        .await
        .location,
    );
    b.post(
        &format!("/clients/{cid}/credentials/{cred}"),
        &[("name", "VPN"), ("password", "pw-two")],
    )
    .await;
    b.post(
        &format!("/clients/{cid}/licenses"),
        &[("name", "AV"), ("seats", "2"), ("license_key", "KEY-123")],
    )
    .await;
    let before: Vec<String> = secrets(&app)
        .iter()
        .map(|(at, v)| app.vault.open_secret(*at, v).unwrap())
        .collect();
    assert_eq!(before.len(), 4);

    let (count, backup) = mspdesk::ops::rotate::rotate(&mut app.conn(), &app.data_dir).unwrap();
    assert_eq!(count, 4);
    let old = Vault::from_key(&std::fs::read(&backup).unwrap());
    let new = Vault::open(&app.data_dir).unwrap();
    let after = secrets(&app);
    let opened: Vec<String> = after
        .iter()
        .map(|(at, v)| new.open_secret(*at, v).unwrap())
        .collect();
    assert_eq!(opened, before, "every secret reads the same");
    assert!(
        after
            .iter()
            .all(|(at, v)| old.open_secret(*at, v) == Err(VaultError::Tampered)),
        "no row is left under the old key"
    );
    assert!(!app.data_dir.join("vault.key.new").exists());

    // A secret that no longer opens stops the rotation, and nothing changes.
    diesel::update(client_licenses::table)
        .set(client_licenses::license_key.eq("v1:00"))
        .execute(&mut app.conn())
        .unwrap();
    let snapshot = secrets(&app);
    assert!(mspdesk::ops::rotate::rotate(&mut app.conn(), &app.data_dir).is_err());
    assert_eq!(
        secrets(&app)
            .iter()
            .map(|s| s.1.clone())
            .collect::<Vec<_>>(),
        snapshot.iter().map(|s| s.1.clone()).collect::<Vec<_>>()
    );
    assert!(
        Vault::open(&app.data_dir)
            .unwrap()
            .open_secret(after[0].0, &after[0].1)
            .is_ok(),
        "the key file is unchanged"
    );
}

/// `mspdesk` run as an operator would, with only the data directory set.
fn mspdesk_cli(
    data_dir: &std::path::Path,
    cwd: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mspdesk"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .env("MSPDESK_DATA_DIR", data_dir)
        .env("MSPDESK_JOB_WORKERS", "1")
        .output()
        .unwrap()
}

#[test]
fn the_data_directory_holds_the_database_beside_its_vault_key() {
    let top = tempfile::tempdir().unwrap();
    let (data, elsewhere) = (top.path().join("data"), top.path().join("elsewhere"));
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = mspdesk_cli(&data, &elsewhere, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        data.join("mspdesk.db").exists(),
        "the database is in the data directory"
    );
    assert!(
        !elsewhere.join("data").exists(),
        "nothing lands in the working directory"
    );
}

#[actix_web::test]
async fn a_missing_vault_key_beside_sealed_secrets_stops_the_start() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let made = b
        .post(
            &format!("/clients/{cid}/credentials"),
            &[("name", "VPN"), ("password", "pw-one")],
        )
        .await;
    assert_eq!(made.status, 303);
    std::fs::remove_file(app.data_dir.join("vault.key")).unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mspdesk"))
        .arg("worker")
        .env("DATABASE_URL", &app.url)
        .env("MSPDESK_DATA_DIR", &app.data_dir)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the worker refused to start");
    assert!(
        said.contains("holds 1 sealed secrets") && said.contains("vault.key does not exist"),
        "{said}"
    );
    assert!(
        !app.data_dir.join("vault.key").exists(),
        "no new key was made"
    );
}
