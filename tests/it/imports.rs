//! Data in: an admin uploads a file, reads the dry run's report row by row, then
//! imports it all or nothing. CSV files are made here: ITFlow's positional templates,
//! a header-named set with shuffled columns, files that are not CSV at all (archives:
//! `imports_archives`).

use diesel::prelude::*;
use mspdesk::domain::documentation::credentials::Credentials;
use mspdesk::domain::policy::Role;
use mspdesk::domain::resource::service;
use mspdesk::domain::schema::{
    audit_log, client_contacts, client_credentials, client_locations, clients, imports,
};
use mspdesk::domain::scope::{ClientId, RecordId};

use crate::browser::{Browser, Page};
use crate::fixtures;
use crate::helpers::{id_from, TestApp};

/// Uploads a file for its dry run and follows to the report.
pub async fn check(
    b: &Browser,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (Page, i64) {
    let up = b.upload("/admin/import", name, bytes, fields).await;
    assert_eq!(up.status, 303, "the file is accepted: {}", up.body);
    let id = id_from(&up.location);
    let report = b.get(&up.location).await;
    assert_eq!(report.status, 200);
    (report, id)
}

/// The tenant's export with its secrets, for `reason`: the ZIP's bytes.
pub async fn export_with_secrets(b: &Browser, reason: &str) -> Vec<u8> {
    let response = b
        .raw()
        .0
        .post(format!("{}/admin/export", b.raw().1))
        .form(&[
            ("csrf_token", b.csrf.as_str()),
            ("secrets", "1"),
            ("reason", reason),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    response.bytes().await.unwrap().to_vec()
}

/// The report's rows as (record, action, notes).
pub fn rows(page: &Page) -> Vec<(String, String, String)> {
    let html = page.html();
    let tr = scraper::Selector::parse("table.list tbody tr").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    html.select(&tr)
        .map(|r| {
            let cells: Vec<String> = r
                .select(&td)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect();
            (cells[2].clone(), cells[4].clone(), cells[5].clone())
        })
        .collect()
}

macro_rules! count {
    ($app:expr, $t:path) => {{
        use $t as t;
        t::table
            .count()
            .get_result::<i64>(&mut $app.conn())
            .unwrap()
    }};
}

#[actix_web::test]
async fn itflow_templates_import_clients_with_their_first_location_and_contact() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let csv = "Client Name,Industry,Referral,Website,Location Name,Location Phone,Location Address,City,State,Postal Code,Country,Contact Name,Title,Contact Phone,Extension,Contact Mobile,Contact Email,Hourly Rate,Currency,Payment Terms,Tax ID,Abbreviation\n\
        Harbor Dental,Healthcare,Friend,harbor.test,HQ,555-0100,1 Quay St,Portsmouth,NH,03801,US,Mia Chen,Office manager,,12,555-0199,mia@harbor.test,\"$145.00\",USD,15,,HD\n\
        Blue Fern Law,Legal,,,,,,,,,,,,,,,,,,,,\n";
    let (report, id) = check(
        &b,
        "itflow-clients.csv",
        csv.as_bytes().to_vec(),
        &[("kind", "clients"), ("layout", "itflow")],
    )
    .await;
    let r = rows(&report);
    assert_eq!(r.iter().filter(|x| x.1 == "create").count(), 4, "{r:?}");
    assert!(
        report.body.contains("Referral"),
        "ignored columns are listed"
    );
    assert_eq!(
        count!(app, mspdesk::domain::schema::clients),
        0,
        "a dry run writes nothing"
    );

    let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let flash = b.get(&done.location).await;
    assert!(flash.body.contains("4 created"), "{}", flash.body);
    let (cid, rate, terms): (i64, i64, i32) = clients::table
        .filter(clients::name.eq("Harbor Dental"))
        .select((clients::id, clients::hourly_rate, clients::net_terms))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((rate, terms), (14_500, 15));
    let (loc, primary): (String, bool) = client_locations::table
        .filter(client_locations::client_id.eq(cid))
        .select((client_locations::name, client_locations::is_primary))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((loc.as_str(), primary), ("HQ", true));
    let (contact, phone, mobile): (String, Option<String>, Option<String>) = client_contacts::table
        .filter(client_contacts::client_id.eq(cid))
        .select((
            client_contacts::name,
            client_contacts::phone,
            client_contacts::mobile,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(contact, "Mia Chen");
    assert_eq!(
        (phone.as_deref(), mobile.as_deref()),
        (None, Some("555-0199")),
        "the mobile number is the mobile"
    );
    let country: Option<String> = client_locations::table
        .filter(client_locations::client_id.eq(cid))
        .select(client_locations::country)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(country.as_deref(), Some("US"), "the site's country is kept");
    let audits: i64 = audit_log::table
        .filter(audit_log::action.eq("import"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audits, 1, "one audit entry for the whole import");
    let batches: i64 = imports::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(batches, 0, "the committed upload is gone");

    // ITFlow's credentials template into the client chosen on the form.
    let creds = "Name,Description,Username,Password,TOTP,URI\nFirewall,Edge,admin,S3cret!,JBSW Y3DP EHPK 3PXP,https://fw.harbor.test\n";
    let (_, id) = check(
        &b,
        "creds.csv",
        creds.as_bytes().to_vec(),
        &[
            ("kind", "credentials"),
            ("layout", "itflow"),
            ("client", "harbor dental"),
        ],
    )
    .await;
    assert_eq!(
        b.post(&format!("/admin/import/{id}/commit"), &[])
            .await
            .status,
        303
    );
    let who = crate::finance::who(&app, &app.a, &app.a.admin, Role::Admin);
    let cred: i64 = client_credentials::table
        .select(client_credentials::id)
        .first(&mut app.conn())
        .unwrap();
    let shown = service::reveal::<Credentials>(
        &mut app.conn(),
        &who,
        &app.vault,
        ClientId(cid),
        RecordId(cred),
        "test",
        false,
    )
    .unwrap()
    .unwrap();
    let values: Vec<&str> = shown.iter().map(|r| r.value.as_str()).collect();
    assert!(values.contains(&"S3cret!"), "{values:?}");
    assert!(
        values.contains(&"JBSWY3DPEHPK3PXP"),
        "the seed is normalised: {values:?}"
    );

    // A template of the wrong width is told, not guessed.
    let wrong = b
        .upload(
            "/admin/import",
            "c.csv",
            b"Name,Title\nA,B\n".to_vec(),
            &[
                ("kind", "contacts"),
                ("layout", "itflow"),
                ("client", "Harbor Dental"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains("template has 8 columns; this file has 2"),
        "{}",
        wrong.body
    );
}

#[actix_web::test]
async fn header_named_columns_in_any_order_update_on_a_second_import() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    fixtures::client(&mut app.conn(), app.a.id, "Birch Accounting");
    let b = app.login(&app.a.admin).await;
    // A BOM, semicolons, shuffled and renamed columns, two people of one name.
    let csv = "\u{feff}E-Mail Address;Organisation;FULL_NAME;job-title;VIP;Fax\n\
        ada@acme.test;Acme Dental;Ada Lovelace;CTO;yes;1\n\
        jd1@birch.test;Birch Accounting;Jane Doe;;no;\n\
        jd2@birch.test;Birch Accounting;Jane Doe;Intern;;\n";
    let (report, id) = check(
        &b,
        "people.csv",
        csv.as_bytes().to_vec(),
        &[("kind", "contacts")],
    )
    .await;
    let r = rows(&report);
    assert_eq!(
        r.iter().filter(|x| x.1 == "create").count(),
        3,
        "two people of one name stay two: {r:?}"
    );
    assert!(report.body.contains("Fax"));
    let hits = |page: crate::browser::Page| page.hrefs("ul.hits a");
    assert!(
        hits(b.get("/search?q=lovelace").await).is_empty(),
        "a dry run leaves nothing to find"
    );
    assert_eq!(
        b.post(&format!("/admin/import/{id}/commit"), &[])
            .await
            .status,
        303
    );
    // A file saved by a Windows spreadsheet (Windows-1252) with CRLF line ends.
    let (latin1, _) = check(
        &b,
        "latin1.csv",
        b"Client;Name;Title\r\nAcme Dental;Jos\xe9 Mu\xf1oz;Gesch\xe4ftsf\xfchrer\r\nNowhere;Bob;\r\n"
            .to_vec(),
        &[("kind", "contacts")],
    )
    .await;
    assert!(
        latin1.body.contains("latin1.csv was read as Windows-1252"),
        "the report says which encoding was read"
    );
    let r = rows(&latin1);
    assert!(r.iter().any(|x| x.0 == "José Muñoz"), "{r:?}");
    assert!(
        latin1.body.contains("latin1.csv:3"),
        "CRLF lines are counted right"
    );
    let (title, important): (Option<String>, bool) = client_contacts::table
        .filter(client_contacts::email.eq("ada@acme.test"))
        .select((client_contacts::title, client_contacts::important))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((title.as_deref(), important), (Some("CTO"), true));

    // The same file again changes nothing; one changed cell is an update.
    let (again, _) = check(
        &b,
        "people.csv",
        csv.as_bytes().to_vec(),
        &[("kind", "contacts")],
    )
    .await;
    assert!(
        rows(&again).iter().all(|x| x.1 == "skip"),
        "{:?}",
        rows(&again)
    );
    let changed = csv.replace(";CTO;", ";Chief technology officer;");
    let (upd, id) = check(
        &b,
        "people.csv",
        changed.into_bytes(),
        &[("kind", "contacts")],
    )
    .await;
    let r = rows(&upd);
    assert_eq!(r.iter().filter(|x| x.1 == "update").count(), 1, "{r:?}");
    let update = r.iter().find(|x| x.1 == "update").unwrap();
    assert!(
        update.2.contains("Title: CTO → Chief technology officer"),
        "the dry run shows what an update changes: {update:?}"
    );
    assert_eq!(
        b.post(&format!("/admin/import/{id}/commit"), &[])
            .await
            .status,
        303
    );
    assert_eq!(count!(app, mspdesk::domain::schema::client_contacts), 3);
    // Imported rows are found by search, by what the last import wrote.
    assert_eq!(hits(b.get("/search?q=jane%20doe").await).len(), 2);
    assert_eq!(hits(b.get("/search?q=lovelace%20chief").await).len(), 1);
    assert!(hits(b.get("/search?q=lovelace%20cto").await).is_empty());
}

#[actix_web::test]
async fn a_failing_row_leaves_the_database_unchanged_unless_the_good_rows_are_chosen() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let b = app.login(&app.a.admin).await;
    let csv = "Client,Name,E-mail\nAcme Dental,Ada,ada@acme.test\nAcme Dental,Bob,not-an-address\nNowhere Ltd,Cy,cy@x.test\n";
    let (report, id) = check(
        &b,
        "bad.csv",
        csv.as_bytes().to_vec(),
        &[("kind", "contacts")],
    )
    .await;
    let r = rows(&report);
    let errors: Vec<_> = r.iter().filter(|x| x.1 == "error").collect();
    assert_eq!(
        errors.len(),
        1,
        "only a row that cannot be a record fails: {r:?}"
    );
    assert!(
        report.body.contains("bad.csv:4"),
        "the line number is shown"
    );
    let bob = r.iter().find(|x| x.0 == "Bob").expect("Bob's row");
    assert_eq!(bob.1, "create", "an unusable optional cell is no error");
    assert!(
        bob.2
            .contains("Stored without its e-mail (\"not-an-address\")"),
        "and is said: {bob:?}"
    );
    assert!(
        report.body.contains("There is no client named"),
        "{}",
        report.body
    );
    assert_eq!(
        report.texts("form[action$=commit] button"),
        ["Import the 2 good rows and skip the 1 listed"],
        "no plain import while a row fails; the good rows can go in alone"
    );

    let refused = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Nothing was imported"));
    assert_eq!(
        count!(app, mspdesk::domain::schema::client_contacts),
        0,
        "the good row was not kept either"
    );
    let audits: i64 = audit_log::table
        .filter(audit_log::action.eq("import"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audits, 0);

    // The rows to fix, as a CSV that imports again: the file's own columns and why.
    let skipped = b.get(&format!("/admin/import/{id}/skipped.csv")).await;
    assert_eq!(skipped.status, 200);
    let lines: Vec<&str> = skipped
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .collect();
    assert_eq!(lines[0], "Client,Name,E-mail,Import error");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].starts_with("Nowhere Ltd,Cy,cy@x.test,") && lines[1].contains("no client named"),
        "{lines:?}"
    );

    // The user's choice: the good rows in, the listed ones skipped.
    let done = b
        .post(
            &format!("/admin/import/{id}/commit"),
            &[("skip_failed", "1")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let flash = b.get(&done.location).await;
    assert!(
        flash
            .body
            .contains("2 created, 0 updated, 0 unchanged, 1 rows with errors skipped"),
        "{}",
        flash.body
    );
    assert_eq!(count!(app, mspdesk::domain::schema::client_contacts), 2);
    let audits: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("import"))
        .select(audit_log::changes)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        audits[0].contains("\"failed_and_left_out\":1"),
        "{audits:?}"
    );
}

#[actix_web::test]
async fn files_that_are_not_csv_get_a_clear_message_and_the_form_back() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let b = app.login(&app.a.admin).await;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "sheet.xlsx",
            b"\x50\x4b\x03\x04binary\x00zip".to_vec(),
            "not a readable ZIP",
        ),
        (
            "ragged.csv",
            b"Name,E-mail,Phone\nAda,a@x.test,1\nBob,b@x.test\n".to_vec(),
            "Line 3 has 2 columns where the header has 3",
        ),
        (
            "colons.csv",
            b"Name:E-mail\nAda:a@x.test\n".to_vec(),
            "None of the columns",
        ),
    ];
    for (name, bytes, message) in cases {
        let page = b
            .upload(
                "/admin/import",
                name,
                bytes,
                &[("kind", "contacts"), ("client", "Acme Dental")],
            )
            .await;
        assert_eq!(page.status, 422, "{name}");
        assert!(page.body.contains(message), "{name}: {}", page.body);
        assert_eq!(
            page.input("client").as_deref(),
            Some("Acme Dental"),
            "the form keeps its input"
        );
    }
    let nul = b
        .upload(
            "/admin/import",
            "x.csv",
            b"Name\nA\x00B\n".to_vec(),
            &[("kind", "contacts"), ("client", "Acme Dental")],
        )
        .await;
    assert!(nul.body.contains("binary data"), "{}", nul.body);
    let no_client = b
        .upload(
            "/admin/import",
            "c.csv",
            b"Name\nAda\n".to_vec(),
            &[("kind", "contacts")],
        )
        .await;
    assert!(
        no_client.body.contains("no client column"),
        "{}",
        no_client.body
    );
    assert_eq!(
        count!(app, mspdesk::domain::schema::imports),
        0,
        "nothing is kept of a file that cannot be read"
    );
}

#[actix_web::test]
async fn all_day_rows_need_no_time_and_whole_amounts_import_again_unchanged() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Acme Dental");
    let b = app.login(&app.a.admin).await;
    let events = "Client,Title,Starts,Ends,All day\n\
        Acme Dental,Office closed,2026-12-24,2026-12-24,Yes\n\
        Acme Dental,Patch night,2026-12-29,,No\n";
    let (report, id) = check(
        &b,
        "events.csv",
        events.as_bytes().to_vec(),
        &[("kind", "calendar")],
    )
    .await;
    let r = rows(&report);
    assert!(r.iter().all(|x| x.1 == "create"), "{r:?}");
    let closed = r.iter().find(|x| x.0 == "Office closed").unwrap();
    assert!(
        closed.2.is_empty(),
        "an all-day row needs no time: {closed:?}"
    );
    let patch = r.iter().find(|x| x.0 == "Patch night").unwrap();
    assert!(
        patch
            .2
            .contains("no time given (\"2026-12-29\"); read as 00:00"),
        "a timed row without its time is said: {patch:?}"
    );
    assert_eq!(
        b.post(&format!("/admin/import/{id}/commit"), &[])
            .await
            .status,
        303
    );

    // "0" and "1,150" are the stored 0.00 and 1150.00: the same file again is unchanged.
    let licences =
        "Client,Name,Cost,Seats\nAcme Dental,Free tool,0,5\nAcme Dental,Backup,\"1,150\",2\n";
    let (first, id) = check(
        &b,
        "licences.csv",
        licences.as_bytes().to_vec(),
        &[("kind", "licenses")],
    )
    .await;
    assert!(rows(&first).iter().all(|x| x.1 == "create"));
    b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    let (again, _) = check(
        &b,
        "licences.csv",
        licences.as_bytes().to_vec(),
        &[("kind", "licenses")],
    )
    .await;
    assert!(
        rows(&again).iter().all(|x| x.1 == "skip"),
        "{:?}",
        rows(&again)
    );
}
