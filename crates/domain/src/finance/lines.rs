//! The lines of invoices, quotes and recurring templates: read from a form, checked and
//! priced by `totals`' rule in the document's currency, and stored in the one
//! `billing_lines` table (each line belongs to exactly one document).

use bigdecimal::BigDecimal;
use diesel::prelude::*;

use super::totals::{self, Line, LineTotals, Totals};
use crate::currency::Currency;
use crate::forms::FormInput;
use crate::schema::billing_lines;
use crate::scope::TenantId;
use mspdesk_platform::db::AnyConnection;

/// The most lines a document takes (a form posts at most this many rows).
pub const MAX_LINES: usize = 200;

/// The document a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Invoice(i64),
    Quote(i64),
    Recurring(i64),
}

/// A line as the form gives it (text, kept as typed when the form comes back).
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_percent: String,
    pub discount_percent: String,
}

impl LineInput {
    fn is_blank(&self) -> bool {
        [
            &self.description,
            &self.quantity,
            &self.unit_price,
            &self.tax_percent,
            &self.discount_percent,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The rows `l0_description`, `l0_quantity`, … of a lines form; blank rows are skipped.
pub fn from_form(input: &FormInput) -> Vec<LineInput> {
    (0..MAX_LINES)
        .map(|i| {
            let get = |k: &str| input.get(&format!("l{i}_{k}")).to_string();
            LineInput {
                description: get("description"),
                quantity: get("quantity"),
                unit_price: get("unit_price"),
                tax_percent: get("tax_percent"),
                discount_percent: get("discount_percent"),
            }
        })
        .filter(|l| !l.is_blank())
        .collect()
}

/// Checked lines with their rounded figures and the document's totals.
#[derive(Debug, Clone)]
pub struct Priced {
    pub lines: Vec<(String, Line, LineTotals)>,
    pub sum: Totals,
}

/// Reads an exact decimal from `0` to `max` with at most `decimals` places.
fn decimal(text: &str, what: &str, max: i64, decimals: i64) -> Result<BigDecimal, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(BigDecimal::from(0));
    }
    let v = crate::money::plain_decimal(text)
        .ok_or_else(|| format!("{what} must be a number, like 12.50."))?;
    let limit = BigDecimal::from(max);
    if v.sign() == bigdecimal::num_bigint::Sign::Minus || v > limit {
        return Err(format!("{what} must be from 0 to {max}."));
    }
    if v.normalized().fractional_digit_count() > decimals {
        return Err(format!("{what} takes at most {decimals} decimal places."));
    }
    Ok(v.normalized())
}

/// The lines, checked and priced; every problem named by its line.
pub fn price(input: &[LineInput], c: Currency) -> Result<Priced, Vec<String>> {
    let mut out = vec![];
    let mut errors = vec![];
    if input.len() > MAX_LINES {
        errors.push(format!("A document takes at most {MAX_LINES} lines."));
    }
    for (i, l) in input.iter().take(MAX_LINES).enumerate() {
        let n = i + 1;
        let description = l.description.trim().to_string();
        if description.is_empty() {
            errors.push(format!("Line {n}: a description is required."));
            continue;
        }
        let parsed = (|| {
            Ok::<_, String>(Line {
                quantity: decimal(&l.quantity, "Quantity", 1_000_000, 4)?,
                unit_price: decimal(&l.unit_price, "Unit price", 1_000_000_000, 6)?,
                tax_percent: decimal(&l.tax_percent, "Tax", 100, 3)?,
                discount_percent: decimal(&l.discount_percent, "Discount", 100, 3)?,
            })
        })();
        match parsed.and_then(|line| {
            totals::line(&line, c)
                .map(|t| (line, t))
                .map_err(|e| e.to_string())
        }) {
            Ok((line, t)) => out.push((description.chars().take(500).collect(), line, t)),
            Err(e) => errors.push(format!("Line {n}: {e}")),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push("Add at least one line.".into());
    }
    let each: Vec<LineTotals> = out.iter().map(|(_, _, t)| *t).collect();
    match totals::sum(&each) {
        Ok(sum) if errors.is_empty() => Ok(Priced { lines: out, sum }),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e.to_string());
            Err(errors)
        }
    }
}

