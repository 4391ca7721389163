//! The generated fuzz test: every GET route of the route table (ids taken from the
//! demo tenant's own lists) with extreme values in every query parameter, and every
//! field of every form those pages render — the forms come from the field declarations,
//! so a new field or resource is fuzzed without being named here — with extreme values.
//! Not one answer may be a 5xx, and both tenants can write afterwards.

use std::collections::HashMap;

use actix_web::http::Method;
use scraper::{Html, Selector};

use crate::helpers::{Browser, TestApp, PASSWORD};

const PARAMS: [&str; 16] = [
    "q", "sort", "dir", "page", "per", "archived", "status", "filter", "month", "from", "to",
    "user", "client", "entity", "action", "next",
];

fn extremes() -> Vec<String> {
    vec![
        String::new(),
        "-9223372036854775809".into(),
        "99999999999999999999999999".into(),
        "9223372036854775807".into(),
        "+262142-12-31".into(),
        "-4714-01-01T00:00".into(),
        "a\0b".into(),
        "\u{202E}𝕏\u{FEFF}e\u{301}\u{10FFFF}".into(),
        "1e308".into(),
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0&digits=10".into(),
        "x".repeat(100_001),
    ]
}

/// One POST form on a page: its action, whether it uploads, and its fields in order.
struct Form {
    action: String,
    multipart: bool,
    fields: Vec<(String, String)>,
}

fn forms(html: &str) -> Vec<Form> {
    let doc = Html::parse_document(html);
    let form_sel = Selector::parse("form[method=post]").unwrap();
    let field_sel = Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    doc.select(&form_sel)
        .filter_map(|form| {
            let action = form.value().attr("action")?.to_string();
            let mut fields = vec![];
            for el in form.select(&field_sel) {
                let v = el.value();
                let name = v.attr("name").unwrap_or_default().to_string();
                let value = match (v.name(), v.attr("type")) {
                    ("textarea", _) => el.text().collect(),
                    ("select", _) => el
                        .select(&selected)
                        .next()
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or("")
                        .to_string(),
                    (_, Some("checkbox" | "radio")) if v.attr("checked").is_none() => continue,
                    (_, Some("file")) => continue,
                    _ => v.attr("value").unwrap_or("").to_string(),
                };
                fields.push((name, value));
            }
            let multipart = form.value().attr("enctype").is_some();
            Some(Form {
                action,
                multipart,
                fields,
            })
        })
        .collect()
}

/// The route's path with each `{…}` replaced by the first id its list page links to.
async fn resolve(b: &Browser, route: &str, ids: &mut HashMap<String, String>) -> Option<String> {
    let mut path = String::new();
    for seg in route.trim_start_matches('/').split('/') {
        if seg == "{file}" {
            path = format!("{path}/app.css");
        } else if seg == "{token}" {
            // A feed's secret: one that does not exist (the answer is a 404).
            path = format!("{path}/not-a-feed-token");
        } else if seg.starts_with('{') {
            if !ids.contains_key(&path) {
                // The records' list, else (money documents) the client's billing tab.
                let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
                let prefix = format!("{path}/");
                let mut found = None;
                for page in [path.clone(), format!("{parent}/billing")] {
                    let list = b.get(&page).await;
                    found = list
                        .hrefs("a")
                        .into_iter()
                        .filter_map(|h| h.strip_prefix(&prefix).map(str::to_string))
                        .map(|rest| rest.split(['/', '?']).next().unwrap_or("").to_string())
                        .find(|id| id.parse::<i64>().is_ok());
                    if found.is_some() {
                        break;
                    }
                }
                let Some(id) = found else {
                    eprintln!("{path}: no id on its list or its client's billing tab");
                    return None;
                };
                ids.insert(path.clone(), id);
            }
            path = format!("{path}/{}", ids[&path]);
        } else {
            path = format!("{path}/{seg}");
        }
    }
    Some(path)
}

async fn post_form(b: &Browser, form: &Form, fields: &[(String, String)]) -> u16 {
    let (http, base) = b.raw();
    let url = format!("{base}{}", form.action);
    let req = if form.multipart {
        let mut mp = reqwest::multipart::Form::new();
        for (k, v) in fields {
            mp = mp.text(k.clone(), v.clone());
        }
        let file = reqwest::multipart::Part::bytes(b"fuzz".to_vec()).file_name("fuzz.txt");
        http.post(url).multipart(mp.part("file", file))
    } else {
        http.post(url).form(fields)
    };
    req.send().await.unwrap().status().as_u16()
}

