//! The one table of every route: method, path, the permission it needs and the tenant
//! module it belongs to. The server registers routes from it, wrapping each in the
//! check of its permission; the role-matrix and cross-tenant tests walk it.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{guard, web, FromRequest, HttpMessage, Route};

use super::{account, auth, calendar, clients, files, finance, resource};
use crate::auth::Ctx;
use crate::domain::audit;
use crate::domain::policy;
use crate::domain::policy::{Action, Area, Perm};
use crate::domain::registry;
use crate::error::AppError;
use crate::guard::refuse;
use mspdesk_platform::db::Db;

pub struct RouteDef {
    pub method: Method,
    pub path: String,
    pub perm: Perm,
    /// The switchable module the route belongs to (off → 404).
    pub feature: Option<&'static str>,
    pub route: fn() -> Route,
}

#[derive(Default)]
pub struct Table(pub Vec<RouteDef>);

impl Table {
    fn add(
        &mut self,
        method: Method,
        path: &str,
        perm: Perm,
        feature: Option<&'static str>,
        route: fn() -> Route,
    ) {
        self.0.push(RouteDef {
            method,
            path: path.to_string(),
            perm,
            feature,
            route,
        });
    }
    pub fn get(
        &mut self,
        path: &str,
        perm: Perm,
        feature: Option<&'static str>,
        route: fn() -> Route,
    ) {
        self.add(Method::GET, path, perm, feature, route);
    }
    pub fn post(
        &mut self,
        path: &str,
        perm: Perm,
        feature: Option<&'static str>,
        route: fn() -> Route,
    ) {
        self.add(Method::POST, path, perm, feature, route);
    }
    pub fn patch(
        &mut self,
        path: &str,
        perm: Perm,
        feature: Option<&'static str>,
        route: fn() -> Route,
    ) {
        self.add(Method::PATCH, path, perm, feature, route);
    }
}

/// Every route, in matching order: fixed segments before `{id}`.
pub fn table() -> Vec<RouteDef> {
    use Action::*;
    let p = Perm::new;
    let mut t = Table::default();
    t.get("/", p(Area::Account, View), None, || {
        web::get().to(super::home::show)
    });
    t.get("/healthz", p(Area::Public, View), None, || {
        web::get().to(super::health::check)
    });
    t.get("/readyz", p(Area::Public, View), None, || {
        web::get().to(super::health::ready)
    });
    t.get("/static/{file}", p(Area::Public, View), None, || {
        web::get().to(super::assets::serve)
    });
    t.get("/login", p(Area::Public, View), None, || {
        web::get().to(auth::login::login_form)
    });
    t.post("/login", p(Area::Public, Edit), None, || {
        web::post().to(auth::login::login)
    });
    t.get("/login/code", p(Area::Public, View), None, || {
        web::get().to(auth::second_step::form)
    });
    t.post("/login/code", p(Area::Public, Edit), None, || {
        web::post().to(auth::second_step::check)
    });
    t.get("/s/{token}", p(Area::Public, View), None, || {
        web::get().to(crate::sharing::open)
    });
    t.post("/s/{token}", p(Area::Public, Edit), None, || {
        web::post().to(crate::sharing::view)
    });
    t.get("/password/{token}", p(Area::Public, View), None, || {
        web::get().to(auth::password_link::form)
    });
    t.post("/password/{token}", p(Area::Public, Edit), None, || {
        web::post().to(auth::password_link::set)
    });
    t.post("/logout", p(Area::Public, Edit), None, || {
        web::post().to(auth::login::logout)
    });
    t.get("/account/password", p(Area::Account, View), None, || {
        web::get().to(account::password_form)
    });
    t.get("/search", p(Area::Account, View), None, || {
        web::get().to(super::search::page)
    });
    t.get("/notifications", p(Area::Account, View), None, || {
        web::get().to(super::notifications::list)
    });
    t.post("/notifications/read", p(Area::Account, Edit), None, || {
        web::post().to(super::notifications::read_all)
    });
    t.post(
        "/notifications/choices",
        p(Area::Account, Edit),
        None,
        || web::post().to(super::notifications::choose),
    );
    t.get("/notifications/{id}", p(Area::Account, View), None, || {
        web::get().to(super::notifications::open)
    });
    t.get("/account/2fa", p(Area::Account, View), None, || {
        web::get().to(account::two_factor::page)
    });
    t.post("/account/2fa/enable", p(Area::Account, Edit), None, || {
        web::post().to(account::two_factor::enable)
    });
    t.post("/account/2fa/disable", p(Area::Account, Edit), None, || {
        web::post().to(account::two_factor::disable)
    });
    t.post(
        "/account/2fa/recovery-codes",
        p(Area::Account, Edit),
        None,
        || web::post().to(account::two_factor::renew_codes),
    );
    t.get("/account/sessions", p(Area::Account, View), None, || {
        web::get().to(account::sessions::list)
    });
    t.post(
        "/account/sessions/end",
        p(Area::Account, Edit),
        None,
        || web::post().to(account::sessions::end),
    );
    t.post("/account/password", p(Area::Account, Edit), None, || {
        web::post().to(account::change_password)
    });
    t.get("/clients", p(Area::Clients, View), None, || {
        web::get().to(clients::list)
    });
    t.get("/clients/switch.json", p(Area::Clients, View), None, || {
        web::get().to(clients::switch)
    });
    t.get("/clients.csv", p(Area::Clients, View), None, || {
        web::get().to(clients::export)
    });
    t.post("/clients", p(Area::Clients, Edit), None, || {
        web::post().to(clients::create)
    });
    t.get("/clients/new", p(Area::Clients, Edit), None, || {
        web::get().to(clients::new)
    });
    t.get("/clients/{id}", p(Area::Clients, View), None, || {
        web::get().to(super::dashboard::show)
    });
    t.post("/clients/{id}", p(Area::Clients, Edit), None, || {
        web::post().to(clients::update)
    });
    t.get("/clients/{id}/edit", p(Area::Clients, Edit), None, || {
        web::get().to(clients::edit)
    });
    t.post(
        "/clients/{id}/archive",
        p(Area::Clients, Edit),
        None,
        || web::post().to(clients::archive),
    );
    t.post(
        "/clients/{id}/restore",
        p(Area::Clients, Edit),
        None,
        || web::post().to(clients::restore),
    );
    t.get(
        "/clients/{cid}/contacts.vcf",
        p(Area::Directory, View),
        None,
        || web::get().to(super::portability::contacts_vcf),
    );
    // No session: the secret token in the address is the key.
    t.get(
        "/feeds/{token}/calendar.ics",
        p(Area::Public, View),
        None,
        || web::get().to(super::portability::calendar_feed),
    );
    t.get("/admin/feeds", p(Area::Admin, View), None, || {
        web::get().to(super::portability::feeds)
    });
    t.post("/admin/feeds", p(Area::Admin, Edit), None, || {
        web::post().to(super::portability::create_feed)
    });
    t.post(
        "/admin/feeds/{id}/revoke",
        p(Area::Admin, Edit),
        None,
        || web::post().to(super::portability::revoke_feed),
    );
    super::admin::routes(&mut t);
    super::platform::routes(&mut t);
    super::api::routes(&mut t);
    super::imports::routes(&mut t);
    super::reports::routes(&mut t);
    files::routes(&mut t);
    calendar::routes(&mut t);
    super::tickets::routes(&mut t);
    super::inventory::routes(&mut t);
    finance::routes(&mut t);
    registry::each(&mut resource::Register(&mut t));
    t.0
}

