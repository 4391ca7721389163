//! The one table of every route.

use actix_web::web;

use super::{auth, clients, resource};
use crate::addresses::Addresses;
use crate::contacts::Contacts;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/",
        web::get().to(|| async { super::see_other("/clients") }),
    )
    .route("/login", web::get().to(auth::login_form))
    .route("/login", web::post().to(auth::login))
    .route("/logout", web::post().to(auth::logout))
    .route("/clients", web::get().to(clients::list))
    .route("/clients", web::post().to(clients::create))
    .route("/clients/new", web::get().to(clients::new))
    .route("/clients/{id}", web::get().to(clients::show))
    .route("/clients/{id}", web::post().to(clients::update))
    .route("/clients/{id}/edit", web::get().to(clients::edit))
    .route("/clients/{id}/archive", web::post().to(clients::archive))
    .route("/clients/{id}/restore", web::post().to(clients::restore))
    .configure(resource::routes::<Contacts>)
    .configure(resource::routes::<Addresses>);
}

/// Unknown paths get the same 404 page as a missing record.
pub async fn not_found() -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}
