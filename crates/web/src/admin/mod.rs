//! The tenant admin's pages: users and their access, tenant settings (modules, mileage
//! rate), the audit log, and what runs without a user (jobs, mail, the scheduler).

mod api_keys;
mod audit_log;
mod automation;
mod settings;
mod shares;
pub(crate) mod user_lifecycle;
mod users;

pub use user_lifecycle::base as base_url;

use actix_web::web;

use crate::domain::policy::{Action, Area, Perm};
use crate::routes::Table;

pub fn routes(t: &mut Table) {
    let p = |action| Perm::new(Area::Admin, action);
    t.get("/admin/users", p(Action::View), None, || {
        web::get().to(users::list)
    });
    t.get("/admin/users/new", p(Action::Edit), None, || {
        web::get().to(users::new)
    });
    t.post("/admin/users", p(Action::Edit), None, || {
        web::post().to(users::create)
    });
    t.get("/admin/users/{id}", p(Action::View), None, || {
        web::get().to(users::edit)
    });
    t.post("/admin/users/{id}", p(Action::Edit), None, || {
        web::post().to(users::update)
    });
    t.post("/admin/users/{id}/disable", p(Action::Edit), None, || {
        web::post().to(user_lifecycle::disable)
    });
    t.post("/admin/users/{id}/enable", p(Action::Edit), None, || {
        web::post().to(user_lifecycle::enable)
    });
    t.post(
        "/admin/users/{id}/reset-link",
        p(Action::Edit),
        None,
        || web::post().to(user_lifecycle::reset_link),
    );
    t.get("/admin/shares", p(Action::View), None, || {
        web::get().to(shares::list)
    });
    t.post("/admin/shares/{id}/revoke", p(Action::Edit), None, || {
        web::post().to(shares::revoke)
    });
    t.get("/admin/api-keys", p(Action::View), None, || {
        web::get().to(api_keys::list)
    });
    t.post("/admin/api-keys", p(Action::Edit), None, || {
        web::post().to(api_keys::create)
    });
    t.post("/admin/api-keys/{id}/revoke", p(Action::Edit), None, || {
        web::post().to(api_keys::revoke)
    });
    t.get("/admin/settings", p(Action::View), None, || {
        web::get().to(settings::edit)
    });
    t.post("/admin/settings", p(Action::Edit), None, || {
        web::post().to(settings::update)
    });
    t.get("/admin/audit", p(Action::View), None, || {
        web::get().to(audit_log::list)
    });
    t.get("/admin/jobs", p(Action::View), None, || {
        web::get().to(automation::jobs)
    });
    t.post("/admin/jobs/{id}/retry", p(Action::Edit), None, || {
        web::post().to(automation::retry)
    });
    t.post("/admin/jobs/{id}/cancel", p(Action::Edit), None, || {
        web::post().to(automation::cancel)
    });
    t.get("/admin/mail", p(Action::View), None, || {
        web::get().to(automation::mail)
    });
    t.get("/admin/scheduler", p(Action::View), None, || {
        web::get().to(automation::scheduler)
    });
    t.post("/admin/scheduler", p(Action::Edit), None, || {
        web::post().to(automation::save_scheduler)
    });
}

/// Repeated form keys (checkbox lists) as they came.
pub type Pairs = Vec<(String, String)>;

pub fn value<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

pub fn values(pairs: &Pairs, key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}
