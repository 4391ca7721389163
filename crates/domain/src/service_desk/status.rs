//! A ticket's life: New → Open → On hold → Resolved → Closed, as a type. The allowed
//! moves are decided here and only here (the reply form offers them, the service
//! enforces them); the stored column keeps each state's name, which the SQL filters
//! below spell out as literals (checked against the type by the tests).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    /// Raised, nobody has picked it up.
    New,
    Open,
    /// Waiting on someone (the client, a vendor).
    OnHold,
    /// Done; may be re-opened.
    Resolved,
    /// Final.
    Closed,
}

use TicketStatus::*;

impl TicketStatus {
    /// Every state, in the order of a ticket's life.
    pub const ALL: [TicketStatus; 5] = [New, Open, OnHold, Resolved, Closed];
    /// The states of a ticket someone still has to work on.
    pub const OPEN: [TicketStatus; 3] = [New, Open, OnHold];
    /// The states a ticket is done in (not counted, not overdue).
    pub const DONE: [TicketStatus; 2] = [Resolved, Closed];

    /// The stored name (also the API's, the export's and the form's value).
    pub const fn name(self) -> &'static str {
        match self {
            New => "new",
            Open => "open",
            OnHold => "on_hold",
            Resolved => "resolved",
            Closed => "closed",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            New => "New",
            Open => "Open",
            OnHold => "On hold",
            Resolved => "Resolved",
            Closed => "Closed",
        }
    }

    pub fn parse(name: &str) -> Option<TicketStatus> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    pub(crate) fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub(crate) fn is_done(self) -> bool {
        Self::DONE.contains(&self)
    }

    /// Where a ticket in this state may go. A resolved ticket can be re-opened; a
    /// closed one is final; nothing goes back to New.
    pub fn next(self) -> &'static [TicketStatus] {
        match self {
            New => &[Open, OnHold, Resolved, Closed],
            Open => &[OnHold, Resolved, Closed],
            OnHold => &[Open, Resolved, Closed],
            Resolved => &[Open, Closed],
            Closed => &[],
        }
    }
}

/// (value, label) of every state, for the form's choice field: made from the type.
pub const STATUSES: &[(&str, &str)] = &crate::state_choices!(TicketStatus);

/// The tab count and the "open" filters, as SQL over the `tickets` table.
pub const OPEN_SQL: &str = "status IN ('new', 'open', 'on_hold')";

/// The open statuses in a query that may join other tables with a status (the queue):
/// a literal, so that the open tickets' partial indexes (migration 030) apply and the
/// statement stays prepared.
pub const OPEN_TICKETS_SQL: &str = "tickets.status IN ('new', 'open', 'on_hold')";

/// Open and past its due date (the database's today, UTC), as SQL over `tickets`.
pub const OVERDUE_SQL: &str =
    "status IN ('new', 'open', 'on_hold') AND due_date IS NOT NULL AND due_date < CURRENT_DATE";

/// The label of a stored state ("" if it names none).
pub fn label(stored: &str) -> &'static str {
    TicketStatus::parse(stored).map_or("", TicketStatus::label)
}

/// Why a status change is refused, in the words the reply form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotAllowed {
        from: TicketStatus,
        to: TicketStatus,
    },
    /// A value the form never offers.
    Unknown,
    /// Closing needs a resolution note (the reply's text, or one given when resolved).
    NoteRequired,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAllowed { from, to } => write!(
                f,
                "A ticket that is {} cannot be set to {}.",
                from.label(),
                to.label()
            ),
            Refused::Unknown => f.write_str("Choose one of the statuses the form offers."),
            Refused::NoteRequired => {
                f.write_str("Closing a ticket needs a resolution note: write it in the reply.")
            }
        }
    }
}

/// Checks the move of a ticket stored as `from` to the submitted `to`; `note` is the
/// resolution the ticket will carry. The state to write, or why not.
pub fn check(from: &str, to: &str, note: bool) -> Result<TicketStatus, Refused> {
    let (Some(from), Some(to)) = (TicketStatus::parse(from), TicketStatus::parse(to)) else {
        return Err(Refused::Unknown);
    };
    if !from.next().contains(&to) {
        return Err(Refused::NotAllowed { from, to });
    }
    if to == Closed && !note {
        return Err(Refused::NoteRequired);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_life_of_a_ticket() {
        assert_eq!(check("new", "open", false), Ok(Open));
        assert!(check("open", "resolved", false).is_ok());
        assert!(check("resolved", "open", false).is_ok(), "re-open");
        assert_eq!(check("open", "closed", false), Err(Refused::NoteRequired));
        assert!(check("open", "closed", true).is_ok());
        assert!(check("closed", "open", true).is_err(), "closed is final");
        assert!(
            check("open", "new", true).is_err(),
            "nothing goes back to New"
        );
        assert!(
            check("open", "open", true).is_err(),
            "no move is not a change"
        );
        assert_eq!(check("open", "bogus", true), Err(Refused::Unknown));
    }

    #[test]
    fn the_sql_literals_name_the_open_states_of_the_type() {
        let names: Vec<String> = TicketStatus::OPEN
            .iter()
            .map(|s| format!("'{}'", s.name()))
            .collect();
        let open = format!("status IN ({})", names.join(", "));
        assert_eq!(OPEN_SQL, open);
        assert_eq!(OPEN_TICKETS_SQL, format!("tickets.{open}"));
        assert!(OVERDUE_SQL.starts_with(&open));
        assert_eq!(STATUSES.len(), TicketStatus::ALL.len());
        assert_eq!(STATUSES[2], ("on_hold", "On hold"));
    }
}
