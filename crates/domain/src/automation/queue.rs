//! The job queue as a tenant's admin sees it: their jobs, newest first, with a failed
//! one's error; a failed or cancelled job can be tried again, a waiting one cancelled.
//! A running job is the worker's until its lease ends.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::error::{AppError, AppResult};
use crate::outbox::job_state::JobState;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::jobs;
use crate::scope::{RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// (value, label) of every state, for the admin's filter: made from the type.
pub const STATES: &[(&str, &str)] = &crate::state_choices!(JobState);

#[derive(Debug, Clone, Queryable)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Job {
    pub fn may_retry(&self) -> bool {
        JobState::RETRIABLE.contains(&self.state)
    }
    pub fn may_cancel(&self) -> bool {
        self.state == JobState::Queued
    }
}

/// The tenant's latest jobs (of one state, or all but finished scheduler rounds),
/// newest first.
pub fn list(conn: &mut AnyConnection, who: &Who, state: &str, limit: i64) -> AppResult<Vec<Job>> {
    require(Perm::new(Area::Admin, Action::View), who.role)?;
    let mut q = jobs::table
        .filter(jobs::tenant_id.eq(who.tenant().get()))
        .into_boxed();
    if let Some(state) = JobState::parse(state) {
        q = q.filter(jobs::state.eq(state));
    } else {
        // The scheduler finishes a round per minute: "all" means all but those.
        q = q.filter(
            jobs::kind
                .ne(crate::outbox::job_kind::JobKind::SchedulerRound)
                .or(jobs::state.ne(JobState::Done)),
        );
    }
    Ok(q.order(jobs::id.desc())
        .limit(limit)
        .select((
            jobs::id,
            jobs::kind,
            jobs::state,
            jobs::attempts,
            jobs::max_attempts,
            jobs::run_at,
            jobs::last_error,
            jobs::created_at,
        ))
        .load(conn)?)
}

/// Counts by state, for the filter's labels.
pub fn counts(conn: &mut AnyConnection, who: &Who) -> AppResult<Vec<(String, i64)>> {
    require(Perm::new(Area::Admin, Action::View), who.role)?;
    Ok(jobs::table
        .filter(jobs::tenant_id.eq(who.tenant().get()))
        .group_by(jobs::state)
        .select((jobs::state, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Queues a failed or cancelled job again with fresh attempts (`retry`), or cancels a
/// waiting one; another tenant's job, or one in the wrong state, is refused.
pub fn change(conn: &mut AnyConnection, who: &Who, id: RecordId, retry: bool) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let mine = jobs::table
            .filter(jobs::tenant_id.eq(who.tenant().get()))
            .filter(jobs::id.eq(id.0));
        let kind: String = mine.select(jobs::kind).first(conn)?;
        let now = who.now();
        let changed = if retry {
            diesel::update(mine.filter(jobs::state.eq_any(JobState::RETRIABLE)))
                .set((
                    jobs::state.eq(JobState::Queued),
                    jobs::attempts.eq(0),
                    jobs::run_at.eq(now),
                    jobs::finished_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?
        } else {
            diesel::update(mine.filter(jobs::state.eq(JobState::Queued)))
                .set((jobs::state.eq("cancelled"), jobs::finished_at.eq(now)))
                .execute(conn)?
        };
        if changed == 0 {
            return Err(AppError::Conflict(if retry {
                "Only a failed or cancelled job can be tried again.".into()
            } else {
                "Only a waiting job can be cancelled.".into()
            }));
        }
        let action = if retry { "retry" } else { "cancel" };
        let entry = audit::Entry::of_tenant("jobs", Some(id.0), action, json!({ "kind": kind }));
        audit::record(conn, &who.actor, entry)?;
        Ok(())
    })
}
