//! Who calls the API: the `Authorization: Bearer` key, resolved to its user exactly as
//! a session is (same tenant, role, restrictions and module switches), then counted
//! against the key's rate. A session cookie is never read here: a browser that is
//! signed in still gets 401 from the API, so no page can be made to call it for them.

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::auth::ctx::Origin;
use crate::auth::Ctx;
use crate::domain::signed_in;
use crate::domain::tenancy::api_keys;
use crate::error::AppError;
use mspdesk_platform::db::Db;

/// The API's settings: requests per key and minute, and this process's counts.
#[derive(Debug, Default)]
pub struct Limits {
    pub per_minute: i64,
    pub local: api_keys::LocalHits,
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The caller of an API request, or 401 (no key, an unknown, revoked or expired one,
/// a removed user) or 429 (over the key's rate, with the seconds to wait).
pub fn resolve(
    req: &HttpRequest,
    payload: &mut actix_web::dev::Payload,
) -> LocalBoxFuture<'static, Result<Ctx, AppError>> {
    let token = bearer(req);
    let db = Db::from_request(req, payload);
    let limits = req.app_data::<web::Data<Limits>>().cloned();
    let origin = Origin::of(req);
    Box::pin(async move {
        let token = token.ok_or(AppError::Unauthorized)?;
        let db = db.await?;
        let now = chrono::Utc::now().naive_utc();
        let found = db
            .run(move |conn| {
                let Some(access) = api_keys::authenticate(conn, &token, now.date())? else {
                    return Ok(None);
                };
                let Some((user, tenant)) = signed_in::find_with_tenant(conn, access.user_id)?
                else {
                    return Ok(None);
                };
                let counted = match &limits {
                    Some(l) => api_keys::hit(conn, &l.local, access.key_id, l.per_minute, now)?,
                    None => Ok(()),
                };
                Ok(Some((access, user, tenant, counted)))
            })
            .await?;
        let Some((access, user, tenant, counted)) = found else {
            return Err(AppError::Unauthorized);
        };
        if let Err(retry_after) = counted {
            return Err(AppError::RateLimited { retry_after });
        }
        Ctx::of(user, tenant, origin, Some(access))
    })
}
