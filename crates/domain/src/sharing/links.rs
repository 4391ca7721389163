//! Secure share links: a credential or a document handed to an outsider through a
//! secret URL that expires (30 minutes to 30 days), works for one view or a few, may
//! ask for a passphrase, and can be revoked. The link holds no copy of the item: the
//! secret is decrypted from the record at view time, so a link that has run out opens
//! nothing. Only the token's hash and the passphrase's argon2 hash are kept; making a
//! link and every view are audited with time and address.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::clients;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Area, Perm};
use crate::resource::{secret_fields, Resource};
use crate::schema::share_links as s;
use crate::scope::{ClientId, RecordId, TenantId, Who};
use crate::tenancy::{password, tenants};
use mspdesk_platform::db::{write_transaction, AnyConnection};
use mspdesk_platform::keys::{random_token, token_hash};

/// The lifetimes a link may have, in minutes, with their labels.
pub const LIFETIMES: [(i64, &str); 5] = [
    (30, "30 minutes"),
    (60 * 24, "1 day"),
    (60 * 24 * 3, "3 days"),
    (60 * 24 * 7, "7 days"),
    (60 * 24 * 30, "30 days"),
];
/// The most views a link may allow.
pub const MAX_VIEWS: i32 = 20;
/// Wrong passphrases that end a link.
const MAX_FAILURES: i32 = 10;

/// A new link as the share form gives it.
#[derive(Debug, Clone)]
pub struct NewShare {
    pub minutes: i64,
    pub views: i32,
    pub passphrase: String,
}

impl NewShare {
    fn problem(&self) -> Option<&'static str> {
        if !LIFETIMES.iter().any(|(m, _)| *m == self.minutes) {
            return Some("Expires: choose one of the offered lifetimes.");
        }
        if !(1..=MAX_VIEWS).contains(&self.views) {
            return Some("Views: from 1 to 20.");
        }
        if self.passphrase.chars().count() > 200 {
            return Some("Passphrase: at most 200 characters.");
        }
        None
    }
}

/// What sharing an item of kind `R` needs: revealing it for items with secrets,
/// editing for the rest.
pub fn needed<R: Resource>() -> Perm {
    let action = if secret_fields::<R>().next().is_some() {
        Action::Reveal
    } else {
        Action::Edit
    };
    Perm::new(R::AREA, action)
}

/// Makes a link to one record; returns the token (shown once) or the form's message.
pub fn create<R: Resource>(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    new: &NewShare,
    now: NaiveDateTime,
) -> AppResult<Result<String, &'static str>> {
    require(needed::<R>(), who.role)?;
    let phrase = new.passphrase.trim();
    // Hashed before the transaction opens (SQLite has one writer); an overlong one is
    // refused below, so only a bounded text is hashed.
    let phrase_hash =
        (!phrase.is_empty() && phrase.chars().count() <= 200).then(|| password::hash(phrase));
    write_transaction(conn, |conn| {
        // Another tenant's client or record is a 404 before anything is written.
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let row = R::find(conn, &cs, id.0)?;
        if let Some(problem) = new.problem() {
            return Ok(Err(problem));
        }
        if R::archived(&row) {
            return Ok(Err("An archived item cannot be shared."));
        }
        let token = random_token(32);
        diesel::insert_into(s::table)
            .values((
                s::tenant_id.eq(who.tenant().get()),
                s::client_id.eq(cid.0),
                s::kind.eq(R::SLUG),
                s::record_id.eq(id.0),
                s::token_hash.eq(token_hash(&token)),
                s::passphrase_hash.eq(&phrase_hash),
                s::max_views.eq(new.views),
                s::expires_at.eq(now + Duration::minutes(new.minutes)),
                s::created_by.eq(who.user_id),
                s::created_at.eq(now),
            ))
            .execute(conn)?;
        let changes = json!({
            "expires_in_minutes": new.minutes, "views": new.views,
            "passphrase": phrase_hash.is_some(),
        });
        let entry = audit::Entry::of_record(cid, R::TABLE, id.0, "share_link", changes)
            .titled(R::title(&row));
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(token))
    })
}

/// A live link: what it opens.
#[derive(Debug, Clone, Queryable)]
pub struct Live {
    pub id: i64,
    pub tenant_id: i64,
    pub client_id: i64,
    pub kind: String,
    pub record_id: i64,
    pub passphrase_hash: Option<String>,
    pub views: i32,
    pub max_views: i32,
    pub expires_at: NaiveDateTime,
}

