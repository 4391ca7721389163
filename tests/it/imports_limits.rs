//! What an upload may cost: an archive counts against the upload limit by what it
//! unpacks to, a ZIP bomb is refused before it is read, and the import page shows the
//! dry run kept with the upload instead of reading the file again on every view.

use std::io::Write;

use diesel::prelude::*;
use mspdesk::domain::schema::imports;

use crate::fixtures;
use crate::helpers::TestApp;
use crate::imports::check;

/// A ZIP holding one `name` of `body`.
fn zipped(name: &str, body: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file(name, options).unwrap();
    w.write_all(body).unwrap();
    w.finish().unwrap().into_inner()
}

/// An IT Glue organisations file of `n` rows of varied text (it packs about 3:1).
fn organisations(n: usize) -> Vec<u8> {
    let mut out = String::from("id,name,organization_type,organization_status,quick_notes\n");
    let mut x: u64 = 88172645463325252;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(&format!(
            "{i},Org {x:x},Customer,Active,note {:x}\n",
            x.rotate_left(9)
        ));
    }
    out.into_bytes()
}

#[actix_web::test]
async fn an_archive_counts_by_what_it_unpacks_to_and_a_bomb_is_refused() {
    // The tests' upload limit is 1 MB.
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let cases = [
        (
            zipped("organizations.csv", &organisations(40_000)),
            "unpacks to more than 1 MB",
        ),
        (
            zipped("organizations.csv", &vec![b'0'; 200 * 1024 * 1024]),
            "organizations.csv unpacks to more than 100 times its packed size",
        ),
    ];
    for (bytes, message) in cases {
        assert!(bytes.len() < 1024 * 1024, "the upload itself is allowed");
        let page = b
            .upload("/admin/import", "export.zip", bytes, &[("kind", "archive")])
            .await;
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    let kept: i64 = imports::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(kept, 0, "nothing is kept of a refused archive");
    let files = std::fs::read_dir(app.data_dir.join("files"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "and no file is left behind");
}

#[actix_web::test]
async fn the_import_page_shows_the_kept_dry_run_until_asked_to_check_again() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let b = app.login(&app.a.admin).await;
    let csv = b"Name,Email\nAda Lovelace,ada@acme.test\nBob Byte,not-an-address\n".to_vec();
    let fields = [("kind", "contacts"), ("client", "Acme Dental")];
    let (first, id) = check(&b, "people.csv", csv, &fields).await;
    assert!(
        first.texts(".summary").join(" ").contains("2 to create"),
        "{}",
        first.body
    );
    assert!(first.body.contains("Checked against your data on"));

    // The stored file changes under the page: the page does not read it again.
    let stored: String = imports::table
        .find(id)
        .select(imports::stored_name)
        .first(&mut app.conn())
        .unwrap();
    let path = app.data_dir.join("files").join(&stored);
    std::fs::write(&path, b"Name,Email\nA,a@x.test\nB,b@x.test\nC,c@x.test\n").unwrap();
    let again = b.get(&format!("/admin/import/{id}")).await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.texts(".summary").join(" "),
        first.texts(".summary").join(" ")
    );
    assert!(
        again.statements.unwrap() <= 4,
        "no dry run: {:?}",
        again.statements
    );

    // Asked to, it checks again — and keeps what it found.
    let checked = b.post(&format!("/admin/import/{id}/check"), &[]).await;
    assert_eq!(checked.status, 303);
    let now = b.follow(&checked).await;
    assert!(
        now.texts(".summary").join(" ").contains("3 to create"),
        "{}",
        now.body
    );
    assert!(now.body.contains("Checked again against your data"));
    let later = b.get(&format!("/admin/import/{id}")).await;
    assert_eq!(
        later.texts(".summary").join(" "),
        now.texts(".summary").join(" ")
    );
}
