//! Archives in: an IT Glue export (OTP seeds in every shape, vault placeholders,
//! duplicate organisations, blank passwords, a script in a document) and mspdesk's
//! own tenant export, read back into an empty tenant with the same data.

use std::io::Write;

use diesel::prelude::*;
use mspdesk::domain::documentation::credentials::Credentials;
use mspdesk::domain::policy::Role;
use mspdesk::domain::resource::service;
use mspdesk::domain::schema::{
    audit_log, client_contacts, client_credentials, client_documents, clients,
};
use mspdesk::domain::scope::{ClientId, RecordId};

use crate::fixtures;
use crate::helpers::TestApp;
use crate::imports::{check, export_with_secrets, rows};

/// A ZIP of `files`, with every path under one folder as IT Glue's exports have.
fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        w.start_file(
            format!("export-2026/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[actix_web::test]
async fn an_it_glue_export_keeps_what_it_can_and_flags_the_rest() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let export = zip(&[
        ("organizations.csv", "id,name,organization_type,organization_status,short_name\n11,Acme Corp,Customer,Active,ACME\n12,Acme Corp,Customer,Active,ACME2\n13,Birch LLP,Customer,Inactive,BIR\n"),
        ("locations.csv", "id,organization_id,organization,name,primary,address_1,city,region,postal_code,country,phone\n21,11,Acme Corp,Main,Yes,1 Main St,Springfield,IL,62701,US,555-0100\n"),
        ("contacts.csv", "id,organization_id,organization,first_name,last_name,title,important,emails,phones\n31,12,Acme Corp,Ada,Lovelace,CTO,true,\"Work: ada@acme.test, home: ada@home.test\",555-0101\n32,,Birch LLP,Bo,Birch,,false,bo@birch.test,\n"),
        ("configurations.csv", "id,organization_id,name,configuration_type,configuration_status,primary_ip,mac_address,serial_number,manufacturer,model,operating_system,location,warranty_expires_at\n41,11,FW01,Firewall,Active,10.0.0.1,AA-BB-CC-DD-EE-FF,SN123,Fortinet,60F,FortiOS,Main,2027-03-31T00:00:00.000Z\n42,11,Reception PC,Managed Workstation,Active,,,,Dell,,Windows 11,Nowhere,\n"),
        ("passwords.csv", "id,organization_id,organization,name,password_category,username,password,otp_secret,url,notes,archived\n\
            51,11,Acme Corp,Spaces,Web,u1,p1,JBSW Y3DP EHPK 3PXP,https://a.test,,No\n\
            52,11,Acme Corp,Lower,Web,u2,p2,jbswy3dpehpk3pxp,,,No\n\
            53,11,Acme Corp,Padded,Web,u3,p3,JBSWY3DPEHPK3PXP====,,,No\n\
            54,11,Acme Corp,Link,Web,u4,p4,otpauth://totp/Acme:u4?secret=JBSWY3DPEHPK3PXP&issuer=Acme,,,No\n\
            55,11,Acme Corp,Vaulted,Web,u5,AES256GCM:9f8e7d6c5b4a==,,,,No\n\
            56,11,Acme Corp,Blank,Web,u6,,,,,No\n\
            57,11,Acme Corp,Old VPN,VPN,u7,p7,,,,Yes\n\
            58,11,Acme Corp,Lower link,Web,u8,p8,otpauth://totp/Acme:u8?secret=jbsw%20y3dp%20ehpk%203pxp&issuer=Acme,,,No\n\
            59,11,Acme Corp,Broken link,Web,u9,p9,otpauth://totp/Acme:u9?digits=6,,,No\n"),
        ("documents.csv", "id,organization_id,name,locator\n61,11,Onboarding,DOC-11-61\n"),
        ("documents/DOC-11-61 Onboarding/61.html", "<h1>Onboarding</h1><p>Welcome</p><script>alert('x')</script><a href=\"javascript:alert(1)\">x</a>"),
    ]);
    let (report, id) = check(&b, "itglue.zip", export.clone(), &[("kind", "archive")]).await;
    let r = rows(&report);
    let note = |title: &str| {
        r.iter()
            .find(|x| x.0 == title)
            .unwrap_or_else(|| panic!("{title}: {r:?}"))
            .2
            .clone()
    };
    assert!(
        note("Acme Corp (2)").contains("imported as \"Acme Corp (2)\""),
        "{r:?}"
    );
    assert!(note("Vaulted").contains("placeholder"), "{r:?}");
    assert!(note("Blank").contains("No password in the file"));
    assert!(
        note("Broken link").contains("Stored without its totp seed: This otpauth:// link"),
        "an unusable one-time code is a warning, not an error: {r:?}"
    );
    assert!(note("Onboarding").contains("unsafe HTML was removed"));
    assert!(
        !note("FW01").contains("not a choice"),
        "a firewall is a network device: {r:?}"
    );
    assert!(
        !note("Reception PC").contains("not a choice"),
        "\"Managed Workstation\" is a workstation: {r:?}"
    );
    assert!(
        note("Reception PC").contains("no location named \"Nowhere\""),
        "{r:?}"
    );
    assert_eq!(r.iter().filter(|x| x.1 == "error").count(), 0, "{r:?}");

    assert_eq!(
        b.post(&format!("/admin/import/{id}/commit"), &[])
            .await
            .status,
        303
    );
    let acme: Vec<(i64, String)> = clients::table
        .select((clients::id, clients::name))
        .order(clients::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        acme.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
        ["Acme Corp", "Acme Corp (2)", "Birch LLP"]
    );
    let ada_client: i64 = client_contacts::table
        .filter(client_contacts::name.eq("Ada Lovelace"))
        .select(client_contacts::client_id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        ada_client, acme[1].0,
        "a contact follows its organisation's id, not its name"
    );
    let ada_email: Option<String> = client_contacts::table
        .filter(client_contacts::name.eq("Ada Lovelace"))
        .select(client_contacts::email)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(ada_email.as_deref(), Some("ada@acme.test"));

    let who = crate::finance::who(&app, &app.a, &app.a.admin, Role::Admin);
    let creds: Vec<(i64, String, Option<chrono::NaiveDateTime>)> = client_credentials::table
        .select((
            client_credentials::id,
            client_credentials::name,
            client_credentials::deleted_at,
        ))
        .load(&mut app.conn())
        .unwrap();
    let reveal = |name: &str| -> Vec<String> {
        let id = creds.iter().find(|c| c.1 == name).unwrap().0;
        service::reveal::<Credentials>(
            &mut app.conn(),
            &who,
            &app.vault,
            ClientId(acme[0].0),
            RecordId(id),
            "test",
            false,
        )
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|r| format!("{}={}", r.label, r.value))
        .collect()
    };
    for name in ["Spaces", "Lower", "Padded"] {
        assert!(
            reveal(name).contains(&"TOTP seed=JBSWY3DPEHPK3PXP".to_string()),
            "{name}: {:?}",
            reveal(name)
        );
    }
    assert!(reveal("Link")
        .iter()
        .any(|v| v.starts_with("TOTP seed=otpauth://totp/")));
    assert!(reveal("Link")
        .iter()
        .any(|v| v.starts_with("Current TOTP code=")));
    assert!(
        reveal("Lower link").contains(
            &"TOTP seed=otpauth://totp/Acme:u8?secret=JBSWY3DPEHPK3PXP&issuer=Acme".to_string()
        ),
        "a link's seed is normalised like a bare one: {:?}",
        reveal("Lower link")
    );
    assert!(
        reveal("Vaulted").contains(&"Password=(none stored)".to_string()),
        "the placeholder is not the password: {:?}",
        reveal("Vaulted")
    );
    assert!(
        creds.iter().find(|c| c.1 == "Old VPN").unwrap().2.is_some(),
        "archived in IT Glue, archived here"
    );
    let body: String = client_documents::table
        .select(client_documents::content)
        .first(&mut app.conn())
        .unwrap();
    assert!(
        body.contains("Welcome") && !body.contains("<script") && !body.contains("javascript:"),
        "{body}"
    );

    // The same export again: matched, nothing duplicated — archived rows, seeds
    // written with spaces and links included.
    let (again, _) = check(&b, "itglue.zip", export, &[("kind", "archive")]).await;
    assert!(
        rows(&again).iter().all(|x| x.1 == "skip"),
        "{:?}",
        rows(&again)
    );
}

