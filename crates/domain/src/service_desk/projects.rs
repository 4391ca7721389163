//! Projects: a client's larger pieces of work (a migration, a roll-out), led by a
//! technician, with a due date; their tickets show the progress.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::{Audience, Extra, Resource, Writer};
use crate::schema::{projects, tickets};
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Projects;

pub const STATUSES: &[(&str, &str)] = &[
    ("planned", "Planned"),
    ("active", "Active"),
    ("on_hold", "On hold"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
];

/// The projects still to be finished, for counts.
pub const OPEN_SQL: &str = "status IN ('planned', 'active', 'on_hold')";

crate::form_record! {
    pub struct ProjectData for projects as field {
        name: String = Field::text("name", "Name").required().help("e.g. Microsoft 365 migration"),
        status: String = Field::new("status", "Status", Kind::Choice(STATUSES)).required(),
        manager_id: Option<i64> = Field::new("manager_id", "Manager", Kind::Ref(RefKind::User)),
        due_date: Option<NaiveDate> = Field::new("due_date", "Due", Kind::Date),
        description: Option<String> = Field::new("description", "Description", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct Project {
    pub id: i64,
    #[diesel(embed)]
    pub data: ProjectData,
    pub deleted_at: Option<NaiveDateTime>,
}

/// A project's tickets, done of all, for its page.
#[derive(Debug, Clone)]
pub struct Progress {
    pub done: i64,
    pub total: i64,
    /// (href, "T-1042 Subject", status label)
    pub tickets: Vec<(String, String, &'static str)>,
}

impl Progress {
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.done * 100 / self.total
        }
    }
}

impl Resource for Projects {
    const SLUG: &'static str = "projects";
    const SINGULAR: &'static str = "project";
    const PLURAL: &'static str = "Projects";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::status,
        field::manager_id,
        field::due_date,
        field::description,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::status.name,
        field::manager_id.name,
        field::due_date.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Technical;
    const SEARCH_HINT: &'static str = "Name, description";
    const COUNT_WHERE: &'static str = OPEN_SQL;

    type Row = Project;

    fn title(row: &Project) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Project) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, who: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set(field::status.name, "planned");
        f.set(field::manager_id.name, who.user_id.to_string());
        Ok(f)
    }
    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Project,
        _: &Audience,
    ) -> AppResult<Extra> {
        let rows: Vec<(i64, Option<String>, String, String)> = crate::of_client!(tickets, cs)
            .filter(tickets::project_id.eq(row.id))
            .filter(tickets::deleted_at.is_null())
            .order(tickets::number.asc())
            .select((
                tickets::id,
                tickets::reference,
                tickets::subject,
                tickets::status,
            ))
            .load(conn)?;
        let done = rows
            .iter()
            .filter(|r| super::status::TicketStatus::parse(&r.3).is_some_and(|s| s.is_done()))
            .count() as i64;
        Ok(Extra::Project(Progress {
            done,
            total: rows.len() as i64,
            tickets: rows
                .into_iter()
                .map(|(id, reference, subject, status)| {
                    (
                        format!("/clients/{}/tickets/{id}", cs.client_id()),
                        format!("{} {subject}", reference.unwrap_or_default()),
                        super::status::label(&status),
                    )
                })
                .collect(),
        }))
    }

    scoped_crud!(
        table: projects,
        row: Project,
        data: ProjectData,
        search: [name, description],
        sort: { field::name.name => name, field::status.name => status, field::manager_id.name => manager_id, field::due_date.name => due_date },
    );
}
