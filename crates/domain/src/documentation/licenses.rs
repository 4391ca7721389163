//! Software licenses: seats, cost, dates, an expiry badge and filter. The license key
//! is a secret, sealed in the vault like a credential's password.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::resource::{Resource, Writer};
use crate::schema::client_licenses;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Licenses;

crate::form_record! {
    pub struct LicenseData for client_licenses as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Name")
            .required()
            .help("Product, e.g. Microsoft 365 Business Premium"),
        kind: Option<String> = Field::new("type", "Type", Kind::Choice(TYPES)),
        vendor: Option<String> = Field::text("vendor", "Vendor"),
        seats: i32 = Field::new(
            "seats",
            "Seats",
            Kind::Integer {
                min: 1,
                max: 1_000_000,
            },
        )
        .required(),
        cost: i64 = Field::new("cost", "Cost", Kind::Money),
        purchase_date: Option<NaiveDate> = Field::new("purchase_date", "Purchased", Kind::Date),
        expiry_date: Option<NaiveDate> = Field::new("expiry_date", "Expires", Kind::Date),
        renewal_date: Option<NaiveDate> = Field::new("renewal_date", "Renewal", Kind::Date),
        auto_renewal: bool = Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
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

const TYPES: &[(&str, &str)] = &[
    ("subscription", "Subscription"),
    ("perpetual", "Perpetual"),
    ("volume", "Volume"),
    ("oem", "OEM"),
    ("trial", "Trial"),
    ("other", "Other"),
];

/// The sealed key: not a member of the record (it is written through the vault).
pub const LICENSE_KEY: Field = Field::new("license_key", "License key", Kind::Secret);

impl Resource for Licenses {
    const SLUG: &'static str = "licenses";
    const SINGULAR: &'static str = "license";
    const PLURAL: &'static str = "Licenses";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::vendor,
        field::kind,
        LICENSE_KEY,
        field::seats,
        field::cost,
        field::purchase_date,
        field::expiry_date,
        field::renewal_date,
        field::auto_renewal,
        field::contact_id,
        field::location_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::vendor.name,
        field::seats.name,
        field::cost.name,
        field::expiry_date.name,
    ];
    const SWITCHABLE: bool = false;
    const SEARCH_HINT: &'static str = "Name, vendor, notes";
    const AUTO_RENEW_COLUMN: Option<&'static str> = Some("auto_renewal");

    type Row = License;

    fn title(row: &License) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &License) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f.set_secret_stored(LICENSE_KEY.name, row.has_key);
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(bought), Some(expires)) = (
            v.date(field::purchase_date.name),
            v.date(field::expiry_date.name),
        ) && expires < bought
        {
            errors.add(
                field::expiry_date.name,
                "A license cannot expire before it was purchased.",
            );
        }
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set(field::seats.name, "1");
        Ok(f)
    }

    fn insert_in_bulk(_: &Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_licenses,
        row: License,
        data: LicenseData,
        search: [name, vendor, notes],
        sort: { field::name.name => name, field::vendor.name => vendor, field::seats.name => seats, field::cost.name => cost, field::expiry_date.name => expiry_date },
        expiry: expiry_date,
        secrets: { LICENSE_KEY.name => license_key },
    );
}
