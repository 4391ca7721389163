//! The ticket queue (`/tickets`, every client the user may open) and the reply form
//! of a ticket page (a reply, a status change, or both). The ticket's own list, form
//! and page are the client sub-resource's (`web::resource`).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::Layout;
use super::resource::detail;
use super::views::{headers, Header, Pager};
use super::{page, see_other};
use crate::auth::Ctx;
use crate::domain::forms::view::OptionView;
use crate::domain::forms::{choice_label, choice_value, FormInput};
use crate::domain::list::ListParams;
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::{Extra, ListQuery, Resource};
use crate::domain::scope::{ClientId, RecordId};
use crate::domain::service_desk::queue::{self, Assignee, Filter, QueueRow, STATUS_SETS};
use crate::domain::service_desk::tickets::{Tickets, PRIORITIES};
use crate::domain::service_desk::{service, status};
use crate::domain::tenancy::users;
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::Db;

pub fn routes(t: &mut Table) {
    let feature = Some(Tickets::SLUG);
    t.get(
        "/tickets",
        Perm::new(Tickets::AREA, Action::View),
        feature,
        || web::get().to(queue_page),
    );
    t.get(
        "/tickets.csv",
        Perm::new(Tickets::AREA, Action::View),
        feature,
        || web::get().to(queue_csv),
    );
    t.post(
        "/clients/{cid}/tickets/{id}/reply",
        Perm::new(Tickets::AREA, Action::Edit),
        feature,
        || web::post().to(reply),
    );
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    per: Option<String>,
    status: Option<String>,
    assignee: Option<String>,
    client: Option<String>,
    priority: Option<String>,
    overdue: Option<String>,
}

