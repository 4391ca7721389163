//! Money owed and paid: currencies and the one rounding rule of invoice and quote
//! lines (`totals`). Invoices, payments, quotes, recurring billing and expenses build
//! on these.

pub mod currency;
pub mod invoices;
pub mod payments;
pub mod totals;
