//! Reports across clients: figures computed by hand here match the page and its CSV;
//! a restricted technician's reports hold only their clients; a role that may not
//! read a report neither sees it listed nor opens it; pages run a fixed number of
//! statements whatever the number of rows.

use chrono::{Duration, Utc};
use mspdesk::domain::documentation::licenses::Licenses;
use mspdesk::domain::scheduling::trips::Trips;
use mspdesk::domain::service_desk::tickets::Tickets;
use mspdesk::domain::tenancy::users::{self, Role};

use crate::fixtures;
use crate::helpers::TestApp;

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn licence(
    app: &TestApp,
    cid: i64,
    name: &str,
    vendor: &str,
    seats: &str,
    cost: &str,
    expires: &str,
) {
    fixtures::row::<Licenses>(
        app,
        app.a.id,
        cid,
        &[
            ("name", name),
            ("vendor", vendor),
            ("seats", seats),
            ("cost", cost),
            ("expiry_date", expires),
        ],
    );
}

#[actix_web::test]
async fn licence_cost_expirations_and_trips_add_up_and_honour_restrictions() {
    let app = TestApp::spawn().await;
    let acme = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let birch = fixtures::client(&mut app.conn(), app.a.id, "Birch");
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    licence(&app, acme, "M365 E3", "Microsoft", "10", "360.00", &day(10));
    licence(&app, acme, "Visio", "Microsoft", "2", "40.50", &day(200));
    licence(&app, acme, "Acrobat", "Adobe", "3", "99.99", &day(-3));
    licence(&app, birch, "M365 E5", "Microsoft", "4", "228.00", &day(20));
    let tech = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let tech_s = tech.to_string();
    for (cid, miles) in [(acme, "12.5"), (acme, "7.25"), (birch, "30")] {
        fixtures::row::<Trips>(
            &app,
            app.a.id,
            cid,
            &[
                ("user_id", tech_s.as_str()),
                ("purpose", "On-site"),
                ("start_date", &today.to_string()),
                ("mileage", miles),
                ("rate_per_mile", "0.700"),
            ],
        );
    }
    let admin = app.login(&app.a.admin).await;

    let page = admin.get("/reports/licenses").await;
    assert_eq!(page.status, 200);
    let rows: Vec<Vec<String>> = page
        .html()
        .select(&scraper::Selector::parse("table.list tbody tr").unwrap())
        .map(|r| {
            r.text()
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["Acme", "Microsoft", "2", "12", "400.50"],
            ["Birch", "Microsoft", "1", "4", "228.00"],
            ["Acme", "Adobe", "1", "3", "99.99"],
        ]
    );
    assert!(page.body.contains("<svg"), "a chart is drawn");
    assert!(
        page.body.contains("Microsoft: 628.50") || page.body.contains("628.50"),
        "vendors add up across clients"
    );
    let csv = admin.get("/reports/licenses.csv").await;
    assert_eq!(
        csv_rows(&csv.body)[1],
        ["Acme", "Microsoft", "2", "12", "400.50"]
    );

    let due = admin.get("/reports/expirations?days=30").await;
    let names = due.texts("table.list tbody td:nth-child(4)");
    assert_eq!(
        names,
        ["M365 E3", "M365 E5"],
        "within 30 days, not expired, not later"
    );
    let wide = admin.get("/reports/expirations.csv?days=365").await;
    assert_eq!(csv_rows(&wide.body).len(), 1 + 3);

    let trips = admin.get("/reports/trips.csv").await;
    let rows = csv_rows(&trips.body);
    assert_eq!(rows[0], ["Technician", "Month", "Trips", "Miles", "Cost"]);
    assert_eq!(rows[1][2..], ["3", "49.75", "34.83"], "{rows:?}");

    // A technician restricted to Acme reads Acme only.
    let now = chrono::Utc::now().naive_utc();
    users::set_access(
        &mut app.conn(),
        app.a.id,
        tech,
        Role::Tech,
        true,
        &[acme],
        now,
    )
    .unwrap();
    let t = app.login(&app.a.tech).await;
    let theirs = csv_rows(&t.get("/reports/licenses.csv").await.body);
    assert!(theirs[1..].iter().all(|r| r[0] == "Acme"), "{theirs:?}");
    let their_trips = csv_rows(&t.get("/reports/trips.csv").await.body);
    assert_eq!(their_trips[1][3], "19.75");
    // Money reports are for billing roles.
    assert_eq!(t.get("/reports/receivables").await.status, 403);
    let index = t.get("/reports").await;
    assert!(!index.body.contains("/reports/receivables"));
    assert!(index.body.contains("/reports/licenses"));
}

