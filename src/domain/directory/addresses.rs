//! Client addresses (postal, billing, shipping…), optionally tied to a contact. At most
//! one primary address per client.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Resource;
use crate::domain::schema::client_addresses;
use crate::scoped_crud;

pub struct Addresses;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_addresses)]
pub struct Address {
    pub id: i64,
    #[diesel(embed)]
    pub data: AddressData,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_addresses, treat_none_as_null = true)]
pub struct AddressData {
    pub contact_id: Option<i64>,
    pub name: String,
    pub address_line_1: String,
    pub address_line_2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip_code: Option<String>,
    pub country: Option<String>,
    pub is_primary: bool,
}

impl From<&Values> for AddressData {
    fn from(v: &Values) -> Self {
        AddressData {
            contact_id: v.int("contact_id"),
            name: v.req_text("name"),
            address_line_1: v.req_text("address_line_1"),
            address_line_2: v.text("address_line_2"),
            city: v.text("city"),
            state: v.text("state"),
            zip_code: v.text("zip_code"),
            country: v.text("country"),
            is_primary: v.bool("primary"),
        }
    }
}

impl Resource for Addresses {
    const SLUG: &'static str = "addresses";
    const SINGULAR: &'static str = "address";
    const PLURAL: &'static str = "Addresses";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Label")
            .required()
            .help("Head office, billing, warehouse…"),
        Field::text("address_line_1", "Address line 1").required(),
        Field::text("address_line_2", "Address line 2"),
        Field::text("city", "City"),
        Field::text("state", "State / region"),
        Field::text("zip_code", "Postal code").max_len(20),
        Field::text("country", "Country"),
        Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        Field::new("primary", "Primary address", Kind::Bool).help("Only one per client"),
    ];
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "address_line_1",
        "city",
        "country",
        "contact_id",
        "primary",
    ];
    const AREA: crate::domain::tenancy::policy::Area =
        crate::domain::tenancy::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Label, street, city, postal code, country";
    const EXCLUSIVE: Option<&'static str> = Some("primary");

    type Row = Address;

    fn title(row: &Address) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Address) -> FormInput {
        let mut f = FormInput::default();
        f.set("name", &row.data.name);
        f.set("address_line_1", &row.data.address_line_1);
        f.set_opt("address_line_2", row.data.address_line_2.as_ref());
        f.set_opt("city", row.data.city.as_ref());
        f.set_opt("state", row.data.state.as_ref());
        f.set_opt("zip_code", row.data.zip_code.as_ref());
        f.set_opt("country", row.data.country.as_ref());
        f.set_opt("contact_id", row.data.contact_id);
        f.set_bool("primary", row.data.is_primary);
        f
    }

    scoped_crud!(
        table: client_addresses,
        row: Address,
        data: AddressData,
        search: [name, address_line_1, address_line_2, city, state, zip_code, country],
        sort: { "name" => name, "address_line_1" => address_line_1, "city" => city, "country" => country, "contact_id" => contact_id, "primary" => is_primary },
        exclusive: is_primary,
    );
}
