//! Expenses: what the MSP spent for a client (hardware bought on its behalf, a courier,
//! a software subscription). A billable expense in the client's currency is offered as
//! unbilled work; once on an invoice it is not edited (void the invoice to free it).
//! The receipt is one of the client's files. Amounts are thousandths of the currency,
//! so every ISO 4217 minor unit is exact.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::currency::CHOICES;
use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::policy::Area;
use crate::resource::{Resource, Writer};
use crate::schema::{client_expenses, clients};
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Expenses;

pub const CATEGORIES: &[(&str, &str)] = &[
    ("hardware", "Hardware"),
    ("software", "Software"),
    ("travel", "Travel"),
    ("shipping", "Shipping"),
    ("subcontractor", "Subcontractor"),
    ("other", "Other"),
];

crate::form_record! {
    pub struct ExpenseData for client_expenses as field {
        spent_on: NaiveDate = Field::new("spent_on", "Date", Kind::Date).required(),
        vendor: String = Field::text("vendor", "Vendor").required(),
        category: Option<String> = Field::new("category", "Category", Kind::Choice(CATEGORIES)),
        amount: i64 = Field::new("amount", "Amount", Kind::Decimal { scale: 3 }).required(),
        currency: String = Field::new("currency", "Currency", Kind::Choice(CHOICES))
            .required()
            .help("Only expenses in the client's currency are offered for billing"),
        billable: bool = Field::new("billable", "Billable to the client", Kind::Bool),
        receipt_file_id: Option<i64> = Field::new("receipt_file_id", "Receipt", Kind::Ref(RefKind::File))
            .help("Upload it under Files first"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_expenses)]
pub struct Expense {
    pub id: i64,
    #[diesel(embed)]
    pub data: ExpenseData,
    pub invoice_id: Option<i64>,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Expenses {
    const SLUG: &'static str = "expenses";
    const SINGULAR: &'static str = "expense";
    const PLURAL: &'static str = "Expenses";
    const FIELDS: &'static [Field] = &[
        field::spent_on,
        field::vendor,
        field::category,
        field::amount,
        field::currency,
        field::billable,
        field::receipt_file_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::spent_on.name,
        field::vendor.name,
        field::category.name,
        field::amount.name,
        field::currency.name,
        field::billable.name,
    ];
    const AREA: Area = Area::Billing;
    const SEARCH_HINT: &'static str = "Vendor, notes";
    const LABEL_COLUMN: &'static str = "vendor";
    /// One vendor bills many times: a day, a vendor and an amount name one expense.
    const IMPORT_KEY: &'static [&'static str] = &["spent_on", "vendor", "amount"];

    type Row = Expense;

    fn title(row: &Expense) -> String {
        format!("{} — {}", row.data.spent_on, row.data.vendor)
    }
    fn to_input(row: &Expense) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    /// An amount has no more decimals than its currency: 5.001 USD is not an amount
    /// (stored in thousandths, it would be rounded when billed).
    fn check(values: &Values, errors: &mut Errors) {
        let (Some(amount), Some(code)) = (
            values.int(field::amount.name),
            values.text(field::currency.name),
        ) else {
            return;
        };
        let Some(c) = crate::currency::Currency::of(&code) else {
            return;
        };
        let step = 10i64.pow(3u32.saturating_sub(u32::from(c.minor)));
        if amount % step != 0 {
            errors.add(
                field::amount.name,
                match c.minor {
                    0 => format!("{code} amounts have no decimal places."),
                    n => format!("{code} amounts have at most {n} decimal places."),
                },
            );
        }
    }
    /// Billed expenses are part of an invoice: they stay as billed.
    fn may_write(row: Option<&Expense>, _values: Option<&Values>, _who: Writer) -> bool {
        row.is_none_or(|r| r.invoice_id.is_none())
    }
    /// Today, the client's currency, billable.
    fn defaults(conn: &mut AnyConnection, cs: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let currency: String = crate::of_tenant!(clients, cs.tenant())
            .filter(clients::id.eq(cs.client_id()))
            .select(clients::currency)
            .first(conn)?;
        let mut f = FormInput::default();
        f.set(field::spent_on.name, cs.today().to_string());
        f.set(field::currency.name, currency);
        f.set_bool(field::billable.name, true);
        Ok(f)
    }

    scoped_crud!(
        table: client_expenses,
        row: Expense,
        data: ExpenseData,
        search: [vendor, notes],
        sort: { field::spent_on.name => spent_on, field::vendor.name => vendor, field::category.name => category, field::amount.name => amount, field::currency.name => currency, field::billable.name => billable },
    );
}
