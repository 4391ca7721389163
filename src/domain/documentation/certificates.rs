//! TLS certificates: domain, issuer, dates, an expiry badge and filter.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, Values};
use crate::domain::money;
use crate::domain::resource::Resource;
use crate::domain::schema::client_certificates;
use crate::scoped_crud;

pub struct Certificates;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_certificates, treat_none_as_null = true)]
pub struct CertificateData {
    pub name: String,
    pub kind: Option<String>,
    pub domain: Option<String>,
    pub issuer: Option<String>,
    pub issue_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub auto_renewal: bool,
    pub cost: i64,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_certificates)]
pub struct Certificate {
    pub id: i64,
    #[diesel(embed)]
    pub data: CertificateData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for CertificateData {
    fn from(v: &Values) -> Self {
        CertificateData {
            name: v.req_text("name"),
            kind: v.text("type"),
            domain: v.text("domain"),
            issuer: v.text("issuer"),
            issue_date: v.date("issue_date"),
            expiry_date: v.date("expiry_date"),
            auto_renewal: v.bool("auto_renewal"),
            cost: v.int("cost").unwrap_or(0),
            notes: v.text("notes"),
        }
    }
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
        Field::text("name", "Name").required(),
        Field::text("domain", "Domain").help("Common name, e.g. *.example.com"),
        Field::new("type", "Type", Kind::Choice(TYPES)),
        Field::text("issuer", "Issuer"),
        Field::new("issue_date", "Issued", Kind::Date),
        Field::new("expiry_date", "Expires", Kind::Date),
        Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        Field::new("cost", "Cost", Kind::Money),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] =
        &["name", "domain", "issuer", "expiry_date", "auto_renewal"];
    const SEARCH_HINT: &'static str = "Name, domain, issuer";

    type Row = Certificate;

    fn title(row: &Certificate) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Certificate) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("domain", d.domain.as_ref());
        f.set_opt("type", d.kind.as_ref());
        f.set_opt("issuer", d.issuer.as_ref());
        f.set_opt("issue_date", d.issue_date);
        f.set_opt("expiry_date", d.expiry_date);
        f.set_bool("auto_renewal", d.auto_renewal);
        f.set("cost", money::to_input(d.cost));
        f.set_opt("notes", d.notes.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(issued), Some(expires)) = (v.date("issue_date"), v.date("expiry_date")) {
            if expires < issued {
                errors.add(
                    "expiry_date",
                    "A certificate cannot expire before it was issued.",
                );
            }
        }
    }

    scoped_crud!(
        table: client_certificates,
        row: Certificate,
        data: CertificateData,
        search: [name, domain, issuer],
        sort: { "name" => name, "domain" => domain, "issuer" => issuer, "expiry_date" => expiry_date, "auto_renewal" => auto_renewal },
        expiry: expiry_date,
    );
}
