//! Domains: a valid host name stored lowercase, unique per tenant among live domains;
//! name servers edited one per line and stored as a JSON list; an expiry badge.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, Values};
use crate::domain::money;
use crate::domain::resource::Resource;
use crate::domain::schema::client_domains;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Domains;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_domains, treat_none_as_null = true)]
pub struct DomainData {
    pub domain_name: String,
    pub registrar: Option<String>,
    pub registration_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub auto_renewal: bool,
    pub cost: i64,
    pub nameservers: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_domains)]
pub struct Domain {
    pub id: i64,
    #[diesel(embed)]
    pub data: DomainData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for DomainData {
    fn from(v: &Values) -> Self {
        DomainData {
            domain_name: v.req_text("domain_name"),
            registrar: v.text("registrar"),
            registration_date: v.date("registration_date"),
            expiry_date: v.date("expiry_date"),
            auto_renewal: v.bool("auto_renewal"),
            cost: v.int("cost").unwrap_or(0),
            nameservers: v.json_list("nameservers"),
            notes: v.text("notes"),
        }
    }
}

impl Resource for Domains {
    const SLUG: &'static str = "domains";
    const SINGULAR: &'static str = "domain";
    const PLURAL: &'static str = "Domains";
    const FIELDS: &'static [Field] = &[
        Field::new("domain_name", "Domain name", Kind::Hostname).required(),
        Field::text("registrar", "Registrar"),
        Field::new("registration_date", "Registered", Kind::Date),
        Field::new("expiry_date", "Expires", Kind::Date),
        Field::new("auto_renewal", "Renews automatically", Kind::Bool),
        Field::new("cost", "Cost per year", Kind::Money),
        Field::new("nameservers", "Name servers", Kind::HostnameLines).help("One per line"),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] =
        &["domain_name", "registrar", "expiry_date", "auto_renewal"];
    const SEARCH_HINT: &'static str = "Domain, registrar, notes";

    type Row = Domain;

    fn title(row: &Domain) -> String {
        row.data.domain_name.clone()
    }
    fn to_input(row: &Domain) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("domain_name", &d.domain_name);
        f.set_opt("registrar", d.registrar.as_ref());
        f.set_opt("registration_date", d.registration_date);
        f.set_opt("expiry_date", d.expiry_date);
        f.set_bool("auto_renewal", d.auto_renewal);
        f.set("cost", money::to_input(d.cost));
        f.set_list("nameservers", &d.nameservers, "\n");
        f.set_opt("notes", d.notes.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        if let (Some(registered), Some(expires)) =
            (v.date("registration_date"), v.date("expiry_date"))
        {
            if expires < registered {
                errors.add(
                    "expiry_date",
                    "A domain cannot expire before it was registered.",
                );
            }
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
            .filter(client_domains::domain_name.eq(v.req_text("domain_name")))
            .filter(client_domains::deleted_at.is_null())
            .filter(client_domains::id.ne(id.unwrap_or(-1)))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            errors.add(
                "domain_name",
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
        sort: { "domain_name" => domain_name, "registrar" => registrar, "expiry_date" => expiry_date, "auto_renewal" => auto_renewal },
        expiry: expiry_date,
    );
}
