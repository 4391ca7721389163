//! The audit log viewer (filters: user, client, entity, action, date range; paging) and
//! a client's recent activity for its overview.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::audit;
use crate::domain::clients;
use crate::domain::forms::dates;
use crate::domain::scope::{TenantId, Viewer};
use crate::domain::tenancy::users;
use crate::error::AppResult;
use crate::page;
use mspdesk_platform::db::{AnyConnection, Db};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    user: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: String,
}

type Row = audit::Record;

pub struct EntryView {
    pub at: String,
    pub user: String,
    pub client: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<Change>,
    pub ip: String,
}

/// One changed field as a reader takes it in: `field: before → after`, or a single
/// value (a reveal's reason, a list of fields) with no arrow.
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: String,
}

/// The recorded JSON made readable; anything not an object is shown as it is.
fn readable(changes: &str) -> Vec<Change> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) if s.is_empty() => "(empty)".to_string(),
        serde_json::Value::String(s) => s.chars().take(200).collect(),
        other => other.to_string().chars().take(200).collect(),
    };
    match serde_json::from_str::<serde_json::Value>(changes) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(field, v)| match v.as_array().map(Vec::as_slice) {
                Some([before, after]) => Change {
                    field: field.clone(),
                    before: Some(text(before)),
                    after: text(after),
                },
                _ => Change {
                    field: field.clone(),
                    before: None,
                    after: text(v),
                },
            })
            .collect(),
        _ if changes.is_empty() => vec![],
        _ => vec![Change {
            field: String::new(),
            before: None,
            after: changes.chars().take(300).collect(),
        }],
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    l: Layout,
    f: Filters,
    users: Vec<(i64, String)>,
    /// The typed client that did not name one client: what to say, and the clients to
    /// choose from (each a link to the log filtered by it).
    client_notice: String,
    client_choices: Vec<(String, String)>,
    entries: Vec<EntryView>,
    page: i64,
    prev: String,
    next: String,
}

/// The client box of the filter, typed as a name (or part of one, or an id from a
/// link) and resolved on the server, so the page never lists every client.
enum ClientFilter {
    Any,
    /// The client, and its name for the box.
    One(i64, String),
    /// No single client: no entries, and what to say with the clients to choose from.
    Unresolved(String, Vec<(i64, String)>),
}

const CHOICES: i64 = 20;

fn client_filter(conn: &mut AnyConnection, viewer: Viewer, typed: &str) -> AppResult<ClientFilter> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(ClientFilter::Any);
    }
    let matches = clients::matching(conn, viewer, typed, CHOICES)?;
    if let Some((id, name)) = clients::the_one(&matches, typed) {
        return Ok(ClientFilter::One(*id, name.clone()));
    }
    if let Ok(id) = typed.trim_start_matches('#').parse::<i64>()
        && let [(id, name)] = clients::named(conn, viewer.tenant(), &[id])?.as_slice()
    {
        return Ok(ClientFilter::One(*id, name.clone()));
    }
    let said = match matches.len() {
        0 => format!("No client matches “{typed}”."),
        n if n as i64 >= CHOICES => format!(
            "{CHOICES} or more clients match “{typed}”; choose one or type more of the name:"
        ),
        n => format!("{n} clients match “{typed}”; choose one:"),
    };
    Ok(ClientFilter::Unresolved(said, matches))
}

impl Filters {
    /// The typed filter: what does not parse is no filter.
    fn parsed(&self, client: Option<i64>) -> audit::Filter {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        audit::Filter {
            user: self.user.parse().ok(),
            client,
            entity: text(&self.entity),
            action: text(&self.action),
            from: dates::date(&self.from),
            to: dates::date(&self.to),
        }
    }
}

fn query(
    conn: &mut AnyConnection,
    tenant: TenantId,
    filter: &audit::Filter,
    page: i64,
) -> AppResult<Vec<Row>> {
    let offset = (page - 1).saturating_mul(PER_PAGE);
    Ok(audit::search(conn, tenant, filter, offset, PER_PAGE)?)
}

fn views(rows: Vec<Row>, users: &[(i64, String)], clients: &[(i64, String)]) -> Vec<EntryView> {
    let name = |list: &[(i64, String)], id: Option<i64>| {
        id.map(|i| {
            list.iter()
                .find(|(x, _)| *x == i)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| format!("#{i}"))
        })
        .unwrap_or_default()
    };
    rows.into_iter()
        .map(
            |(at, user, client, entity, entity_id, action, changes, ip)| EntryView {
                at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                user: name(users, user),
                client: name(clients, client),
                entity,
                entity_id: entity_id.map(|i| i.to_string()).unwrap_or_default(),
                action,
                changes: readable(&changes),
                ip: ip.unwrap_or_default(),
            },
        )
        .collect()
}

/// The log's address with these filters.
fn link_of(g: &Filters) -> String {
    let pairs = [
        ("user", &g.user),
        ("client", &g.client),
        ("entity", &g.entity),
        ("action", &g.action),
        ("from", &g.from),
        ("to", &g.to),
        ("page", &g.page),
    ];
    let pairs = pairs.into_iter().filter(|(_, v)| !v.is_empty());
    format!(
        "/admin/audit?{}",
        serde_urlencoded::to_string(pairs.collect::<Vec<_>>()).unwrap_or_default()
    )
}

pub async fn list(ctx: Ctx, db: Db, f: web::Query<Filters>) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    let page_no = f
        .page
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=crate::domain::list::MAX_PAGE).contains(p))
        .unwrap_or(1);
    let (tenant, viewer, filters) = (ctx.tenant(), ctx.viewer(), f.clone());
    let (mut rows, users, clients, client) = db
        .run(move |conn| {
            let users: Vec<(i64, String)> = users::list(conn, tenant)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let client = client_filter(conn, viewer, &filters.client)?;
            let rows = match &client {
                ClientFilter::Unresolved(..) => vec![],
                ClientFilter::Any => query(conn, tenant, &filters.parsed(None), page_no)?,
                ClientFilter::One(id, _) => {
                    query(conn, tenant, &filters.parsed(Some(*id)), page_no)?
                }
            };
            let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
            ids.sort_unstable();
            ids.dedup();
            Ok((rows, users, clients::named(conn, tenant, &ids)?, client))
        })
        .await?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let link = |p: i64| {
        let mut g = f.clone();
        g.page = p.to_string();
        link_of(&g)
    };
    let mut shown = f.clone();
    let (client_notice, client_choices) = match client {
        ClientFilter::Any => (String::new(), vec![]),
        ClientFilter::One(_, name) => {
            shown.client = name;
            (String::new(), vec![])
        }
        ClientFilter::Unresolved(said, choices) => {
            let choices = choices
                .into_iter()
                .map(|(id, name)| {
                    let mut g = f.clone();
                    g.client = id.to_string();
                    g.page = String::new();
                    (name, link_of(&g))
                })
                .collect();
            (said, choices)
        }
    };
    page(&AuditPage {
        l: ctx.layout("Audit log"),
        client_notice,
        client_choices,
        entries: views(rows, &users, &clients),
        prev: if page_no > 1 {
            link(page_no - 1)
        } else {
            String::new()
        },
        next: if more {
            link(page_no + 1)
        } else {
            String::new()
        },
        page: page_no,
        users,
        f: shown,
    })
}
