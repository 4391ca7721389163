//! Credential passwords and license keys: sealed at rest, in no page until revealed,
//! kept on a blank edit, and a tampered or moved ciphertext fails with a clear message.

use diesel::prelude::*;
use mspdesk::domain::schema::{client_credentials, client_licenses};

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

const PASSWORD: &str = "Tr0ub4dor&3-horse";
const KEY: &str = "ABCD-1234-EFGH-SECRET";

fn stored_password(app: &TestApp, id: i64) -> String {
    client_credentials::table
        .find(id)
        .select(client_credentials::password)
        .first::<Option<String>>(&mut app.conn())
        .unwrap()
        .unwrap()
}

#[actix_web::test]
async fn secrets_are_sealed_and_shown_only_after_reveal() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let cred = id_from(
        &b.post(
            &format!("/clients/{cid}/credentials"),
            &[
                ("name", "Firewall"),
                ("username", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await
        .location,
    );
    let lic = id_from(
        &b.post(
            &format!("/clients/{cid}/licenses"),
            &[("name", "Office"), ("seats", "5"), ("license_key", KEY)],
        )
        .await
        .location,
    );

    let raw = stored_password(&app, cred);
    assert!(
        raw.starts_with("v1:") && !raw.contains(PASSWORD),
        "stored sealed: {raw}"
    );
    let raw_key: Option<String> = client_licenses::table
        .find(lic)
        .select(client_licenses::license_key)
        .first(&mut app.conn())
        .unwrap();
    assert!(!raw_key.unwrap().contains(KEY));

    for path in [
        format!("/clients/{cid}/credentials"),
        format!("/clients/{cid}/credentials/{cred}"),
        format!("/clients/{cid}/credentials/{cred}/edit"),
        format!("/clients/{cid}/licenses"),
        format!("/clients/{cid}/licenses/{lic}"),
        format!("/clients/{cid}/licenses/{lic}/edit"),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("Tr0ub4dor") && !page.body.contains("SECRET"),
            "{path} shows a secret"
        );
    }
    assert!(b
        .get(&format!("/clients/{cid}/credentials/{cred}"))
        .await
        .body
        .contains("(hidden)"));

    let revealed = b
        .post(&format!("/clients/{cid}/credentials/{cred}/reveal"), &[])
        .await;
    assert_eq!(revealed.status, 200);
    assert!(revealed
        .texts("code.secret")
        .contains(&PASSWORD.to_string()));
    let lic_revealed = b
        .post(&format!("/clients/{cid}/licenses/{lic}/reveal"), &[])
        .await;
    assert!(lic_revealed.texts("code.secret").contains(&KEY.to_string()));

    // A blank password on edit keeps the stored one; a new one replaces it.
    b.post(
        &format!("/clients/{cid}/credentials/{cred}"),
        &[("name", "Firewall"), ("username", "root"), ("password", "")],
    )
    .await;
    let again = b
        .post(&format!("/clients/{cid}/credentials/{cred}/reveal"), &[])
        .await;
    assert!(
        again.texts("code.secret").contains(&PASSWORD.to_string()),
        "blank edit kept the password"
    );
    b.post(
        &format!("/clients/{cid}/credentials/{cred}"),
        &[("name", "Firewall"), ("password", "n3w-pass")],
    )
    .await;
    let newer = b
        .post(&format!("/clients/{cid}/credentials/{cred}/reveal"), &[])
        .await;
    assert!(newer.texts("code.secret").contains(&"n3w-pass".to_string()));

    // Another tenant cannot reveal.
    let intruder = app.login(&app.b.admin).await;
    assert_eq!(
        intruder
            .post(&format!("/clients/{cid}/credentials/{cred}/reveal"), &[])
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn a_tampered_or_moved_ciphertext_fails_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.admin).await;
    let base = format!("/clients/{cid}/credentials");
    let one = id_from(
        &b.post(&base, &[("name", "One"), ("password", "first-secret")])
            .await
            .location,
    );
    let two = id_from(
        &b.post(&base, &[("name", "Two"), ("password", "second-secret")])
            .await
            .location,
    );

    let mut sealed = stored_password(&app, one).into_bytes();
    let last = sealed.len() - 1;
    sealed[last] = if sealed[last] == b'0' { b'1' } else { b'0' };
    diesel::update(client_credentials::table.find(one))
        .set(client_credentials::password.eq(String::from_utf8(sealed).unwrap()))
        .execute(&mut app.conn())
        .unwrap();
    let page = b.post(&format!("{base}/{one}/reveal"), &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("failed its integrity check"), "tampered");
    assert!(!page.body.contains("first-secret"));

    let copied = stored_password(&app, two);
    let three = id_from(
        &b.post(&base, &[("name", "Three"), ("password", "third")])
            .await
            .location,
    );
    diesel::update(client_credentials::table.find(three))
        .set(client_credentials::password.eq(copied))
        .execute(&mut app.conn())
        .unwrap();
    let page = b.post(&format!("{base}/{three}/reveal"), &[]).await;
    assert!(
        page.body.contains("failed its integrity check"),
        "moved to another row"
    );
    assert!(!page.body.contains("second-secret"));
}

#[actix_web::test]
async fn a_dump_of_the_database_holds_no_plain_secret() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/credentials");
    let first = [
        ("name", "VPN"),
        ("password", "plain-needle-4711"),
        ("otp_secret", "JBSWY3DPEHPK3PXPJBSWY3DP"),
    ];
    let cred = id_from(&b.post(&base, &first).await.location);
    b.post(
        &format!("{base}/{cred}"),
        &[("name", "VPN"), ("password", "plain-needle-4713")],
    )
    .await;
    let key = [
        ("name", "AV"),
        ("seats", "3"),
        ("license_key", "KEY-needle-4712"),
    ];
    b.post(&format!("/clients/{cid}/licenses"), &key).await;
    let bytes = match app.pg_schema() {
        // PostgreSQL: what pg_dump writes of this test's schema.
        Some((url, schema)) => {
            let args = [
                "--dbname",
                url.as_str(),
                "--schema",
                schema.as_str(),
                "--data-only",
            ];
            std::process::Command::new("pg_dump")
                .args(args)
                .output()
                .expect("pg_dump runs")
                .stdout
        }
        // SQLite: the database file and its write-ahead log.
        None => {
            let mut bytes = vec![];
            for entry in std::fs::read_dir(&app.data_dir).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("test.db")
                {
                    bytes.extend(std::fs::read(&path).unwrap());
                }
            }
            bytes
        }
    };
    assert!(!bytes.is_empty());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("needle-47") && !text.contains("JBSWY3DP"),
        "a plain secret is in the dump"
    );
    assert!(text.contains("VPN"), "the check reads the real file");
}
