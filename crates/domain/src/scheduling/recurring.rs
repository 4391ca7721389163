//! Recurring tickets: a schedule and the ticket it will open (subject, priority,
//! assignee, stored as JSON template data). The detail page previews the next runs;
//! generating the tickets comes with the ticket domain.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind, Stored, Values};
use crate::resource::{Audience, Extra, Resource, Writer};
use crate::scheduling::schedule;
use crate::schema::client_recurring_tickets;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct RecurringTickets;

/// The next five runs as the pages show them.
fn runs(first: NaiveDateTime, frequency: &str) -> Vec<String> {
    schedule::next_runs(first, frequency, 5)
        .iter()
        .map(|d| d.format("%a %Y-%m-%d %H:%M").to_string())
        .collect()
}

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

/// One `Field` per form field, declared once; three of them live in the ticket
/// template rather than in columns, so the conversions below are written out.
#[allow(non_upper_case_globals)]
pub mod field {
    use super::*;
    pub const name: Field = Field::text("name", "Name")
        .required()
        .help("e.g. Monthly patch review");
    pub const frequency: Field = Field::new(
        "frequency",
        "Frequency",
        Kind::Choice(schedule::FREQUENCIES),
    )
    .required();
    pub const next_run_date: Field =
        Field::new("next_run_date", "Next run", Kind::DateTime).required();
    pub const active: Field = Field::new("active", "Active", Kind::Bool);
    pub const subject: Field = Field::text("subject", "Ticket subject").required();
    pub const priority: Field =
        Field::new("priority", "Ticket priority", Kind::Choice(PRIORITIES)).required();
    pub const assignee_id: Field = Field::new("assignee_id", "Assign to", Kind::Ref(RefKind::User));
    pub const description: Field = Field::new("description", "Description", Kind::TextArea);
    pub const last_run_date: Field =
        Field::new("last_run_date", "Last run", Kind::DateTime).computed();
}

impl From<&Values> for RecurringData {
    fn from(v: &Values) -> Self {
        let template = TicketTemplate {
            subject: Stored::read(v, &field::subject),
            priority: Stored::read(v, &field::priority),
            assignee_id: Stored::read(v, &field::assignee_id),
        };
        RecurringData {
            name: Stored::read(v, &field::name),
            description: Stored::read(v, &field::description),
            frequency: Stored::read(v, &field::frequency),
            next_run_date: Stored::read(v, &field::next_run_date),
            active: Stored::read(v, &field::active),
            template_data: serde_json::to_string(&template).unwrap_or_else(|_| "{}".into()),
        }
    }
}

impl Resource for RecurringTickets {
    const SLUG: &'static str = "recurring-tickets";
    const SINGULAR: &'static str = "recurring ticket";
    const PLURAL: &'static str = "Recurring tickets";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::frequency,
        field::next_run_date,
        field::active,
        field::subject,
        field::priority,
        field::assignee_id,
        field::description,
        field::last_run_date,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::frequency.name,
        field::next_run_date.name,
        field::active.name,
        field::subject.name,
    ];
    const SEARCH_HINT: &'static str = "Name, description";

    type Row = Recurring;

    fn title(row: &Recurring) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Recurring) -> FormInput {
        let d = &row.data;
        let t: TicketTemplate = serde_json::from_str(&d.template_data).unwrap_or_default();
        let mut f = FormInput::default();
        d.name.show(&field::name, &mut f);
        d.frequency.show(&field::frequency, &mut f);
        d.next_run_date.show(&field::next_run_date, &mut f);
        d.active.show(&field::active, &mut f);
        t.subject.show(&field::subject, &mut f);
        t.priority.show(&field::priority, &mut f);
        t.assignee_id.show(&field::assignee_id, &mut f);
        d.description.show(&field::description, &mut f);
        row.last_run_date.show(&field::last_run_date, &mut f);
        f
    }

    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set(field::frequency.name, "monthly");
        f.set(field::priority.name, "medium");
        f.set_bool(field::active.name, true);
        Ok(f)
    }
    fn preview(input: &FormInput) -> Option<Result<Vec<String>, String>> {
        let Some(first) = crate::forms::dates::datetime(input.get(field::next_run_date.name))
        else {
            return Some(Err(
                "Give the next run's date and time to preview the schedule.".into(),
            ));
        };
        let runs = runs(first, input.get(field::frequency.name));
        Some(if runs.is_empty() {
            Err("Choose a frequency to preview the schedule.".into())
        } else {
            Ok(runs)
        })
    }
    fn detail(
        _: &mut AnyConnection,
        _: &ClientScope,
        row: &Recurring,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::Schedule {
            runs: runs(row.data.next_run_date, &row.data.frequency),
            active: row.data.active,
        })
    }

    scoped_crud!(
        table: client_recurring_tickets,
        row: Recurring,
        data: RecurringData,
        search: [name, description],
        sort: { field::name.name => name, field::frequency.name => frequency, field::next_run_date.name => next_run_date, field::active.name => active },
    );
}
