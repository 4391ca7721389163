//! File upload, download, archive and hard delete.

use diesel::prelude::*;
use mspdesk::domain::schema::client_files;

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

/// A multipart body by hand: the CSRF token first, then `parts`, then a file.
fn multipart(csrf: &str, parts: &[(String, String)], file: (&str, &[u8])) -> Vec<u8> {
    let mut body = Vec::new();
    let mut part = |headers: String, value: &[u8]| {
        body.extend_from_slice(format!("--XB\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"csrf_token\"".into(),
        csrf.as_bytes(),
    );
    for (name, value) in parts {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    part(
        format!(
            "Content-Disposition: form-data; name=\"file\"; filename=\"{}\"",
            file.0
        ),
        file.1,
    );
    body.extend_from_slice(b"--XB--\r\n");
    body
}

#[actix_web::test]
async fn a_connection_cut_mid_upload_leaves_no_file_behind() {
    use std::io::Write;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let body = multipart(&b.csrf, &[], ("half.bin", &[b'x'; 300 * 1024]));
    let host = app.base.trim_start_matches("http://").to_string();
    let mut socket = std::net::TcpStream::connect(&host).unwrap();
    let head = format!(
        "POST /clients/{cid}/files HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary=XB\r\nContent-Length: {}\r\n\r\n",
        b.cookie_header(),
        body.len() + 700 * 1024,
    );
    socket.write_all(head.as_bytes()).unwrap();
    socket.write_all(&body[..body.len() - 10]).unwrap();
    let mut seen = false;
    for _ in 0..50 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        if !stored_files(&app).is_empty() {
            seen = true;
            break;
        }
    }
    assert!(seen, "the partial file was being written");
    drop(socket);
    for _ in 0..50 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        if stored_files(&app).is_empty() {
            break;
        }
    }
    assert!(
        stored_files(&app).is_empty(),
        "the partial file was removed"
    );
}

#[actix_web::test]
async fn too_many_fields_or_too_much_text_is_refused() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let (http, base) = b.raw();
    let send = |body: Vec<u8>| {
        http.post(format!("{base}/clients/{cid}/files"))
            .header("content-type", "multipart/form-data; boundary=XB")
            .body(body)
            .send()
    };
    let many: Vec<(String, String)> = (0..40).map(|i| (format!("f{i}"), "x".into())).collect();
    let r = send(multipart(&b.csrf, &many, ("a.txt", b"hi")))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let bulky: Vec<(String, String)> = (0..4)
        .map(|i| (format!("f{i}"), "x".repeat(90_000)))
        .collect();
    let r = send(multipart(&b.csrf, &bulky, ("a.txt", b"hi")))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let nul = vec![("name".to_string(), "a\0b".to_string())];
    let r = send(multipart(&b.csrf, &nul, ("a.txt", b"hi")))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(stored_files(&app).is_empty());
}

#[actix_web::test]
async fn the_multipart_csrf_token_is_read_from_the_body_not_the_url() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let (http, base) = b.raw();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"hi".to_vec()).file_name("a.txt"),
    );
    let r = http
        .post(format!("{base}/clients/{cid}/files?csrf_token={}", b.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a token in the address is not accepted");
    let page = b.get(&format!("/clients/{cid}/files/new")).await;
    let first = page
        .html()
        .select(&scraper::Selector::parse("form[enctype] input").unwrap())
        .next()
        .and_then(|e| e.value().attr("name").map(str::to_string));
    assert_eq!(
        first.as_deref(),
        Some("csrf_token"),
        "the form sends it first"
    );
    assert!(!page.body.contains("?csrf_token="));
}

#[actix_web::test]
async fn downloads_are_bytes_in_a_sandbox_with_their_exact_name() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/files");
    let get = |name: &'static str, bytes: &'static [u8]| {
        let (b, base) = (&b, base.clone());
        async move {
            let made = b.upload(&base, name, bytes.to_vec(), &[]).await;
            assert_eq!(made.status, 303, "{}", made.body);
            b.get_raw(&format!("{}/download", made.location)).await
        }
    };
    let js = get("evil.js", b"alert(1)").await;
    let header =
        |r: &reqwest::Response, h: &str| r.headers().get(h).unwrap().to_str().unwrap().to_string();
    assert_eq!(header(&js, "content-type"), "application/octet-stream");
    assert!(header(&js, "content-security-policy").starts_with("sandbox"));
    assert!(header(&js, "content-disposition").starts_with("attachment"));
    let png = get("chart.png", b"\x89PNG\r\n").await;
    assert_eq!(header(&png, "content-type"), "image/png");
    let named = get("Prüfbericht März.pdf", b"%PDF-1.4").await;
    let disposition = header(&named, "content-disposition");
    assert!(
        disposition.contains("filename*=UTF-8''Pr%C3%BCfbericht%20M%C3%A4rz.pdf"),
        "{disposition}"
    );
    assert!(disposition.is_ascii());
}

/// A process killed mid-upload, or between committing a file's row and giving the file
/// its name, leaves `.part` files; the next start finishes the one a row names and
/// removes the other.
#[actix_web::test]
async fn a_restart_finishes_a_committed_upload_and_removes_a_killed_one() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let content = b"signed contract".to_vec();
    let up = tech
        .upload(
            &format!("/clients/{cid}/files"),
            "contract.pdf",
            content.clone(),
            &[],
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    let id = id_from(&up.location);
    let stored: String = client_files::table
        .find(id)
        .select(client_files::file_path)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored_files(&app),
        vec![stored.clone()],
        "only the final name"
    );

    // What a kill -9 leaves: the committed row's file not yet renamed, and a file whose
    // upload never reached its row. Both were last written an hour ago.
    let files = app.data_dir.join("files");
    let committed = files.join(format!("{stored}.part"));
    std::fs::rename(files.join(&stored), &committed).unwrap();
    let killed = files.join("k1lledmidupload0.part");
    std::fs::write(&killed, b"half of a fi").unwrap();
    for path in [&committed, &killed] {
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .unwrap();
    }
    let download = format!("/clients/{cid}/files/{id}/download");
    assert_ne!(tech.get_raw(&download).await.status(), 200);

    let mut config = mspdesk::platform::config::Config::new(app.url.clone(), &app.data_dir);
    config.bind = "127.0.0.1:0".into();
    config.job_workers = 0;
    mspdesk::startup::Application::with_pool(&config, app.pool.clone()).expect("restarts");

    assert_eq!(stored_files(&app), vec![stored.clone()]);
    let resp = tech.get_raw(&download).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().to_vec(), content);
}
