//! Client locations (sites): where things stand. One primary per client; a contact as
//! the site's manager; the detail page lists what is at the site.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::{links, Audience, Extra, Resource};
use crate::domain::schema::client_locations;
use crate::domain::scope::ClientScope;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::{related, scoped_crud};

pub struct Locations;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_locations, treat_none_as_null = true)]
pub struct LocationData {
    pub contact_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    pub address_line_1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip_code: Option<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_locations)]
pub struct Location {
    pub id: i64,
    #[diesel(embed)]
    pub data: LocationData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for LocationData {
    fn from(v: &Values) -> Self {
        LocationData {
            contact_id: v.int("contact_id"),
            name: v.req_text("name"),
            description: v.text("description"),
            address_line_1: v.text("address_line_1"),
            city: v.text("city"),
            state: v.text("state"),
            zip_code: v.text("zip_code"),
            phone: v.text("phone"),
            hours: v.text("hours"),
            is_primary: v.bool("primary"),
            notes: v.text("notes"),
        }
    }
}

impl Resource for Locations {
    const SLUG: &'static str = "locations";
    const SINGULAR: &'static str = "location";
    const PLURAL: &'static str = "Locations";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name").required(),
        Field::new("description", "Description", Kind::TextArea),
        Field::text("address_line_1", "Address"),
        Field::text("city", "City"),
        Field::text("state", "State / region"),
        Field::text("zip_code", "Postal code").max_len(20),
        Field::new("phone", "Phone", Kind::Phone),
        Field::text("hours", "Opening hours").help("e.g. Mon–Fri 8:00–17:00"),
        Field::new("contact_id", "Site manager", Kind::Ref(RefKind::Contact)),
        Field::new("primary", "Primary location", Kind::Bool).help("Only one per client"),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] =
        &["name", "address_line_1", "city", "contact_id", "primary"];
    const AREA: crate::domain::tenancy::policy::Area =
        crate::domain::tenancy::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, address, city, phone";
    const EXCLUSIVE: Option<&'static str> = Some("primary");

    type Row = Location;

    fn title(row: &Location) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Location) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("description", d.description.as_ref());
        f.set_opt("address_line_1", d.address_line_1.as_ref());
        f.set_opt("city", d.city.as_ref());
        f.set_opt("state", d.state.as_ref());
        f.set_opt("zip_code", d.zip_code.as_ref());
        f.set_opt("phone", d.phone.as_ref());
        f.set_opt("hours", d.hours.as_ref());
        f.set_opt("contact_id", d.contact_id);
        f.set_bool("primary", d.is_primary);
        f.set_opt("notes", d.notes.as_ref());
        f
    }

    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Location,
        aud: &Audience,
    ) -> AppResult<Extra> {
        let id = Some(row.id);
        let sections = [
            related!(
                conn,
                cs,
                client_licenses.location_id = id,
                name,
                "licenses",
                "Licenses"
            ),
            related!(
                conn,
                cs,
                client_credentials.location_id = id,
                name,
                "credentials",
                "Credentials"
            ),
            related!(
                conn,
                cs,
                client_racks.location_id = id,
                name,
                "racks",
                "Racks"
            ),
            related!(
                conn,
                cs,
                client_services.location_id = id,
                name,
                "services",
                "Services"
            ),
            related!(
                conn,
                cs,
                client_documents.location_id = id,
                name,
                "documents",
                "Documents"
            ),
            related!(
                conn,
                cs,
                client_files.location_id = id,
                name,
                "files",
                "Files"
            ),
        ];
        Ok(links::visible("At this location", sections.into(), aud))
    }

    scoped_crud!(
        table: client_locations,
        row: Location,
        data: LocationData,
        search: [name, address_line_1, city, state, zip_code, phone],
        sort: { "name" => name, "address_line_1" => address_line_1, "city" => city, "contact_id" => contact_id, "primary" => is_primary },
        exclusive: is_primary,
    );
}
