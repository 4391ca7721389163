//! A recurring invoice's pages: the template form, the template with its next five
//! dates and the invoices it made, and "generate now" (idempotent per period).

use actix_web::{web, HttpResponse};
use askama::Template;

use super::editor::{self, Document};
use super::{money, LinesView};
use crate::auth::{Ctx, Layout};
use crate::domain::finance::documents::made_by;
use crate::domain::finance::lines::{self, Doc};
use crate::domain::finance::recurring::{self, TemplateInput};
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
    editor::routes::<RecurringForm>(t, edit);
    t.get("/clients/{cid}/recurring-invoices/{id}", view, None, || {
        web::get().to(show)
    });
    t.post(
        "/clients/{cid}/recurring-invoices/{id}/generate",
        edit,
        None,
        || web::post().to(generate),
    );
}

/// The template's form: name, period, dates, active, notes, lines.
pub struct RecurringForm;

impl Document for RecurringForm {
    const SEGMENT: &'static str = "recurring-invoices";
    const NOUN: &'static str = "recurring invoice";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name")
            .required()
            .help("e.g. Managed services, Microsoft 365 seats"),
        Field::new(
            "months",
            "Every (months)",
            Kind::Integer { min: 1, max: 120 },
        )
        .required()
        .help("1 monthly, 3 quarterly, 12 yearly"),
        Field::new("anchor_date", "First invoice", Kind::Date)
            .required()
            .help("Later invoices fall on the same day of the month (or the month's last day)"),
        Field::new("end_date", "Ends", Kind::Date).help("Empty: until stopped"),
        Field::new("active", "Active", Kind::Bool),
        Field::new("notes", "Notes", Kind::TextArea).help("Copied onto every invoice"),
    ];
    fn blank(input: &mut FormInput) {
        input.set("months", "1");
        input.set("anchor_date", chrono::Utc::now().date_naive().to_string());
        input.set_bool("active", true);
    }
    fn stored(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: i64,
    ) -> AppResult<(FormInput, String)> {
        let t = recurring::find(conn, cs, id)?;
        let mut input = FormInput::default();
        input.set("name", t.name);
        input.set("months", t.months.to_string());
        input.set("anchor_date", t.anchor_date.to_string());
        input.set_opt("end_date", t.end_date);
        input.set_bool("active", t.active);
        input.set("notes", t.notes.unwrap_or_default());
        editor::with_lines(
            &mut input,
            &lines::load(conn, cs.tenant(), Doc::Recurring(t.id))?,
        );
        Ok((input, t.currency))
    }
    fn save(
        conn: &mut AnyConnection,
        who: &Who,
        cid: ClientId,
        id: Option<RecordId>,
        input: &FormInput,
    ) -> AppResult<Result<RecordId, Vec<String>>> {
        recurring::save(conn, who, cid, id, &typed(input))
    }
    fn preview(input: &FormInput) -> Option<Result<Vec<String>, String>> {
        Some(match recurring::preview_of(&typed(input), 5) {
            Ok(dates) if dates.is_empty() => {
                Err("The schedule ends before its first invoice.".into())
            }
            Ok(dates) => Ok(dates
                .iter()
                .map(|d| d.format("%a %Y-%m-%d").to_string())
                .collect()),
            Err(errors) => Err(errors.join(" ")),
        })
    }
}

fn typed(input: &FormInput) -> TemplateInput {
    TemplateInput {
        name: input.get("name").to_string(),
        months: input.get("months").to_string(),
        anchor_date: input.get("anchor_date").to_string(),
        end_date: input.get("end_date").to_string(),
        active: input.get("active") == "on",
        notes: input.get("notes").to_string(),
        lines: lines::from_form(input),
    }
}

fn href(cid: i64, id: i64) -> String {
    editor::href::<RecurringForm>(cid, id)
}

#[derive(Template)]
#[template(path = "finance/recurring.html")]
struct RecurringPage {
    l: Layout,
    nav: Option<ClientNav>,
    base: String,
    title: String,
    details: Vec<(&'static str, String)>,
    next: Vec<String>,
    notes: String,
    t: LinesView,
    /// The invoices made, as (href, reference, date, total).
    made: Vec<(String, String, String, String)>,
    active: bool,
    can_edit: bool,
}

async fn show(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let viewer = ctx.viewer();
    let (client, tabs, t, stored, made) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, viewer, cid)?;
            let t = recurring::find(conn, &cs, id)?;
            let stored = lines::load(conn, cs.tenant(), Doc::Recurring(t.id))?;
            let made = made_by(conn, &cs, t.id)?;
            Ok((client, tabs, t, stored, made))
        })
        .await?;
    let nav = ClientNav::new(&ctx, &client, tabs, "billing");
    let title = format!("Recurring invoice: {}", t.name);
    page(&RecurringPage {
        l: ctx.layout(title.clone()),
        nav: Some(nav),
        base: href(cid, id),
        details: vec![
            ("Every", t.every()),
            ("First invoice", t.anchor_date.to_string()),
            (
                "Ends",
                t.end_date.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                "Status",
                if t.active { "Active" } else { "Paused" }.to_string(),
            ),
            ("Per month", money(&t.currency, t.monthly())),
        ],
        next: t.preview(5).iter().map(|d| d.to_string()).collect(),
        notes: t.notes.clone().unwrap_or_default(),
        t: LinesView::new(
            &stored,
            &t.currency,
            [t.subtotal, t.discount, t.tax, t.total],
        ),
        made: made
            .iter()
            .map(|i| {
                (
                    format!("/clients/{cid}/invoices/{}", i.id),
                    i.reference.clone().unwrap_or_else(|| "Draft".into()),
                    i.issue_date.map(|d| d.to_string()).unwrap_or_default(),
                    money(&i.currency, i.total),
                )
            })
            .collect(),
        active: t.active,
        can_edit: allows(Perm::new(Area::Billing, Action::Edit), ctx.role()),
        title,
    })
}

async fn generate(ctx: Ctx, db: Db, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let ((cid, id), who) = (path.into_inner(), ctx.who());
    let today = chrono::Utc::now().date_naive();
    let made = db
        .run(move |conn| recurring::generate(conn, &who, ClientId(cid), RecordId(id), today))
        .await?;
    match made {
        Ok(refs) if refs.is_empty() => {
            ctx.flash("Nothing was due: every period up to today is invoiced.")
        }
        Ok(refs) => ctx.flash(format!("Sent {}.", refs.join(", "))),
        Err(why) => ctx.flash_error(why),
    }
    Ok(see_other(&href(cid, id)))
}
