//! Typed builders of the two kinds of kernel-side filters: dump filters
//! (which entries a dump or flush takes) and event filters (which events a
//! socket receives, as a BPF program).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::api::{
    nfct_filter_attr, nfct_filter_dump_mark, nfct_filter_ipv4, nfct_filter_ipv6, nfct_filter_logic,
    nfct_filter_proto,
};
use crate::conntrack::dump_filter::{DumpFilter as Inner, DumpValue};
use crate::conntrack::filter::{Dir, EventFilter as InnerEvents, FilterValue};
use crate::conntrack::layout::*;
use crate::conntrack::parse::Store;
use crate::conntrack::{Attr::*, Conntrack as Object};
use crate::flow::protoinfo::TcpState;
use crate::flow::status::Status;
use crate::flow::tuple::Family;

/// Which entries a dump (or flush) takes, selected by the kernel: the
/// conditions set are combined with AND.
///
/// ```
/// use netfilter_conntrack::{DumpFilter, Family, Status, TupleFilter};
///
/// let filter = DumpFilter::new()
///     .mark(0x10, 0xf0)
///     .status(Status::ASSURED, Status::ASSURED)
///     .family(Family::Ipv4)
///     .tuple(TupleFilter::new(Family::Ipv4).protocol(6).dst_port(443));
/// # let _ = filter;
/// ```
#[derive(Clone, Debug, Default)]
pub struct DumpFilter {
    pub(crate) inner: Inner,
}

impl DumpFilter {
    /// A filter that selects everything.
    pub fn new() -> DumpFilter {
        DumpFilter::default()
    }

    /// Entries whose mark, masked with `mask`, is `value`.
    pub fn mark(mut self, value: u32, mask: u32) -> DumpFilter {
        let m = nfct_filter_dump_mark { val: value, mask };
        self.inner.set(DumpValue::Mark(m));
        self
    }

    /// Entries whose status bits under `mask` are those of `value`.
    pub fn status(mut self, value: Status, mask: Status) -> DumpFilter {
        let m = nfct_filter_dump_mark {
            val: value.bits(),
            mask: mask.bits(),
        };
        self.inner.set(DumpValue::Status(m));
        self
    }

    /// Entries of one family.
    pub fn family(mut self, family: Family) -> DumpFilter {
        self.inner.set(DumpValue::L3Num(family.number()));
        self
    }

    /// Entries of one zone.
    pub fn zone(mut self, zone: u16) -> DumpFilter {
        self.inner.set(DumpValue::Zone(zone));
        self
    }

    /// Entries whose original tuple matches `tuple` (dumps only, and
    /// kernels from 5.10 on).
    pub fn tuple(mut self, tuple: TupleFilter) -> DumpFilter {
        self.inner.set(DumpValue::Tuple(tuple.obj.view()));
        self
    }
}

/// The parts of an original tuple a [`DumpFilter`] compares: each one set
/// must be equal.
#[derive(Clone, Debug)]
pub struct TupleFilter {
    obj: Object,
    family: Family,
}

impl TupleFilter {
    /// Tuples of `family`.
    pub fn new(family: Family) -> TupleFilter {
        let mut obj = Object::new();
        obj.put(ATTR_ORIG_L3PROTO, ORIG + T_L3, &[family.number()]);
        TupleFilter { obj, family }
    }

    fn addr(
        mut self,
        addr: IpAddr,
        at: u16,
        v4: crate::conntrack::Attr,
        v6: crate::conntrack::Attr,
    ) -> Self {
        match (addr, self.family) {
            (IpAddr::V4(a), Family::Ipv4) => self.obj.put(v4, ORIG + at, &a.octets()),
            (IpAddr::V6(a), Family::Ipv6) => self.obj.put(v6, ORIG + at, &a.octets()),
            // Another family's address can match nothing: leave the
            // family's unspecified address, which no entry has.
            _ => {
                let none = self.family.unspecified();
                return self.addr(none, at, v4, v6);
            }
        }
        self
    }

    /// Source address.
    pub fn src(self, addr: IpAddr) -> TupleFilter {
        self.addr(addr, T_SRC, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC)
    }

