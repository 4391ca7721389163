//! The tenant's scheduler settings: the time zone its dates are read in, what a
//! recurring ticket does after downtime, the expiry lead times, whether auto-renewing
//! items stay quiet, and the overdue reminder.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::error::AppResult;
use crate::policy::{require, Action, Area, Perm};
use crate::scheduling::runs::CatchUp;
use crate::schema::companies;
use crate::scope::{TenantId, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

pub const CATCH_UP: &[(&str, &str)] = &[
    ("all", "Open a ticket for every missed run"),
    ("latest", "Open only the latest missed run"),
];

/// The longest lead time (a year) and the most of them.
const MAX_LEAD: i32 = 366;
const MAX_LEADS: usize = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub time_zone: Tz,
    pub catch_up: CatchUp,
    /// Days before an expiry date, largest first (0: on the day).
    pub leads: Vec<i32>,
    pub quiet_auto_renew: bool,
    /// Days after the due date an unpaid invoice is reminded of; `None`: never.
    pub overdue_days: Option<i32>,
    /// What the tenant's mail is signed with, and where replies go (empty: the
    /// server's sender).
    pub sender_name: String,
    pub reply_to: String,
}

impl Schedule {
    /// The tenant's wall clock at `now`.
    pub fn local(&self, now: DateTime<Utc>) -> NaiveDateTime {
        now.with_timezone(&self.time_zone).naive_local()
    }
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.local(now).date()
    }
    pub fn leads_text(&self) -> String {
        self.leads
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl From<Schedule> for ScheduleInput {
    /// The stored settings as the form shows them.
    fn from(s: Schedule) -> Self {
        ScheduleInput {
            time_zone: s.time_zone.name().to_string(),
            catch_up: s.catch_up.key().into(),
            leads: s.leads_text(),
            quiet_auto_renew: s.quiet_auto_renew.then(|| "on".into()),
            overdue_days: s.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
            sender_name: s.sender_name,
            reply_to: s.reply_to,
        }
    }
}

/// The settings as the form gives them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ScheduleInput {
    pub time_zone: String,
    pub catch_up: String,
    pub leads: String,
    pub quiet_auto_renew: Option<String>,
    pub overdue_days: String,
    pub sender_name: String,
    pub reply_to: String,
}

/// "30, 7, 1, 0" → [30, 7, 1, 0] (distinct, largest first).
pub fn parse_leads(text: &str) -> Result<Vec<i32>, String> {
    let mut leads = vec![];
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i32>() {
            Ok(d) if (0..=MAX_LEAD).contains(&d) => leads.push(d),
            _ => {
                return Err(format!(
                    "Lead times: {part:?} is not a number of days from 0 to {MAX_LEAD}."
                ))
            }
        }
    }
    leads.sort_unstable_by(|a, b| b.cmp(a));
    leads.dedup();
    if leads.len() > MAX_LEADS {
        return Err(format!("Lead times: at most {MAX_LEADS}."));
    }
    Ok(leads)
}

type Row = (
    String,
    String,
    String,
    bool,
    Option<i32>,
    Option<String>,
    Option<String>,
);

fn from_row((tz, catch_up, leads, quiet, overdue, sender, reply): Row) -> Schedule {
    Schedule {
        time_zone: tz.parse().unwrap_or(Tz::UTC),
        catch_up: CatchUp::parse(&catch_up).unwrap_or(CatchUp::All),
        leads: parse_leads(&leads).unwrap_or_else(|_| vec![30, 7, 1, 0]),
        quiet_auto_renew: quiet,
        overdue_days: overdue,
        sender_name: sender.unwrap_or_default(),
        reply_to: reply.unwrap_or_default(),
    }
}

macro_rules! columns {
    () => {
        (
            companies::time_zone,
            companies::catch_up,
            companies::expiry_leads,
            companies::quiet_auto_renew,
            companies::overdue_reminder_days,
            companies::mail_sender_name,
            companies::mail_reply_to,
        )
    };
}

