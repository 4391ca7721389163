//! A client's networks (office LAN, guest Wi-Fi, VPN…): the address range in CIDR
//! notation (normalised), its VLAN, gateway and DHCP range (inside the range), DNS
//! servers, and the location it is deployed at.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::forms::net::{self, Cidr};
use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::resource::Resource;
use crate::schema::client_networks;
use crate::scoped_crud;

pub struct Networks;

crate::form_record! {
    pub struct NetworkData for client_networks as field {
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Name").required().help("Office LAN, guest Wi-Fi, VPN…"),
        network: String = Field::new("network", "Network", Kind::Cidr).required().max_len(50).help("CIDR, e.g. 10.20.0.0/24"),
        vlan: Option<i32> = Field::new("vlan", "VLAN", Kind::Integer { min: 1, max: 4094 }),
        gateway: Option<String> = Field::new("gateway", "Gateway", Kind::IpAddress).max_len(50),
        dhcp_range: Option<String> = Field::text("dhcp_range", "DHCP range").help("e.g. 10.20.0.100–10.20.0.199"),
        dns_servers: Option<String> = Field::text("dns_servers", "DNS servers").help("Comma-separated, e.g. 10.20.0.10, 1.1.1.1"),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_networks)]
pub struct Network {
    pub id: i64,
    #[diesel(embed)]
    pub data: NetworkData,
    pub deleted_at: Option<NaiveDateTime>,
}

/// A DHCP range `first–last` (or `first-last`): both ends inside the network, in
/// order.
fn check_range(text: &str, net: &Cidr) -> Result<(), String> {
    let (first, last) = text
        .split_once(['–', '-'])
        .ok_or("Write the range as first–last, like 10.20.0.100–10.20.0.199.")?;
    let (first, last) = (net::ip(first)?, net::ip(last)?);
    if !net.contains(first) || !net.contains(last) {
        return Err("The DHCP range must be inside the network.".into());
    }
    if first > last {
        return Err("The range must start before it ends.".into());
    }
    Ok(())
}

/// DNS servers, comma-separated IP addresses.
fn check_dns(text: &str) -> Result<(), String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .try_for_each(|s| net::ip(s).map(|_| ()))
}

impl Resource for Networks {
    const SLUG: &'static str = "networks";
    const SINGULAR: &'static str = "network";
    const PLURAL: &'static str = "Networks";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::network,
        field::vlan,
        field::gateway,
        field::dhcp_range,
        field::dns_servers,
        field::location_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::network.name,
        field::vlan.name,
        field::gateway.name,
        field::location_id.name,
    ];
    const SEARCH_HINT: &'static str = "Name, network, gateway, notes";

    type Row = Network;

    fn title(row: &Network) -> String {
        format!("{} ({})", row.data.name, row.data.network)
    }
    fn to_input(row: &Network) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    /// The gateway and the DHCP range lie inside the network; DNS servers are addresses.
    fn check(v: &Values, errors: &mut Errors) {
        if let Some(dns) = v.text(field::dns_servers.name)
            && let Err(e) = check_dns(&dns)
        {
            errors.add(field::dns_servers.name, e);
        }
        let Ok(net) = Cidr::parse(&v.req_text(field::network.name)) else {
            return;
        };
        if let Some(gateway) = v.text(field::gateway.name)
            && net::ip(&gateway).is_ok_and(|ip| !net.contains(ip))
        {
            errors.add(
                field::gateway.name,
                "The gateway must be inside the network.",
            );
        }
        if let Some(range) = v.text(field::dhcp_range.name)
            && let Err(e) = check_range(&range, &net)
        {
            errors.add(field::dhcp_range.name, e);
        }
    }

    fn insert_in_bulk(_: &Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_networks,
        row: Network,
        data: NetworkData,
        search: [name, network, gateway, dns_servers, notes],
        sort: { field::name.name => name, field::network.name => network, field::vlan.name => vlan, field::gateway.name => gateway, field::location_id.name => location_id },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhcp_ranges_and_dns_servers() {
        let net = Cidr::parse("10.20.0.0/24").unwrap();
        assert!(check_range("10.20.0.100–10.20.0.199", &net).is_ok());
        assert!(check_range("10.20.0.100-10.20.0.199", &net).is_ok());
        assert!(check_range("10.20.0.199-10.20.0.100", &net).is_err());
        assert!(check_range("10.20.0.100-10.21.0.5", &net).is_err());
        assert!(check_range("10.20.0.100", &net).is_err());
        assert!(check_dns("10.20.0.10, 1.1.1.1, 2606:4700::1111").is_ok());
        assert!(check_dns("dns.example").is_err());
    }
}
