//! A client's unbilled work: billable ticket time (minutes × the client's hourly rate),
//! billable trips (their cost) and billable expenses in the client's currency that no
//! invoice holds yet. Billing them makes one draft invoice and marks each item with it,
//! guarded in the UPDATE (`invoice_id IS NULL`), so an item is billed once even when
//! two accountants press the button together. Voiding the invoice frees its items.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::invoices::{self, Origin, TABLE};
use super::lines::{self, LineInput};
use crate::audit;
use crate::clients;
use crate::currency::Currency;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Area, Perm};
use crate::schema::{
    client_expenses, client_trips, clients as clients_table, ticket_replies, tickets,
};
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Time,
    Trip,
    Expense,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Time => "time",
            Kind::Trip => "trip",
            Kind::Expense => "expense",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Time, Kind::Trip, Kind::Expense]
            .into_iter()
            .find(|k| k.key() == s)
    }
}

/// One billable item, priced in the client's currency.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    pub id: i64,
    pub date: NaiveDate,
    pub description: String,
    /// Minor units of the client's currency.
    pub amount: i64,
}

impl Item {
    /// The key a form uses for it (`time-12`).
    pub fn key(&self) -> String {
        format!("{}-{}", self.kind.key(), self.id)
    }
}

/// `value / per` of a non-negative value, rounded half-up: the rule of `totals`.
fn div_half_up(value: i128, per: i128) -> i64 {
    i64::try_from((value + per / 2) / per).unwrap_or(i64::MAX)
}

/// An amount in hundredths (rates and trip costs) in minor units of `c`.
fn from_cents(cents: i128, c: Currency) -> i64 {
    div_half_up(cents * 10i128.pow(u32::from(c.minor)), 100)
}

/// Ticket time, trips and expenses not yet billed, oldest first within each kind.
pub fn list(conn: &mut AnyConnection, cs: &ClientScope) -> AppResult<Vec<Item>> {
    let (currency, _) = invoices::terms(conn, cs)?;
    let rate: i64 = crate::of_tenant!(clients_table, cs.tenant())
        .filter(clients_table::id.eq(cs.client_id()))
        .select(clients_table::hourly_rate)
        .first(conn)?;
    let mut items = vec![];
    let time: Vec<(i64, chrono::NaiveDateTime, i32, Option<String>, String)> =
        crate::of_client!(ticket_replies, cs)
            .inner_join(tickets::table.on(tickets::id.eq(ticket_replies::ticket_id)))
            .filter(tickets::deleted_at.is_null())
            .filter(ticket_replies::billable)
            .filter(ticket_replies::minutes.gt(0))
            .filter(ticket_replies::invoice_id.is_null())
            .order(ticket_replies::id)
            .select((
                ticket_replies::id,
                ticket_replies::created_at,
                ticket_replies::minutes,
                tickets::reference,
                tickets::subject,
            ))
            .load(conn)?;
    for (id, at, minutes, reference, subject) in time {
        let hours_cents = i128::from(minutes) * i128::from(rate);
        items.push(Item {
            kind: Kind::Time,
            id,
            date: at.date(),
            description: format!(
                "{} {subject}: {minutes} min at {}/h",
                reference.unwrap_or_default(),
                currency.format(from_cents(i128::from(rate), currency))
            ),
            amount: div_half_up(hours_cents * 10i128.pow(u32::from(currency.minor)), 6000),
        });
    }
    let trips: Vec<(i64, NaiveDate, String, i64)> = crate::of_client!(client_trips, cs)
        .filter(client_trips::deleted_at.is_null())
        .filter(client_trips::billable)
        .filter(client_trips::invoice_id.is_null())
        .order(client_trips::start_date)
        .select((
            client_trips::id,
            client_trips::start_date,
            client_trips::purpose,
            client_trips::total_cost,
        ))
        .load(conn)?;
    items.extend(trips.into_iter().map(|(id, date, purpose, cost)| Item {
        kind: Kind::Trip,
        id,
        date,
        description: format!("Trip {date}: {purpose}"),
        amount: from_cents(i128::from(cost), currency),
    }));
    let expenses: Vec<(i64, NaiveDate, String, Option<String>, i64)> =
        crate::of_client!(client_expenses, cs)
            .filter(client_expenses::deleted_at.is_null())
            .filter(client_expenses::billable)
            .filter(client_expenses::invoice_id.is_null())
            .filter(client_expenses::currency.eq(currency.code))
            .order(client_expenses::spent_on)
            .select((
                client_expenses::id,
                client_expenses::spent_on,
                client_expenses::vendor,
                client_expenses::category,
                client_expenses::amount,
            ))
            .load(conn)?;
    items.extend(
        expenses
            .into_iter()
            .map(|(id, date, vendor, category, thousandths)| Item {
                kind: Kind::Expense,
                id,
                date,
                description: match category {
                    Some(c) => format!("Expense {date}: {vendor} ({c})"),
                    None => format!("Expense {date}: {vendor}"),
                },
                amount: div_half_up(
                    i128::from(thousandths) * 10i128.pow(u32::from(currency.minor)),
                    1000,
                ),
            }),
    );
    Ok(items)
}

