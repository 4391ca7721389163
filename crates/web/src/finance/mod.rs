//! The money pages: a client's billing tab (figures, invoices, payments, quotes,
//! recurring invoices, unbilled work), its billing terms, invoices with their printed
//! copy, quotes, recurring templates, a statement of account, and the tenant-wide
//! Finance section. Every route needs the Billing area: technicians get 403.

pub mod billing;
pub mod chart;
pub mod editor;
pub mod invoices;
pub mod overview;
pub mod quotes;
pub mod recurring;
pub mod refused;
pub mod terms;

use actix_web::web;

use crate::domain::currency::Currency;
use crate::domain::policy::{Action, Area, Perm};
use crate::routes::Table;

pub fn routes(t: &mut Table) {
    let view = Perm::new(Area::Billing, Action::View);
    let edit = Perm::new(Area::Billing, Action::Edit);
    t.get("/finance", view, None, || web::get().to(overview::show));
    t.get("/finance/invoices", view, None, || {
        web::get().to(overview::invoices)
    });
    t.get("/finance/payments", view, None, || {
        web::get().to(overview::payments)
    });
    t.get("/finance/quotes", view, None, || {
        web::get().to(overview::quotes)
    });
    t.get("/finance/recurring", view, None, || {
        web::get().to(overview::recurring)
    });
    t.get("/finance/expenses", view, None, || {
        web::get().to(overview::expenses)
    });
    t.get("/clients/{id}/billing", view, None, || {
        web::get().to(billing::show)
    });
    t.get("/clients/{id}/billing/terms", edit, None, || {
        web::get().to(terms::edit)
    });
    t.post("/clients/{id}/billing/terms", edit, None, || {
        web::post().to(terms::update)
    });
    t.get("/clients/{cid}/statement", view, None, || {
        web::get().to(billing::statement)
    });
    t.post("/clients/{cid}/unbilled", edit, None, || {
        web::post().to(billing::bill)
    });
    invoices::routes(t, view, edit);
    quotes::routes(t, view, edit);
    recurring::routes(t, view, edit);
}

/// An amount with its currency: `1234.50 USD`.
pub fn money(code: &str, minor: i64) -> String {
    match Currency::of(code) {
        Some(c) => format!("{} {}", c.format(minor), c.code),
        None => format!("{minor} {code}"),
    }
}

/// A document's lines and totals as every money page shows them (`finance/lines.html`).
pub struct LinesView {
    pub rows: Vec<LineRow>,
    /// (label, amount) from subtotal to total.
    pub totals: Vec<(&'static str, String)>,
}

pub struct LineRow {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_percent: String,
    /// Quantity × price less the line's discount.
    pub net: String,
}

impl LinesView {
    /// `figures`: subtotal, discount, tax, total, in minor units of `code`.
    pub fn new(
        stored: &[crate::domain::finance::lines::StoredLine],
        code: &str,
        figures: [i64; 4],
    ) -> Self {
        let c = Currency::of(code);
        let fmt = |v: i64| c.map_or(v.to_string(), |c| c.format(v));
        let pct = |s: &str| {
            if s == "0" {
                String::new()
            } else {
                format!("{s} %")
            }
        };
        let [subtotal, discount, tax, total] = figures;
        let mut totals = vec![("Subtotal", fmt(subtotal))];
        if discount != 0 {
            totals.push(("Discount", format!("−{}", fmt(discount))));
        }
        totals.push(("Tax", fmt(tax)));
        totals.push(("Total", money(code, total)));
        LinesView {
            rows: stored
                .iter()
                .map(|l| LineRow {
                    description: l.description.clone(),
                    quantity: l.quantity.clone(),
                    unit_price: l.unit_price.clone(),
                    discount_percent: pct(&l.discount_percent),
                    tax_percent: pct(&l.tax_percent),
                    net: fmt(l.amount - l.discount),
                })
                .collect(),
            totals,
        }
    }
}
