//! The outbox of mail: each message is written (rendered, with its recipient) in the
//! transaction that decided to send it, with a `mail.send` job keyed by the message.
//! The job delivers it; a refusal is retried by the queue with backoff, and after the
//! last attempt the message shows as failed. A message's state is read from its job,
//! so the two never disagree.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::outbox::job_kind::JobKind;
use crate::outbox::job_state::JobState;
use crate::outbox::jobs::{self, NewJob};
use crate::schema::{companies, jobs as jobs_table, mails};
use crate::scope::TenantId;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::mail::Outgoing;

/// What a delivery job carries: the message to deliver.
#[derive(Debug, Serialize, Deserialize)]
pub struct Delivery {
    pub mail: i64,
}

/// A message to queue.
pub struct Draft<'a> {
    pub kind: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// File name, content type and (text) content.
    pub attachment: Option<(&'a str, &'a str, &'a str)>,
}

/// Writes the message and its delivery job; returns the message's id.
pub fn queue(
    conn: &mut AnyConnection,
    tenant: TenantId,
    d: &Draft,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(mails::table)
        .values((
            mails::tenant_id.eq(tenant.get()),
            mails::kind.eq(d.kind),
            mails::to_addr.eq(d.to),
            mails::subject.eq(d.subject.chars().take(300).collect::<String>()),
            mails::text_body.eq(d.text),
            mails::html_body.eq(d.html),
            mails::attachment_name.eq(d.attachment.map(|a| a.0)),
            mails::attachment_type.eq(d.attachment.map(|a| a.1)),
            mails::attachment.eq(d.attachment.map(|a| a.2)),
            mails::created_at.eq(now),
        ))
        .returning(mails::id)
        .get_result(conn)?;
    let job = NewJob {
        tenant_id: Some(tenant.get()),
        ..NewJob::of(JobKind::SendMail, &Delivery { mail: id }, now)
    }
    .keyed(format!("{}:{id}", JobKind::SendMail));
    let job_id = jobs::enqueue(conn, &job, now)?;
    diesel::update(mails::table.find(id))
        .set(mails::job_id.eq(job_id))
        .execute(conn)?;
    Ok(id)
}

/// The message of a `mail.send` job, with the tenant's sender name and reply-to.
pub fn outgoing(conn: &mut AnyConnection, tenant: TenantId, id: i64) -> QueryResult<Outgoing> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (to, subject, text, html, name, kind, content): Row = crate::of_tenant!(mails, tenant)
        .filter(mails::id.eq(id))
        .select((
            mails::to_addr,
            mails::subject,
            mails::text_body,
            mails::html_body,
            mails::attachment_name,
            mails::attachment_type,
            mails::attachment,
        ))
        .first(conn)?;
    let (sender_name, reply_to): (Option<String>, Option<String>) = companies::table
        .find(tenant.get())
        .select((companies::mail_sender_name, companies::mail_reply_to))
        .first(conn)?;
    Ok(Outgoing {
        sender_name,
        reply_to,
        to,
        subject,
        text,
        html,
        attachment: match (name, kind, content) {
            (Some(n), Some(k), Some(c)) => Some((n, k, c.into_bytes())),
            _ => None,
        },
    })
}

pub fn mark_sent(
    conn: &mut AnyConnection,
    tenant: TenantId,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(crate::of_tenant!(mails, tenant).filter(mails::id.eq(id)))
        .set(mails::sent_at.eq(now))
        .execute(conn)
}

/// One line of the recent mail page.
#[derive(Debug, Clone, Queryable)]
pub struct Sent {
    pub id: i64,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub job_state: Option<JobState>,
    pub attempts: Option<i32>,
    pub last_error: Option<String>,
}

impl Sent {
    /// Sent, waiting (for SMTP settings or its next attempt), or failed.
    pub fn state(&self) -> &'static str {
        match (self.sent_at, self.job_state) {
            (Some(_), _) => "sent",
            (None, Some(JobState::Dead | JobState::Cancelled)) => "failed",
            (None, Some(JobState::Running)) => "sending",
            (None, _) if self.attempts.unwrap_or(0) > 0 => "retrying",
            _ => "queued",
        }
    }
}

/// The tenant's latest messages, newest first.
pub fn recent(conn: &mut AnyConnection, tenant: TenantId, limit: i64) -> QueryResult<Vec<Sent>> {
    crate::of_tenant!(mails, tenant)
        .left_join(jobs_table::table.on(jobs_table::id.nullable().eq(mails::job_id)))
        .order(mails::id.desc())
        .limit(limit)
        .select((
            mails::id,
            mails::kind,
            mails::to_addr,
            mails::subject,
            mails::created_at,
            mails::sent_at,
            jobs_table::state.nullable(),
            jobs_table::attempts.nullable(),
            jobs_table::last_error.nullable(),
        ))
        .load(conn)
}
