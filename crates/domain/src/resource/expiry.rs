//! Expiry badges (licenses, certificates, domains) and the list filter on them.

use chrono::{Duration, NaiveDate};

pub const FILTERS: &[(&str, &str)] = &[
    ("expired", "Expired"),
    ("30", "Expires within 30 days"),
    ("90", "Expires in 31–90 days"),
    ("ok", "Later or never"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub class: &'static str,
    pub label: String,
}

pub fn badge(expiry: Option<NaiveDate>, today: NaiveDate) -> Option<Badge> {
    let date = expiry?;
    let days = (date - today).num_days();
    Some(match days {
        d if d < 0 => Badge {
            class: "expired",
            label: "Expired".into(),
        },
        0 => Badge {
            class: "soon",
            label: "Expires today".into(),
        },
        d if d <= 30 => Badge {
            class: "soon",
            label: format!("Expires in {d} days"),
        },
        d if d <= 90 => Badge {
            class: "later",
            label: format!("Expires in {d} days"),
        },
        _ => Badge {
            class: "ok",
            label: "OK".into(),
        },
    })
}

/// The (from, to) date bounds of a filter value, inclusive; `None` bound is open.
/// "ok" also matches rows with no expiry date (handled by the caller).
pub fn bounds(filter: &str, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    match filter {
        "expired" => Some((None, Some(today - Duration::days(1)))),
        "30" => Some((Some(today), Some(today + Duration::days(30)))),
        "90" => Some((
            Some(today + Duration::days(31)),
            Some(today + Duration::days(90)),
        )),
        "ok" => Some((Some(today + Duration::days(91)), None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_by_distance() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let on = |d: i64| badge(Some(today + Duration::days(d)), today).unwrap().class;
        assert_eq!(on(-1), "expired");
        assert_eq!(on(0), "soon");
        assert_eq!(on(30), "soon");
        assert_eq!(on(31), "later");
        assert_eq!(on(90), "later");
        assert_eq!(on(91), "ok");
        assert_eq!(badge(None, today), None);
    }
}
