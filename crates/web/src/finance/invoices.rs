//! An invoice's pages: the draft form (new, edit), the invoice with its payments and
//! actions (send, void or discard, record or delete a payment), and its printed copy.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::editor::{self, Document};
use super::{money, LinesView};
use crate::auth::{Ctx, Layout};
use crate::domain::finance::documents::{self, Full, Issuer, Recipient};
use crate::domain::finance::invoices::{self, InvoiceStatus};
use crate::domain::finance::lines;
use crate::domain::finance::payments::{self, PaymentInput, METHODS};
use crate::domain::forms::view::OptionView;
use crate::domain::forms::{choice_label, Field, FormInput, Kind};
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::scope::{ClientId, ClientScope, RecordId, Who};
use crate::error::AppResult;
use crate::resource::client_context;
use crate::routes::Table;
use crate::views::ClientNav;
use crate::{render, see_other};
use mspdesk_platform::db::{AnyConnection, Db};

pub fn routes(t: &mut Table, view: Perm, edit: Perm) {
    editor::routes::<InvoiceForm>(t, edit);
    t.get("/clients/{cid}/invoices/{id}", view, None, || {
        web::get().to(show)
    });
    t.get("/clients/{cid}/invoices/{id}/print", view, None, || {
        web::get().to(print)
    });
    t.post("/clients/{cid}/invoices/{id}/send", edit, None, || {
        web::post().to(send)
    });
    t.post("/clients/{cid}/invoices/{id}/void", edit, None, || {
        web::post().to(void)
    });
    t.post("/clients/{cid}/invoices/{id}/payments", edit, None, || {
        web::post().to(pay)
    });
    t.post("/clients/{cid}/payments/{id}/delete", edit, None, || {
        web::post().to(delete_payment)
    });
}

/// A draft's form: notes and lines (a sent invoice is not edited).
pub struct InvoiceForm;

impl Document for InvoiceForm {
    const SEGMENT: &'static str = "invoices";
    const NOUN: &'static str = "invoice";
    const FIELDS: &'static [Field] = &[Field::new("notes", "Notes", Kind::TextArea)
        .help("Shown on the invoice: payment details, a thank-you")];
    fn stored(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
    ) -> AppResult<(FormInput, String)> {
        let full = documents::full(conn, cs, id)?;
        let mut input = FormInput::default();
        input.set("notes", full.invoice.notes.unwrap_or_default());
        editor::with_lines(&mut input, &full.lines);
        Ok((input, full.invoice.currency))
    }
    fn save(
        conn: &mut AnyConnection,
        who: &Who,
        cid: ClientId,
        id: Option<RecordId>,
        input: &FormInput,
    ) -> AppResult<Result<RecordId, Vec<String>>> {
        let (rows, notes) = (lines::from_form(input), input.get("notes"));
        match id {
            None => invoices::create_draft(conn, who, cid, &rows, notes),
            Some(id) => {
                invoices::update_draft(conn, who, cid, id, &rows, notes).map(|r| r.map(|()| id))
            }
        }
    }
}

fn href(cid: i64, id: i64) -> String {
    editor::href::<InvoiceForm>(cid, id)
}

async fn load(ctx: &Ctx, db: &Db, cid: i64, id: i64) -> AppResult<(ClientNav, Full)> {
    let viewer = ctx.viewer();
    let (client, tabs, full) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, viewer, cid)?;
            Ok((client, tabs, documents::full(conn, &cs, id)?))
        })
        .await?;
    Ok((ClientNav::new(ctx, &client, tabs, "billing"), full))
}

pub struct PaymentRow {
    pub id: i64,
    pub paid_on: String,
    pub amount: String,
    pub method: &'static str,
    pub reference: String,
}

/// The payment form as typed, and why it was refused.
#[derive(Default)]
pub struct PayForm {
    pub amount: String,
    pub paid_on: String,
    pub reference: String,
    pub method: String,
    pub methods: Vec<OptionView>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "finance/invoice.html")]
