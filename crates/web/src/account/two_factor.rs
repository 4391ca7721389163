//! `/account/2fa`: turning two-factor sign-in on (a QR code drawn on the server, the
//! secret in text, a code to prove the app has it, then ten recovery codes shown once),
//! renewing the recovery codes, and turning it off (password and code).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Utc;
use qrcode::render::svg;
use qrcode::QrCode;
use serde::Deserialize;

use crate::auth::{keys, Ctx, Layout};
use crate::domain::tenancy::two_factor;
use crate::error::{AppError, AppResult};
use crate::{render, see_other};
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

#[derive(Template)]
#[template(path = "account_2fa.html")]
struct TwoFactorPage {
    l: Layout,
    /// On since (UTC), or empty when off.
    since: String,
    codes_left: i64,
    /// Off: the secret being set up, its QR code (SVG) and link.
    secret: String,
    qr: String,
    /// Recovery codes just made (shown once).
    codes: Vec<String>,
    /// The tenant asks this user for a second factor.
    required: bool,
    error: String,
}

/// The QR code of an `otpauth://` link, as inline SVG.
fn qr_svg(link: &str) -> String {
    QrCode::new(link.as_bytes())
        .map(|q| {
            q.render::<svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// The secret being set up in this session (a new one on first sight).
fn pending_secret(ctx: &Ctx) -> AppResult<String> {
    if let Ok(Some(s)) = ctx.session.get::<String>(keys::TOTP_SETUP) {
        return Ok(s);
    }
    let s = two_factor::new_secret();
    ctx.session
        .insert(keys::TOTP_SETUP, &s)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(s)
}

async fn show(
    ctx: &Ctx,
    db: &Db,
    status: StatusCode,
    codes: Vec<String>,
    error: &str,
) -> AppResult<HttpResponse> {
    let (user, tenant, role) = (ctx.user_id(), ctx.tenant(), ctx.role());
    let (since, left, required) = db
        .run(move |conn| {
            let (since, left) = two_factor::state(conn, user)?;
            let required = two_factor::required(conn, tenant)?.applies_to(role);
            Ok((since, left, required))
        })
        .await?;
    let (secret, qr) = match since {
        Some(_) => (String::new(), String::new()),
        None => {
            let secret = pending_secret(ctx)?;
            let link = two_factor::link(&secret, &ctx.user_name, &ctx.tenant_name);
            let qr = qr_svg(&link);
            (secret, qr)
        }
    };
    render(
        status,
        &TwoFactorPage {
            l: ctx.layout("Two-factor sign-in"),
            since: since
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            codes_left: left,
            secret,
            qr,
            codes,
            required,
            error: error.to_string(),
        },
    )
}

pub async fn page(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    show(&ctx, &db, StatusCode::OK, vec![], "").await
}

#[derive(Deserialize)]
pub struct Proof {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

pub async fn enable(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    form: web::Form<Proof>,
) -> AppResult<HttpResponse> {
    let secret = pending_secret(&ctx)?;
    let (who, vault, code) = (ctx.who(), vault.into_inner(), form.into_inner().code);
    let now = Utc::now().naive_utc();
    let done = db
        .run(move |conn| two_factor::enable(conn, &vault, &who, &secret, &code, now))
        .await?;
    match done {
        Ok(codes) => {
            ctx.session.remove(keys::TOTP_SETUP);
            show(&ctx, &db, StatusCode::OK, codes, "").await
        }
        Err(e) => show(&ctx, &db, StatusCode::UNPROCESSABLE_ENTITY, vec![], e).await,
    }
}

pub async fn disable(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    form: web::Form<Proof>,
) -> AppResult<HttpResponse> {
    let (who, vault, proof) = (ctx.who(), vault.into_inner(), form.into_inner());
    let now = Utc::now().naive_utc();
    let done = db
        .run(move |conn| two_factor::disable(conn, &vault, &who, &proof.password, &proof.code, now))
        .await?;
    match done {
        Ok(()) => {
            ctx.flash("Two-factor sign-in is off.");
            Ok(see_other("/account/2fa"))
        }
        Err(e) => show(&ctx, &db, StatusCode::UNPROCESSABLE_ENTITY, vec![], e).await,
    }
}

pub async fn renew_codes(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let now = Utc::now().naive_utc();
    let (since, _) = {
        let user = ctx.user_id();
        db.run(move |conn| Ok(two_factor::state(conn, user)?))
            .await?
    };
    if since.is_none() {
        return show(
            &ctx,
            &db,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![],
            "Turn two-factor sign-in on first.",
        )
        .await;
    }
    let codes = db
        .run(move |conn| two_factor::renew_codes(conn, &who, now))
        .await?;
    show(&ctx, &db, StatusCode::OK, codes, "").await
}
