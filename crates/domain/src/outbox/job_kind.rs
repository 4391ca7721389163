//! The kinds of work the application queues, as a type stored by name
//! (`text_state!`): a handler matches on every kind, so a kind without one does not
//! compile, and a job is queued only with a payload of the type its handler reads
//! (`NewJob::of`). The queue itself runs any kind; its own tests use made-up ones.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum JobKind {
    /// A tenant's minute of the scheduler.
    SchedulerRound,
    /// The day's expiry digest to staff.
    Digest,
    /// A reminder of an overdue invoice to its client.
    Overdue,
    /// Delivering one queued mail over SMTP.
    SendMail,
    /// Mailing a sent invoice to its client.
    InvoiceMail,
    /// Telling a new ticket's client and technician.
    TicketMail,
    /// Telling a reply's other side.
    ReplyMail,
    /// The installation's scheduled backup.
    Backup,
}

use JobKind::*;

impl JobKind {
    pub const ALL: [JobKind; 8] = [
        SchedulerRound,
        Digest,
        Overdue,
        SendMail,
        InvoiceMail,
        TicketMail,
        ReplyMail,
        Backup,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            SchedulerRound => "scheduler.round",
            Digest => "mail.digest",
            Overdue => "mail.overdue",
            SendMail => "mail.send",
            InvoiceMail => "mail.invoice",
            TicketMail => "mail.ticket",
            ReplyMail => "mail.reply",
            Backup => "platform.backup",
        }
    }

    pub fn parse(name: &str) -> Option<JobKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

crate::text_state!(JobKind, "a job kind");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.name()), Some(k));
        }
    }
}
