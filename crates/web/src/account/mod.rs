//! The user's own account: changing the password ends every other session; the
//! sessions page lists where they are signed in and ends any of them.

pub mod sessions;
pub mod two_factor;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, see_other};
use crate::auth::{start_session, Ctx, Layout};
use crate::domain::tenancy::accounts::{self, PasswordRefused, MAX_PASSWORD, MIN_PASSWORD};
use crate::domain::tenancy::throttle;
use crate::error::AppResult;
use mspdesk_platform::db::Db;

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
    let who = ctx.who();
    let delay = db
        .run(move |conn| accounts::password_delay(conn, &who))
        .await?;
    actix_web::rt::time::sleep(delay).await;
    let who = ctx.who();
    let changed = db
        .run(move |conn| accounts::change_password(conn, &who, &current, &new, &confirm))
        .await?;
    let (status, error) = match changed {
        Ok(()) => {
            // Every session of the user ended with the change; this browser gets a new one.
            start_session(
                &ctx.session,
                ctx.user_id(),
                &ctx.ip,
                ctx.user_agent.as_deref(),
            )?;
            ctx.flash("Your password was changed. Your other sessions have been logged out.");
            return Ok(see_other("/clients"));
        }
        Err(PasswordRefused::Throttled) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many wrong passwords. Wait {} minutes, then try again.",
                throttle::WINDOW_MINUTES
            ),
        ),
        Err(refused) => (StatusCode::UNPROCESSABLE_ENTITY, message(&refused)),
    };
    render(
        status,
        &PasswordPage {
            l: ctx.layout("Change password"),
            error,
        },
    )
}

fn message(refused: &PasswordRefused) -> String {
    match refused {
        PasswordRefused::TooShort => {
            format!("The new password must be at least {MIN_PASSWORD} characters.")
        }
        PasswordRefused::TooLong => format!("A password has at most {MAX_PASSWORD} characters."),
        PasswordRefused::Mismatch => "The two new passwords differ.".into(),
        PasswordRefused::WrongCurrent => "The current password is wrong.".into(),
        PasswordRefused::Throttled => "Too many wrong passwords.".into(),
    }
}
