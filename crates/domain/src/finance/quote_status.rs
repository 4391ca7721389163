//! A quote's state as a type, stored as its name (`text_state!`): written, sent, then
//! accepted (it becomes a draft invoice) or declined. Expired is not a state: it is a
//! sent quote past its date, shown as such and no longer accepted.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum QuoteStatus {
    /// Lines being written; changed freely.
    Draft,
    /// With the client; no longer changed.
    Sent,
    /// Turned into a draft invoice.
    Accepted,
    Declined,
}

use QuoteStatus::*;

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 4] = [Draft, Sent, Accepted, Declined];

    /// The stored name (also the API's and the export's).
    pub const fn name(self) -> &'static str {
        match self {
            Draft => "draft",
            Sent => "sent",
            Accepted => "accepted",
            Declined => "declined",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Draft => "Draft",
            Sent => "Sent",
            Accepted => "Accepted",
            Declined => "Declined",
        }
    }

    pub fn parse(name: &str) -> Option<QuoteStatus> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

crate::text_state!(QuoteStatus, "a quote status");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_name_and_nothing_else_does() {
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(s.name()), Some(s));
        }
        assert_eq!(
            QuoteStatus::parse("expired"),
            None,
            "expired is shown, not stored"
        );
    }
}