/// A stored line, as pages show it and as it is copied to another document.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = billing_lines)]
pub struct StoredLine {
    pub position: i32,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_percent: String,
    pub discount_percent: String,
    pub amount: i64,
    pub discount: i64,
    pub tax: i64,
}

impl StoredLine {
    pub fn to_input(&self) -> LineInput {
        LineInput {
            description: self.description.clone(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            tax_percent: self.tax_percent.clone(),
            discount_percent: self.discount_percent.clone(),
        }
    }
}

type Owner = (Option<i64>, Option<i64>, Option<i64>);

fn owner(doc: Doc) -> Owner {
    match doc {
        Doc::Invoice(id) => (Some(id), None, None),
        Doc::Quote(id) => (None, Some(id), None),
        Doc::Recurring(id) => (None, None, Some(id)),
    }
}

/// The document's lines in order.
pub fn load(conn: &mut AnyConnection, tenant: TenantId, doc: Doc) -> QueryResult<Vec<StoredLine>> {
    let q = crate::of_tenant!(billing_lines, tenant).into_boxed();
    let q = match doc {
        Doc::Invoice(id) => q.filter(billing_lines::invoice_id.eq(id)),
        Doc::Quote(id) => q.filter(billing_lines::quote_id.eq(id)),
        Doc::Recurring(id) => q.filter(billing_lines::recurring_id.eq(id)),
    };
    q.order(billing_lines::position)
        .select(StoredLine::as_select())
        .load(conn)
}

/// Replaces the document's lines with `priced`'s (inside the caller's transaction).
pub fn store(
    conn: &mut AnyConnection,
    tenant: TenantId,
    doc: Doc,
    priced: &Priced,
) -> QueryResult<()> {
    let old = crate::of_tenant!(billing_lines, tenant).into_boxed();
    let old = match doc {
        Doc::Invoice(id) => old.filter(billing_lines::invoice_id.eq(id)),
        Doc::Quote(id) => old.filter(billing_lines::quote_id.eq(id)),
        Doc::Recurring(id) => old.filter(billing_lines::recurring_id.eq(id)),
    };
    let ids: Vec<i64> = old.select(billing_lines::id).load(conn)?;
    if !ids.is_empty() {
        diesel::delete(billing_lines::table.filter(billing_lines::id.eq_any(ids))).execute(conn)?;
    }
    let rows = rows(tenant, doc, priced);
    crate::with_backend!(conn, |c| diesel::insert_into(billing_lines::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// A line as stored.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = billing_lines)]
pub struct NewLine {
    tenant_id: i64,
    invoice_id: Option<i64>,
    quote_id: Option<i64>,
    recurring_id: Option<i64>,
    position: i32,
    description: String,
    quantity: String,
    unit_price: String,
    tax_percent: String,
    discount_percent: String,
    amount: i64,
    discount: i64,
    tax: i64,
}

/// The rows of `priced`'s lines for the document `doc`.
pub fn rows(tenant: TenantId, doc: Doc, priced: &Priced) -> Vec<NewLine> {
    let (invoice_id, quote_id, recurring_id) = owner(doc);
    priced
        .lines
        .iter()
        .enumerate()
        .map(|(i, (description, l, t))| NewLine {
            tenant_id: tenant.get(),
            invoice_id,
            quote_id,
            recurring_id,
            position: i as i32 + 1,
            description: description.clone(),
            quantity: l.quantity.to_string(),
            unit_price: l.unit_price.to_string(),
            tax_percent: l.tax_percent.to_string(),
            discount_percent: l.discount_percent.to_string(),
            amount: t.amount,
            discount: t.discount,
            tax: t.tax,
        })
        .collect()
}

/// Another document's lines, priced again in `c` (a quote accepted, a period invoiced).
pub(crate) fn reprice(stored: &[StoredLine], c: Currency) -> Result<Priced, Vec<String>> {
    let input: Vec<LineInput> = stored.iter().map(StoredLine::to_input).collect();
    price(&input, c)
}
