//! Why the invoice, quote and payment services refuse, as types. The domain says what is
//! wrong; the page and the API say it in words (`web::finance::refused`), and the API's
//! problem document carries the stable `code` a client program can test.

use crate::currency::Currency;

/// Why `invoices::send` or `invoices::void` refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceRefused {
    /// Only a draft is sent.
    NotDraft,
    /// Only a draft, or a sent invoice with nothing paid on it, is voided.
    NotVoidable,
}

impl InvoiceRefused {
    pub fn code(self) -> &'static str {
        match self {
            InvoiceRefused::NotDraft => "invoice-not-draft",
            InvoiceRefused::NotVoidable => "invoice-not-voidable",
        }
    }
}

/// Why `quotes::step` refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteRefused {
    /// The form named no step.
    NoStep,
    /// The step does not start from the quote's state (shown as its label: "Draft",
    /// "Expired"…).
    NotFrom(&'static str),
    /// Accepting a quote past its date.
    Expired,
}

impl QuoteRefused {
    pub fn code(self) -> &'static str {
        match self {
            QuoteRefused::NoStep => "quote-no-step",
            QuoteRefused::NotFrom(_) => "quote-wrong-state",
            QuoteRefused::Expired => "quote-expired",
        }
    }
}

/// Why `payments::record` refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentRefused {
    /// The invoice is a draft, paid or void.
    NotPayable,
    NoDate,
    NoMethod,
    NotPositive,
    /// The amount does not read as money of the invoice's currency (the reason).
    Amount(String),
    /// More than the balance.
    MoreThanOwed {
        owed: i64,
        currency: Currency,
    },
}

impl PaymentRefused {
    pub fn code(&self) -> &'static str {
        match self {
            PaymentRefused::NotPayable => "payment-invoice-not-payable",
            PaymentRefused::NoDate => "payment-date",
            PaymentRefused::NoMethod => "payment-method",
            PaymentRefused::NotPositive => "payment-not-positive",
            PaymentRefused::Amount(_) => "payment-amount",
            PaymentRefused::MoreThanOwed { .. } => "payment-more-than-owed",
        }
    }
}
