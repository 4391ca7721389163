//! A client's billing tab: the figures (balance, overdue, aging, monthly recurring),
//! the terms, the unbilled work with "Create invoice", and the lists of invoices,
//! payments, quotes and recurring invoices; and the printable statement of account.

use crate::domain::finance::invoices::InvoiceStatus::{Draft, Paid, Void};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::money;
use crate::auth::{Ctx, Layout};
use crate::domain::finance::documents::{self, Statement, TAB_ROWS};
use crate::domain::finance::figures::{self, Figures, Of, BUCKETS};
use crate::domain::finance::payments::METHODS;
use crate::domain::finance::{quotes::Quote, recurring::Template as Recurring, unbilled};
use crate::domain::forms::view::OptionView;
use crate::domain::forms::{choice_label, dates};
use crate::domain::policy::{allows, Action, Area, Perm};
use crate::domain::scope::ClientId;
use crate::error::AppResult;
use crate::resource::client_context;
use crate::views::ClientNav;
use crate::{page, see_other};
use mspdesk_platform::db::Db;

/// The invoice filters of the tab and of the Finance list.
pub const FILTERS: &[(&str, &str)] = &[
    ("", "All"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    (Draft.name(), Draft.label()),
    (Paid.name(), Paid.label()),
    (Void.name(), Void.label()),
];

#[derive(Debug, Default, Deserialize)]
pub struct TabParams {
    status: Option<String>,
}

/// One currency's figures as cards and an aging row.
pub struct FiguresView {
    pub currency: String,
    pub balance: String,
    pub overdue: String,
    pub has_overdue: bool,
    pub monthly: String,
    pub aging: Vec<String>,
}

impl FiguresView {
    pub fn of(f: &Figures) -> Self {
        FiguresView {
            currency: f.currency.clone(),
            balance: f.money(f.balance),
            overdue: f.money(f.overdue),
            has_overdue: f.overdue > 0,
            monthly: f.money(f.monthly),
            aging: f.aging.iter().map(|a| f.money(*a)).collect(),
        }
    }
}

/// A row of an invoice list.
pub struct InvoiceRow {
    pub href: String,
    pub reference: String,
    pub client: String,
    pub client_href: String,
    pub status: &'static str,
    pub overdue: bool,
    pub issued: String,
    pub due: String,
    pub total: String,
    pub balance: String,
}

impl InvoiceRow {
    pub fn of(
        i: &crate::domain::finance::invoices::Invoice,
        client: &str,
        today: NaiveDate,
    ) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        InvoiceRow {
            href: format!("/clients/{}/invoices/{}", i.client_id, i.id),
            reference: i
                .reference
                .clone()
                .unwrap_or_else(|| format!("Draft #{}", i.id)),
            client: client.to_string(),
            client_href: format!("/clients/{}/billing", i.client_id),
            status: i.status.label(),
            overdue: i.overdue(today),
            issued: date(i.issue_date),
            due: date(i.due_date),
            total: money(&i.currency, i.total),
            balance: money(&i.currency, i.balance()),
        }
    }
}

