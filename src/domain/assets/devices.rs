//! A client's assets: workstations, laptops, servers, network devices… with make,
//! model, serial, OS, addresses (validated and normalised), lifecycle status, warranty
//! (badge and filter like licenses), location, the contact using it and its network.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind};
use crate::domain::resource::Resource;
use crate::domain::schema::assets;
use crate::scoped_crud;

pub struct Assets;

pub const TYPES: &[(&str, &str)] = &[
    ("workstation", "Workstation"),
    ("laptop", "Laptop"),
    ("server", "Server"),
    ("network", "Network device"),
    ("printer", "Printer"),
    ("phone", "Phone"),
    ("vm", "Virtual machine"),
    ("other", "Other"),
];

pub const STATUSES: &[(&str, &str)] = &[
    ("deployed", "Deployed"),
    ("in_stock", "In stock"),
    ("in_repair", "In repair"),
    ("retired", "Retired"),
    ("disposed", "Disposed"),
];

crate::form_record! {
    pub struct AssetData for assets as field {
        name: String = Field::text("name", "Name").required().help("e.g. FW01, Reception PC"),
        kind: Option<String> = Field::new("type", "Type", Kind::Choice(TYPES)),
        status: Option<String> = Field::new("status", "Status", Kind::Choice(STATUSES)),
        make: Option<String> = Field::text("make", "Make"),
        model: Option<String> = Field::text("model", "Model"),
        serial: Option<String> = Field::text("serial", "Serial number"),
        os: Option<String> = Field::text("os", "Operating system"),
        ip_address: Option<String> = Field::new("ip_address", "IP address", Kind::IpAddress).max_len(50),
        mac_address: Option<String> = Field::new("mac_address", "MAC address", Kind::MacAddress).max_len(20),
        purchase_date: Option<NaiveDate> = Field::new("purchase_date", "Purchased", Kind::Date),
        warranty_expiry: Option<NaiveDate> = Field::new("warranty_expiry", "Warranty until", Kind::Date),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        contact_id: Option<i64> = Field::new("contact_id", "Used by", Kind::Ref(RefKind::Contact)),
        network_id: Option<i64> = Field::new("network_id", "Network", Kind::Ref(RefKind::Network)),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assets)]
pub struct Asset {
    pub id: i64,
    #[diesel(embed)]
    pub data: AssetData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Assets {
    const SLUG: &'static str = "assets";
    const SINGULAR: &'static str = "asset";
    const PLURAL: &'static str = "Assets";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::kind,
        field::status,
        field::make,
        field::model,
        field::serial,
        field::os,
        field::ip_address,
        field::mac_address,
        field::purchase_date,
        field::warranty_expiry,
        field::location_id,
        field::contact_id,
        field::network_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::kind.name,
        field::status.name,
        field::ip_address.name,
        field::location_id.name,
        field::warranty_expiry.name,
    ];
    const AREA: crate::domain::tenancy::policy::Area =
        crate::domain::tenancy::policy::Area::Documentation;
    const SEARCH_HINT: &'static str = "Name, make, model, serial, IP, MAC";

    type Row = Asset;

    fn title(row: &Asset) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Asset) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }

    scoped_crud!(
        table: assets,
        row: Asset,
        data: AssetData,
        search: [name, make, model, serial, ip_address, mac_address],
        sort: { field::name.name => name, field::kind.name => kind, field::status.name => status, field::ip_address.name => ip_address, field::location_id.name => location_id, field::warranty_expiry.name => warranty_expiry },
        expiry: warranty_expiry,
    );
}
