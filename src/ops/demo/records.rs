//! One demo client's records — its people, places and schedule here, its
//! documentation proper in `documentation.rs` — varied by the client's index so the
//! lists differ.

use chrono::{Duration, Utc};
use diesel::QueryResult;

use super::data::{PEOPLE, STREETS};
use super::{insert, Env};
use crate::domain::directory::addresses::field as address;
use crate::domain::directory::addresses::Addresses;
use crate::domain::directory::contacts::field as contact;
use crate::domain::directory::contacts::Contacts;
use crate::domain::directory::locations::field as location;
use crate::domain::directory::locations::Locations;
use crate::domain::scheduling::calendar::field as event;
use crate::domain::scheduling::calendar::Events;
use crate::domain::scheduling::recurring::field as recurring;
use crate::domain::scheduling::recurring::RecurringTickets;
use crate::domain::scheduling::trips::field as trip;
use crate::domain::scheduling::trips::Trips;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;

pub(super) type Client = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub(super) fn s(v: impl ToString) -> String {
    v.to_string()
}

pub fn client(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    i: usize,
    c: &Client,
    env: &Env,
) -> QueryResult<()> {
    let (_name, domain, city, state, ..) = *c;
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();

    let mut contacts = vec![];
    for k in 0..(2 + i % 3) {
        let (person, title, dept) = PEOPLE[(i * 3 + k) % PEOPLE.len()];
        let first = person.split(' ').next().unwrap_or(person).to_lowercase();
        let flag = |on: bool| if on { s("on") } else { String::new() };
        contacts.push(insert::<Contacts>(
            conn,
            cs,
            &[
                (contact::name, s(person)),
                (contact::title, s(title)),
                (contact::department, s(dept)),
                (contact::email, format!("{first}@{domain}")),
                (
                    contact::phone,
                    format!("(555) 02{:02}-{:04}", i, 2000 + k * 11),
                ),
                (
                    contact::mobile,
                    if k == 0 {
                        format!("(555) 09{:02}-{:04}", i, 4000 + k)
                    } else {
                        String::new()
                    },
                ),
                (
                    contact::notes,
                    s(if dept == "Executive" {
                        "Prefers a call to e-mail; approves spending over $1,000."
                    } else {
                        ""
                    }),
                ),
                (contact::is_primary, flag(k == 0)),
                (contact::billing, flag(dept == "Finance" || k == 0)),
                (
                    contact::technical,
                    flag(dept == "IT" || dept == "Operations"),
                ),
                (contact::important, flag(dept == "Executive")),
            ],
            env,
        )?);
    }
    let manager = s(contacts[0]);
    let street = |k: usize| format!("{} {}", 100 + i * 17 + k, STREETS[(i + k) % STREETS.len()]);
    for k in 0..(1 + i % 2) {
        insert::<Addresses>(
            conn,
            cs,
            &[
                (
                    address::name,
                    s(if k == 0 { "Head office" } else { "Billing" }),
                ),
                (address::address_line_1, street(k)),
                (address::city, s(city)),
                (address::state, s(state)),
                (address::zip_code, format!("9{:04}", 7000 + i * 13)),
                (address::country, s("United States")),
                (address::contact_id, manager.clone()),
                (address::is_primary, s(if k == 0 { "on" } else { "" })),
            ],
            env,
        )?;
    }
    let hq = s(insert::<Locations>(
        conn,
        cs,
        &[
            (location::name, s("Head office")),
            (location::address_line_1, street(0)),
            (location::address_line_2, format!("Suite {}", 100 + i * 10)),
            (location::city, s(city)),
            (location::state, s(state)),
            (location::country, s("United States")),
            (location::phone, format!("(555) 03{:02}-1000", i)),
            (location::hours, s("Mon–Fri 8:00–17:00")),
            (location::contact_id, manager.clone()),
            (location::is_primary, s("on")),
            (
                location::notes,
                s("Server closet behind reception; badge required after hours."),
            ),
        ],
        env,
    )?);
    if i.is_multiple_of(3) {
        insert::<Locations>(
            conn,
            cs,
            &[
                (location::name, s("Branch office")),
                (location::address_line_1, street(5)),
                (location::city, s(city)),
                (location::state, s(state)),
            ],
            env,
        )?;
    }

    // The people work at the head office (known only once it exists).
    for id in &contacts {
        super::set::<Contacts>(conn, cs, *id, contact::location_id, &hq, env)?;
    }

    super::documentation::client(conn, cs, i, c, env, &manager, &hq)?;

    let tech = s(env.tech_id);
    insert::<Events>(
        conn,
        cs,
        &[
            (event::title, s("Quarterly business review")),
            (event::kind, s("review")),
            (
                event::start_date,
                format!("{}T10:00", day(3 + i as i64 % 20)),
            ),
            (event::end_date, format!("{}T11:00", day(3 + i as i64 % 20))),
            (event::contact_id, manager.clone()),
            (event::user_id, s(env.admin_id)),
        ],
        env,
    )?;
    insert::<Events>(
        conn,
        cs,
        &[
            (event::title, s("Firewall firmware update")),
            (event::kind, s("maintenance")),
            (
                event::start_date,
                format!("{}T19:00", day(i as i64 % 28 - 7)),
            ),
            (event::end_date, format!("{}T21:00", day(i as i64 % 28 - 7))),
            (event::location, s("Remote")),
            (event::user_id, tech.clone()),
        ],
        env,
    )?;
    insert::<Trips>(
        conn,
        cs,
        &[
            (trip::purpose, s("On-site: replace switch")),
            (trip::start_date, day(-(i as i64 % 30) - 1)),
            (trip::mileage, s(8 + i * 3)),
            (trip::rate_per_mile, s("0.670")),
            (trip::billable, s("on")),
            (trip::user_id, tech.clone()),
        ],
        env,
    )?;
    insert::<RecurringTickets>(
        conn,
        cs,
        &[
            (recurring::name, s("Monthly patch review")),
            (recurring::frequency, s("monthly")),
            (
                recurring::next_run_date,
                format!("{}T08:00", day(i as i64 % 25 - 3)),
            ),
            (recurring::active, s("on")),
            (recurring::subject, s("Review and approve pending patches")),
            (recurring::priority, s("medium")),
            (recurring::assignee_id, tech.clone()),
        ],
        env,
    )?;
    insert::<RecurringTickets>(
        conn,
        cs,
        &[
            (recurring::name, s("Backup restore test")),
            (recurring::frequency, s("quarterly")),
            (
                recurring::next_run_date,
                format!("{}T09:00", day(30 + i as i64)),
            ),
            (recurring::active, s("on")),
            (
                recurring::subject,
                s("Restore a test file from last night's backup"),
            ),
            (recurring::priority, s("high")),
        ],
        env,
    )?;
    Ok(())
}
