//! Tenant settings: which modules are on, and the default mileage rate for trips.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{value, values, Pairs};
use crate::domain::tenancy::{accounts, tenants};
use crate::domain::{money, registry};
use crate::error::AppResult;
use crate::platform::db::Db;
use crate::web::auth::{Ctx, Layout};

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    l: Layout,
    /// (slug, label, on)
    modules: Vec<(&'static str, &'static str, bool)>,
    rate: String,
    reveal_reason_required: bool,
    error: String,
}

fn page(
    ctx: &Ctx,
    disabled: &[String],
    rate: String,
    reveal_reason_required: bool,
    error: String,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let modules = registry::all()
        .iter()
        .filter(|t| t.switchable)
        .map(|t| (t.slug, t.label, !disabled.iter().any(|d| d == t.slug)))
        .collect();
    crate::web::render(
        status,
        &SettingsPage {
            l: ctx.layout("Settings"),
            modules,
            rate,
            reveal_reason_required,
            error,
        },
    )
}

pub async fn edit(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let tenant = ctx.tenant;
    let s = db
        .run(move |conn| Ok(tenants::settings(conn, tenant)?))
        .await?;
    page(
        &ctx,
        &s.disabled,
        money::display_scaled(s.mileage_rate, 3),
        s.reveal_reason_required,
        String::new(),
        StatusCode::OK,
    )
}

pub async fn update(ctx: Ctx, db: Db, form: web::Form<Pairs>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let on = values(&form, "module");
    let disabled: Vec<String> = registry::all()
        .iter()
        .filter(|t| t.switchable && !on.iter().any(|o| o == t.slug))
        .map(|t| t.slug.to_string())
        .collect();
    let rate_text = value(&form, "mileage_rate").to_string();
    let reason = !value(&form, "reveal_reason_required").is_empty();
    let rate = match money::parse_scaled(&rate_text, 3) {
        Ok(r) => r,
        Err(e) => {
            return page(
                &ctx,
                &disabled,
                rate_text,
                reason,
                format!("Mileage rate: {e}"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let who = ctx.who();
    let new = tenants::Settings {
        mileage_rate: rate,
        disabled,
        reveal_reason_required: reason,
    };
    db.run(move |conn| accounts::update_settings(conn, &who, &new))
        .await?;
    ctx.flash("Settings saved.");
    Ok(crate::web::see_other("/admin/settings"))
}
