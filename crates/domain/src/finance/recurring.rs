//! Recurring invoices: a template per client (lines, every N months from a first date,
//! optionally until an end date). Period n is dated `anchor + n × months` by the
//! month-end rule of recurring tickets (the 31st gives the last day of shorter months
//! and comes back). Generating invoices every due period not yet invoiced and sends
//! it, dated on its period; the template's `next_period` moves in the same guarded
//! UPDATE and the database refuses a second invoice of a period, so running it twice,
//! or twice at once, makes one invoice per period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::invoices::{self, Origin};
use super::lines::{self, Doc, LineInput};
use crate::audit;
use crate::clients;
use crate::currency::Currency;
use crate::error::{AppError, AppResult};
use crate::forms::dates;
use crate::policy::{require, Action, Area, Perm};
use crate::scheduling::schedule::nth_month;
use crate::schema::recurring_invoices as rec;
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

pub const TABLE: &str = "recurring_invoices";

/// The usual periods; any other number of months is "every N months".
pub const PERIODS: &[(&str, &str)] = &[("1", "Monthly"), ("3", "Quarterly"), ("12", "Yearly")];

/// The most periods one run catches up (a template restarted after years of pause
/// does not flood the client).
const MAX_CATCH_UP: usize = 24;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rec)]
pub struct Template {
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub currency: String,
    pub months: i32,
    pub anchor_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub next_period: i32,
    pub active: bool,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub created_at: NaiveDateTime,
}

impl Template {
    pub(crate) fn period_date(&self, n: i32) -> Option<NaiveDate> {
        let d = nth_month(self.anchor_date, self.months as u32, n as u32)?;
        match self.end_date {
            Some(end) if d > end => None,
            _ => Some(d),
        }
    }
    /// The next `count` invoice dates.
    pub fn preview(&self, count: i32) -> Vec<NaiveDate> {
        (self.next_period..self.next_period + count)
            .map_while(|n| self.period_date(n))
            .collect()
    }
    /// The next invoice date as text, or "ended".
    pub fn next_text(&self) -> String {
        self.preview(1)
            .first()
            .map_or_else(|| "ended".to_string(), |d| d.to_string())
    }
    pub fn every(&self) -> String {
        match PERIODS.iter().find(|(m, _)| *m == self.months.to_string()) {
            Some((_, l)) => l.to_string(),
            None => format!("Every {} months", self.months),
        }
    }
    /// What it bills per month, in minor units (rounded half-up).
    pub fn monthly(&self) -> i64 {
        let m = i64::from(self.months.max(1));
        (self.total + m / 2) / m
    }
    pub fn currency(&self) -> AppResult<Currency> {
        Currency::stored(&self.currency)
    }
}

/// A template as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub name: String,
    pub months: String,
    pub anchor_date: String,
    pub end_date: String,
    pub active: bool,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

