//! The ticket page below the fields: the details, then one timeline — replies and the
//! changes the audit log recorded (created, status, assignment, any field) — oldest
//! first, the time worked, and the reply form's choices. Two statements, whatever the
//! length of the ticket's history.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::replies::{self, NewReply};
use super::status::TicketStatus;
use super::tickets::{Ticket, Tickets};
use crate::resource::Resource;
use crate::schema::{audit_log, users};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

#[derive(Debug, Clone)]
pub enum Event {
    Reply(replies::Reply),
    /// "changed Status from Open to Resolved", "created the ticket"…
    Change(String),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub at: NaiveDateTime,
    pub who: String,
    pub event: Event,
}

/// A reply form as the user left it, with what was wrong.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub reply: NewReply,
    pub minutes_text: String,
    pub status: String,
    pub error: String,
}

#[derive(Debug, Clone)]
pub struct TicketView {
    pub details: Option<String>,
    pub resolution: Option<String>,
    pub entries: Vec<Entry>,
    pub minutes: i64,
    pub billable_minutes: i64,
    /// The statuses the reply may move the ticket to, as (value, label).
    pub next: Vec<(&'static str, &'static str)>,
    pub draft: Draft,
}

pub fn load(conn: &mut AnyConnection, cs: &ClientScope, t: &Ticket) -> QueryResult<TicketView> {
    let replies = replies::of_ticket(conn, cs, t.id)?;
    let changes: Vec<(NaiveDateTime, Option<String>, String, String)> =
        crate::of_tenant!(audit_log, cs.tenant())
            .filter(audit_log::entity.eq(Tickets::TABLE))
            .filter(audit_log::entity_id.eq(t.id))
            .left_join(users::table)
            .order((audit_log::created_at.asc(), audit_log::id.asc()))
            .limit(500)
            .select((
                audit_log::created_at,
                users::name.nullable(),
                audit_log::action,
                audit_log::changes,
            ))
            .load(conn)?;
    let minutes = replies.iter().map(|r| i64::from(r.minutes)).sum();
    let billable_minutes = replies
        .iter()
        .filter(|r| r.billable)
        .map(|r| i64::from(r.minutes))
        .sum();
    let mut entries: Vec<Entry> = changes
        .into_iter()
        .filter_map(|(at, who, action, changes)| {
            describe(&action, &changes).map(|text| Entry {
                at,
                who: who.unwrap_or_else(|| "The system".into()),
                event: Event::Change(text),
            })
        })
        .chain(replies.into_iter().map(|r| Entry {
            at: r.at,
            who: r.author.clone().unwrap_or_else(|| "A former user".into()),
            event: Event::Reply(r),
        }))
        .collect();
    entries.sort_by_key(|e| e.at);
    Ok(TicketView {
        details: t.data.details.clone(),
        resolution: t.resolution.clone(),
        entries,
        minutes,
        billable_minutes,
        next: TicketStatus::parse(&t.status)
            .map_or(&[][..], TicketStatus::next)
            .iter()
            .map(|s| (s.name(), s.label()))
            .collect(),
        draft: Draft::default(),
    })
}

/// An audit entry of the ticket in words; the reply entries are shown as replies.
fn describe(action: &str, changes: &str) -> Option<String> {
    let changes: Value = serde_json::from_str(changes).unwrap_or(Value::Null);
    let fields = || {
        changes
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, v)| {
                let label = Tickets::FIELDS.iter().find(|f| f.name == name)?.label;
                let pair = v.as_array()?;
                let text = |i: usize| match pair.get(i).and_then(Value::as_str) {
                    Some("") | None => "—".to_string(),
                    Some(s) => s.chars().take(80).collect(),
                };
                Some(format!("{label}: {} → {}", text(0), text(1)))
            })
            .collect::<Vec<_>>()
    };
    match action {
        "create" => Some("created the ticket".into()),
        "reply" => None,
        "archive" => Some("archived the ticket".into()),
        "restore" => Some("restored the ticket".into()),
        _ => {
            let list = fields();
            (!list.is_empty()).then(|| format!("changed {}", list.join("; ")))
        }
    }
}
