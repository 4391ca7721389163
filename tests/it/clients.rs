//! Clients: create, edit, archive, restore, validation, search, filter, sort, paging.

use diesel::prelude::*;
use mspdesk::domain::schema::clients;

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

fn count_clients(app: &TestApp) -> i64 {
    clients::table.count().get_result(&mut app.conn()).unwrap()
}

const VALID: [(&str, &str); 5] = [
    ("name", "Northwind Traders"),
    ("company_name", "Northwind Traders LLC"),
    ("email", "Office@Northwind.example"),
    ("status", "active"),
    ("type", "Managed"),
];

const BILLING: [(&str, &str); 5] = [
    ("hourly_rate", "1,250.50"),
    ("contract_start_date", "2026-01-01"),
    ("contract_end_date", "2026-12-31"),
    ("net_terms", "30"),
    ("currency", "USD"),
];

#[actix_web::test]
async fn a_tech_creates_edits_archives_and_restores_a_client() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.tech).await;

    let created = b.post("/clients", &VALID).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let id = id_from(&created.location);
    let show = b.follow(&created).await;
    assert!(show.body.contains("The client was added."));
    assert!(show.body.contains("Northwind Traders LLC"));
    assert!(
        show.body.contains("office@northwind.example"),
        "e-mail stored lowercase"
    );
    assert!(
        !show.body.contains("Hourly rate"),
        "a tech does not see billing"
    );

    let edit = b.get(&format!("/clients/{id}/edit")).await;
    assert_eq!(edit.input("name").as_deref(), Some("Northwind Traders"));
    assert!(edit.input("hourly_rate").is_none());
    let mut fields = VALID.to_vec();
    fields[0] = ("name", "Northwind Holdings");
    fields.push(("lead", "on"));
    let saved = b.post(&format!("/clients/{id}"), &fields).await;
    assert_eq!(saved.status, 303);
    let show = b.follow(&saved).await;
    assert!(show.body.contains("Northwind Holdings"));

    let archived = b.post(&format!("/clients/{id}/archive"), &[]).await;
    assert_eq!(archived.location, "/clients");
    let list = b.get("/clients").await;
    assert!(
        !list
            .list_names()
            .contains(&"Northwind Holdings".to_string()),
        "archived clients are hidden"
    );
    let with_archived = b.get("/clients?archived=1").await;
    assert!(with_archived
        .list_names()
        .contains(&"Northwind Holdings".to_string()));
    assert!(b
        .get(&format!("/clients/{id}"))
        .await
        .body
        .contains("archived"));

    let restored = b.post(&format!("/clients/{id}/restore"), &[]).await;
    assert_eq!(restored.status, 303);
    assert!(b
        .get("/clients")
        .await
        .list_names()
        .contains(&"Northwind Holdings".to_string()));
}

/// Each rule re-renders the form with 422, its message beside the field, the input
/// kept, and no row written.
#[actix_web::test]
async fn each_validation_rule_rerenders_the_form_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let b = app.login(&app.a.admin).await;
    let cases: [(&str, &str, &str, &str); 3] = [
        ("name", "", "name", "Name is required."),
        ("email", "not-an-email", "email", "Enter an e-mail address"),
        ("status", "bankrupt", "status", "Choose one of the listed"),
    ];
    for (field, value, error_field, message) in cases {
        let fields: Vec<(&str, &str)> = VALID
            .iter()
            .map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) })
            .collect();
        let page = b.post("/clients", &fields).await;
        assert_eq!(page.status, 422, "{field}={value:?}");
        let error = page.field_error(error_field).unwrap_or_default();
        assert!(error.contains(message), "{field}={value:?}: got {error:?}");
        assert_eq!(
            page.input("company_name").as_deref(),
            Some("Northwind Traders LLC"),
            "input kept"
        );
        assert_eq!(count_clients(&app), 0, "{field}={value:?} wrote a row");
    }
    // The same rules hold on edit.
    let id = fixtures::client(&mut app.conn(), app.a.id, "Keep Me");
    let page = b
        .post(
            &format!("/clients/{id}"),
            &[("name", ""), ("status", "active")],
        )
        .await;
    assert_eq!(page.status, 422);
    let name: String = clients::table
        .find(id)
        .select(clients::name)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(name, "Keep Me");
}