impl QueueParams {
    fn filter(&self) -> Filter {
        let list = ListParams {
            q: self.q.clone(),
            sort: self.sort.clone(),
            dir: self.dir.clone(),
            page: self.page.clone(),
            per: self.per.clone(),
            ..ListParams::default()
        }
        .normalize(queue::SORTABLE);
        let assignee = match self.assignee.as_deref().unwrap_or("") {
            "me" => Assignee::Me,
            "none" => Assignee::Unassigned,
            other => other.parse().map_or(Assignee::Anyone, Assignee::User),
        };
        let set = self.status.as_deref().unwrap_or("open");
        let mut f = Filter {
            statuses: Filter::status_set(set),
            assignee,
            client: self.client.as_deref().and_then(|c| c.parse().ok()),
            priority: choice_value(PRIORITIES, self.priority.as_deref().unwrap_or("")),
            overdue: self.overdue.as_deref().is_some_and(|o| !o.is_empty()),
            list,
        };
        // Sort and pager links keep every filter.
        f.list.extra = vec![
            ("status", set.to_string()),
            ("assignee", self.assignee.clone().unwrap_or_default()),
            (
                "client",
                f.client.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("priority", f.priority.unwrap_or("").to_string()),
            (
                "overdue",
                if f.overdue { "1".into() } else { String::new() },
            ),
        ];
        f
    }
}

pub struct QueueView {
    pub href: String,
    pub reference: String,
    pub subject: String,
    pub client: String,
    pub client_href: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub assignee: String,
    pub due: String,
    pub overdue: bool,
}

impl QueueView {
    pub fn of(r: &QueueRow, today: chrono::NaiveDate) -> Self {
        QueueView {
            href: r.href(),
            reference: r.reference.clone().unwrap_or_default(),
            subject: r.subject.clone(),
            client: r.client_name.clone().unwrap_or_default(),
            client_href: format!("/clients/{}", r.client_id),
            status: status::label(&r.status),
            priority: choice_label(PRIORITIES, &r.priority),
            assignee: r.assignee.clone().unwrap_or_default(),
            due: r.due_date.map(|d| d.to_string()).unwrap_or_default(),
            overdue: r.overdue(today),
        }
    }
}

#[derive(Template)]
#[template(path = "tickets/queue.html")]
struct QueuePage {
    l: Layout,
    q: ListQuery,
    headers: Vec<Header>,
    rows: Vec<QueueView>,
    pager: Pager,
    sets: Vec<OptionView>,
    assignees: Vec<OptionView>,
    priorities: Vec<OptionView>,
    overdue: bool,
    client: String,
    export: String,
}

const COLUMNS: &[(&str, &str)] = &[
    ("number", "Ticket"),
    ("subject", "Subject"),
    ("client", "Client"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("assignee", "Assigned to"),
    ("due", "Due"),
];

/// `/tickets.csv`: the queue with its filters and sort, every row.
async fn queue_csv(ctx: Ctx, db: Db, params: web::Query<QueueParams>) -> AppResult<HttpResponse> {
    use crate::resource::export::{attachment, MAX_ROWS};
    let mut f = params.filter();
    f.list.page = 1;
    f.list.per = MAX_ROWS;
    let today = chrono::Utc::now().date_naive();
    let (viewer, me) = (ctx.viewer(), ctx.user_id());
    let rows = db
        .run(move |conn| Ok(queue::list(conn, viewer, me, &f, today)?))
        .await?;
    let header: Vec<String> = COLUMNS.iter().map(|c| c.1.to_string()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let v = QueueView::of(r, today);
            vec![
                v.reference,
                v.subject,
                v.client,
                v.status.into(),
                v.priority.into(),
                v.assignee,
                v.due,
            ]
        })
        .collect();
    let body = crate::domain::portability::csv_out::write(&header, &rows)
        .map_err(crate::error::AppError::Internal)?;
    Ok(attachment(body, "tickets.csv", "text/csv; charset=utf-8"))
}

async fn queue_page(ctx: Ctx, db: Db, params: web::Query<QueueParams>) -> AppResult<HttpResponse> {
    let f = params.filter();
    let today = chrono::Utc::now().date_naive();
    let (viewer, me, tenant, filter) = (ctx.viewer(), ctx.user_id(), ctx.tenant(), f.clone());
    let (total, rows, staff) = db
        .run(move |conn| {
            Ok((
                queue::count(conn, viewer, me, &filter, today)?,
                queue::list(conn, viewer, me, &filter, today)?,
                users::staff(conn, tenant)?,
            ))
        })
        .await?;
    let base = "/tickets";
    let columns = COLUMNS;
    let chosen = params.assignee.clone().unwrap_or_default();
    let mut assignees = OptionView::choices(
        &[("", "Anyone"), ("me", "Me"), ("none", "Unassigned")],
        &chosen,
    );
    assignees.extend(staff.into_iter().map(|(id, name)| OptionView {
        selected: chosen == id.to_string(),
        value: id.to_string(),
        label: name,
    }));
    let sets: Vec<(&str, &str)> = STATUS_SETS.iter().map(|(v, l, _)| (*v, *l)).collect();
    let client = match (f.client, rows.first()) {
        (Some(_), Some(r)) => r.client_name.clone().unwrap_or_default(),
        (Some(id), None) => format!("#{id}"),
        _ => String::new(),
    };
    page(&QueuePage {
        l: ctx.layout("Tickets"),
        headers: headers(&f.list, base, columns, queue::SORTABLE),
        pager: Pager::new(&f.list, base, total, rows.len()),
        rows: rows.iter().map(|r| QueueView::of(r, today)).collect(),
        sets: OptionView::choices(&sets, params.status.as_deref().unwrap_or("open")),
        assignees,
        priorities: OptionView::choices(PRIORITIES, f.priority.unwrap_or("")),
        overdue: f.overdue,
        client,
        export: f.list.href("/tickets.csv", None, None),
        q: f.list,
    })
}

async fn reply(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let input = FormInput(form.into_inner());
    let who = ctx.who();
    let done = db
        .run(move |conn| service::reply(conn, &who, ClientId(cid), RecordId(id), &input))
        .await?;
    match done {
        Ok(()) => {
            ctx.flash("The ticket was updated.");
            Ok(see_other(&format!("/clients/{cid}/tickets/{id}")))
        }
        Err(draft) => {
            // The ticket page again, with the reply as written and the reason.
            let mut d = detail::load::<Tickets>(&ctx, &db, cid, id).await?;
            if let Extra::Ticket(t) = &mut d.extra {
                t.draft = *draft;
            }
            detail::render::<Tickets>(&ctx, d, vec![], String::new())
        }
    }
}
