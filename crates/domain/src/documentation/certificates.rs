//! TLS certificates: domain, issuer, dates, an expiry badge and filter.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, Values};
use crate::resource::Resource;
use crate::schema::client_certificates;
use crate::scoped_crud;

pub struct Certificates;

crate::form_record! {
    pub struct CertificateData for client_certificates as field {
        name: String = Field::text("name", "Name").required(),
        kind: Option<String> = Field::new("type", "Type", Kind::Choice(TYPES)),
        domain: Option<String> = Field::text("domain", "Domain").help("Common name, e.g. *.example.com"),
        issuer: Option<String> = Field::text("issuer", "Issuer"),
        issue_date: Option<NaiveDate> = Field::new("issue_date", "Issued", Kind::Date),
        expiry_date: Option<NaiveDate> = Field::new("expiry_date", "Expires", Kind::Date),
        auto_renewal: bool = Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        cost: i64 = Field::new("cost", "Cost", Kind::Money),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_certificates)]
pub struct Certificate {
    pub id: i64,
    #[diesel(embed)]
    pub data: CertificateData,
    pub deleted_at: Option<NaiveDateTime>,
}

const TYPES: &[(&str, &str)] = &[
    ("dv", "Domain validated"),
    ("ov", "Organization validated"),
    ("ev", "Extended validation"),
    ("wildcard", "Wildcard"),
    ("internal", "Internal CA"),
    ("self_signed", "Self-signed"),
];

impl Resource for Certificates {
    const SLUG: &'static str = "certificates";
    const SINGULAR: &'static str = "certificate";
    const PLURAL: &'static str = "Certificates";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::domain,
        field::kind,
        field::issuer,
        field::issue_date,
        field::expiry_date,
        field::auto_renewal,
        field::cost,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] =
        &["name", "domain", "issuer", "expiry_date", "auto_renewal"];
    const SEARCH_HINT: &'static str = "Name, domain, issuer";
    const AUTO_RENEW_COLUMN: Option<&'static str> = Some("auto_renewal");

    type Row = Certificate;

    fn title(row: &Certificate) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Certificate) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(issued), Some(expires)) = (
            v.date(field::issue_date.name),
            v.date(field::expiry_date.name),
        ) && expires < issued
        {
            errors.add(
                field::expiry_date.name,
                "A certificate cannot expire before it was issued.",
            );
        }
    }

    fn insert_in_bulk(_: &Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_certificates,
        row: Certificate,
        data: CertificateData,
        search: [name, domain, issuer],
        sort: { field::name.name => name, field::domain.name => domain, field::issuer.name => issuer, field::expiry_date.name => expiry_date, field::auto_renewal.name => auto_renewal },
        expiry: expiry_date,
    );
}
