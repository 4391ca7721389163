//! What a restored row must be, whatever the file says: the rules the forms and
//! services keep, for the values no form writes — a status one of its states, a
//! currency one mspdesk knows, amounts not below zero, a time zone by its name, a
//! header-bound setting without line breaks. A row that breaks one is refused with the
//! reason, never stored to fail a page later.

use crate::currency;
use crate::finance::quote_status::QuoteStatus;
use crate::finance::{invoices, payments};
use crate::forms::values::is_email;
use crate::service_desk::{service::MAX_MINUTES, status};
use mspdesk_platform::db::sql::Value;

use super::rows::Row;

/// Why the row of `table` cannot be stored, if it cannot; an e-mail address is stored
/// as the forms store it (lower case).
pub fn check(table: &str, row: &mut Row) -> Result<(), String> {
    if table == "users" {
        let email = row.text("email").unwrap_or("").trim().to_lowercase();
        row.set("email", Value::Text(Some(email)));
    }
    let row = &*row;
    let known = |column: &str, is_known: &dyn Fn(&str) -> bool| match row.text(column) {
        Some(v) if !is_known(v) => Err(format!("{column} \"{v}\" is not one of mspdesk's.")),
        _ => Ok(()),
    };
    let one_of = |column: &str, choices: &[(&str, &str)]| {
        known(column, &|v| choices.iter().any(|(c, _)| *c == v))
    };
    let not_negative =
        |columns: &[&str]| match columns.iter().find(|c| row.int(c).is_some_and(|v| v < 0)) {
            Some(c) => Err(format!("{c} is below zero.")),
            None => Ok(()),
        };
    match table {
        "users" => {
            if !(1..=3).contains(&row.int("role").unwrap_or(0)) {
                return Err("role is not one of mspdesk's.".into());
            }
            match row.text("email") {
                Some(e) if is_email(e) => {}
                _ => return Err("email is not an e-mail address.".into()),
            }
            single_line(row, &["name", "email"])
        }
        "invoices" => {
            known("status", &|v| invoices::InvoiceStatus::parse(v).is_some())?;
            one_of("currency", currency::CHOICES)?;
            not_negative(&["subtotal", "discount", "tax", "total", "paid"])
        }
        "quotes" => {
            // Expired is shown, never stored: a row saying so would not read back.
            known("status", &|v| QuoteStatus::parse(v).is_some())?;
            one_of("currency", currency::CHOICES)?;
            not_negative(&["subtotal", "discount", "tax", "total"])
        }
        "recurring_invoices" => {
            one_of("currency", currency::CHOICES)?;
            if !(1..=120).contains(&row.int("months").unwrap_or(0)) {
                return Err("months is not a number of months from 1 to 120.".into());
            }
            not_negative(&["subtotal", "discount", "tax", "total", "next_period"])
        }
        "billing_lines" => {
            for c in ["quantity", "unit_price", "tax_percent", "discount_percent"] {
                let text = row.text(c).unwrap_or("");
                if text.parse::<bigdecimal::BigDecimal>().is_err() {
                    return Err(format!("{c} \"{text}\" is not a number."));
                }
            }
            not_negative(&["amount", "discount", "tax"])
        }
        "payments" => {
            one_of("method", payments::METHODS)?;
            match row.int("amount") {
                Some(a) if a > 0 => Ok(()),
                _ => Err("amount is not above zero.".into()),
            }
        }
        "ticket_replies" => match row.int("minutes") {
            Some(m) if (0..=MAX_MINUTES as i64).contains(&m) => Ok(()),
            _ => Err(format!("minutes is not from 0 to {MAX_MINUTES}.")),
        },
        "client_files" => not_negative(&["file_size"]),
        "tickets" => one_of("status", status::STATUSES),
        "counters" => {
            one_of("name", &[("ticket", ""), ("invoice", ""), ("quote", "")])?;
            not_negative(&["last"])
        }
        "companies" => settings(row),
        _ => Ok(()),
    }
}

/// A tenant's settings as the settings pages would take them.
fn settings(row: &Row) -> Result<(), String> {
    if let Some(tz) = row.text("time_zone") {
        tz.parse::<chrono_tz::Tz>()
            .map_err(|_| format!("time_zone \"{tz}\" is not a time zone."))?;
    }
    if !matches!(row.text("catch_up"), Some("all" | "latest")) {
        return Err("catch_up is not one of mspdesk's.".into());
    }
    crate::automation::settings::parse_leads(row.text("expiry_leads").unwrap_or(""))?;
    if !(0..=2).contains(&row.int("require_2fa").unwrap_or(-1)) {
        return Err("require_2fa is not one of mspdesk's.".into());
    }
    if serde_json::from_str::<Vec<String>>(row.text("disabled_features").unwrap_or("")).is_err() {
        return Err("disabled_features is not a list.".into());
    }
    for prefix in ["ticket_prefix", "invoice_prefix", "quote_prefix"] {
        if row.text(prefix).is_none_or(|p| p.chars().count() > 10) {
            return Err(format!("{prefix} is missing or longer than 10 characters."));
        }
    }
    if let Some(reply) = row.text("mail_reply_to").filter(|r| !r.is_empty())
        && !is_email(reply)
    {
        return Err("mail_reply_to is not an e-mail address.".into());
    }
    // Values that end up in mail headers or on one line of a page.
    single_line(
        row,
        &[
            "mail_sender_name",
            "mail_reply_to",
            "email",
            "ticket_prefix",
            "invoice_prefix",
            "quote_prefix",
            "time_zone",
        ],
    )
}

fn single_line(row: &Row, columns: &[&str]) -> Result<(), String> {
    for c in columns {
        if let Value::Text(Some(t)) = row.get(c)
            && t.chars().any(char::is_control)
        {
            return Err(format!("{c} holds a line break or a control character."));
        }
    }
    Ok(())
}
