//! The one form of invoices, quotes and recurring invoices: the document's own fields
//! (declared as `Field`s, rendered like every form's) and the editable lines, with the
//! problems listed above and everything typed kept when the form comes back. Each
//! document says what differs (`Document`); the four handlers (new, create, edit,
//! update) and their routes are written once here.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::auth::{Ctx, Layout};
use crate::domain::finance::invoices;
use crate::domain::finance::lines::{self, LineInput, StoredLine};
use crate::domain::forms::{form_view, Errors, Field, FieldView, FormInput, RefOptions};
use crate::domain::policy::Perm;
use crate::domain::scope::{ClientId, ClientScope, RecordId, Who};
use crate::error::AppResult;
use crate::resource::client_context;
use crate::routes::Table;
use crate::views::{ClientNav, SchedulePreview};
use crate::{render, see_other};
use mspdesk_platform::db::{AnyConnection, Db};

/// Rows offered beyond the lines already written.
const BLANK_ROWS: usize = 3;

/// What one kind of money document brings to the shared form.
pub trait Document: 'static {
    /// The path segment of its pages: `/clients/{cid}/<SEGMENT>/{id}`.
    const SEGMENT: &'static str;
    /// "invoice", "quote", "recurring invoice".
    const NOUN: &'static str;
    /// Its own fields above the lines.
    const FIELDS: &'static [Field];
    /// A new document's starting values (besides one quantity of 1).
    fn blank(_input: &mut FormInput) {}
    /// The stored document as its form, and its currency.
    fn stored(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
    ) -> AppResult<(FormInput, String)>;
    /// Creates (`id` None) or changes it through its service.
    fn save(
        conn: &mut AnyConnection,
        who: &Who,
        cid: ClientId,
        id: Option<RecordId>,
        input: &FormInput,
    ) -> AppResult<Result<RecordId, Vec<String>>>;
    /// The typed schedule's next dates, for a "Preview schedule" button; `None`: no
    /// schedule on this form.
    fn preview(_input: &FormInput) -> Option<Result<Vec<String>, String>> {
        None
    }
}

/// The form routes of a document: new, create, edit, update.
pub fn routes<D: Document>(t: &mut Table, edit: Perm) {
    // The table keeps paths as text; each document's are made once, at start-up.
    let path = |rest: &str| format!("/clients/{{cid}}/{}{rest}", D::SEGMENT);
    t.get(&path("/new"), edit, None, || web::get().to(new::<D>));
    t.post(&path(""), edit, None, || web::post().to(create::<D>));
    t.get(&path("/{id}/edit"), edit, None, || {
        web::get().to(edit_form::<D>)
    });
    t.post(&path("/{id}"), edit, None, || web::post().to(update::<D>));
}

pub fn href<D: Document>(cid: i64, id: i64) -> String {
    format!("/clients/{cid}/{}/{id}", D::SEGMENT)
}

#[derive(Template)]
#[template(path = "finance/doc_form.html")]
struct DocFormPage {
    l: Layout,
    nav: Option<ClientNav>,
    heading: String,
    action: String,
    cancel: String,
    fields: Vec<FieldView>,
    rows: Vec<LineInput>,
    errors: Vec<String>,
    currency: String,
    preview: Option<SchedulePreview>,
}

/// Loads the client (proving the scope) and, when editing, the document's form.
async fn load<D: Document>(
    ctx: &Ctx,
    db: &Db,
    cid: i64,
    id: Option<i64>,
) -> AppResult<(ClientNav, Option<FormInput>, String)> {
    let viewer = ctx.viewer();
    let (client, tabs, stored, currency) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, viewer, cid)?;
            let (stored, currency) = match id {
                Some(id) => {
                    let (input, currency) = D::stored(conn, &cs, id)?;
                    (Some(input), currency)
                }
                None => (None, invoices::terms(conn, &cs)?.0.code.to_string()),
            };
            Ok((client, tabs, stored, currency))
        })
        .await?;
    Ok((
        ClientNav::new(ctx, &client, tabs, "billing"),
        stored,
        currency,
    ))
}

