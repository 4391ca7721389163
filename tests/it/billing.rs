//! The money pages as their users meet them: an accountant writes, sends, prints and
//! collects an invoice; bad input comes back on the form; a technician's crawl of every
//! page finds no amount and no money link; the lists run a fixed number of statements.

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

fn lines_form(rows: &[[&str; 5]]) -> Vec<(String, String)> {
    let mut f = vec![];
    for (i, r) in rows.iter().enumerate() {
        for (k, v) in [
            "description",
            "quantity",
            "unit_price",
            "tax_percent",
            "discount_percent",
        ]
        .iter()
        .zip(r)
        {
            f.push((format!("l{i}_{k}"), v.to_string()));
        }
    }
    f
}

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[actix_web::test]
async fn an_accountant_writes_sends_prints_and_collects_an_invoice() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let admin = app.login(&app.a.admin).await;
    let settings = admin
        .post(
            "/admin/settings",
            &[
                ("mileage_rate", "0.67"),
                ("billing_address", "1 Main St\nPortland, OR"),
                ("tax_id", "US-99-1234567"),
                ("invoice_prefix", "INV-"),
            ],
        )
        .await;
    assert_eq!(settings.status, 303);
    let acc = app.login(&app.a.accountant).await;

    // A wrong line comes back with the reason and what was typed.
    let mut bad = lines_form(&[
        ["Remote support", "1.5", "95.00", "8.875", ""],
        ["", "2", "abc", "", ""],
    ]);
    bad.push(("notes".into(), "Thanks!".into()));
    let page = acc
        .post(&format!("/clients/{cid}/invoices"), &pairs(&bad))
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Line 2: a description is required."));
    assert_eq!(page.input("l0_unit_price").as_deref(), Some("95.00"));
    assert_eq!(page.input("notes").as_deref(), Some("Thanks!"));

    let mut good = lines_form(&[
        ["Remote support", "1.5", "95.00", "8.875", ""],
        ["USB-C adapters", "3", "19.99", "", "10"],
    ]);
    good.push(("notes".into(), "Thanks!".into()));
    let made = acc
        .post(&format!("/clients/{cid}/invoices"), &pairs(&good))
        .await;
    assert_eq!(made.status, 303);
    let base = made.location.clone();
    let id = id_from(&base);
    let draft = acc.get(&base).await;
    assert!(draft.body.contains("Draft invoice"), "{}", draft.body);
    // 142.50 + 12.65 tax + 59.97 − 6.00 = 209.12
    assert!(draft.body.contains("209.12 USD"));

    let sent = acc.post(&format!("{base}/send"), &[]).await;
    assert_eq!(sent.status, 303);
    let page = acc.get(&base).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(page.body.contains(&format!("Invoice INV-{year}-1001")));
    assert!(page.texts("h2 .badge").contains(&"Sent".to_string()));

    // Too much is refused on the page, with the amount kept.
    let over = acc
        .post(
            &format!("{base}/payments"),
            &[
                ("amount", "300"),
                ("paid_on", "2026-11-20"),
                ("method", "card"),
                ("reference", "x"),
            ],
        )
        .await;
    assert_eq!(over.status, 422);
    assert!(over
        .body
        .contains("That is more than the 209.12 USD still owed."));
    assert_eq!(over.input("amount").as_deref(), Some("300"));
    let part = acc
        .post(
            &format!("{base}/payments"),
            &[
                ("amount", "100"),
                ("paid_on", "2026-11-20"),
                ("method", "card"),
                ("reference", ""),
            ],
        )
        .await;
    assert_eq!(part.status, 303);
    let page = acc.get(&base).await;
    assert!(page
        .texts("h2 .badge")
        .contains(&"Partially paid".to_string()));
    assert!(page.body.contains("109.12 USD"), "the balance");

    // The printed copy names the tenant with its address and tax id, and the client.
    let print = acc.get(&format!("{base}/print")).await;
    assert_eq!(print.status, 200);
    for text in [
        "1 Main St",
        "US-99-1234567",
        "Acme",
        "Balance due",
        "109.12 USD",
    ] {
        assert!(print.body.contains(text), "{text}");
    }
    assert!(
        print.body.contains("@media print") || print.body.contains("app."),
        "print styles"
    );

    // Deleting the payment restores the balance; the tab's figures follow.
    let payment = page
        .html()
        .select(&scraper::Selector::parse("table.payments form").unwrap())
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .unwrap();
    assert_eq!(acc.post(&payment, &[]).await.status, 303);
    let tab = acc.get(&format!("/clients/{cid}/billing")).await;
    assert!(tab
        .texts(".stat")
        .iter()
        .any(|t| t.contains("209.12 USD") && t.contains("Balance")));
    assert_eq!(
        tab.hrefs("table.invoices a"),
        [format!("/clients/{cid}/invoices/{id}")]
    );

    // A discarded draft is gone; its client's billing tab follows.
    let draft = acc
        .post(&format!("/clients/{cid}/invoices"), &pairs(&good))
        .await;
    let gone = acc.post(&format!("{}/void", draft.location), &[]).await;
    assert_eq!(gone.location, format!("/clients/{cid}/billing"));
    assert_eq!(acc.get(&draft.location).await.status, 404);

    // The edit form is for drafts only.
    let edit = acc.post(&base, &pairs(&good)).await;
    assert_eq!(edit.status, 422);
    assert!(edit.body.contains("A sent invoice is not changed"));
}

