//! The figures billing roles read: balance (what open invoices still owe), overdue,
//! aging by days past due, monthly recurring, paid revenue by month — for one client
//! or across the clients a user may open. Each is one grouped statement whose rows are
//! few whatever the number of invoices (per currency and due date, per currency and
//! period, per currency and payment date); the buckets are made here, so the SQL is the
//! same on both databases. Amounts of different currencies are never added together.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use super::invoices::InvoiceStatus;
use crate::currency::Currency;
use crate::schema::{invoices, payments, recurring_invoices as rec};
use crate::scope::{ClientScope, Viewer};
use mspdesk_platform::db::AnyConnection;

/// The aging buckets, by days past due.
pub const BUCKETS: [&str; 5] = [
    "Current",
    "1–30 days",
    "31–60 days",
    "61–90 days",
    "Over 90 days",
];

/// One currency's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub currency: String,
    pub balance: i64,
    pub overdue: i64,
    /// Owed, by `BUCKETS`.
    pub aging: [i64; 5],
    /// Active recurring templates, per month.
    pub monthly: i64,
}

impl Figures {
    pub fn money(&self, minor: i64) -> String {
        match Currency::of(&self.currency) {
            Some(c) => format!("{} {}", c.format(minor), c.code),
            None => minor.to_string(),
        }
    }
}

/// `SUM` of integer minor units as an integer on both databases: PostgreSQL sums BIGINT
/// into NUMERIC and diesel reads SQLite's NUMERIC through a float, so the sum is cast
/// back (exact: amounts are integers).
pub(crate) fn total_of(
    expr: &'static str,
) -> diesel::expression::SqlLiteral<diesel::sql_types::BigInt> {
    diesel::dsl::sql(&format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)"))
}

fn bucket(due: Option<NaiveDate>, today: NaiveDate) -> usize {
    let late = due.map_or(0, |d| (today - d).num_days());
    match late {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// Which invoices and templates: one client's, or those of every client a viewer sees.
#[derive(Clone, Copy)]
pub enum Of<'a> {
    Client(&'a ClientScope),
    Tenant(&'a Viewer),
}

/// Balance, overdue, aging and monthly recurring, one entry per currency.
pub fn of(conn: &mut AnyConnection, of: Of, today: NaiveDate) -> QueryResult<Vec<Figures>> {
    let mut q = invoices::table
        .filter(invoices::deleted_at.is_null())
        .filter(invoices::status.eq_any(InvoiceStatus::UNPAID))
        .group_by((invoices::currency, invoices::due_date))
        .select((
            invoices::currency,
            invoices::due_date,
            total_of("invoices.total - invoices.paid"),
        ))
        .into_boxed();
    let mut r = rec::table
        .filter(rec::deleted_at.is_null())
        .filter(rec::active.eq(true))
        .filter(rec::end_date.is_null().or(rec::end_date.ge(today)))
        .group_by((rec::currency, rec::months))
        .select((
            rec::currency,
            rec::months,
            total_of("recurring_invoices.total"),
        ))
        .into_boxed();
    match of {
        Of::Client(cs) => {
            q = q
                .filter(invoices::tenant_id.eq(cs.tenant_id()))
                .filter(invoices::client_id.eq(cs.client_id()));
            r = r
                .filter(rec::tenant_id.eq(cs.tenant_id()))
                .filter(rec::client_id.eq(cs.client_id()));
        }
        Of::Tenant(v) => {
            q = crate::only_allowed!(
                q.filter(invoices::tenant_id.eq(v.tenant.get())),
                v,
                invoices::client_id
            );
            r = crate::only_allowed!(
                r.filter(rec::tenant_id.eq(v.tenant.get())),
                v,
                rec::client_id
            );
        }
    }
    let owed: Vec<(String, Option<NaiveDate>, i64)> = q.load(conn)?;
    let recurring: Vec<(String, i32, i64)> = r.load(conn)?;
    let mut by: BTreeMap<String, Figures> = BTreeMap::new();
    fn slot<'a>(by: &'a mut BTreeMap<String, Figures>, c: &str) -> &'a mut Figures {
        by.entry(c.to_string()).or_insert_with(|| Figures {
            currency: c.to_string(),
            ..Figures::default()
        })
    }
    for (c, due, v) in owed {
        let f = slot(&mut by, &c);
        f.balance += v;
        let b = bucket(due, today);
        f.aging[b] += v;
        if b > 0 {
            f.overdue += v;
        }
    }
    for (c, months, total) in recurring {
        let f = slot(&mut by, &c);
        let m = i64::from(months.max(1));
        f.monthly += (total + m / 2) / m;
    }
    Ok(by.into_values().collect())
}

/// One amount per month: (first day of the month, minor units).
pub type Series = Vec<(NaiveDate, i64)>;

/// Paid revenue per month for the last `months` months (oldest first), per currency:
/// (currency, [(first day of month, amount)]).
pub fn revenue(
    conn: &mut AnyConnection,
    v: &Viewer,
    today: NaiveDate,
    months: u32,
) -> QueryResult<Vec<(String, Series)>> {
    let first = month_start(today, months as i32 - 1);
    let q = payments::table
        .inner_join(invoices::table.on(invoices::id.eq(payments::invoice_id)))
        .filter(payments::tenant_id.eq(v.tenant.get()))
        .filter(payments::paid_on.ge(first))
        .group_by((invoices::currency, payments::paid_on))
        .select((
            invoices::currency,
            payments::paid_on,
            total_of("payments.amount"),
        ))
        .into_boxed();
    let rows: Vec<(String, NaiveDate, i64)> =
        crate::only_allowed!(q, v, payments::client_id).load(conn)?;
    let mut by: BTreeMap<String, Series> = BTreeMap::new();
    for (c, day, sum) in rows {
        let series = by.entry(c).or_insert_with(|| {
            (0..months as i32)
                .rev()
                .map(|back| (month_start(today, back), 0))
                .collect()
        });
        let month = NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap_or(day);
        if let Some(slot) = series.iter_mut().find(|(m, _)| *m == month) {
            slot.1 += sum;
        }
    }
    Ok(by.into_iter().collect())
}

/// The first day of the month `back` months before today's.
pub fn month_start(today: NaiveDate, back: i32) -> NaiveDate {
    let total = today.year() * 12 + today.month0() as i32 - back;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today - Duration::days(30 * i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_by_days_past_due() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let ago = |d: i64| Some(today - Duration::days(d));
        let got: Vec<usize> = [
            ago(-5),
            ago(0),
            ago(1),
            ago(30),
            ago(31),
            ago(60),
            ago(61),
            ago(90),
            ago(91),
            None,
        ]
        .into_iter()
        .map(|d| bucket(d, today))
        .collect();
        assert_eq!(got, [0, 0, 1, 1, 2, 2, 3, 3, 4, 0]);
        assert_eq!(
            month_start(today, 0),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert_eq!(
            month_start(today, 11),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
    }
}