#[actix_web::test]
async fn the_tenant_export_sheets_read_back_the_same_in_another_tenant_and_change_nothing_at_home()
{
    // The demo's export unpacks to a few MB: an archive counts against the upload
    // limit by what it unpacks to.
    let app = TestApp::spawn_custom(fixtures::demo_tenant, |c| c.max_upload_mb = 16).await;
    let a = app.login(&app.a.admin).await;
    // A value the CSV writer defuses ("+…" would be a formula) reads back as it was.
    diesel::update(client_contacts::table.filter(client_contacts::tenant_id.eq(app.a.id.get())))
        .set(client_contacts::phone.eq("+44 20 7946 0000"))
        .execute(&mut app.conn())
        .unwrap();
    let refused = a
        .post("/admin/export", &[("secrets", "1"), ("reason", " ")])
        .await;
    assert_eq!(refused.status, 422, "secrets need a reason");
    let from_a = export_with_secrets(&a, "Moving to a new instance").await;
    // Beyond the sheets: finance documents and replies as JSON, and the stored files.
    {
        use mspdesk::domain::schema::{client_files, invoices, ticket_replies};
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&from_a)).unwrap();
        let mut read = |name: &str| -> Vec<u8> {
            let mut f = z
                .by_name(name)
                .unwrap_or_else(|_| panic!("{name} in the export"));
            let mut out = vec![];
            std::io::Read::read_to_end(&mut f, &mut out).unwrap();
            out
        };
        let json_len = |bytes: Vec<u8>| {
            let text = String::from_utf8(bytes).unwrap();
            let rows: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            rows.len() as i64
        };
        let of_a = app.a.id.get();
        let conn = &mut *app.conn();
        let n_invoices: i64 = invoices::table
            .filter(invoices::tenant_id.eq(of_a))
            .count()
            .get_result(conn)
            .unwrap();
        let n_replies: i64 = ticket_replies::table
            .filter(ticket_replies::tenant_id.eq(of_a))
            .count()
            .get_result(conn)
            .unwrap();
        assert!(n_invoices > 0 && n_replies > 0, "the demo has both");
        assert_eq!(json_len(read("records/invoices.jsonl")), n_invoices);
        assert_eq!(json_len(read("records/ticket_replies.jsonl")), n_replies);
        let manifest: serde_json::Value = serde_json::from_slice(&read("mspdesk.json")).unwrap();
        assert_eq!(manifest["missing"], serde_json::json!([]));
        let files: Vec<(i64, String)> = client_files::table
            .filter(client_files::tenant_id.eq(of_a))
            .select((client_files::id, client_files::name))
            .load(conn)
            .unwrap();
        assert!(!files.is_empty());
        for (id, name) in files {
            assert!(
                !read(&format!("files/{id}-{name}")).is_empty(),
                "the content of {name}"
            );
        }
    }
    let why: String = audit_log::table
        .filter(audit_log::action.eq("export_with_secrets"))
        .select(audit_log::changes)
        .first(&mut app.conn())
        .unwrap();
    assert!(why.contains("Moving to a new instance"), "{why}");

    let b = app.login(&app.b.admin).await;
    let (report, id) = check(&b, "a.zip", from_a.clone(), &[("kind", "archive")]).await;
    let r = rows(&report);
    assert_eq!(
        r.iter().filter(|x| x.1 == "error").count(),
        0,
        "{:?}",
        r.iter().filter(|x| x.1 == "error").collect::<Vec<_>>()
    );
    let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);

    let sheets = |bytes: &[u8]| -> std::collections::BTreeMap<String, Vec<Vec<String>>> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = std::collections::BTreeMap::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            if !name.ends_with(".csv") {
                continue;
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
            let mut rd = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            // Ids differ between tenants; everything else must not — but stored files
            // are not in the export, so what points at one (a receipt) is blank.
            let keep: Vec<usize> = rows[0]
                .iter()
                .enumerate()
                .filter(|(_, h)| !h.ends_with("ID") && *h != "Receipt")
                .map(|(i, _)| i)
                .collect();
            out.insert(
                name,
                rows.iter()
                    .map(|r| keep.iter().map(|i| r[*i].to_string()).collect())
                    .collect(),
            );
        }
        out
    };
    let from_b = export_with_secrets(&b, "Round trip").await;
    let (sa, sb) = (sheets(&from_a), sheets(&from_b));
    assert!(sa.len() > 15, "every kind is exported: {:?}", sa.keys());
    for (name, rows_a) in &sa {
        assert!(
            rows_a.len() > 1 || name == "expenses.csv",
            "{name} has rows in the demo"
        );
        assert_eq!(Some(rows_a), sb.get(name), "{name} reads back the same");
    }

    // Into the tenant it came from, the export changes nothing.
    let (same, _) = check(&a, "a.zip", from_a, &[("kind", "archive")]).await;
    let changed: Vec<_> = rows(&same).into_iter().filter(|x| x.1 != "skip").collect();
    assert!(changed.is_empty(), "{changed:?}");
}
