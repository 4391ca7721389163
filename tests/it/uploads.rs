//! File upload, download, archive and hard delete.

use diesel::prelude::*;
use mspdesk::db::schema::client_files;

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

fn stored_files(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(app.data_dir.join("files")) {
        Ok(dir) => dir
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => vec![],
    }
}

#[actix_web::test]
async fn an_upload_over_the_limit_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let big = vec![b'x'; 1024 * 1024 + 512 * 1024];
    let page = b
        .upload(
            &format!("/clients/{cid}/files"),
            "backup.zip",
            big,
            &[("category", "Backups")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error("file").as_deref(),
        Some("The file is larger than the 1 MB limit.")
    );
    assert_eq!(
        page.input("category").as_deref(),
        Some("Backups"),
        "the rest of the form is kept"
    );
    let rows: i64 = client_files::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(rows, 0);
    assert!(stored_files(&app).is_empty(), "no bytes left on disk");

    let none = b
        .upload(
            &format!("/clients/{cid}/files"),
            "",
            vec![],
            &[("name", "Nothing")],
        )
        .await;
    assert_eq!(none.status, 422);
    assert_eq!(
        none.field_error("file").as_deref(),
        Some("Choose a file to upload.")
    );
}

#[actix_web::test]
async fn upload_download_archive_and_hard_delete() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let content = b"%PDF-1.4 pretend contract\n".to_vec();
    let up = tech
        .upload(
            &format!("/clients/{cid}/files"),
            "../../etc/Contract 2026.pdf",
            content.clone(),
            &[],
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    let id = id_from(&up.location);
    let (name, path, size, mime): (String, String, i64, Option<String>) = client_files::table
        .find(id)
        .select((
            client_files::name,
            client_files::file_path,
            client_files::file_size,
            client_files::mime_type,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        name, "Contract 2026.pdf",
        "the name defaults to the file's own, without its path"
    );
    assert_eq!(size, content.len() as i64);
    assert_eq!(mime.as_deref(), Some("application/pdf"));
    assert!(
        !path.contains("Contract") && !path.contains('/'),
        "stored under a random name: {path}"
    );
    assert_eq!(stored_files(&app), vec![path.clone()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(app.data_dir.join("files").join(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "stored for the application only");
    }

    let resp = tech
        .get_raw(&format!("/clients/{cid}/files/{id}/download"))
        .await;
    assert_eq!(resp.status(), 200);
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment") && disposition.contains("Contract 2026.pdf"),
        "{disposition}"
    );
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), content);

    let intruder = app.login(&app.b.admin).await;
    assert_eq!(
        intruder
            .get_raw(&format!("/clients/{cid}/files/{id}/download"))
            .await
            .status(),
        404
    );

    assert_eq!(
        tech.post(&format!("/clients/{cid}/files/{id}/archive"), &[])
            .await
            .status,
        303
    );
    assert_eq!(
        stored_files(&app),
        vec![path.clone()],
        "archive keeps the bytes"
    );

    assert_eq!(
        tech.post(&format!("/clients/{cid}/files/{id}/delete"), &[])
            .await
            .status,
        403,
        "only an admin deletes"
    );
    assert_eq!(stored_files(&app).len(), 1);
    let admin = app.login(&app.a.admin).await;
    assert_eq!(
        intruder
            .post(&format!("/clients/{cid}/files/{id}/delete"), &[])
            .await
            .status,
        404
    );
    let gone = admin
        .post(&format!("/clients/{cid}/files/{id}/delete"), &[])
        .await;
    assert_eq!(gone.status, 303);
    let rows: i64 = client_files::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(rows, 0);
    assert!(
        stored_files(&app).is_empty(),
        "a hard delete removes the bytes"
    );
}
