//! Uploaded files waiting for their commit, per tenant: the dry-run page reads one by
//! its id (another tenant's is a 404), the commit and the discard remove it. Batches
//! older than a day are dropped when the next one is made.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{Layout, Spec};
use crate::domain::schema::imports;
use crate::domain::scope::{RecordId, Who};
use crate::domain::tenancy::policy::{require, Action, Area, Perm};
use crate::error::AppResult;
use crate::platform::db::AnyConnection;

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

pub fn layout_key(l: Layout) -> &'static str {
    match l {
        Layout::ItFlow => "itflow",
        Layout::Headers => "headers",
    }
}

/// Keeps an uploaded file for its dry run; returns its id and the stored names of
/// the expired batches removed (their files are the caller's to delete).
pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    stored: &str,
    original: &str,
    spec: &Spec,
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
