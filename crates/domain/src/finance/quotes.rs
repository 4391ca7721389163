//! Quotes: lines and totals like an invoice's, numbered when created (a quote number
//! may have gaps; an invoice number may not). Draft → sent → accepted or declined;
//! a sent quote past its expiry date is expired (derived, not stored). Accepting makes
//! a draft invoice with the same lines, and each remembers the other.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::invoices::{self, Origin};
use super::lines::{self, Doc, LineInput};
use super::refused::QuoteRefused;
use crate::audit;
use crate::clients;
use crate::currency::Currency;
use crate::error::{AppError, AppResult};
use crate::forms::dates;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::{companies, quotes};
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use crate::tenancy::numbering;
use mspdesk_platform::db::{write_transaction, AnyConnection};

use super::quote_status::QuoteStatus::{self, *};

pub const TABLE: &str = "quotes";

/// (value, label) of what a quote is shown as: its states, and expired.
pub const STATUSES: &[(&str, &str)] = &[
    (Draft.name(), Draft.label()),
    (Sent.name(), Sent.label()),
    (Accepted.name(), Accepted.label()),
    (Declined.name(), Declined.label()),
    EXPIRED,
];

/// What a sent quote past its date is shown as (not a stored state), as (value, label).
pub const EXPIRED: (&str, &str) = ("expired", "Expired");

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quotes)]
pub struct Quote {
    pub id: i64,
    pub client_id: i64,
    pub reference: String,
    pub status: QuoteStatus,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub expires_on: NaiveDate,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub invoice_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Quote {
    /// The status a user sees: a sent quote past its date is expired.
    pub fn shown_status(&self, today: NaiveDate) -> &'static str {
        if self.status == Sent && self.expires_on < today {
            EXPIRED.1
        } else {
            self.status.label()
        }
    }
    pub fn currency(&self) -> AppResult<Currency> {
        Currency::stored(&self.currency)
    }
}

/// A quote as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct QuoteInput {
    pub lines: Vec<LineInput>,
    pub expires_on: String,
    pub notes: String,
}

pub fn find(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Quote> {
    crate::of_client!(quotes, cs)
        .filter(quotes::id.eq(id))
        .filter(quotes::deleted_at.is_null())
        .select(Quote::as_select())
        .first(conn)
}

fn expiry(text: &str, today: NaiveDate) -> Result<NaiveDate, Vec<String>> {
    if text.trim().is_empty() {
        return Ok(today + Duration::days(30));
    }
    match dates::date(text) {
        Some(d) if d >= today => Ok(d),
        Some(_) => Err(vec!["Valid until: the date has passed.".into()]),
        None => Err(vec!["Valid until: give a date (YYYY-MM-DD).".into()]),
    }
}

/// Creates a draft quote (`id` None) or changes a draft, dated `today`; returns its id.
pub fn save(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: Option<RecordId>,
    input: &QuoteInput,
    today: NaiveDate,
) -> AppResult<Result<RecordId, Vec<String>>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let currency = match id {
            Some(id) => {
                let q = find(conn, &cs, id.0)?;
                if q.status != Draft {
                    return Ok(Err(vec!["A sent quote is not changed.".into()]));
                }
                q.currency()?
            }
            None => invoices::terms(conn, &cs)?.0,
        };
        let (priced, expires_on) = match (
            lines::price(&input.lines, currency),
            expiry(&input.expires_on, today),
        ) {
            (Ok(p), Ok(e)) => (p, e),
            (p, e) => {
                let mut errors = e.err().unwrap_or_default();
                errors.extend(p.err().unwrap_or_default());
                return Ok(Err(errors));
            }
        };
        let notes = input.notes.trim();
        let notes = (!notes.is_empty()).then_some(notes);
        let now = cs.now();
        let s = &priced.sum;
        let (qid, action) = match id {
            Some(id) => {
                diesel::update(crate::of_client!(quotes, cs).filter(quotes::id.eq(id.0)))
                    .set((
                        quotes::expires_on.eq(expires_on),
                        quotes::notes.eq(notes),
                        quotes::subtotal.eq(s.subtotal),
                        quotes::discount.eq(s.discount),
                        quotes::tax.eq(s.tax),
                        quotes::total.eq(s.total),
                        quotes::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                (id.0, "update")
            }
            None => {
                let prefix: String = companies::table
                    .find(cs.tenant_id())
                    .select(companies::quote_prefix)
                    .first(conn)?;
                let number = numbering::next(conn, cs.tenant(), "quote")?;
                let id = diesel::insert_into(quotes::table)
                    .values((
                        quotes::tenant_id.eq(cs.tenant_id()),
                        quotes::client_id.eq(cs.client_id()),
                        quotes::number.eq(number),
                        quotes::reference.eq(format!("{prefix}{number}")),
                        quotes::currency.eq(currency.code),
                        quotes::issue_date.eq(today),
                        quotes::expires_on.eq(expires_on),
                        quotes::notes.eq(notes),
                        quotes::subtotal.eq(s.subtotal),
                        quotes::discount.eq(s.discount),
                        quotes::tax.eq(s.tax),
                        quotes::total.eq(s.total),
                        quotes::created_at.eq(now),
                        quotes::updated_at.eq(now),
                    ))
                    .returning(quotes::id)
                    .get_result(conn)?;
                (id, "create")
            }
        };
        lines::store(conn, cs.tenant(), Doc::Quote(qid), &priced)?;
        let changes = json!({ "lines": priced.lines.len(), "total": currency.format(s.total) });
        let entry = audit::Entry::of_record(cid, TABLE, qid, action, changes).titled(format!(
            "quote {} {}",
            currency.format(s.total),
            currency.code
        ));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(RecordId(qid)))
    })
}