/// The table as text, one route a line: method, path, permission, module switch.
pub fn describe() -> Vec<String> {
    table()
        .iter()
        .map(|d| {
            format!(
                "{:<5} {:<48} {:<22} {}",
                d.method.as_str(),
                d.path,
                format!("{:?}.{:?}", d.perm.area, d.perm.action),
                d.feature.unwrap_or("-")
            )
        })
        .collect()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    crate::error::show_with(crate::error_page::show);
    for def in table() {
        let (perm, feature) = (def.perm, def.feature);
        cfg.service(
            web::resource(def.path.as_str())
                .guard(guard::Method(def.method.clone()))
                .wrap(from_fn(move |req, next| {
                    authorize(req, next, perm, feature)
                }))
                .route((def.route)()),
        );
    }
}

/// Resolves the user once (handlers reuse the `Ctx`), then: a module the tenant switched
/// off is a 404; a role without the permission gets 403, and the refusal is audited.
async fn authorize<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
    perm: Perm,
    feature: Option<&'static str>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if perm.area == Area::Public {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    // The console is the operators' alone: anyone else finds nothing there.
    if perm.area == Area::Platform {
        let (http, payload) = req.parts_mut();
        return match crate::platform::Op::from_request(http, payload).await {
            Ok(op) => {
                req.extensions_mut().insert(op);
                Ok(next.call(req).await?.map_into_left_body())
            }
            Err(e) => Ok(refuse(req, e)),
        };
    }
    let (http, payload) = req.parts_mut();
    let ctx = match Ctx::from_request(http, payload).await {
        Ok(ctx) => ctx,
        Err(e) => return Ok(refuse(req, e)),
    };
    if feature.is_some_and(|f| ctx.disabled.iter().any(|d| d == f)) {
        return Ok(refuse(req, AppError::NotFound));
    }
    // A read-only key reads, whatever its user's role.
    let read_only = ctx.api.is_some_and(|a| a.read_only) && req.method() != Method::GET;
    if read_only || !policy::allows(perm, ctx.role()) {
        let (actor, path, method) = (
            ctx.actor(),
            req.path().to_string(),
            req.method().to_string(),
        );
        let (http, payload) = req.parts_mut();
        let db = Db::from_request(http, payload).await?;
        let role = ctx.role();
        db.run(move |conn| audit::denied(conn, &actor, &method, &path, role))
            .await?;
        return Ok(refuse(req, AppError::Forbidden));
    }
    req.extensions_mut().insert(ctx);
    let res = next.call(req).await?;
    // On the API, a handler's or extractor's refusal is a problem document too.
    let ready = res
        .response()
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == super::api::problem::CONTENT_TYPE.as_bytes());
    if let Some(problem) = res
        .response()
        .error()
        .filter(|_| !ready && super::api::is_api(res.request().match_info().as_str()))
        .map(super::api::problem::from_error)
    {
        return Ok(res.into_response(problem).map_into_right_body());
    }
    Ok(res.map_into_left_body())
}

/// Unknown paths get the same 404 page as a missing record (a problem on the API).
pub async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    if super::api::is_api(req.match_info().as_str()) {
        return super::api::problem::from_error(&AppError::NotFound.into());
    }
    AppError::NotFound.error_response()
}
