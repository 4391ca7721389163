//! An invoice's state as a type, stored as its name (`text_state!`). Overdue is not a
//! state: it is an unpaid invoice past its due date.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum InvoiceStatus {
    /// Lines being written; no number yet, owes nothing.
    Draft,
    /// Numbered and sent; nothing paid yet.
    Sent,
    /// Sent, paid in part.
    Partial,
    /// Paid in full.
    Paid,
    /// Sent and cancelled: keeps its number, owes nothing.
    Void,
}

use InvoiceStatus::*;

impl InvoiceStatus {
    /// Every state, in the order an invoice passes through them.
    pub const ALL: [InvoiceStatus; 5] = [Draft, Sent, Partial, Paid, Void];
    /// What a client still owes on: sent and not fully paid.
    pub const UNPAID: [InvoiceStatus; 2] = [Sent, Partial];
    /// Billed: sent, whatever has been paid since (revenue counts these).
    pub const BILLED: [InvoiceStatus; 3] = [Sent, Partial, Paid];

    /// The stored name (also the API's and the export's).
    pub const fn name(self) -> &'static str {
        match self {
            Draft => "draft",
            Sent => "sent",
            Partial => "partial",
            Paid => "paid",
            Void => "void",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Draft => "Draft",
            Sent => "Sent",
            Partial => "Partially paid",
            Paid => "Paid",
            Void => "Void",
        }
    }

    pub fn parse(name: &str) -> Option<InvoiceStatus> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn unpaid(self) -> bool {
        Self::UNPAID.contains(&self)
    }

    /// The state a sent invoice takes from what has been paid on it.
    pub(crate) fn from_paid(paid: i64, total: i64) -> InvoiceStatus {
        match paid {
            0 => Sent,
            p if p >= total => Paid,
            _ => Partial,
        }
    }
}

crate::text_state!(InvoiceStatus, "an invoice status");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_name_and_nothing_else_does() {
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(s.name()), Some(s));
        }
        assert_eq!(InvoiceStatus::parse("Sent"), None);
        assert_eq!(InvoiceStatus::parse("overdue"), None);
    }

    #[test]
    fn payments_move_a_sent_invoice_along() {
        assert_eq!(InvoiceStatus::from_paid(0, 100), Sent);
        assert_eq!(InvoiceStatus::from_paid(40, 100), Partial);
        assert_eq!(InvoiceStatus::from_paid(100, 100), Paid);
    }
}