    /// Destination address.
    pub fn dst(self, addr: IpAddr) -> TupleFilter {
        self.addr(addr, T_DST, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST)
    }

    /// Layer-4 protocol number.
    pub fn protocol(mut self, proto: u8) -> TupleFilter {
        self.obj.put(ATTR_ORIG_L4PROTO, ORIG + T_L4, &[proto]);
        self
    }

    /// Source port.
    pub fn src_port(mut self, port: u16) -> TupleFilter {
        self.obj
            .put(ATTR_ORIG_PORT_SRC, ORIG + T_L4SRC, &port.to_be_bytes());
        self
    }

    /// Destination port.
    pub fn dst_port(mut self, port: u16) -> TupleFilter {
        self.obj
            .put(ATTR_ORIG_PORT_DST, ORIG + T_L4DST, &port.to_be_bytes());
        self
    }

    /// Zone of the original direction.
    pub fn zone(mut self, zone: u16) -> TupleFilter {
        self.obj
            .put(ATTR_ORIG_ZONE, ORIG + T_ZONE, &zone.to_ne_bytes());
        self
    }
}

/// What an [`EventFilter`] condition looks at; see [`EventFilter::negate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterField {
    /// The layer-4 protocol.
    Protocol,
    /// The protocol state.
    ProtocolState,
    /// The IPv4 source address.
    SrcIpv4,
    /// The IPv4 destination address.
    DstIpv4,
    /// The IPv6 source address.
    SrcIpv6,
    /// The IPv6 destination address.
    DstIpv6,
    /// The mark.
    Mark,
    /// The zone.
    Zone,
}

/// Which events a socket receives, decided in the kernel before an event is
/// queued (the library's BPF compiler, the one `nfct_filter_attach` uses).
///
/// Each field is a condition: an event passes it when it matches one of the
/// values given for that field (or, after [`EventFilter::negate`], none of
/// them); an event without the field passes. An event is delivered when it
/// passes every condition. Expectation events always pass.
///
/// ```
/// use netfilter_conntrack::{EventFilter, TcpState};
///
/// let filter = EventFilter::new()
///     .protocol(6)
///     .tcp_state(TcpState::ESTABLISHED)
///     .src_ipv4("10.0.0.0".parse().unwrap(), 8)
///     .mark(1, 0xff);
/// # let _ = filter;
/// ```
#[derive(Clone, Debug)]
pub struct EventFilter {
    pub(crate) inner: Box<InnerEvents>,
}

impl Default for EventFilter {
    fn default() -> Self {
        EventFilter::new()
    }
}

fn prefix_mask32(len: u8) -> u32 {
    match len {
        0 => 0,
        n => u32::MAX << (32 - u32::from(n.min(32))),
    }
}

impl EventFilter {
    /// A filter that delivers everything.
    pub fn new() -> EventFilter {
        EventFilter {
            inner: Box::new(InnerEvents::new()),
        }
    }

    fn add(mut self, v: FilterValue) -> EventFilter {
        // Values past the library's limits (127 addresses, marks or zones
        // per field) are dropped, as the C library drops them.
        let _ = self.inner.add(v);
        self
    }

    /// Events of layer-4 protocol `proto`.
    pub fn protocol(self, proto: u8) -> EventFilter {
        self.add(FilterValue::L4Proto(u32::from(proto)))
    }

    /// Events of protocol `proto` in state `state` (states 0 to 15; TCP,
    /// SCTP and DCCP have states).
    pub fn protocol_state(self, proto: u8, state: u8) -> EventFilter {
        let ps = nfct_filter_proto {
            proto: u16::from(proto),
            state: u16::from(state),
        };
        self.add(FilterValue::L4ProtoState(ps))
    }

    /// TCP events in state `state`.
    pub fn tcp_state(self, state: TcpState) -> EventFilter {
        self.protocol_state(libc::IPPROTO_TCP as u8, state.0)
    }

    fn ipv4(self, dir: Dir, net: Ipv4Addr, prefix: u8) -> EventFilter {
        let v = nfct_filter_ipv4 {
            addr: u32::from(net),
            mask: prefix_mask32(prefix),
        };
        self.add(FilterValue::Ipv4(dir, v))
    }

