//! A client's billing terms (rate, contract, net terms, currency): accountants and
//! admins edit them here; technicians neither see nor change them.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::auth::Ctx;
use crate::domain::clients::{service, Client, BILLING_FIELDS};
use crate::domain::forms::{form_view, Errors, FormInput, RefOptions};
use crate::domain::registry::tabs;
use crate::domain::scope::ClientId;
use crate::error::AppResult;
use crate::pages::FormPage;
use crate::views::{ClientNav, FormView};
use crate::{render, see_other};
use mspdesk_platform::db::Db;

fn form_page(
    ctx: &Ctx,
    client: &Client,
    tabs: Vec<tabs::Tab>,
    input: &FormInput,
    errors: &Errors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let heading = format!("Billing terms of {}", client.data.name);
    render(
        status,
        &FormPage {
            l: ctx.layout(heading.clone()),
            nav: Some(ClientNav::new(ctx, client, tabs, "billing")),
            form: FormView {
                heading,
                action: format!("/clients/{}/billing/terms", client.id),
                cancel: format!("/clients/{}/billing", client.id),
                fields: form_view(BILLING_FIELDS, input, errors, &RefOptions::default()),
                has_errors: !errors.is_empty(),
                multipart: false,
                file_error: String::new(),
                preview: None,
            },
        },
    )
}

pub async fn edit(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (client, tabs) = crate::clients::load(&ctx, &db, id.into_inner()).await?;
    form_page(
        &ctx,
        &client,
        tabs,
        &client.to_input(),
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
    let (who, id) = (ctx.who(), id.into_inner());
    let input = FormInput(form.into_inner());
    let form_input = input.clone();
    let saved = db
        .run(move |conn| service::update_billing(conn, &who, ClientId(id), &form_input))
        .await?;
    if let Err(errors) = saved {
        let (client, tabs) = crate::clients::load(&ctx, &db, id).await?;
        return form_page(
            &ctx,
            &client,
            tabs,
            &input,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    ctx.flash("The billing terms were saved.");
    Ok(see_other(&format!("/clients/{id}/billing")))
}
