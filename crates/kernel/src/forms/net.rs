//! IP addresses and CIDR ranges as people type them: parsed with the standard library,
//! normalised (`10.0.0.7/24` is the network `10.0.0.0/24`), and compared by prefix.

use std::net::IpAddr;

/// An address range: its first address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub bits: u8,
}

fn width(ip: IpAddr) -> u8 {
    if ip.is_ipv4() {
        32
    } else {
        128
    }
}

fn to_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v) => u32::from(v) as u128,
        IpAddr::V6(v) => u128::from(v),
    }
}

fn masked(ip: IpAddr, bits: u8) -> u128 {
    let host = (width(ip) - bits) as u32;
    if host >= 128 {
        0
    } else {
        to_bits(ip) >> host << host
    }
}

impl Cidr {
    /// `10.0.0.7/24` → `10.0.0.0/24`; an address without a prefix is refused.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, bits) = text
            .split_once('/')
            .ok_or("Write the network with its prefix, like 10.20.0.0/24.")?;
        let addr = ip(addr)?;
        let bits: u8 = bits
            .parse()
            .ok()
            .filter(|b| *b <= width(addr))
            .ok_or(format!("The prefix must be 0 to {}.", width(addr)))?;
        let m = masked(addr, bits);
        let addr = match addr {
            IpAddr::V4(_) => IpAddr::from((m as u32).to_be_bytes()),
            IpAddr::V6(_) => IpAddr::from(m.to_be_bytes()),
        };
        Ok(Cidr { addr, bits })
    }

    /// One address as a range of its own (`/32`, `/128`).
    pub fn host(ip: IpAddr) -> Cidr {
        Cidr {
            addr: ip,
            bits: width(ip),
        }
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.addr.is_ipv4() && masked(ip, self.bits) == to_bits(self.addr)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.bits)
    }
}

/// One IP address (IPv4 or IPv6), in its canonical form.
pub fn ip(text: &str) -> Result<IpAddr, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{:?} is not an IP address.", text.trim()))
}

/// A MAC address in any common spelling (`AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`,
/// `aa:bb:…`), as `aa:bb:cc:dd:ee:ff`.
pub fn mac(text: &str) -> Result<String, String> {
    let hex: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("Enter a MAC address like aa:bb:cc:dd:ee:ff.".into());
    }
    Ok(hex
        .as_bytes()
        .chunks(2)
        .map(|p| std::str::from_utf8(p).unwrap_or("00"))
        .collect::<Vec<_>>()
        .join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_normalised_and_compared_by_prefix() {
        assert_eq!(
            Cidr::parse("10.0.0.7/24").unwrap().to_string(),
            "10.0.0.0/24"
        );
        assert_eq!(
            Cidr::parse("2001:DB8::1/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        assert_eq!(Cidr::parse("0.0.0.0/0").unwrap().to_string(), "0.0.0.0/0");
        assert!(Cidr::parse("10.0.0.0").is_err());
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("printer/24").is_err());
        let net = Cidr::parse("10.20.0.0/24").unwrap();
        assert!(net.contains("10.20.0.1".parse().unwrap()));
        assert!(!net.contains("10.21.0.1".parse().unwrap()));
        assert!(!net.contains("::1".parse().unwrap()));
    }

    #[test]
    fn mac_addresses_in_any_spelling() {
        assert_eq!(mac("AA-BB-CC-DD-EE-0F").unwrap(), "aa:bb:cc:dd:ee:0f");
        assert_eq!(mac("aabb.ccdd.ee0f").unwrap(), "aa:bb:cc:dd:ee:0f");
        assert!(mac("aa:bb:cc").is_err());
        assert!(mac("zz:bb:cc:dd:ee:ff").is_err());
    }
}
