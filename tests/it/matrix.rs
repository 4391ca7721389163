//! Driven by the route table: every route × every role gets what the policy table says,
//! and every route that takes an id, called by another tenant with real ids, is a 404
//! that changes nothing.

use diesel::prelude::*;
use mspdesk::domain::policy;
use mspdesk::domain::policy::Role;
use mspdesk::domain::policy::{Action, Area};
use mspdesk::domain::registry;
use mspdesk::domain::schema::audit_log;
use mspdesk::web::routes::{table, RouteDef};

use crate::api::{key, Api};
use crate::fixtures;
use crate::helpers::{id_from, Browser, TestApp};

/// Tenant A is the demo tenant, which documents every registered resource for every
/// client: the first client and the first row of each resource's list, found through
/// the pages, so a new resource is walked without being named here. (client, slug → id)
async fn world(app: &TestApp, admin: &Browser) -> (i64, Vec<(String, i64)>) {
    let clients = admin.get("/clients").await;
    let cid = id_from(&clients.hrefs("table.list tbody td:first-child a")[0]);
    let mut ids = vec![];
    for info in registry::all() {
        let list = admin.get(&format!("/clients/{cid}/{}", info.slug)).await;
        let first = list.hrefs("table.list tbody td:first-child a");
        let first = first
            .first()
            .unwrap_or_else(|| panic!("the demo has no {}", info.slug));
        ids.push((info.slug.to_string(), id_from(first)));
    }
    // The money documents, from the client's billing tab and an invoice with payments.
    let billing = admin.get(&format!("/clients/{cid}/billing")).await;
    for (slug, table) in [
        ("invoices", "table.invoices"),
        ("quotes", "table.quotes"),
        ("recurring-invoices", "table.recurring"),
    ] {
        let first = billing.hrefs(&format!("{table} tbody a"));
        let first = first
            .first()
            .unwrap_or_else(|| panic!("the demo has no {slug}"));
        ids.push((slug.to_string(), id_from(first)));
    }
    let paid = billing.hrefs("table.payments tbody a");
    let invoice = admin.get(&paid[0]).await;
    let payment = invoice.attrs("table.payments form", "action");
    let payment = payment[0].trim_end_matches("/delete").to_string();
    ids.push(("payments".into(), id_from(&payment)));
    // A spare user for the user routes: disabling one of the roles' own users would
    // end the session the matrix walks with.
    let spare = mspdesk::domain::tenancy::users::create(
        &mut app.conn(),
        app.a.id,
        "Spare User",
        "spare@alpha.test",
        "no password",
        Role::Tech,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    ids.push(("users".into(), spare));
    // A waiting message, so the job routes have a job of the tenant.
    let draft = mspdesk::domain::automation::mails::Draft {
        kind: "test",
        to: "ops@acme.test",
        subject: "Matrix",
        text: "Hello",
        html: "<p>Hello</p>",
        attachment: None,
    };
    let now = chrono::Utc::now().naive_utc();
    let mail =
        mspdesk::domain::automation::mails::queue(&mut app.conn(), app.a.id, &draft, now).unwrap();
    let job: i64 = {
        use diesel::prelude::*;
        use mspdesk::domain::schema::jobs;
        jobs::table
            .filter(jobs::idempotency_key.eq(format!("mail.send:{mail}")))
            .select(jobs::id)
            .first(&mut app.conn())
            .unwrap()
    };
    ids.push(("jobs".into(), job));
    // A notification of each user (each opens only their own).
    for (role, email) in [
        (Role::Accountant, &app.a.accountant),
        (Role::Tech, &app.a.tech),
        (Role::Admin, &app.a.admin),
    ] {
        use diesel::prelude::*;
        use mspdesk::domain::automation::notifications::{notify, Recipient};
        use mspdesk::domain::schema::notifications as n;
        let user_id = fixtures::user_id(&mut app.conn(), email);
        let to = Recipient {
            user_id,
            email: email.clone(),
            in_app: true,
            by_mail: false,
        };
        notify(
            &mut app.conn(),
            app.a.id,
            &[to],
            "tickets",
            "Matrix",
            "/",
            now,
        )
        .unwrap();
        let id: i64 = n::table
            .filter(n::user_id.eq(user_id))
            .select(diesel::dsl::max(n::id))
            .first::<Option<i64>>(&mut app.conn())
            .unwrap()
            .unwrap();
        ids.push((format!("notification:{role:?}"), id));
    }
    let admin_who = crate::finance::who(app, &app.a, &app.a.admin, Role::Admin);
    let token =
        mspdesk::domain::portability::feeds::create(&mut app.conn(), &admin_who, None, "Matrix")
            .unwrap()
            .unwrap();
    ids.push((format!("token:{token}"), 0));
    // A one-time password link of the accountant (never used up: the matrix posts no
    // acceptable password).
    let link = mspdesk::domain::tenancy::one_time::issue(
        &mut app.conn(),
        app.a.id,
        crate::fixtures::user_id(&mut app.conn(), &app.a.accountant),
        mspdesk::domain::tenancy::one_time::RESET,
        None,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    ids.push((format!("link:{link}"), 0));
    // A share link of a credential, opened by each role in turn (20 views).
    {
        use mspdesk::domain::documentation::credentials::Credentials;
        use mspdesk::domain::scope::{ClientId, RecordId};
        use mspdesk::domain::sharing::links::{create, NewShare};
        let cred = ids.iter().find(|(s, _)| s == "credentials").unwrap().1;
        let new = NewShare {
            minutes: 24 * 60,
            views: 20,
            passphrase: String::new(),
        };
        let now = chrono::Utc::now().naive_utc();
        let (cid, id) = (ClientId(cid), RecordId(cred));
        let share = create::<Credentials>(&mut app.conn(), &admin_who, cid, id, &new, now)
            .unwrap()
            .unwrap();
        ids.push((format!("share:{share}"), 0));
        use mspdesk::domain::schema::share_links as sl;
        let share_id: Option<i64> = sl::table
            .select(diesel::dsl::max(sl::id))
            .first(&mut app.conn())
            .unwrap();
        ids.push(("shares".into(), share_id.unwrap()));
    }
    let feed: i64 = {
        use diesel::prelude::*;
        use mspdesk::domain::schema::calendar_feeds as f;
        f::table
            .select(diesel::dsl::max(f::id))
            .first::<Option<i64>>(&mut app.conn())
            .unwrap()
            .unwrap()
    };
    ids.push(("feeds".into(), feed));
    // An API key of the tenant, for the revoke route (the roles' own keys stay live).
    crate::api::key(app, &app.a, &app.a.admin, true);
    let api_key: i64 = {
        use diesel::prelude::*;
        use mspdesk::domain::schema::api_keys as k;
        k::table
            .select(diesel::dsl::max(k::id))
            .first::<Option<i64>>(&mut app.conn())
            .unwrap()
            .unwrap()
    };
    ids.push(("api-keys".into(), api_key));
    // An upload waiting for its commit: one good row and one that fails, so that the
    // commit is refused (422) and the batch stays for the discard.
    let stored = "matrix-import.csv";
    std::fs::create_dir_all(app.data_dir.join("files")).unwrap();
    std::fs::write(
        app.data_dir.join("files").join(stored),
        "Name,E-mail\nAda,ada@x.test\n,nameless@x.test\n",
    )
    .unwrap();
    let spec = mspdesk::domain::portability::import::Spec {
        kind: "contacts".into(),
        layout: mspdesk::domain::portability::import::Layout::Headers,
        client: Some(
            mspdesk::domain::clients::names(&mut app.conn(), app.a.id)
                .unwrap()
                .into_iter()
                .find(|(id, _)| *id == cid)
                .unwrap()
                .1,
        ),
    };
    let (batch, _) = mspdesk::domain::portability::import::batches::create(
        &mut app.conn(),
        &admin_who,
        (stored, "matrix.csv"),
        &spec,
        None,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    ids.push(("import".into(), batch.0));
    (cid, ids)
}

/// The standard app with the demo tenant as tenant A.
async fn demo_app() -> TestApp {
    TestApp::spawn_custom(fixtures::demo_tenant, |_| {}).await
}

fn concrete(def: &RouteDef, cid: i64, ids: &[(String, i64)]) -> String {
    // An API route takes the same ids as the page it mirrors.
    if let Some(page) = def
        .path
        .strip_prefix("/api/v1")
        .filter(|p| p.starts_with("/clients"))
    {
        let page = RouteDef {
            path: page.to_string(),
            method: def.method.clone(),
            perm: def.perm,
            feature: def.feature,
            route: def.route,
        };
        return format!("/api/v1{}", concrete(&page, cid, ids));
    }
    let mut path = def.path.replace("{cid}", &cid.to_string());
    // A feed's secret token rides in `ids` as `token:<value>`, a password link's as
    // `link:<value>`, a share link's as `share:<value>`.
    let secret = match () {
        _ if path.starts_with("/password/") => "link:",
        _ if path.starts_with("/s/") => "share:",
        _ => "token:",
    };
    if let Some((key, _)) = ids.iter().find(|(k, _)| k.starts_with(secret)) {
        path = path.replace("{token}", &key[secret.len()..]);
    }
    for admin in ["users", "jobs", "feeds", "import", "api-keys", "shares"] {
        if let Some(rest) = path.strip_prefix(&format!("/admin/{admin}/")) {
            let id = ids
                .iter()
                .find(|(s, _)| s == admin)
                .map(|(_, id)| *id)
                .unwrap();
            return format!("/admin/{admin}/{}", rest.replace("{id}", &id.to_string()));
        }
    }
    if path.contains("{id}") {
        let id = match path
            .strip_prefix(&format!("/clients/{cid}/"))
            .and_then(|rest| rest.split('/').next())
        {
            Some(slug) if path.starts_with(&format!("/clients/{cid}/")) => ids
                .iter()
                .find(|(s, _)| s == slug)
                .map(|(_, id)| *id)
                .unwrap_or_else(|| panic!("no row for {slug}")),
            _ => cid,
        };
        path = path.replace("{id}", &id.to_string());
    }
    path.replace("{file}", "app.css")
}

/// The body an API write is sent with: a reveal's reason, a reply, or a record's
/// fields (what the probe's form posts send).
fn api_body(path: &str, name: &str) -> serde_json::Value {
    if path.ends_with("/reveal") {
        serde_json::json!({ "reason": name })
    } else if path.ends_with("/replies") {
        serde_json::json!({ "body": name })
    } else if path.ends_with("/payments") {
        serde_json::json!({ "amount": "1.00", "paid_on": "2026-01-01", "method": "cash" })
    } else if path.contains("/invoices") || path.contains("/quotes") {
        serde_json::json!({ "notes": name })
    } else {
        serde_json::json!({ "name": name })
    }
}

async fn call_api(api: &Api, def: &RouteDef, path: &str, name: &str) -> u16 {
    match def.method.as_str() {
        "GET" => api.get(path).await.status,
        method => {
            api.send(method, path, Some(api_body(path, name)))
                .await
                .status
        }
    }
}

async fn call(b: &Browser, api: &Api, def: &RouteDef, path: &str) -> u16 {
    if path.starts_with("/api/") {
        call_api(api, def, path, "").await
    } else if def.method == actix_web::http::Method::GET {
        b.get(path).await.status
    } else if path.ends_with("/files") || path == "/admin/import" {
        b.upload(path, "m.txt", b"matrix".to_vec(), &[])
            .await
            .status
    } else {
        b.post(path, &[("name", "")]).await.status
    }
}

#[actix_web::test]
async fn every_route_answers_each_role_as_the_policy_says() {
    let app = demo_app().await;
    let admin = app.login(&app.a.admin).await;
    let (cid, ids) = world(&app, &admin).await;
    let api = |email: &str| Api::new(&app, &key(&app, &app.a, email, false));
    let roles = [
        (
            Role::Accountant,
            app.login(&app.a.accountant).await,
            api(&app.a.accountant),
        ),
        (Role::Tech, app.login(&app.a.tech).await, api(&app.a.tech)),
        (Role::Admin, admin, api(&app.a.admin)),
    ];
    let mut routes = table();
    // Logging out would end the browser's session; permanent deletes go last.
    routes.retain(|d| d.path != "/logout" && d.path != "/login");
    routes.sort_by_key(|d| d.perm.action == Action::Delete);
    assert!(
        routes.len() > 100,
        "the table covers every route: {}",
        routes.len()
    );
    for def in &routes {
        let path = concrete(def, cid, &ids);
        let mut done = false;
        for (role, b, api) in &roles {
            let own = |r: Role| {
                let key = format!("notification:{r:?}");
                ids.iter().find(|(s, _)| *s == key).map_or(0, |(_, id)| *id)
            };
            let path = match def.path.as_str() {
                "/notifications/{id}" => format!("/notifications/{}", own(*role)),
                _ => path.clone(),
            };
            let status = call(b, api, def, &path).await;
            // What one role deleted (a payment) is gone for the next: a 404.
            if done && status == 404 && path.ends_with("/delete") {
                continue;
            }
            done |= status == 303;
            if policy::allows(def.perm, *role) {
                let ok: &[u16] = match (
                    def.method == actix_web::http::Method::GET,
                    def.path.as_str(),
                ) {
                    // Opening a notification leads where it points.
                    (true, "/notifications/{id}") => &[303],
                    // The code step without a password step before it starts over.
                    (true, "/login/code") => &[303],
                    // A reopened reveal address leads back to its record.
                    (true, p) if p.ends_with("/reveal") => &[303],
                    (true, _) => &[200],
                    (false, _) => &[200, 201, 303, 409, 422],
                };
                assert!(
                    ok.contains(&status),
                    "{:?} {} as {role:?}: {status}",
                    def.method,
                    path
                );
            } else {
                // The console does not exist for a tenant's users.
                let refused = if def.perm.area == Area::Platform {
                    404
                } else {
                    403
                };
                assert_eq!(status, refused, "{:?} {} as {role:?}", def.method, path);
            }
        }
    }
    let denied: i64 = audit_log::table
        .filter(audit_log::action.eq("denied"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(denied > 10, "refusals are audited: {denied}");
}

#[actix_web::test]
async fn another_tenant_gets_404_on_every_route_with_an_id_and_changes_nothing() {
    let app = demo_app().await;
    let admin = app.login(&app.a.admin).await;
    let (cid, ids) = world(&app, &admin).await;
    let intruder = app.login(&app.b.admin).await;
    let intruder_api = Api::new(&app, &key(&app, &app.b, &app.b.admin, false));
    let changes_of_a = || -> i64 {
        audit_log::table
            .filter(audit_log::tenant_id.eq(app.a.id.get()))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    let before = changes_of_a();
    let stored = || {
        std::fs::read_dir(app.data_dir.join("files"))
            .unwrap()
            .count()
    };
    let files_before = stored();
    let routes: Vec<RouteDef> = table()
        .into_iter()
        // Public routes (static assets) hold no tenant data.
        .filter(|d| d.path.contains('{') && d.perm.area != Area::Public)
        .collect();
    assert!(routes.len() > 100);
    for def in &routes {
        let path = concrete(def, cid, &ids);
        let status = if path.starts_with("/api/") {
            call_api(&intruder_api, def, &path, "Pwned").await
        } else if def.method == actix_web::http::Method::GET {
            intruder.get(&path).await.status
        } else {
            intruder
                .post(
                    &path,
                    &[("name", "Pwned"), ("title", "Pwned"), ("password", "x")],
                )
                .await
                .status
        };
        assert_eq!(status, 404, "{:?} {path} by another tenant", def.method);
    }
    assert_eq!(changes_of_a(), before, "nothing of tenant A changed");
    assert_eq!(stored(), files_before, "the files are still there");
}

async fn post(
    b: &Browser,
    path: String,
    form: Vec<(&'static str, String)>,
) -> crate::helpers::Page {
    let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(&path, &f).await
}

#[actix_web::test]
async fn a_tech_records_and_edits_only_their_own_trips() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let (tech_id, admin_id) = {
        let mut conn = app.conn();
        (
            fixtures::user_id(&mut conn, &app.a.tech).to_string(),
            fixtures::user_id(&mut conn, &app.a.admin).to_string(),
        )
    };
    let admin = app.login(&app.a.admin).await;
    let tech = app.login(&app.a.tech).await;
    let trip = |who: &str| {
        vec![
            ("purpose", "Visit".to_string()),
            ("start_date", "2026-12-01".into()),
            ("mileage", "5".into()),
            ("rate_per_mile", "0.5".into()),
            ("user_id", who.to_string()),
        ]
    };
    let pairs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, x)| (*k, x.clone())).collect::<Vec<_>>()
    };
    let base = format!("/clients/{cid}/trips");
    let admins = id_from(
        &post(&admin, base.clone(), pairs(&trip(&admin_id)))
            .await
            .location,
    );
    assert_eq!(
        post(&tech, base.clone(), pairs(&trip(&admin_id)))
            .await
            .status,
        403,
        "not for someone else"
    );
    let own = post(&tech, base.clone(), pairs(&trip(&tech_id))).await;
    assert_eq!(own.status, 303);
    let own = id_from(&own.location);
    assert_eq!(
        post(&tech, format!("{base}/{own}"), pairs(&trip(&tech_id)))
            .await
            .status,
        303
    );
    assert_eq!(
        post(&tech, format!("{base}/{admins}"), pairs(&trip(&tech_id)))
            .await
            .status,
        403,
        "not someone else's"
    );
    assert_eq!(
        tech.post(&format!("{base}/{admins}/archive"), &[])
            .await
            .status,
        403
    );
    assert_eq!(
        tech.get(&format!("{base}/{admins}")).await.status,
        200,
        "but everyone sees trips"
    );
}

/// Buttons follow the same table as the routes: nobody is offered what they may not do.
#[actix_web::test]
async fn each_role_is_offered_only_what_it_may_do() {
    let app = demo_app().await;
    let admin = app.login(&app.a.admin).await;
    let (cid, ids) = world(&app, &admin).await;
    let id = |slug: &str| ids.iter().find(|(s, _)| s == slug).unwrap().1;
    let (contact, license, file) = (id("contacts"), id("licenses"), id("files"));
    let acc = app.login(&app.a.accountant).await;
    let tech = app.login(&app.a.tech).await;

    let buttons = |page: &crate::helpers::Page| {
        page.texts(".list-head .button, .list-head button")
            .join("|")
    };
    let acc_list = acc.get(&format!("/clients/{cid}/contacts")).await;
    assert!(
        !buttons(&acc_list).contains("New"),
        "{}",
        buttons(&acc_list)
    );
    assert!(buttons(&tech.get(&format!("/clients/{cid}/contacts")).await).contains("New contact"));
    let acc_contact = acc.get(&format!("/clients/{cid}/contacts/{contact}")).await;
    assert!(!buttons(&acc_contact).contains("Edit") && !buttons(&acc_contact).contains("Archive"));
    let acc_license = acc.get(&format!("/clients/{cid}/licenses/{license}")).await;
    assert!(
        !buttons(&acc_license).contains("Reveal"),
        "{}",
        buttons(&acc_license)
    );
    let tech_license = tech
        .get(&format!("/clients/{cid}/licenses/{license}"))
        .await;
    assert!(buttons(&tech_license).contains("Reveal") && buttons(&tech_license).contains("Edit"));
    assert!(!buttons(&tech.get(&format!("/clients/{cid}/files/{file}")).await).contains("Delete"));
    assert!(
        buttons(&admin.get(&format!("/clients/{cid}/files/{file}")).await)
            .contains("Delete permanently")
    );
    let menu = |page: crate::helpers::Page| page.texts("nav.main a").join("|");
    assert!(!menu(tech.get("/clients").await).contains("Admin"));
    assert!(menu(admin.get("/clients").await).contains("Admin"));
    let sub = admin.get("/admin/users").await.texts("nav.sub a").join("|");
    assert!(
        sub.contains("Audit log") && sub.contains("Settings"),
        "{sub}"
    );
    // Everyone has Home, Clients, Tickets, Assets and Reports, billing roles Finance;
    // the current section is marked.
    let clients = acc.get("/clients").await;
    assert_eq!(
        clients.texts("nav.main a.current"),
        vec!["Clients".to_string()]
    );
    assert_eq!(menu(clients), "Home|Clients|Tickets|Assets|Finance|Reports");
    assert!(!menu(tech.get("/clients").await).contains("Finance"));
}
