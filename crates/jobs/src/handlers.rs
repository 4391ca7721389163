//! What each kind of job does: the scheduler's rounds, the mail that domain events and
//! the scheduler call for, and delivering mail. Building a message is database work,
//! committed with its job; delivering it talks to the SMTP server outside any
//! transaction, and only marking it sent commits with the job. Without SMTP settings,
//! delivery jobs wait, visible on the mail page.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::backup::schedule as backup;
use crate::domain::automation::mails::{self, Delivery};
use crate::domain::automation::scheduler::{self, DigestOf, Reminder};
use crate::domain::outbox::event::{Event, EventKind};
use crate::domain::outbox::events::Notice;
use crate::domain::outbox::job_kind::JobKind;
use crate::domain::outbox::jobs::{Claimed, Handler};
use crate::domain::scope::TenantId;
use crate::messages;
use crate::platform::config::Config;
use crate::platform::db::AnyConnection;
use crate::platform::mail::Mailer;
use crate::platform::vault::Vault;

/// The domain events that queue work: (event kind, job kind).
pub const SUBSCRIBERS: &[(EventKind, JobKind)] = &[
    (EventKind::InvoiceSent, JobKind::InvoiceMail),
    (EventKind::TicketOpened, JobKind::TicketMail),
    (EventKind::TicketReplied, JobKind::ReplyMail),
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

fn kind(job: &Claimed) -> Result<JobKind, String> {
    job.job_kind()
        .ok_or_else(|| format!("no handler for jobs of kind {:?}", job.kind))
}

impl Handler for Jobs<'_> {
    fn waiting(&self) -> Option<JobKind> {
        self.ctx.mailer.is_none().then_some(JobKind::SendMail)
    }

    fn outside(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String> {
        match kind(job)? {
            JobKind::Backup => {
                // A snapshot cannot be taken inside a transaction (SQLite's VACUUM INTO).
                let plan = self
                    .ctx
                    .backup
                    .as_ref()
                    .ok_or("no backup directory is set")?;
                let done = backup::run(conn, plan, self.now.naive_utc())?;
                tracing::info!("scheduled backup: {done}");
                Ok(())
            }
            JobKind::SendMail => {
                let mailer = self.ctx.mailer.as_ref().ok_or("no SMTP settings")?;
                let d: Delivery = job.payload_as()?;
                let message =
                    mails::outgoing(conn, tenant(job)?, d.mail).map_err(|e| e.to_string())?;
                mailer.send(&message)
            }
            _ => Ok(()),
        }
    }

    fn apply(&self, conn: &mut AnyConnection, job: &Claimed) -> Result<(), String> {
        // A backup's work is all outside; every other job works for one tenant.
        let (kind, at) = (kind(job)?, self.now.naive_utc());
        let t = match kind {
            JobKind::Backup => return Ok(()),
            _ => tenant(job)?,
        };
        let made = match kind {
            JobKind::Backup => Ok(0),
            JobKind::SchedulerRound => {
                scheduler::round(conn, &self.ctx.vault, t, self.now).map(|_| 0)
            }
            JobKind::SendMail => {
                let d: Delivery = job.payload_as()?;
                mails::mark_sent(conn, t, d.mail, at).map_err(Into::into)
            }
            JobKind::Digest => {
                let d: DigestOf = job.payload_as()?;
                messages::digest(conn, t, d.day, at)
            }
            JobKind::Overdue => {
                let r: Reminder = job.payload_as()?;
                messages::reminder(conn, t, r.client_id, r.invoice, at)
            }
            JobKind::InvoiceMail | JobKind::TicketMail | JobKind::ReplyMail => {
                match Notice::of(job)? {
                    Event::InvoiceSent { client, invoice } => {
                        messages::invoice(conn, t, client.0, invoice, self.ctx.print_invoice, at)
                    }
                    Event::TicketOpened { client, ticket } => {
                        messages::ticket(conn, t, client.0, ticket, None, at)
                    }
                    Event::TicketReplied {
                        client,
                        ticket,
                        reply,
                    } => messages::ticket(conn, t, client.0, ticket, Some(reply), at),
                    other => return Err(format!("job {} cannot tell of {other:?}", job.id)),
                }
            }
        };
        made.map(|_| ()).map_err(|e| e.to_string())
    }
}
