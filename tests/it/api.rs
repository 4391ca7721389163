//! The JSON API as an integration sees it: keys made by an admin act as their user, go
//! through the same services (validation, audit), and are refused exactly like the
//! pages refuse; errors are problem details; the document covers every API route.

use diesel::prelude::*;
use mspdesk::domain::schema::{api_keys, audit_log};
use mspdesk::domain::tenancy::api_keys::{create, revoke, NewKey};
use mspdesk::domain::tenancy::users::{self, Role};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};

use crate::fixtures;
use crate::helpers::{Tenant, TestApp};

/// A client of the API holding one key.
pub struct Api {
    http: reqwest::Client,
    base: String,
}

pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Api {
    pub fn new(app: &TestApp, key: &str) -> Api {
        let mut headers = HeaderMap::new();
        if !key.is_empty() {
            headers.insert(AUTHORIZATION, format!("Bearer {key}").parse().unwrap());
        }
        Api {
            http: reqwest::Client::builder()
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                // A test may block its thread on the database for longer than the server's
                // 5 s keep-alive; a pooled connection the server closed meanwhile is not
                // reused (the pool checks its age when it hands one out).
                .pool_idle_timeout(std::time::Duration::from_secs(3))
                .build()
                .unwrap(),
            base: app.base.clone(),
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let res = req.send().await.unwrap();
        let (status, headers) = (res.status().as_u16(), res.headers().clone());
        let text = res.text().await.unwrap();
        Answer {
            status,
            headers,
            json: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }
    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send("PATCH", path, Some(body)).await
    }
}

/// A key of `email` (made by tenant `t`'s admin): read-write unless `read_only`.
pub fn key(app: &TestApp, t: &Tenant, email: &str, read_only: bool) -> String {
    let admin = crate::finance::who(app, t, &t.admin, Role::Admin);
    let new = NewKey {
        name: format!("key of {email}"),
        user_id: fixtures::user_id(&mut app.conn(), email),
        read_only,
        expires_on: None,
    };
    let today = chrono::Utc::now().date_naive();
    create(&mut app.conn(), &admin, &new, today)
        .unwrap()
        .unwrap()
}

fn is_problem(a: &Answer) -> bool {
    a.headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v == "application/problem+json")
        && a.json["status"] == json!(a.status)
}

