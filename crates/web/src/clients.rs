//! Client pages: the list (search, status filter, sort, paging, archived), the form,
//! archive and restore (the overview is `web::dashboard`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::pages::{FormPage, ListPage};
use super::views::{headers, ClientNav, FormView, Pager, RowView};
use super::{page, render, see_other};
use crate::auth::Ctx;
use crate::domain::clients;
use crate::domain::clients::{billing_field, field, service, Client, FIELDS, SORTABLE, STATUSES};
use crate::domain::forms::view::OptionView;
use crate::domain::forms::{form_view, Errors, FormInput, RefOptions};
use crate::domain::list::ListParams;
use crate::domain::policy;
use crate::domain::policy::{Action, Area, Perm};
use crate::domain::registry::tabs;
use crate::domain::scope::ClientId;
use crate::error::AppResult;
use mspdesk_platform::db::Db;

const COLUMNS: &[(&str, &str)] = &[
    (field::name.name, "Name"),
    (field::company_name.name, "Company"),
    (field::email.name, "E-mail"),
    (field::status.name, "Status"),
    ("created_at", "Added"),
    (billing_field::hourly_rate.name, "Rate"),
];

fn sees_billing(ctx: &Ctx) -> bool {
    policy::allows(Perm::new(Area::Billing, Action::View), ctx.role())
}

/// The clients a list (or its export) shows, with the columns this user may see.
struct Listed {
    q: crate::domain::resource::ListQuery,
    sortable: Vec<&'static str>,
    total: i64,
    rows: Vec<Client>,
    columns: &'static [(&'static str, &'static str)],
}

async fn listed(ctx: &Ctx, db: &Db, params: &ListParams, per: Option<i64>) -> AppResult<Listed> {
    // Technicians do not see billing: the rate column is dropped for them, and so is
    // sorting by it.
    let billing = sees_billing(ctx);
    let sortable = clients::sortable_for(ctx.role());
    let mut q = params.normalize(&sortable);
    if let Some(per) = per {
        q.per = per;
    }
    let (tenant, query) = (ctx.viewer(), q.clone());
    let (total, rows) = db
        .run(move |conn| {
            Ok((
                clients::count(conn, tenant, &query)?,
                clients::list(conn, tenant, &query)?,
            ))
        })
        .await?;
    let columns = if billing {
        COLUMNS
    } else {
        &COLUMNS[..COLUMNS.len() - 1]
    };
    Ok(Listed {
        q,
        sortable,
        total,
        rows,
        columns,
    })
}

fn cells(c: &Client, columns: usize) -> Vec<String> {
    [
        c.data.name.clone(),
        c.data.company_name.clone().unwrap_or_default(),
        c.data.email.clone().unwrap_or_default(),
        c.status_label().to_string(),
        c.created_at.format("%Y-%m-%d").to_string(),
        crate::domain::money::display(c.billing.hourly_rate),
    ]
    .into_iter()
    .take(columns)
    .collect()
}

#[derive(serde::Deserialize)]
pub struct SwitchParams {
    #[serde(default)]
    q: String,
}

#[derive(serde::Serialize)]
struct Suggestion {
    id: i64,
    name: String,
}