/// What can happen to a quote after it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Send,
    Accept,
    Decline,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "send" => Some(Step::Send),
            "accept" => Some(Step::Accept),
            "decline" => Some(Step::Decline),
            _ => None,
        }
    }
}

/// Moves a quote on (`None`: the form named no step); accepting returns the draft
/// invoice made from it.
pub fn step(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    step: Option<Step>,
) -> AppResult<Result<Option<RecordId>, QuoteRefused>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    let today = who.today();
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let q = find(conn, &cs, id.0)?;
        let Some(step) = step else {
            return Ok(Err(QuoteRefused::NoStep));
        };
        let (from, to) = match step {
            Step::Send => (Draft, Sent),
            Step::Accept => (Sent, Accepted),
            Step::Decline => (Sent, Declined),
        };
        if q.status != from {
            return Ok(Err(QuoteRefused::NotFrom(q.shown_status(today))));
        }
        if step == Step::Accept && q.expires_on < today {
            return Ok(Err(QuoteRefused::Expired));
        }
        let moved = diesel::update(
            crate::of_client!(quotes, cs)
                .filter(quotes::id.eq(q.id))
                .filter(quotes::status.eq(from)),
        )
        .set((quotes::status.eq(to), quotes::updated_at.eq(cs.now())))
        .execute(conn)?;
        if moved == 0 {
            return Err(AppError::Conflict("The quote changed meanwhile.".into()));
        }
        let mut invoice = None;
        if step == Step::Accept {
            let currency = q.currency()?;
            let stored = lines::load(conn, cs.tenant(), Doc::Quote(q.id))?;
            let priced = lines::reprice(&stored, currency)
                .map_err(|e| AppError::Internal(format!("stored quote lines: {e:?}")))?;
            let notes = q.notes.clone().unwrap_or_default();
            let origin = Origin {
                quote: Some(q.id),
                recurring: None,
            };
            let iid = invoices::insert_draft(conn, &cs, currency, &priced, &notes, origin)?;
            diesel::update(crate::of_client!(quotes, cs).filter(quotes::id.eq(q.id)))
                .set(quotes::invoice_id.eq(iid))
                .execute(conn)?;
            invoice = Some(RecordId(iid));
        }
        let changes = json!({ "status": to, "invoice": invoice.map(|i| i.0) });
        let entry = audit::Entry::of_record(cid, TABLE, q.id, to.name(), changes)
            .titled(format!("quote {}", q.reference));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(invoice))
    })
}
