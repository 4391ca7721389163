//! Data out, beyond list CSVs: a client's contacts as vCards, calendar feeds (the
//! secret URL a phone subscribes to, and the admin page that makes and revokes them).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Duration, Utc};
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::automation::settings;
use crate::domain::directory::contacts::Contacts;
use crate::domain::list::ListParams;
use crate::domain::portability::feeds::{self, Feed};
use crate::domain::portability::{ical, vcard};
use crate::domain::resource::Resource;
use crate::domain::scope::{ClientId, RecordId};
use crate::error::{AppError, AppResult};
use crate::resource::client_context;
use crate::resource::export::{attachment, file_part, MAX_ROWS};
use crate::see_other;
use mspdesk_platform::db::Db;

/// `/clients/{cid}/contacts.vcf`: the client's live contacts, one vCard each.
pub async fn contacts_vcf(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let (cid, viewer) = (cid.into_inner(), ctx.viewer());
    let (client, rows) = db
        .run(move |conn| {
            let (client, cs, _) = client_context(conn, viewer, cid)?;
            let mut q = ListParams::default().normalize(Contacts::SORTABLE);
            q.per = MAX_ROWS;
            Ok((client, Contacts::list(conn, &cs, &q)?))
        })
        .await?;
    let org = client.data.name.clone();
    let cards: Vec<vcard::Card> = rows
        .iter()
        .map(|c| vcard::Card {
            uid: format!("urn:mspdesk:contact:{}", c.id),
            name: &c.data.name,
            title: c.data.title.as_deref(),
            email: c.data.email.as_deref(),
            phone: c.data.phone.as_deref(),
            mobile: c.data.mobile.as_deref(),
            org: &org,
            department: c.data.department.as_deref(),
        })
        .collect();
    let name = format!("{}-contacts.vcf", file_part(&org));
    Ok(attachment(
        vcard::write(&cards).into_bytes(),
        &name,
        "text/vcard; charset=utf-8",
    ))
}

/// `/feeds/{token}/calendar.ics`: no session — the token is the key. Events from 90
/// days ago on.
pub async fn calendar_feed(db: Db, token: web::Path<String>) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let now = Utc::now();
    let body = db
        .run(move |conn| {
            let (tenant, client, label) =
                feeds::resolve(conn, &token)?.ok_or(AppError::NotFound)?;
            let tz = settings::load(conn, tenant)?.time_zone;
            let since = now.naive_utc() - Duration::days(90);
            let rows = feeds::events(conn, tenant, client, since)?;
            let entries: Vec<ical::Entry> = rows
                .iter()
                .map(|(id, e, client)| ical::Entry {
                    id: *id,
                    title: &e.title,
                    description: e.description.as_deref(),
                    location: e.location.as_deref(),
                    start: e.start_date,
                    end: e.end_date,
                    all_day: e.all_day,
                    client,
                })
                .collect();
            Ok(ical::write(&label, tz, &entries, now))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(body))
}

#[derive(Template)]
#[template(path = "admin/feeds.html")]
struct FeedsPage {
    l: Layout,
    feeds: Vec<Feed>,
    clients: Vec<(i64, String)>,
    /// The URL of a feed just made (shown once).
    made: String,
    error: String,
}

async fn feeds_page(ctx: &Ctx, db: &Db, made: String, error: String) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let (feeds, clients) = db
        .run(move |conn| {
            Ok((
                feeds::list(conn, &who)?,
                crate::domain::clients::names(conn, who.tenant())?,
            ))
        })
        .await?;
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::render(
        status,
        &FeedsPage {
            l: ctx.layout("Calendar feeds"),
            feeds,
            clients,
            made,
            error,
        },
    )
}

pub async fn feeds(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    feeds_page(&ctx, &db, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub struct NewFeed {
    #[serde(default)]
    label: String,
    #[serde(default)]
    client: String,
}

pub async fn create_feed(ctx: Ctx, db: Db, form: web::Form<NewFeed>) -> AppResult<HttpResponse> {
    let (who, form) = (ctx.who(), form.into_inner());
    let client = form.client.trim().parse::<i64>().ok().map(ClientId);
    let label = form.label.clone();
    match db
        .run(move |conn| feeds::create(conn, &who, client, &label))
        .await?
    {
        Ok(token) => {
            feeds_page(
                &ctx,
                &db,
                format!("/feeds/{token}/calendar.ics"),
                String::new(),
            )
            .await
        }
        Err(e) => feeds_page(&ctx, &db, String::new(), e).await,
    }
}

pub async fn revoke_feed(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (who, id) = (ctx.who(), id.into_inner());
    db.run(move |conn| feeds::revoke(conn, &who, RecordId(id)))
        .await?;
    ctx.flash("The feed was revoked; its address no longer answers.");
    Ok(see_other("/admin/feeds"))
}