/// The link of `token` if it still opens: not revoked, not expired, views left.
pub fn find(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Live>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let link: Option<Live> = s::table
        .filter(s::token_hash.eq(token_hash(token)))
        .filter(s::revoked_at.is_null())
        .filter(s::expires_at.gt(now))
        .filter(s::views.lt(s::max_views))
        .select((
            s::id,
            s::tenant_id,
            s::client_id,
            s::kind,
            s::record_id,
            s::passphrase_hash,
            s::views,
            s::max_views,
            s::expires_at,
        ))
        .load(conn)
        .map(mspdesk_platform::db::only)?;
    match link {
        Some(l) if tenants::serves(conn, TenantId::trusted(l.tenant_id), &l.kind)? => Ok(Some(l)),
        _ => Ok(None),
    }
}

/// Why a view was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Unknown, expired, used up or revoked: the page is a 404.
    Gone,
    WrongPassphrase,
}

/// Spends one view of the link (the passphrase checked first) and audits it with the
/// viewer's address; `open` then reads the item in the same transaction, so a view is
/// counted exactly when something was shown.
pub fn view<T>(
    conn: &mut AnyConnection,
    token: &str,
    passphrase: &str,
    actor: &Actor,
    now: NaiveDateTime,
    open: impl FnOnce(&mut AnyConnection, &Live) -> AppResult<T>,
) -> AppResult<Result<T, Refused>> {
    let Some(link) = find(conn, token, now)? else {
        return Ok(Err(Refused::Gone));
    };
    if let Some(hash) = &link.passphrase_hash
        && !password::verify(passphrase.trim(), hash)
    {
        // Guessing is cut short: the tenth wrong passphrase ends the link.
        write_transaction(conn, |conn| {
            diesel::update(s::table.find(link.id))
                .set(s::failures.eq(s::failures + 1))
                .execute(conn)?;
            diesel::update(
                s::table
                    .find(link.id)
                    .filter(s::failures.ge(MAX_FAILURES))
                    .filter(s::revoked_at.is_null()),
            )
            .set(s::revoked_at.eq(Some(now)))
            .execute(conn)?;
            Ok(())
        })?;
        return Ok(Err(Refused::WrongPassphrase));
    }
    write_transaction(conn, |conn| {
        // Counted only while views are left: two viewers of a single-view link race
        // for the one view, and one of them gets a 404.
        let spent = diesel::update(
            s::table
                .filter(s::id.eq(link.id))
                .filter(s::views.lt(s::max_views))
                .filter(s::revoked_at.is_null()),
        )
        .set(s::views.eq(s::views + 1))
        .execute(conn)?;
        if spent == 0 {
            return Ok(Err(Refused::Gone));
        }
        let shown = open(conn, &link)?;
        let actor = Actor {
            tenant: Some(TenantId::trusted(link.tenant_id)),
            ..actor.clone()
        };
        let changes = json!({ "link": link.id, "view": link.views + 1, "of": link.max_views });
        let entry = audit::Entry::of_record(
            ClientId(link.client_id),
            "share_links",
            link.id,
            "share_viewed",
            changes,
        );
        audit::record(conn, &actor, entry)?;
        Ok(Ok(shown))
    })
}

/// One link as the admin list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Row {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub record_id: i64,
    pub views: i32,
    pub max_views: i32,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub created_by: i64,
    pub passphrase: bool,
}

/// The tenant's links, newest first.
pub fn list(conn: &mut AnyConnection, who: &Who, limit: i64) -> AppResult<Vec<Row>> {
    require(Perm::new(Area::Admin, Action::View), who.role)?;
    Ok(crate::of_tenant!(s, who.tenant())
        .order(s::id.desc())
        .limit(limit)
        .select((
            s::id,
            s::client_id,
            s::kind,
            s::record_id,
            s::views,
            s::max_views,
            s::expires_at,
            s::revoked_at,
            s::created_at,
            s::created_by,
            s::passphrase_hash.is_not_null(),
        ))
        .load(conn)?)
}

/// Ends a link at once; audited.
pub fn revoke(
    conn: &mut AnyConnection,
    who: &Who,
    id: RecordId,
    now: NaiveDateTime,
) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (client, revoked): (i64, Option<NaiveDateTime>) = crate::of_tenant!(s, who.tenant())
            .filter(s::id.eq(id.0))
            .select((s::client_id, s::revoked_at))
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if revoked.is_none() {
            diesel::update(s::table.find(id.0))
                .set(s::revoked_at.eq(Some(now)))
                .execute(conn)?;
            let entry =
                audit::Entry::of_record(ClientId(client), "share_links", id.0, "revoke", json!({}));
            audit::record(conn, &who.actor, entry)?;
        }
        Ok(())
    })
}
