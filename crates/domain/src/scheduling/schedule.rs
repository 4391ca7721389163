//! Recurring schedules. Each run is computed from the first one (the anchor), never from
//! the previous run: a monthly schedule anchored on the 31st falls on the last day of
//! shorter months and returns to the 31st afterwards.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

pub const FREQUENCIES: &[(&str, &str)] = &[
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semiannually", "Every six months"),
    ("yearly", "Yearly"),
];

/// The n-th run (0 = the anchor itself), or `None` for an unknown frequency or a date
/// past chrono's range.
pub(crate) fn nth_run(anchor: NaiveDateTime, frequency: &str, n: u32) -> Option<NaiveDateTime> {
    let days = |d: i64| anchor.checked_add_signed(Duration::days(d * n as i64));
    match frequency {
        "daily" => days(1),
        "weekly" => days(7),
        "biweekly" => days(14),
        "monthly" => add_months(anchor, n),
        "quarterly" => add_months(anchor, 3 * n),
        "semiannually" => add_months(anchor, 6 * n),
        "yearly" => add_months(anchor, 12 * n),
        _ => None,
    }
}

/// Period `n` of a schedule every `months` months from `anchor`, by the same month-end
/// rule (recurring invoices).
pub(crate) fn nth_month(anchor: NaiveDate, months: u32, n: u32) -> Option<NaiveDate> {
    add_months(
        anchor.and_time(chrono::NaiveTime::MIN),
        months.checked_mul(n)?,
    )
    .map(|d| d.date())
}

pub(crate) fn next_runs(anchor: NaiveDateTime, frequency: &str, count: u32) -> Vec<NaiveDateTime> {
    (0..count)
        .filter_map(|n| nth_run(anchor, frequency, n))
        .collect()
}

/// The same day-of-month `months` later, clamped to the month's last day.
fn add_months(at: NaiveDateTime, months: u32) -> Option<NaiveDateTime> {
    let total = at.year() as i64 * 12 + at.month0() as i64 + months as i64;
    let (year, month0) = (
        i32::try_from(total.div_euclid(12)).ok()?,
        total.rem_euclid(12) as u32,
    );
    let day = at.day().min(days_in_month(year, month0 + 1)?);
    Some(NaiveDate::from_ymd_opt(year, month0 + 1, day)?.and_time(at.time()))
}

pub(crate) fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((next - first).num_days() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn dates(anchor: NaiveDateTime, f: &str, n: u32) -> Vec<String> {
        next_runs(anchor, f, n)
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect()
    }

    #[test]
    fn every_frequency() {
        let a = at(2026, 1, 15);
        assert_eq!(
            dates(a, "daily", 3),
            ["2026-01-15", "2026-01-16", "2026-01-17"]
        );
        assert_eq!(
            dates(a, "weekly", 3),
            ["2026-01-15", "2026-01-22", "2026-01-29"]
        );
        assert_eq!(
            dates(a, "biweekly", 3),
            ["2026-01-15", "2026-01-29", "2026-02-12"]
        );
        assert_eq!(
            dates(a, "monthly", 3),
            ["2026-01-15", "2026-02-15", "2026-03-15"]
        );
        assert_eq!(
            dates(a, "quarterly", 3),
            ["2026-01-15", "2026-04-15", "2026-07-15"]
        );
        assert_eq!(
            dates(a, "semiannually", 3),
            ["2026-01-15", "2026-07-15", "2027-01-15"]
        );
        assert_eq!(
            dates(a, "yearly", 3),
            ["2026-01-15", "2027-01-15", "2028-01-15"]
        );
        assert!(next_runs(a, "fortnightly", 3).is_empty());
    }

    #[test]
    fn month_end_clamps_and_returns() {
        assert_eq!(
            dates(at(2026, 1, 31), "monthly", 5),
            [
                "2026-01-31",
                "2026-02-28",
                "2026-03-31",
                "2026-04-30",
                "2026-05-31"
            ]
        );
        assert_eq!(
            dates(at(2027, 12, 31), "monthly", 3),
            ["2027-12-31", "2028-01-31", "2028-02-29"]
        );
        assert_eq!(
            dates(at(2026, 11, 30), "quarterly", 2),
            ["2026-11-30", "2027-02-28"]
        );
    }

    #[test]
    fn leap_years() {
        assert_eq!(
            dates(at(2024, 2, 29), "yearly", 5),
            [
                "2024-02-29",
                "2025-02-28",
                "2026-02-28",
                "2027-02-28",
                "2028-02-29"
            ]
        );
        assert_eq!(
            dates(at(2028, 2, 28), "daily", 3),
            ["2028-02-28", "2028-02-29", "2028-03-01"]
        );
        assert_eq!(days_in_month(2100, 2), Some(28), "2100 is not a leap year");
        assert_eq!(days_in_month(2000, 2), Some(29));
    }
}