fn page<D: Document>(
    ctx: &Ctx,
    nav: ClientNav,
    (cid, id): (i64, Option<i64>),
    currency: String,
    input: &FormInput,
    errors: Vec<String>,
    previewed: bool,
) -> AppResult<HttpResponse> {
    let mut rows = lines::from_form(input);
    let blank = BLANK_ROWS.max(5usize.saturating_sub(rows.len()));
    rows.extend((0..blank).map(|_| LineInput::default()));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (heading, action, cancel) = match id {
        Some(id) => (
            format!("Edit {}", D::NOUN),
            href::<D>(cid, id),
            href::<D>(cid, id),
        ),
        None => (
            format!("New {}", D::NOUN),
            format!("/clients/{cid}/{}", D::SEGMENT),
            format!("/clients/{cid}/billing"),
        ),
    };
    render(
        status,
        &DocFormPage {
            l: ctx.layout(heading.clone()),
            nav: Some(nav),
            heading,
            action,
            cancel,
            fields: form_view(D::FIELDS, input, &Errors::default(), &RefOptions::default()),
            rows,
            errors,
            currency,
            preview: D::preview(input).map(|p| SchedulePreview::of(p, previewed)),
        },
    )
}

async fn new<D: Document>(ctx: Ctx, db: Db, cid: web::Path<i64>) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let (nav, _, currency) = load::<D>(&ctx, &db, cid, None).await?;
    let mut input = FormInput::default();
    input.set("l0_quantity", "1");
    D::blank(&mut input);
    page::<D>(&ctx, nav, (cid, None), currency, &input, vec![], false)
}

async fn edit_form<D: Document>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (nav, stored, currency) = load::<D>(&ctx, &db, cid, Some(id)).await?;
    let input = stored.unwrap_or_default();
    page::<D>(&ctx, nav, (cid, Some(id)), currency, &input, vec![], false)
}

async fn save<D: Document>(
    ctx: Ctx,
    db: Db,
    cid: i64,
    id: Option<i64>,
    input: FormInput,
) -> AppResult<HttpResponse> {
    if input.get("op") == "preview" {
        // Nothing is saved; an edit's document is loaded, so another tenant's is a 404.
        let (nav, _, currency) = load::<D>(&ctx, &db, cid, id).await?;
        return page::<D>(&ctx, nav, (cid, id), currency, &input, vec![], true);
    }
    let (who, typed) = (ctx.who(), input.clone());
    let saved = db
        .run(move |conn| D::save(conn, &who, ClientId(cid), id.map(RecordId), &typed))
        .await?;
    match saved {
        Ok(saved) => {
            ctx.flash(format!("The {} was saved.", D::NOUN));
            Ok(see_other(&href::<D>(cid, saved.0)))
        }
        Err(errors) => {
            let (nav, _, currency) = load::<D>(&ctx, &db, cid, id).await?;
            page::<D>(&ctx, nav, (cid, id), currency, &input, errors, false)
        }
    }
}

async fn create<D: Document>(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    save::<D>(
        ctx,
        db,
        cid.into_inner(),
        None,
        FormInput(form.into_inner()),
    )
    .await
}

async fn update<D: Document>(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    save::<D>(ctx, db, cid, Some(id), FormInput(form.into_inner())).await
}

/// A stored document's lines as the form's rows.
pub fn with_lines(input: &mut FormInput, stored: &[StoredLine]) {
    for (i, l) in stored.iter().map(StoredLine::to_input).enumerate() {
        input.set(&format!("l{i}_description"), l.description);
        input.set(&format!("l{i}_quantity"), l.quantity);
        input.set(&format!("l{i}_unit_price"), l.unit_price);
        input.set(&format!("l{i}_tax_percent"), l.tax_percent);
        input.set(&format!("l{i}_discount_percent"), l.discount_percent);
    }
}
