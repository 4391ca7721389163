//! `Ctx`: who is asking, resolved once per request from the session. Handlers that take
//! a `Ctx` are for logged-in users only; anonymous requests are sent to the login page.

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

use super::{keys, random_token};
use crate::domain::policy::Role;
use crate::domain::scope::{TenantId, Who};
use crate::domain::signed_in;
use crate::domain::tenancy::{two_factor, users};
use crate::error::AppError;
use mspdesk_platform::db::Db;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

impl Flash {
    pub fn success(message: impl Into<String>) -> Self {
        Flash {
            kind: "success".into(),
            message: message.into(),
        }
    }
    pub fn set(self, session: &Session) {
        // A flash that cannot be stored is only a lost message; the action itself is done.
        let _ = session.insert(keys::FLASH, self);
    }
    fn take(session: &Session) -> Option<Flash> {
        // `remove` marks the session changed even when the key is absent, and a changed
        // session is written back: one UPDATE (SQLite's write lock) per page view.
        if !session.contains_key(keys::FLASH) {
            return None;
        }
        session.remove_as::<Flash>(keys::FLASH).and_then(Result::ok)
    }
}

/// The CSRF token of this session, created on first use.
pub fn csrf_token(session: &Session) -> String {
    match session.get::<String>(keys::CSRF) {
        Ok(Some(t)) => t,
        _ => {
            let t = random_token(32);
            let _ = session.insert(keys::CSRF, &t);
            t
        }
    }
}

/// What the page frame (base.html) needs: the user bar, the CSRF token for its forms
/// (logout) and the flash message.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub user_name: Option<String>,
    pub tenant_name: String,
    pub role: String,
    pub csrf: String,
    pub flash: Option<Flash>,
    /// The admin menu (users, settings, audit log), per the policy table.
    pub admin_menu: bool,
    /// The top menu's entries the user may open, and the current one.
    pub menu: Vec<MenuItem>,
    /// Which section the page belongs to (`home`, `clients`, `tickets`, …).
    pub section: &'static str,
    /// Unread notifications (the bell).
    pub unread: i64,
}

#[derive(Debug, Clone)]
pub struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
    /// A number after the label (my open tickets).
    pub count: Option<i64>,
}

/// The section a path belongs to, for the top menu's mark.
fn section_of(path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => "home",
        ["tickets", ..] | ["clients", _, "tickets", ..] => "tickets",
        ["assets", ..] | ["clients", _, "assets", ..] => "assets",
        ["finance", ..] => "finance",
        ["reports", ..] => "reports",
        ["clients", ..] => "clients",
        ["admin", ..] => "admin",
        ["account", ..] => "account",
        _ => "",
    }
}

impl Layout {
    /// A page frame for no one in particular that touches no session (the API's
    /// reference page: no cookie is set by reading it).
    pub fn bare(title: &str) -> Self {
        Layout {
            title: title.to_string(),
            user_name: None,
            tenant_name: String::new(),
            role: String::new(),
            csrf: String::new(),
            flash: None,
            admin_menu: false,
            menu: vec![],
            section: "",
            unread: 0,
        }
    }

    pub fn anonymous(title: &str, session: &Session) -> Self {
        Layout {
            title: title.to_string(),
            user_name: None,
            tenant_name: String::new(),
            role: String::new(),
            csrf: csrf_token(session),
            flash: Flash::take(session),
            admin_menu: false,
            menu: vec![],
            section: "",
            unread: 0,
        }
    }

    /// A page of the platform console: its brand link leads to the console, since an
    /// operator has no tenant home.
    pub fn platform(title: &str, session: &Session) -> Self {
        Layout {
            section: "platform",
            ..Self::anonymous(title, session)
        }
    }
}

#[derive(Clone)]
pub struct Ctx {
    pub user_name: String,
    pub tenant_name: String,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub session: Session,
    pub ip: String,
    pub user_agent: Option<String>,
    /// Modules the tenant switched off.
    pub disabled: Vec<String>,
    /// The tenant wants a reason for every reveal.
    pub reveal_reason_required: bool,
    /// The request's path (which top menu entry is current).
    pub path: String,
    /// The user's open tickets.
    pub open_tickets: i64,
    /// The user's unread notifications.
    pub unread: i64,
    /// The API key the request came with (API paths only; pages have a session).
    pub api: Option<crate::domain::tenancy::api_keys::Access>,
    /// Who acts, as the services take it: made from the session's or the key's account,
    /// and the one source of the user, tenant, role and reach the handlers read.
    who: Who,
}

impl Ctx {
    pub fn user_id(&self) -> i64 {
        self.who.user_id()
    }
    pub fn tenant(&self) -> TenantId {
        self.who.tenant()
    }
    pub fn role(&self) -> Role {
        self.who.role()
    }
    /// Limited to the clients an admin chose for them.
    pub fn restricted(&self) -> bool {
        self.who.viewer().is_restricted()
    }

    /// Whether this user sees the resource `slug`: its role may and the tenant has not
    /// switched the module off.
    pub fn sees(&self, slug: &str) -> bool {
        crate::domain::registry::visible(slug, self.role(), &self.disabled)
    }

    /// The admin pages (users, settings, audit log), per the policy table.
    fn admin(&self) -> bool {
        use crate::domain::policy::{allows, Action, Area, Perm};
        allows(Perm::new(Area::Admin, Action::View), self.role())
    }

    /// Money pages and figures (accountants, admins), per the policy table.
    pub fn bills(&self) -> bool {
        use crate::domain::policy::{allows, Action, Area, Perm};
        allows(Perm::new(Area::Billing, Action::View), self.role())
    }

