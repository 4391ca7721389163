//! Services a client runs (mail, VPN, line-of-business apps): type, status, port and
//! protocol, where they run.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Resource;
use crate::domain::schema::client_services;
use crate::scoped_crud;

pub struct Services;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_services, treat_none_as_null = true)]
pub struct ServiceData {
    pub location_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub port: Option<i32>,
    pub protocol: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_services)]
pub struct Service {
    pub id: i64,
    #[diesel(embed)]
    pub data: ServiceData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for ServiceData {
    fn from(v: &Values) -> Self {
        ServiceData {
            location_id: v.int("location_id"),
            asset_id: v.int("asset_id"),
            name: v.req_text("name"),
            description: v.text("description"),
            kind: v.text("type"),
            status: v.text("status"),
            port: v.int32("port"),
            protocol: v.text("protocol"),
            notes: v.text("notes"),
        }
    }
}

const STATUSES: &[(&str, &str)] = &[
    ("running", "Running"),
    ("degraded", "Degraded"),
    ("stopped", "Stopped"),
    ("planned", "Planned"),
    ("retired", "Retired"),
];

const PROTOCOLS: &[(&str, &str)] = &[
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("http", "HTTP"),
    ("https", "HTTPS"),
    ("ssh", "SSH"),
    ("rdp", "RDP"),
    ("smtp", "SMTP"),
    ("imap", "IMAP"),
    ("dns", "DNS"),
    ("ldap", "LDAP"),
    ("snmp", "SNMP"),
    ("sip", "SIP"),
];

impl Resource for Services {
    const SLUG: &'static str = "services";
    const SINGULAR: &'static str = "service";
    const PLURAL: &'static str = "Services";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name").required(),
        Field::text("type", "Type").help("Mail, VPN, web app, backup…"),
        Field::new("status", "Status", Kind::Choice(STATUSES)),
        Field::new(
            "port",
            "Port",
            Kind::Integer {
                min: 1,
                max: 65_535,
            },
        ),
        Field::new("protocol", "Protocol", Kind::Choice(PROTOCOLS)),
        Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        Field::new("asset_id", "Asset", Kind::Ref(RefKind::Asset)),
        Field::new("description", "Description", Kind::TextArea),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "type", "status", "port", "protocol"];
    const SEARCH_HINT: &'static str = "Name, type, description";

    type Row = Service;

    fn title(row: &Service) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Service) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("type", d.kind.as_ref());
        f.set_opt("status", d.status.as_ref());
        f.set_opt("port", d.port);
        f.set_opt("protocol", d.protocol.as_ref());
        f.set_opt("location_id", d.location_id);
        f.set_opt("asset_id", d.asset_id);
        f.set_opt("description", d.description.as_ref());
        f.set_opt("notes", d.notes.as_ref());
        f
    }

    scoped_crud!(
        table: client_services,
        row: Service,
        data: ServiceData,
        search: [name, kind, description],
        sort: { "name" => name, "type" => kind, "status" => status, "port" => port, "protocol" => protocol },
    );
}