pub fn load(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<Schedule> {
    companies::table
        .find(tenant.get())
        .select(columns!())
        .first::<Row>(conn)
        .map(from_row)
}

/// Every tenant with its settings (the scheduler's round).
pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<(TenantId, Schedule)>> {
    let rows: Vec<(i64, Row)> = companies::table
        .order(companies::id)
        .select((companies::id, columns!()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| (TenantId::trusted(id), from_row(row)))
        .collect())
}

/// Checks and stores the settings; the errors when they do not pass.
pub fn save(
    conn: &mut AnyConnection,
    who: &Who,
    input: &ScheduleInput,
) -> AppResult<Result<Schedule, Vec<String>>> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let mut errors = vec![];
    let time_zone = input.time_zone.trim().parse::<Tz>().unwrap_or_else(|_| {
        errors.push(format!(
            "Time zone: {:?} is not a time zone name such as Europe/Berlin or America/New_York.",
            input.time_zone.trim()
        ));
        Tz::UTC
    });
    let catch_up = CatchUp::parse(&input.catch_up).unwrap_or_else(|| {
        errors.push("After downtime: choose one of the two.".into());
        CatchUp::All
    });
    let leads = parse_leads(&input.leads).unwrap_or_else(|e| {
        errors.push(e);
        vec![]
    });
    let overdue_days = match input.overdue_days.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(d) if (0..=365).contains(&d) => Some(d),
            _ => {
                errors.push(
                    "Overdue reminder: a number of days from 0 to 365, or empty for none.".into(),
                );
                None
            }
        },
    };
    let sender_name: String = input.sender_name.trim().chars().take(100).collect();
    let reply_to = input.reply_to.trim().to_string();
    // Both go into mail headers, where a line break would end the header.
    for (label, value) in [("Sender name", &sender_name), ("Reply-to", &reply_to)] {
        if value.chars().any(char::is_control) {
            errors.push(format!(
                "{label}: one line, without control characters (a line break, a tab)."
            ));
        }
    }
    if !reply_to.is_empty() && !crate::forms::values::is_email(&reply_to) {
        errors.push(format!("Reply-to: {reply_to:?} is not an e-mail address."));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let s = Schedule {
        time_zone,
        catch_up,
        leads,
        quiet_auto_renew: input.quiet_auto_renew.is_some(),
        overdue_days,
        sender_name,
        reply_to,
    };
    write_transaction(conn, |conn| {
        diesel::update(companies::table.find(who.tenant().get()))
            .set((
                companies::time_zone.eq(s.time_zone.name()),
                companies::catch_up.eq(s.catch_up.key()),
                companies::expiry_leads.eq(s.leads_text()),
                companies::quiet_auto_renew.eq(s.quiet_auto_renew),
                companies::overdue_reminder_days.eq(s.overdue_days),
                companies::mail_sender_name.eq(Some(&s.sender_name).filter(|n| !n.is_empty())),
                companies::mail_reply_to.eq(Some(&s.reply_to).filter(|r| !r.is_empty())),
                companies::updated_at.eq(who.now()),
            ))
            .execute(conn)?;
        let changes = json!({
            "time_zone": s.time_zone.name(),
            "catch_up": input.catch_up,
            "leads": s.leads_text(),
            "quiet_auto_renew": s.quiet_auto_renew,
            "overdue_days": s.overdue_days,
            "sender_name": s.sender_name,
            "reply_to": s.reply_to,
        });
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_tenant("scheduler", None, "update", changes),
        )?;
        Ok(Ok(s.clone()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_times_read_largest_first_without_repeats() {
        assert_eq!(parse_leads("1, 30,7,0, 7"), Ok(vec![30, 7, 1, 0]));
        assert_eq!(parse_leads(""), Ok(vec![]));
        assert!(parse_leads("30, soon").is_err());
        assert!(parse_leads("-1").is_err());
    }

    #[test]
    fn the_tenant_day_follows_its_zone() {
        let s = Schedule {
            time_zone: "Pacific/Auckland".parse().unwrap(),
            ..from_row((
                "UTC".into(),
                "all".into(),
                "30,7,1,0".into(),
                true,
                None,
                None,
                None,
            ))
        };
        let now = DateTime::parse_from_rfc3339("2026-11-27T13:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(s.today(now).to_string(), "2026-11-28");
    }
}