#[actix_web::test]
async fn a_key_creates_updates_archives_and_lists_through_the_services() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app, &key(&app, &app.a, &app.a.admin, false));

    let made = api
        .post(
            "/api/v1/clients",
            json!({ "name": "Acme Corp", "hourly_rate": "95.00" }),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.json);
    assert_eq!(made.json["name"], "Acme Corp");
    assert_eq!(
        made.json["hourly_rate"], "95.00",
        "billing fields for an admin"
    );
    let cid = made.json["id"].as_i64().unwrap();

    let base = format!("/api/v1/clients/{cid}/contacts");
    let ada = api
        .post(
            &base,
            json!({ "name": "Ada Lovelace", "email": "ADA@acme.test", "primary": true }),
        )
        .await;
    assert_eq!(ada.status, 201, "{}", ada.json);
    assert_eq!(
        ada.json["email"], "ada@acme.test",
        "validated like the form"
    );
    assert_eq!(ada.json["client_id"], json!(cid));
    let id = ada.json["id"].as_i64().unwrap();

    // PATCH changes only what it is given.
    let phoned = api
        .patch(&format!("{base}/{id}"), json!({ "phone": "+1 555 0100" }))
        .await;
    assert_eq!(phoned.status, 200, "{}", phoned.json);
    assert_eq!(phoned.json["name"], "Ada Lovelace");
    assert_eq!(phoned.json["phone"], "+1 555 0100");

    // Refusals are field errors, and nothing is written.
    let bad = api
        .patch(
            &format!("{base}/{id}"),
            json!({ "email": "nope", "name": "Eve" }),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(is_problem(&bad), "{}", bad.json);
    assert!(bad.json["errors"]["email"]
        .as_str()
        .unwrap()
        .contains("e-mail"));
    let wrong = api.post(&base, json!({ "name": 7, "shoe_size": 42 })).await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.json["errors"]["name"].is_string() && wrong.json["errors"]["shoe_size"].is_string()
    );
    assert_eq!(
        api.get(&format!("{base}/{id}")).await.json["name"],
        "Ada Lovelace"
    );

    let archived = api.post(&format!("{base}/{id}/archive"), json!({})).await;
    assert_eq!(
        (archived.status, archived.json["archived"].clone()),
        (200, json!(true))
    );
    let live = api.get(&base).await;
    assert_eq!(live.json["total"], 0);
    let all = api.get(&format!("{base}?archived=true")).await;
    assert_eq!(all.json["total"], 1);
    assert_eq!(
        api.post(&format!("{base}/{id}/restore"), json!({}))
            .await
            .status,
        200
    );

    // Paged, sorted, searched like the list.
    for n in 0..30 {
        api.post(&base, json!({ "name": format!("Person {n:02}") }))
            .await;
    }
    let page = api
        .get(&format!("{base}?sort=name&dir=desc&per=10&page=2&q=person"))
        .await;
    assert_eq!(page.json["total"], 30);
    assert_eq!(page.json["items"][0]["name"], "Person 19");
    assert_eq!(api.get(&format!("{base}?page=0")).await.status, 400);
    assert_eq!(api.get(&format!("{base}?sort=password")).await.status, 400);

    // Ticket replies: the reply service, status rules included.
    let ticket = api
        .post(
            &format!("/api/v1/clients/{cid}/tickets"),
            json!({ "subject": "Printer jams" }),
        )
        .await;
    assert_eq!(ticket.status, 201, "{}", ticket.json);
    let tid = ticket.json["id"].as_i64().unwrap();
    let replies = format!("/api/v1/clients/{cid}/tickets/{tid}/replies");
    let replied = api
        .post(
            &replies,
            json!({ "body": "Cleared the tray", "minutes": 15, "status": "resolved" }),
        )
        .await;
    assert_eq!(replied.status, 201, "{}", replied.json);
    assert_eq!(replied.json["items"][0]["minutes"], 15);
    assert_eq!(
        api.get(&format!("/api/v1/clients/{cid}/tickets/{tid}"))
            .await
            .json["status"],
        "resolved"
    );
    assert_eq!(api.post(&replies, json!({})).await.status, 422);

    // Every change is in the audit log, as the key's user.
    let admin_id = fixtures::user_id(&mut app.conn(), &app.a.admin);
    let audited: i64 = audit_log::table
        .filter(audit_log::user_id.eq(admin_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(audited >= 36, "{audited}");
}

#[actix_web::test]
async fn keys_are_refused_at_once_and_only_on_the_api() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let token = key(&app, &app.a, &app.a.tech, false);
    let api = Api::new(&app, &token);
    assert_eq!(api.get("/api/v1/clients").await.status, 200);

    let nobody = Api::new(&app, "").get("/api/v1/clients").await;
    assert_eq!(nobody.status, 401);
    assert!(is_problem(&nobody));
    assert_eq!(nobody.headers["www-authenticate"], "Bearer");
    assert_eq!(
        Api::new(&app, "mspdesk_madeup")
            .get("/api/v1/clients")
            .await
            .status,
        401
    );

    // A signed-in browser's cookie opens no API route; a key opens no page.
    let browser = app.login(&app.a.tech).await;
    assert_eq!(browser.get("/api/v1/clients").await.status, 401);
    // Nor when the path is spelled another way the router reads the same.
    assert_eq!(browser.get("/%61pi/v1/clients").await.status, 401);
    assert_eq!(
        api.get("/clients").await.status,
        303,
        "sent to the login page"
    );

    // Read-only: reads, never writes.
    let reader = Api::new(&app, &key(&app, &app.a, &app.a.tech, true));
    assert_eq!(
        reader.get(&format!("/api/v1/clients/{cid}")).await.status,
        200
    );
    let refused = reader
        .post(
            &format!("/api/v1/clients/{cid}/contacts"),
            json!({ "name": "X" }),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(is_problem(&refused));

    // Another tenant's client is a 404, never a 403.
    let theirs = fixtures::client(&mut app.conn(), app.b.id, "Theirs");
    assert_eq!(
        api.get(&format!("/api/v1/clients/{theirs}")).await.status,
        404
    );
    assert_eq!(
        api.get(&format!("/api/v1/clients/{theirs}/contacts"))
            .await
            .status,
        404
    );

    // Malformed bodies.
    let raw = reqwest::Client::new();
    let url = format!("{}/api/v1/clients/{cid}/contacts", app.base);
    let send = |body: Vec<u8>, ct: &'static str| {
        raw.post(&url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, HeaderValue::from_static(ct))
            .body(body)
            .send()
    };
    assert_eq!(
        send(b"{\"name\":".to_vec(), "application/json")
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        send(b"[1]".to_vec(), "application/json")
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        send(b"name=x".to_vec(), "text/plain")
            .await
            .unwrap()
            .status(),
        415
    );
    let big = send(vec![b' '; 2 * 1024 * 1024], "application/json")
        .await
        .unwrap();
    assert_eq!(big.status(), 413);
    assert_eq!(big.headers()[CONTENT_TYPE], "application/problem+json");

    // Revoked, expired, or its user removed: refused on the next request.
    let admin = crate::finance::who(&app, &app.a, &app.a.admin, Role::Admin);
    let key_id = |conn: &mut _| -> i64 {
        api_keys::table
            .filter(api_keys::read_only.eq(false))
            .select(api_keys::id)
            .first(conn)
            .unwrap()
    };
    let id = key_id(&mut app.conn());
    revoke(
        &mut app.conn(),
        &admin,
        mspdesk::domain::scope::RecordId(id),
    )
    .unwrap();
    assert_eq!(api.get("/api/v1/clients").await.status, 401);

    let late = key(&app, &app.a, &app.a.admin, false);
    let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    diesel::update(
        api_keys::table
            .filter(api_keys::revoked_at.is_null())
            .filter(api_keys::read_only.eq(false)),
    )
    .set(api_keys::expires_on.eq(Some(yesterday)))
    .execute(&mut app.conn())
    .unwrap();
    assert_eq!(
        Api::new(&app, &late).get("/api/v1/clients").await.status,
        401
    );

    let listed = browser_of_admin(&app).await.get("/admin/api-keys").await;
    assert!(
        listed.body.contains("revoked") && listed.body.contains("expired"),
        "{}",
        listed.body
    );
    assert!(
        !listed.body.contains(&token),
        "the secret is never shown again"
    );
}

