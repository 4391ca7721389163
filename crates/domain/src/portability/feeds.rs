//! Calendar feeds: a secret URL per tenant or per client that a phone calendar
//! subscribes to without logging in. The token is shown once when the feed is made;
//! only its hash is kept, so a database dump reveals no feed. Revoking one ends it at
//! once (the URL answers 404).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::clients;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Area, Perm};
use crate::resource::Resource;
use crate::scheduling::calendar::{EventData, Events};
use crate::schema::{calendar_feeds as f, client_calendar_events as ev, clients as c};
use crate::scope::{ClientId, RecordId, TenantId, Who};
use crate::tenancy::tenants;
use mspdesk_platform::db::{write_transaction, AnyConnection};

use mspdesk_platform::keys::token_hash as hash;

#[derive(Debug, Clone, Queryable)]
pub struct Feed {
    pub id: i64,
    pub label: String,
    pub client_id: Option<i64>,
    pub client: Option<String>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn list(conn: &mut AnyConnection, who: &Who) -> AppResult<Vec<Feed>> {
    require(Perm::new(Area::Admin, Action::View), who.role)?;
    Ok(crate::of_tenant!(f, who.tenant())
        .left_join(
            c::table.on(c::id
                .nullable()
                .eq(f::client_id)
                .and(c::tenant_id.eq(f::tenant_id))),
        )
        .order(f::id.desc())
        .select((
            f::id,
            f::label,
            f::client_id,
            c::name.nullable(),
            f::created_at,
            f::revoked_at,
        ))
        .load(conn)?)
}

/// Makes a feed of the whole tenant (`client` None) or of one client; returns the
/// token, which is never shown again.
pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    client: Option<ClientId>,
    label: &str,
) -> AppResult<Result<String, String>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let label: String = label.trim().chars().take(100).collect();
    if label.is_empty() {
        return Ok(Err("Name: required, e.g. \"Field team phones\".".into()));
    }
    write_transaction(conn, |conn| {
        let client_id = match client {
            Some(cid) => Some(clients::scoped(conn, who.viewer, cid)?.1.client_id()),
            None => None,
        };
        let token = mspdesk_platform::keys::random_token(24);
        let id: i64 = diesel::insert_into(f::table)
            .values((
                f::tenant_id.eq(who.tenant().get()),
                f::client_id.eq(client_id),
                f::label.eq(&label),
                f::token_hash.eq(hash(&token)),
                f::created_by.eq(who.user_id),
                f::created_at.eq(who.now()),
            ))
            .returning(f::id)
            .get_result(conn)?;
        let entry = audit::Entry::of_tenant(
            "calendar_feeds",
            Some(id),
            "create",
            json!({ "label": label, "client": client_id }),
        );
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(token))
    })
}

pub fn revoke(conn: &mut AnyConnection, who: &Who, id: RecordId) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let n = diesel::update(
            crate::of_tenant!(f, who.tenant())
                .filter(f::id.eq(id.0))
                .filter(f::revoked_at.is_null()),
        )
        .set(f::revoked_at.eq(who.now()))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_tenant("calendar_feeds", Some(id.0), "revoke", json!({})),
        )?;
        Ok(())
    })
}

/// A live feed's tenant, client (if one) and name, by its token, while its tenant is
/// active and keeps the calendar switched on.
pub fn resolve(
    conn: &mut AnyConnection,
    token: &str,
) -> QueryResult<Option<(TenantId, Option<i64>, String)>> {
    let row: Option<(i64, Option<i64>, String)> = f::table
        .filter(f::token_hash.eq(hash(token)))
        .filter(f::revoked_at.is_null())
        .select((f::tenant_id, f::client_id, f::label))
        .first(conn)
        .optional()?;
    let Some((t, cid, label)) = row else {
        return Ok(None);
    };
    let tenant = TenantId::trusted(t);
    Ok(tenants::serves(conn, tenant, Events::SLUG)?.then_some((tenant, cid, label)))
}

/// The events of a feed (one client's, or every live client's), from `since` on.
pub fn events(
    conn: &mut AnyConnection,
    tenant: TenantId,
    client: Option<i64>,
    since: NaiveDateTime,
) -> QueryResult<Vec<(i64, EventData, String)>> {
    let mut q = crate::of_tenant!(ev, tenant)
        .inner_join(c::table.on(c::id.eq(ev::client_id).and(c::tenant_id.eq(ev::tenant_id))))
        .filter(ev::deleted_at.is_null())
        .filter(c::deleted_at.is_null())
        .filter(ev::start_date.ge(since))
        .into_boxed();
    if let Some(cid) = client {
        q = q.filter(ev::client_id.eq(cid));
    }
    q.order((ev::start_date, ev::id))
        .limit(5_000)
        .select((ev::id, EventData::as_select(), c::name))
        .load(conn)
}
