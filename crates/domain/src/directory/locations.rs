//! Client locations (sites): where things stand. One primary per client; a contact as
//! the site's manager; the detail page lists what is at the site.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::{links, Audience, Extra, Resource};
use crate::schema::client_locations;
use crate::scope::ClientScope;
use crate::{related, scoped_crud};
use mspdesk_platform::db::AnyConnection;

pub struct Locations;

crate::form_record! {
    pub struct LocationData for client_locations as field {
        contact_id: Option<i64> = Field::new("contact_id", "Site manager", Kind::Ref(RefKind::Contact)),
        name: String = Field::text("name", "Name").required(),
        description: Option<String> = Field::new("description", "Description", Kind::TextArea),
        address_line_1: Option<String> = Field::text("address_line_1", "Address"),
        address_line_2: Option<String> = Field::text("address_line_2", "Address line 2"),
        city: Option<String> = Field::text("city", "City"),
        state: Option<String> = Field::text("state", "State / region"),
        zip_code: Option<String> = Field::text("zip_code", "Postal code").max_len(20),
        country: Option<String> = Field::text("country", "Country"),
        phone: Option<String> = Field::new("phone", "Phone", Kind::Phone),
        hours: Option<String> = Field::text("hours", "Opening hours").help("e.g. Mon–Fri 8:00–17:00"),
        is_primary: bool = Field::new("primary", "Primary location", Kind::Bool).help("Only one per client"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_locations)]
pub struct Location {
    pub id: i64,
    #[diesel(embed)]
    pub data: LocationData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Locations {
    const SLUG: &'static str = "locations";
    const SINGULAR: &'static str = "location";
    const PLURAL: &'static str = "Locations";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::description,
        field::address_line_1,
        field::address_line_2,
        field::city,
        field::state,
        field::zip_code,
        field::country,
        field::phone,
        field::hours,
        field::contact_id,
        field::is_primary,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] =
        &["name", "address_line_1", "city", "contact_id", "primary"];
    const AREA: crate::policy::Area = crate::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, address, city, phone";
    const EXCLUSIVE: Option<&'static str> = Some(field::is_primary.name);

    type Row = Location;

    fn title(row: &Location) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Location) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
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
                client_networks.location_id = id,
                name,
                "networks",
                "Networks"
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
            related!(conn, cs, assets.location_id = id, name, "assets", "Assets"),
            crate::service_desk::tickets::section(
                conn,
                cs,
                crate::service_desk::tickets::About::Location,
                row.id,
            )?,
        ];
        Ok(links::visible("At this location", sections.into(), aud))
    }

    fn insert_in_bulk(_: &crate::forms::Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_locations,
        row: Location,
        data: LocationData,
        search: [name, address_line_1, city, state, zip_code, phone],
        sort: { field::name.name => name, field::address_line_1.name => address_line_1, field::city.name => city, field::contact_id.name => contact_id, field::is_primary.name => is_primary },
        exclusive: is_primary,
    );
}
