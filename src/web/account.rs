//! The user's own account: changing the password ends every other session.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::{render, see_other};
use crate::audit;
use crate::auth::{keys, password, Ctx, Layout};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::users;

pub const MIN_PASSWORD: usize = 10;

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    l: Layout,
    error: String,
}

pub async fn password_form(ctx: Ctx) -> AppResult<HttpResponse> {
    render(
        StatusCode::OK,
        &PasswordPage {
            l: ctx.layout("Change password"),
            error: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    ctx: Ctx,
    db: Db,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let PasswordForm {
        current,
        new,
        confirm,
    } = form.into_inner();
    let refuse = |error: &str| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                l: ctx.layout("Change password"),
                error: error.into(),
            },
        )
    };
    if new.chars().count() < MIN_PASSWORD {
        return refuse(&format!(
            "The new password must be at least {MIN_PASSWORD} characters."
        ));
    }
    if new != confirm {
        return refuse("The two new passwords differ.");
    }
    let (uid, actor) = (ctx.user_id, ctx.actor());
    let epoch = db
        .tx(move |conn| {
            let (user, _) = users::find_with_tenant(conn, uid)?.ok_or(AppError::NotFound)?;
            if !password::verify(&current, &user.password_hash) {
                return Ok(None);
            }
            let epoch = users::set_password(conn, uid, &password::hash(&new))?;
            let entry = audit::Entry {
                client_id: None,
                entity: "users",
                entity_id: Some(uid),
                action: "password_changed",
                changes: json!({ "password": "changed" }),
            };
            audit::record(conn, &actor, entry)?;
            Ok(Some(epoch))
        })
        .await?;
    let Some(epoch) = epoch else {
        return refuse("The current password is wrong.");
    };
    // This session carries the new epoch; every other one of the user's sessions ends.
    ctx.session.renew();
    ctx.session
        .insert(keys::EPOCH, epoch)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    ctx.flash("Your password was changed. Your other sessions have been logged out.");
    Ok(see_other("/clients"))
}
