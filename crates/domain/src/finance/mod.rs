//! Money owed and paid: currencies and the one rounding rule (`totals`), the lines of
//! invoices, quotes and recurring templates (`lines`), invoices and their payments,
//! quotes, recurring billing, expenses, the unbilled work that becomes invoices, and
//! the figures (balance, aging, monthly recurring) pages show to billing roles.

pub mod documents;
pub mod expenses;
pub mod figures;
pub(crate) mod invoice_status;
pub mod invoices;
pub mod lines;
pub mod payments;
pub mod quote_status;
pub mod quotes;
pub mod recurring;
pub mod refused;
pub mod registers;
pub mod seed;
pub mod totals;
pub mod unbilled;

/// The money tables that are not registry resources, with the path segment of their
/// pages (`/clients/{cid}/<segment>/{id}`): activity lines link to them, and they are
/// hidden from whoever does not see money.
pub const DOCUMENTS: &[(&str, &str)] = &[
    (invoices::TABLE, "invoices"),
    (quotes::TABLE, "quotes"),
    (recurring::TABLE, "recurring-invoices"),
];

/// This context's client sub-resources (`registry::each` walks every context).
pub fn each(v: &mut impl crate::resource::Visitor) {
    v.visit::<expenses::Expenses>();
}