#[actix_web::test]
async fn report_pages_run_the_same_statements_for_5_and_100_rows() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let today = Utc::now().date_naive();
    let add = |from: usize, to: usize| {
        for i in from..to {
            licence(
                &app,
                cid,
                &format!("Licence {i}"),
                &format!("Vendor {}", i % 7),
                "1",
                "10.00",
                &(today + Duration::days(i as i64 % 20)).to_string(),
            );
            fixtures::row::<Tickets>(
                &app,
                app.a.id,
                cid,
                &[("subject", &format!("Ticket {i}")), ("priority", "low")],
            );
        }
    };
    let pages = [
        "/reports",
        "/reports/expirations",
        "/reports/licenses",
        "/reports/trips",
        "/reports/tickets",
        "/reports/receivables",
        "/reports/revenue",
        "/admin/import",
        "/admin/feeds",
    ];
    add(0, 5);
    let b = app.login(&app.a.admin).await;
    let mut small = vec![];
    for p in pages {
        let page = b.get(p).await;
        assert_eq!(page.status, 200, "{p}");
        small.push(page.statements.unwrap());
    }
    add(5, 100);
    for (p, before) in pages.iter().zip(&small) {
        assert_eq!(b.get(p).await.statements.unwrap(), *before, "{p}");
    }
    assert!(
        small.iter().all(|n| *n <= 4),
        "user, then at most three reads: {small:?}"
    );
}

#[actix_web::test]
async fn a_long_report_shows_its_first_rows_and_the_csv_has_them_all() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let today = Utc::now().date_naive();
    let shown = mspdesk::web::reports::SHOWN_ROWS;
    let all = shown + 5;
    // One licence per vendor: as many expirations and as many (client, vendor) groups.
    for i in 0..all {
        licence(
            &app,
            cid,
            &format!("Licence {i:04}"),
            &format!("Vendor {i:04}"),
            "1",
            &format!("{}.00", 10 + i),
            &(today + Duration::days(1 + i as i64 % 20)).to_string(),
        );
    }
    let b = app.login(&app.a.admin).await;
    for (report, cell) in [("expirations", "<td>Licence "), ("licenses", "<td>Vendor ")] {
        let page = b.get(&format!("/reports/{report}")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.body.matches(cell).count(), shown, "{report}");
        assert!(
            page.body
                .contains(&format!("Showing the first {shown} of {all} rows")),
            "{report}: {}",
            page.body
        );
        let csv = b.get(&format!("/reports/{report}.csv")).await;
        let rows = csv_rows(&csv.body)
            .iter()
            .filter(|r| r.iter().any(|c| c.starts_with(&cell[4..])))
            .count();
        assert_eq!(rows, all, "{report}: the CSV has every row");
    }
    // Costliest first: the page keeps the dearest licences, the chart counts them all.
    let page = b.get("/reports/licenses").await;
    let last = format!("<td>Vendor {:04}</td>", all - 1);
    let first_left_out = format!("<td>Vendor {:04}</td>", all - 1 - shown);
    assert!(page.body.contains(&last), "the dearest group is shown");
    assert!(
        !page.body.contains(&first_left_out),
        "the cheapest groups are left out"
    );
}
