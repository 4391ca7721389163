//! The ticket's own write: a reply, a status change, or both in one step (one
//! transaction, audited). Creating and editing a ticket go through the resource
//! service like every record (`resource::service::save`).

use diesel::prelude::*;
use serde_json::json;

use super::replies::{self, NewReply};
use super::status::{self, TicketStatus};
use super::tickets::Tickets;
use super::timeline::Draft;
use crate::audit;
use crate::clients;
use crate::error::AppResult;
use crate::forms::FormInput;
use crate::outbox::event::Event;
use crate::outbox::events;
use crate::policy::{require, Action, Perm};
use crate::resource::Resource;
use crate::schema::tickets;
use crate::scope::{ClientId, RecordId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

/// The most time one reply can book (a week of work).
pub const MAX_MINUTES: i32 = 7 * 24 * 60;

/// The reply form as it was given, with why it was refused.
fn refused(input: &FormInput, reply: NewReply, error: impl Into<String>) -> Draft {
    Draft {
        reply,
        minutes_text: input.get("minutes").to_string(),
        status: input.get("status").to_string(),
        error: error.into(),
    }
}

/// Reads the reply form; a refusal is the form as given, with the reason.
fn read(input: &FormInput) -> Result<(NewReply, String), Draft> {
    let minutes_text = input.get("minutes");
    let status = input.get("status").to_string();
    let reply = NewReply {
        body: input.get("body").to_string(),
        public: !input.get("public").is_empty(),
        minutes: 0,
        billable: !input.get("billable").is_empty(),
    };
    let refuse = |reply: NewReply, error: &str| refused(input, reply, error);
    let minutes = match minutes_text {
        "" => 0,
        text => match text.parse::<i32>() {
            Ok(m) if (0..=MAX_MINUTES).contains(&m) => m,
            _ => {
                return Err(refuse(
                    reply,
                    &format!("Time worked is a number of minutes from 0 to {MAX_MINUTES}."),
                ))
            }
        },
    };
    if reply.body.chars().count() > 100_000 {
        return Err(refuse(
            reply,
            "The reply is longer than 100,000 characters.",
        ));
    }
    if reply.body.is_empty() && status.is_empty() {
        return Err(refuse(reply, "Write a reply or choose a new status."));
    }
    if reply.body.is_empty() && minutes > 0 {
        return Err(refuse(reply, "Say what the time was spent on."));
    }
    Ok((NewReply { minutes, ..reply }, status))
}

/// Adds a reply and/or moves the ticket to another status, as one change.
pub fn reply(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
    input: &FormInput,
) -> AppResult<Result<(), Box<Draft>>> {
    require(Perm::new(Tickets::AREA, Action::Edit), who.role)?;
    let (new, to) = match read(input) {
        Ok(ok) => ok,
        Err(draft) => return Ok(Err(Box::new(draft))),
    };
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let ticket = Tickets::find(conn, &cs, id.0)?;
        let refuse = |error: String| Ok(Err(Box::new(refused(input, new.clone(), error))));
        let to = match to.as_str() {
            "" => None,
            to => {
                let note = !new.body.is_empty() || ticket.resolution.is_some();
                match status::check(&ticket.status, to, note) {
                    Ok(to) => Some(to),
                    Err(e) => return refuse(e.to_string()),
                }
            }
        };
        if !new.body.is_empty() {
            let reply_id = replies::insert(conn, &cs, ticket.id, who.user_id, &new)?;
            let changes = json!({ "reply": reply_id, "public": new.public, "minutes": new.minutes, "billable": new.billable });
            let entry = audit::Entry::of_record(cid, Tickets::TABLE, ticket.id, "reply", changes)
                .titled(Tickets::title(&ticket));
            audit::record(conn, &who.actor, entry)?;
            let event = Event::TicketReplied {
                client: cid,
                ticket: ticket.id,
                reply: reply_id,
            };
            events::publish(conn, &cs, &event)?;
        }
        if let Some(to) = to {
            let now = who.now();
            let done = to.is_done();
            let resolution = match (done, new.body.is_empty()) {
                (true, false) => Some(new.body.clone()),
                (true, true) => ticket.resolution.clone(),
                (false, _) => None,
            };
            // The status it was read in: a concurrent change makes this touch no row.
            let moved = diesel::update(
                crate::of_client!(tickets, cs)
                    .filter(tickets::id.eq(ticket.id))
                    .filter(tickets::status.eq(&ticket.status)),
            )
            .set((
                tickets::status.eq(to.name()),
                tickets::resolution.eq(resolution),
                tickets::closed_at.eq((to == TicketStatus::Closed).then_some(now)),
                tickets::updated_at.eq(now),
            ))
            .execute(conn)?;
            if moved == 0 {
                return Err(crate::error::AppError::Conflict(
                    "The ticket was changed meanwhile; reload it and try again.".into(),
                ));
            }
            let changes = json!({ "status": [status::label(&ticket.status), to.label()] });
            let action = if to == TicketStatus::Closed {
                "close"
            } else {
                "status"
            };
            let entry = audit::Entry::of_record(cid, Tickets::TABLE, ticket.id, action, changes)
                .titled(Tickets::title(&ticket));
            audit::record(conn, &who.actor, entry)?;
        }
        Ok(Ok(()))
    })
}
