//! Calendar events of a client: start before end, all-day, type, a contact and a
//! technician. The month grid is in `web::calendar`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Resource;
use crate::domain::schema::client_calendar_events;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Events;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_calendar_events, treat_none_as_null = true)]
pub struct EventData {
    pub contact_id: Option<i64>,
    pub user_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub start_date: NaiveDateTime,
    pub end_date: Option<NaiveDateTime>,
    pub all_day: bool,
    pub location: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_calendar_events)]
pub struct Event {
    pub id: i64,
    #[diesel(embed)]
    pub data: EventData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for EventData {
    fn from(v: &Values) -> Self {
        EventData {
            contact_id: v.int("contact_id"),
            user_id: v.int("user_id"),
            title: v.req_text("title"),
            description: v.text("description"),
            start_date: v.datetime("start_date").unwrap_or_default(),
            end_date: v.datetime("end_date"),
            all_day: v.bool("all_day"),
            location: v.text("location"),
            kind: v.text("type"),
        }
    }
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
    const FIELDS: &'static [Field] = &[
        Field::text("title", "Title").required(),
        Field::new("type", "Type", Kind::Choice(TYPES)),
        Field::new("start_date", "Starts", Kind::DateTime).required(),
        Field::new("end_date", "Ends", Kind::DateTime),
        Field::new("all_day", "All day", Kind::Bool),
        Field::text("location", "Where"),
        Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        Field::new("user_id", "Technician", Kind::Ref(RefKind::User)),
        Field::new("description", "Description", Kind::TextArea),
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
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("title", &d.title);
        f.set_opt("type", d.kind.as_ref());
        f.set(
            "start_date",
            d.start_date.format("%Y-%m-%dT%H:%M").to_string(),
        );
        f.set_opt("end_date", d.end_date.map(|e| e.format("%Y-%m-%dT%H:%M")));
        f.set_bool("all_day", d.all_day);
        f.set_opt("location", d.location.as_ref());
        f.set_opt("contact_id", d.contact_id);
        f.set_opt("user_id", d.user_id);
        f.set_opt("description", d.description.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(start), Some(end)) = (v.datetime("start_date"), v.datetime("end_date")) {
            if end < start {
                errors.add("end_date", "An event cannot end before it starts.");
            }
        }
    }

    scoped_crud!(
        table: client_calendar_events,
        row: Event,
        data: EventData,
        search: [title, location, description],
        sort: { "start_date" => start_date, "title" => title, "type" => kind, "end_date" => end_date, "user_id" => user_id },
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
