//! The audit log: who did what to which record, when, from where. Written in the same
//! transaction as the change it describes, so a rolled-back change leaves no entry.

use diesel::prelude::*;
use serde_json::{json, Map, Value};

use crate::forms::{display, Field, FormInput, RefOptions};
use crate::schema::audit_log;
use crate::scope::TenantId;
use mspdesk_platform::db::AnyConnection;

pub use crate::scope::Actor;

/// What is recorded about one event.
pub struct Entry<'a> {
    pub client_id: Option<i64>,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub action: &'a str,
    pub changes: Value,
    /// What the record was called (for sentences like "revealed credential X").
    pub label: Option<String>,
}

impl<'a> Entry<'a> {
    /// A change to one record of a client (the client itself included).
    pub(crate) fn of_record(
        client: crate::scope::ClientId,
        entity: &'a str,
        entity_id: i64,
        action: &'a str,
        changes: Value,
    ) -> Self {
        Entry {
            client_id: Some(client.0),
            entity,
            entity_id: Some(entity_id),
            action,
            changes,
            label: None,
        }
    }

    /// An event of the tenant itself (its users, settings, sessions, refusals), tied to
    /// no client.
    pub fn of_tenant(
        entity: &'a str,
        entity_id: Option<i64>,
        action: &'a str,
        changes: Value,
    ) -> Self {
        Entry {
            client_id: None,
            entity,
            entity_id,
            action,
            changes,
            label: None,
        }
    }
}

impl Entry<'_> {
    /// The record's name as the activity list will show it.
    pub fn titled(mut self, label: String) -> Self {
        self.label = Some(label.chars().take(200).collect());
        self
    }
}

pub fn record(conn: &mut AnyConnection, actor: &Actor, e: Entry<'_>) -> QueryResult<()> {
    let now = actor.clock.naive();
    let changes = bounded(e.changes);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::tenant_id.eq(actor.tenant.map(TenantId::get)),
            audit_log::user_id.eq(actor.user_id),
            audit_log::client_id.eq(e.client_id),
            audit_log::entity.eq(e.entity),
            audit_log::entity_id.eq(e.entity_id),
            audit_log::action.eq(e.action),
            audit_log::changes.eq(changes.to_string()),
            audit_log::ip.eq(actor.ip.as_deref()),
            audit_log::user_agent.eq(actor
                .user_agent
                .as_deref()
                .map(|u| u.chars().take(300).collect::<String>())),
            audit_log::created_at.eq(now),
            audit_log::label.eq(e.label),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The longest text kept of one value: the log records that a document changed and how
/// it began, not a second copy of every body, and anonymous input cannot grow it.
pub const MAX_VALUE_CHARS: usize = 500;

/// The changes with every string cut to `MAX_VALUE_CHARS` and every list to 100 items.
fn bounded(v: Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > MAX_VALUE_CHARS => {
            Value::String(s.chars().take(MAX_VALUE_CHARS).chain(['…']).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().take(100).map(bounded).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, bounded(v))).collect())
        }
        other => other,
    }
}

/// The fields that changed, as `{field: [old, new]}` in display form; a secret that
/// changed is recorded as "changed", never with its value. `old` is `None` on create.
pub(crate) fn diff(
    fields: &[Field],
    old: Option<&FormInput>,
    new: &FormInput,
    refs: &RefOptions,
    secrets_set: &[&str],
) -> Value {
    let mut out = Map::new();
    for f in fields {
        if f.kind.is_secret() {
            if secrets_set.contains(&f.name) {
                out.insert(f.name.into(), json!("changed"));
            }
            continue;
        }
        let before = old.map(|o| display(f, o, refs)).unwrap_or_default();
        let after = display(f, new, refs);
        if before != after {
            out.insert(f.name.into(), json!([before, after]));
        }
    }
    Value::Object(out)
}

/// A route the role may not use, refused and recorded.
pub fn denied(
    conn: &mut AnyConnection,
    actor: &Actor,
    method: &str,
    path: &str,
    role: crate::policy::Role,
) -> crate::error::AppResult<()> {
    mspdesk_platform::db::write_transaction(conn, |conn| {
        let changes = json!({ "method": method, "path": path, "role": role.label() });
        Ok(record(
            conn,
            actor,
            Entry::of_tenant("route", None, "denied", changes),
        )?)
    })
}

/// What the audit log viewer (and a client's recent activity) asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub user: Option<i64>,
    pub client: Option<i64>,
    pub entity: Option<String>,
    pub action: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// One entry as the log holds it.
pub type Record = (
    chrono::NaiveDateTime,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
    String,
    String,
    Option<String>,
);

/// A page of the tenant's entries, newest first; `limit` + 1 rows tell whether there
/// is a next page.
pub fn search(
    conn: &mut AnyConnection,
    tenant: TenantId,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Record>> {
    let mut q = crate::of_tenant!(audit_log, tenant).into_boxed();
    if let Some(u) = f.user {
        q = q.filter(audit_log::user_id.eq(u));
    }
    if let Some(c) = f.client {
        q = q.filter(audit_log::client_id.eq(c));
    }
    if let Some(e) = &f.entity {
        q = q.filter(audit_log::entity.eq(e.clone()));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_log::action.eq(a.clone()));
    }
    if let Some(from) = f.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        q = q.filter(audit_log::created_at.ge(from));
    }
    if let Some(to) =
        f.to.and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        q = q.filter(audit_log::created_at.lt(to));
    }
    q.order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit + 1)
        .offset(offset)
        .select((
            audit_log::created_at,
            audit_log::user_id,
            audit_log::client_id,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::action,
            audit_log::changes,
            audit_log::ip,
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(900_000);
        let out = super::bounded(json!({ "email": long, "body": [long.clone(), "short"] }));
        assert_eq!(
            out["email"].as_str().unwrap().chars().count(),
            super::MAX_VALUE_CHARS + 1
        );
        assert_eq!(out["body"][1], "short");
        assert!(out.to_string().len() < 2_000);
    }
}

/// One line of a client's recent activity: when, who, what was done to which record
/// (with the name it had then).
#[derive(Debug, Clone, Queryable)]
pub struct Activity {
    pub at: chrono::NaiveDateTime,
    pub user: Option<String>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    pub label: Option<String>,
}

/// The client's last `limit` audited changes, leaving out the tables in `hidden` (what
/// the reader may not see), with the acting user's name: one statement.
pub(crate) fn recent_of_client(
    conn: &mut AnyConnection,
    tenant: TenantId,
    client_id: i64,
    hidden: &[&str],
    limit: i64,
) -> QueryResult<Vec<Activity>> {
    use crate::schema::users;
    crate::of_tenant!(audit_log, tenant)
        .filter(audit_log::client_id.eq(client_id))
        .filter(audit_log::entity.ne_all(hidden))
        .left_join(users::table)
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select((
            audit_log::created_at,
            users::name.nullable(),
            audit_log::entity,
            audit_log::entity_id,
            audit_log::action,
            audit_log::label,
        ))
        .load(conn)
}
