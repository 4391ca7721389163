//! What the scheduler tells: an item's expiry crossing a lead time (30, 7 and 1 days
//! before, on the day), and an unpaid invoice some days past its due date. Each
//! (item, date, threshold) is noticed once — the database refuses a second — and a
//! threshold passed while the scheduler was down is noticed when it comes back, so no
//! alert depends on running on one exact day. A renewed item has a new date, so its
//! thresholds start over; archived items, disposed assets and (by setting)
//! auto-renewing ones stay quiet. Notices wait for the tenant's daily digest. These
//! run in the caller's transaction (the scheduler's round of one tenant).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::settings::Schedule;
use crate::schema::{clients, invoices, mspdesk_expiring as v, notices};
use crate::scope::TenantId;
use crate::with_backend;
use mspdesk_platform::db::AnyConnection;

/// How long after its date an expired item is still noticed (a scheduler down for
/// weeks still tells; a tenant importing years-old records is not flooded).
pub const GRACE_DAYS: i64 = 30;

pub const EXPIRY: &str = "expiry";
pub const OVERDUE: &str = "overdue";

/// One notice to write.
struct New<'a> {
    kind: &'a str,
    subject: &'a str,
    subject_id: i64,
    client_id: i64,
    due_on: NaiveDate,
    lead_days: i32,
    name: &'a str,
}

/// Writes a notice unless it exists; whether it was new.
fn notice(
    conn: &mut AnyConnection,
    tenant: TenantId,
    n: &New,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        notices::tenant_id.eq(tenant.get()),
        notices::client_id.eq(n.client_id),
        notices::kind.eq(n.kind),
        notices::subject.eq(n.subject),
        notices::subject_id.eq(n.subject_id),
        notices::due_on.eq(n.due_on),
        notices::lead_days.eq(n.lead_days),
        notices::name.eq(n.name),
        notices::noticed_on.eq(today),
        notices::created_at.eq(now),
    );
    with_backend!(conn, |c| diesel::insert_into(notices::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))
    .map(|n| n == 1)
}

/// The thresholds of an item dated `due_on` crossed by `today`.
pub fn crossed(leads: &[i32], due_on: NaiveDate, today: NaiveDate) -> Vec<i32> {
    if today > due_on + Duration::days(GRACE_DAYS) {
        return vec![];
    }
    leads
        .iter()
        .copied()
        .filter(|l| due_on - Duration::days(i64::from(*l)) <= today)
        .collect()
}

/// Notices every expiry threshold crossed by `today`; returns how many are new.
pub(crate) fn expiries(
    conn: &mut AnyConnection,
    tenant: TenantId,
    s: &Schedule,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let Some(&furthest) = s.leads.first() else {
        return Ok(0);
    };
    type Item = (String, i64, i64, String, NaiveDate);
    let mut q = crate::of_tenant!(v, tenant)
        .filter(v::expires_on.ge(today - Duration::days(GRACE_DAYS)))
        .filter(v::expires_on.le(today + Duration::days(i64::from(furthest))))
        .into_boxed();
    if s.quiet_auto_renew {
        q = q.filter(v::auto_renew.eq(false));
    }
    let items: Vec<Item> = q
        .select((v::t, v::client_id, v::id, v::name, v::expires_on))
        .load(conn)?;
    let mut new = 0;
    for (kind, client_id, id, name, due_on) in &items {
        for lead in crossed(&s.leads, *due_on, today) {
            let n = New {
                kind: EXPIRY,
                subject: kind,
                subject_id: *id,
                client_id: *client_id,
                due_on: *due_on,
                lead_days: lead,
                name,
            };
            new += usize::from(notice(conn, tenant, &n, today, now)?);
        }
    }
    Ok(new)
}

/// Notices every unpaid invoice `days` past its due date (the setting); returns the
/// (client, invoice) of the invoices newly noticed, each to be reminded once.
pub fn overdue(
    conn: &mut AnyConnection,
    tenant: TenantId,
    days: i32,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    let late: Vec<(i64, i64, Option<String>, Option<NaiveDate>)> =
        crate::of_tenant!(invoices, tenant)
            .filter(invoices::deleted_at.is_null())
            .filter(invoices::status.eq_any(crate::finance::invoices::InvoiceStatus::UNPAID))
            .filter(invoices::due_date.le(today - Duration::days(i64::from(days))))
            .filter(invoices::due_date.ge(today - Duration::days(i64::from(days) + GRACE_DAYS)))
            .select((
                invoices::id,
                invoices::client_id,
                invoices::reference,
                invoices::due_date,
            ))
            .load(conn)?;
    let mut new = vec![];
    for (id, client_id, reference, due) in late {
        let Some(due_on) = due else { continue };
        let n = New {
            kind: OVERDUE,
            subject: "invoices",
            subject_id: id,
            client_id,
            due_on,
            lead_days: -days,
            name: reference.as_deref().unwrap_or(""),
        };
        if notice(conn, tenant, &n, today, now)? {
            new.push((client_id, id));
        }
    }
    Ok(new)
}

/// A notice waiting for (or in) a digest.
#[derive(Debug, Clone, Queryable)]
pub struct Notice {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub subject: String,
    pub subject_id: i64,
    pub due_on: NaiveDate,
    pub lead_days: i32,
    pub name: String,
    pub noticed_on: NaiveDate,
    pub client: String,
}

/// The tenant's expiry notices not yet mailed, soonest date first.
pub fn unmailed(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Vec<Notice>> {
    crate::of_tenant!(notices, tenant)
        .inner_join(
            clients::table.on(clients::id
                .eq(notices::client_id)
                .and(clients::tenant_id.eq(notices::tenant_id))),
        )
        .filter(notices::kind.eq(EXPIRY))
        .filter(notices::mailed_at.is_null())
        .order((notices::due_on, notices::subject_id, notices::lead_days))
        .select((
            notices::id,
            notices::client_id,
            notices::kind,
            notices::subject,
            notices::subject_id,
            notices::due_on,
            notices::lead_days,
            notices::name,
            notices::noticed_on,
            clients::name,
        ))
        .load(conn)
}

pub fn mark_mailed(
    conn: &mut AnyConnection,
    tenant: TenantId,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(notices, tenant).filter(notices::id.eq_any(ids)))
        .set(notices::mailed_at.eq(now))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn thresholds_passed_while_down_are_all_crossed_and_old_items_are_not() {
        let leads = [30, 7, 1, 0];
        let due = d("2027-03-10");
        assert_eq!(crossed(&leads, due, d("2027-02-01")), Vec::<i32>::new());
        assert_eq!(crossed(&leads, due, d("2027-02-08")), [30]);
        assert_eq!(crossed(&leads, due, d("2027-03-09")), [30, 7, 1]);
        assert_eq!(crossed(&leads, due, d("2027-03-12")), [30, 7, 1, 0]);
        assert_eq!(crossed(&leads, due, d("2027-04-09")), [30, 7, 1, 0]);
        assert_eq!(crossed(&leads, due, d("2027-04-10")), Vec::<i32>::new());
    }
}
