//! The detail page, archive and restore, and revealing a secret (an explicit POST: the
//! secret is in no page until then).

use actix_web::{web, HttpResponse};

use super::{base, client_context, today};
use serde_json::json;

use crate::domain::directory::clients;
use crate::domain::directory::clients::{tabs, Client};
use crate::domain::documentation::totp;
use crate::domain::forms::{display, Kind, RefOptions};
use crate::domain::resource::{
    expiry, history, refs, secret_fields, write, Audience, Resource, Writer,
};
use crate::domain::tenancy::policy::{Action, Perm};
use crate::domain::tenancy::{audit, policy};
use crate::error::{AppError, AppResult};
use crate::platform::db::Db;
use crate::platform::vault::Vault;
use crate::web::auth::Ctx;
use crate::web::pages::ShowPage;
use crate::web::see_other;
use crate::web::views::{ClientNav, Item};

struct Detail<R: Resource> {
    client: Client,
    tabs: Vec<tabs::Tab>,
    row: R::Row,
    refs: RefOptions,
    extra: String,
}

/// Loads the page; `reveal` also opens the row's secrets (label, value or error) and
/// records who revealed them, and why, in the same transaction.
async fn load<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: i64,
    reveal: Option<(Vault, String)>,
) -> AppResult<(Detail<R>, Vec<Item>)> {
    let tenant = ctx.viewer();
    let actor = ctx.actor();
    let (role, disabled) = (ctx.role, ctx.disabled.clone());
    // Only a reveal writes (its audit row); a plain view must not take SQLite's write lock.
    let writes = reveal.is_some();
    let work =
        move |conn: &mut crate::platform::db::AnyConnection| -> AppResult<(Detail<R>, Vec<Item>)> {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let row = R::find(conn, &cs, id)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            let extra = R::detail(
                conn,
                &cs,
                &row,
                &Audience {
                    refs: &refs,
                    role,
                    disabled: &disabled,
                },
            )?;
            let mut revealed = vec![];
            if let Some((vault, reason)) = reveal {
                let changes = json!({ "fields": secret_fields::<R>().map(|f| f.name).collect::<Vec<_>>(), "reason": reason });
                audit::record(
                    conn,
                    &actor,
                    audit::Entry::of_record(cid, R::TABLE, id, "reveal", changes),
                )?;
                for f in secret_fields::<R>() {
                    let opened = R::read_secret(conn, &cs, id, f.name)?.map(|sealed| {
                        vault.open_secret(write::secret_ref::<R>(&cs, id, f.name), &sealed)
                    });
                    let value = match &opened {
                        None => "(none stored)".to_string(),
                        Some(Ok(plain)) => plain.clone(),
                        Some(Err(e)) => format!("Cannot reveal: {e}."),
                    };
                    revealed.push(Item {
                        label: f.label,
                        value,
                    });
                    if let (Kind::TotpSeed, Some(Ok(seed))) = (f.kind, &opened) {
                        let value = match totp::current(seed) {
                            Ok((code, left)) => format!("{code} ({left} s left)"),
                            Err(e) => format!("Cannot compute a code: {e}."),
                        };
                        revealed.push(Item {
                            label: "Current TOTP code",
                            value,
                        });
                    }
                }
                for (hid, field, sealed, when) in history::list(conn, &cs, R::TABLE, id)? {
                    let plain = vault
                        .open_secret(history::at(cs.tenant_id(), hid), &sealed)
                        .unwrap_or_else(|e| format!("cannot reveal: {e}"));
                    let label = R::FIELDS
                        .iter()
                        .find(|f| f.name == field)
                        .map(|f| f.label)
                        .unwrap_or("");
                    revealed.push(Item {
                        label: "Earlier value",
                        value: format!(
                            "{label}, replaced {}: {plain}",
                            when.format("%Y-%m-%d %H:%M")
                        ),
                    });
                }
            }
            Ok((
                Detail {
                    client,
                    tabs,
                    row,
                    refs,
                    extra,
                },
                revealed,
            ))
        };
    if writes {
        db.tx(work).await
    } else {
        db.run(work).await
    }
}

fn render<R: Resource>(
    ctx: &Ctx,
    d: Detail<R>,
    revealed: Vec<Item>,
    reveal_error: String,
) -> AppResult<HttpResponse> {
    let input = R::to_input(&d.row);
    let base = base::<R>(d.client.id);
    let id = R::id(&d.row);
    let status = if reveal_error.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::web::render(
        status,
        &ShowPage {
            reason_required: ctx.reveal_reason_required,
            reveal_error,
            l: ctx.layout(format!("{} · {}", R::title(&d.row), d.client.data.name)),
            nav: Some(ClientNav::new(ctx, &d.client, d.tabs, R::SLUG)),
            heading: R::title(&d.row),
            archived: R::archived(&d.row),
            badge: expiry::badge(R::expiry(&d.row), today()),
            items: R::FIELDS
                .iter()
                .filter(|f| !matches!(f.kind, Kind::Markdown))
                .map(|f| Item {
                    label: f.label,
                    value: display(f, &input, &d.refs),
                })
                .collect(),
            links: vec![],
            can_reveal: secret_fields::<R>().next().is_some()
                && policy::allows(Perm::new(R::AREA, Action::Reveal), ctx.role),
            delete_action: if R::HARD_DELETE
                && policy::allows(Perm::new(R::AREA, Action::Delete), ctx.role)
            {
                format!("{base}/{id}/delete")
            } else {
                String::new()
            },
            revealed,
            extra: d.extra,
            edit_href: if policy::allows(Perm::new(R::AREA, Action::Edit), ctx.role)
                && R::may_write(
                    Some(&d.row),
                    None,
                    Writer {
                        user_id: ctx.user_id,
                        role: ctx.role,
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
    let (d, revealed) = load::<R>(&ctx, &db, cid, id, None).await?;
    render::<R>(&ctx, d, revealed, String::new())
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
    let reason: String = form.into_inner().reason.trim().chars().take(300).collect();
    if reason.is_empty() && ctx.reveal_reason_required {
        // Nothing is opened or audited: the page comes back with the question.
        let (d, _) = load::<R>(&ctx, &db, cid, id, None).await?;
        let error = "Your company requires a reason for every reveal.".to_string();
        return render::<R>(&ctx, d, vec![], error);
    }
    let (d, revealed) =
        load::<R>(&ctx, &db, cid, id, Some((vault.get_ref().clone(), reason))).await?;
    let mut resp = render::<R>(&ctx, d, revealed, String::new())?;
    // A page with a secret on it must not be kept by the browser or a proxy.
    resp.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

async fn set_archived<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    archive: bool,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let tenant = ctx.viewer();
    let actor = ctx.actor();
    let who = Writer {
        user_id: ctx.user_id,
        role: ctx.role,
    };
    let row = db
        .tx(move |conn| {
            let (_, cs) = clients::scoped(conn, tenant, cid)?;
            let row = R::find(conn, &cs, id)?;
            if !R::may_write(Some(&row), None, who) {
                return Err(AppError::Forbidden);
            }
            write::set_archived::<R>(conn, &cs, id, archive)?;
            let action = if archive { "archive" } else { "restore" };
            audit::record(
                conn,
                &actor,
                audit::Entry::of_record(cid, R::TABLE, id, action, json!({})),
            )?;
            Ok(row)
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
