//! The import corpus (`tests/corpus`): an IT Glue export, ITFlow's templates, Outlook's
//! and Google's contact exports and a Windows-1252 sheet, each with the edge cases a
//! migrating MSP meets. Each is imported as an admin would, checked for what landed,
//! and imported again: the second time nothing changes.

use std::io::Write;
use std::path::Path;

use diesel::prelude::*;
use mspdesk::domain::schema::{
    assets, client_certificates, client_contacts, client_credentials, client_documents,
    client_domains, client_locations, client_networks, clients,
};

use crate::browser::{Browser, Page};
use crate::fixtures;
use crate::helpers::TestApp;
use crate::imports::{check, rows};

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// A folder of the corpus as the ZIP its tool hands out (one top folder inside).
fn zipped(dir: &Path) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            w.start_file(
                format!("export-2026-12-01/{rel}"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            w.write_all(&std::fs::read(&path).unwrap()).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// Dry run, then commit; returns the dry run's report page.
async fn import(b: &Browser, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> Page {
    let (report, id) = check(b, name, bytes, fields).await;
    let errors: Vec<_> = rows(&report)
        .into_iter()
        .filter(|x| x.1 == "error")
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(done.status, 303, "{name}: {}", done.body);
    report
}

/// The same file again: every row unchanged.
async fn again_changes_nothing(b: &Browser, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) {
    let (report, _) = check(b, name, bytes, fields).await;
    let changed: Vec<_> = rows(&report)
        .into_iter()
        .filter(|x| x.1 != "skip")
        .collect();
    assert!(changed.is_empty(), "{name} imported again: {changed:?}");
}

fn note(page: &Page, title: &str) -> String {
    rows(page)
        .into_iter()
        .find(|x| x.0 == title)
        .unwrap_or_else(|| panic!("no row {title}: {:?}", rows(page)))
        .2
}

#[actix_web::test]
async fn an_it_glue_export_lands_whole_and_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let export = zipped(&corpus("itglue"));
    let archive = [("kind", "archive")];
    let report = import(&b, "itglue.zip", export.clone(), &archive).await;
    assert!(note(&report, "Acme Corp (2)").contains("imported as \"Acme Corp (2)\""));
    assert!(note(&report, "Vaulted").contains("placeholder"));
    assert!(note(&report, "Broken OTP").contains("Stored without its totp seed"));
    assert!(note(&report, "Onboarding").contains("unsafe HTML was removed"));
    assert!(note(&report, "Lost body").contains("holds no body for DOC-11-62"));
    assert!(note(&report, "Printer panel").contains("belonged to Document 13"));
    let wifi = note(&report, "Wi-Fi: Guest Wi-Fi");
    assert!(wifi.contains("flexible asset") && wifi.contains("Passphrase: looks like a secret"));
    assert!(
        report.body.contains("fax (1)") || report.body.contains("fax (1 "),
        "a column with no home is counted: {}",
        report.body
    );
    let conn = &mut *app.conn();

    let acme: (i64, Option<String>, Option<String>) = clients::table
        .filter(clients::name.eq("Acme Corp"))
        .select((clients::id, clients::alert, clients::notes))
        .first(conn)
        .unwrap();
    assert_eq!(
        acme.1.as_deref(),
        Some("After-hours changes need the owner's approval")
    );
    let notes = acme.2.unwrap_or_default();
    assert!(
        notes.contains("3 sites") && notes.contains("Front door code"),
        "{notes}"
    );

    let main: (Option<String>, Option<String>) = client_locations::table
        .filter(client_locations::name.eq("Main"))
        .select((client_locations::address_line_2, client_locations::country))
        .first(conn)
        .unwrap();
    assert_eq!(
        main,
        (Some("Suite 200".into()), Some("United States".into()))
    );

    let ada: (Option<String>, Option<String>, Option<i64>, Option<String>) = client_contacts::table
        .filter(client_contacts::name.eq("Ada Lovelace"))
        .select((
            client_contacts::email,
            client_contacts::phone,
            client_contacts::location_id,
            client_contacts::notes,
        ))
        .first(conn)
        .unwrap();
    assert_eq!(ada.0.as_deref(), Some("ada@acme.test"), "primary_email");
    assert_eq!(ada.1.as_deref(), Some("555-0101"), "primary_phone");
    assert!(ada.2.is_some(), "the contact's location");
    assert_eq!(ada.3.as_deref(), Some("Prefers Signal"));
    let jose: Option<String> = client_contacts::table
        .filter(client_contacts::name.eq("José Müller"))
        .select(client_contacts::email)
        .first(conn)
        .unwrap();
    assert_eq!(jose.as_deref(), Some("jose@birch.test"), "UTF-8 names");

    let fw: (i64, Option<String>, Option<String>) = assets::table
        .filter(assets::name.eq("FW01"))
        .select((assets::id, assets::hostname, assets::interfaces))
        .first(conn)
        .unwrap();
    assert_eq!(fw.1.as_deref(), Some("fw01.acme.local"));
    assert_eq!(
        fw.2.as_deref(),
        Some("wan1, 203.0.113.10, AA:BB:CC:DD:EE:01\nlan, 10.0.0.1, AA:BB:CC:DD:EE:FF")
    );
    let linked: Option<i64> = client_credentials::table
        .filter(client_credentials::name.eq("FW01 admin"))
        .select(client_credentials::asset_id)
        .first(conn)
        .unwrap();
    assert_eq!(
        linked,
        Some(fw.0),
        "the password belongs to its configuration"
    );
    let old_vpn: Option<chrono::NaiveDateTime> = client_credentials::table
        .filter(client_credentials::name.eq("Old VPN"))
        .select(client_credentials::deleted_at)
        .first(conn)
        .unwrap();
    assert!(old_vpn.is_some(), "archived in IT Glue, archived here");

    let docs: Vec<(String, i64, String)> = client_documents::table
        .select((
            client_documents::name,
            client_documents::client_id,
            client_documents::content,
        ))
        .order(client_documents::id)
        .load(conn)
        .unwrap();
    let body = |name: &str| docs.iter().find(|d| d.0 == name).unwrap().2.clone();
    let onboarding = body("Onboarding");
    assert!(onboarding.starts_with("# Onboarding"), "{onboarding}");
    assert!(
        onboarding.contains("| M365") && !onboarding.contains("alert"),
        "{onboarding}"
    );
    assert!(
        body("Backups").contains("Nightly to NAS"),
        "matched by locator, not by id"
    );
    assert_eq!(body("Lost body"), "");
    let wifi_doc = body("Wi-Fi: Guest Wi-Fi");
    assert!(
        wifi_doc.contains("ACME-Guest") && !wifi_doc.contains("Summer2026"),
        "{wifi_doc}"
    );

    let domain: (Option<String>, Option<chrono::NaiveDate>) = client_domains::table
        .select((client_domains::registrar, client_domains::expiry_date))
        .first(conn)
        .unwrap();
    assert_eq!(domain.0.as_deref(), Some("Gandi"));
    assert_eq!(domain.1, chrono::NaiveDate::from_ymd_opt(2027, 5, 1));
    let cert: (Option<String>, Option<String>) = client_certificates::table
        .select((client_certificates::domain, client_certificates::issuer))
        .first(conn)
        .unwrap();
    assert_eq!(
        cert,
        (
            Some("portal.acme.test".into()),
            Some("Let's Encrypt".into())
        )
    );

    again_changes_nothing(&b, "itglue.zip", export, &archive).await;
}

#[actix_web::test]
async fn itflow_templates_land_and_again_change_nothing() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let file = |n: &str| std::fs::read(corpus(&format!("itflow/{n}.csv"))).unwrap();
    let itflow = |kind: &'static str| {
        [
            ("kind", kind),
            ("layout", "itflow"),
            ("client", "Harbor Dental"),
        ]
    };
    const KINDS: [&str; 6] = [
        "clients",
        "contacts",
        "locations",
        "assets",
        "credentials",
        "networks",
    ];
    for kind in KINDS {
        import(&b, &format!("{kind}.csv"), file(kind), &itflow(kind)).await;
    }
    let conn = &mut *app.conn();
    let names: Vec<String> = clients::table
        .select(clients::name)
        .order(clients::name)
        .load(conn)
        .unwrap();
    assert_eq!(
        names,
        ["Blue Fern Law, PLLC", "Harbor Dental"],
        "quoted commas"
    );
    let noah: (Option<String>, Option<String>, Option<i64>) = client_contacts::table
        .filter(client_contacts::name.eq("Noah Park"))
        .select((
            client_contacts::phone,
            client_contacts::mobile,
            client_contacts::location_id,
        ))
        .first(conn)
        .unwrap();
    assert_eq!(noah.0.as_deref(), Some("555-0102"));
    assert_eq!(
        noah.1.as_deref(),
        Some("555-0198"),
        "the mobile beside the phone"
    );
    assert!(noah.2.is_some(), "the contact's location by name");
    let kate: i64 = client_contacts::table
        .filter(client_contacts::name.eq("O'Brien, Kate"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(kate, 1);
    let dns: Option<String> = client_networks::table
        .select(client_networks::dns_servers)
        .first(conn)
        .unwrap();
    assert!(
        dns.as_deref()
            .is_some_and(|d| d.contains("1.1.1.1") && d.contains("9.9.9.9")),
        "both DNS columns: {dns:?}"
    );
    let server_contact: Option<i64> = assets::table
        .filter(assets::name.eq("HD-SRV01"))
        .select(assets::contact_id)
        .first(conn)
        .unwrap();
    assert!(server_contact.is_some(), "assigned to Noah Park");
    for kind in KINDS {
        again_changes_nothing(&b, &format!("{kind}.csv"), file(kind), &itflow(kind)).await;
    }
}

#[actix_web::test]
async fn contact_exports_of_outlook_google_and_a_windows_spreadsheet_land_whole() {
    let app = TestApp::spawn().await;
    fixtures::client(&mut app.conn(), app.a.id, "Harbor Dental");
    let b = app.login(&app.a.admin).await;
    let contacts = [("kind", "contacts")];
    for file in [
        "outlook-contacts.csv",
        "google-contacts.csv",
        "windows-1252-contacts.csv",
    ] {
        let bytes = std::fs::read(corpus(file)).unwrap();
        let report = import(&b, file, bytes.clone(), &contacts).await;
        if file.starts_with("windows") {
            assert!(report.body.contains("was read as Windows-1252"));
        }
        if file.starts_with("outlook") {
            assert!(
                report.body.contains("outlook-contacts.csv: Title (2)"),
                "the courtesy title has no home and is counted: {}",
                report.body
            );
        }
        again_changes_nothing(&b, file, bytes, &contacts).await;
    }
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let all: Vec<Row> = client_contacts::table
        .select((
            client_contacts::name,
            client_contacts::title,
            client_contacts::email,
            client_contacts::phone,
            client_contacts::mobile,
            client_contacts::notes,
        ))
        .order(client_contacts::id)
        .load(&mut app.conn())
        .unwrap();
    let by = |name: &str| {
        all.iter()
            .find(|c| c.0 == name)
            .unwrap_or_else(|| panic!("{name}: {all:?}"))
    };
    let grace = by("Grace Brewster Hopper");
    assert_eq!(
        grace.1.as_deref(),
        Some("Chief, Systems"),
        "the job title, not \"Dr.\""
    );
    assert_eq!(grace.2.as_deref(), Some("grace@harbor.test"));
    assert_eq!(
        (grace.3.as_deref(), grace.4.as_deref()),
        (Some("555-0120"), Some("555-0121"))
    );
    let notes = grace.5.clone().unwrap_or_default();
    assert!(
        notes.contains("Says \"hello\" first") && notes.contains("grace.hopper@navy.test"),
        "the second address goes to the notes: {notes}"
    );
    let kj = by("Katherine Johnson");
    assert_eq!(kj.1.as_deref(), Some("Analyst"));
    assert_eq!(kj.2.as_deref(), Some("katherine@harbor.test"));
    assert!(kj.5.as_deref().unwrap_or("").contains("kj@home.test"));
    assert_eq!(by("François Bérubé").1.as_deref(), Some("Gérant"));
    assert!(all.iter().any(|c| c.0 == "Jürgen Müller"));
}
