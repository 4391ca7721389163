//! Recurring tickets coming due: each run opens a ticket (through the tickets' own
//! write path) that records its template and run, and the template moves on — in one
//! transaction, so a crash leaves either both or neither. Runs are counted from the
//! anchor (`nth_run`), never from the previous run, so the 31st comes back after April.
//! One ticket per (template, run) is also the database's rule (a unique index): two
//! schedulers at once make one ticket, the other rolls back.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::recurring::{Recurring, RecurringTickets, TicketTemplate};
use super::schedule::nth_run;
use crate::audit;
use crate::clients;
use crate::error::{AppError, AppResult};
use crate::forms::FormInput;
use crate::resource::service;
use crate::schema::{client_recurring_tickets as rt, clients as c, tickets};
use crate::scope::{ClientId, ClientScope, RecordId, TenantId, Who};
use crate::service_desk::tickets::Tickets;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::vault::Vault;

/// After downtime, a recurring ticket opens every missed run or only the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    All,
    Latest,
}

impl CatchUp {
    /// The stored and submitted spelling.
    pub fn key(self) -> &'static str {
        match self {
            CatchUp::All => "all",
            CatchUp::Latest => "latest",
        }
    }
    pub(crate) fn parse(key: &str) -> Option<CatchUp> {
        [CatchUp::All, CatchUp::Latest]
            .into_iter()
            .find(|c| c.key() == key)
    }
}

/// The most runs one template catches up in one round (the next round goes on).
const MAX_RUNS: u32 = 100;

/// A due template: id, client, schedule and where it stands.
type DueRow = (i64, i64, String, NaiveDateTime, Option<NaiveDateTime>, i32);

/// The live templates of live clients whose next run is due at `local_now`.
fn due(
    conn: &mut AnyConnection,
    tenant: TenantId,
    local_now: NaiveDateTime,
) -> QueryResult<Vec<DueRow>> {
    rt::table
        .inner_join(c::table.on(c::id.eq(rt::client_id).and(c::tenant_id.eq(rt::tenant_id))))
        .filter(rt::tenant_id.eq(tenant.get()))
        .filter(rt::active.eq(true))
        .filter(rt::deleted_at.is_null())
        .filter(c::deleted_at.is_null())
        .filter(rt::next_run_date.le(local_now))
        .order(rt::id)
        .select((
            rt::id,
            rt::client_id,
            rt::frequency,
            rt::next_run_date,
            rt::anchor_at,
            rt::run_index,
        ))
        .load(conn)
}

/// Where a schedule stands: its anchor and the index of `next`. A schedule whose next
/// run is not on its anchor's track was re-dated (or its frequency changed) in the
/// form: it starts again from the date shown.
fn track(
    freq: &str,
    next: NaiveDateTime,
    anchor: Option<NaiveDateTime>,
    index: i32,
) -> (NaiveDateTime, u32) {
    match anchor {
        Some(a) if index >= 0 && nth_run(a, freq, index as u32) == Some(next) => (a, index as u32),
        _ => (next, 0),
    }
}

/// The runs due at `local_now` from index `from`: (index, date), at most `MAX_RUNS`.
pub(crate) fn due_runs(
    anchor: NaiveDateTime,
    freq: &str,
    from: u32,
    local_now: NaiveDateTime,
) -> Vec<(u32, NaiveDateTime)> {
    (from..from + MAX_RUNS)
        .map_while(|i| {
            nth_run(anchor, freq, i)
                .filter(|d| *d <= local_now)
                .map(|d| (i, d))
        })
        .collect()
}

/// Opens the tickets of every due run of the tenant's templates; returns the tickets
/// made. Each template in a transaction of its own.
pub(crate) fn run_due(
    conn: &mut AnyConnection,
    vault: &Vault,
    who: &Who,
    local_now: NaiveDateTime,
    catch_up: CatchUp,
) -> AppResult<usize> {
    let mut made = 0;
    for row in due(conn, who.tenant(), local_now)? {
        made += run_template(conn, vault, who, row, local_now, catch_up)?;
    }
    Ok(made)
}

