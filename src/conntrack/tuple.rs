//! The three tuples of a conntrack (original, reply, master): where each is
//! stored and which attributes name its fields. Building and parsing walk
//! these descriptions instead of repeating themselves per direction.

use super::attr::Attr::{self, *};
use super::attr::AttrSet;
use super::layout::{MASTER, ORIG, REPL};

/// One tuple of the object.
#[derive(Debug)]
pub struct TupleDesc {
    /// Offset of the tuple in the fixed storage.
    pub base: u16,
    /// IPv4 source, destination.
    pub ipv4: [Attr; 2],
    /// IPv6 source, destination.
    pub ipv6: [Attr; 2],
    /// Source, destination port.
    pub ports: [Attr; 2],
    /// Layer-3 protocol.
    pub l3: Attr,
    /// Layer-4 protocol.
    pub l4: Attr,
    /// Zone of this direction (the master tuple has none).
    pub zone: Option<Attr>,
    /// Whether the ICMP attributes make the tuple worth building (only the
    /// original tuple: the reply tuple does not depend on them).
    pub uses_icmp: bool,
    /// Every attribute whose presence means this tuple is described.
    pub member_set: AttrSet,
}

/// `t` with its [`TupleDesc::member_set`] filled in.
const fn with_member_set(t: TupleDesc) -> TupleDesc {
    TupleDesc {
        member_set: member_set(&t),
        ..t
    }
}

/// The set of a tuple's members (see [`TupleDesc::member_set`]).
const fn member_set(t: &TupleDesc) -> AttrSet {
    let set = AttrSet::of(&[
        t.ipv4[0], t.ipv4[1], t.ipv6[0], t.ipv6[1], t.ports[0], t.ports[1], t.l3, t.l4,
    ]);
    let set = match t.zone {
        Some(z) => set.or(AttrSet::of(&[z])),
        None => set,
    };
    if t.uses_icmp {
        set.or(AttrSet::of(&ICMP_ATTRS))
    } else {
        set
    }
}

/// ICMP type, code and id: one set, stored in whichever tuple they arrive in.
pub const ICMP_ATTRS: [Attr; 3] = [ATTR_ICMP_TYPE, ATTR_ICMP_CODE, ATTR_ICMP_ID];

/// The original tuple.
pub const ORIG_TUPLE: TupleDesc = with_member_set(TupleDesc {
    base: ORIG,
    ipv4: [ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST],
    ipv6: [ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV6_DST],
    ports: [ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST],
    l3: ATTR_ORIG_L3PROTO,
    l4: ATTR_ORIG_L4PROTO,
    zone: Some(ATTR_ORIG_ZONE),
    uses_icmp: true,
    member_set: AttrSet::EMPTY,
});

/// The reply tuple.
pub const REPL_TUPLE: TupleDesc = with_member_set(TupleDesc {
    base: REPL,
    ipv4: [ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST],
    ipv6: [ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV6_DST],
    ports: [ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST],
    l3: ATTR_REPL_L3PROTO,
    l4: ATTR_REPL_L4PROTO,
    zone: Some(ATTR_REPL_ZONE),
    uses_icmp: false,
    member_set: AttrSet::EMPTY,
});

/// The master conntrack's tuple.
pub const MASTER_TUPLE: TupleDesc = with_member_set(TupleDesc {
    base: MASTER,
    ipv4: [ATTR_MASTER_IPV4_SRC, ATTR_MASTER_IPV4_DST],
    ipv6: [ATTR_MASTER_IPV6_SRC, ATTR_MASTER_IPV6_DST],
    ports: [ATTR_MASTER_PORT_SRC, ATTR_MASTER_PORT_DST],
    l3: ATTR_MASTER_L3PROTO,
    l4: ATTR_MASTER_L4PROTO,
    zone: None,
    uses_icmp: false,
    member_set: AttrSet::EMPTY,
});

impl TupleDesc {
    /// Whether `set` names any member of this tuple.
    #[inline]
    pub fn described_in(&self, set: AttrSet) -> bool {
        set.intersects(self.member_set)
    }
}
