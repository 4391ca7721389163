//! The scheduler. Every minute a worker plans a round: one job per tenant, keyed by
//! tenant and minute, so any number of workers on any number of nodes queue it once.
//! A tenant's round reads the clock it is given (tests pass theirs) in the tenant's time
//! zone and, in one transaction: opens the tickets of due recurring tickets, invoices
//! due recurring invoices, notices crossed expiry thresholds and overdue invoices, and
//! queues the mail they call for. Everything it does is keyed, so a round run twice, or
//! after a crash, or after days of downtime, does each thing once.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{notices, settings};
use crate::error::{AppError, AppResult};
use crate::finance::recurring as billing;
use crate::outbox::job_kind::JobKind::{Digest, Overdue, SchedulerRound};
use crate::outbox::job_state::JobState;
use crate::outbox::jobs::{self, NewJob};
use crate::scheduling::runs;
use crate::schema::{companies, events, jobs as jobs_table};
use crate::scope::{TenantId, Who};
use mspdesk_platform::clock::Clock;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::vault::Vault;

/// What a round's job carries: the minute it is for.
#[derive(Debug, Serialize, Deserialize)]
pub struct RoundOf {
    pub at: DateTime<Utc>,
}

/// What a digest's job carries: the tenant's day it tells of.
#[derive(Debug, Serialize, Deserialize)]
pub struct DigestOf {
    pub day: NaiveDate,
}

/// What an overdue reminder's job carries.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reminder {
    pub client_id: i64,
    pub invoice: i64,
}

/// How long finished jobs and dispatched events are kept for the admin pages; a
/// finished round (one per tenant and minute) only a day.
const KEEP_DAYS: i64 = 14;
const KEEP_ROUNDS_HOURS: i64 = 24;

/// The minute a round belongs to.
fn slot(now: NaiveDateTime) -> NaiveDateTime {
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
}

/// Queues this minute's round of every tenant (once, whoever asks) and drops old
/// finished jobs and events; returns how many rounds were queued.
pub fn plan(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let minute = slot(now);
    let tenants: Vec<i64> = companies::table
        .select(companies::id)
        .order(companies::id)
        .load(conn)?;
    let mut queued = 0;
    for tenant in tenants {
        let job = NewJob {
            tenant_id: Some(tenant),
            max_attempts: 3,
            ..NewJob::of(
                SchedulerRound,
                &RoundOf {
                    at: minute.and_utc(),
                },
                now,
            )
        }
        .keyed(format!(
            "{SchedulerRound}:{tenant}:{}",
            minute.format("%Y-%m-%dT%H:%M")
        ));
        queued += usize::from(jobs::enqueue(conn, &job, now)?.is_some());
    }
    if minute.minute() == 0 {
        let before = now - Duration::days(KEEP_DAYS);
        diesel::delete(
            jobs_table::table
                .filter(jobs_table::state.eq_any([JobState::Done, JobState::Cancelled]))
                .filter(jobs_table::finished_at.lt(before)),
        )
        .execute(conn)?;
        diesel::delete(
            jobs_table::table
                .filter(jobs_table::kind.eq(SchedulerRound))
                .filter(jobs_table::state.eq(JobState::Done))
                .filter(jobs_table::finished_at.lt(now - Duration::hours(KEEP_ROUNDS_HOURS))),
        )
        .execute(conn)?;
        diesel::delete(events::table.filter(events::dispatched_at.lt(before))).execute(conn)?;
    }
    Ok(queued)
}

/// What one tenant's round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    pub tickets: usize,
    pub invoices: usize,
    pub expiry_notices: usize,
    pub reminders: usize,
}

/// One tenant's round at `now`, in one transaction.
pub fn round(
    conn: &mut AnyConnection,
    vault: &Vault,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> AppResult<Round> {
    let s = settings::load(conn, tenant)?;
    let local = s.local(now);
    let today = local.date();
    let at = now.naive_utc();
    let who = Who::system(tenant, Clock::At(now));
    write_transaction(conn, |conn| {
        let mut r = Round {
            tickets: runs::run_due(conn, vault, &who, local, s.catch_up)?,
            ..Round::default()
        };
        for (cid, id) in billing::due(conn, tenant, today)? {
            match billing::generate(conn, &who, cid, id, today)? {
                Ok(made) => r.invoices += made.len(),
                Err(why) => {
                    return Err(AppError::Internal(format!(
                        "recurring invoice {}: {why}",
                        id.0
                    )))
                }
            }
        }
        r.expiry_notices = notices::expiries(conn, tenant, &s, today, at)?;
        if !notices::unmailed(conn, tenant)?.is_empty() {
            // One digest a day: what is noticed after today's went waits for tomorrow's.
            let job = NewJob {
                tenant_id: Some(tenant.get()),
                ..NewJob::of(Digest, &DigestOf { day: today }, at)
            }
            .keyed(format!("{Digest}:{tenant}:{today}"));
            jobs::enqueue(conn, &job, at)?;
        }
        if let Some(days) = s.overdue_days {
            for (client, invoice) in notices::overdue(conn, tenant, days, today, at)? {
                let payload = Reminder {
                    client_id: client,
                    invoice,
                };
                let job = NewJob {
                    tenant_id: Some(tenant.get()),
                    ..NewJob::of(Overdue, &payload, at)
                }
                .keyed(format!("{Overdue}:{invoice}:{today}"));
                jobs::enqueue(conn, &job, at)?;
                r.reminders += 1;
            }
        }
        Ok(r)
    })
}
