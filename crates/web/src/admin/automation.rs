//! What runs without a user, as the tenant's admin sees it: the jobs (failed ones with
//! their error, to retry or cancel), the recent mail and its delivery, and the
//! scheduler's settings (time zone, catch-up, expiry lead times, overdue reminders,
//! the mail's sender name and reply-to).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::automation::mails::{self, Sent};
use crate::domain::automation::queue::{self, Job, STATES};
use crate::domain::automation::settings::{self, ScheduleInput, CATCH_UP};
use crate::domain::scope::RecordId;
use crate::error::{AppError, AppResult};
use crate::see_other;
use mspdesk_platform::db::Db;

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    l: Layout,
    jobs: Vec<Job>,
    /// (state, label, count, selected)
    states: Vec<(&'static str, &'static str, i64, bool)>,
    all: bool,
}

#[derive(Deserialize)]
pub struct JobFilter {
    #[serde(default)]
    state: String,
}

pub async fn jobs(ctx: Ctx, db: Db, f: web::Query<JobFilter>) -> AppResult<HttpResponse> {
    let (who, state) = (ctx.who(), f.into_inner().state);
    let chosen = state.clone();
    let (jobs, counts) = db
        .run(move |conn| {
            Ok((
                queue::list(conn, &who, &state, 200)?,
                queue::counts(conn, &who)?,
            ))
        })
        .await?;
    let all = !STATES.iter().any(|(s, _)| *s == chosen);
    let states = STATES
        .iter()
        .map(|(s, label)| {
            let n = counts.iter().find(|(c, _)| c == s).map_or(0, |c| c.1);
            (*s, *label, n, chosen == *s)
        })
        .collect();
    crate::page(&JobsPage {
        l: ctx.layout("Jobs"),
        jobs,
        states,
        all,
    })
}

async fn change(ctx: Ctx, db: Db, id: i64, retry: bool) -> AppResult<HttpResponse> {
    let who = ctx.who();
    match db
        .run(move |conn| queue::change(conn, &who, RecordId(id), retry))
        .await
    {
        Ok(()) => ctx.flash(if retry {
            "The job will run again."
        } else {
            "The job was cancelled."
        }),
        Err(AppError::Conflict(why)) => ctx.flash_error(why),
        Err(e) => return Err(e),
    }
    Ok(see_other("/admin/jobs"))
}

pub async fn retry(ctx: Ctx, db: Db, path: web::Path<i64>) -> AppResult<HttpResponse> {
    change(ctx, db, path.into_inner(), true).await
}

pub async fn cancel(ctx: Ctx, db: Db, path: web::Path<i64>) -> AppResult<HttpResponse> {
    change(ctx, db, path.into_inner(), false).await
}

#[derive(Template)]
#[template(path = "admin/mail.html")]
struct MailPage {
    l: Layout,
    mails: Vec<Sent>,
}

pub async fn mail(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let tenant = ctx.tenant();
    let mails = db
        .run(move |conn| Ok(mails::recent(conn, tenant, 200)?))
        .await?;
    crate::page(&MailPage {
        l: ctx.layout("Mail"),
        mails,
    })
}

#[derive(Template)]
#[template(path = "admin/scheduler.html")]
struct SchedulerPage {
    l: Layout,
    s: ScheduleInput,
    catch_up: &'static [(&'static str, &'static str)],
    errors: Vec<String>,
}

fn scheduler_page(ctx: &Ctx, s: ScheduleInput, errors: Vec<String>) -> AppResult<HttpResponse> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SchedulerPage {
        l: ctx.layout("Scheduler"),
        s,
        catch_up: CATCH_UP,
        errors,
    };
    crate::render(status, &page)
}

pub async fn scheduler(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let tenant = ctx.tenant();
    let s = db
        .run(move |conn| Ok(settings::load(conn, tenant)?))
        .await?;
    let input = ScheduleInput::from(s);
    scheduler_page(&ctx, input, vec![])
}

pub async fn save_scheduler(
    ctx: Ctx,
    db: Db,
    form: web::Form<ScheduleInput>,
) -> AppResult<HttpResponse> {
    let (who, input) = (ctx.who(), form.into_inner());
    let kept = input.clone();
    match db
        .run(move |conn| settings::save(conn, &who, &input))
        .await?
    {
        Ok(_) => {
            ctx.flash("Scheduler settings saved.");
            Ok(see_other("/admin/scheduler"))
        }
        Err(errors) => scheduler_page(&ctx, kept, errors),
    }
}
