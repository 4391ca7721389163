//! Calendar events as iCalendar (RFC 5545). Times are stored as the tenant's wall
//! clock; the feed gives them in UTC (`…Z`), computed in the tenant's time zone, so
//! every calendar shows them right without a VTIMEZONE block. All-day events are
//! dates (`VALUE=DATE`, the end exclusive).

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::lines::{escape, push};

pub struct Entry<'a> {
    pub id: i64,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub location: Option<&'a str>,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
    pub all_day: bool,
    /// Whose event it is (the client), shown as a category.
    pub client: &'a str,
}

/// The wall-clock time in `tz` as UTC (a time in a DST gap is read an hour later).
fn utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn write(name: &str, tz: Tz, events: &[Entry], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    push(&mut out, "BEGIN:VCALENDAR");
    push(&mut out, "VERSION:2.0");
    push(&mut out, "PRODID:-//mspdesk//calendar feed//EN");
    push(&mut out, "CALSCALE:GREGORIAN");
    push(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        push(&mut out, "BEGIN:VEVENT");
        push(&mut out, &format!("UID:event-{}@mspdesk", e.id));
        push(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        if e.all_day {
            let first = e.start.date();
            let last = e.end.map_or(first, |d| d.date()).max(first);
            push(
                &mut out,
                &format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")),
            );
            let after = last + Duration::days(1);
            push(
                &mut out,
                &format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")),
            );
        } else {
            let end = e
                .end
                .filter(|d| *d > e.start)
                .unwrap_or(e.start + Duration::hours(1));
            push(&mut out, &format!("DTSTART:{}", stamp(utc(tz, e.start))));
            push(&mut out, &format!("DTEND:{}", stamp(utc(tz, end))));
        }
        push(&mut out, &format!("SUMMARY:{}", escape(e.title)));
        if let Some(l) = e.location.filter(|l| !l.is_empty()) {
            push(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if let Some(d) = e.description.filter(|d| !d.is_empty()) {
            push(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        push(&mut out, &format!("CATEGORIES:{}", escape(e.client)));
        push(&mut out, "END:VEVENT");
    }
    push(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_times_become_utc_in_the_tenant_zone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(stamp(utc(tz, at("2027-01-15 09:00"))), "20270115T080000Z");
        assert_eq!(stamp(utc(tz, at("2027-07-15 09:00"))), "20270715T070000Z");
        // 02:30 on the spring-forward night does not exist: read as 03:30 CEST.
        assert_eq!(stamp(utc(tz, at("2027-03-28 02:30"))), "20270328T013000Z");
    }
}
