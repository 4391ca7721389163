//! Calendar events of a client: start before end, all-day, type, a contact and a
//! technician. The month grid is in `web::calendar`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::resource::Resource;
use crate::schema::client_calendar_events;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Events;

crate::form_record! {
    pub struct EventData for client_calendar_events as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        user_id: Option<i64> = Field::new("user_id", "Technician", Kind::Ref(RefKind::User)),
        title: String = Field::text("title", "Title").required(),
        description: Option<String> = Field::new("description", "Description", Kind::TextArea),
        start_date: NaiveDateTime = Field::new("start_date", "Starts", Kind::DateTime).required(),
        end_date: Option<NaiveDateTime> = Field::new("end_date", "Ends", Kind::DateTime),
        all_day: bool = Field::new("all_day", "All day", Kind::Bool),
        location: Option<String> = Field::text("location", "Where"),
        kind: Option<String> = Field::new("type", "Type", Kind::Choice(TYPES)),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_calendar_events)]
pub struct Event {
    pub id: i64,
    #[diesel(embed)]
    pub data: EventData,
    pub deleted_at: Option<NaiveDateTime>,
}

const TYPES: &[(&str, &str)] = &[
    ("onsite", "On-site visit"),
    ("remote", "Remote session"),
    ("maintenance", "Maintenance window"),
    ("meeting", "Meeting"),
    ("review", "Business review"),
    ("reminder", "Reminder"),
];

impl Resource for Events {
    const SLUG: &'static str = "calendar";
    const SINGULAR: &'static str = "event";
    const PLURAL: &'static str = "Calendar";
    /// Events repeat their titles ("Monthly maintenance"): a title and a start name one.
    const IMPORT_KEY: &'static [&'static str] = &["title", "start_date"];
    const FIELDS: &'static [Field] = &[
        field::title,
        field::kind,
        field::start_date,
        field::end_date,
        field::all_day,
        field::location,
        field::contact_id,
        field::user_id,
        field::description,
    ];
    const COLUMNS: &'static [&'static str] =
        &["title", "type", "start_date", "end_date", "user_id"];
    const SEARCH_HINT: &'static str = "Title, place, description";
    const VIEWS: &'static [(&'static str, &'static str)] = &[("month", "Month view")];

    type Row = Event;

    fn title(row: &Event) -> String {
        row.data.title.clone()
    }
    fn to_input(row: &Event) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(start), Some(end)) = (
            v.datetime(field::start_date.name),
            v.datetime(field::end_date.name),
        ) && end < start
        {
            errors.add(
                field::end_date.name,
                "An event cannot end before it starts.",
            );
        }
    }

    scoped_crud!(
        table: client_calendar_events,
        row: Event,
        data: EventData,
        search: [title, location, description],
        sort: { field::start_date.name => start_date, field::title.name => title, field::kind.name => kind, field::end_date.name => end_date, field::user_id.name => user_id },
    );
}

/// The live events of a client that overlap [from, to), for the month grid.
pub fn between(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    use client_calendar_events as t;
    crate::of_client!(t, cs)
        .filter(t::deleted_at.is_null())
        .filter(t::start_date.lt(to))
        .filter(
            t::end_date
                .ge(from)
                .or(t::end_date.is_null().and(t::start_date.ge(from))),
        )
        .order(t::start_date.asc())
        .select(Event::as_select())
        .load(conn)
}
