//! The client's address, for throttling and the audit log. `X-Forwarded-For` is
//! believed only when the socket peer is one of `MSPDESK_TRUSTED_PROXIES`; otherwise a
//! client could pick its own address and dodge throttling.

use std::net::IpAddr;

use actix_web::{web, HttpRequest};

/// Trusted reverse proxies: addresses or CIDR ranges (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = vec![];
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (addr, bits) = item.split_once('/').unwrap_or((item, ""));
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("{item:?} is not an IP address or CIDR range"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{item:?} has a bad prefix length"))?
            };
            nets.push((addr, bits));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0
            .iter()
            .any(|(net, bits)| same_prefix(*net, ip, *bits))
    }
}

fn same_prefix(net: IpAddr, ip: IpAddr, bits: u8) -> bool {
    let (a, b, width) = match (net, ip.to_canonical()) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n) as u128, u32::from(i) as u128, 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let shift = width - bits as u32;
    shift >= width || (a >> shift) == (b >> shift)
}

/// The socket peer, or — behind a trusted proxy — the right-most address of
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(req: &HttpRequest) -> String {
    let peer = req.peer_addr().map(|a| a.ip().to_canonical());
    let Some(peer) = peer else {
        return String::new();
    };
    let trusted = req.app_data::<web::Data<TrustedProxies>>();
    let Some(trusted) = trusted.filter(|t| t.contains(peer)) else {
        return peer.to_string();
    };
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    forwarded
        .iter()
        .rev()
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .find(|a| !trusted.contains(*a))
        .unwrap_or(peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_by_prefix() {
        let t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1, ::1").unwrap();
        assert!(t.contains("10.9.8.7".parse().unwrap()));
        assert!(!t.contains("11.0.0.1".parse().unwrap()));
        assert!(t.contains("127.0.0.1".parse().unwrap()));
        assert!(!t.contains("127.0.0.2".parse().unwrap()));
        assert!(t.contains("::1".parse().unwrap()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy").is_err());
    }
}