/// `/clients/switch.json?q=`: the first ten live clients whose name, company or
/// e-mail contains `q`, for the top bar's type-ahead (the user's clients only).
pub async fn switch(ctx: Ctx, db: Db, params: web::Query<SwitchParams>) -> AppResult<HttpResponse> {
    let list = ListParams {
        q: Some(params.into_inner().q),
        ..ListParams::default()
    };
    let mut q = list.normalize(SORTABLE);
    q.per = 10;
    let viewer = ctx.viewer();
    let rows = if q.q.chars().count() < 2 {
        vec![]
    } else {
        db.run(move |conn| Ok(clients::list(conn, viewer, &q)?))
            .await?
    };
    let out: Vec<Suggestion> = rows
        .into_iter()
        .map(|c| Suggestion {
            id: c.id,
            name: c.data.name,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// `/clients.csv`: the list with its search, status and sort, every row.
pub async fn export(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    use crate::resource::export::{attachment, MAX_ROWS};
    let Listed { rows, columns, .. } = listed(&ctx, &db, &params, Some(MAX_ROWS)).await?;
    let header: Vec<String> = columns.iter().map(|c| c.1.to_string()).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|c| cells(c, columns.len())).collect();
    let body = crate::domain::portability::csv_out::write(&header, &rows)
        .map_err(crate::error::AppError::Internal)?;
    Ok(attachment(body, "clients.csv", "text/csv; charset=utf-8"))
}

pub async fn list(ctx: Ctx, db: Db, params: web::Query<ListParams>) -> AppResult<HttpResponse> {
    let Listed {
        q,
        sortable,
        total,
        rows,
        columns,
    } = listed(&ctx, &db, &params, None).await?;
    let base = "/clients";
    let rows: Vec<RowView> = rows
        .iter()
        .map(|c| RowView {
            href: format!("/clients/{}", c.id),
            cells: {
                // The page's rate carries the client's currency; the CSV keeps the number.
                let mut cells = cells(c, columns.len());
                if let Some(rate) = cells.get_mut(5) {
                    rate.push(' ');
                    rate.push_str(&c.billing.currency);
                }
                cells
            },
            archived: c.archived(),
            badge: None,
        })
        .collect();
    page(&ListPage {
        l: ctx.layout("Clients"),
        nav: None,
        heading: "Clients".into(),
        headers: headers(&q, base, columns, &sortable),
        pager: Pager::new(&q, base, total, rows.len()),
        rows,
        new_href: if policy::allows(Perm::new(Area::Clients, Action::Edit), ctx.role()) {
            "/clients/new".into()
        } else {
            String::new()
        },
        new_label: "New client".into(),
        search_hint: "Name, company, e-mail",
        statuses: OptionView::choices(STATUSES, &q.status),
        filters: vec![],
        filter_any: "",
        extra_links: vec![(q.href("/clients.csv", None, None), "Export CSV".into())],
        base: base.into(),
        q,
    })
}

fn form_page(
    ctx: &Ctx,
    client: Option<(&Client, Vec<tabs::Tab>)>,
    input: &FormInput,
    errors: &Errors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let (heading, action, cancel, nav) = match client {
        Some((c, tabs)) => (
            format!("Edit {}", c.data.name),
            format!("/clients/{}", c.id),
            format!("/clients/{}", c.id),
            Some(ClientNav::new(ctx, c, tabs, "")),
        ),
        None => (
            "New client".to_string(),
            "/clients".to_string(),
            "/clients".to_string(),
            None,
        ),
    };
    render(
        status,
        &FormPage {
            l: ctx.layout(heading.clone()),
            nav,
            form: FormView {
                heading,
                action,
                cancel,
                fields: form_view(FIELDS, input, errors, &RefOptions::default()),
                has_errors: !errors.is_empty(),
                multipart: false,
                file_error: String::new(),
                preview: None,
            },
        },
    )
}

pub async fn new(ctx: Ctx) -> AppResult<HttpResponse> {
    let mut input = FormInput::default();
    input.set("status", "active");
    form_page(&ctx, None, &input, &Errors::default(), StatusCode::OK)
}

pub async fn create(
    ctx: Ctx,
    db: Db,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let input = FormInput(form.into_inner());
    let who = ctx.who();
    let form_input = input.clone();
    let created = db
        .run(move |conn| service::create(conn, &who, &form_input))
        .await?;
    let id = match created {
        Ok(id) => id,
        Err(errors) => {
            return form_page(
                &ctx,
                None,
                &input,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    ctx.flash("The client was added.");
    Ok(see_other(&format!("/clients/{id}")))
}

pub(crate) async fn load(ctx: &Ctx, db: &Db, id: i64) -> AppResult<(Client, Vec<tabs::Tab>)> {
    let tenant = ctx.viewer();
    db.run(move |conn| {
        let (client, cs) = clients::scoped(conn, tenant, ClientId(id))?;
        let tabs = tabs::load(conn, &cs)?;
        Ok((client, tabs))
    })
    .await
}

pub async fn edit(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (client, tabs) = load(&ctx, &db, id.into_inner()).await?;
    let input = client.to_input();
    form_page(
        &ctx,
        Some((&client, tabs)),
        &input,
        &Errors::default(),
        StatusCode::OK,
    )
}

pub async fn update(
    ctx: Ctx,
    db: Db,
    id: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let input = FormInput(form.into_inner());
    let _tenant = ctx.viewer();
    let who = ctx.who();
    let form_input = input.clone();
    let saved = db
        .run(move |conn| service::update(conn, &who, ClientId(id), &form_input))
        .await?;
    match saved {
        Ok(()) => {
            ctx.flash("The client was saved.");
            Ok(see_other(&format!("/clients/{id}")))
        }
        Err(errors) => {
            let (client, tabs) = load(&ctx, &db, id).await?;
            form_page(
                &ctx,
                Some((&client, tabs)),
                &input,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

async fn set_archived(ctx: Ctx, db: Db, id: i64, archive: bool) -> AppResult<HttpResponse> {
    let who = ctx.who();
    let name = db
        .run(move |conn| service::set_archived(conn, &who, ClientId(id), archive))
        .await?;
    ctx.flash(format!(
        "{name} was {}.",
        if archive { "archived" } else { "restored" }
    ));
    Ok(see_other(&if archive {
        "/clients".to_string()
    } else {
        format!("/clients/{id}")
    }))
}

pub async fn archive(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_archived(ctx, db, id.into_inner(), true).await
}

pub async fn restore(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_archived(ctx, db, id.into_inner(), false).await
}
