//! The user's own account: changing the password ends every other session.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::{render, see_other};
use crate::domain::tenancy::{audit, password, throttle, users};
use crate::error::{AppError, AppResult};
use crate::platform::db::Db;
use crate::web::auth::login::MAX_PASSWORD;
use crate::web::auth::{start_session, Ctx, Layout};

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
    if new.chars().count() > MAX_PASSWORD || current.chars().count() > MAX_PASSWORD {
        return refuse(&format!(
            "A password has at most {MAX_PASSWORD} characters."
        ));
    }
    let (uid, actor, ip) = (ctx.user_id, ctx.actor(), ctx.ip.clone());
    let (user, failures) = db
        .run(move |conn| {
            let (user, _) = users::find_with_tenant(conn, uid)?.ok_or(AppError::NotFound)?;
            let failures = throttle::recent(conn, &user.email, &ip)?;
            Ok((user, failures))
        })
        .await?;
    if failures.blocked() {
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &PasswordPage {
                l: ctx.layout("Change password"),
                error: format!(
                    "Too many wrong passwords. Wait {} minutes, then try again.",
                    throttle::WINDOW_MINUTES
                ),
            },
        );
    }
    actix_web::rt::time::sleep(failures.delay()).await;
    // argon2 runs off the worker and before the write transaction opens.
    let stored = user.password_hash.clone();
    let new_hash =
        web::block(move || password::verify(&current, &stored).then(|| password::hash(&new)))
            .await?;
    let (email, ip, ok) = (user.email.clone(), ctx.ip.clone(), new_hash.is_some());
    db.tx(move |conn| {
        let Some(hash) = new_hash else {
            throttle::record(conn, &email, &ip)?;
            let entry = audit::Entry {
                client_id: None,
                entity: "users",
                entity_id: Some(uid),
                action: "password_change_failed",
                changes: json!({ "reason": "wrong current password" }),
            };
            return Ok(audit::record(conn, &actor, entry)?);
        };
        users::set_password(conn, uid, &hash)?;
        let entry = audit::Entry {
            client_id: None,
            entity: "users",
            entity_id: Some(uid),
            action: "password_changed",
            changes: json!({ "password": "changed" }),
        };
        Ok(audit::record(conn, &actor, entry)?)
    })
    .await?;
    if !ok {
        return refuse("The current password is wrong.");
    }
    // Every session of the user ended with the change; this browser gets a new one.
    start_session(&ctx.session, uid, &ctx.ip, ctx.user_agent.as_deref())?;
    ctx.flash("Your password was changed. Your other sessions have been logged out.");
    Ok(see_other("/clients"))
}
