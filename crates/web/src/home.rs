//! The tenant home (`/`): my open tickets, the overdue ones, what expires in the next
//! 30 days across the clients the user may open, and the clients opened lately.

use actix_web::HttpResponse;
use askama::Template;

use super::auth::Layout;
use super::page;
use super::tickets::QueueView;
use crate::auth::Ctx;
use crate::domain::directory::recent;
use crate::domain::list::ListParams;
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::registry;
use crate::domain::registry::attention::{self, CONTRACT};
use crate::domain::resource::Resource;
use crate::domain::service_desk::queue::{self, Assignee, Filter};
use crate::domain::service_desk::status;
use crate::domain::service_desk::tickets::Tickets;
use crate::error::AppResult;
use mspdesk_platform::db::Db;

/// A dated record as a line of an attention list.
pub struct DueView {
    pub href: String,
    pub what: String,
    pub name: String,
    pub client: String,
    pub date: String,
    pub badge: Option<crate::domain::resource::expiry::Badge>,
}

/// The kinds of dated records this user may see (the tabs' rule; contract ends for
/// billing roles).
pub fn due_kinds(ctx: &Ctx) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = registry::all()
        .iter()
        .filter(|r| r.expiry.is_some() && r.visible(ctx.role(), &ctx.disabled))
        .map(|r| r.slug)
        .collect();
    if allows(Perm::new(Area::Billing, Action::View), ctx.role()) {
        kinds.push(CONTRACT);
    }
    kinds
}

pub fn due_view(d: &attention::Due, client: &str, today: chrono::NaiveDate) -> DueView {
    let (href, what) = match registry::all().iter().find(|r| r.slug == d.kind) {
        Some(r) => (
            format!("/clients/{}/{}/{}", d.client_id, r.slug, d.id),
            r.singular.to_string(),
        ),
        None => (format!("/clients/{}", d.client_id), "contract".to_string()),
    };
    let what = match (d.kind.as_str(), what.as_str()) {
        ("assets", _) => "warranty".to_string(),
        (_, w) => w.to_string(),
    };
    DueView {
        href,
        what,
        name: d.name.clone(),
        client: client.to_string(),
        date: d.date.to_string(),
        badge: crate::domain::resource::expiry::badge(Some(d.date), today),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    tickets: bool,
    mine: Vec<QueueView>,
    mine_total: i64,
    overdue: Vec<QueueView>,
    overdue_total: i64,
    due: Vec<DueView>,
    recent: Vec<(i64, String)>,
}

pub async fn show(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let today = chrono::Utc::now().date_naive();
    let sees_tickets = ctx.sees(Tickets::SLUG);
    let list = ListParams {
        sort: Some("due".into()),
        per: Some("25".into()),
        ..ListParams::default()
    }
    .normalize(queue::SORTABLE);
    let mine = Filter {
        statuses: &status::TicketStatus::OPEN,
        assignee: Assignee::Me,
        client: None,
        priority: None,
        overdue: false,
        list: list.clone(),
    };
    let late = Filter {
        assignee: Assignee::Anyone,
        overdue: true,
        ..mine.clone()
    };
    let kinds = due_kinds(&ctx);
    let (viewer, me) = (ctx.viewer(), ctx.user_id());
    let until = today + chrono::Duration::days(30);
    let (mine, mine_total, late, late_total, due, recent) = db
        .run(move |conn| {
            let (mine, mine_total, late, late_total) = if sees_tickets {
                (
                    queue::list(conn, viewer, me, &mine, today)?,
                    queue::count(conn, viewer, me, &mine, today)?,
                    queue::list(conn, viewer, me, &late, today)?,
                    queue::count(conn, viewer, me, &late, today)?,
                )
            } else {
                (vec![], 0, vec![], 0)
            };
            Ok((
                mine,
                mine_total,
                late,
                late_total,
                attention::for_viewer(conn, viewer, &kinds, until, 50)?,
                recent::list(conn, viewer, me, 8)?,
            ))
        })
        .await?;
    page(&HomePage {
        l: ctx.layout("Home"),
        tickets: sees_tickets,
        mine: mine.iter().map(|r| QueueView::of(r, today)).collect(),
        mine_total,
        overdue: late.iter().map(|r| QueueView::of(r, today)).collect(),
        overdue_total: late_total,
        due: due
            .iter()
            .map(|(d, client)| due_view(d, client, today))
            .collect(),
        recent,
    })
}
