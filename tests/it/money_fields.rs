//! Amounts on documentation records (a licence's or a certificate's cost) are money:
//! roles that see billing read them with the client's currency; a technician meets
//! none — not on the list, the record, the form nor the CSV — and their edits keep it.

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

#[actix_web::test]
async fn a_licence_cost_is_read_by_billing_roles_and_kept_through_a_technicians_edit() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/licenses");
    let licence = [
        ("name", "Microsoft 365"),
        ("vendor", "Microsoft"),
        ("seats", "25"),
        ("cost", "1,200.00"),
    ];
    let made = admin.post(&base, &licence).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let id = id_from(&made.location);
    let record = format!("{base}/{id}");
    assert!(admin.get(&record).await.body.contains("1,200.00 USD"));
    assert!(admin.get(&base).await.body.contains("1,200.00 USD"));
    let refused = admin
        .post(&base, &[("name", "Visio"), ("seats", "1"), ("cost", "ten")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .field_error("cost")
        .unwrap_or_default()
        .contains("Enter a number"));

    for path in [
        record.clone(),
        base.clone(),
        format!("{record}/edit"),
        format!("{base}/new"),
    ] {
        let page = tech.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("1,200"), "{path} shows the cost");
        assert!(page.input("cost").is_none(), "{path} has a cost field");
        assert!(
            !page
                .texts("th, dt, label")
                .iter()
                .any(|t| t.contains("Cost")),
            "{path}"
        );
    }
    let csv = tech.get(&format!("{base}.csv")).await.body;
    assert!(
        !csv.contains("Cost") && !csv.contains("1200") && !csv.contains("1,200"),
        "{csv}"
    );
    assert!(admin
        .get(&format!("{base}.csv"))
        .await
        .body
        .contains("Cost"));

    // The technician's edit (even one that sends a cost) leaves the cost as it was.
    let edited = tech
        .post(
            &record,
            &[
                ("name", "Microsoft 365"),
                ("vendor", "Microsoft"),
                ("seats", "30"),
                ("cost", "0"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let after = admin.get(&record).await;
    assert!(after.body.contains("1,200.00 USD"), "the cost was kept");
    assert!(
        after.texts("dd").iter().any(|t| t == "30"),
        "the seats changed"
    );
    // A technician's new licence has no cost, whatever was sent.
    let theirs = tech
        .post(
            &base,
            &[("name", "Adobe"), ("seats", "2"), ("cost", "99.00")],
        )
        .await;
    assert_eq!(theirs.status, 303);
    assert!(!admin.follow(&theirs).await.body.contains("99.00"));
}

/// An amount is what its currency can hold, written as people write amounts: 5.001 USD
/// and `1e2` are refused on the page and the API alike, with the input kept, never
/// rounded into something else.
#[actix_web::test]
async fn an_amount_finer_than_its_currency_or_in_exponent_form_is_refused() {
    use serde_json::json;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let acc = app.login(&app.a.accountant).await;
    let base = format!("/clients/{cid}/expenses");
    let expense = |amount: &'static str, currency: &'static str| {
        [
            ("spent_on", "2026-11-20"),
            ("vendor", "Courier"),
            ("amount", amount),
            ("currency", currency),
        ]
    };
    let fine = acc.post(&base, &expense("5.001", "USD")).await;
    assert_eq!(fine.status, 422);
    assert_eq!(
        fine.field_error("amount").as_deref(),
        Some("USD amounts have at most 2 decimal places.")
    );
    assert_eq!(fine.input("amount").as_deref(), Some("5.001"));
    let yen = acc.post(&base, &expense("500.5", "JPY")).await;
    assert_eq!(
        yen.field_error("amount").as_deref(),
        Some("JPY amounts have no decimal places.")
    );
    let exp = acc.post(&base, &expense("1e2", "USD")).await;
    assert!(exp
        .field_error("amount")
        .unwrap_or_default()
        .contains("Enter a number"));
    // Three places are a Bahraini dinar's own.
    assert_eq!(acc.post(&base, &expense("5.125", "BHD")).await.status, 303);
    assert_eq!(acc.post(&base, &expense("5.10", "USD")).await.status, 303);

    let key = crate::api::key(&app, &app.a, &app.a.accountant, false);
    let api = crate::api::Api::new(&app, &key);
    let body = |amount: &str| json!({ "spent_on": "2026-11-20", "vendor": "Courier", "amount": amount, "currency": "USD" });
    let refused = api.post(&format!("/api/v1{base}"), body("5.001")).await;
    assert_eq!(refused.status, 422, "{}", refused.json);
    assert!(refused.json["errors"]["amount"].is_string());
    let refused = api.post(&format!("/api/v1{base}"), body("1e2")).await;
    assert_eq!(refused.status, 422, "{}", refused.json);

    // A document's line and a payment take no exponent either.
    let draft = acc
        .post(
            &format!("/clients/{cid}/invoices"),
            &[
                ("l0_description", "Router"),
                ("l0_quantity", "1"),
                ("l0_unit_price", "1e2"),
            ],
        )
        .await;
    assert_eq!(draft.status, 422);
    assert!(
        draft.body.contains("Unit price must be a number"),
        "{}",
        draft.body
    );
}
