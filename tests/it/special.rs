//! The views and rules that only some resources have: trip totals, schedule previews,
//! sanitized Markdown, domain rules, expiry filters, linked records, the rack diagram
//! and the month grid.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use mspdesk::domain::directory::locations::Locations;
use mspdesk::domain::documentation::licenses::Licenses;
use mspdesk::domain::schema::{client_domains, client_trips};

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

#[actix_web::test]
async fn a_trip_total_is_computed_by_the_server() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let form = b.get(&format!("/clients/{cid}/trips/new")).await;
    assert_eq!(
        form.input("rate_per_mile").as_deref(),
        Some("0.670"),
        "the tenant's default rate"
    );
    assert!(form.input("total_cost").is_none(), "no total field to post");
    let me = fixtures::user_id(&mut app.conn(), &app.a.tech).to_string();
    assert_eq!(
        form.input("user_id").as_deref(),
        Some(me.as_str()),
        "the trip is the user's own"
    );
    let people = form.texts("select[name=user_id] option").join("|");
    assert!(
        people.contains("Tech Alpha IT") && people.contains("Admin Alpha IT"),
        "{people}"
    );
    assert!(
        !people.contains("Accountant"),
        "only technicians go on trips: {people}"
    );
    let created = b
        .post(
            &format!("/clients/{cid}/trips"),
            &[
                ("purpose", "Install"),
                ("start_date", "2026-11-20"),
                ("mileage", "12.5"),
                ("rate_per_mile", "0.655"),
                ("total_cost", "99999"),
                ("user_id", &me),
            ],
        )
        .await;
    let id = id_from(&created.location);
    let total: i64 = client_trips::table
        .find(id)
        .select(client_trips::total_cost)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        total, 819,
        "12.5 × 0.655 = 8.1875 → 8.19; the posted total is ignored"
    );
}

#[actix_web::test]
async fn a_document_body_never_carries_script() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let body = "# Plan\n<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(2)) and [docs](https://docs.example)\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    let created = b
        .post(
            &format!("/clients/{cid}/documents"),
            &[("name", "Plan"), ("content", body)],
        )
        .await;
    let page = b.follow(&created).await;
    let article = page.html();
    let sel = scraper::Selector::parse("article.markdown").unwrap();
    let html = article
        .select(&sel)
        .next()
        .expect("the rendered body")
        .inner_html();
    assert!(
        // A document's `#` sits one level under the page's own h1.
        html.contains("<h2>Plan</h2>") && html.contains("<table>"),
        "{html}"
    );
    assert!(
        !html.contains("<script")
            && !html.contains("onerror")
            && !html.contains("href=\"javascript"),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://docs.example\""),
        "safe links stay: {html}"
    );
}

#[actix_web::test]
async fn a_long_document_is_accepted() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    let body = "A line of the runbook that goes on for a while.\n".repeat(2_000);
    let created = b
        .post(
            &format!("/clients/{cid}/documents"),
            &[("name", "Long"), ("content", &body)],
        )
        .await;
    assert_eq!(created.status, 303, "a {} byte body", body.len());
}

#[actix_web::test]
async fn domains_are_lowercase_unique_per_tenant_with_a_nameserver_list() {
    let app = TestApp::spawn().await;
    let (cid, other, theirs) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Acme"),
            fixtures::client(&mut conn, app.a.id, "Other"),
            fixtures::client(&mut conn, app.b.id, "Beta"),
        )
    };
    let b = app.login(&app.a.tech).await;
    let first = b
        .post(
            &format!("/clients/{cid}/domains"),
            &[
                ("domain_name", "Acme.Example."),
                ("nameservers", "NS1.host.example\n\nns2.host.example"),
            ],
        )
        .await;
    let id = id_from(&first.location);
    let (name, ns): (String, String) = client_domains::table
        .find(id)
        .select((client_domains::domain_name, client_domains::nameservers))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(name, "acme.example");
    assert_eq!(ns, r#"["ns1.host.example","ns2.host.example"]"#);
    assert_eq!(
        b.get(&format!("/clients/{cid}/domains/{id}/edit"))
            .await
            .input("nameservers")
            .as_deref(),
        Some("ns1.host.example\nns2.host.example")
    );

    let dup = b
        .post(
            &format!("/clients/{other}/domains"),
            &[("domain_name", "ACME.example")],
        )
        .await;
    assert_eq!(dup.status, 422);
    assert!(dup
        .field_error("domain_name")
        .unwrap()
        .contains("already recorded"));
    let beta = app.login(&app.b.tech).await;
    assert_eq!(
        beta.post(
            &format!("/clients/{theirs}/domains"),
            &[("domain_name", "acme.example")]
        )
        .await
        .status,
        303,
        "another tenant may"
    );

    b.post(&format!("/clients/{cid}/domains/{id}/archive"), &[])
        .await;
    let again = b
        .post(
            &format!("/clients/{other}/domains"),
            &[("domain_name", "acme.example")],
        )
        .await;
    assert_eq!(again.status, 303, "an archived domain frees its name");
    let restore = b
        .post(&format!("/clients/{cid}/domains/{id}/restore"), &[])
        .await;
    assert_eq!(
        restore.status, 409,
        "restoring a duplicate is refused, not a 500"
    );
    assert!(restore.body.contains("Another live record"));
}