/// Marks the chosen items of one kind as billed on `invoice`; returns how many it took
/// (fewer than asked when another request billed some meanwhile).
fn claim(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    kind: Kind,
    ids: &[i64],
    invoice: i64,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    match kind {
        Kind::Time => diesel::update(
            crate::of_client!(ticket_replies, cs)
                .filter(ticket_replies::id.eq_any(ids))
                .filter(ticket_replies::invoice_id.is_null()),
        )
        .set(ticket_replies::invoice_id.eq(invoice))
        .execute(conn),
        Kind::Trip => diesel::update(
            crate::of_client!(client_trips, cs)
                .filter(client_trips::id.eq_any(ids))
                .filter(client_trips::invoice_id.is_null()),
        )
        .set(client_trips::invoice_id.eq(invoice))
        .execute(conn),
        Kind::Expense => diesel::update(
            crate::of_client!(client_expenses, cs)
                .filter(client_expenses::id.eq_any(ids))
                .filter(client_expenses::invoice_id.is_null()),
        )
        .set(client_expenses::invoice_id.eq(invoice))
        .execute(conn),
    }
}

/// Turns the chosen items (`time-12`, `trip-3`, …) into one draft invoice, each item a
/// line at its price. Returns the draft, or why not.
pub fn bill(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    chosen: &[String],
) -> AppResult<Result<RecordId, String>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let (currency, _) = invoices::terms(conn, &cs)?;
        let open = list(conn, &cs)?;
        let picked: Vec<&Item> = open.iter().filter(|i| chosen.contains(&i.key())).collect();
        if picked.is_empty() {
            return Ok(Err("Choose the work to bill.".into()));
        }
        if picked.len() != chosen.len() {
            return Ok(Err(
                "Some of the chosen items are billed already; the list is up to date now.".into(),
            ));
        }
        let input: Vec<LineInput> = picked
            .iter()
            .map(|i| LineInput {
                description: i.description.clone(),
                quantity: "1".into(),
                unit_price: currency.format(i.amount),
                ..LineInput::default()
            })
            .collect();
        let priced =
            lines::price(&input, currency).map_err(|e| AppError::BadRequest(e.join(" ")))?;
        let id = invoices::insert_draft(conn, &cs, currency, &priced, "", Origin::default())?;
        for kind in [Kind::Time, Kind::Trip, Kind::Expense] {
            let ids: Vec<i64> = picked
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.id)
                .collect();
            if claim(conn, &cs, kind, &ids, id)? != ids.len() {
                // Another request billed some of them after this one read the list:
                // the whole draft rolls back.
                return Err(AppError::Conflict(
                    "Some of the chosen items were billed meanwhile.".into(),
                ));
            }
        }
        let changes = json!({ "items": picked.len(), "total": currency.format(priced.sum.total) });
        let entry = audit::Entry::of_record(cid, TABLE, id, "bill work", changes).titled(format!(
            "draft invoice {} {}",
            currency.format(priced.sum.total),
            currency.code
        ));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(RecordId(id)))
    })
}

/// Frees the items an invoice billed (the invoice was voided or discarded).
pub fn release(conn: &mut AnyConnection, cs: &ClientScope, invoice: i64) -> QueryResult<()> {
    diesel::update(
        crate::of_client!(ticket_replies, cs).filter(ticket_replies::invoice_id.eq(invoice)),
    )
    .set(ticket_replies::invoice_id.eq(None::<i64>))
    .execute(conn)?;
    diesel::update(
        crate::of_client!(client_trips, cs).filter(client_trips::invoice_id.eq(invoice)),
    )
    .set(client_trips::invoice_id.eq(None::<i64>))
    .execute(conn)?;
    diesel::update(
        crate::of_client!(client_expenses, cs).filter(client_expenses::invoice_id.eq(invoice)),
    )
    .set(client_expenses::invoice_id.eq(None::<i64>))
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_and_costs_round_half_up_to_the_minor_unit() {
        let usd = Currency::of("USD").unwrap();
        let jpy = Currency::of("JPY").unwrap();
        let bhd = Currency::of("BHD").unwrap();
        // 25 min at 95.00/h = 39.5833… → 39.58; 18 min → 28.50 exactly.
        assert_eq!(div_half_up(25 * 9500 * 100, 6000), 3958);
        assert_eq!(div_half_up(18 * 9500 * 100, 6000), 2850);
        // 0.5 yen rounds up; 12.345 USD trip cost in cents is already exact.
        assert_eq!(from_cents(50, jpy), 1);
        assert_eq!(from_cents(1234, usd), 1234);
        assert_eq!(from_cents(1234, bhd), 12340);
    }
}
