//! Uploaded files waiting for their commit, per tenant, each with its last dry run:
//! the dry-run page reads one by its id (another tenant's is a 404) and shows the
//! report kept with it, the commit and the discard remove it. Batches older than a day
//! are dropped when the next one is made.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{Layout, Report, Spec};
use crate::error::AppResult;
use crate::policy::{require, Action, Area, Perm};
use crate::schema::imports;
use crate::scope::{RecordId, Who};
use mspdesk_platform::db::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports)]
pub struct Batch {
    pub id: i64,
    pub stored_name: String,
    pub original_name: String,
    pub kind: String,
    pub layout: String,
    pub client_name: Option<String>,
    pub created_at: NaiveDateTime,
    /// When its dry run was last kept.
    pub checked_at: Option<NaiveDateTime>,
}

impl Batch {
    pub fn spec(&self) -> Spec {
        Spec {
            kind: self.kind.clone(),
            layout: layout_of(&self.layout),
            client: self.client_name.clone(),
        }
    }
}

pub fn layout_of(s: &str) -> Layout {
    if s == "itflow" {
        Layout::ItFlow
    } else {
        Layout::Headers
    }
}

pub(crate) fn layout_key(l: Layout) -> &'static str {
    match l {
        Layout::ItFlow => "itflow",
        Layout::Headers => "headers",
    }
}

/// Keeps an uploaded file with its dry run (without one, the page makes it when it is
/// first shown); returns its id and the stored names of
/// the expired batches removed (their files are the caller's to delete).
pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    (stored, original): (&str, &str),
    spec: &Spec,
    report: Option<&Report>,
    now: NaiveDateTime,
) -> AppResult<(RecordId, Vec<String>)> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let expired: Vec<String> = crate::of_tenant!(imports, who.tenant())
        .filter(imports::created_at.lt(now - Duration::days(1)))
        .select(imports::stored_name)
        .load(conn)?;
    diesel::delete(
        crate::of_tenant!(imports, who.tenant())
            .filter(imports::created_at.lt(now - Duration::days(1))),
    )
    .execute(conn)?;
    let id = diesel::insert_into(imports::table)
        .values((
            imports::tenant_id.eq(who.tenant().get()),
            imports::user_id.eq(who.user_id),
            imports::stored_name.eq(stored),
            imports::original_name.eq(original),
            imports::kind.eq(&spec.kind),
            imports::layout.eq(layout_key(spec.layout)),
            imports::client_name.eq(spec.client.as_deref()),
            imports::created_at.eq(now),
            imports::report.eq(report.map(stored_form).transpose()?),
            imports::checked_at.eq(report.map(|_| now)),
        ))
        .returning(imports::id)
        .get_result(conn)?;
    Ok((RecordId(id), expired))
}

pub fn find(conn: &mut AnyConnection, who: &Who, id: RecordId) -> AppResult<Batch> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    Ok(crate::of_tenant!(imports, who.tenant())
        .filter(imports::id.eq(id.0))
        .select(Batch::as_select())
        .first(conn)?)
}

/// A batch's kept dry run (none for a batch made before reports were kept, or whose
/// report no longer reads).
pub fn report(conn: &mut AnyConnection, who: &Who, id: RecordId) -> AppResult<Option<Report>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let text: Option<String> = crate::of_tenant!(imports, who.tenant())
        .filter(imports::id.eq(id.0))
        .select(imports::report)
        .first(conn)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Keeps a new dry run of the batch.
pub fn keep_report(
    conn: &mut AnyConnection,
    who: &Who,
    id: RecordId,
    report: &Report,
    now: NaiveDateTime,
) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    diesel::update(crate::of_tenant!(imports, who.tenant()).filter(imports::id.eq(id.0)))
        .set((
            imports::report.eq(stored_form(report)?),
            imports::checked_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn stored_form(report: &Report) -> AppResult<String> {
    serde_json::to_string(report).map_err(|e| crate::error::AppError::Internal(e.to_string()))
}

pub fn list(conn: &mut AnyConnection, who: &Who) -> AppResult<Vec<Batch>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    Ok(crate::of_tenant!(imports, who.tenant())
        .order(imports::id.desc())
        .limit(20)
        .select(Batch::as_select())
        .load(conn)?)
}

/// Removes a batch; returns its stored file name.
pub fn remove(conn: &mut AnyConnection, who: &Who, id: RecordId) -> AppResult<String> {
    let batch = find(conn, who, id)?;
    diesel::delete(crate::of_tenant!(imports, who.tenant()).filter(imports::id.eq(id.0)))
        .execute(conn)?;
    Ok(batch.stored_name)
}
