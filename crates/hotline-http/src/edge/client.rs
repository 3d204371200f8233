//! The client's address: the connection's peer, or — when that peer is a
//! trusted proxy (`HOTLINE_TRUSTED_PROXIES`) — the rightmost hop of
//! `X-Forwarded-For` (else `Forwarded: for=`, RFC 7239) that is not itself
//! a trusted proxy. Headers from an untrusted peer are never believed.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// An address block, `10.0.0.0/8` or `2001:db8::/32` (a bare address is
/// the block of that one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    len: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("{s:?} is not an address or address/prefix-length");
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u8>().map_err(|_| bad())?)),
            None => (s, None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let len = len.unwrap_or(max);
        if len > max {
            return Err(bad());
        }
        Ok(Cidr { net, len })
    }
}

impl Cidr {
    /// Parses a comma-separated list; blank is the empty list.
    pub fn list(s: &str) -> Result<Vec<Cidr>, String> {
        s.split(',').filter(|p| !p.trim().is_empty()).map(str::parse).collect()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let bits = |a: IpAddr| match a {
            IpAddr::V4(v) => (u128::from(u32::from(v)) << 96, 32u32),
            IpAddr::V6(v) => (u128::from(v), 128u32),
        };
        let ((net, width), (addr, addr_width)) = (bits(self.net), bits(ip));
        if width != addr_width {
            return false;
        }
        let mask = if self.len == 0 {
            0
        } else {
            u128::MAX << (128 - u32::from(self.len))
        };
        net & mask == addr & mask
    }
}

/// The client's address as worked out here, for limits and logs; absent
/// when the connection's peer is unknown (a request made in-process).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

fn trusted(list: &[Cidr], ip: IpAddr) -> bool {
    list.iter().any(|c| c.contains(ip))
}

/// One `Forwarded` / `X-Forwarded-For` hop as an address: `[v6]:port`,
/// `v4:port`, quoted; `unknown` or an obfuscated name is None.
fn hop_ip(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The hops a proxy chain recorded, leftmost (the original client) first.
fn hops(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(','))
            .map(|h| h.trim().to_string())
            .collect();
    }
    values("forwarded")
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim().to_string())
            })
        })
        .collect()
}

/// The client behind `peer`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, proxies: &[Cidr]) -> IpAddr {
    if !trusted(proxies, peer) {
        return peer;
    }
    let mut client = peer;
    for hop in hops(headers).iter().rev() {
        match hop_ip(hop) {
            Some(ip) if trusted(proxies, ip) => client = ip,
            Some(ip) => return ip,
            // A hop we cannot read: nothing to its left can be believed.
            None => return client,
        }
    }
    client
}

/// Puts [`ClientIp`] into the request for the layers and handlers inside.
pub async fn resolve(State(proxies): State<Arc<Vec<Cidr>>>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = client_ip(peer.ip(), req.headers(), &proxies);
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn blocks_hold_their_addresses() {
        let c: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(c.contains(ip("10.1.200.3")) && !c.contains(ip("10.2.0.1")));
        assert!(c.contains(ip("::ffff:10.1.0.9")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")) && !v6.contains(ip("2001:db9::1")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        assert_eq!(Cidr::list(" 127.0.0.1 , ::1").unwrap().len(), 2);
        for bad in ["10.0.0.0/33", "ten", "10.0.0.0/x", "::/129"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_peer() {
        let proxies = Cidr::list("10.0.0.0/8").unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        // An untrusted peer's claim is ignored: spoofing gets nowhere.
        assert_eq!(client_ip(ip("198.51.100.1"), &h, &proxies), ip("198.51.100.1"));
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("203.0.113.7"));
        // No proxies configured: nobody is trusted.
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &[]), ip("10.0.0.5"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let proxies = Cidr::list("10.0.0.0/8").unwrap();
        // The client wrote a fake first hop; the proxies appended the truth.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.0.0.9")]);
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("203.0.113.7"));
        let h = headers(&[(
            "forwarded",
            r#"for=1.2.3.4, for="[2001:db8::7]:4711";proto=https, for=10.0.0.9"#,
        )]);
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("2001:db8::7"));
        let h = headers(&[("forwarded", "for=unknown, for=10.0.0.9")]);
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("10.0.0.9"));
        let h = headers(&[("forwarded", "for=198.51.100.2:80")]);
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("198.51.100.2"));
        // X-Forwarded-For, which load balancers write, wins over a
        // Forwarded the client sent along.
        let h = headers(&[("forwarded", "for=1.2.3.4"), ("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(client_ip(ip("10.0.0.5"), &h, &proxies), ip("203.0.113.7"));
    }
}
