//! Domains: a valid host name stored lowercase, unique per tenant among live domains;
//! name servers edited one per line and stored as a JSON list; an expiry badge.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, Values};
use crate::resource::Resource;
use crate::schema::client_domains;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Domains;

crate::form_record! {
    pub struct DomainData for client_domains as field {
        domain_name: String = Field::new("domain_name", "Domain name", Kind::Hostname).required(),
        registrar: Option<String> = Field::text("registrar", "Registrar"),
        registration_date: Option<NaiveDate> = Field::new("registration_date", "Registered", Kind::Date),
        expiry_date: Option<NaiveDate> = Field::new("expiry_date", "Expires", Kind::Date),
        auto_renewal: bool = Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        cost: i64 = Field::new("cost", "Cost per year", Kind::Money),
        nameservers: String = Field::new("nameservers", "Name servers", Kind::HostnameLines).help("One per line"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_domains)]
pub struct Domain {
    pub id: i64,
    #[diesel(embed)]
    pub data: DomainData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Domains {
    const SLUG: &'static str = "domains";
    const SINGULAR: &'static str = "domain";
    const PLURAL: &'static str = "Domains";
    const FIELDS: &'static [Field] = &[
        field::domain_name,
        field::registrar,
        field::registration_date,
        field::expiry_date,
        field::auto_renewal,
        field::cost,
        field::nameservers,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] =
        &["domain_name", "registrar", "expiry_date", "auto_renewal"];
    const SEARCH_HINT: &'static str = "Domain, registrar, notes";
    const AUTO_RENEW_COLUMN: Option<&'static str> = Some("auto_renewal");
    const LABEL_COLUMN: &'static str = "domain_name";
    const IMPORT_KEY: &'static [&'static str] = &["domain_name"];

    type Row = Domain;

    fn title(row: &Domain) -> String {
        row.data.domain_name.clone()
    }
    fn to_input(row: &Domain) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(registered), Some(expires)) = (
            v.date(field::registration_date.name),
            v.date(field::expiry_date.name),
        ) && expires < registered
        {
            errors.add(
                field::expiry_date.name,
                "A domain cannot expire before it was registered.",
            );
        }
    }
    /// One live record per domain name in the tenant (the database enforces it too).
    fn check_db(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        id: Option<i64>,
        v: &Values,
        errors: &mut Errors,
    ) -> QueryResult<()> {
        let taken: i64 = crate::of_tenant!(client_domains, cs.tenant())
            .filter(client_domains::domain_name.eq(v.req_text(field::domain_name.name)))
            .filter(client_domains::deleted_at.is_null())
            .filter(client_domains::id.ne(id.unwrap_or(-1)))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            errors.add(
                field::domain_name.name,
                "This domain is already recorded (perhaps for another client).",
            );
        }
        Ok(())
    }

    scoped_crud!(
        table: client_domains,
        row: Domain,
        data: DomainData,
        search: [domain_name, registrar, notes],
        sort: { field::domain_name.name => domain_name, field::registrar.name => registrar, field::expiry_date.name => expiry_date, field::auto_renewal.name => auto_renewal },
        expiry: expiry_date,
    );
}
