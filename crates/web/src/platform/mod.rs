//! The platform console, for operators only: its own sign-in, the tenants, creating,
//! suspending, reactivating and exporting one, and the platform audit log. A tenant's
//! user gets 404 on every page here; an operator gets 404 on every tenant page.

mod console;
mod login;

pub use console::size;

use actix_session::SessionExt;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::auth::keys;
use crate::domain::platform::console::OperatorActor;
use crate::domain::platform::operators::{self, Operator};
use crate::domain::policy::{Action, Area, Perm};
use crate::domain::tenancy::sessions::Lifetimes;
use crate::error::AppError;
use crate::routes::Table;
use mspdesk_platform::db::Db;

/// The signed-in operator of a platform request (anyone else: a 404).
#[derive(Clone)]
pub struct Op {
    pub operator: Operator,
    pub actor: OperatorActor,
}

impl FromRequest for Op {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Op, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        if let Some(op) = req.extensions().get::<Op>().cloned() {
            return Box::pin(async move { Ok(op) });
        }
        let session = req.get_session();
        let db = Db::from_request(req, payload);
        let ip = crate::auth::address::client_ip(req);
        let life = req.app_data::<web::Data<Lifetimes>>().map(|l| *l.get_ref());
        Box::pin(async move {
            let (Ok(Some(id)), Ok(Some(nonce))) = (
                session.get::<i64>(keys::OPERATOR),
                session.get::<String>(keys::OPERATOR_NONCE),
            ) else {
                return Err(AppError::NotFound);
            };
            let life = life.ok_or_else(|| AppError::Internal("no session lifetimes".into()))?;
            let db = db.await?;
            let found = db
                .run(move |conn| {
                    let now = chrono::Utc::now().naive_utc();
                    Ok(operators::find_live(conn, id, &nonce, life, now)?)
                })
                .await?;
            let operator = found.ok_or(AppError::NotFound)?;
            Ok(Op {
                actor: OperatorActor {
                    id: operator.id(),
                    ip,
                    at: chrono::Utc::now(),
                },
                operator,
            })
        })
    }
}

use actix_web::HttpMessage;

pub fn routes(t: &mut Table) {
    let public = |action| Perm::new(Area::Public, action);
    let op = |action| Perm::new(Area::Platform, action);
    t.get("/platform/login", public(Action::View), None, || {
        web::get().to(login::form)
    });
    t.post("/platform/login", public(Action::Edit), None, || {
        web::post().to(login::login)
    });
    t.post("/platform/logout", op(Action::Edit), None, || {
        web::post().to(login::logout)
    });
    t.get("/platform", op(Action::View), None, || {
        web::get().to(console::tenants)
    });
    t.post("/platform/tenants", op(Action::Edit), None, || {
        web::post().to(console::create)
    });
    t.post(
        "/platform/tenants/{id}/suspend",
        op(Action::Edit),
        None,
        || web::post().to(console::suspend),
    );
    t.post(
        "/platform/tenants/{id}/reactivate",
        op(Action::Edit),
        None,
        || web::post().to(console::reactivate),
    );
    t.post(
        "/platform/tenants/{id}/export",
        op(Action::Edit),
        None,
        || web::post().to(console::export),
    );
    t.get("/platform/audit", op(Action::View), None, || {
        web::get().to(console::audit)
    });
}
