//! Data out: a list as CSV with its filter (no secrets, formulas defused), contacts as
//! vCards and calendar feeds as iCalendar, both read back by a real parser (`ical`);
//! a feed answers at its secret address until revoked, and only with its own tenant's
//! (or client's) events.

use std::io::BufReader;

use mspdesk::domain::directory::contacts::Contacts;
use mspdesk::domain::documentation::credentials::Credentials;
use mspdesk::domain::scheduling::calendar::Events;

use crate::fixtures;
use crate::helpers::TestApp;

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[ical::property::Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

#[actix_web::test]
async fn a_list_exports_as_csv_with_its_search_and_without_secrets() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme, Inc.");
    fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "Ada Lovelace"), ("email", "ada@acme.test")],
    );
    fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[("name", "=HYPERLINK(\"evil\")"), ("email", "x@acme.test")],
    );
    fixtures::row::<Contacts>(&app, app.a.id, cid, &[("name", "Grace Hopper")]);
    fixtures::row::<Credentials>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Firewall admin"),
            ("username", "root"),
            ("password", "hunter2-secret"),
        ],
    );
    let b = app.login(&app.a.admin).await;

    let list = b.get(&format!("/clients/{cid}/contacts?q=a")).await;
    let export = list
        .hrefs("a")
        .into_iter()
        .find(|h| h.contains("contacts.csv"))
        .expect("an export link");
    assert!(export.contains("q=a"), "{export}");
    let csv = b.get(&export).await;
    assert_eq!(csv.status, 200);
    let body = csv.body.trim_start_matches('\u{feff}');
    let mut reader = ::csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "Name");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.contains(&"'=HYPERLINK(\"evil\")".to_string()),
        "a formula is defused: {names:?}"
    );
    let narrowed = b
        .get(&format!("/clients/{cid}/contacts.csv?q=lovelace"))
        .await;
    assert_eq!(
        narrowed.body.lines().count(),
        2,
        "header and Ada: {}",
        narrowed.body
    );

    let creds = b.get(&format!("/clients/{cid}/credentials.csv")).await;
    assert!(creds.body.contains("Firewall admin") && creds.body.contains("root"));
    assert!(
        !creds.body.contains("hunter2-secret"),
        "secrets never leave in a CSV"
    );

    let other = app.login(&app.b.admin).await;
    assert_eq!(
        other
            .get(&format!("/clients/{cid}/contacts.csv"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn contacts_are_vcards_a_parser_reads() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Smith, Jones; Partners");
    fixtures::row::<Contacts>(
        &app,
        app.a.id,
        cid,
        &[
            ("name", "Ada King Lovelace"),
            ("email", "ada@acme.test"),
            ("phone", "+1 555 0100"),
            ("title", "CTO, interim"),
        ],
    );
    let b = app.login(&app.a.tech).await;
    let page = b.get(&format!("/clients/{cid}/contacts.vcf")).await;
    assert_eq!(page.status, 200);
    let cards: Vec<_> = ical::VcardParser::new(BufReader::new(page.body.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("valid vCards");
    assert_eq!(cards.len(), 1);
    let p = &cards[0].properties;
    assert_eq!(value(p, "VERSION"), "4.0");
    assert_eq!(value(p, "FN"), "Ada King Lovelace");
    assert_eq!(value(p, "N"), "Lovelace;Ada;King;;");
    assert_eq!(value(p, "EMAIL"), "ada@acme.test");
    assert_eq!(value(p, "TEL"), "+1 555 0100");
    assert_eq!(value(p, "TITLE"), "CTO\\, interim", "commas escaped");
    assert_eq!(
        value(p, "ORG"),
        "Smith\\, Jones\\; Partners",
        "semicolons escaped"
    );
}

#[actix_web::test]
async fn a_calendar_feed_answers_at_its_secret_address_until_revoked() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let other = fixtures::client(&mut app.conn(), app.a.id, "Bravo");
    let long = "Bring the console cable, the spare PSU; check the UPS.\nThen call Sam. ".repeat(3);
    fixtures::row::<Events>(
        &app,
        app.a.id,
        cid,
        &[
            ("title", "Firewall swap, phase 1"),
            ("start_date", "2027-01-15 09:00"),
            ("end_date", "2027-01-15 11:30"),
            ("location", "Server room; 2nd floor"),
            ("description", &long),
        ],
    );
    fixtures::row::<Events>(
        &app,
        app.a.id,
        cid,
        &[
            ("title", "Office closed"),
            ("start_date", "2027-07-01 00:00"),
            ("end_date", "2027-07-02 00:00"),
            ("all_day", "on"),
        ],
    );
    fixtures::row::<Events>(
        &app,
        app.a.id,
        other,
        &[
            ("title", "Bravo review"),
            ("start_date", "2027-02-01 10:00"),
        ],
    );
    let b_client = fixtures::client(&mut app.conn(), app.b.id, "Beta client");
    fixtures::row::<Events>(
        &app,
        app.b.id,
        b_client,
        &[
            ("title", "Other tenant"),
            ("start_date", "2027-02-01 10:00"),
        ],
    );
    let admin = app.login(&app.a.admin).await;
    let zone = [
        ("time_zone", "Europe/Berlin"),
        ("catch_up", "all"),
        ("leads", "30"),
        ("overdue_days", ""),
    ];
    assert_eq!(admin.post("/admin/scheduler", &zone).await.status, 303);

    let made = admin
        .post(
            "/admin/feeds",
            &[("label", "Acme on my phone"), ("client", &cid.to_string())],
        )
        .await;
    assert_eq!(made.status, 200);
    let url = made.texts("code.feed-url")[0].clone();
    let anonymous = app.browser();
    let feed = anonymous.get(&url).await;
    assert_eq!(feed.status, 200, "no login needed");
    let cal = ical::IcalParser::new(BufReader::new(feed.body.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid iCalendar");
    let titles: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "SUMMARY"))
        .collect();
    assert_eq!(
        titles,
        ["Firewall swap\\, phase 1", "Office closed"],
        "this client's only"
    );
    let swap = &cal.events[0].properties;
    assert_eq!(
        value(swap, "DTSTART"),
        "20270115T080000Z",
        "09:00 in Berlin is 08:00 UTC in winter"
    );
    assert_eq!(value(swap, "DTEND"), "20270115T103000Z");
    assert_eq!(value(swap, "LOCATION"), "Server room\\; 2nd floor");
    let description = value(swap, "DESCRIPTION");
    assert!(feed.body.lines().all(|l| l.len() <= 75), "lines are folded");
    let unescaped = description
        .replace("\\n", "\n")
        .replace("\\;", ";")
        .replace("\\,", ",");
    assert_eq!(
        unescaped,
        long.trim(),
        "unfolded and unescaped, it is the text"
    );
    let closed = &cal.events[1].properties;
    let start = prop(closed, "DTSTART").unwrap();
    assert_eq!(start.value.as_deref(), Some("20270701"));
    assert!(
        format!("{:?}", start.params).contains("DATE"),
        "an all-day date"
    );
    assert_eq!(value(closed, "DTEND"), "20270703", "the end is exclusive");

    // A tenant-wide feed has every client's events but never another tenant's.
    let all = admin.post("/admin/feeds", &[("label", "Everything")]).await;
    let all_url = all.texts("code.feed-url")[0].clone();
    let body = anonymous.get(&all_url).await.body;
    assert!(body.contains("Bravo review") && !body.contains("Other tenant"));

    // Revoked: gone at once; a made-up token is nothing.
    let feeds = admin.get("/admin/feeds").await;
    let revoke = feeds.attrs("form[action$='/revoke']", "action");
    for action in &revoke {
        assert_eq!(admin.post(action, &[]).await.status, 303);
    }
    assert_eq!(anonymous.get(&url).await.status, 404);
    assert_eq!(
        anonymous
            .get("/feeds/not-a-token/calendar.ics")
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn the_ticket_queue_and_the_inventory_export_with_their_filters() {
    use mspdesk::domain::assets::devices::Assets;
    use mspdesk::domain::tenancy::users::{self, Role};
    let app = TestApp::spawn().await;
    let mine = fixtures::client(&mut app.conn(), app.a.id, "Mine Corp");
    let other = fixtures::client(&mut app.conn(), app.a.id, "Other Corp");
    let contact = fixtures::row::<Contacts>(&app, app.a.id, mine, &[("name", "Sam")]);
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    crate::notifications::open_ticket(&app, mine, contact, tech_id, "Printer jam");
    crate::notifications::open_ticket(&app, mine, contact, tech_id, "VPN down");
    let other_contact = fixtures::row::<Contacts>(&app, app.a.id, other, &[("name", "Kim")]);
    crate::notifications::open_ticket(&app, other, other_contact, tech_id, "Printer toner");
    fixtures::row::<Assets>(
        &app,
        app.a.id,
        mine,
        &[("name", "FW01"), ("warranty_expiry", "2020-01-01")],
    );
    fixtures::row::<Assets>(&app, app.a.id, other, &[("name", "SW01")]);

    let admin = app.login(&app.a.admin).await;
    let queue = admin.get("/tickets?status=all&q=printer").await;
    let href = queue
        .hrefs("a")
        .into_iter()
        .find(|h| h.starts_with("/tickets.csv"))
        .unwrap();
    assert!(
        href.contains("q=printer") && href.contains("status=all"),
        "{href}"
    );
    let csv = admin.get(&href).await.body;
    assert_eq!(
        csv.lines().count(),
        3,
        "header and two printer tickets: {csv}"
    );
    assert!(csv.contains("Printer jam") && csv.contains("Printer toner") && !csv.contains("VPN"));
    let assets = admin.get("/assets.csv?filter=expired").await.body;
    assert!(
        assets.contains("FW01") && !assets.contains("SW01"),
        "{assets}"
    );

    // A restricted technician exports only their clients' rows.
    users::set_access(
        &mut app.conn(),
        app.a.id,
        tech_id,
        Role::Tech,
        true,
        &[mine],
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    let tech = app.login(&app.a.tech).await;
    let theirs = tech.get("/tickets.csv?status=all").await.body;
    assert!(
        theirs.contains("Printer jam") && !theirs.contains("Printer toner"),
        "{theirs}"
    );
    let assets = tech.get("/assets.csv").await.body;
    assert!(assets.contains("FW01") && !assets.contains("SW01"));
}
