//! Share links in the browser: the Share form on a credential's or a document's page,
//! the admin's list of links with Revoke, and the outsider's page at `/s/{token}` —
//! a button first (a chat app's link preview must not spend a single-view link), then
//! the item, sent `no-store` and `noindex`, with nothing of the tenant beyond it.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use crate::auth::login::visitor;
use crate::auth::{Ctx, Layout};
use crate::domain::registry::{self, Visitor};
use crate::domain::resource::Resource;
use crate::domain::scope::{ClientId, RecordId};
use crate::domain::sharing::links::{self, Live, NewShare, Refused};
use crate::domain::sharing::shown::{self, Shown};
use crate::error::{AppError, AppResult};
use crate::resource::extra::markdown;
use crate::{page, render, see_other};
use mspdesk_platform::db::{AnyConnection, Db};
use mspdesk_platform::vault::Vault;

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    views: String,
    #[serde(default)]
    passphrase: String,
}

/// `POST …/{id}/share`: makes a link and shows its address once.
pub async fn share<R: Resource>(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    form: web::Form<ShareForm>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let form = form.into_inner();
    let new = NewShare {
        minutes: form.minutes.trim().parse().unwrap_or(0),
        views: form.views.trim().parse().unwrap_or(0),
        passphrase: form.passphrase,
    };
    let (who, now) = (ctx.who(), Utc::now().naive_utc());
    let made = db
        .run(move |conn| links::create::<R>(conn, &who, ClientId(cid), RecordId(id), &new, now))
        .await?;
    match made {
        Ok(token) => {
            let info = req.connection_info();
            let url = format!("{}://{}/s/{token}", info.scheme(), info.host());
            ctx.flash(format!(
                "Share link made. Copy it now — it is not shown again: {url}"
            ));
        }
        Err(problem) => ctx.flash_error(problem),
    }
    Ok(see_other(&format!("/clients/{cid}/{}/{id}", R::SLUG)))
}

#[derive(Template)]
#[template(path = "share_view.html")]
struct SharePage {
    l: Layout,
    /// Before the button: whether a passphrase is asked.
    asks_passphrase: bool,
    error: String,
    shown: Option<Shown>,
    /// Long texts rendered (sanitised HTML).
    texts: Vec<(&'static str, String)>,
    views_left: i32,
}

fn private(mut res: HttpResponse) -> HttpResponse {
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex, nofollow"),
    );
    res
}

fn share_page(
    session: &Session,
    asks: bool,
    error: &str,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let page = SharePage {
        l: Layout::anonymous("Shared with you", session),
        asks_passphrase: asks,
        error: error.to_string(),
        shown: None,
        texts: vec![],
        views_left: 0,
    };
    Ok(private(render(status, &page)?))
}

/// `GET /s/{token}`: the button (and passphrase field) before anything is shown.
pub async fn open(session: Session, db: Db, token: web::Path<String>) -> AppResult<HttpResponse> {
    let (token, now) = (token.into_inner(), Utc::now().naive_utc());
    let link = db
        .run(move |conn| Ok(links::find(conn, &token, now)?))
        .await?;
    let link = link.ok_or(AppError::NotFound)?;
    share_page(&session, link.passphrase_hash.is_some(), "", StatusCode::OK)
}

/// Reads the item of the link's kind.
struct Read<'a> {
    conn: &'a mut AnyConnection,
    vault: &'a Vault,
    link: &'a Live,
    clock: mspdesk_platform::clock::Clock,
    out: Option<AppResult<Shown>>,
}

impl Visitor for Read<'_> {
    fn visit<R: Resource>(&mut self) {
        if self.out.is_none() && R::SHAREABLE && R::SLUG == self.link.kind {
            self.out = Some(shown::read::<R>(
                self.conn, self.vault, self.link, self.clock,
            ));
        }
    }
}

#[derive(Deserialize)]
pub struct Unlock {
    #[serde(default)]
    passphrase: String,
}

/// `POST /s/{token}`: spends a view and shows the item.
pub async fn view(
    req: HttpRequest,
    session: Session,
    db: Db,
    vault: web::Data<Vault>,
    token: web::Path<String>,
    form: web::Form<Unlock>,
) -> AppResult<HttpResponse> {
    let (token, now, vault) = (
        token.into_inner(),
        Utc::now().naive_utc(),
        vault.into_inner(),
    );
    let actor = visitor(&req);
    let phrase = form.into_inner().passphrase;
    let seen = db
        .run(move |conn| {
            links::view(conn, &token, &phrase, &actor, now, |conn, link| {
                let mut read = Read {
                    conn,
                    vault: &vault,
                    link,
                    clock: mspdesk_platform::clock::Clock::At(now.and_utc()),
                    out: None,
                };
                registry::each(&mut read);
                let shown = read.out.unwrap_or(Err(AppError::NotFound))?;
                Ok((shown, link.max_views - link.views - 1))
            })
        })
        .await?;
    match seen {
        Ok((shown, views_left)) => {
            let texts = shown
                .texts
                .iter()
                .map(|(l, src)| (*l, markdown(src)))
                .collect();
            let shared = SharePage {
                l: Layout::anonymous("Shared with you", &session),
                asks_passphrase: false,
                error: String::new(),
                shown: Some(shown),
                texts,
                views_left,
            };
            Ok(private(page(&shared)?))
        }
        Err(Refused::Gone) => Err(AppError::NotFound),
        Err(Refused::WrongPassphrase) => share_page(
            &session,
            true,
            "That passphrase is not right.",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}