    /// The top menu: Home, Clients, Tickets, Assets, Admin — what this user may open.
    fn menu(&self) -> Vec<MenuItem> {
        let open = Some(self.open_tickets).filter(|n| *n > 0);
        [
            ("/", "Home", "home", true, None),
            ("/clients", "Clients", "clients", true, None),
            (
                "/tickets?assignee=me",
                "Tickets",
                "tickets",
                self.sees("tickets"),
                open,
            ),
            ("/assets", "Assets", "assets", self.sees("assets"), None),
            ("/finance", "Finance", "finance", self.bills(), None),
            ("/reports", "Reports", "reports", true, None),
            ("/admin/users", "Admin", "admin", self.admin(), None),
        ]
        .into_iter()
        .filter(|(.., shown, _)| *shown)
        .map(|(href, label, key, _, count)| MenuItem {
            href,
            label,
            key,
            count,
        })
        .collect()
    }

    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout {
            menu: self.menu(),
            section: section_of(&self.path),
            title: title.into(),
            user_name: Some(self.user_name.clone()),
            tenant_name: self.tenant_name.clone(),
            role: self.role().label().to_string(),
            csrf: self.csrf.clone(),
            flash: self.flash.clone(),
            admin_menu: self.admin(),
            unread: self.unread,
        }
    }

    /// Which clients this user may reach.
    pub fn viewer(&self) -> crate::domain::scope::Viewer {
        self.who.viewer()
    }

    /// Who acts, as the services take it.
    pub fn who(&self) -> Who {
        self.who.clone()
    }

    /// Who acts, for the audit log.
    pub fn actor(&self) -> crate::domain::audit::Actor {
        self.who.actor().clone()
    }

    pub fn flash(&self, message: impl Into<String>) {
        Flash::success(message).set(&self.session);
    }

    /// A refusal shown on the next page (an action that has no form of its own).
    pub fn flash_error(&self, message: impl Into<String>) {
        Flash {
            kind: "error".into(),
            message: message.into(),
        }
        .set(&self.session);
    }
}

/// Where a request comes from, whoever it turns out to be.
pub struct Origin {
    pub session: Session,
    pub path: String,
    pub ip: String,
    pub user_agent: Option<String>,
}

impl Origin {
    pub fn of(req: &HttpRequest) -> Origin {
        Origin {
            session: req.get_session(),
            path: req.path().to_string(),
            ip: super::address::client_ip(req),
            user_agent: req
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }
    }
}

impl Ctx {
    /// A resolved user: from the session (`api` None: the page's CSRF token and flash
    /// come from it) or from an API key (no session is read or written); 401 for a key
    /// that is not the user's.
    pub fn of(
        user: users::User,
        tenant: signed_in::TenantInfo,
        origin: Origin,
        api: Option<crate::domain::tenancy::api_keys::Access>,
    ) -> Result<Ctx, AppError> {
        let (ip, agent) = (origin.ip.clone(), origin.user_agent.clone());
        let clock = mspdesk_platform::clock::Clock::System;
        let (csrf, flash, who) = match &api {
            None => (
                csrf_token(&origin.session),
                Flash::take(&origin.session),
                Who::signed_in(&user, ip, agent, clock),
            ),
            Some(key) => (
                String::new(),
                None,
                Who::api_key(&user, key, ip, agent, clock).ok_or(AppError::Unauthorized)?,
            ),
        };
        Ok(Ctx {
            who,
            user_name: user.name,
            tenant_name: tenant.name,
            disabled: tenant.disabled,
            reveal_reason_required: tenant.reveal_reason_required,
            open_tickets: tenant.open_tickets,
            unread: tenant.unread,
            path: origin.path,
            csrf,
            flash,
            session: origin.session,
            ip: origin.ip,
            user_agent: origin.user_agent,
            api,
        })
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Ctx, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        // The route's permission check already resolved the user: reuse it.
        if let Some(ctx) = req.extensions().get::<Ctx>().cloned() {
            return Box::pin(async move { Ok(ctx) });
        }
        // API paths know keys only, pages sessions only: neither opens the other.
        if crate::api::is_api(req.match_info().as_str()) {
            return crate::api::auth::resolve(req, payload);
        }
        let next = match req.uri().path_and_query() {
            Some(pq) if req.method() == actix_web::http::Method::GET => pq.as_str().to_string(),
            _ => "/clients".to_string(),
        };
        let db = Db::from_request(req, payload);
        let origin = Origin::of(req);
        Box::pin(async move {
            let db = db.await?;
            let uid = match origin.session.get::<i64>(keys::USER) {
                Ok(Some(uid)) => uid,
                // A platform operator reads no tenant's pages.
                _ if matches!(origin.session.get::<i64>(keys::OPERATOR), Ok(Some(_))) => {
                    return Err(AppError::NotFound)
                }
                _ => return Err(AppError::LoginRequired { next }),
            };
            let found = db
                .run(move |conn| Ok(signed_in::find_with_tenant(conn, uid)?))
                .await?;
            let Some((user, tenant)) = found else {
                origin.session.purge();
                return Err(AppError::LoginRequired { next });
            };
            // A tenant that asks for a second factor gets it set up before anything else.
            let required = two_factor::Required::from_i32(tenant.require_2fa);
            if required.applies_to(user.role())
                && user.totp_enabled_at.is_none()
                && !origin.path.starts_with("/account/2fa")
            {
                return Err(AppError::TwoFactorSetup);
            }
            Ctx::of(user, tenant, origin, None)
        })
    }
}
