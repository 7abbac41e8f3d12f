//! Which addresses are private. A server with a public address is internet-facing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10; `::1`, fc00::/7, fe80::/10.
/// Everything else is public, the documentation ranges and 8.8.8.8 included.
pub fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(address: Ipv4Addr) -> bool {
    let [a, b, ..] = address.octets();
    a == 10
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 168)
        || a == 127
        || (a == 169 && b == 254)
        || (a == 100 && (64..=127).contains(&b))
}

fn is_private_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    address == Ipv6Addr::LOCALHOST || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn ranges() {
        for private in [
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.9",
            "100.128.0.1",
            "2001:db8::1",
            "11.0.0.1",
        ] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }
}
