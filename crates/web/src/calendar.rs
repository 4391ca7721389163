//! The calendar's month grid, with previous and next month.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;

use actix_web::{web, HttpResponse};
use askama::Template;

use super::page;
use super::resource::client_context;
use super::views::ClientNav;
use crate::auth::{Ctx, Layout};
use crate::domain::policy::{Action, Perm};
use crate::domain::resource::Resource;
use crate::domain::scheduling::calendar;
use crate::domain::scheduling::calendar::Events;
use crate::error::AppResult;
use crate::routes::Table;
use mspdesk_platform::db::Db;

pub fn routes(t: &mut Table) {
    let perm = Perm::new(Events::AREA, Action::View);
    t.get(
        "/clients/{cid}/calendar/month",
        perm,
        Some(Events::SLUG),
        || web::get().to(month),
    );
}

#[derive(Deserialize)]
struct MonthParam {
    month: Option<String>,
}

struct Day {
    number: u32,
    in_month: bool,
    today: bool,
    /// (href, time, title)
    events: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "calendar_month.html")]
struct MonthPage {
    l: Layout,
    nav: Option<ClientNav>,
    title: String,
    prev: String,
    next: String,
    list: String,
    /// The "New event" button, for those who may add events.
    can_edit: bool,
    weeks: Vec<Vec<Day>>,
}

fn first_of(param: Option<&str>, today: NaiveDate) -> NaiveDate {
    param
        .and_then(crate::domain::forms::dates::month)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

async fn month(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    q: web::Query<MonthParam>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let today = chrono::Utc::now().date_naive();
    let first = first_of(q.month.as_deref(), today);
    let next_first = first + Duration::days(32);
    let next_first = next_first.with_day(1).unwrap_or(next_first);
    // The grid runs Monday to Sunday around the month.
    let start = first - Duration::days(first.weekday().num_days_from_monday() as i64);
    let end =
        next_first + Duration::days((7 - next_first.weekday().num_days_from_monday() as i64) % 7);
    let tenant = ctx.viewer();
    let (client, tabs, events) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let events = calendar::between(
                conn,
                &cs,
                start.and_hms_opt(0, 0, 0).unwrap_or_default(),
                end.and_hms_opt(0, 0, 0).unwrap_or_default(),
            )?;
            Ok((client, tabs, events))
        })
        .await?;
    let base = format!("/clients/{cid}/{}", Events::SLUG);
    let mut weeks = vec![];
    let mut day = start;
    while day < end {
        let mut week = vec![];
        for _ in 0..7 {
            let events_today = events
                .iter()
                .filter(|e| {
                    let s = e.data.start_date.date();
                    let last = e.data.end_date.map(|d| d.date()).unwrap_or(s);
                    s <= day && day <= last
                })
                .map(|e| {
                    let time = if e.data.all_day {
                        String::new()
                    } else {
                        e.data.start_date.format("%H:%M").to_string()
                    };
                    (format!("{base}/{}", e.id), time, e.data.title.clone())
                })
                .collect();
            week.push(Day {
                number: day.day(),
                in_month: day.month() == first.month(),
                today: day == today,
                events: events_today,
            });
            day += Duration::days(1);
        }
        weeks.push(week);
    }
    let prev_first = (first - Duration::days(1)).with_day(1).unwrap_or(first);
    page(&MonthPage {
        l: ctx.layout(format!("Calendar · {}", client.data.name)),
        nav: Some(ClientNav::new(&ctx, &client, tabs, Events::SLUG)),
        title: first.format("%B %Y").to_string(),
        prev: format!("{base}/month?month={}", prev_first.format("%Y-%m")),
        next: format!("{base}/month?month={}", next_first.format("%Y-%m")),
        list: base,
        can_edit: crate::domain::policy::allows(Perm::new(Events::AREA, Action::Edit), ctx.role()),
        weeks,
    })
}
