//! Software licenses: seats, cost, dates, an expiry badge and filter. The license key
//! is a secret, sealed in the vault like a credential's password.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::domain::money;
use crate::domain::resource::{Resource, Writer};
use crate::domain::schema::client_licenses;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Licenses;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_licenses, treat_none_as_null = true)]
pub struct LicenseData {
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub name: String,
    pub kind: Option<String>,
    pub vendor: Option<String>,
    pub seats: i32,
    pub cost: i64,
    pub purchase_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub auto_renewal: bool,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_licenses)]
pub struct License {
    pub id: i64,
    #[diesel(embed)]
    pub data: LicenseData,
    #[diesel(select_expression = client_licenses::license_key.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<client_licenses::license_key>)]
    pub has_key: bool,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for LicenseData {
    fn from(v: &Values) -> Self {
        LicenseData {
            contact_id: v.int("contact_id"),
            location_id: v.int("location_id"),
            name: v.req_text("name"),
            kind: v.text("type"),
            vendor: v.text("vendor"),
            seats: v.int32("seats").unwrap_or(1),
            cost: v.int("cost").unwrap_or(0),
            purchase_date: v.date("purchase_date"),
            expiry_date: v.date("expiry_date"),
            renewal_date: v.date("renewal_date"),
            auto_renewal: v.bool("auto_renewal"),
            notes: v.text("notes"),
        }
    }
}

const TYPES: &[(&str, &str)] = &[
    ("subscription", "Subscription"),
    ("perpetual", "Perpetual"),
    ("volume", "Volume"),
    ("oem", "OEM"),
    ("trial", "Trial"),
    ("other", "Other"),
];

impl Resource for Licenses {
    const SLUG: &'static str = "licenses";
    const SINGULAR: &'static str = "license";
    const PLURAL: &'static str = "Licenses";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name")
            .required()
            .help("Product, e.g. Microsoft 365 Business Premium"),
        Field::text("vendor", "Vendor"),
        Field::new("type", "Type", Kind::Choice(TYPES)),
        Field::new("license_key", "License key", Kind::Secret),
        Field::new(
            "seats",
            "Seats",
            Kind::Integer {
                min: 1,
                max: 1_000_000,
            },
        )
        .required(),
        Field::new("cost", "Cost", Kind::Money),
        Field::new("purchase_date", "Purchased", Kind::Date),
        Field::new("expiry_date", "Expires", Kind::Date),
        Field::new("renewal_date", "Renewal", Kind::Date),
        Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "vendor", "seats", "cost", "expiry_date"];
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, vendor, notes";

    type Row = License;

    fn title(row: &License) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &License) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("vendor", d.vendor.as_ref());
        f.set_opt("type", d.kind.as_ref());
        f.set_secret_stored("license_key", row.has_key);
        f.set("seats", d.seats.to_string());
        f.set("cost", money::to_input(d.cost));
        f.set_opt("purchase_date", d.purchase_date);
        f.set_opt("expiry_date", d.expiry_date);
        f.set_opt("renewal_date", d.renewal_date);
        f.set_bool("auto_renewal", d.auto_renewal);
        f.set_opt("contact_id", d.contact_id);
        f.set_opt("location_id", d.location_id);
        f.set_opt("notes", d.notes.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(bought), Some(expires)) = (v.date("purchase_date"), v.date("expiry_date")) {
            if expires < bought {
                errors.add(
                    "expiry_date",
                    "A license cannot expire before it was purchased.",
                );
            }
        }
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set("seats", "1");
        Ok(f)
    }

    scoped_crud!(
        table: client_licenses,
        row: License,
        data: LicenseData,
        search: [name, vendor, notes],
        sort: { "name" => name, "vendor" => vendor, "seats" => seats, "cost" => cost, "expiry_date" => expiry_date },
        expiry: expiry_date,
        secrets: { "license_key" => license_key },
    );
}
