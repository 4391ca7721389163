//! Generic handlers for every client sub-resource: list, new, create, show, edit,
//! update, archive, restore. Each loads the client through the tenant scope first, so
//! another tenant's client (or a row of another client) is a 404.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::pages::{FormPage, ListPage, ShowPage};
use super::views::{headers, ClientNav, FormView, Item, Pager, RowView};
use super::{page, render, see_other};
use crate::auth::Ctx;
use crate::clients::{self, tabs, Client};
use crate::db::Db;
use crate::error::AppResult;
use crate::forms::{self, display, form_view, Errors, FormInput, RefOptions, Values};
use crate::resource::list::ListParams;
use crate::resource::{refs, write, Resource};
use crate::scope::ClientScope;

pub fn routes<R: Resource>(cfg: &mut web::ServiceConfig) {
    let base = format!("/clients/{{cid}}/{}", R::SLUG);
    cfg.route(&base, web::get().to(list::<R>))
        .route(&base, web::post().to(create::<R>))
        .route(&format!("{base}/new"), web::get().to(new::<R>))
        .route(&format!("{base}/{{id}}"), web::get().to(show::<R>))
        .route(&format!("{base}/{{id}}"), web::post().to(update::<R>))
        .route(&format!("{base}/{{id}}/edit"), web::get().to(edit::<R>))
        .route(
            &format!("{base}/{{id}}/archive"),
            web::post().to(archive::<R>),
        )
        .route(
            &format!("{base}/{{id}}/restore"),
            web::post().to(restore::<R>),
        );
}

fn base<R: Resource>(cid: i64) -> String {
    format!("/clients/{cid}/{}", R::SLUG)
}

fn label(fields: &[forms::Field], name: &str) -> &'static str {
    fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.label)
        .unwrap_or("")
}

/// Validation: each field by its kind, then the resource's own rules.
fn validate<R: Resource>(input: &FormInput, refs: &RefOptions) -> Result<Values, Errors> {
    let values = forms::parse(R::FIELDS, input, refs)?;
    let mut errors = Errors::default();
    R::check(&values, &mut errors);
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// What every client page loads first: the client (proving the scope) and its tabs.
fn client_context(
    conn: &mut crate::db::AnyConnection,
    ctx_tenant: crate::scope::TenantId,
    cid: i64,
) -> AppResult<(Client, ClientScope, Vec<tabs::Tab>)> {
    let (client, cs) = clients::scoped(conn, ctx_tenant, cid)?;
    let tabs = tabs::load(conn, &cs)?;
    Ok((client, cs, tabs))
}

async fn list<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let q = params.normalize(R::SORTABLE);
    let (tenant, query) = (ctx.tenant, q.clone());
    let (client, tabs, total, rows, refs) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            let total = R::count(conn, &cs, &query)?;
            let rows = R::list(conn, &cs, &query)?;
            let refs = refs::load(conn, &cs, R::FIELDS)?;
            Ok((client, tabs, total, rows, refs))
        })
        .await?;
    let base = base::<R>(cid);
    let columns: Vec<_> = R::COLUMNS
        .iter()
        .map(|c| (*c, label(R::FIELDS, c)))
        .collect();
    let rows: Vec<RowView> = rows
        .iter()
        .map(|row| {
            let input = R::to_input(row);
            RowView {
                href: format!("{base}/{}", R::id(row)),
                cells: R::COLUMNS
                    .iter()
                    .filter_map(|c| R::FIELDS.iter().find(|f| f.name == *c))
                    .map(|f| display(f, &input, &refs))
                    .collect(),
                archived: R::archived(row),
            }
        })
        .collect();
    page(&ListPage {
        l: ctx.layout(format!("{} · {}", R::PLURAL, client.data.name)),
        nav: Some(ClientNav::new(&client, tabs, R::SLUG)),
        heading: R::PLURAL.to_string(),
        headers: headers(&q, &base, &columns, R::SORTABLE),
        pager: Pager::new(&q, &base, total, rows.len()),
        rows,
        new_href: format!("{base}/new"),
        new_label: format!("New {}", R::SINGULAR),
        search_hint: R::SEARCH_HINT,
        statuses: vec![],
        base,
        q,
    })
}

#[allow(clippy::too_many_arguments)]
fn form_page<R: Resource>(
    ctx: &Ctx,
    client: &Client,
    tabs: Vec<tabs::Tab>,
    id: Option<i64>,
    input: &FormInput,
    errors: &Errors,
    refs: &RefOptions,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let base = base::<R>(client.id);
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
            l: ctx.layout(format!("{heading} · {}", client.data.name)),
            nav: Some(ClientNav::new(client, tabs, R::SLUG)),
            form: FormView {
                heading,
                action,
                cancel,
                fields: form_view(R::FIELDS, input, errors, refs),
                has_errors: !errors.is_empty(),
            },
        },
    )
}