fn run_template(
    conn: &mut AnyConnection,
    vault: &Vault,
    who: &Who,
    (id, cid, freq, next, anchor, index): DueRow,
    local_now: NaiveDateTime,
    catch_up: CatchUp,
) -> AppResult<usize> {
    let (anchor, from) = track(&freq, next, anchor, index);
    let runs = due_runs(anchor, &freq, from, local_now);
    let Some(&(last, _)) = runs.last() else {
        return Ok(0);
    };
    let open: Vec<NaiveDateTime> = match catch_up {
        CatchUp::All => runs.iter().map(|r| r.1).collect(),
        CatchUp::Latest => runs.last().map(|r| r.1).into_iter().collect(),
    };
    let cid = ClientId(cid);
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let t = <RecurringTickets as crate::resource::Resource>::find(conn, &cs, id)?;
        let mut made = vec![];
        for run in &open {
            if let Some(ticket) = open_run(conn, vault, who, &cs, &t, *run)? {
                made.push(ticket);
            }
        }
        let Some(after) = nth_run(anchor, &freq, last + 1) else {
            return Err(AppError::Internal(format!(
                "recurring ticket {id}: no run after {last}"
            )));
        };
        // Guarded: a scheduler that moved it meanwhile makes this one roll back.
        let moved = diesel::update(
            crate::of_client!(rt, cs)
                .filter(rt::id.eq(id))
                .filter(rt::next_run_date.eq(next)),
        )
        .set((
            rt::anchor_at.eq(anchor),
            rt::run_index.eq(last as i32 + 1),
            rt::next_run_date.eq(after),
            rt::last_run_date.eq(runs.last().map(|r| r.1)),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(AppError::Conflict(
                "the recurring ticket ran meanwhile".into(),
            ));
        }
        let changes = json!({
            "runs": runs.iter().map(|r| r.1.to_string()).collect::<Vec<_>>(),
            "tickets": made.len(),
            "next": after.to_string(),
        });
        let entry = audit::Entry::of_record(cid, "client_recurring_tickets", id, "run", changes)
            .titled(t.data.name.clone());
        audit::record(conn, &who.actor, entry)?;
        Ok(made.len())
    })
}

/// The ticket of one run, unless it exists already: subject, priority, description
/// and technician from the template (without the technician when they cannot take it,
/// e.g. deactivated since).
fn open_run(
    conn: &mut AnyConnection,
    vault: &Vault,
    who: &Who,
    cs: &ClientScope,
    t: &Recurring,
    run: NaiveDateTime,
) -> AppResult<Option<i64>> {
    let exists = crate::of_client!(tickets, cs)
        .filter(tickets::recurring_ticket_id.eq(t.id))
        .filter(tickets::recurring_run_at.eq(run))
        .count()
        .get_result::<i64>(conn)?;
    if exists > 0 {
        return Ok(None);
    }
    let template: TicketTemplate = serde_json::from_str(&t.data.template_data).unwrap_or_default();
    let mut input = FormInput::default();
    input.set("subject", template.subject.clone());
    input.set("priority", template.priority.clone());
    input.set("details", t.data.description.clone().unwrap_or_default());
    if let Some(tech) = template.assignee_id {
        input.set("assignee_id", tech.to_string());
    }
    let cid = ClientId(cs.client_id());
    let saved = match service::save::<Tickets>(conn, who, vault, cid, None, input.clone())? {
        Ok(id) => id,
        Err(_) if template.assignee_id.is_some() => {
            input.set("assignee_id", "");
            service::save::<Tickets>(conn, who, vault, cid, None, input)?
                .map_err(|e| invalid(t, &e.errors))?
        }
        Err(e) => return Err(invalid(t, &e.errors)),
    };
    let RecordId(ticket) = saved;
    diesel::update(crate::of_client!(tickets, cs).filter(tickets::id.eq(ticket)))
        .set((
            tickets::recurring_ticket_id.eq(t.id),
            tickets::recurring_run_at.eq(run),
        ))
        .execute(conn)?;
    Ok(Some(ticket))
}

fn invalid(t: &Recurring, errors: &crate::forms::Errors) -> AppError {
    AppError::Internal(format!(
        "recurring ticket {:?} cannot open its ticket: {errors:?}",
        t.data.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    #[test]
    fn a_monthly_run_on_the_31st_comes_back_after_april() {
        let runs = due_runs(at(2027, 1, 31), "monthly", 0, at(2027, 6, 1));
        let days: Vec<String> = runs.iter().map(|r| r.1.date().to_string()).collect();
        assert_eq!(
            days,
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
        );
    }

    #[test]
    fn a_redated_schedule_starts_from_the_date_shown() {
        let anchor = at(2027, 1, 31);
        assert_eq!(
            track("monthly", at(2027, 4, 30), Some(anchor), 3),
            (anchor, 3)
        );
        assert_eq!(
            track("monthly", at(2027, 4, 15), Some(anchor), 3),
            (at(2027, 4, 15), 0)
        );
        assert_eq!(
            track("weekly", at(2027, 4, 30), Some(anchor), 3),
            (at(2027, 4, 30), 0)
        );
    }
}