pub fn find(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<Template> {
    crate::of_client!(rec, cs)
        .filter(rec::id.eq(id))
        .filter(rec::deleted_at.is_null())
        .select(Template::as_select())
        .first(conn)
}

/// The header fields, checked: (name, months, first date, end date).
fn read(input: &TemplateInput) -> Result<(String, i32, NaiveDate, Option<NaiveDate>), Vec<String>> {
    let name = input.name.trim().chars().take(200).collect::<String>();
    let schedule = schedule(input);
    match (name.is_empty(), schedule) {
        (false, Ok((months, anchor, end))) => Ok((name, months, anchor, end)),
        (blank, schedule) => {
            let mut errors = vec![];
            if blank {
                errors.push("Name: required.".into());
            }
            errors.extend(schedule.err().unwrap_or_default());
            Err(errors)
        }
    }
}

/// The first `count` invoice dates of the schedule as typed (the form's preview), from
/// the first invoice on, stopping at the end date.
pub fn preview_of(input: &TemplateInput, count: u32) -> Result<Vec<NaiveDate>, Vec<String>> {
    let (months, anchor, end) = schedule(input)?;
    Ok((0..count)
        .map_while(|n| nth_month(anchor, months as u32, n))
        .take_while(|d| end.is_none_or(|end| *d <= end))
        .collect())
}

/// The schedule fields, checked: (months, first date, end date).
fn schedule(input: &TemplateInput) -> Result<(i32, NaiveDate, Option<NaiveDate>), Vec<String>> {
    let mut errors = vec![];
    let months = match input.months.trim().parse::<i32>() {
        Ok(m) if (1..=120).contains(&m) => m,
        _ => {
            errors.push("Every: a number of months from 1 to 120.".into());
            1
        }
    };
    let anchor = dates::date(&input.anchor_date);
    if anchor.is_none() {
        errors.push("First invoice: give a date (YYYY-MM-DD).".into());
    }
    let end = match input.end_date.trim() {
        "" => None,
        t => match dates::date(t) {
            Some(d) if anchor.is_some_and(|a| d < a) => {
                errors.push("Ends: the end is before the first invoice.".into());
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push("Ends: give a date (YYYY-MM-DD) or leave it empty.".into());
                None
            }
        },
    };
    match anchor {
        Some(a) if errors.is_empty() => Ok((months, a, end)),
        _ => Err(errors),
    }
}

/// Creates (`id` None) or changes a template. A changed first date or period starts
/// counting periods again from the first not yet invoiced date.
pub fn save(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: Option<RecordId>,
    input: &TemplateInput,
) -> AppResult<Result<RecordId, Vec<String>>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let old = id.map(|id| find(conn, &cs, id.0)).transpose()?;
        let currency = match &old {
            Some(t) => t.currency()?,
            None => invoices::terms(conn, &cs)?.0,
        };
        let (header, priced) = match (read(input), lines::price(&input.lines, currency)) {
            (Ok(h), Ok(p)) => (h, p),
            (h, p) => {
                let mut errors = h.err().unwrap_or_default();
                errors.extend(p.err().unwrap_or_default());
                return Ok(Err(errors));
            }
        };
        let (name, months, anchor, end) = header;
        // Invoiced periods are numbered from the first date: once a template has
        // invoiced, its first date and period stay (end it and start another).
        let next_period = old.as_ref().map_or(0, |t| t.next_period);
        if old
            .as_ref()
            .is_some_and(|t| t.next_period > 0 && (t.months != months || t.anchor_date != anchor))
        {
            return Ok(Err(vec![
                "This template has made invoices: its first date and period stay. Give it an end date and start a new one.".into(),
            ]));
        }
        let notes = input.notes.trim();
        let notes = (!notes.is_empty()).then_some(notes);
        let now = cs.now();
        let s = &priced.sum;
        let values = (
            rec::name.eq(&name),
            rec::months.eq(months),
            rec::anchor_date.eq(anchor),
            rec::end_date.eq(end),
            rec::next_period.eq(next_period),
            rec::active.eq(input.active),
            rec::notes.eq(notes),
            rec::subtotal.eq(s.subtotal),
            rec::discount.eq(s.discount),
            rec::tax.eq(s.tax),
            rec::total.eq(s.total),
            rec::updated_at.eq(now),
        );
        let (tid, action) = match &old {
            Some(t) => {
                diesel::update(crate::of_client!(rec, cs).filter(rec::id.eq(t.id)))
                    .set(values)
                    .execute(conn)?;
                (t.id, "update")
            }
            None => {
                let id = diesel::insert_into(rec::table)
                    .values((
                        values,
                        rec::tenant_id.eq(cs.tenant_id()),
                        rec::client_id.eq(cs.client_id()),
                        rec::currency.eq(currency.code),
                        rec::created_at.eq(now),
                    ))
                    .returning(rec::id)
                    .get_result(conn)?;
                (id, "create")
            }
        };
        lines::store(conn, cs.tenant(), Doc::Recurring(tid), &priced)?;
        let changes = json!({ "months": months, "first": anchor.to_string(), "total": currency.format(s.total) });
        let entry = audit::Entry::of_record(cid, TABLE, tid, action, changes)
            .titled(format!("recurring invoice {name}"));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(RecordId(tid)))
    })
}