    fn ipv6(self, dir: Dir, net: Ipv6Addr, prefix: u8) -> EventFilter {
        let bits = u128::from(net);
        let mask = match prefix {
            0 => 0,
            n => u128::MAX << (128 - u32::from(n.min(128))),
        };
        let words = |v: u128| [0, 1, 2, 3].map(|i| (v >> (96 - 32 * i)) as u32);
        let v = nfct_filter_ipv6 {
            addr: words(bits),
            mask: words(mask),
        };
        self.add(FilterValue::Ipv6(dir, v))
    }

    /// Events whose original source is in `net`/`prefix`.
    pub fn src_ipv4(self, net: Ipv4Addr, prefix: u8) -> EventFilter {
        self.ipv4(Dir::Src, net, prefix)
    }

    /// Events whose original destination is in `net`/`prefix`.
    pub fn dst_ipv4(self, net: Ipv4Addr, prefix: u8) -> EventFilter {
        self.ipv4(Dir::Dst, net, prefix)
    }

    /// Events whose original IPv6 source is in `net`/`prefix`.
    pub fn src_ipv6(self, net: Ipv6Addr, prefix: u8) -> EventFilter {
        self.ipv6(Dir::Src, net, prefix)
    }

    /// Events whose original IPv6 destination is in `net`/`prefix`.
    pub fn dst_ipv6(self, net: Ipv6Addr, prefix: u8) -> EventFilter {
        self.ipv6(Dir::Dst, net, prefix)
    }

    /// Events whose mark, masked with `mask`, is `value`.
    pub fn mark(self, value: u32, mask: u32) -> EventFilter {
        self.add(FilterValue::Mark(nfct_filter_dump_mark {
            val: value,
            mask,
        }))
    }

    /// Events of zone `zone`.
    pub fn zone(self, zone: u16) -> EventFilter {
        self.add(FilterValue::Zone(zone))
    }

    /// Inverts the condition on `field`: events matching one of its values
    /// are dropped, the others delivered. (Final: it cannot be undone.)
    pub fn negate(mut self, field: FilterField) -> EventFilter {
        use nfct_filter_attr::*;
        let attr = match field {
            FilterField::Protocol => NFCT_FILTER_L4PROTO,
            FilterField::ProtocolState => NFCT_FILTER_L4PROTO_STATE,
            FilterField::SrcIpv4 => NFCT_FILTER_SRC_IPV4,
            FilterField::DstIpv4 => NFCT_FILTER_DST_IPV4,
            FilterField::SrcIpv6 => NFCT_FILTER_SRC_IPV6,
            FilterField::DstIpv6 => NFCT_FILTER_DST_IPV6,
            FilterField::Mark => NFCT_FILTER_MARK,
            FilterField::Zone => NFCT_FILTER_ZONE,
        };
        // Only a second negation fails (EBUSY): it changes nothing.
        let _ = self.inner.set_logic(
            attr as u32,
            nfct_filter_logic::NFCT_FILTER_LOGIC_NEGATIVE as u32,
        );
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_become_masks() {
        assert_eq!(prefix_mask32(0), 0);
        assert_eq!(prefix_mask32(8), 0xff00_0000);
        assert_eq!(prefix_mask32(32), u32::MAX);
        assert_eq!(prefix_mask32(40), u32::MAX);
        let f = EventFilter::new().src_ipv4(Ipv4Addr::new(10, 1, 2, 3), 16);
        assert_eq!(
            f.inner.ipv4(Dir::Src),
            [nfct_filter_ipv4 {
                addr: 0x0a01_0203,
                mask: 0xffff_0000
            }]
        );
        let f = EventFilter::new().dst_ipv6("2001:db8::1".parse().unwrap(), 33);
        assert_eq!(
            f.inner.ipv6(Dir::Dst),
            [nfct_filter_ipv6 {
                addr: [0x2001_0db8, 0, 0, 1],
                mask: [u32::MAX, 0x8000_0000, 0, 0]
            }]
        );
        let f = EventFilter::new().negate(FilterField::Zone).zone(3);
        assert!(f.inner.is_negative(nfct_filter_attr::NFCT_FILTER_ZONE));
        assert_eq!(f.inner.zones(), [3]);
    }
}
