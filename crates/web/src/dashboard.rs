//! The client overview: a dashboard of the client (`domain::clients::
//! dashboard`) — contact card, counts, the attention list and recent activity in words.
//! The client's details are edited on the edit page.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::Layout;
use super::home::{due_kinds, due_view, DueView};
use super::page;
use super::views::ClientNav;
use crate::auth::Ctx;
use crate::domain::audit::Activity;
use crate::domain::finance::DOCUMENTS;
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::registry;
use crate::domain::registry::dashboard::{self, Primaries, Sight};
use crate::domain::scope::ClientId;
use crate::error::AppResult;
use mspdesk_platform::db::Db;

/// A count on the dashboard, with where it leads.
pub struct Stat {
    pub label: String,
    pub value: String,
    pub href: String,
    pub alert: bool,
}

/// One line of recent activity: "Taylor Tech revealed credential Firewall admin".
pub struct Line {
    pub at: String,
    pub who: String,
    pub verb: &'static str,
    pub what: String,
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Layout,
    nav: Option<ClientNav>,
    id: i64,
    archived: bool,
    status: &'static str,
    kind: String,
    company: String,
    email: String,
    phone: String,
    p: Primaries,
    /// The client's standing notes, as sanitized HTML.
    notes: String,
    /// Rate and contract dates, for billing roles only.
    billing: Vec<(&'static str, String)>,
    stats: Vec<Stat>,
    due: Vec<DueView>,
    lines: Vec<Line>,
    can_edit: bool,
    can_bill: bool,
    new_ticket: String,
}

fn verb(action: &str) -> &'static str {
    match action {
        "create" => "added",
        "update" => "edited",
        "archive" => "archived",
        "restore" => "restored",
        "reveal" => "revealed",
        "delete" => "deleted",
        "reply" => "replied to",
        "status" => "changed the status of",
        "close" => "closed",
        "billing" => "changed the billing of",
        _ => "changed",
    }
}

fn line(a: &Activity, cid: i64) -> Line {
    let r = registry::all().iter().find(|r| r.table == a.entity);
    let (what, href) = match (r, a.entity_id) {
        (Some(r), Some(id)) if a.action != "delete" => (
            r.singular.to_string(),
            format!("/clients/{cid}/{}/{id}", r.slug),
        ),
        (Some(r), _) => (r.singular.to_string(), String::new()),
        (None, Some(id)) => match DOCUMENTS.iter().find(|(t, _)| *t == a.entity) {
            Some((_, segment)) => (String::new(), format!("/clients/{cid}/{segment}/{id}")),
            None => (String::new(), format!("/clients/{cid}")),
        },
        (None, None) => (String::new(), format!("/clients/{cid}")),
    };
    Line {
        at: a.at.format("%Y-%m-%d %H:%M").to_string(),
        who: a.user.clone().unwrap_or_else(|| "Someone".into()),
        verb: verb(&a.action),
        name: match (&a.label, r) {
            (Some(l), _) => l.clone(),
            (None, Some(_)) => format!("#{}", a.entity_id.unwrap_or_default()),
            (None, None) => "the client".to_string(),
        },
        what,
        href,
    }
}

pub async fn show(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let today = chrono::Utc::now().date_naive();
    let kinds = due_kinds(&ctx);
    // Activity on records the reader may not see is left out.
    let mut hidden: Vec<&'static str> = registry::all()
        .iter()
        .filter(|t| !t.visible(ctx.role(), &ctx.disabled))
        .map(|t| t.table)
        .collect();
    if !ctx.bills() {
        hidden.extend(DOCUMENTS.iter().map(|(table, _)| *table));
    }
    let (viewer, user_id, money) = (ctx.viewer(), ctx.user_id(), ctx.bills());
    let d = db
        .run(move |conn| {
            let sight = Sight {
                kinds: &kinds,
                hidden: &hidden,
                user_id,
                money,
            };
            Ok(dashboard::load(conn, viewer, ClientId(id), &sight, today)?)
        })
        .await?;
    let sees = |slug: &str| ctx.sees(slug);
    let counts = [
        (
            "tickets",
            "Open tickets",
            d.count("tickets"),
            format!("/clients/{id}/tickets"),
        ),
        (
            "tickets",
            "Overdue tickets",
            d.overdue_tickets,
            format!("/tickets?client={id}&overdue=1"),
        ),
        (
            "assets",
            "Assets",
            d.count("assets"),
            format!("/clients/{id}/assets"),
        ),
        (
            "projects",
            "Open projects",
            d.count("projects"),
            format!("/clients/{id}/projects"),
        ),
    ];
    let mut stats: Vec<Stat> = counts
        .into_iter()
        .filter(|(slug, ..)| sees(slug))
        .map(|(_, label, value, href)| Stat {
            label: label.to_string(),
            value: value.to_string(),
            href,
            alert: label == "Overdue tickets" && value > 0,
        })
        .collect();
    // Billing roles: the client's money, per currency, linking to the billing tab.
    let billing_href = format!("/clients/{id}/billing");
    for f in &d.money {
        stats.extend(
            [
                ("Balance", f.balance, false),
                ("Overdue", f.overdue, f.overdue > 0),
                ("Monthly recurring", f.monthly, false),
            ]
            .into_iter()
            .map(|(label, v, alert)| Stat {
                label: label.to_string(),
                value: f.money(v),
                href: billing_href.clone(),
                alert,
            }),
        );
    }
    let can_bill = allows(Perm::new(Area::Billing, Action::View), ctx.role());
    let b = &d.client.billing;
    let billing = if can_bill {
        vec![
            (
                "Hourly rate",
                format!(
                    "{} {}",
                    crate::domain::money::display(b.hourly_rate),
                    b.currency
                ),
            ),
            (
                "Contract",
                match (b.contract_start_date, b.contract_end_date) {
                    (None, None) => "the client".to_string(),
                    (s, e) => format!(
                        "{} – {}",
                        s.map(|d| d.to_string()).unwrap_or_default(),
                        e.map(|d| d.to_string()).unwrap_or_default()
                    ),
                },
            ),
        ]
    } else {
        vec![]
    };
    let client_name = d.client.data.name.clone();
    page(&DashboardPage {
        l: ctx.layout(client_name.clone()),
        id,
        archived: d.client.archived(),
        status: d.client.status_label(),
        kind: d.client.data.kind.clone().unwrap_or_default(),
        company: d.client.data.company_name.clone().unwrap_or_default(),
        email: d.client.data.email.clone().unwrap_or_default(),
        phone: d.client.data.phone.clone().unwrap_or_default(),
        notes: d
            .client
            .data
            .notes
            .as_deref()
            .map(crate::resource::extra::markdown)
            .unwrap_or_default(),
        billing,
        stats,
        due: d
            .due
            .iter()
            .map(|x| due_view(x, &client_name, today))
            .collect(),
        lines: d.activity.iter().map(|a| line(a, id)).collect(),
        can_edit: allows(Perm::new(Area::Clients, Action::Edit), ctx.role()),
        can_bill: allows(Perm::new(Area::Billing, Action::Edit), ctx.role()),
        new_ticket: if sees("tickets")
            && allows(Perm::new(Area::Technical, Action::Edit), ctx.role())
        {
            format!("/clients/{id}/tickets/new")
        } else {
            String::new()
        },
        nav: Some(ClientNav::new(&ctx, &d.client, d.tabs, "")),
        p: d.primaries,
    })
}
