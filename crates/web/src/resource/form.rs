//! New, create, edit, update: validation by field kind, the resource's own rules, then
//! the write — all in one transaction; on error the form again with 422.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{base, client_context};

use crate::auth::Ctx;
use crate::domain::clients::Client;
use crate::domain::forms::{form_view, Errors, FormInput, RefOptions};
use crate::domain::registry::tabs;
use crate::domain::resource::{fields_for, refs, service, Resource, Writer};
use crate::domain::scope::{ClientId, ClientScope, RecordId, Viewer};
use crate::error::AppResult;
use crate::pages::FormPage;
use crate::views::{ClientNav, FormView, SchedulePreview};
use crate::{render, see_other};
use diesel::QueryResult;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

pub struct FormState {
    pub client: Client,
    pub tabs: Vec<tabs::Tab>,
    pub input: FormInput,
    pub errors: Errors,
    pub refs: RefOptions,
}

impl FormState {
    /// A refused form, with the client's tabs for the page around it.
    pub async fn again(db: &Db, invalid: service::Invalid) -> AppResult<FormState> {
        let service::Invalid {
            client,
            scope,
            input,
            errors,
            refs,
        } = invalid;
        let tabs = db.run(move |conn| Ok(tabs::load(conn, &scope)?)).await?;
        Ok(FormState {
            client,
            tabs,
            input,
            errors,
            refs,
        })
    }
}

/// How the form comes back: first shown, refused (422), or with its schedule preview.
#[derive(Clone, Copy, PartialEq)]
pub enum Shown {
    Fresh,
    Refused,
    Previewed,
}

pub fn form_page<R: Resource>(
    ctx: &Ctx,
    id: Option<i64>,
    state: &FormState,
    shown: Shown,
) -> AppResult<HttpResponse> {
    let status = match shown {
        Shown::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        Shown::Fresh | Shown::Previewed => StatusCode::OK,
    };
    let base = base::<R>(state.client.id);
    let (heading, action, cancel) = match id {
        Some(id) => (
            format!("Edit {}", R::SINGULAR),
            format!("{base}/{id}"),
            format!("{base}/{id}"),
        ),
        None => (format!("New {}", R::SINGULAR), base.clone(), base.clone()),
    };
    render(
        status,
        &FormPage {
            l: ctx.layout(format!("{heading} · {}", state.client.data.name)),
            nav: Some(ClientNav::new(
                ctx,
                &state.client,
                state.tabs.clone(),
                R::SLUG,
            )),
            form: FormView {
                heading,
                action,
                cancel,
                fields: form_view(
                    &fields_for::<R>(ctx.role()),
                    &state.input,
                    &state.errors,
                    &state.refs,
                ),
                has_errors: !state.errors.is_empty(),
                multipart: R::CUSTOM_CREATE && id.is_none(),
                file_error: state.errors.get("file").cloned().unwrap_or_default(),
                preview: R::preview(&state.input)
                    .map(|p| SchedulePreview::of(p, shown == Shown::Previewed)),
            },
        },
    )
}

/// What a form page shows: the client (proving the scope), its tabs, the reference
/// options, and the input `fill` gives — with the record, when `id` names one, loaded
/// first (so another tenant's is a 404).
fn state<R: Resource>(
    conn: &mut AnyConnection,
    viewer: Viewer,
    cid: i64,
    id: Option<i64>,
    fill: impl FnOnce(&mut AnyConnection, &ClientScope, Option<R::Row>) -> QueryResult<FormInput>,
) -> AppResult<FormState> {
    let (client, cs, tabs) = client_context(conn, viewer, cid)?;
    let row = id.map(|id| R::find(conn, &cs, id)).transpose()?;
    let refs = refs::load(conn, &cs, R::FIELDS)?;
    let input = fill(conn, &cs, row)?;
    Ok(FormState {
        client,
        tabs,
        input,
        errors: Errors::default(),
        refs,
    })
}

pub async fn new<R: Resource>(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, cid) = (ctx.viewer(), cid.into_inner());
    let who = Writer {
        user_id: ctx.user_id(),
        role: ctx.role(),
    };
    let state = db
        .run(move |conn| {
            state::<R>(conn, tenant, cid, None, |conn, cs, _| {
                R::defaults(conn, cs, who)
            })
        })
        .await?;
    form_page::<R>(&ctx, None, &state, Shown::Fresh)
}

pub async fn edit<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let tenant = ctx.viewer();
    let state = db
        .run(move |conn| {
            state::<R>(conn, tenant, cid, Some(id), |_, _, row| {
                Ok(row.as_ref().map(R::to_input).unwrap_or_default())
            })
        })
        .await?;
    form_page::<R>(&ctx, Some(id), &state, Shown::Fresh)
}

/// Create (no id) or update through the resource's service: 303 to the record with a
/// flash, or the form again (422).
async fn submit<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: Vault,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<HttpResponse> {
    if input.get("op") == "preview" {
        return previewed::<R>(&ctx, &db, cid, id, input).await;
    }
    let who = ctx.who();
    let saved = db
        .run(move |conn| {
            service::save::<R>(conn, &who, &vault, ClientId(cid), id.map(RecordId), input)
        })
        .await?;
    match saved {
        Ok(saved) => {
            let verb = if id.is_some() { "saved" } else { "added" };
            ctx.flash(format!("The {} was {verb}.", R::SINGULAR));
            Ok(see_other(&format!("{}/{saved}", base::<R>(cid))))
        }
        Err(invalid) => {
            let state = FormState::again(&db, *invalid).await?;
            form_page::<R>(&ctx, id, &state, Shown::Refused)
        }
    }
}

/// The form as typed, with its schedule's next dates; nothing is saved. An edit's
/// record is looked up first, so another tenant's is a 404 here too.
async fn previewed<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<HttpResponse> {
    let viewer = ctx.viewer();
    let state = db
        .run(move |conn| state::<R>(conn, viewer, cid, id, |_, _, _| Ok(input)))
        .await?;
    form_page::<R>(ctx, id, &state, Shown::Previewed)
}

pub async fn create<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    cid: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let vault = vault.get_ref().clone();
    submit::<R>(
        ctx,
        db,
        vault,
        cid.into_inner(),
        None,
        FormInput(form.into_inner()),
    )
    .await
}

pub async fn update<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: web::Data<Vault>,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let vault = vault.get_ref().clone();
    submit::<R>(ctx, db, vault, cid, Some(id), FormInput(form.into_inner())).await
}
