//! In-app notifications (the bell) and each user's choice, per kind, of being told in
//! the app, by mail, both or neither. A kind's default depends on the role (the expiry
//! digest mails admins; everyone sees it in the app). Only users whose role may open
//! what a kind is about are told of it at all.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::error::AppResult;
use crate::policy::Role;
use crate::policy::{allows, Action, Area, Perm};
use crate::schema::{notification_prefs as prefs, notifications as n, users};
use crate::scope::{TenantId, Who};
use crate::with_backend;
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// A kind of notification: its name, what the preferences page calls it, who may get
/// it, and its default (in the app, by mail) for a role.
pub struct Kind {
    pub key: &'static str,
    pub label: &'static str,
    pub area: Area,
    pub default: fn(Role) -> (bool, bool),
}

pub const TICKETS: &str = "tickets";
pub const EXPIRY: &str = "expiry";
pub const INVOICES: &str = "invoices";

pub const KINDS: &[Kind] = &[
    Kind {
        key: TICKETS,
        label: "Tickets assigned to me: new ones and public replies",
        area: Area::Technical,
        default: |_| (true, true),
    },
    Kind {
        key: EXPIRY,
        label: "Daily digest of licenses, certificates, domains, warranties and contracts reaching a notice date",
        area: Area::Documentation,
        default: |role| (true, role == Role::Admin),
    },
    Kind {
        key: INVOICES,
        label: "Overdue reminders sent to clients",
        area: Area::Billing,
        default: |_| (true, false),
    },
];

fn kind(key: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.key == key)
}

/// A user's effective choice for one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub key: &'static str,
    pub label: &'static str,
    pub in_app: bool,
    pub by_mail: bool,
}

/// Someone to tell: user id, e-mail, and how.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub in_app: bool,
    pub by_mail: bool,
}

/// The user's choices for the kinds their role may get.
pub fn choices(conn: &mut AnyConnection, who: &Who) -> QueryResult<Vec<Choice>> {
    let saved: Vec<(String, bool, bool)> = prefs::table
        .filter(prefs::user_id.eq(who.user_id))
        .select((prefs::kind, prefs::in_app, prefs::by_mail))
        .load(conn)?;
    Ok(KINDS
        .iter()
        .filter(|k| allows(Perm::new(k.area, Action::View), who.role))
        .map(|k| {
            let (in_app, by_mail) = saved
                .iter()
                .find(|s| s.0 == k.key)
                .map_or((k.default)(who.role), |s| (s.1, s.2));
            Choice {
                key: k.key,
                label: k.label,
                in_app,
                by_mail,
            }
        })
        .collect())
}

/// Stores the user's choices: `on` lists the `kind:app` and `kind:mail` boxes ticked.
pub fn choose(conn: &mut AnyConnection, who: &Who, on: &[String]) -> AppResult<()> {
    let mine = choices(conn, who)?;
    write_transaction(conn, |conn| {
        diesel::delete(prefs::table.filter(prefs::user_id.eq(who.user_id))).execute(conn)?;
        let rows: Vec<_> = mine
            .iter()
            .map(|c| {
                let ticked = |how: &str| on.iter().any(|o| *o == format!("{}:{how}", c.key));
                (
                    prefs::user_id.eq(who.user_id),
                    prefs::kind.eq(c.key),
                    prefs::in_app.eq(ticked("app")),
                    prefs::by_mail.eq(ticked("mail")),
                )
            })
            .collect();
        with_backend!(conn, |c| diesel::insert_into(prefs::table)
            .values(rows)
            .execute(c))?;
        let changes = json!({ "on": on });
        let entry =
            audit::Entry::of_tenant("notification_prefs", Some(who.user_id), "update", changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(())
    })
}

/// Who wants to hear of `key` among `users` (ids; `None`: every user of the tenant
/// whose role may get it), with how.
pub fn recipients(
    conn: &mut AnyConnection,
    tenant: TenantId,
    key: &str,
    only: Option<&[i64]>,
) -> QueryResult<Vec<Recipient>> {
    let Some(k) = kind(key) else {
        return Ok(vec![]);
    };
    let mut q = crate::of_tenant!(users, tenant)
        .filter(users::deleted_at.is_null())
        .left_join(prefs::table.on(prefs::user_id.eq(users::id).and(prefs::kind.eq(key))))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(users::id.eq_any(ids.to_vec()));
    }
    type Row = (i64, String, i32, Option<bool>, Option<bool>);
    let rows: Vec<Row> = q
        .order(users::id)
        .select((
            users::id,
            users::email,
            users::role,
            prefs::in_app.nullable(),
            prefs::by_mail.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, email, role, app, mail)| {
            let role = Role::from_i32(role)?;
            if !allows(Perm::new(k.area, Action::View), role) {
                return None;
            }
            let (d_app, d_mail) = (k.default)(role);
            let (in_app, by_mail) = (app.unwrap_or(d_app), mail.unwrap_or(d_mail));
            (in_app || by_mail).then_some(Recipient {
                user_id: id,
                email,
                in_app,
                by_mail,
            })
        })
        .collect())
}

/// Tells each recipient who wants it in the app.
pub fn notify(
    conn: &mut AnyConnection,
    tenant: TenantId,
    to: &[Recipient],
    key: &str,
    title: &str,
    link: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let rows: Vec<_> = to
        .iter()
        .filter(|r| r.in_app)
        .map(|r| {
            (
                n::tenant_id.eq(tenant.get()),
                n::user_id.eq(r.user_id),
                n::kind.eq(key),
                n::title.eq(title.chars().take(300).collect::<String>()),
                n::link.eq(link),
                n::created_at.eq(now),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    with_backend!(conn, |c| diesel::insert_into(n::table)
        .values(rows)
        .execute(c))
}

#[derive(Debug, Clone, Queryable)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// The user's latest notifications, newest first.
pub fn latest(conn: &mut AnyConnection, who: &Who, limit: i64) -> QueryResult<Vec<Notification>> {
    crate::of_tenant!(n, who.tenant())
        .filter(n::user_id.eq(who.user_id))
        .order(n::id.desc())
        .limit(limit)
        .select((n::id, n::kind, n::title, n::link, n::created_at, n::read_at))
        .load(conn)
}

/// Where one of the user's notifications points (another user's is not found).
pub fn link_of(conn: &mut AnyConnection, who: &Who, id: i64) -> QueryResult<String> {
    crate::of_tenant!(n, who.tenant())
        .filter(n::user_id.eq(who.user_id))
        .filter(n::id.eq(id))
        .select(n::link)
        .first(conn)
}

/// Marks the user's notifications read (one, or all); returns how many changed.
pub fn mark_read(
    conn: &mut AnyConnection,
    who: &Who,
    one: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let unread = crate::of_tenant!(n, who.tenant())
        .filter(n::user_id.eq(who.user_id))
        .filter(n::read_at.is_null());
    match one {
        Some(id) => diesel::update(unread.filter(n::id.eq(id)))
            .set(n::read_at.eq(now))
            .execute(conn),
        None => diesel::update(unread).set(n::read_at.eq(now)).execute(conn),
    }
}
