//! The domain's events as types. A service publishes one in the transaction of its
//! change (`events::publish`); subscribers name the kinds they want (`EventKind`) and
//! their jobs read the event back whole (`Event::read`). An event is not the audit
//! entry: renaming an audit action, or cutting its long values, changes no event.
//!
//! A row keeps the kind, the record, the client and the rest as JSON; these names and
//! keys are what rows written before the events were typed hold too, so an event
//! queued across an upgrade still reads.

use serde_json::{json, Value};

use crate::scope::ClientId;

/// What happened, with what a subscriber needs to act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    InvoiceCreated {
        client: ClientId,
        invoice: i64,
    },
    /// An invoice left draft for its client (by hand or by recurring billing).
    InvoiceSent {
        client: ClientId,
        invoice: i64,
    },
    /// A ticket was opened (by a person or a recurring template's run; not by an
    /// import).
    TicketOpened {
        client: ClientId,
        ticket: i64,
    },
    TicketReplied {
        client: ClientId,
        ticket: i64,
        reply: i64,
    },
}

/// The kind of an event, stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    InvoiceCreated,
    InvoiceSent,
    TicketOpened,
    TicketReplied,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::InvoiceCreated,
        EventKind::InvoiceSent,
        EventKind::TicketOpened,
        EventKind::TicketReplied,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            EventKind::InvoiceCreated => "invoices.create",
            EventKind::InvoiceSent => "invoices.send",
            EventKind::TicketOpened => "tickets.create",
            EventKind::TicketReplied => "tickets.reply",
        }
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An event as its row holds it: kind, record id, client id, the rest.
pub struct Row {
    pub kind: EventKind,
    pub entity_id: i64,
    pub client_id: i64,
    pub rest: Value,
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::InvoiceCreated { .. } => EventKind::InvoiceCreated,
            Event::InvoiceSent { .. } => EventKind::InvoiceSent,
            Event::TicketOpened { .. } => EventKind::TicketOpened,
            Event::TicketReplied { .. } => EventKind::TicketReplied,
        }
    }

    pub fn client(&self) -> ClientId {
        match *self {
            Event::InvoiceCreated { client, .. }
            | Event::InvoiceSent { client, .. }
            | Event::TicketOpened { client, .. }
            | Event::TicketReplied { client, .. } => client,
        }
    }

    pub fn row(&self) -> Row {
        let (entity_id, rest) = match *self {
            Event::InvoiceCreated { invoice, .. } | Event::InvoiceSent { invoice, .. } => {
                (invoice, json!({}))
            }
            Event::TicketOpened { ticket, .. } => (ticket, json!({})),
            Event::TicketReplied { ticket, reply, .. } => (ticket, json!({ "reply": reply })),
        };
        Row {
            kind: self.kind(),
            entity_id,
            client_id: self.client().0,
            rest,
        }
    }

    /// The event a row holds; `None` for a row no publisher of this version writes
    /// (an older kind, or one missing what its kind needs).
    pub fn read(
        kind: &str,
        entity_id: Option<i64>,
        client_id: Option<i64>,
        rest: &Value,
    ) -> Option<Event> {
        let (id, client) = (entity_id?, ClientId(client_id?));
        Some(match EventKind::parse(kind)? {
            EventKind::InvoiceCreated => Event::InvoiceCreated {
                client,
                invoice: id,
            },
            EventKind::InvoiceSent => Event::InvoiceSent {
                client,
                invoice: id,
            },
            EventKind::TicketOpened => Event::TicketOpened { client, ticket: id },
            EventKind::TicketReplied => Event::TicketReplied {
                client,
                ticket: id,
                reply: rest.get("reply")?.as_i64()?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_from_its_row() {
        let client = ClientId(7);
        for e in [
            Event::InvoiceCreated { client, invoice: 1 },
            Event::InvoiceSent { client, invoice: 2 },
            Event::TicketOpened { client, ticket: 3 },
            Event::TicketReplied {
                client,
                ticket: 4,
                reply: 5,
            },
        ] {
            let r = e.row();
            let back = Event::read(r.kind.name(), Some(r.entity_id), Some(r.client_id), &r.rest);
            assert_eq!(back, Some(e));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.name()), Some(k));
        }
    }

    #[test]
    fn a_reply_row_without_its_reply_is_no_event() {
        // What a status change wrote as `tickets.reply` before events were typed.
        let rest = json!({ "status": ["Open", "Closed"] });
        assert_eq!(Event::read("tickets.reply", Some(4), Some(7), &rest), None);
        assert_eq!(
            Event::read("client_licenses.create", Some(4), Some(7), &json!({})),
            None
        );
    }
}
