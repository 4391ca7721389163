//! A ticket's life: New → Open → On hold → Resolved → Closed. The allowed moves are
//! decided here and only here (the reply form offers them, the service enforces them).

/// (value, label), in the order of a ticket's life.
pub const STATUSES: &[(&str, &str)] = &[
    ("new", "New"),
    ("open", "Open"),
    ("on_hold", "On hold"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
];

/// The statuses of a ticket someone still has to work on.
pub const OPEN: &[&str] = &["new", "open", "on_hold"];

/// The statuses a ticket is done in (not counted, not overdue).
pub const DONE: &[&str] = &["resolved", "closed"];

/// The tab count and the "open" filters, as SQL over the `tickets` table.
pub const OPEN_SQL: &str = "status IN ('new', 'open', 'on_hold')";

/// The open statuses in a query that may join other tables with a status (the queue):
/// a literal, so that the open tickets' partial indexes (migration 030) apply and the
/// statement stays prepared.
pub const OPEN_TICKETS_SQL: &str = "tickets.status IN ('new', 'open', 'on_hold')";

/// Open and past its due date (the database's today, UTC), as SQL over `tickets`.
pub const OVERDUE_SQL: &str =
    "status IN ('new', 'open', 'on_hold') AND due_date IS NOT NULL AND due_date < CURRENT_DATE";

pub fn label(status: &str) -> &'static str {
    crate::forms::choice_label(STATUSES, status)
}

/// Where a ticket in `from` may go. A resolved ticket can be re-opened; a closed one
/// is final; nothing goes back to New.
pub fn next(from: &str) -> &'static [&'static str] {
    match from {
        "new" => &["open", "on_hold", "resolved", "closed"],
        "open" => &["on_hold", "resolved", "closed"],
        "on_hold" => &["open", "resolved", "closed"],
        "resolved" => &["open", "closed"],
        _ => &[],
    }
}

/// Why a status change is refused, in the words the reply form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    /// Closing needs a resolution note (the reply's text, or one given when resolved).
    NoteRequired,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAllowed { from, to } => {
                write!(f, "A ticket that is {from} cannot be set to {to}.")
            }
            Refused::NoteRequired => {
                f.write_str("Closing a ticket needs a resolution note: write it in the reply.")
            }
        }
    }
}

/// Checks the move `from` → `to`; `note` is the resolution the ticket will carry.
pub fn check(from: &str, to: &str, note: bool) -> Result<(), Refused> {
    if !next(from).contains(&to) {
        return Err(Refused::NotAllowed {
            from: label(from),
            to: label(to),
        });
    }
    if to == "closed" && !note {
        return Err(Refused::NoteRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_life_of_a_ticket() {
        assert!(check("new", "open", false).is_ok());
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
        assert!(check("open", "bogus", true).is_err());
    }
}