struct InvoicePage {
    l: Layout,
    nav: Option<ClientNav>,
    base: String,
    title: String,
    status: &'static str,
    overdue: bool,
    dates: Vec<(&'static str, String)>,
    notes: String,
    t: LinesView,
    paid: String,
    balance: String,
    payments: Vec<PaymentRow>,
    draft: bool,
    can_void: bool,
    can_pay: bool,
    pay: PayForm,
    /// Where it came from, as (href, label).
    origin: Option<(String, String)>,
    can_edit: bool,
}

pub fn title(i: &invoices::Invoice) -> String {
    match &i.reference {
        Some(r) => format!("Invoice {r}"),
        None => format!("Draft invoice #{}", i.id),
    }
}

fn invoice_page(
    ctx: &Ctx,
    nav: ClientNav,
    full: Full,
    pay: PayForm,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let today = chrono::Utc::now().date_naive();
    let i = &full.invoice;
    let cid = i.client_id;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let can_edit = allows(Perm::new(Area::Billing, Action::Edit), ctx.role());
    let origin = match (&full.quote, &full.template) {
        (Some((q, r)), _) => Some((
            format!("/clients/{cid}/quotes/{q}"),
            format!("From quote {r}"),
        )),
        (_, Some((t, n))) => Some((
            format!("/clients/{cid}/recurring-invoices/{t}"),
            format!("From recurring invoice {n}"),
        )),
        _ => None,
    };
    let method = if pay.method.is_empty() {
        "bank_transfer"
    } else {
        pay.method.as_str()
    };
    let pay = PayForm {
        methods: OptionView::choices(METHODS, method),
        paid_on: if pay.paid_on.is_empty() {
            today.to_string()
        } else {
            pay.paid_on
        },
        ..pay
    };
    render(
        status,
        &InvoicePage {
            l: ctx.layout(title(i)),
            base: href(cid, i.id),
            title: title(i),
            status: i.status.label(),
            overdue: i.overdue(today),
            dates: vec![
                ("Issued", date(i.issue_date)),
                ("Due", date(i.due_date)),
                ("Currency", i.currency.clone()),
            ],
            notes: i.notes.clone().unwrap_or_default(),
            t: LinesView::new(
                &full.lines,
                &i.currency,
                [i.subtotal, i.discount, i.tax, i.total],
            ),
            paid: money(&i.currency, i.paid),
            balance: money(&i.currency, i.balance()),
            payments: full
                .payments
                .iter()
                .map(|p| PaymentRow {
                    id: p.id,
                    paid_on: p.paid_on.to_string(),
                    amount: money(&i.currency, p.amount),
                    method: choice_label(METHODS, &p.method),
                    reference: p.reference.clone().unwrap_or_default(),
                })
                .collect(),
            draft: i.status == InvoiceStatus::Draft,
            can_void: i.voidable(),
            can_pay: i.status.unpaid(),
            pay,
            origin,
            can_edit,
            nav: Some(nav),
        },
    )
}

async fn show(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let (nav, full) = load(&ctx, &db, cid, id).await?;
    invoice_page(&ctx, nav, full, PayForm::default(), StatusCode::OK)
}

/// Send, void or discard: a refusal comes back as a flash on the invoice; a discarded
/// draft is gone, so its client's billing tab follows.
async fn act(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>, send: bool) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let done = db
        .run(move |conn| {
            let (c, r) = (ClientId(cid), RecordId(id));
            if send {
                invoices::send(conn, &who, c, r)
                    .map(|r| r.map(|n| (format!("Invoice {n} was sent."), false)))
            } else {
                invoices::void(conn, &who, c, r).map(|r| {
                    r.map(|gone| match gone {
                        true => ("The draft was discarded.".to_string(), true),
                        false => ("The invoice was voided.".to_string(), false),
                    })
                })
            }
        })
        .await?;
    match done {
        Ok((message, true)) => {
            ctx.flash(message);
            Ok(see_other(&format!("/clients/{cid}/billing")))
        }
        Ok((message, false)) => {
            ctx.flash(message);
            Ok(see_other(&href(cid, id)))
        }
        Err(why) => {
            ctx.flash_error(super::refused::invoice(why));
            Ok(see_other(&href(cid, id)))
        }
    }
}

async fn send(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    act(ctx, db, path, true).await
}

async fn void(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    act(ctx, db, path, false).await
}

async fn pay(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let f = FormInput(form.into_inner());
    let input = PaymentInput {
        amount: f.get("amount").to_string(),
        paid_on: f.get("paid_on").to_string(),
        method: f.get("method").to_string(),
        reference: f.get("reference").to_string(),
    };
    let typed = input.clone();
    let done = db
        .run(move |conn| payments::record(conn, &who, ClientId(cid), RecordId(id), &typed))
        .await?;
    match done {
        Ok(_) => {
            ctx.flash("The payment was recorded.");
            Ok(see_other(&href(cid, id)))
        }
        Err(error) => {
            let (nav, full) = load(&ctx, &db, cid, id).await?;
            let pay = PayForm {
                amount: input.amount,
                paid_on: input.paid_on,
                reference: input.reference,
                method: input.method,
                methods: vec![],
                error: super::refused::payment(&error),
            };
            invoice_page(&ctx, nav, full, pay, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

async fn delete_payment(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let invoice = db
        .run(move |conn| payments::delete(conn, &who, ClientId(cid), RecordId(id)))
        .await?;
    ctx.flash("The payment was deleted; the invoice owes its amount again.");
    Ok(see_other(&href(cid, invoice)))
}

#[derive(Template)]
#[template(path = "finance/print.html")]
struct PrintPage {
    title: String,
    /// The tenant's initial, as a logo.
    initial: String,
    issuer: Issuer,
    to: Recipient,
    dates: Vec<(&'static str, String)>,
    notes: String,
    t: LinesView,
    paid: String,
    balance: String,
    draft: bool,
    void: bool,
}

async fn print(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let viewer = ctx.viewer();
    let html = db
        .run(move |conn| {
            let (_, cs) = crate::domain::clients::scoped(conn, viewer, ClientId(cid))?;
            printable(conn, &cs, id)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The printable invoice as a standalone HTML document: the page the browser prints
/// and the file the invoice mail attaches.
pub fn printable(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> AppResult<String> {
    let full = documents::full(conn, cs, id)?;
    let issuer = documents::issuer(conn, cs)?;
    let to = documents::recipient(conn, cs)?;
    let i = &full.invoice;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let page = PrintPage {
        title: title(i),
        initial: issuer
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default(),
        issuer,
        to,
        dates: vec![
            ("Invoice date", date(i.issue_date)),
            ("Due date", date(i.due_date)),
        ],
        notes: i.notes.clone().unwrap_or_default(),
        t: LinesView::new(
            &full.lines,
            &i.currency,
            [i.subtotal, i.discount, i.tax, i.total],
        ),
        paid: money(&i.currency, i.paid),
        balance: money(&i.currency, i.balance()),
        draft: i.status == InvoiceStatus::Draft,
        void: i.status == InvoiceStatus::Void,
    };
    page.render()
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))
}
