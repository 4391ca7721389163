//! Client contacts: the people at a client. At most one primary contact per client.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, Values};
use crate::domain::resource::{links, Audience, Extra, Resource};
use crate::domain::schema::client_contacts;
use crate::domain::scope::ClientScope;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::{related, scoped_crud};

pub struct Contacts;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_contacts)]
pub struct Contact {
    pub id: i64,
    #[diesel(embed)]
    pub data: ContactData,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_contacts, treat_none_as_null = true)]
pub struct ContactData {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_primary: bool,
    pub billing: bool,
    pub technical: bool,
    pub important: bool,
    pub department: Option<String>,
}

impl From<&Values> for ContactData {
    fn from(v: &Values) -> Self {
        ContactData {
            name: v.req_text("name"),
            title: v.text("title"),
            email: v.text("email"),
            phone: v.text("phone"),
            is_primary: v.bool("primary"),
            billing: v.bool("billing"),
            technical: v.bool("technical"),
            important: v.bool("important"),
            department: v.text("department"),
        }
    }
}

impl Resource for Contacts {
    const SLUG: &'static str = "contacts";
    const SINGULAR: &'static str = "contact";
    const PLURAL: &'static str = "Contacts";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name").required(),
        Field::text("title", "Title"),
        Field::text("department", "Department"),
        Field::new("email", "E-mail", Kind::Email),
        Field::new("phone", "Phone", Kind::Phone),
        Field::new("primary", "Primary contact", Kind::Bool)
            .help("The one person to call first; only one per client"),
        Field::new("billing", "Billing", Kind::Bool),
        Field::new("technical", "Technical", Kind::Bool),
        Field::new("important", "Important", Kind::Bool),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "title", "email", "phone", "primary"];
    const AREA: crate::domain::tenancy::policy::Area =
        crate::domain::tenancy::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, title, e-mail, phone, department";
    const EXCLUSIVE: Option<&'static str> = Some("primary");

    type Row = Contact;

    fn title(row: &Contact) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Contact) -> FormInput {
        let mut f = FormInput::default();
        f.set("name", &row.data.name);
        f.set_opt("title", row.data.title.as_ref());
        f.set_opt("department", row.data.department.as_ref());
        f.set_opt("email", row.data.email.as_ref());
        f.set_opt("phone", row.data.phone.as_ref());
        f.set_bool("primary", row.data.is_primary);
        f.set_bool("billing", row.data.billing);
        f.set_bool("technical", row.data.technical);
        f.set_bool("important", row.data.important);
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
        ];
        Ok(links::visible(
            "Linked to this contact",
            sections.into(),
            aud,
        ))
    }

    scoped_crud!(
        table: client_contacts,
        row: Contact,
        data: ContactData,
        search: [name, title, email, phone, department],
        sort: { "name" => name, "title" => title, "email" => email, "phone" => phone, "primary" => is_primary },
        exclusive: is_primary,
    );
}
