//! The service desk as a technician lives it: tickets move only the way the server
//! allows, numbers never collide, racks refuse what does not fit, projects count their
//! tickets, the dashboard lists what needs attention, and a restricted technician sees
//! nothing of the clients they were not given.

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

/// A ticket through the form; returns its page's path.
async fn ticket(b: &crate::helpers::Browser, cid: i64, fields: &[(&str, &str)]) -> String {
    let mut all = vec![("priority", "medium")];
    all.extend_from_slice(fields);
    let made = b.post(&format!("/clients/{cid}/tickets"), &all).await;
    assert_eq!(made.status, 303, "{}", made.body);
    made.location
}

#[actix_web::test]
async fn a_ticket_lives_from_new_to_closed_and_refused_moves_keep_the_reply() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let page = ticket(&tech, cid, &[("subject", "VPN drops every hour")]).await;
    let shown = tech.get(&page).await;
    assert!(shown
        .texts("h2")
        .join(" ")
        .contains("T-1001 VPN drops every hour"));
    assert!(shown.body.contains("New"));
    let reply = format!("{page}/reply");
    // Assigned through the edit form; the status is not a field there.
    let me = fixtures::user_id(&mut app.conn(), &app.a.tech).to_string();
    let edited = tech
        .post(
            &page,
            &[
                ("subject", "VPN drops every hour"),
                ("priority", "high"),
                ("assignee_id", &me),
                ("status", "closed"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let status = |page: &crate::helpers::Page| -> String {
        let (labels, values) = (page.texts("dl.details dt"), page.texts("dl.details dd"));
        let at = labels
            .iter()
            .position(|l| l == "Status")
            .expect("a Status field");
        values[at].clone()
    };
    assert_eq!(
        status(&tech.get(&page).await),
        "New",
        "a posted status is ignored"
    );

    // New → Open with a reply and time worked.
    let step = tech
        .post(
            &reply,
            &[
                ("body", "Looked at the tunnel logs."),
                ("minutes", "30"),
                ("billable", "on"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(step.status, 303, "{}", step.body);
    // Closing without a note is refused, and the form keeps what was typed.
    let refused = tech
        .post(&reply, &[("minutes", ""), ("status", "closed")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body
        .contains("Closing a ticket needs a resolution note"));
    // Time without a word about it is refused too; the minutes stay in the form.
    let refused = tech.post(&reply, &[("minutes", "15")]).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.input("minutes").as_deref(), Some("15"));
    // Nothing goes back to New, and nonsense is refused.
    for status in ["new", "bogus"] {
        let refused = tech
            .post(&reply, &[("body", "x"), ("status", status)])
            .await;
        assert_eq!(refused.status, 422, "{status}");
        assert_eq!(
            refused.input("body").as_deref(),
            Some("x"),
            "the reply is kept"
        );
    }
    // Resolved with a note, re-opened, then closed with the resolution note.
    for (body, status, minutes) in [
        ("Replaced the ISP router's DPD settings.", "resolved", "45"),
        ("", "open", ""),
        ("Stable for a week; closing.", "closed", "5"),
    ] {
        let step = tech
            .post(
                &reply,
                &[
                    ("body", body),
                    ("status", status),
                    ("minutes", minutes),
                    ("public", "on"),
                ],
            )
            .await;
        assert_eq!(step.status, 303, "{status}: {}", step.body);
    }
    let closed = tech.get(&page).await;
    assert_eq!(status(&closed), "Closed");
    let timeline = closed.texts("ol.timeline li").join("\n");
    for line in [
        "created the ticket",
        "Status: New → Open",
        "Assigned to: — → Tech",
        "Priority: Medium → High",
        "Status: Open → Resolved",
        "Status: Resolved → Open",
        "Status: Open → Closed",
        "Looked at the tunnel logs.",
    ] {
        assert!(timeline.contains(line), "{line} in\n{timeline}");
    }
    // Minutes add up: 30 + 45 + 5, of which 30 billable.
    assert!(
        closed
            .body
            .contains("Time worked: <strong>1 h 20 min</strong>, billable 30 min"),
        "{}",
        closed.body
    );
    assert!(closed
        .texts("section[aria-label='Resolution']")
        .join(" ")
        .contains("Stable for a week"));
    // A closed ticket is final.
    let reopen = tech
        .post(&reply, &[("body", "again"), ("status", "open")])
        .await;
    assert_eq!(reopen.status, 422);
    // The accountant reads the ticket but may not reply.
    let acc = app.login(&app.a.accountant).await;
    assert_eq!(acc.get(&page).await.status, 200);
    assert!(acc.get(&page).await.texts("form.reply-form").is_empty());
    assert_eq!(acc.post(&reply, &[("body", "hi")]).await.status, 403);
}

#[actix_web::test]
async fn fifty_tickets_created_at_once_get_fifty_consecutive_numbers() {
    let app = TestApp::spawn().await;
    let (acme, other) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Acme"),
            fixtures::client(&mut conn, app.b.id, "Other tenant's client"),
        )
    };
    let tech = app.login(&app.a.tech).await;
    let subjects: Vec<String> = (0..50).map(|i| format!("Parallel {i}")).collect();
    let made = futures_util::future::join_all(subjects.iter().map(|s| {
        let tech = &tech;
        async move {
            tech.post(
                &format!("/clients/{acme}/tickets"),
                &[("subject", s.as_str()), ("priority", "low")],
            )
            .await
            .status
        }
    }))
    .await;
    assert!(made.iter().all(|s| *s == 303), "{made:?}");
    // Another tenant starts its own sequence.
    let theirs = app.login(&app.b.tech).await;
    let first = ticket(&theirs, other, &[("subject", "Theirs")]).await;
    assert!(theirs.get(&first).await.body.contains("T-1001"));

    use diesel::prelude::*;
    use mspdesk::domain::schema::tickets;
    let mut numbers: Vec<Option<i64>> = tickets::table
        .filter(tickets::tenant_id.eq(app.a.id.get()))
        .select(tickets::number)
        .load(&mut *app.conn())
        .unwrap();
    numbers.sort();
    let expected: Vec<Option<i64>> = (1001..=1050).map(Some).collect();
    assert_eq!(numbers, expected);
}

#[actix_web::test]
async fn a_rack_refuses_overlapping_and_out_of_range_devices_and_draws_the_rest() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let rack = tech
        .post(
            &format!("/clients/{cid}/racks"),
            &[("name", "Closet"), ("units", "12")],
        )
        .await;
    let rack_id = id_from(&rack.location).to_string();
    let assets = format!("/clients/{cid}/assets");
    let put = |name: &'static str, unit: &'static str, height: &'static str| {
        let (tech, assets, rack_id) = (&tech, assets.clone(), rack_id.clone());
        async move {
            tech.post(
                &assets,
                &[
                    ("name", name),
                    ("rack_id", &rack_id),
                    ("rack_unit", unit),
                    ("rack_height", height),
                ],
            )
            .await
        }
    };
    assert_eq!(put("SRV01", "1", "2").await.status, 303);
    assert_eq!(put("FW01", "12", "1").await.status, 303);
    let overlap = put("SRV02", "2", "2").await;
    assert_eq!(overlap.status, 422);
    assert_eq!(
        overlap.field_error("rack_unit").as_deref(),
        Some("U2–U3 are taken by SRV01 (U1–U2).")
    );
    assert_eq!(overlap.input("name").as_deref(), Some("SRV02"));
    let too_tall = put("SAN", "11", "3").await;
    assert_eq!(too_tall.status, 422);
    assert!(too_tall
        .field_error("rack_unit")
        .unwrap()
        .contains("does not fit"));
    let no_unit = put("Loose", "", "").await;
    assert_eq!(no_unit.status, 422, "a rack without a unit is refused");
    assert_eq!(
        put("SRV02", "3", "2").await.status,
        303,
        "the free units take it"
    );

    let diagram = tech.get(&rack.location).await;
    let mounted = diagram.texts("td.mounted a");
    assert_eq!(mounted, vec!["FW01", "SRV02", "SRV01"], "top to bottom");
    assert!(diagram.body.contains(r#"rowspan="2""#));
}

#[actix_web::test]
async fn a_project_counts_its_closed_tickets() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let project = tech
        .post(
            &format!("/clients/{cid}/projects"),
            &[("name", "M365 migration"), ("status", "active")],
        )
        .await;
    assert_eq!(project.status, 303, "{}", project.body);
    let pid = id_from(&project.location).to_string();
    let mut pages = vec![];
    for s in ["Mailboxes", "File shares", "Licences", "Old server"] {
        pages.push(ticket(&tech, cid, &[("subject", s), ("project_id", &pid)]).await);
    }
    ticket(&tech, cid, &[("subject", "Not in the project")]).await;
    let close = |page: String| {
        let tech = &tech;
        async move {
            let done = tech
                .post(
                    &format!("{page}/reply"),
                    &[("body", "Done."), ("status", "closed")],
                )
                .await;
            assert_eq!(done.status, 303);
        }
    };
    close(pages[0].clone()).await;
    tech.post(
        &format!("{}/reply", pages[1]),
        &[("body", "Done."), ("status", "resolved")],
    )
    .await;
    let page = tech.get(&project.location).await;
    assert!(
        page.body.contains("2 of 4 tickets resolved or closed"),
        "{}",
        page.body
    );
    assert_eq!(page.texts("section[aria-label='Progress'] li a").len(), 4);
    // The Projects tab counts open projects only.
    let dash = tech.get(&format!("/clients/{cid}")).await;
    assert!(dash.texts(".tabs a").contains(&"Projects 1".to_string()));
}

#[actix_web::test]
async fn the_dashboard_lists_what_expires_within_30_days_soonest_first() {
    let app = TestApp::spawn().await;
    let today = chrono::Utc::now().date_naive();
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let cid = fixtures::client_with(&mut app.conn(), app.a.id, "Acme", |_, b| {
        b.contract_end_date = Some(today + chrono::Duration::days(20));
    });
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}");
    // (tab, fields, the date field and its distance from today in days)
    for (path, fields, date, days) in [
        (
            "licenses",
            vec![("name", "Office 365"), ("seats", "25")],
            "expiry_date",
            12,
        ),
        (
            "licenses",
            vec![("name", "Later licence"), ("seats", "5")],
            "expiry_date",
            90,
        ),
        (
            "certificates",
            vec![("name", "Wildcard"), ("domain", "*.acme.test")],
            "expiry_date",
            -3,
        ),
        (
            "domains",
            vec![("domain_name", "acme.test")],
            "expiry_date",
            25,
        ),
        (
            "assets",
            vec![("name", "FW01"), ("status", "deployed")],
            "warranty_expiry",
            5,
        ),
        (
            "assets",
            vec![("name", "Old NAS"), ("status", "retired")],
            "warranty_expiry",
            -100,
        ),
    ] {
        let when = day(days);
        let mut fields = fields;
        fields.push((date, when.as_str()));
        let made = tech.post(&format!("{base}/{path}"), &fields).await;
        assert_eq!(made.status, 303, "{path}: {}", made.body);
    }
    let list = |page: &crate::helpers::Page| -> Vec<String> {
        page.texts("section[aria-label='Needs attention'] li a")
    };
    let as_tech = tech.get(&base).await;
    assert_eq!(
        list(&as_tech),
        vec!["Wildcard", "FW01", "Office 365", "acme.test"]
    );
    assert!(as_tech.body.contains("expiry-expired"));
    // The accountant also sees the contract end (a billing date), in its place.
    let acc = app.login(&app.a.accountant).await;
    let as_acc = acc.get(&base).await;
    assert_eq!(
        list(&as_acc),
        vec!["Wildcard", "FW01", "Office 365", "Acme", "acme.test"]
    );
    assert!(as_acc.body.contains("Hourly rate") && !as_tech.body.contains("Hourly rate"));
    // The activity is in words, with links.
    let activity = as_tech
        .texts("section[aria-label='Recent activity'] li")
        .join("\n");
    assert!(activity.contains("added license Office 365"), "{activity}");
    // The home page has them across clients, and the client is remembered.
    let home = tech.get("/").await;
    let due = home.texts("section[aria-label='Expiring within 30 days'] li a");
    assert_eq!(due, vec!["Wildcard", "FW01", "Office 365", "acme.test"]);
    assert_eq!(
        home.texts("section[aria-label='Recently viewed clients'] li a"),
        vec!["Acme"]
    );
}

#[actix_web::test]
async fn a_restricted_technician_sees_nothing_of_the_other_clients_service_desk() {
    let app = TestApp::spawn().await;
    let (mine, hidden) = {
        let mut conn = app.conn();
        (
            fixtures::client(&mut conn, app.a.id, "Given Client"),
            fixtures::client(&mut conn, app.a.id, "Hidden Client"),
        )
    };
    let admin = app.login(&app.a.admin).await;
    for (cid, subject, asset) in [
        (mine, "Given ticket", "Given PC"),
        (hidden, "Hidden ticket", "Hidden PC"),
    ] {
        let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech).to_string();
        ticket(
            &admin,
            cid,
            &[
                ("subject", subject),
                ("assignee_id", &tech_id),
                ("due_date", "2020-01-01"),
            ],
        )
        .await;
        let made = admin
            .post(&format!("/clients/{cid}/assets"), &[("name", asset)])
            .await;
        assert_eq!(made.status, 303);
    }
    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    let m = mine.to_string();
    let saved = admin
        .post(
            &format!("/admin/users/{tech_id}"),
            &[("role", "2"), ("restricted", "on"), ("client", &m)],
        )
        .await;
    assert_eq!(saved.status, 303);
    // The hidden client's ticket was assigned before the restriction: the assignee
    // picker of that client no longer offers the technician.
    let picker = admin.get(&format!("/clients/{hidden}/tickets/new")).await;
    let offered = picker.texts("select[name='assignee_id'] option").join("|");
    assert!(
        offered.contains("Admin") && !offered.contains("Tech"),
        "a restricted tech is not offered for a client they cannot open: {offered}"
    );
    // The top menu counts only the tickets of clients the technician may open.
    let tech = app.login(&app.a.tech).await;
    let menu = tech.get("/clients").await.texts("nav.main a").join("|");
    assert!(menu.contains("Tickets 1"), "{menu}");

    for path in [
        "/tickets?status=all",
        "/tickets?overdue=1",
        "/tickets?assignee=me",
        "/assets",
        "/",
    ] {
        let page = tech.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.body.contains("Hidden"),
            "{path} shows the hidden client"
        );
        assert!(page.body.contains("Given"), "{path} lacks the given client");
    }
    let queue = tech.get("/tickets?status=all").await;
    assert!(queue.body.contains("1–1 of 1"));
    let other = tech.get(&format!("/tickets?client={hidden}")).await;
    assert!(
        !other.body.contains("Hidden"),
        "naming the hidden client shows nothing"
    );
    assert_eq!(
        tech.get(&format!("/clients/{hidden}/tickets")).await.status,
        404
    );
}