/// Amounts as pages print them (`1234.50 USD`), and links to the money pages.
fn money_on(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let mut found = vec![];
    // `d.dd XYZ`: a digit, a point, two digits, a space, three capitals, not a fourth.
    for (i, w) in bytes.windows(8).enumerate() {
        let amount = w[0].is_ascii_digit()
            && w[1] == b'.'
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && w[4] == b' '
            && w[5..8].iter().all(u8::is_ascii_uppercase)
            && !bytes.get(i + 8).is_some_and(u8::is_ascii_alphabetic);
        if amount {
            found.push(String::from_utf8_lossy(w).to_string());
        }
    }
    let money_paths = [
        "/billing",
        "/invoices",
        "/quotes",
        "/recurring-invoices",
        "/expenses",
        "/statement",
    ];
    for href in body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        let client_money =
            href.starts_with("/clients/") && money_paths.iter().any(|p| href.contains(p));
        if href.starts_with("/finance") || client_money {
            found.push(href.to_string());
        }
    }
    found
}

#[actix_web::test]
async fn a_technician_finds_no_money_on_any_page() {
    let app = TestApp::spawn_custom(fixtures::demo_tenant, |_| {}).await;
    let tech = app.login(&app.a.tech).await;
    let acc = app.login(&app.a.accountant).await;
    let clients = tech.get("/clients").await;
    let cid = id_from(&clients.hrefs("table.list tbody td:first-child a")[0]);
    // The accountant sees money where the technician does not.
    let overview = acc.get(&format!("/clients/{cid}")).await;
    assert!(!money_on(&overview.body).is_empty(), "the demo has money");
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["/".to_string(), format!("/clients/{cid}")];
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let page = tech.get(&path).await;
        if page.status != 200 {
            continue;
        }
        assert_eq!(money_on(&page.body), Vec::<String>::new(), "{path}");
        for href in page.hrefs("a") {
            let same_client = href.starts_with(&format!("/clients/{cid}"));
            let top = ["/", "/tickets", "/assets", "/clients"]
                .contains(&href.split('?').next().unwrap_or(""));
            if (same_client || top) && !href.contains("/download") && !href.contains("/logout") {
                queue.push(href);
            }
        }
    }
    assert!(seen.len() > 30, "the crawl saw the pages: {}", seen.len());
    for path in [
        "/finance",
        &format!("/clients/{cid}/billing"),
        &format!("/clients/{cid}/expenses"),
    ] {
        assert_eq!(tech.get(path).await.status, 403, "{path}");
    }
}

async fn statements(b: &crate::helpers::Browser, path: &str) -> usize {
    let page = b.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    page.statements.expect("statement counts")
}

#[actix_web::test]
async fn money_pages_run_the_same_statements_for_5_and_100_invoices() {
    use crate::finance::{line, pay, who};
    use mspdesk::domain::finance::expenses::Expenses;
    use mspdesk::domain::finance::quotes::{self, QuoteInput};
    use mspdesk::domain::finance::recurring::{self, TemplateInput};
    use mspdesk::domain::finance::{invoices, payments};
    use mspdesk::domain::policy::Role;
    use mspdesk::domain::scope::ClientId;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let acc = who(&app, &app.a, &app.a.accountant, Role::Accountant);
    let add = |n: usize| {
        let conn = &mut *app.conn();
        let mut last = 0;
        for i in 0..n {
            let l = [
                line(&format!("Work {i}"), "2", "50", "10", ""),
                line("Parts", "1", "9.99", "", ""),
            ];
            let id = invoices::create_draft(conn, &acc, ClientId(cid), &l, "")
                .unwrap()
                .unwrap();
            invoices::send(conn, &acc, ClientId(cid), id)
                .unwrap()
                .unwrap();
            payments::record(conn, &acc, ClientId(cid), id, &pay("10"))
                .unwrap()
                .unwrap();
            // One of every other money record too, for the registers.
            let quote = QuoteInput {
                lines: l.to_vec(),
                expires_on: String::new(),
                notes: String::new(),
            };
            let today = chrono::Utc::now().date_naive();
            quotes::save(conn, &acc, ClientId(cid), None, &quote, today)
                .unwrap()
                .unwrap();
            let template = TemplateInput {
                name: format!("Plan {i}"),
                months: "1".into(),
                anchor_date: "2030-01-01".into(),
                active: true,
                lines: l.to_vec(),
                ..TemplateInput::default()
            };
            recurring::save(conn, &acc, ClientId(cid), None, &template)
                .unwrap()
                .unwrap();
            let expense = [
                ("spent_on", "2026-11-01"),
                ("vendor", "CDW"),
                ("amount", "12.50"),
                ("currency", "USD"),
            ];
            fixtures::row::<Expenses>(&app, app.a.id, cid, &expense);
            last = id.0;
        }
        last
    };
    let b = app.login(&app.a.accountant).await;
    let last = add(5);
    let pages = [
        format!("/clients/{cid}/billing"),
        format!("/clients/{cid}/invoices/{last}"),
        "/finance".to_string(),
        "/finance/invoices".to_string(),
        "/finance/payments".to_string(),
        "/finance/quotes".to_string(),
        "/finance/recurring".to_string(),
        "/finance/expenses".to_string(),
        format!("/clients/{cid}/statement?from=2020-01-01"),
        format!("/clients/{cid}"),
    ];
    let mut small = vec![];
    for p in &pages {
        statements(&b, p).await;
        small.push(statements(&b, p).await);
    }
    add(95);
    for (p, before) in pages.iter().zip(small) {
        assert_eq!(statements(&b, p).await, before, "{p}");
    }
}
