//! The demo's automation: the scheduler settings a US MSP would pick, then one real
//! scheduler round and the jobs it queues — so the demo opens with recurring tickets
//! made by their schedules, expiry notices in the bell and a digest, overdue reminders
//! and ticket mail waiting in the outbox (no SMTP server is configured by `make run`).
//! The bulk history loaded before is settled first: it is not news to mail about.

use std::sync::Arc;

use chrono::{Duration, Utc};

use crate::domain::automation::scheduler;
use crate::domain::automation::settings::{self, ScheduleInput};
use crate::domain::outbox::events;
use crate::domain::outbox::jobs::{self, Turn};
use crate::domain::scope::{TenantId, Who};
use crate::error::AppError;
use crate::ops::handlers::{Context, Jobs, SUBSCRIBERS};
use crate::platform::db::AnyConnection;
use crate::platform::vault::Vault;

fn db(e: AppError) -> diesel::result::Error {
    match e {
        AppError::Db(e) => e,
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

pub fn run(conn: &mut AnyConnection, tenant: TenantId, vault: &Vault) -> diesel::QueryResult<()> {
    let now = Utc::now();
    let system = Who::system(tenant, crate::platform::clock::Clock::At(now));
    let input = ScheduleInput {
        time_zone: "America/Los_Angeles".into(),
        catch_up: "all".into(),
        leads: "30, 7, 1, 0".into(),
        quiet_auto_renew: Some("on".into()),
        overdue_days: "7".into(),
        sender_name: "Demo MSP Service Desk".into(),
        reply_to: "help@demo.test".into(),
    };
    settings::save(conn, &system, &input)
        .map_err(db)?
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.join(" ").into()))?;
    events::settle(conn, now.naive_utc())?;
    scheduler::round(conn, vault, tenant, now).map_err(db)?;
    events::dispatch(conn, SUBSCRIBERS, now.naive_utc()).map_err(db)?;
    let ctx = Context {
        vault: Arc::new(vault.clone()),
        mailer: None,
        backup: None,
        print_invoice: crate::web::finance::invoices::printable,
    };
    let handler = Jobs { ctx: &ctx, now };
    for _ in 0..1_000 {
        match jobs::run_once(
            conn,
            "demo",
            now.naive_utc(),
            Duration::minutes(5),
            &handler,
        )
        .map_err(db)?
        {
            Turn::Idle => break,
            Turn::Done(_) | Turn::Failed(..) => {}
        }
    }
    Ok(())
}
