//! A quote's pages: the form (new, edit while a draft), the quote with its next steps
//! (send, accept into a draft invoice, decline).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use askama::Template;

use super::editor::{self, Document};
use super::LinesView;
use crate::auth::{Ctx, Layout};
use crate::domain::finance::lines::{self, Doc};
use crate::domain::finance::quote_status::QuoteStatus;
use crate::domain::finance::quotes::{self, QuoteInput, Step};
use crate::domain::forms::{Field, FormInput, Kind};
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::scope::{ClientId, ClientScope, RecordId, Who};
use crate::error::AppResult;
use crate::resource::client_context;
use crate::routes::Table;
use crate::views::ClientNav;
use crate::{page, see_other};
use mspdesk_platform::db::{AnyConnection, Db};
pub fn routes(t: &mut Table, view: Perm, edit: Perm) {
    editor::routes::<QuoteForm>(t, edit);
    t.get("/clients/{cid}/quotes/{id}", view, None, || {
        web::get().to(show)
    });
    t.post("/clients/{cid}/quotes/{id}/step", edit, None, || {
        web::post().to(step)
    });
}

/// The quote's form: valid until, notes, lines.
pub struct QuoteForm;

impl Document for QuoteForm {
    const SEGMENT: &'static str = "quotes";
    const NOUN: &'static str = "quote";
    const FIELDS: &'static [Field] = &[
        Field::new("expires_on", "Valid until", Kind::Date)
            .help("30 days from today when left empty"),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    fn stored(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
    ) -> AppResult<(FormInput, String)> {
        let q = quotes::find(conn, cs, id)?;
        let mut input = FormInput::default();
        input.set("expires_on", q.expires_on.to_string());
        input.set("notes", q.notes.unwrap_or_default());
        editor::with_lines(
            &mut input,
            &lines::load(conn, cs.tenant(), Doc::Quote(q.id))?,
        );
        Ok((input, q.currency))
    }
    fn save(
        conn: &mut AnyConnection,
        who: &Who,
        cid: ClientId,
        id: Option<RecordId>,
        input: &FormInput,
    ) -> AppResult<Result<RecordId, Vec<String>>> {
        let typed = QuoteInput {
            lines: lines::from_form(input),
            expires_on: input.get("expires_on").to_string(),
            notes: input.get("notes").to_string(),
        };
        quotes::save(conn, who, cid, id, &typed, chrono::Utc::now().date_naive())
    }
}

fn href(cid: i64, id: i64) -> String {
    editor::href::<QuoteForm>(cid, id)
}

#[derive(Template)]
#[template(path = "finance/quote.html")]
struct QuotePage {
    l: Layout,
    nav: Option<ClientNav>,
    base: String,
    title: String,
    status: &'static str,
    dates: Vec<(&'static str, String)>,
    notes: String,
    t: LinesView,
    /// The steps this quote can take now, as (value, label).
    steps: Vec<(&'static str, &'static str)>,
    draft: bool,
    invoice: Option<String>,
    can_edit: bool,
}

async fn show(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let viewer = ctx.viewer();
    let (client, tabs, q, stored) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, viewer, cid)?;
            let q = quotes::find(conn, &cs, id)?;
            let stored = lines::load(conn, cs.tenant(), Doc::Quote(q.id))?;
            Ok((client, tabs, q, stored))
        })
        .await?;
    let nav = ClientNav::new(&ctx, &client, tabs, "billing");
    let today = chrono::Utc::now().date_naive();
    let expired = q.expires_on < today;
    let steps = match q.status {
        QuoteStatus::Draft => vec![("send", "Mark as sent")],
        QuoteStatus::Sent if !expired => vec![
            ("accept", "Accept: make an invoice"),
            ("decline", "Decline"),
        ],
        QuoteStatus::Sent => vec![("decline", "Decline")],
        QuoteStatus::Accepted | QuoteStatus::Declined => vec![],
    };
    let title = format!("Quote {}", q.reference);
    page(&QuotePage {
        l: ctx.layout(title.clone()),
        nav: Some(nav),
        base: href(cid, id),
        status: q.shown_status(today),
        dates: vec![
            ("Date", q.issue_date.to_string()),
            ("Valid until", q.expires_on.to_string()),
            ("Currency", q.currency.clone()),
        ],
        notes: q.notes.clone().unwrap_or_default(),
        t: LinesView::new(
            &stored,
            &q.currency,
            [q.subtotal, q.discount, q.tax, q.total],
        ),
        steps,
        draft: q.status == QuoteStatus::Draft,
        invoice: q.invoice_id.map(|i| format!("/clients/{cid}/invoices/{i}")),
        can_edit: allows(Perm::new(Area::Billing, Action::Edit), ctx.role()),
        title,
    })
}

async fn step(
    ctx: Ctx,
    db: Db,
    path: web::Path<(i64, i64)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let step = form.get("step").and_then(|s| Step::parse(s));
    let done = db
        .run(move |conn| quotes::step(conn, &who, ClientId(cid), RecordId(id), step))
        .await?;
    match done {
        Ok(Some(invoice)) => {
            ctx.flash("The quote was accepted; here is its draft invoice.");
            Ok(see_other(&format!("/clients/{cid}/invoices/{}", invoice.0)))
        }
        Ok(None) => {
            ctx.flash("The quote was updated.");
            Ok(see_other(&href(cid, id)))
        }
        Err(why) => {
            ctx.flash_error(super::refused::quote(why));
            Ok(see_other(&href(cid, id)))
        }
    }
}
