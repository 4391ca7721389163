//! A client's assets: workstations, laptops, servers, network devices… with make,
//! model, serial, OS, addresses (validated and normalised), lifecycle status, warranty
//! (badge and filter like licenses), location, the contact using it and its network.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::resource::{Audience, Extra, Resource};
use crate::schema::assets;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

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
        hostname: Option<String> = Field::text("hostname", "Host name").max_len(253)
            .help("The name it has on the network, e.g. srv01 or srv01.corp.example"),
        ip_address: Option<String> = Field::new("ip_address", "IP address", Kind::IpAddress).max_len(50),
        mac_address: Option<String> = Field::new("mac_address", "MAC address", Kind::MacAddress).max_len(20),
        purchase_date: Option<NaiveDate> = Field::new("purchase_date", "Purchased", Kind::Date),
        warranty_expiry: Option<NaiveDate> = Field::new("warranty_expiry", "Warranty until", Kind::Date),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        contact_id: Option<i64> = Field::new("contact_id", "Used by", Kind::Ref(RefKind::Contact)),
        network_id: Option<i64> = Field::new("network_id", "Network", Kind::Ref(RefKind::Network)),
        rack_id: Option<i64> = Field::new("rack_id", "Rack", Kind::Ref(RefKind::Rack)),
        rack_unit: Option<i32> = Field::new("rack_unit", "Rack unit (lowest)", Kind::Integer { min: 1, max: 60 }),
        rack_height: Option<i32> = Field::new("rack_height", "Height (U)", Kind::Integer { min: 1, max: 20 }),
        interfaces: Option<String> = Field::new("interfaces", "Network interfaces", Kind::TextArea)
            .max_len(10_000)
            .help("One per line: name, IP address, MAC address"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

/// Whether an asset in this status has a warranty worth watching: a retired or disposed
/// one's needs nobody's attention (no badge, no attention list).
pub(crate) fn warranty_watched(status: Option<&str>) -> bool {
    !matches!(status, Some("retired" | "disposed"))
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
        field::hostname,
        field::ip_address,
        field::mac_address,
        field::interfaces,
        field::purchase_date,
        field::warranty_expiry,
        field::location_id,
        field::contact_id,
        field::network_id,
        field::rack_id,
        field::rack_unit,
        field::rack_height,
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
    const AREA: crate::policy::Area = crate::policy::Area::Technical;
    const SEARCH_HINT: &'static str = "Name, host name, make, model, serial, IP, MAC";
    /// `warranty_watched`, in SQL.
    const EXPIRY_WHERE: &'static str = "status IS NULL OR status NOT IN ('retired', 'disposed')";

    type Row = Asset;

    fn title(row: &Asset) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Asset) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn expiry_applies(row: &Asset) -> bool {
        warranty_watched(row.data.status.as_deref())
    }
    const FIELD_GROUPS: &'static [&'static [&'static str]] = &[&[
        field::rack_id.name,
        field::rack_unit.name,
        field::rack_height.name,
    ]];
    fn check(v: &Values, errors: &mut Errors) {
        let (rack, unit) = (v.int(field::rack_id.name), v.int(field::rack_unit.name));
        if rack.is_some() && unit.is_none() {
            errors.add(
                field::rack_unit.name,
                "Give the lowest unit the asset takes in the rack.",
            );
        }
        if rack.is_none() && (unit.is_some() || v.int(field::rack_height.name).is_some()) {
            errors.add(field::rack_id.name, "Choose the rack the units are in.");
        }
    }
    fn check_db(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: Option<i64>,
        v: &Values,
        errors: &mut Errors,
    ) -> QueryResult<()> {
        let (rack, unit) = (v.int(field::rack_id.name), v.int(field::rack_unit.name));
        if let (Some(rack), Some(unit)) = (rack, unit) {
            let height = v.int(field::rack_height.name).unwrap_or(1);
            super::placement::check(conn, cs, id, rack, unit as i32, height as i32, errors)?;
        }
        Ok(())
    }
    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Asset,
        aud: &Audience,
    ) -> AppResult<Extra> {
        super::relations::of_asset(conn, cs, row, aud)
    }

    /// `check_db` only looks at a rack placement.
    fn insert_in_bulk(v: &Values) -> bool {
        v.int(field::rack_id.name).is_none()
    }

    scoped_crud!(
        table: assets,
        row: Asset,
        data: AssetData,
        search: [name, hostname, make, model, serial, ip_address, mac_address],
        sort: { field::name.name => name, field::kind.name => kind, field::status.name => status, field::ip_address.name => ip_address, field::location_id.name => location_id, field::warranty_expiry.name => warranty_expiry },
        expiry: warranty_expiry,
    );
}
