//! The client's address, for throttling and the audit log. `X-Forwarded-For` is
//! believed only when the socket peer is one of `MSPDESK_TRUSTED_PROXIES`; otherwise a
//! client could pick its own address and dodge throttling.

use std::net::IpAddr;

use actix_web::{web, HttpRequest};

use crate::domain::forms::net::{self, Cidr};

/// Trusted reverse proxies: addresses or CIDR ranges (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn parse(list: &str) -> Result<Self, String> {
        let nets = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                let net = if item.contains('/') {
                    Cidr::parse(item)
                } else {
                    net::ip(item).map(Cidr::host)
                };
                net.map_err(|e| format!("{item:?}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(ip))
    }
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