#[actix_web::test]
async fn licenses_show_expiry_badges_and_filter_on_them() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let today = Utc::now().date_naive();
    for (name, days) in [
        ("Expired", Some(-5)),
        ("Soon", Some(10)),
        ("Later", Some(60)),
        ("Far", Some(200)),
        ("Never", None),
    ] {
        let date = days
            .map(|d| (today + Duration::days(d)).to_string())
            .unwrap_or_default();
        fixtures::row::<Licenses>(
            &app,
            app.a.id,
            cid,
            &[("name", name), ("seats", "1"), ("expiry_date", &date)],
        );
    }
    let b = app.login(&app.a.accountant).await;
    let base = format!("/clients/{cid}/licenses");
    assert_eq!(
        b.get(&format!("{base}?filter=expired")).await.list_names(),
        ["Expired"]
    );
    assert_eq!(
        b.get(&format!("{base}?filter=30")).await.list_names(),
        ["Soon"]
    );
    assert_eq!(
        b.get(&format!("{base}?filter=90")).await.list_names(),
        ["Later"]
    );
    let mut ok = b.get(&format!("{base}?filter=ok")).await.list_names();
    ok.sort();
    assert_eq!(ok, ["Far", "Never"]);
    let all = b.get(&base).await;
    let badges = all.texts("td .badge");
    assert!(
        badges.contains(&"Expired".to_string())
            && badges.contains(&"Expires in 10 days".to_string()),
        "{badges:?}"
    );
}

#[actix_web::test]
async fn location_and_contact_pages_list_what_links_to_them() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let contact = fixtures::contact(&app, app.a.id, cid, "Maria");
    let (c, _) = (contact.to_string(), ());
    let site =
        fixtures::row::<Locations>(&app, app.a.id, cid, &[("name", "HQ"), ("contact_id", &c)]);
    let s = site.to_string();
    fixtures::row::<Licenses>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Office 365"),
            ("seats", "5"),
            ("location_id", &s),
            ("contact_id", &c),
        ],
    );
    fixtures::row::<mspdesk::domain::documentation::racks::Racks>(
        &app,
        app.a.id,
        cid,
        &[("name", "Main rack"), ("units", "12"), ("location_id", &s)],
    );
    let b = app.login(&app.a.tech).await;

    let loc = b.get(&format!("/clients/{cid}/locations/{site}")).await;
    let links = loc.texts(".extra li a");
    assert!(
        links.contains(&"Office 365".to_string()) && links.contains(&"Main rack".to_string()),
        "{links:?}"
    );
    let person = b.get(&format!("/clients/{cid}/contacts/{contact}")).await;
    let links = person.texts(".extra li a");
    assert!(
        links.contains(&"HQ".to_string()) && links.contains(&"Office 365".to_string()),
        "{links:?}"
    );
    assert!(!links.contains(&"Main rack".to_string()));
    assert!(
        person
            .texts(".extra h4")
            .iter()
            .any(|h| h.starts_with("Credentials")),
        "a tech sees the credentials section"
    );
    let accountant = app.login(&app.a.accountant).await;
    let seen = accountant
        .get(&format!("/clients/{cid}/contacts/{contact}"))
        .await;
    assert!(
        !seen
            .texts(".extra h4")
            .iter()
            .any(|h| h.starts_with("Credentials")),
        "an accountant does not learn credentials exist"
    );

    let racks = b.get(&format!("/clients/{cid}/racks")).await;
    let rack_id = id_from(&racks.hrefs("table.list td a")[0]);
    let rack = b.get(&format!("/clients/{cid}/racks/{rack_id}")).await;
    let units = rack.texts("table.rack td.u");
    assert_eq!(units.len(), 12);
    assert_eq!(
        (units[0].as_str(), units[11].as_str()),
        ("U12", "U1"),
        "drawn top to bottom"
    );
}

#[actix_web::test]
async fn the_month_grid_shows_events_with_previous_and_next() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let b = app.login(&app.a.tech).await;
    b.post(
        &format!("/clients/{cid}/calendar"),
        &[
            ("title", "Patch night"),
            ("start_date", "2026-12-15T20:00"),
            ("end_date", "2026-12-16T02:00"),
        ],
    )
    .await;
    let december = b
        .get(&format!("/clients/{cid}/calendar/month?month=2026-12"))
        .await;
    assert_eq!(december.status, 200);
    assert!(december.body.contains("December 2026"));
    assert_eq!(
        december.texts("a.event").len(),
        2,
        "shown on both days it spans"
    );
    assert!(december.body.contains("month=2026-11") && december.body.contains("month=2027-01"));
    let january = b
        .get(&format!("/clients/{cid}/calendar/month?month=2027-01"))
        .await;
    assert!(january.texts("a.event").is_empty());
    assert!(b
        .get(&format!("/clients/{cid}/calendar"))
        .await
        .body
        .contains("Month view"));
    let intruder = app.login(&app.b.tech).await;
    assert_eq!(
        intruder
            .get(&format!("/clients/{cid}/calendar/month"))
            .await
            .status,
        404
    );
}
