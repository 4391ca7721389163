//! Tickets: a client's requests and incidents, each with a per-tenant number
//! (`T-1042`), a status only replies move (`status`), a priority, who reported it, where,
//! for which asset, who works on it, in which project and by when.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{status, timeline};
use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::outbox::event::Event;
use crate::resource::{Audience, Extra, Resource};
use crate::schema::{companies, tickets};
use crate::scope::{ClientId, ClientScope};
use crate::scoped_crud;
use crate::tenancy::numbering;
use mspdesk_platform::db::AnyConnection;

pub struct Tickets;

pub const PRIORITIES: &[(&str, &str)] = &[
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
];

crate::form_record! {
    pub struct TicketData for tickets as field {
        subject: String = Field::text("subject", "Subject").required(),
        priority: String = Field::new("priority", "Priority", Kind::Choice(PRIORITIES)).required(),
        category: Option<String> = Field::text("category", "Category").help("e.g. Hardware, E-mail, Network"),
        contact_id: Option<i64> = Field::new("contact_id", "Reported by", Kind::Ref(RefKind::Contact)),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        asset_id: Option<i64> = Field::new("asset_id", "Asset", Kind::Ref(RefKind::Asset)),
        assignee_id: Option<i64> = Field::new("assignee_id", "Assigned to", Kind::Ref(RefKind::User)),
        project_id: Option<i64> = Field::new("project_id", "Project", Kind::Ref(RefKind::Project)),
        due_date: Option<NaiveDate> = Field::new("due_date", "Due", Kind::Date),
        details: Option<String> = Field::new("details", "Details", Kind::Markdown),
    }
}

/// Given by the server: the number when the ticket is created, the status by replies.
pub const REFERENCE: Field = Field::text("reference", "Ticket").computed();
pub const STATUS: Field = Field::new("status", "Status", Kind::Choice(status::STATUSES)).computed();

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    pub id: i64,
    pub reference: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    #[diesel(embed)]
    pub data: TicketData,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Ticket {
    pub fn reference(&self) -> &str {
        self.reference.as_deref().unwrap_or("")
    }
}

impl Resource for Tickets {
    const SLUG: &'static str = "tickets";
    const SINGULAR: &'static str = "ticket";
    const PLURAL: &'static str = "Tickets";
    const FIELDS: &'static [Field] = &[
        REFERENCE,
        field::subject,
        STATUS,
        field::priority,
        field::category,
        field::contact_id,
        field::location_id,
        field::asset_id,
        field::assignee_id,
        field::project_id,
        field::due_date,
        field::details,
    ];
    const COLUMNS: &'static [&'static str] = &[
        REFERENCE.name,
        field::subject.name,
        STATUS.name,
        field::priority.name,
        field::assignee_id.name,
        field::due_date.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Technical;
    const SEARCH_HINT: &'static str = "Number, subject, category";
    const COUNT_WHERE: &'static str = status::OPEN_SQL;
    /// The number the desk shows ("T-1042"): a row of a ticket export names its ticket.
    const IMPORT_KEY: &'static [&'static str] = &[REFERENCE.name];

    type Row = Ticket;

    fn title(row: &Ticket) -> String {
        format!("{} {}", row.reference(), row.data.subject)
    }
    fn to_input(row: &Ticket) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f.set(REFERENCE.name, row.reference());
        f.set(STATUS.name, row.status.as_str());
        f
    }
    fn defaults(
        _: &mut AnyConnection,
        _: &ClientScope,
        who: crate::resource::Writer,
    ) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set(field::priority.name, "medium");
        f.set(field::assignee_id.name, who.user_id.to_string());
        Ok(f)
    }
    fn created_event(client: ClientId, ticket: i64) -> Option<Event> {
        Some(Event::TicketOpened { client, ticket })
    }
    /// The tenant's next number, in the creating transaction (`numbering`).
    fn created(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<()> {
        let number = numbering::next(conn, cs.tenant(), "ticket")?;
        let prefix: String = companies::table
            .find(cs.tenant_id())
            .select(companies::ticket_prefix)
            .first(conn)?;
        diesel::update(crate::of_client!(tickets, cs).filter(tickets::id.eq(id)))
            .set((
                tickets::number.eq(number),
                tickets::reference.eq(format!("{prefix}{number}")),
            ))
            .execute(conn)
            .map(|_| ())
    }
    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Ticket,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::Ticket(Box::new(timeline::load(conn, cs, row)?)))
    }

    scoped_crud!(
        table: tickets,
        row: Ticket,
        data: TicketData,
        search: [subject, reference, category],
        sort: { REFERENCE.name => number, field::subject.name => subject, STATUS.name => status, field::priority.name => priority, field::assignee_id.name => assignee_id, field::due_date.name => due_date },
    );
}

/// What a ticket can be about, for the "linked here" sections of those pages.
#[derive(Debug, Clone, Copy)]
pub enum About {
    Contact,
    Location,
    Asset,
}

/// The live tickets about one contact, location or asset, newest first, as a section
/// of links ("T-1042 Printer jam — Open").
pub fn section(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    about: About,
    id: i64,
) -> QueryResult<crate::resource::links::Section> {
    let q = crate::of_client!(tickets, cs)
        .filter(tickets::deleted_at.is_null())
        .into_boxed();
    let q = match about {
        About::Contact => q.filter(tickets::contact_id.eq(id)),
        About::Location => q.filter(tickets::location_id.eq(id)),
        About::Asset => q.filter(tickets::asset_id.eq(id)),
    };
    let rows: Vec<(i64, Option<String>, String, String)> = q
        .order(tickets::number.desc())
        .limit(50)
        .select((
            tickets::id,
            tickets::reference,
            tickets::subject,
            tickets::status,
        ))
        .load(conn)?;
    Ok(crate::resource::links::Section {
        slug: Tickets::SLUG,
        title: "Tickets",
        items: rows
            .into_iter()
            .map(|(tid, reference, subject, st)| {
                (
                    format!("/clients/{}/tickets/{tid}", cs.client_id()),
                    format!(
                        "{} {subject} — {}",
                        reference.unwrap_or_default(),
                        status::label(&st)
                    ),
                )
            })
            .collect(),
    })
}
