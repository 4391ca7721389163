//! The detail page, archive and restore, and revealing a secret (an explicit POST: the
//! secret is in no page until then).

use actix_web::{web, HttpResponse};

use super::{base, client_context, today};

use crate::auth::Ctx;
use crate::domain::clients::Client;
use crate::domain::forms::{shown, Kind, RefOptions};
use crate::domain::policy;
use crate::domain::policy::{Action, Perm};
use crate::domain::registry::tabs;
use crate::domain::resource::service::{self, RevealRefused};
use crate::domain::resource::{expiry, fields_for, refs, secret_fields, Resource, Writer};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::AppResult;
use crate::pages::ShowPage;
use crate::see_other;
use crate::views::{priced, ClientNav, Item};
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

pub(crate) struct Detail<R: Resource> {
    client: Client,
    tabs: Vec<tabs::Tab>,
    row: R::Row,
    refs: RefOptions,
    pub extra: crate::domain::resource::Extra,
}

/// Loads the page (a plain read: no write lock).
pub(crate) async fn load<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: i64,
) -> AppResult<Detail<R>> {
    let tenant = ctx.viewer();
    let (role, disabled) = (ctx.role(), ctx.disabled.clone());
    db.run(move |conn| {
        let (client, cs, tabs) = client_context(conn, tenant, cid)?;
        let row = R::find(conn, &cs, id)?;
        let refs = refs::load(conn, &cs, R::FIELDS)?;
        let audience = crate::domain::registry::audience(&refs, role, &disabled);
        let extra = R::detail(conn, &cs, &row, &audience)?;
        Ok(Detail {
            client,
            tabs,
            row,
            refs,
            extra,
        })
    })
    .await
}

pub(crate) fn render<R: Resource>(
    ctx: &Ctx,
    d: Detail<R>,
    revealed: Vec<service::Revealed>,
    reveal_error: String,
) -> AppResult<HttpResponse> {
    let input = R::to_input(&d.row);
    let base = base::<R>(d.client.id);
    let id = R::id(&d.row);
    let refused = !reveal_error.is_empty()
        || matches!(&d.extra, crate::domain::resource::Extra::Ticket(t) if !t.draft.error.is_empty());
    let status = if refused {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let can_write = policy::allows(Perm::new(R::AREA, Action::Edit), ctx.role());
    let extra = super::extra::render(
        &d.extra,
        &super::extra::Frame {
            csrf: &ctx.csrf,
            action: &format!("{base}/{id}"),
            can_write,
        },
    )?;
    crate::render(
        status,
        &ShowPage {
            reason_required: ctx.reveal_reason_required,
            reveal_error,
            l: ctx.layout(format!("{} · {}", R::title(&d.row), d.client.data.name)),
            nav: Some(ClientNav::new(ctx, &d.client, d.tabs, R::SLUG)),
            heading: R::title(&d.row),
            archived: R::archived(&d.row),
            badge: expiry::badge(R::expiry(&d.row), today()),
            items: fields_for::<R>(ctx.role())
                .iter()
                .filter(|f| !matches!(f.kind, Kind::Markdown))
                .map(|f| {
                    Item::of(
                        f,
                        priced(f, shown(f, &input, &d.refs), &d.client.billing.currency),
                    )
                })
                .collect(),
            links: vec![],
            can_reveal: secret_fields::<R>().next().is_some()
                && policy::allows(Perm::new(R::AREA, Action::Reveal), ctx.role()),
            delete_action: if R::HARD_DELETE
                && policy::allows(Perm::new(R::AREA, Action::Delete), ctx.role())
            {
                format!("{base}/{id}/delete")
            } else {
                String::new()
            },
            share_action: if R::SHAREABLE
                && !R::archived(&d.row)
                && policy::allows(crate::domain::sharing::links::needed::<R>(), ctx.role())
            {
                format!("{base}/{id}/share")
            } else {
                String::new()
            },
            revealed,
            extra,
            edit_href: if policy::allows(Perm::new(R::AREA, Action::Edit), ctx.role())
                && R::may_write(
                    Some(&d.row),
                    None,
                    Writer {
                        user_id: ctx.user_id(),
                        role: ctx.role(),
                    },
                ) {
                format!("{base}/{id}/edit")
            } else {
                String::new()
            },
            action_base: format!("{base}/{id}"),
            back_href: base,
        },
    )
}

pub async fn show<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let d = load::<R>(&ctx, &db, cid, id).await?;
    render::<R>(&ctx, d, vec![], String::new())
}

#[derive(serde::Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
}

pub async fn reveal<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    path: web::Path<(i64, i64)>,
    form: web::Form<RevealForm>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (who, vault) = (ctx.who(), vault.get_ref().clone());
    let (reason, required) = (form.into_inner().reason, ctx.reveal_reason_required);
    let revealed = db
        .run(move |conn| {
            service::reveal::<R>(
                conn,
                &who,
                &vault,
                ClientId(cid),
                RecordId(id),
                &reason,
                required,
            )
        })
        .await?;
    let d = load::<R>(&ctx, &db, cid, id).await?;
    let revealed = match revealed {
        Ok(items) => items,
        Err(RevealRefused::ReasonRequired) => {
            // Nothing was opened or audited: the page comes back with the question.
            let error = "Your company requires a reason for every reveal.".to_string();
            return render::<R>(&ctx, d, vec![], error);
        }
    };
    // Like every signed-in page, it goes out `Cache-Control: no-store`
    // (`web::guard::security_headers`): a secret is not kept by a browser or proxy.
    render::<R>(&ctx, d, revealed, String::new())
}

async fn set_archived<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    archive: bool,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let who = ctx.who();
    let row = db
        .run(move |conn| {
            service::set_archived::<R>(conn, &who, ClientId(cid), RecordId(id), archive)
        })
        .await?;
    let verb = if archive { "archived" } else { "restored" };
    ctx.flash(format!("{} was {verb}.", R::title(&row)));
    Ok(see_other(&if archive {
        base::<R>(cid)
    } else {
        format!("{}/{id}", base::<R>(cid))
    }))
}

/// `GET …/reveal`: a reloaded or shared reveal address opens the record (secrets hidden
/// again); the record is loaded first, so another tenant's id stays a 404.
pub async fn reveal_again<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    load::<R>(&ctx, &db, cid, id).await?;
    Ok(see_other(&format!("{}/{id}", base::<R>(cid))))
}

pub async fn archive<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, true).await
}

pub async fn restore<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, false).await
}
