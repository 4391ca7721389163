//! A big file: new records are written many per statement, and what lands is exactly
//! what a row at a time would have written — every row, in the file's order, with the
//! rows that must be written alone (a primary contact) in their place.

use diesel::prelude::*;
use mspdesk::domain::schema::client_contacts;

use crate::fixtures;
use crate::helpers::TestApp;
use crate::imports::{check, rows};

#[actix_web::test]
async fn a_big_file_lands_row_for_row_in_far_fewer_statements_than_rows() {
    let app = TestApp::spawn().await;
    let names = ["Acme Dental", "Birch Accounting", "Cedar Law"];
    let ids: Vec<i64> = names
        .iter()
        .map(|n| fixtures::client(&mut app.conn(), app.a.id, n))
        .collect();
    let b = app.login(&app.a.admin).await;
    // 450 people; every 100th asks to be their client's primary contact (written
    // alone).
    let mut csv = String::from("Client,Name,E-mail,Primary\n");
    for i in 0..450 {
        let primary = if i % 100 == 50 { "yes" } else { "" };
        csv.push_str(&format!(
            "{},Person {i:03},p{i}@example.test,{primary}\n",
            names[i % 3]
        ));
    }
    let (report, _) = check(
        &b,
        "people.csv",
        csv.clone().into_bytes(),
        &[("kind", "contacts")],
    )
    .await;
    let r = rows(&report);
    assert_eq!(
        r.iter().filter(|x| x.1 == "create").count(),
        450,
        "{:?}",
        &r[..3]
    );
    let late = r.iter().find(|x| x.0 == "Person 350").unwrap();
    assert!(late.2.contains("the client's is Person 050"), "{late:?}");
    assert!(
        b.get("/search?q=person%20123")
            .await
            .hrefs("ul.hits a")
            .is_empty(),
        "the dry run wrote nothing"
    );

    let up = b
        .upload(
            "/admin/import",
            "people.csv",
            csv.into_bytes(),
            &[("kind", "contacts")],
        )
        .await;
    let id = crate::helpers::id_from(&up.location);
    let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let statements = done.statements.expect("the test server counts statements");
    assert!(
        statements < 100,
        "450 rows in far fewer statements than rows: {statements}"
    );

    let landed: Vec<(i64, i64, String, Option<String>, bool)> = client_contacts::table
        .order(client_contacts::id)
        .select((
            client_contacts::id,
            client_contacts::client_id,
            client_contacts::name,
            client_contacts::email,
            client_contacts::is_primary,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(landed.len(), 450);
    for (i, (_, client, name, email, _)) in landed.iter().enumerate() {
        assert_eq!(
            (name.as_str(), email.as_deref(), *client),
            (
                format!("Person {i:03}").as_str(),
                Some(format!("p{i}@example.test").as_str()),
                ids[i % 3]
            ),
            "row {i} is the file's row {i}, ids in the file's order"
        );
    }
    // Rows 50, 150, 250, 350 (clients 2, 0, 1, 2) asked for the flag: the first asker
    // of each client holds it; a later row never takes it from a record it does not
    // name (row 350 is flagged instead).
    let primaries: Vec<&str> = landed
        .iter()
        .filter(|c| c.4)
        .map(|c| c.2.as_str())
        .collect();
    assert_eq!(primaries, ["Person 050", "Person 150", "Person 250"]);
    // Held rows are searchable like the others, by words of the row.
    let hits = b
        .get("/search?q=p123%40example.test")
        .await
        .hrefs("ul.hits a");
    let person = landed[123].0;
    assert!(
        hits.iter()
            .any(|h| h.ends_with(&format!("/contacts/{person}"))),
        "{hits:?}"
    );
}
