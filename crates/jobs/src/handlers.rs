//! What each kind of job does: the scheduler's rounds, the mail that domain events and
//! the scheduler call for, and delivering mail. Building a message is database work,
//! committed with its job; delivering it talks to the SMTP server outside any
//! transaction, and only marking it sent commits with the job. Without SMTP settings,
//! delivery jobs wait, visible on the mail page.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::backup::schedule as backup;
use crate::domain::automation::{mails, scheduler};
use crate::domain::outbox::jobs::{Claimed, Handler};
use crate::domain::scope::TenantId;
use crate::messages;
use crate::platform::config::Config;
use crate::platform::db::AnyConnection;
use crate::platform::mail::Mailer;
use crate::platform::vault::Vault;

pub const INVOICE: &str = "mail.invoice";
pub const TICKET: &str = "mail.ticket";
pub const REPLY: &str = "mail.reply";

/// The domain events that queue work: (event kind, job kind).
pub const SUBSCRIBERS: &[(&str, &str)] = &[
    ("invoices.send", INVOICE),
    ("tickets.create", TICKET),
    ("tickets.reply", REPLY),
];

/// What handlers need besides the database.
#[derive(Clone)]
pub struct Context {
    pub vault: Arc<Vault>,
    pub mailer: Option<Mailer>,
    /// Scheduled backups, when a directory is set.
    pub backup: Option<crate::backup::schedule::Plan>,
    /// The printable invoice an invoice mail attaches (the web layer's page).
    pub print_invoice: messages::PrintInvoice,
}

impl Context {
    /// What the server's settings give handlers: the vault and, when SMTP is set, the
    /// mailer; an SMTP setting that cannot be used is refused with its reason.
    pub fn configured(
        config: &Config,
        vault: Arc<Vault>,
        print_invoice: messages::PrintInvoice,
    ) -> Result<Context, String> {
        Ok(Context {
            vault,
            mailer: Mailer::configured(&config.smtp_url, &config.mail_from)?,
            backup: backup::Plan::configured(config),
            print_invoice,
        })
    }
}

/// The handler of one worker turn, at its clock.
pub struct Jobs<'a> {
    pub ctx: &'a Context,
    pub now: DateTime<Utc>,
}

fn tenant(job: &Claimed) -> Result<TenantId, String> {
    job.tenant()
        .ok_or_else(|| format!("job {} has no tenant", job.id))
}

fn payload(job: &Claimed) -> serde_json::Value {
    serde_json::from_str(&job.payload).unwrap_or_default()
}

fn id_at(v: &serde_json::Value, key: &str) -> Result<i64, String> {
    v.get(key)
        .and_then(|v| v.as_i64())
        .ok_or_else(|| format!("the job names no {key}"))
}

impl Handler for Jobs<'_> {
    fn waiting(&self) -> Option<&str> {
        self.ctx.mailer.is_none().then_some(mails::SEND)
    }

    fn outside(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String> {
        if job.kind == backup::KIND {
            // A snapshot cannot be taken inside a transaction (SQLite's VACUUM INTO).
            let plan = self
                .ctx
                .backup
                .as_ref()
                .ok_or("no backup directory is set")?;
            let done = backup::run(conn, plan, self.now.naive_utc())?;
            tracing::info!("scheduled backup: {done}");
            return Ok(());
        }
        if job.kind != mails::SEND {
            return Ok(());
        }
        let mailer = self.ctx.mailer.as_ref().ok_or("no SMTP settings")?;
        let message = mails::outgoing(conn, tenant(job)?, id_at(&payload(job), "mail")?)
            .map_err(|e| e.to_string())?;
        mailer.send(&message)
    }

    fn apply(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String> {
        if job.kind == backup::KIND {
            return Ok(());
        }
        let t = tenant(job)?;
        let p = payload(job);
        let at = self.now.naive_utc();
        let made = match job.kind.as_str() {
            scheduler::ROUND => scheduler::round(conn, &self.ctx.vault, t, self.now).map(|_| 0),
            mails::SEND => {
                mails::mark_sent(conn, t, id_at(&p, "mail")?, at).map_err(|e| e.to_string())?;
                return Ok(());
            }
            scheduler::DIGEST => {
                let day = p
                    .get("day")
                    .and_then(|d| d.as_str())
                    .and_then(|d| d.parse::<NaiveDate>().ok())
                    .unwrap_or_else(|| self.now.date_naive());
                messages::digest(conn, t, day, at)
            }
            scheduler::OVERDUE => {
                messages::reminder(conn, t, id_at(&p, "client_id")?, id_at(&p, "invoice")?, at)
            }
            INVOICE => messages::invoice(
                conn,
                t,
                id_at(&p, "client_id")?,
                id_at(&p, "entity_id")?,
                self.ctx.print_invoice,
                at,
            ),
            TICKET | REPLY => {
                let reply = p["changes"]["reply"].as_i64();
                if job.kind == REPLY && reply.is_none() {
                    return Ok(()); // a status change without a reply
                }
                messages::ticket(
                    conn,
                    t,
                    id_at(&p, "client_id")?,
                    id_at(&p, "entity_id")?,
                    reply,
                    at,
                )
            }
            other => return Err(format!("no handler for jobs of kind {other:?}")),
        };
        made.map(|_| ()).map_err(|e| e.to_string())
    }
}