#[actix_web::test]
async fn search_filter_sort_and_paging_return_the_right_rows() {
    let app = TestApp::spawn().await;
    {
        let mut conn = app.conn();
        for i in 0..30 {
            fixtures::client_with(&mut conn, app.a.id, &format!("Client {i:02}"), |c, b| {
                c.status = if i % 3 == 0 {
                    "prospect".into()
                } else {
                    "active".into()
                };
                b.hourly_rate = 1000 * i;
            });
        }
        fixtures::client_with(&mut conn, app.a.id, "Zeta", |c, _| {
            c.company_name = Some("Hidden Gem Holdings".into());
            c.email = Some("boss@zeta.example".into());
        });
        fixtures::client(&mut conn, app.b.id, "Client 99 of the other tenant");
    }
    let b = app.login(&app.a.admin).await;

    let first = b.get("/clients").await;
    assert_eq!(first.list_names().len(), 25);
    assert_eq!(first.list_names()[0], "Client 00");
    assert!(first.body.contains("1–25 of 31"));
    let second = b.get("/clients?page=2").await;
    assert_eq!(second.list_names().len(), 6);
    assert_eq!(b.get("/clients?per=50").await.list_names().len(), 31);
    assert_eq!(
        b.get("/clients?per=7").await.list_names().len(),
        25,
        "unknown page sizes fall back"
    );

    let desc = b.get("/clients?sort=name&dir=desc").await;
    assert_eq!(desc.list_names()[0], "Zeta");
    let by_rate = b.get("/clients?sort=hourly_rate&dir=desc").await;
    assert_eq!(by_rate.list_names()[0], "Client 29");
    let bogus = b.get("/clients?sort=password_hash").await;
    assert_eq!(
        bogus.status, 200,
        "unknown sort keys fall back to the default"
    );

    assert_eq!(
        b.get("/clients?q=hidden%20GEM").await.list_names(),
        vec!["Zeta"],
        "company, any case"
    );
    assert_eq!(
        b.get("/clients?q=zeta.example").await.list_names(),
        vec!["Zeta"],
        "e-mail"
    );
    assert_eq!(
        b.get("/clients?q=client%2001").await.list_names(),
        vec!["Client 01"],
        "name"
    );
    assert!(
        b.get("/clients?q=%25").await.list_names().is_empty(),
        "% is literal"
    );
    assert!(
        b.get("/clients?q=99").await.list_names().is_empty(),
        "other tenant never shows"
    );

    let prospects = b.get("/clients?status=prospect&per=100").await;
    assert_eq!(prospects.list_names().len(), 10);
    assert!(prospects
        .list_names()
        .iter()
        .all(|n| n.starts_with("Client ")));
}

/// Billing (rate, contract) belongs to accountants and admins: they edit it, with its
/// own rules; technicians neither see it nor reach its form.
#[actix_web::test]
async fn accountants_edit_billing_and_technicians_do_not_see_it() {
    let app = TestApp::spawn().await;
    let id = fixtures::client(&mut app.conn(), app.a.id, "Northwind");
    let acc = app.login(&app.a.accountant).await;
    let show = acc.get(&format!("/clients/{id}")).await;
    assert!(
        show.body.contains("Hourly rate")
            && show
                .hrefs(".actions a")
                .contains(&format!("/clients/{id}/billing"))
    );
    assert!(
        !show
            .hrefs(".actions a")
            .contains(&format!("/clients/{id}/edit")),
        "no general edit for accountants"
    );

    let cases: [(&str, &str, &str); 3] = [
        (
            "contract_end_date",
            "2025-12-31",
            "cannot end before it starts",
        ),
        ("hourly_rate", "-5", "Must be zero or more."),
        ("hourly_rate", "twelve", "Enter a number"),
    ];
    for (field, value, message) in cases {
        let fields: Vec<(&str, &str)> = BILLING
            .iter()
            .map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) })
            .collect();
        let page = acc
            .post(&format!("/clients/{id}/billing/terms"), &fields)
            .await;
        assert_eq!(page.status, 422, "{field}={value:?}");
        assert!(
            page.field_error(field)
                .unwrap_or_default()
                .contains(message),
            "{field}={value:?}"
        );
        assert_eq!(
            page.input("contract_start_date").as_deref(),
            Some("2026-01-01"),
            "input kept"
        );
    }
    let cents = || -> i64 {
        clients::table
            .find(id)
            .select(clients::hourly_rate)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(cents(), 10_000, "refused forms changed nothing");
    let saved = acc
        .post(&format!("/clients/{id}/billing/terms"), &BILLING)
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(cents(), 125_050, "money is stored in cents");
    assert!(acc.follow(&saved).await.body.contains("1,250.50"));

    let tech = app.login(&app.a.tech).await;
    assert_eq!(
        tech.get(&format!("/clients/{id}/billing/terms"))
            .await
            .status,
        403
    );
    assert_eq!(
        tech.post(&format!("/clients/{id}/billing/terms"), &BILLING)
            .await
            .status,
        403
    );
    let page = tech.get(&format!("/clients/{id}")).await;
    assert!(!page.body.contains("1,250.50") && !page.body.contains("Hourly rate"));
    assert!(
        !tech.get("/clients").await.body.contains("1,250.50"),
        "no rate column for techs"
    );
    // A tech's edit keeps the billing fields.
    tech.post(
        &format!("/clients/{id}"),
        &[("name", "Northwind Ltd"), ("status", "active")],
    )
    .await;
    assert_eq!(cents(), 125_050);
}
