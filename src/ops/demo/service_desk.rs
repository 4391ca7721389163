//! The demo's service desk: a project and five tickets per client, in every status,
//! with public and internal replies, time worked (some billable), one overdue for
//! every third client — written through the same services as the pages, so the
//! timelines and the activity lists are the real thing.

use chrono::{Duration, Utc};
use diesel::QueryResult;

use super::records::s;
use super::Env;
use crate::domain::forms::{FormInput, RefKind};
use crate::domain::resource::{refs, service, Resource};
use crate::domain::scope::{ClientId, ClientScope, RecordId, Who};
use crate::domain::service_desk::projects::{field as project, Projects};
use crate::domain::service_desk::service::reply;
use crate::domain::service_desk::status::TicketStatus;
use crate::domain::service_desk::tickets::{field as ticket, Tickets};
use crate::error::AppError;
use crate::platform::db::AnyConnection;

pub(super) fn failed(e: AppError) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("demo service desk: {e}").into())
}

fn form(pairs: &[(&str, String)]) -> FormInput {
    let mut f = FormInput::default();
    for (k, v) in pairs {
        f.set(k, v.clone());
    }
    f
}

/// The id of the first option of `kind` whose label starts with `name`.
fn pick(opts: &crate::domain::forms::RefOptions, kind: RefKind, name: &str) -> String {
    opts.0
        .get(&kind)
        .and_then(|o| o.iter().find(|(_, l)| l.starts_with(name)))
        .map(|(id, _)| id.to_string())
        .unwrap_or_default()
}

/// A reply: text, "public" or not, minutes, billable.
type Step = (&'static str, &'static str, i32, bool);
/// Subject, priority, category, asset, due date, replies, final status.
type DemoTicket = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    String,
    &'static [Step],
    &'static str,
);

pub fn client(conn: &mut AnyConnection, cs: &ClientScope, i: usize, env: &Env) -> QueryResult<()> {
    let tech = env.tech.clone();
    let admin = env.admin.clone();
    let cid = ClientId(cs.client_id());
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let save = |conn: &mut AnyConnection, by: &Who, pairs: &[(&str, String)], project: bool| {
        let input = form(pairs);
        let saved = if project {
            service::save::<Projects>(conn, by, env.vault, cid, None, input)
        } else {
            service::save::<Tickets>(conn, by, env.vault, cid, None, input)
        };
        match saved.map_err(failed)? {
            Ok(id) => Ok::<RecordId, diesel::result::Error>(id),
            Err(invalid) => panic!("demo record is invalid: {:?}", invalid.errors.0),
        }
    };
    let project = save(
        conn,
        &admin,
        &[
            (project::name.name, s("Microsoft 365 migration")),
            (project::status.name, s("active")),
            (project::manager_id.name, s(env.tech_id)),
            (project::due_date.name, day(45 + i as i64)),
            (
                project::description.name,
                s("Move mailboxes and file shares to Microsoft 365; retire the old file server."),
            ),
        ],
        true,
    )?;
    let opts = refs::load(conn, cs, Tickets::FIELDS)?;
    let contact = |k: usize| {
        opts.0
            .get(&RefKind::Contact)
            .and_then(|o| o.get(k % o.len().max(1)))
            .map(|(id, _)| id.to_string())
            .unwrap_or_default()
    };
    let hq = pick(&opts, RefKind::Location, "Head office");
    let tickets: [DemoTicket; 5] = [
        (
            "Printer on the second floor jams",
            "low",
            "Hardware",
            "Reception PC",
            String::new(),
            &[],
            "",
        ),
        (
            "VPN drops every hour",
            "high",
            "Network",
            "FW01",
            day(if i.is_multiple_of(3) { -2 } else { 5 }),
            &[(
                "Checked the tunnel logs: DPD timeouts from the ISP side.",
                "",
                30,
                true,
            )],
            TicketStatus::Open.name(),
        ),
        (
            "New starter: laptop and accounts",
            "medium",
            "Onboarding",
            "",
            day(7),
            &[("Waiting for the start date from HR.", "", 15, false)],
            TicketStatus::OnHold.name(),
        ),
        (
            "Outlook keeps asking for the password",
            "medium",
            "E-mail",
            "",
            String::new(),
            &[(
                "Cleared stale credentials and re-created the profile; works again.",
                "public",
                20,
                true,
            )],
            TicketStatus::Resolved.name(),
        ),
        (
            "Replace failed disk in SRV01",
            "critical",
            "Hardware",
            "SRV01",
            day(-10),
            &[
                ("Ordered a replacement drive under warranty.", "", 10, false),
                (
                    "Swapped the disk and the array rebuilt overnight; all volumes healthy.",
                    "public",
                    90,
                    true,
                ),
            ],
            TicketStatus::Closed.name(),
        ),
    ];
    for (k, (subject, priority, category, asset, due, replies, status)) in
        tickets.into_iter().enumerate()
    {
        let id = save(
            conn,
            &tech,
            &[
                (ticket::subject.name, s(subject)),
                (ticket::priority.name, s(priority)),
                (ticket::category.name, s(category)),
                (ticket::contact_id.name, contact(k)),
                (ticket::location_id.name, hq.clone()),
                (
                    ticket::asset_id.name,
                    if asset.is_empty() {
                        String::new()
                    } else {
                        pick(&opts, RefKind::Asset, asset)
                    },
                ),
                (
                    ticket::assignee_id.name,
                    if k == 0 {
                        String::new()
                    } else {
                        s(env.tech_id)
                    },
                ),
                (
                    ticket::project_id.name,
                    if (2..4).contains(&k) {
                        s(project)
                    } else {
                        String::new()
                    },
                ),
                (ticket::due_date.name, due),
                (
                    ticket::details.name,
                    format!(
                        "Reported by phone.\n\n**Impact:** {}",
                        if k == 1 {
                            "remote staff cannot work"
                        } else {
                            "one user"
                        }
                    ),
                ),
            ],
            false,
        )?;
        for (n, (body, public, minutes, billable)) in replies.iter().enumerate() {
            let last = n + 1 == replies.len();
            let input = form(&[
                ("body", s(body)),
                ("public", s(public)),
                ("minutes", s(minutes)),
                ("billable", if *billable { s("on") } else { String::new() }),
                (
                    "status",
                    if last {
                        s(status)
                    } else if n == 0 {
                        s(TicketStatus::Open.name())
                    } else {
                        String::new()
                    },
                ),
            ]);
            if let Err(draft) = reply(conn, &tech, cid, RecordId(id.0), &input).map_err(failed)? {
                panic!("demo reply refused: {}", draft.error);
            }
        }
    }
    Ok(())
}
