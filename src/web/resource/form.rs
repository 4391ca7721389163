//! New, create, edit, update: validation by field kind, the resource's own rules, then
//! the write — all in one transaction; on error the form again with 422.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{base, client_context};

use crate::domain::directory::clients::{tabs, Client};
use crate::domain::forms::{form_view, Errors, FormInput, RefOptions};
use crate::domain::resource::{refs, service, Resource, Writer};
use crate::domain::scope::{ClientId, RecordId};
use crate::error::AppResult;
use crate::platform::db::Db;
use crate::platform::vault::Vault;
use crate::web::auth::Ctx;
use crate::web::pages::FormPage;
use crate::web::views::{ClientNav, FormView};
use crate::web::{render, see_other};

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

pub fn form_page<R: Resource>(
    ctx: &Ctx,
    id: Option<i64>,
    state: &FormState,
    status: StatusCode,
) -> AppResult<HttpResponse> {
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
                fields: form_view(R::FIELDS, &state.input, &state.errors, &state.refs),
                has_errors: !state.errors.is_empty(),
                multipart: R::CUSTOM_CREATE && id.is_none(),
                file_error: state.errors.get("file").cloned().unwrap_or_default(),
            },
        },
    )
}

pub async fn new<R: Resource>(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, cid) = (ctx.viewer(), cid.into_inner());
    let who = Writer {
        user_id: ctx.user_id,
        role: ctx.role,
    };
    let state = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            let input = R::defaults(conn, &cs, who)?;
            Ok(FormState {
                client,
                tabs,
                input,
                errors: Errors::default(),
                refs,
            })
        })
        .await?;
    form_page::<R>(&ctx, None, &state, StatusCode::OK)
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
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let row = R::find(conn, &cs, id)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            Ok(FormState {
                client,
                tabs,
                input: R::to_input(&row),
                errors: Errors::default(),
                refs,
            })
        })
        .await?;
    form_page::<R>(&ctx, Some(id), &state, StatusCode::OK)
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
            form_page::<R>(&ctx, id, &state, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
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