/// Invoices every period of the template dated today or earlier and not yet invoiced
/// (at most `MAX_CATCH_UP`), each sent on its period's date. Returns the references
/// made (empty when nothing was due: running it again changes nothing).
pub fn generate(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    today: NaiveDate,
) -> AppResult<Result<Vec<String>, String>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let t = find(conn, &cs, id.0)?;
        if !t.active {
            return Ok(Err("The template is paused.".into()));
        }
        let currency = t.currency()?;
        let stored = lines::load(conn, cs.tenant(), Doc::Recurring(t.id))?;
        let priced = lines::reprice(&stored, currency)
            .map_err(|e| AppError::Internal(format!("stored template lines: {e:?}")))?;
        let mut made = vec![];
        let mut n = t.next_period;
        while let Some(on) = t.period_date(n).filter(|d| *d <= today) {
            if made.len() == MAX_CATCH_UP {
                break;
            }
            let notes = t.notes.clone().unwrap_or_default();
            let origin = Origin {
                quote: None,
                recurring: Some((t.id, n)),
            };
            let iid = invoices::insert_draft(conn, &cs, currency, &priced, &notes, origin)?;
            let reference = invoices::issue(conn, &cs, iid, on)?
                .ok_or_else(|| AppError::Internal("a new draft was not a draft".into()))?;
            let changes = json!({ "number": reference, "recurring": t.id });
            let entry = audit::Entry::of_record(cid, invoices::TABLE, iid, "send", changes)
                .titled(format!("invoice {reference}"));
            audit::record(conn, &who.actor, entry)?;
            made.push(reference);
            n += 1;
        }
        if made.is_empty() {
            return Ok(Ok(made));
        }
        // Guarded: a concurrent run that got here first makes this one roll back.
        let moved = diesel::update(
            crate::of_client!(rec, cs)
                .filter(rec::id.eq(t.id))
                .filter(rec::next_period.eq(t.next_period)),
        )
        .set(rec::next_period.eq(n))
        .execute(conn)?;
        if moved == 0 {
            return Err(AppError::Conflict(
                "The template was invoiced meanwhile.".into(),
            ));
        }
        let changes = json!({ "invoices": made, "periods": [t.next_period, n - 1] });
        let entry = audit::Entry::of_record(cid, TABLE, t.id, "generate", changes)
            .titled(format!("recurring invoice {}", t.name));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(made))
    })
}

/// The tenant's active templates (of live clients) with a period due by `today`, as
/// (client, template) for `generate`. A missed period is always invoiced, however long
/// the scheduler was down: it is money owed, not a reminder.
pub fn due(
    conn: &mut AnyConnection,
    tenant: crate::scope::TenantId,
    today: NaiveDate,
) -> QueryResult<Vec<(ClientId, RecordId)>> {
    use crate::schema::clients as c;
    let live: Vec<Template> = crate::of_tenant!(rec, tenant)
        .inner_join(
            c::table.on(c::id
                .eq(rec::client_id)
                .and(c::tenant_id.eq(rec::tenant_id))),
        )
        .filter(rec::active.eq(true))
        .filter(rec::deleted_at.is_null())
        .filter(c::deleted_at.is_null())
        .filter(rec::anchor_date.le(today))
        .order(rec::id)
        .select(Template::as_select())
        .load(conn)?;
    Ok(live
        .into_iter()
        .filter(|t| t.period_date(t.next_period).is_some_and(|d| d <= today))
        .map(|t| (ClientId(t.client_id), RecordId(t.id)))
        .collect())
}