async fn new<R: Resource>(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, cid) = (ctx.tenant, cid.into_inner());
    let (client, tabs, refs) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, tenant, cid)?;
            Ok((client, tabs, refs::load(conn, &cs, R::FIELDS)?))
        })
        .await?;
    form_page::<R>(
        &ctx,
        &client,
        tabs,
        None,
        &FormInput::default(),
        &Errors::default(),
        &refs,
        StatusCode::OK,
    )
}

/// The outcome of a write: done (with the row's id), or the form back with errors.
enum Outcome {
    Saved(i64),
    Invalid(Box<(Client, Vec<tabs::Tab>, FormInput, Errors, RefOptions)>),
}

/// Validates and writes in one transaction: the reference options that validation
/// checks against are read in the same transaction as the write.
async fn save<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<Outcome> {
    let tenant = ctx.tenant;
    db.tx(move |conn| {
        let (client, cs) = clients::scoped(conn, tenant, cid)?;
        if let Some(id) = id {
            R::find(conn, &cs, id)?;
        }
        let refs = refs::load(conn, &cs, R::FIELDS)?;
        match validate::<R>(&input, &refs) {
            Ok(values) => Ok(Outcome::Saved(match id {
                Some(id) => write::update::<R>(conn, &cs, id, &values).map(|_| id)?,
                None => write::create::<R>(conn, &cs, &values)?,
            })),
            Err(errors) => {
                let tabs = tabs::load(conn, &cs)?;
                Ok(Outcome::Invalid(Box::new((
                    client, tabs, input, errors, refs,
                ))))
            }
        }
    })
    .await
}

/// Create (no id) or update: 303 to the record with a flash, or the form again (422).
async fn submit<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<HttpResponse> {
    match save::<R>(&ctx, &db, cid, id, input).await? {
        Outcome::Saved(saved) => {
            let verb = if id.is_some() { "saved" } else { "added" };
            ctx.flash(format!("The {} was {verb}.", R::SINGULAR));
            Ok(see_other(&format!("{}/{saved}", base::<R>(cid))))
        }
        Outcome::Invalid(b) => {
            let (client, tabs, input, errors, refs) = *b;
            form_page::<R>(
                &ctx,
                &client,
                tabs,
                id,
                &input,
                &errors,
                &refs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

async fn create<R: Resource>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    submit::<R>(
        ctx,
        db,
        cid.into_inner(),
        None,
        FormInput(form.into_inner()),
    )
    .await
}

async fn update<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    submit::<R>(ctx, db, cid, Some(id), FormInput(form.into_inner())).await
}

async fn load_one<R: Resource>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: i64,
) -> AppResult<(Client, Vec<tabs::Tab>, R::Row, RefOptions)> {
    let tenant = ctx.tenant;
    db.run(move |conn| {
        let (client, cs, tabs) = client_context(conn, tenant, cid)?;
        let row = R::find(conn, &cs, id)?;
        let refs = refs::load(conn, &cs, R::FIELDS)?;
        Ok((client, tabs, row, refs))
    })
    .await
}

async fn show<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (client, tabs, row, refs) = load_one::<R>(&ctx, &db, cid, id).await?;
    let input = R::to_input(&row);
    let base = base::<R>(cid);
    page(&ShowPage {
        l: ctx.layout(format!("{} · {}", R::title(&row), client.data.name)),
        nav: Some(ClientNav::new(&client, tabs, R::SLUG)),
        heading: R::title(&row),
        archived: R::archived(&row),
        items: R::FIELDS
            .iter()
            .map(|f| Item {
                label: f.label,
                value: display(f, &input, &refs),
            })
            .collect(),
        edit_href: format!("{base}/{id}/edit"),
        action_base: format!("{base}/{id}"),
        back_href: base,
    })
}

async fn edit<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (client, tabs, row, refs) = load_one::<R>(&ctx, &db, cid, id).await?;
    form_page::<R>(
        &ctx,
        &client,
        tabs,
        Some(id),
        &R::to_input(&row),
        &Errors::default(),
        &refs,
        StatusCode::OK,
    )
}

async fn set_archived<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    archive: bool,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let tenant = ctx.tenant;
    let row = db
        .tx(move |conn| {
            let (_, cs) = clients::scoped(conn, tenant, cid)?;
            Ok(if archive {
                write::archive::<R>(conn, &cs, id)?
            } else {
                write::restore::<R>(conn, &cs, id)?
            })
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

async fn archive<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, true).await
}

async fn restore<R: Resource>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_archived::<R>(ctx, db, path, false).await
}
