//! What each kind of job does. A handler runs inside the transaction that completes
//! its job (`jobs::run_once`): its database effect commits with the completion or not
//! at all.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::jobs::Claimed;
use super::scheduler;
use crate::domain::scope::TenantId;
use crate::platform::db::AnyConnection;
use crate::platform::vault::Vault;

/// What handlers need besides the database.
#[derive(Clone)]
pub struct Context {
    pub vault: Arc<Vault>,
}

/// The domain events that queue work: (event kind, job kind).
pub const SUBSCRIBERS: &[(&str, &str)] = &[];

/// Runs one job; the error is what the jobs page shows.
pub fn handle(
    ctx: &Context,
    conn: &mut AnyConnection,
    job: &Claimed,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let tenant = || {
        job.tenant_id
            .map(TenantId::trusted)
            .ok_or_else(|| format!("job {} has no tenant", job.id))
    };
    match job.kind.as_str() {
        scheduler::ROUND => scheduler::round(conn, &ctx.vault, tenant()?, now)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        other => Err(format!("no handler for jobs of kind {other:?}")),
    }
}
