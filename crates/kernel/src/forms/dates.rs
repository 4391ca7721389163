//! Dates typed by people, parsed in one place: years 1–9999 only, the range both
//! databases store (PostgreSQL refuses year −4714, chrono parses up to ±262 143, and
//! date arithmetic near either end panics).

use chrono::{Datelike, NaiveDate, NaiveDateTime};

pub const MIN_YEAR: i32 = 1;
pub const MAX_YEAR: i32 = 9999;

fn in_range<T: Datelike>(d: T) -> Option<T> {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year()).then_some(d)
}

/// `YYYY-MM-DD`.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .and_then(in_range)
}

/// `YYYY-MM-DDTHH:MM` (the browser's datetime-local) or `YYYY-MM-DD HH:MM`.
pub fn datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()
        .and_then(in_range)
}

/// `YYYY-MM`, as the first day of that month.
pub fn month(s: &str) -> Option<NaiveDate> {
    date(&format!("{}-01", s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_years_both_databases_store() {
        assert!(date("2026-11-27").is_some());
        assert!(date("9999-12-31").is_some());
        assert!(date("0001-01-01").is_some());
        for far in ["+262142-12-31", "-4714-01-01", "10000-01-01", "0000-01-01"] {
            assert_eq!(date(far), None, "{far}");
        }
        assert_eq!(month("+262142-12"), None);
        assert!(month("2026-02").is_some());
        assert!(datetime("2026-11-27T10:30").is_some());
        assert_eq!(datetime("+262142-11-27T10:30"), None);
    }
}