/// Every field of the form with every extreme value (the others as the page filled
/// them), one over-long body, and one body that is not UTF-8.
async fn fuzz_form(b: &Browser, page: &str, form: &Form) -> usize {
    let names: Vec<&String> = {
        let mut seen = vec![];
        for (n, _) in &form.fields {
            if n != "csrf_token" && !seen.contains(&n) {
                seen.push(n);
            }
        }
        seen
    };
    let mut sent = 0;
    let mut huge = extremes();
    huge.push("y".repeat(1_100_000));
    for (i, name) in names.iter().enumerate() {
        let values = if i == 0 {
            &huge
        } else {
            &huge[..huge.len() - 1]
        };
        for v in values {
            let mut fields: Vec<(String, String)> = form
                .fields
                .iter()
                .filter(|(n, _)| n != *name)
                .cloned()
                .collect();
            fields.push((name.to_string(), v.clone()));
            let status = post_form(b, form, &fields).await;
            assert!(
                status < 500,
                "{status} from {} ({page}) with {name}={:.40?}",
                form.action,
                v
            );
            sent += 1;
        }
    }
    if !form.multipart {
        let (http, base) = b.raw();
        let body = format!(
            "csrf_token={}&{}=%FF%FE",
            b.csrf,
            names.first().map(|n| n.as_str()).unwrap_or("x")
        );
        let r = http
            .post(format!("{base}{}", form.action))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().as_u16() < 500,
            "{} with broken UTF-8",
            form.action
        );
    }
    sent
}

#[actix_web::test]
async fn no_input_on_any_route_or_form_gives_a_server_error() {
    let app = TestApp::spawn_custom(crate::fixtures::demo_tenant, |c| {
        c.trusted_proxies = "127.0.0.1".into()
    })
    .await;
    // The fuzzer's failed logins count against its own address only.
    let mut b = app.browser_from("192.0.2.66");
    assert_eq!(b.login(&app.a.admin, PASSWORD).await.status, 303);
    b.refresh_csrf().await;
    let mut routes: Vec<String> = mspdesk::web::routes::table()
        .into_iter()
        // The API has its own fuzzer, driven by its OpenAPI document (`make test`).
        .filter(|r| r.method == Method::GET && !r.path.starts_with("/api/"))
        .map(|r| r.path)
        .collect();
    // Settings last: switching modules off would hide the routes after it.
    routes.sort_by_key(|p| p.starts_with("/admin/settings"));
    // Ids first, from the demo's own records, before the fuzz adds odd ones.
    let mut ids = HashMap::new();
    let mut paths = vec![];
    for route in routes {
        match resolve(&b, &route, &mut ids).await {
            Some(path) => paths.push(path),
            None => panic!("no id found for {route}"),
        }
    }
    let mut done_forms = Vec::<String>::new();
    let (mut gets, mut posts) = (0, 0);
    for path in paths {
        for mut v in extremes() {
            // An address has a practical limit of a few kilobytes (servers answer 414).
            v.truncate(2_000);
            let query: Vec<(&str, &str)> = PARAMS.iter().map(|p| (*p, v.as_str())).collect();
            let q = serde_urlencoded::to_string(&query).unwrap();
            let page = b.get(&format!("{path}?{q}")).await;
            assert!(
                page.status < 500,
                "{} from {path} with {:.40?}",
                page.status,
                v
            );
            gets += 1;
        }
        let page = b.get(&path).await;
        assert!(page.status < 500, "{path}");
        for form in forms(&page.body) {
            let key = format!(
                "{} {:?}",
                form.action,
                form.fields.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
            // Logging out, or ending its own sessions, would end the crawl.
            if ["/logout", "/account/sessions/end"].contains(&form.action.as_str())
                || done_forms.contains(&key)
            {
                continue;
            }
            posts += fuzz_form(&b, &path, &form).await;
            done_forms.push(key);
        }
    }
    eprintln!("fuzzed {gets} GETs and {posts} POSTs");
    assert!(
        gets > 300 && posts > 1_000,
        "too little was fuzzed: {gets} GETs, {posts} POSTs"
    );
    crate::robustness::both_tenants_write(&app).await;
}
