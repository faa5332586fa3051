//! A tuple: the addresses, layer-4 protocol and ports (or ICMP fields) that
//! identify one direction of a connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::ctnetlink::ipproto;

/// An address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4 (`AF_INET`).
    Ipv4,
    /// IPv6 (`AF_INET6`).
    Ipv6,
}

impl Family {
    /// The `AF_*` number.
    pub fn number(self) -> u8 {
        match self {
            Family::Ipv4 => libc::AF_INET as u8,
            Family::Ipv6 => libc::AF_INET6 as u8,
        }
    }

    /// The family of `AF_*` number `n`, if it is IPv4 or IPv6.
    pub fn from_number(n: u8) -> Option<Family> {
        match i32::from(n) {
            libc::AF_INET => Some(Family::Ipv4),
            libc::AF_INET6 => Some(Family::Ipv6),
            _ => None,
        }
    }

    /// The family of `addr`.
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }

    /// The unspecified address of this family (`0.0.0.0` or `::`).
    pub fn unspecified(self) -> IpAddr {
        match self {
            Family::Ipv4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Family::Ipv6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        }
    }
}

/// Source and destination port (host byte order); for GRE, the keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ports {
    /// Source port.
    pub src: u16,
    /// Destination port.
    pub dst: u16,
}

/// The ICMP or ICMPv6 fields of a tuple.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Icmp {
    /// Type (8 for an echo request).
    pub kind: u8,
    /// Code.
    pub code: u8,
    /// Identifier (host byte order).
    pub id: u16,
}

/// The layer-4 protocol of a tuple, with what identifies a connection of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proto {
    /// TCP (6).
    Tcp(Ports),
    /// UDP (17).
    Udp(Ports),
    /// UDP-Lite (136).
    UdpLite(Ports),
    /// SCTP (132).
    Sctp(Ports),
    /// DCCP (33).
    Dccp(Ports),
    /// GRE (47): the ports are the keys.
    Gre(Ports),
    /// ICMP (1).
    Icmp(Icmp),
    /// ICMPv6 (58).
    Icmpv6(Icmp),
    /// Any other protocol, by number: the kernel tracks it by addresses only.
    Other(u8),
}

impl Default for Proto {
    fn default() -> Self {
        Proto::Other(0)
    }
}

impl Proto {
    /// The IP protocol number.
    pub fn number(&self) -> u8 {
        match self {
            Proto::Tcp(_) => ipproto::TCP,
            Proto::Udp(_) => ipproto::UDP,
            Proto::UdpLite(_) => ipproto::UDPLITE,
            Proto::Sctp(_) => ipproto::SCTP,
            Proto::Dccp(_) => ipproto::DCCP,
            Proto::Gre(_) => ipproto::GRE,
            Proto::Icmp(_) => ipproto::ICMP,
            Proto::Icmpv6(_) => ipproto::ICMPV6,
            Proto::Other(n) => *n,
        }
    }

    /// Protocol number `n` with `ports` or `icmp`, whichever it uses.
    pub fn from_parts(n: u8, ports: Ports, icmp: Icmp) -> Proto {
        match n {
            ipproto::TCP => Proto::Tcp(ports),
            ipproto::UDP => Proto::Udp(ports),
            ipproto::UDPLITE => Proto::UdpLite(ports),
            ipproto::SCTP => Proto::Sctp(ports),
            ipproto::DCCP => Proto::Dccp(ports),
            ipproto::GRE => Proto::Gre(ports),
            ipproto::ICMP => Proto::Icmp(icmp),
            ipproto::ICMPV6 => Proto::Icmpv6(icmp),
            n => Proto::Other(n),
        }
    }

    /// The ports, for the protocols that have them.
    pub fn ports(&self) -> Option<Ports> {
        match *self {
            Proto::Tcp(p)
            | Proto::Udp(p)
            | Proto::UdpLite(p)
            | Proto::Sctp(p)
            | Proto::Dccp(p)
            | Proto::Gre(p) => Some(p),
            _ => None,
        }
    }

    /// The ICMP fields, for ICMP and ICMPv6.
    pub fn icmp(&self) -> Option<Icmp> {
        match *self {
            Proto::Icmp(i) | Proto::Icmpv6(i) => Some(i),
            _ => None,
        }
    }
}

/// One direction of a connection: addresses, protocol, and the zone of
/// this direction.
///
/// ```
/// use netfilter_conntrack::{Ports, Proto, Tuple};
///
/// let t = Tuple::new(
///     "10.0.0.1".parse().unwrap(),
///     "10.0.0.2".parse().unwrap(),
///     Proto::Tcp(Ports { src: 40000, dst: 80 }),
/// );
/// assert_eq!(t.reversed().proto, Proto::Tcp(Ports { src: 80, dst: 40000 }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tuple {
    /// Source address.
    pub src: IpAddr,
    /// Destination address (both addresses have the same family).
    pub dst: IpAddr,
    /// Layer-4 protocol and ports or ICMP fields.
    pub proto: Proto,
    /// Zone of this direction (`CTA_TUPLE_ZONE`), if any.
    pub zone: Option<u16>,
}

impl Default for Tuple {
    /// `0.0.0.0 -> 0.0.0.0`, protocol 0.
    fn default() -> Self {
        Tuple::new(
            Family::Ipv4.unspecified(),
            Family::Ipv4.unspecified(),
            Proto::default(),
        )
    }
}

impl Tuple {
    /// A tuple without a zone.
    pub fn new(src: IpAddr, dst: IpAddr, proto: Proto) -> Tuple {
        Tuple {
            src,
            dst,
            proto,
            zone: None,
        }
    }

    /// The address family (that of the source address).
    pub fn family(&self) -> Family {
        Family::of(&self.src)
    }

    /// The tuple of the other direction, as the kernel builds it for a
    /// connection without NAT: addresses and ports swapped, an ICMP request
    /// type turned into its reply type.
    pub fn reversed(&self) -> Tuple {
        let proto = match self.proto {
            Proto::Icmp(i) => Proto::Icmp(Icmp {
                kind: crate::conntrack::object::icmp_reply_type(i.kind).unwrap_or(i.kind),
                ..i
            }),
            Proto::Icmpv6(i) => Proto::Icmpv6(Icmp {
                kind: crate::conntrack::object::icmpv6_reply_type(i.kind).unwrap_or(i.kind),
                ..i
            }),
            p => match p.ports() {
                Some(ports) => Proto::from_parts(
                    p.number(),
                    Ports {
                        src: ports.dst,
                        dst: ports.src,
                    },
                    Icmp::default(),
                ),
                None => p,
            },
        };
        Tuple {
            src: self.dst,
            dst: self.src,
            proto,
            zone: self.zone,
        }
    }
}