async fn browser_of_admin(app: &TestApp) -> crate::helpers::Browser {
    app.login(&app.a.admin).await
}

#[actix_web::test]
async fn secrets_stay_sealed_and_each_role_sees_what_its_pages_show() {
    let app = TestApp::spawn().await;
    let acme = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let globex = fixtures::client(&mut app.conn(), app.a.id, "Globex");
    let admin = Api::new(&app, &key(&app, &app.a, &app.a.admin, false));
    let base = format!("/api/v1/clients/{acme}/credentials");
    let made = admin
        .post(
            &base,
            json!({ "name": "fw01 admin", "username": "root", "password": "S3cret!pass" }),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.json);
    let id = made.json["id"].as_i64().unwrap();
    let listed = admin.get(&base).await;
    assert_eq!(listed.json["items"][0]["username"], "root");
    assert!(listed.json["items"][0].get("password").is_none());
    assert!(!listed.json.to_string().contains("S3cret"));

    let reveal = format!("{base}/{id}/reveal");
    assert_eq!(
        admin.post(&reveal, json!({ "reason": "" })).await.status,
        422,
        "a reason, always"
    );
    let opened = admin
        .post(&reveal, json!({ "reason": "firewall upgrade" }))
        .await;
    assert_eq!(opened.status, 200);
    assert!(opened.json.to_string().contains("S3cret!pass"));
    assert_eq!(opened.headers["cache-control"], "no-store");
    let why: String = audit_log::table
        .filter(audit_log::action.eq("reveal"))
        .select(audit_log::changes)
        .first(&mut app.conn())
        .unwrap();
    assert!(why.contains("firewall upgrade"));

    let accountant = Api::new(&app, &key(&app, &app.a, &app.a.accountant, false));
    assert_eq!(accountant.get(&base).await.status, 403);
    assert_eq!(
        accountant
            .post(&reveal, json!({ "reason": "x" }))
            .await
            .status,
        403
    );

    let tech_id = fixtures::user_id(&mut app.conn(), &app.a.tech);
    users::set_access(
        &mut app.conn(),
        app.a.id,
        tech_id,
        Role::Tech,
        true,
        &[acme],
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    let tech = Api::new(&app, &key(&app, &app.a, &app.a.tech, false));
    let theirs = tech.get("/api/v1/clients").await;
    assert_eq!(theirs.json["total"], 1);
    assert_eq!(theirs.json["items"][0]["name"], "Acme");
    assert!(
        theirs.json["items"][0].get("hourly_rate").is_none(),
        "no billing for a tech"
    );
    assert_eq!(
        tech.get(&format!("/api/v1/clients/{globex}")).await.status,
        404
    );
    assert_eq!(
        tech.get(&format!("/api/v1/clients/{globex}/contacts"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn a_key_over_its_rate_waits() {
    let app = TestApp::spawn_configured(|c| c.api_requests_per_minute = 3).await;
    let api = Api::new(&app, &key(&app, &app.a, &app.a.admin, true));
    for _ in 0..3 {
        assert_eq!(api.get("/api/v1/clients").await.status, 200);
    }
    let limited = api.get("/api/v1/clients").await;
    assert_eq!(limited.status, 429);
    assert!(is_problem(&limited));
    let wait: i64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // Another key has its own count.
    let other = Api::new(&app, &key(&app, &app.a, &app.a.tech, true));
    assert_eq!(other.get("/api/v1/clients").await.status, 200);
    let used: Option<chrono::NaiveDateTime> = api_keys::table
        .filter(api_keys::name.eq(format!("key of {}", app.a.admin)))
        .select(api_keys::last_used_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(used.is_some(), "last use is shown");
}

#[actix_web::test]
async fn the_document_describes_every_api_route_and_the_reference_shows_it() {
    let app = TestApp::spawn().await;
    let doc = Api::new(&app, "").get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.json["openapi"], "3.1.0");
    let mut documented: Vec<String> = vec![];
    for (path, ops) in doc.json["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let mut routed: Vec<String> = mspdesk::web::routes::table()
        .iter()
        .filter(|d| d.path.starts_with("/api/v1/") && !d.path.ends_with("openapi.json"))
        .map(|d| format!("{} {}", d.method, d.path))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
    assert!(routed.len() > 80, "{}", routed.len());
    let page = app.browser().get("/api/docs").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("/api/v1/clients/{cid}/credentials/{id}/reveal"));
    assert!(page.body.contains("write only"), "secrets are marked");
}

#[actix_web::test]
async fn an_accountant_bills_through_the_api_and_a_tech_cannot() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let api = Api::new(&app, &key(&app, &app.a, &app.a.accountant, false));
    let base = format!("/api/v1/clients/{cid}/invoices");
    let line =
        |d: &str, q: &str, p: &str| json!({ "description": d, "quantity": q, "unit_price": p });
    let draft = api.post(&base, json!({ "lines": [line("Monthly support", "1", "450.00"), line("Cable", "3", "9.99")], "notes": "Thanks" })).await;
    assert_eq!(draft.status, 201, "{}", draft.json);
    assert_eq!(
        (draft.json["status"].clone(), draft.json["total"].clone()),
        (json!("draft"), json!("479.97"))
    );
    let id = draft.json["id"].as_i64().unwrap();
    let bad = api
        .post(&base, json!({ "lines": [line("Oops", "x", "1")] }))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.json);

    let noted = api
        .patch(&format!("{base}/{id}"), json!({ "notes": "Thank you" }))
        .await;
    assert_eq!(
        (noted.json["notes"].clone(), noted.json["total"].clone()),
        (json!("Thank you"), json!("479.97")),
        "lines kept"
    );
    let sent = api.post(&format!("{base}/{id}/send"), json!({})).await;
    assert_eq!(sent.json["status"], "sent", "{}", sent.json);
    assert!(sent.json["reference"]
        .as_str()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(
        api.patch(&format!("{base}/{id}"), json!({ "notes": "x" }))
            .await
            .status,
        422,
        "a sent invoice is final"
    );

    let today = chrono::Utc::now().date_naive().to_string();
    let paid = api
        .post(
            &format!("{base}/{id}/payments"),
            json!({ "amount": "100.00", "paid_on": today, "method": "bank_transfer" }),
        )
        .await;
    assert_eq!(paid.status, 201, "{}", paid.json);
    assert_eq!(
        (paid.json["status"].clone(), paid.json["balance"].clone()),
        (json!("partial"), json!("379.97"))
    );
    let too_much = api
        .post(
            &format!("{base}/{id}/payments"),
            json!({ "amount": "1000.00", "paid_on": today }),
        )
        .await;
    assert_eq!(too_much.status, 422);
    // A refusal carries a stable code beside its words.
    let again = api.post(&format!("{base}/{id}/send"), json!({})).await;
    assert_eq!(
        (again.status, again.json["code"].clone()),
        (422, json!("invoice-not-draft")),
        "{}",
        again.json
    );
    assert_eq!(again.json["type"], "urn:mspdesk:problem:invoice-not-draft");
    let void = api.post(&format!("{base}/{id}/void"), json!({})).await;
    assert_eq!(void.json["code"], "invoice-not-voidable", "{}", void.json);
    let over = api
        .post(
            &format!("{base}/{id}/payments"),
            json!({ "amount": "1000.00", "paid_on": today, "method": "bank_transfer" }),
        )
        .await;
    assert_eq!(over.json["code"], "payment-more-than-owed", "{}", over.json);
    assert!(over.json["errors"]["amount"]
        .as_str()
        .is_some_and(|w| w.starts_with("That is more than the 379.97")));
    let one = api.get(&format!("{base}/{id}")).await;
    assert_eq!(one.json["lines"].as_array().unwrap().len(), 2);
    assert_eq!(one.json["payments"][0]["amount"], "100.00");
    let open = api
        .get(&format!("/api/v1/invoices?status=open&client_id={cid}"))
        .await;
    assert_eq!(open.json["total"], 1);
    assert_eq!(api.get("/api/v1/payments").await.json["total"], 1);

    let quotes = format!("/api/v1/clients/{cid}/quotes");
    let quote = api
        .post(
            &quotes,
            json!({ "lines": [line("Firewall", "1", "1200.00")], "expires_on": "2099-01-31" }),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.json);
    let qid = quote.json["id"].as_i64().unwrap();
    assert_eq!(
        api.post(&format!("{quotes}/{qid}/send"), json!({}))
            .await
            .json["status"],
        "sent"
    );
    let accepted = api.post(&format!("{quotes}/{qid}/accept"), json!({})).await;
    assert_eq!(accepted.json["status"], "accepted", "{}", accepted.json);
    assert!(
        accepted.json["invoice_id"].is_i64(),
        "accepting made a draft invoice"
    );
    let twice = api
        .post(&format!("{quotes}/{qid}/decline"), json!({}))
        .await;
    assert_eq!(
        (twice.status, twice.json["code"].clone()),
        (422, json!("quote-wrong-state")),
        "{}",
        twice.json
    );
    assert_eq!(twice.json["detail"], "This quote is accepted.");

    let tech = Api::new(&app, &key(&app, &app.a, &app.a.tech, false));
    assert_eq!(tech.get("/api/v1/invoices").await.status, 403);
    assert_eq!(tech.get(&format!("{base}/{id}")).await.status, 403);
    let theirs = fixtures::client(&mut app.conn(), app.b.id, "Theirs");
    assert_eq!(
        api.get(&format!("/api/v1/invoices?client_id={theirs}"))
            .await
            .json["total"],
        0
    );
    assert_eq!(
        api.post(&format!("/api/v1/clients/{theirs}/invoices"), json!({}))
            .await
            .status,
        404
    );
}