#[derive(Template)]
#[template(path = "finance/billing.html")]
struct BillingPage {
    l: Layout,
    nav: Option<ClientNav>,
    cid: i64,
    figures: Vec<FiguresView>,
    buckets: [&'static str; 5],
    terms: Vec<(&'static str, String)>,
    filters: Vec<OptionView>,
    invoices: Vec<InvoiceRow>,
    /// (key, date, description, amount)
    unbilled: Vec<(String, String, String, String)>,
    unbilled_total: String,
    /// (invoice href, date, amount, method, reference)
    payments: Vec<(String, String, String, &'static str, String)>,
    /// (href, reference, status, valid until, total)
    quotes: Vec<(String, String, &'static str, String, String)>,
    /// (href, name, every, next date, per month, active)
    recurring: Vec<(String, String, String, String, String, bool)>,
    limit: i64,
    can_edit: bool,
    statement_from: String,
    statement_to: String,
}

pub async fn show(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    params: web::Query<TabParams>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let today = chrono::Utc::now().date_naive();
    let status = params.status.clone().unwrap_or_default();
    let status = FILTERS
        .iter()
        .find(|(v, _)| *v == status)
        .map_or("", |(v, _)| *v);
    let viewer = ctx.viewer();
    let (client, tabs, figures, invoices, items, payments, quotes, templates) = db
        .run(move |conn| {
            let (client, cs, tabs) = client_context(conn, viewer, cid)?;
            Ok((
                client,
                tabs,
                figures::of(conn, Of::Client(&cs), today)?,
                documents::invoices_of(conn, &cs, status, today)?,
                unbilled::list(conn, &cs)?,
                documents::payments_of(conn, &cs)?,
                documents::quotes_of(conn, &cs)?,
                documents::templates_of(conn, &cs)?,
            ))
        })
        .await?;
    let b = &client.billing;
    // The client's currency, as its row already gives it.
    let currency = b.currency.clone();
    let terms = vec![
        ("Hourly rate", crate::domain::money::display(b.hourly_rate)),
        ("Net terms", format!("{} days", b.net_terms)),
        ("Currency", b.currency.clone()),
        (
            "Contract",
            match (b.contract_start_date, b.contract_end_date) {
                (Some(s), Some(e)) => format!("{s} – {e}"),
                (Some(s), None) => format!("from {s}"),
                (None, Some(e)) => format!("until {e}"),
                (None, None) => String::new(),
            },
        ),
    ];
    let payments = payments
        .iter()
        .map(|(p, code)| {
            (
                format!("/clients/{cid}/invoices/{}", p.invoice_id),
                p.paid_on.to_string(),
                money(code, p.amount),
                choice_label(METHODS, &p.method),
                p.reference.clone().unwrap_or_default(),
            )
        })
        .collect();
    let unbilled_total: i64 = items.iter().map(|i| i.amount).sum();
    page(&BillingPage {
        l: ctx.layout(format!("Billing of {}", client.data.name)),
        nav: Some(ClientNav::new(&ctx, &client, tabs, "billing")),
        cid,
        figures: figures.iter().map(FiguresView::of).collect(),
        buckets: BUCKETS,
        terms,
        filters: OptionView::choices(FILTERS, status),
        invoices: invoices
            .iter()
            .map(|i| InvoiceRow::of(i, "", today))
            .collect(),
        unbilled: items
            .iter()
            .map(|i| {
                (
                    i.key(),
                    i.date.to_string(),
                    i.description.clone(),
                    money(&currency, i.amount),
                )
            })
            .collect(),
        unbilled_total: money(&currency, unbilled_total),
        payments,
        quotes: quotes
            .iter()
            .map(|q: &Quote| {
                (
                    format!("/clients/{cid}/quotes/{}", q.id),
                    q.reference.clone(),
                    q.shown_status(today),
                    q.expires_on.to_string(),
                    money(&q.currency, q.total),
                )
            })
            .collect(),
        recurring: templates
            .iter()
            .map(|t: &Recurring| {
                (
                    format!("/clients/{cid}/recurring-invoices/{}", t.id),
                    t.name.clone(),
                    t.every(),
                    t.next_text(),
                    money(&t.currency, t.monthly()),
                    t.active,
                )
            })
            .collect(),
        limit: TAB_ROWS,
        can_edit: allows(Perm::new(Area::Billing, Action::Edit), ctx.role()),
        statement_from: (today - Duration::days(90)).to_string(),
        statement_to: today.to_string(),
    })
}

/// "Create invoice" from the chosen unbilled items (`item=time-12&item=trip-3`).
pub async fn bill(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (cid, who) = (cid.into_inner(), ctx.who());
    // The same name repeats (one per checkbox): read the pairs, not a map.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| crate::error::AppError::BadRequest("unreadable form".into()))?;
    let chosen: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "item")
        .map(|(_, v)| v)
        .take(1000)
        .collect();
    let made = db
        .run(move |conn| unbilled::bill(conn, &who, ClientId(cid), &chosen))
        .await?;
    match made {
        Ok(id) => {
            ctx.flash("The draft invoice was made from the chosen work.");
            Ok(see_other(&format!("/clients/{cid}/invoices/{}", id.0)))
        }
        Err(why) => {
            ctx.flash_error(why);
            Ok(see_other(&format!("/clients/{cid}/billing")))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "finance/statement.html")]
struct StatementPage {
    title: String,
    issuer: documents::Issuer,
    to_client: documents::Recipient,
    from: String,
    to: String,
    opening: String,
    closing: String,
    /// (date, description, charge, payment, balance)
    lines: Vec<(String, String, String, String, String)>,
    error: String,
    back: String,
}

pub async fn statement(
    ctx: Ctx,
    db: Db,
    cid: web::Path<i64>,
    range: web::Query<Range>,
) -> AppResult<HttpResponse> {
    let cid = cid.into_inner();
    let today = chrono::Utc::now().date_naive();
    let read = |s: &Option<String>, default: NaiveDate| match s.as_deref().map(str::trim) {
        None | Some("") => Some(default),
        Some(t) => dates::date(t),
    };
    let (from, to) = (
        read(&range.from, today - Duration::days(90)),
        read(&range.to, today),
    );
    let (from, to, error) = match (from, to) {
        (Some(f), Some(t)) if f <= t => (f, t, String::new()),
        _ => (
            today - Duration::days(90),
            today,
            "The dates were not a valid range (YYYY-MM-DD, from before to): showing the last 90 days."
                .to_string(),
        ),
    };
    let viewer = ctx.viewer();
    let (st, issuer, recipient): (Statement, _, _) = db
        .run(move |conn| {
            let (_, cs) = crate::domain::clients::scoped(conn, viewer, ClientId(cid))?;
            Ok((
                documents::statement(conn, &cs, from, to)?,
                documents::issuer(conn, &cs)?,
                documents::recipient(conn, &cs)?,
            ))
        })
        .await?;
    let m = |v: i64| {
        if v == 0 {
            String::new()
        } else {
            money(&st.currency, v)
        }
    };
    page(&StatementPage {
        title: format!("Statement of account: {}", recipient.name),
        issuer,
        to_client: recipient,
        from: from.to_string(),
        to: to.to_string(),
        opening: money(&st.currency, st.opening),
        closing: money(&st.currency, st.closing),
        lines: st
            .lines
            .iter()
            .map(|l| {
                (
                    l.date.to_string(),
                    l.description.clone(),
                    m(l.charge),
                    m(l.payment),
                    money(&st.currency, l.balance),
                )
            })
            .collect(),
        error,
        back: format!("/clients/{cid}/billing"),
    })
}
