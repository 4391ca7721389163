//! Services a client runs (mail, VPN, line-of-business apps): type, status, port and
//! protocol, where they run.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::Resource;
use crate::schema::client_services;
use crate::scoped_crud;

pub struct Services;

crate::form_record! {
    pub struct ServiceData for client_services as field {
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        asset_id: Option<i64> = Field::new("asset_id", "Asset", Kind::Ref(RefKind::Asset)),
        name: String = Field::text("name", "Name").required(),
        description: Option<String> = Field::new("description", "Description", Kind::TextArea),
        kind: Option<String> = Field::text("type", "Type").help("Mail, VPN, web app, backup…"),
        status: Option<String> = Field::new("status", "Status", Kind::Choice(STATUSES)),
        port: Option<i32> = Field::new(
            "port",
            "Port",
            Kind::Integer {
                min: 1,
                max: 65_535,
            },
        ),
        protocol: Option<String> = Field::new("protocol", "Protocol", Kind::Choice(PROTOCOLS)),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_services)]
pub struct Service {
    pub id: i64,
    #[diesel(embed)]
    pub data: ServiceData,
    pub deleted_at: Option<NaiveDateTime>,
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
        field::name,
        field::kind,
        field::status,
        field::port,
        field::protocol,
        field::location_id,
        field::asset_id,
        field::description,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::kind.name,
        field::status.name,
        field::port.name,
        field::protocol.name,
    ];
    const SEARCH_HINT: &'static str = "Name, type, description";

    type Row = Service;

    fn title(row: &Service) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Service) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }

    scoped_crud!(
        table: client_services,
        row: Service,
        data: ServiceData,
        search: [name, kind, description],
        sort: { field::name.name => name, field::kind.name => kind, field::status.name => status, field::port.name => port, field::protocol.name => protocol },
    );
}
