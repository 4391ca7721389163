//! Recurring tickets: a schedule and the ticket it will open (subject, priority,
//! assignee, stored as JSON template data). The detail page previews the next runs;
//! generating the tickets comes with the ticket domain.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Extra;
use crate::domain::resource::{Audience, Resource, Writer};
use crate::domain::scheduling::schedule;
use crate::domain::schema::client_recurring_tickets;
use crate::domain::scope::ClientScope;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct RecurringTickets;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_recurring_tickets, treat_none_as_null = true)]
pub struct RecurringData {
    pub name: String,
    pub description: Option<String>,
    pub frequency: String,
    pub next_run_date: NaiveDateTime,
    pub active: bool,
    pub template_data: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_recurring_tickets)]
pub struct Recurring {
    pub id: i64,
    #[diesel(embed)]
    pub data: RecurringData,
    pub last_run_date: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The ticket each run opens.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TicketTemplate {
    pub subject: String,
    pub priority: String,
    pub assignee_id: Option<i64>,
}

pub const PRIORITIES: &[(&str, &str)] = &[
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
];

impl From<&Values> for RecurringData {
    fn from(v: &Values) -> Self {
        let template = TicketTemplate {
            subject: v.req_text("subject"),
            priority: v.text("priority").unwrap_or_else(|| "medium".into()),
            assignee_id: v.int("assignee_id"),
        };
        RecurringData {
            name: v.req_text("name"),
            description: v.text("description"),
            frequency: v.req_text("frequency"),
            next_run_date: v.datetime("next_run_date").unwrap_or_default(),
            active: v.bool("active"),
            template_data: serde_json::to_string(&template).unwrap_or_else(|_| "{}".into()),
        }
    }
}

impl Resource for RecurringTickets {
    const SLUG: &'static str = "recurring-tickets";
    const SINGULAR: &'static str = "recurring ticket";
    const PLURAL: &'static str = "Recurring tickets";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name")
            .required()
            .help("e.g. Monthly patch review"),
        Field::new(
            "frequency",
            "Frequency",
            Kind::Choice(schedule::FREQUENCIES),
        )
        .required(),
        Field::new("next_run_date", "Next run", Kind::DateTime).required(),
        Field::new("active", "Active", Kind::Bool),
        Field::text("subject", "Ticket subject").required(),
        Field::new("priority", "Ticket priority", Kind::Choice(PRIORITIES)).required(),
        Field::new("assignee_id", "Assign to", Kind::Ref(RefKind::User)),
        Field::new("description", "Description", Kind::TextArea),
        Field::new("last_run_date", "Last run", Kind::DateTime).computed(),
    ];
    const COLUMNS: &'static [&'static str] =
        &["name", "frequency", "next_run_date", "active", "subject"];
    const SEARCH_HINT: &'static str = "Name, description";

    type Row = Recurring;

    fn title(row: &Recurring) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Recurring) -> FormInput {
        let d = &row.data;
        let t: TicketTemplate = serde_json::from_str(&d.template_data).unwrap_or_default();
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set("frequency", &d.frequency);
        f.set(
            "next_run_date",
            d.next_run_date.format("%Y-%m-%dT%H:%M").to_string(),
        );
        f.set_bool("active", d.active);
        f.set("subject", t.subject);
        f.set("priority", t.priority);
        f.set_opt("assignee_id", t.assignee_id);
        f.set_opt("description", d.description.as_ref());
        f.set_opt(
            "last_run_date",
            row.last_run_date.map(|d| d.format("%Y-%m-%dT%H:%M")),
        );
        f
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set("frequency", "monthly");
        f.set("priority", "medium");
        f.set_bool("active", true);
        Ok(f)
    }
    fn detail(
        _: &mut AnyConnection,
        _: &ClientScope,
        row: &Recurring,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::Schedule {
            runs: schedule::next_runs(row.data.next_run_date, &row.data.frequency, 5)
                .iter()
                .map(|d| d.format("%a %Y-%m-%d %H:%M").to_string())
                .collect(),
            active: row.data.active,
        })
    }

    scoped_crud!(
        table: client_recurring_tickets,
        row: Recurring,
        data: RecurringData,
        search: [name, description],
        sort: { "name" => name, "frequency" => frequency, "next_run_date" => next_run_date, "active" => active },
    );
}
