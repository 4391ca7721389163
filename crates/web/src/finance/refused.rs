//! The finance services' refusals in words: the domain gives them as types
//! (`domain::finance::refused`), the page shows these sentences and the API sends them
//! with the refusal's code.

use crate::domain::finance::refused::{InvoiceRefused, PaymentRefused, QuoteRefused};

pub fn invoice(r: InvoiceRefused) -> &'static str {
    match r {
        InvoiceRefused::NotDraft => "Only a draft can be sent.",
        InvoiceRefused::NotVoidable => {
            "Only a draft, or a sent invoice with no payment, can be voided; delete its payments first."
        }
    }
}

pub fn quote(r: QuoteRefused) -> String {
    match r {
        QuoteRefused::NoStep => "Choose what happens to the quote.".into(),
        QuoteRefused::NotFrom(shown) => format!("This quote is {}.", shown.to_lowercase()),
        QuoteRefused::Expired => "This quote has expired; send a new one.".into(),
    }
}

pub fn payment(r: &PaymentRefused) -> String {
    match r {
        PaymentRefused::NotPayable => "Payments go on a sent invoice that is not yet paid.".into(),
        PaymentRefused::NoDate => "Give the date of the payment (YYYY-MM-DD).".into(),
        PaymentRefused::NoMethod => "Choose how it was paid.".into(),
        PaymentRefused::NotPositive => "The amount must be more than zero.".into(),
        PaymentRefused::Amount(why) => format!("Amount: {why}"),
        PaymentRefused::MoreThanOwed { owed, currency } => format!(
            "That is more than the {} {} still owed.",
            currency.format(*owed),
            currency.code
        ),
    }
}