#[actix_web::test]
async fn a_deep_page_of_a_sorted_list_holds_the_rows_its_order_puts_there() {
    use mspdesk::domain::assets::devices::Assets;
    use mspdesk::domain::service_desk::tickets::Tickets;
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let mut tickets = vec![];
    let mut assets = vec![];
    // Created out of order, so that id order is not the sorted order.
    for i in (0..30).rev() {
        let t = fixtures::row::<Tickets>(
            &app,
            app.a.id,
            cid,
            &[("subject", &format!("Ticket {i:02}")), ("priority", "low")],
        );
        tickets.push((i, t));
        let a = fixtures::row::<Assets>(
            &app,
            app.a.id,
            cid,
            &[
                ("name", &format!("Host {i:02}")),
                ("ip_address", &format!("10.0.0.{:02}", i + 10)),
            ],
        );
        assets.push((i, a));
    }
    let tech = app.login(&app.a.tech).await;
    let ids = |rows: &[(i32, i64)], order: &[i32], what: &str| -> Vec<String> {
        order
            .iter()
            .map(|n| {
                let id = rows.iter().find(|(i, _)| i == n).unwrap().1;
                format!("/clients/{cid}/{what}/{id}")
            })
            .collect()
    };
    let shown = |page: &crate::browser::Page, what: &str| -> Vec<String> {
        let mut seen: Vec<String> = vec![];
        for h in page.hrefs("table a") {
            if h.contains(&format!("/{what}/")) && !seen.contains(&h) {
                seen.push(h);
            }
        }
        seen
    };

    // 30 rows, 25 a page: page 2 of the descending order holds the five lowest.
    let page = tech.get("/tickets?sort=subject&dir=desc&page=2").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        shown(&page, "tickets"),
        ids(&tickets, &[4, 3, 2, 1, 0], "tickets")
    );
    let page = tech.get("/assets?sort=ip_address&page=2").await;
    assert_eq!(
        shown(&page, "assets"),
        ids(&assets, &[25, 26, 27, 28, 29], "assets")
    );
    let page = tech.get("/assets?sort=ip_address&dir=desc").await;
    assert_eq!(
        shown(&page, "assets")[..2],
        ids(&assets, &[29, 28], "assets")[..]
    );
}
