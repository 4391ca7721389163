//! Client addresses (postal, billing, shipping…), optionally tied to a contact. At most
//! one primary address per client.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::Resource;
use crate::schema::client_addresses;
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

crate::form_record! {
    pub struct AddressData for client_addresses as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        name: String = Field::text("name", "Label")
            .required()
            .help("Head office, billing, warehouse…"),
        address_line_1: String = Field::text("address_line_1", "Address line 1").required(),
        address_line_2: Option<String> = Field::text("address_line_2", "Address line 2"),
        city: Option<String> = Field::text("city", "City"),
        state: Option<String> = Field::text("state", "State / region"),
        zip_code: Option<String> = Field::text("zip_code", "Postal code").max_len(20),
        country: Option<String> = Field::text("country", "Country"),
        is_primary: bool = Field::new("primary", "Primary address", Kind::Bool).help("Only one per client"),
    }
}

impl Resource for Addresses {
    const SLUG: &'static str = "addresses";
    const SINGULAR: &'static str = "address";
    const PLURAL: &'static str = "Addresses";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::address_line_1,
        field::address_line_2,
        field::city,
        field::state,
        field::zip_code,
        field::country,
        field::contact_id,
        field::is_primary,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::address_line_1.name,
        field::city.name,
        field::country.name,
        field::contact_id.name,
        field::is_primary.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Directory;
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Label, street, city, postal code, country";
    const EXCLUSIVE: Option<&'static str> = Some(field::is_primary.name);

    type Row = Address;

    fn title(row: &Address) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Address) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }

    scoped_crud!(
        table: client_addresses,
        row: Address,
        data: AddressData,
        search: [name, address_line_1, address_line_2, city, state, zip_code, country],
        sort: { field::name.name => name, field::address_line_1.name => address_line_1, field::city.name => city, field::country.name => country, field::contact_id.name => contact_id, field::is_primary.name => is_primary },
        exclusive: is_primary,
    );
}
