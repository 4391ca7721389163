//! A client's networks (office LAN, guest Wi-Fi, VPN…): the address range in CIDR
//! notation, its VLAN, gateway and DHCP range, and the location it is deployed at.

use std::net::IpAddr;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Resource;
use crate::domain::schema::client_networks;
use crate::scoped_crud;

pub struct Networks;

crate::form_record! {
    pub struct NetworkData for client_networks as field {
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Name").required().help("Office LAN, guest Wi-Fi, VPN…"),
        network: String = Field::text("network", "Network").required().max_len(50).help("CIDR, e.g. 10.20.0.0/24"),
        vlan: Option<i32> = Field::new("vlan", "VLAN", Kind::Integer { min: 1, max: 4094 }),
        gateway: Option<String> = Field::text("gateway", "Gateway").max_len(50),
        dhcp_range: Option<String> = Field::text("dhcp_range", "DHCP range").help("e.g. 10.20.0.100–10.20.0.199"),
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

/// An address range: its first address and prefix length, with no host bits set.
fn parse_cidr(text: &str) -> Result<(IpAddr, u8), String> {
    let (addr, bits) = text
        .split_once('/')
        .ok_or("Write the network with its prefix, like 10.20.0.0/24.")?;
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| format!("{addr:?} is not an IP address."))?;
    let width = if addr.is_ipv4() { 32 } else { 128 };
    let bits: u8 = bits
        .parse()
        .ok()
        .filter(|b| *b <= width)
        .ok_or(format!("The prefix must be 0 to {width}."))?;
    if masked(addr, bits) != addr_bits(addr) {
        return Err(format!(
            "{text} has host bits set; the network is {}/{bits}.",
            first(addr, bits)
        ));
    }
    Ok((addr, bits))
}

fn addr_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v) => u32::from(v) as u128,
        IpAddr::V6(v) => u128::from(v),
    }
}

fn masked(ip: IpAddr, bits: u8) -> u128 {
    let width = if ip.is_ipv4() { 32 } else { 128 };
    let host = width - bits as u32;
    if host >= 128 {
        0
    } else {
        addr_bits(ip) >> host << host
    }
}

fn first(ip: IpAddr, bits: u8) -> IpAddr {
    let m = masked(ip, bits);
    match ip {
        IpAddr::V4(_) => IpAddr::from((m as u32).to_be_bytes()),
        IpAddr::V6(_) => IpAddr::from(m.to_be_bytes()),
    }
}

/// Whether `ip` lies in the network.
fn inside(ip: IpAddr, (net, bits): (IpAddr, u8)) -> bool {
    ip.is_ipv4() == net.is_ipv4() && masked(ip, bits) == masked(net, bits)
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
    /// The network is a valid CIDR range, and the gateway an address inside it.
    fn check(v: &Values, errors: &mut Errors) {
        let net = match parse_cidr(&v.req_text(field::network.name)) {
            Ok(net) => net,
            Err(e) => return errors.add(field::network.name, e),
        };
        if let Some(gateway) = v.text(field::gateway.name) {
            match gateway.parse::<IpAddr>() {
                Ok(ip) if inside(ip, net) => {}
                Ok(_) => errors.add(
                    field::gateway.name,
                    "The gateway must be inside the network.",
                ),
                Err(_) => errors.add(field::gateway.name, "Enter the gateway's IP address."),
            }
        }
    }

    scoped_crud!(
        table: client_networks,
        row: Network,
        data: NetworkData,
        search: [name, network, gateway, notes],
        sort: { field::name.name => name, field::network.name => network, field::vlan.name => vlan, field::gateway.name => gateway, field::location_id.name => location_id },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_cidr_ranges_without_host_bits() {
        assert!(parse_cidr("10.20.0.0/24").is_ok());
        assert!(parse_cidr("2001:db8::/32").is_ok());
        assert!(parse_cidr("0.0.0.0/0").is_ok());
        let host = parse_cidr("10.20.0.5/24").unwrap_err();
        assert!(host.contains("10.20.0.0/24"), "{host}");
        assert!(parse_cidr("10.20.0.0").is_err());
        assert!(parse_cidr("10.20.0.0/33").is_err());
        assert!(parse_cidr("printer/24").is_err());
        let net = parse_cidr("10.20.0.0/24").unwrap();
        assert!(inside("10.20.0.1".parse().unwrap(), net));
        assert!(!inside("10.21.0.1".parse().unwrap(), net));
        assert!(!inside("::1".parse().unwrap(), net));
    }
}
