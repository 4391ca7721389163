//! Client contacts: the people at a client. At most one primary contact per client.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::{links, Audience, Extra, Resource};
use crate::schema::client_contacts;
use crate::scope::ClientScope;
use crate::{related, scoped_crud};
use mspdesk_platform::db::AnyConnection;

pub struct Contacts;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_contacts)]
pub struct Contact {
    pub id: i64,
    #[diesel(embed)]
    pub data: ContactData,
    pub deleted_at: Option<NaiveDateTime>,
}

crate::form_record! {
    pub struct ContactData for client_contacts as field {
        name: String = Field::text("name", "Name").required(),
        title: Option<String> = Field::text("title", "Title"),
        email: Option<String> = Field::new("email", "E-mail", Kind::Email),
        phone: Option<String> = Field::new("phone", "Phone", Kind::Phone),
        mobile: Option<String> = Field::new("mobile", "Mobile", Kind::Phone),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location))
            .help("The site where the person works"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
        is_primary: bool = Field::new("primary", "Primary contact", Kind::Bool)
            .help("The one person to call first; only one per client"),
        billing: bool = Field::new("billing", "Billing", Kind::Bool),
        technical: bool = Field::new("technical", "Technical", Kind::Bool),
        important: bool = Field::new("important", "Important", Kind::Bool),
        department: Option<String> = Field::text("department", "Department"),
    }
}

impl Resource for Contacts {
    const SLUG: &'static str = "contacts";
    const SINGULAR: &'static str = "contact";
    const PLURAL: &'static str = "Contacts";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::title,
        field::department,
        field::email,
        field::phone,
        field::mobile,
        field::location_id,
        field::is_primary,
        field::billing,
        field::technical,
        field::important,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::title.name,
        field::email.name,
        field::phone.name,
        field::is_primary.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, title, e-mail, phone, mobile, department";
    const EXCLUSIVE: Option<&'static str> = Some(field::is_primary.name);

    type Row = Contact;

    fn title(row: &Contact) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Contact) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }

    /// What links to this contact, per the design's relations.
    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Contact,
        aud: &Audience,
    ) -> AppResult<Extra> {
        let id = Some(row.id);
        let sections = [
            related!(
                conn,
                cs,
                client_addresses.contact_id = id,
                name,
                "addresses",
                "Addresses"
            ),
            related!(
                conn,
                cs,
                client_locations.contact_id = id,
                name,
                "locations",
                "Locations managed"
            ),
            related!(
                conn,
                cs,
                client_licenses.contact_id = id,
                name,
                "licenses",
                "Licenses"
            ),
            related!(
                conn,
                cs,
                client_credentials.contact_id = id,
                name,
                "credentials",
                "Credentials"
            ),
            related!(
                conn,
                cs,
                client_documents.contact_id = id,
                name,
                "documents",
                "Documents"
            ),
            related!(
                conn,
                cs,
                client_files.contact_id = id,
                name,
                "files",
                "Files"
            ),
            related!(
                conn,
                cs,
                client_calendar_events.contact_id = id,
                title,
                "calendar",
                "Calendar events"
            ),
            crate::service_desk::tickets::section(
                conn,
                cs,
                crate::service_desk::tickets::About::Contact,
                row.id,
            )?,
        ];
        Ok(links::visible(
            "Linked to this contact",
            sections.into(),
            aud,
        ))
    }

    fn insert_in_bulk(_: &crate::forms::Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_contacts,
        row: Contact,
        data: ContactData,
        search: [name, title, email, phone, mobile, department],
        sort: { field::name.name => name, field::title.name => title, field::email.name => email, field::phone.name => phone, field::is_primary.name => is_primary },
        exclusive: is_primary,
    );
}
