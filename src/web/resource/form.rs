//! New, create, edit, update: validation by field kind, the resource's own rules, then
//! the write — all in one transaction; on error the form again with 422.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{base, client_context};
use crate::domain::directory::clients;
use crate::domain::directory::clients::{tabs, Client};
use crate::domain::forms;
use crate::domain::forms::{form_view, Errors, FormInput, RefOptions, Values};
use crate::domain::resource::{refs, secret_fields, write, Resource, Writer};
use crate::domain::tenancy::audit;
use crate::error::{AppError, AppResult};
use crate::platform::db::Db;
use crate::platform::vault::Vault;
use crate::web::auth::Ctx;
use crate::web::pages::FormPage;
use crate::web::views::{ClientNav, FormView};
use crate::web::{render, see_other};

/// Validation: each field by its kind, then the resource's own rules.
pub fn validate<R: Resource>(input: &FormInput, refs: &RefOptions) -> Result<Values, Errors> {
    forms::parse_checked(R::FIELDS, input, refs, R::check)
}

pub struct FormState {
    pub client: Client,
    pub tabs: Vec<tabs::Tab>,
    pub input: FormInput,
    pub errors: Errors,
    pub refs: RefOptions,
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

/// The outcome of a write: done (with the row's id), or the form back with errors.
enum Outcome {
    Saved(i64),
    Invalid(Box<FormState>),
}

/// Validates and writes in one transaction: the reference options that validation
/// checks against are read in the same transaction as the write.
async fn save<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    vault: Vault,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<Outcome> {
    let tenant = ctx.viewer();
    let actor = ctx.actor();
    let who = Writer {
        user_id: ctx.user_id,
        role: ctx.role,
    };
    db.tx(move |conn| {
        let (client, cs) = clients::scoped(conn, tenant, cid)?;
        let old = match id {
            Some(id) => {
                let row = R::find(conn, &cs, id)?;
                if !R::may_write(Some(&row), None, who) {
                    return Err(AppError::Forbidden);
                }
                Some(R::to_input(&row))
            }
            None => None,
        };
        let refs = refs::load(conn, &cs, R::FIELDS)?;
        let checked = match validate::<R>(&input, &refs) {
            Ok(values) => {
                let mut errors = Errors::default();
                R::check_db(conn, &cs, id, &values, &mut errors)?;
                errors.into_result(values)
            }
            Err(errors) => Err(errors),
        };
        match checked {
            Ok(values) if !R::may_write(None, Some(&values), who) => Err(AppError::Forbidden),
            Ok(values) => {
                let saved = match id {
                    Some(id) => write::update::<R>(conn, &cs, id, &values, &vault).map(|_| id)?,
                    None => write::create::<R>(conn, &cs, &values, &vault)?,
                };
                let new = R::to_input(&R::find(conn, &cs, saved)?);
                let secrets: Vec<&str> = secret_fields::<R>()
                    .filter(|f| values.text(f.name).is_some())
                    .map(|f| f.name)
                    .collect();
                let action = if id.is_some() { "update" } else { "create" };
                let changes = audit::diff(R::FIELDS, old.as_ref(), &new, &refs, &secrets);
                audit::record(
                    conn,
                    &actor,
                    audit::Entry::of_record(cid, R::TABLE, saved, action, changes),
                )?;
                Ok(Outcome::Saved(saved))
            }
            Err(errors) => {
                let tabs = tabs::load(conn, &cs)?;
                Ok(Outcome::Invalid(Box::new(FormState {
                    client,
                    tabs,
                    input,
                    errors,
                    refs,
                })))
            }
        }
    })
    .await
}

/// Create (no id) or update: 303 to the record with a flash, or the form again (422).
async fn submit<R: Resource>(
    ctx: Ctx,
    db: Db,
    vault: Vault,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<HttpResponse> {
    match save::<R>(&ctx, &db, vault, cid, id, input).await? {
        Outcome::Saved(saved) => {
            let verb = if id.is_some() { "saved" } else { "added" };
            ctx.flash(format!("The {} was {verb}.", R::SINGULAR));
            Ok(see_other(&format!("{}/{saved}", base::<R>(cid))))
        }
        Outcome::Invalid(state) => {
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
