//! Tenant settings: which modules are on, the default mileage rate for trips, and what
//! invoices say of the tenant (address, tax id, number prefix).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{value, values, Pairs};
use crate::auth::{Ctx, Layout};
use crate::domain::tenancy::{accounts, tenants};
use crate::domain::{money, registry};
use crate::error::AppResult;
use mspdesk_platform::db::Db;

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    l: Layout,
    /// (slug, label, on)
    modules: Vec<(&'static str, &'static str, bool)>,
    rate: String,
    s: tenants::Settings,
    error: String,
}

/// `rate`: the mileage rate as typed (the stored one may not be what was refused).
fn page(
    ctx: &Ctx,
    s: tenants::Settings,
    rate: String,
    error: String,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let modules = registry::all()
        .iter()
        .filter(|t| t.switchable)
        .map(|t| (t.slug, t.label, !s.disabled.iter().any(|d| d == t.slug)))
        .collect();
    crate::render(
        status,
        &SettingsPage {
            l: ctx.layout("Settings"),
            modules,
            rate,
            s,
            error,
        },
    )
}

pub async fn edit(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let tenant = ctx.tenant();
    let s = db
        .run(move |conn| Ok(tenants::settings(conn, tenant)?))
        .await?;
    let rate = money::display_scaled(s.mileage_rate, 3);
    page(&ctx, s, rate, String::new(), StatusCode::OK)
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
    let mut new = tenants::Settings {
        mileage_rate: 0,
        disabled,
        reveal_reason_required: !value(&form, "reveal_reason_required").is_empty(),
        billing_address: value(&form, "billing_address").chars().take(1000).collect(),
        tax_id: value(&form, "tax_id").chars().take(100).collect(),
        invoice_prefix: value(&form, "invoice_prefix").trim().to_string(),
        require_2fa: match value(&form, "require_2fa") {
            "1" => 1,
            "2" => 2,
            _ => 0,
        },
    };
    let prefix_ok = new.invoice_prefix.len() <= 12
        && new
            .invoice_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
    let checked = match money::parse_scaled(&rate_text, 3) {
        Err(e) => Err(format!("Mileage rate: {e}")),
        Ok(_) if !prefix_ok => {
            Err("Invoice prefix: up to 12 letters, digits, '-' or '/'.".to_string())
        }
        Ok(r) => Ok(r),
    };
    match checked {
        Ok(rate) => new.mileage_rate = rate,
        Err(e) => return page(&ctx, new, rate_text, e, StatusCode::UNPROCESSABLE_ENTITY),
    }
    let who = ctx.who();
    db.run(move |conn| accounts::update_settings(conn, &who, &new))
        .await?;
    ctx.flash("Settings saved.");
    Ok(crate::see_other("/admin/settings"))
}
