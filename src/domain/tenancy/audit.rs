//! The audit log: who did what to which record, when, from where. Written in the same
//! transaction as the change it describes, so a rolled-back change leaves no entry.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{json, Map, Value};

use crate::domain::forms::{display, Field, FormInput, RefOptions};
use crate::domain::scope::TenantId;
use crate::platform::db::schema::audit_log;
use crate::platform::db::AnyConnection;

/// Who acts, and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub tenant: Option<TenantId>,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What is recorded about one event.
pub struct Entry<'a> {
    pub client_id: Option<i64>,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub action: &'a str,
    pub changes: Value,
}

impl<'a> Entry<'a> {
    /// A change to one record of a client (the client itself included).
    pub fn of_record(
        client_id: i64,
        entity: &'a str,
        entity_id: i64,
        action: &'a str,
        changes: Value,
    ) -> Self {
        Entry {
            client_id: Some(client_id),
            entity,
            entity_id: Some(entity_id),
            action,
            changes,
        }
    }
}

pub fn record(conn: &mut AnyConnection, actor: &Actor, e: Entry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::tenant_id.eq(actor.tenant.map(TenantId::get)),
            audit_log::user_id.eq(actor.user_id),
            audit_log::client_id.eq(e.client_id),
            audit_log::entity.eq(e.entity),
            audit_log::entity_id.eq(e.entity_id),
            audit_log::action.eq(e.action),
            audit_log::changes.eq(bounded(e.changes).to_string()),
            audit_log::ip.eq(actor.ip.as_deref()),
            audit_log::user_agent.eq(actor
                .user_agent
                .as_deref()
                .map(|u| u.chars().take(300).collect::<String>())),
            audit_log::created_at.eq(Utc::now().naive_utc()),
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
pub fn diff(
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
