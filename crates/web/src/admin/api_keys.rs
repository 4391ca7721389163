//! The admin's API keys page: make a key for a user (shown once), see when each was
//! last used, revoke one.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::scope::RecordId;
use crate::domain::tenancy::api_keys::{self, Key, NewKey};
use crate::domain::tenancy::users;
use crate::error::AppResult;
use crate::{render, see_other};
use mspdesk_platform::db::Db;

#[derive(Template)]
#[template(path = "admin/api_keys.html")]
struct KeysPage {
    l: Layout,
    keys: Vec<(Key, &'static str)>,
    users: Vec<(i64, String)>,
    /// The key just made (shown once).
    made: String,
    error: String,
    form: KeyForm,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub access: String,
    #[serde(default)]
    pub expires: String,
}

async fn keys_page(
    ctx: &Ctx,
    db: &Db,
    made: String,
    error: String,
    form: KeyForm,
) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let (keys, users) = db
        .run(move |conn| {
            Ok((
                api_keys::list(conn, &who)?,
                users::list(conn, who.tenant())?,
            ))
        })
        .await?;
    let users = users
        .iter()
        .map(|u| (u.id, format!("{} ({})", u.name, u.role().label())))
        .collect();
    let today = chrono::Utc::now().date_naive();
    let status = crate::status_of(&error);
    render(
        status,
        &KeysPage {
            l: ctx.layout("API keys"),
            keys: keys
                .into_iter()
                .map(|k| {
                    let s = k.state(today);
                    (k, s)
                })
                .collect(),
            users,
            made,
            error,
            form,
        },
    )
}

pub async fn list(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    keys_page(&ctx, &db, String::new(), String::new(), KeyForm::default()).await
}

pub async fn create(ctx: Ctx, db: Db, form: web::Form<KeyForm>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let expires_on = match form.expires.trim() {
        "" => None,
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let e = "Expires: a date as YYYY-MM-DD, or none.".to_string();
                return keys_page(&ctx, &db, String::new(), e, form).await;
            }
        },
    };
    let new = NewKey {
        name: form.name.clone(),
        user_id: form.user.trim().parse().unwrap_or(0),
        read_only: form.access != "write",
        expires_on,
    };
    let who = ctx.who();
    let today = chrono::Utc::now().date_naive();
    match db
        .run(move |conn| api_keys::create(conn, &who, &new, today))
        .await?
    {
        Ok(token) => keys_page(&ctx, &db, token, String::new(), KeyForm::default()).await,
        Err(e) => keys_page(&ctx, &db, String::new(), e, form).await,
    }
}

pub async fn revoke(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (who, id) = (ctx.who(), id.into_inner());
    db.run(move |conn| api_keys::revoke(conn, &who, RecordId(id)))
        .await?;
    ctx.flash("The key was revoked; it no longer opens the API.");
    Ok(see_other("/admin/api-keys"))
}
