//! The one table of every route.

use actix_web::web;

use super::{account, auth, calendar, clients, files, resource};
use crate::addresses::Addresses;
use crate::calendar::Events;
use crate::certificates::Certificates;
use crate::contacts::Contacts;
use crate::credentials::Credentials;
use crate::documents::Documents;
use crate::domains::Domains;
use crate::files::Files;
use crate::licenses::Licenses;
use crate::locations::Locations;
use crate::racks::Racks;
use crate::recurring::RecurringTickets;
use crate::services::Services;
use crate::trips::Trips;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/",
        web::get().to(|| async { super::see_other("/clients") }),
    )
    .route("/login", web::get().to(auth::login_form))
    .route("/login", web::post().to(auth::login))
    .route("/logout", web::post().to(auth::logout))
    .route("/account/password", web::get().to(account::password_form))
    .route(
        "/account/password",
        web::post().to(account::change_password),
    )
    .route("/clients", web::get().to(clients::list))
    .route("/clients", web::post().to(clients::create))
    .route("/clients/new", web::get().to(clients::new))
    .route("/clients/{id}", web::get().to(clients::show))
    .route("/clients/{id}", web::post().to(clients::update))
    .route("/clients/{id}/edit", web::get().to(clients::edit))
    .route("/clients/{id}/archive", web::post().to(clients::archive))
    .route("/clients/{id}/restore", web::post().to(clients::restore))
    // Special views first: their fixed segments must win over `{id}`.
    .configure(files::routes)
    .configure(calendar::routes)
    .configure(resource::routes::<Contacts>)
    .configure(resource::routes::<Addresses>)
    .configure(resource::routes::<Locations>)
    .configure(resource::routes::<Licenses>)
    .configure(resource::routes::<Credentials>)
    .configure(resource::routes::<Racks>)
    .configure(resource::routes::<Certificates>)
    .configure(resource::routes::<Domains>)
    .configure(resource::routes::<Services>)
    .configure(resource::routes::<Documents>)
    .configure(resource::routes::<Files>)
    .configure(resource::routes::<Events>)
    .configure(resource::routes::<Trips>)
    .configure(resource::routes::<RecurringTickets>);
}

/// Unknown paths get the same 404 page as a missing record.
pub async fn not_found() -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}
