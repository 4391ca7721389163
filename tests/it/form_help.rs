//! Forms and lists that tell the user what they will get: a recurring form previews its
//! schedule before it is saved; an empty list says whether nothing exists yet or the
//! search and filters hide everything.

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

#[actix_web::test]
async fn a_recurring_ticket_form_previews_its_schedule_without_saving() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/recurring-tickets");
    let form = tech.get(&format!("{base}/new")).await;
    assert_eq!(form.texts("button[value=preview]"), ["Preview schedule"]);
    assert!(form.texts(".preview").is_empty(), "no preview until asked");

    let typed = [
        ("name", "Month end"),
        ("frequency", "monthly"),
        ("next_run_date", "2027-01-31T08:00"),
        ("subject", "Close books"),
        ("priority", "low"),
        ("active", "on"),
    ];
    let mut previewing = typed.to_vec();
    previewing.push(("op", "preview"));
    let preview = tech.post(&base, &previewing).await;
    assert_eq!(preview.status, 200);
    // Monthly from the 31st: the last day of shorter months, then the 31st again.
    let runs = [
        "Sun 2027-01-31 08:00",
        "Sun 2027-02-28 08:00",
        "Wed 2027-03-31 08:00",
        "Fri 2027-04-30 08:00",
        "Mon 2027-05-31 08:00",
    ];
    assert_eq!(preview.texts(".preview li"), runs);
    assert_eq!(
        preview.input("name").as_deref(),
        Some("Month end"),
        "the typing stays"
    );
    assert!(
        tech.get(&base).await.list_names().is_empty(),
        "nothing was saved"
    );

    let mut no_date = previewing.clone();
    no_date[2] = ("next_run_date", "");
    let unclear = tech.post(&base, &no_date).await;
    assert_eq!(unclear.status, 200);
    assert!(unclear
        .texts(".preview")
        .join(" ")
        .contains("Give the next run's date"));

    // An edit previews too; another tenant's record is a 404 as for every route.
    let saved = tech.post(&base, &typed).await;
    let id = id_from(&saved.location);
    let mut weekly = previewing.clone();
    weekly[1] = ("frequency", "weekly");
    let edit = tech.post(&format!("{base}/{id}"), &weekly).await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.texts(".preview li")[1], "Sun 2027-02-07 08:00");
    let other = app.login(&app.b.tech).await;
    let probe = other.post(&format!("{base}/{id}"), &weekly).await;
    assert_eq!(probe.status, 404);
    // The saved record's page shows the same runs: the preview changed nothing.
    let shown = tech.get(&format!("{base}/{id}")).await;
    assert_eq!(shown.texts("ol.runs li"), runs);
}

#[actix_web::test]
async fn a_recurring_invoice_form_previews_its_invoice_dates() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let acc = app.login(&app.a.accountant).await;
    let base = format!("/clients/{cid}/recurring-invoices");
    assert_eq!(
        acc.get(&format!("{base}/new"))
            .await
            .texts("button[value=preview]"),
        ["Preview schedule"]
    );
    let typed = [
        ("name", "Managed services"),
        ("months", "3"),
        ("anchor_date", "2027-01-31"),
        ("end_date", "2027-09-30"),
        ("active", "on"),
        ("l0_description", "Support"),
        ("l0_quantity", "1"),
        ("l0_unit_price", "100"),
        ("op", "preview"),
    ];
    let preview = acc.post(&base, &typed).await;
    assert_eq!(preview.status, 200);
    assert_eq!(
        preview.texts(".preview li"),
        ["Sun 2027-01-31", "Fri 2027-04-30", "Sat 2027-07-31"],
        "every three months from the 31st, the month's last day where shorter, up to the end"
    );
    assert_eq!(preview.input("l0_description").as_deref(), Some("Support"));
    let billing = acc.get(&format!("/clients/{cid}/billing")).await;
    assert!(
        !billing.body.contains("Managed services"),
        "nothing was saved"
    );

    let mut bad = typed.to_vec();
    bad[1] = ("months", "0");
    let refused = acc.post(&base, &bad).await;
    assert_eq!(refused.status, 200);
    assert!(refused
        .texts(".preview")
        .join(" ")
        .contains("Every: a number of months"));
}

#[actix_web::test]
async fn an_empty_list_says_whether_filters_hide_everything() {
    let app = TestApp::spawn().await;
    let tech = app.login(&app.a.tech).await;
    let empty = tech.get("/clients").await;
    assert!(empty.texts("td.empty")[0].starts_with("Nothing here yet."));
    fixtures::client(&mut app.conn(), app.a.id, "Acme");
    for path in ["/clients?status=former", "/clients?q=zebra"] {
        let page = tech.get(path).await;
        let said = page.texts("td.empty").join(" ");
        assert!(
            said.contains("Nothing matches this search and these filters"),
            "{path}: {said}"
        );
        assert_eq!(page.hrefs("td.empty a"), ["/clients"], "{path}");
    }
    let past = tech.get("/clients?page=7").await;
    assert!(past.texts("td.empty")[0].contains("past the last one"));
}
