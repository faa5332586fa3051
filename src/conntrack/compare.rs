//! `nfct_cmp` and `nfct_compare`: which attributes are compared, in which
//! order and how, written as data.

use super::attr::Attr::{self, *};
use super::attr::{fixed_slot, AttrSet};
use super::object::CtRef;
use crate::ctnetlink::ipproto;

/// `nfct_cmp` flags (an anonymous enum in the reference header).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_cmp_flags {
    /// Compare everything.
    NFCT_CMP_ALL = 0,
    /// Compare the original tuple.
    NFCT_CMP_ORIG = 1 << 0,
    /// Compare the reply tuple.
    NFCT_CMP_REPL = 1 << 1,
    /// Timeouts must be equal.
    NFCT_CMP_TIMEOUT_EQ = 1 << 2,
    /// The first timeout must be greater.
    NFCT_CMP_TIMEOUT_GT = 1 << 3,
    /// Greater or equal.
    NFCT_CMP_TIMEOUT_GE = (1 << 2) | (1 << 3),
    /// The first timeout must be smaller.
    NFCT_CMP_TIMEOUT_LT = 1 << 4,
    /// Smaller or equal.
    NFCT_CMP_TIMEOUT_LE = (1 << 2) | (1 << 4),
    /// The first object is a mask: what it sets must be set in the second.
    NFCT_CMP_MASK = 1 << 5,
    /// Both must set the same attributes.
    NFCT_CMP_STRICT = 1 << 6,
}

/// `NFCT_CMP_ALL` as flags.
pub(crate) const NFCT_CMP_ALL: u32 = nfct_cmp_flags::NFCT_CMP_ALL as u32;
const NFCT_CMP_ORIG: u32 = nfct_cmp_flags::NFCT_CMP_ORIG as u32;
const NFCT_CMP_REPL: u32 = nfct_cmp_flags::NFCT_CMP_REPL as u32;
const NFCT_CMP_TIMEOUT_EQ: u32 = nfct_cmp_flags::NFCT_CMP_TIMEOUT_EQ as u32;
const NFCT_CMP_TIMEOUT_GT: u32 = nfct_cmp_flags::NFCT_CMP_TIMEOUT_GT as u32;
const NFCT_CMP_TIMEOUT_LT: u32 = nfct_cmp_flags::NFCT_CMP_TIMEOUT_LT as u32;
const NFCT_CMP_TIMEOUT_LE: u32 = nfct_cmp_flags::NFCT_CMP_TIMEOUT_LE as u32;
const NFCT_CMP_MASK: u32 = nfct_cmp_flags::NFCT_CMP_MASK as u32;
const NFCT_CMP_STRICT: u32 = nfct_cmp_flags::NFCT_CMP_STRICT as u32;

const TIMEOUT_FLAGS: u32 = NFCT_CMP_TIMEOUT_LE | NFCT_CMP_TIMEOUT_GT;

/// An attribute compared by its stored bytes: where they are.
#[derive(Clone, Copy)]
struct Field {
    attr: Attr,
    at: u16,
    len: u8,
}

/// The field of attribute `a` (one in the fixed storage).
const fn field(a: Attr) -> Field {
    let (at, len) = fixed_slot(a);
    Field { attr: a, at, len }
}

/// One part of a comparison (the meta data, a tuple, a tuple's ports or
/// ICMP fields): the attributes it compares.
///
/// A strict attribute set on one side only fails the comparison when a
/// flag demands it (`NFCT_CMP_STRICT`, or `NFCT_CMP_MASK` when it is the
/// first object's); a lenient one then still compares values, an unset one
/// reading as zero. Most attributes are strict and compared by their bytes
/// ([`Part::same`]): the comparison walks those lists, which are constant,
/// so the compiler unrolls each walk into a bit test and a load per field.
struct Part {
    /// Strict, compared by their stored bytes.
    same: &'static [Field],
    /// Strict, with a rule of their own ([`other_matches`]).
    other: &'static [Attr],
    /// Lenient: typed values equal, an unset one reading as zero.
    lenient: &'static [Field],
    /// Every strict attribute (`same` and `other`).
    strict: AttrSet,
}

const fn attrs_of(fields: &[Field], other: &[Attr]) -> AttrSet {
    let mut set = AttrSet::of(other);
    let mut i = 0;
    while i < fields.len() {
        set = set.or(AttrSet::of(&[fields[i].attr]));
        i += 1;
    }
    set
}

macro_rules! part {
    (same: [$($s:ident),*], other: [$($o:ident),*], lenient: [$($l:ident),*]) => {
        Part {
            same: &[$(field($s)),*],
            other: &[$($o),*],
            lenient: &[$(field($l)),*],
            strict: attrs_of(&[$(field($s)),*], &[$($o),*]),
        }
    };
}

const ICMP: Part =
    part!(same: [ATTR_ICMP_ID, ATTR_ICMP_CODE, ATTR_ICMP_TYPE], other: [], lenient: []);
const ORIG_PORTS: Part =
    part!(same: [ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST], other: [], lenient: []);
const REPL_PORTS: Part =
    part!(same: [ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST], other: [], lenient: []);

const ORIG: Part = part!(
    same: [
        ATTR_ORIG_L3PROTO,
        ATTR_ORIG_IPV4_SRC,
        ATTR_ORIG_IPV4_DST,
        ATTR_ORIG_IPV6_SRC,
        ATTR_ORIG_IPV6_DST
    ],
    other: [ATTR_ORIG_L4PROTO],
    lenient: [ATTR_ORIG_ZONE]
);

const REPL: Part = part!(
    same: [
        ATTR_REPL_L3PROTO,
        ATTR_REPL_IPV4_SRC,
        ATTR_REPL_IPV4_DST,
        ATTR_REPL_IPV6_SRC,
        ATTR_REPL_IPV6_DST
    ],
    other: [ATTR_REPL_L4PROTO],
    lenient: [ATTR_REPL_ZONE]
);

const META: Part = part!(
    same: [ATTR_ID, ATTR_TCP_STATE, ATTR_SCTP_STATE, ATTR_DCCP_STATE],
    other: [
        ATTR_TIMEOUT,
        ATTR_STATUS,
        ATTR_SECCTX,
        ATTR_CONNLABELS,
        ATTR_CONNLABELS_MASK
    ],
    lenient: [ATTR_MARK, ATTR_ZONE]
);

/// Protocols whose ports `NFCT_CMP_ORIG`/`NFCT_CMP_REPL` compare.
const PORT_PROTOCOLS: [u8; 5] = [
    ipproto::TCP,
    ipproto::UDP,
    ipproto::UDPLITE,
    ipproto::DCCP,
    ipproto::SCTP,
];

/// The `N` bytes at `at` of a storage; `None` past its end (an attribute a
/// head does not hold reads as nothing).
#[inline(always)]
fn bytes<const N: usize>(s: &[u8], at: u16) -> Option<[u8; N]> {
    s.get(at as usize..)
        .and_then(|s| s.first_chunk::<N>())
        .copied()
}

/// Whether field `f` holds the same bytes in both storages.
#[inline(always)]
fn same(a: &[u8], b: &[u8], f: Field) -> bool {
    match f.len {
        1 => bytes::<1>(a, f.at) == bytes::<1>(b, f.at),
        2 => bytes::<2>(a, f.at) == bytes::<2>(b, f.at),
        4 => bytes::<4>(a, f.at) == bytes::<4>(b, f.at),
        8 => bytes::<8>(a, f.at) == bytes::<8>(b, f.at),
        _ => bytes::<16>(a, f.at) == bytes::<16>(b, f.at),
    }
}

/// Whether the zero-extended values of lenient field `f` are equal (unset
/// reads as zero).
#[inline(always)]
fn same_or_zero(a: CtRef<'_>, b: CtRef<'_>, f: Field) -> bool {
    match f.len {
        2 => a.u16(f.attr) == b.u16(f.attr),
        _ => a.u32(f.attr) == b.u32(f.attr),
    }
}

/// Whether attribute `x`, set in both, matches by its own rule.
fn other_matches(a: CtRef<'_>, b: CtRef<'_>, x: Attr, flags: u32) -> bool {
    match x {
        ATTR_TIMEOUT => {
            let (x, y) = (a.u32(x), b.u32(x));
            (flags & TIMEOUT_FLAGS == 0 && x == y)
                || (flags & NFCT_CMP_TIMEOUT_GT != 0 && x > y)
                || (flags & NFCT_CMP_TIMEOUT_LT != 0 && x < y)
                || (flags & NFCT_CMP_TIMEOUT_EQ != 0 && x == y)
        }
        ATTR_STATUS => {
            let (x, y) = (a.u32(x), b.u32(x));
            x & y == x
        }
        ATTR_ORIG_L4PROTO | ATTR_REPL_L4PROTO => {
            let (p, q) = (a.u8(x), b.u8(x));
            let ports = if x == ATTR_ORIG_L4PROTO {
                &ORIG_PORTS
            } else {
                &REPL_PORTS
            };
            p == q
                && match p {
                    ipproto::ICMP | ipproto::ICMPV6 => part_matches(a, b, &ICMP, flags),
                    p if PORT_PROTOCOLS.contains(&p) => part_matches(a, b, ports, flags),
                    _ => true,
                }
        }
        ATTR_SECCTX => a.secctx() == b.secctx(),
        ATTR_CONNLABELS | ATTR_CONNLABELS_MASK => match (a.labels(x), b.labels(x)) {
            (Some(x), Some(y)) => x.same_bits(y),
            (x, y) => x.is_none() && y.is_none(),
        },
        _ => true,
    }
}

/// Whether the objects agree on every attribute of part `p` under `flags`.
#[inline(always)]
fn part_matches(a: CtRef<'_>, b: CtRef<'_>, p: &Part, flags: u32) -> bool {
    let (sa, sb) = (a.set(), b.set());
    let mask = flags & NFCT_CMP_MASK != 0;
    let strict = flags & NFCT_CMP_STRICT != 0;
    // A strict attribute on one side only: fails when a flag demands it.
    if mask || strict {
        let only_a = sa.without(sb).and(p.strict);
        let only_b = sb.without(sa).and(p.strict);
        if (strict && !only_a.or(only_b).is_none()) || (mask && !only_a.is_none()) {
            return false;
        }
    }
    let both = sa.and(sb);
    let (fa, fb) = (a.fixed(), b.fixed());
    for f in p.same {
        if both.has(f.attr) && !same(fa, fb, *f) {
            return false;
        }
    }
    for x in p.other {
        if both.has(*x) && !other_matches(a, b, *x, flags) {
            return false;
        }
    }
    // A lenient one compares values when both set it, or one does and a
    // flag demands it.
    for f in p.lenient {
        let (in_a, in_b) = (sa.has(f.attr), sb.has(f.attr));
        let compare = (in_a && in_b) || ((in_a || in_b) && ((mask && in_a) || strict));
        if compare && !same_or_zero(a, b, *f) {
            return false;
        }
    }
    true
}

/// Compares the original tuples (also used for expectation tuples).
pub fn same_orig(a: CtRef<'_>, b: CtRef<'_>, flags: u32) -> bool {
    part_matches(a, b, &ORIG, flags)
}

/// `nfct_cmp`: whether the objects are equal under `flags`.
pub fn cmp(a: CtRef<'_>, b: CtRef<'_>, flags: u32) -> bool {
    if flags & !(NFCT_CMP_MASK | NFCT_CMP_STRICT) == NFCT_CMP_ALL {
        return part_matches(a, b, &META, flags)
            && part_matches(a, b, &ORIG, flags)
            && part_matches(a, b, &REPL, flags);
    }
    if flags & NFCT_CMP_ORIG != 0 && !same_orig(a, b, flags) {
        return false;
    }
    if flags & NFCT_CMP_REPL != 0 && !part_matches(a, b, &REPL, flags) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::object::Conntrack;
    const NFCT_CMP_TIMEOUT_GE: u32 = nfct_cmp_flags::NFCT_CMP_TIMEOUT_GE as u32;

    fn tcp(sport: u16) -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, 2);
        ct.set_u8(ATTR_ORIG_L4PROTO, 6);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u16(ATTR_ORIG_PORT_SRC, sport);
        ct
    }

    #[test]
    fn ports_decide_for_tcp() {
        assert!(cmp(tcp(1).view(), tcp(1).view(), NFCT_CMP_ALL));
        assert!(!cmp(tcp(1).view(), tcp(2).view(), NFCT_CMP_ORIG));
        assert!(cmp(tcp(1).view(), tcp(2).view(), NFCT_CMP_REPL));
    }

    #[test]
    fn mask_and_strict() {
        let a = tcp(1);
        let mut b = tcp(1);
        b.set_u32(ATTR_MARK, 5);
        assert!(cmp(a.view(), b.view(), NFCT_CMP_ALL));
        assert!(!cmp(b.view(), a.view(), NFCT_CMP_ALL | NFCT_CMP_MASK));
        assert!(cmp(a.view(), b.view(), NFCT_CMP_ALL | NFCT_CMP_MASK));
        assert!(!cmp(a.view(), b.view(), NFCT_CMP_ALL | NFCT_CMP_STRICT));
        b.set_u32(ATTR_MARK, 0);
        // Mark is lenient: an unset mark reads as zero.
        assert!(cmp(a.view(), b.view(), NFCT_CMP_ALL | NFCT_CMP_STRICT));
    }

    #[test]
    fn timeouts() {
        let mut a = tcp(1);
        let mut b = tcp(1);
        a.set_u32(ATTR_TIMEOUT, 10);
        b.set_u32(ATTR_TIMEOUT, 5);
        assert!(!cmp(a.view(), b.view(), NFCT_CMP_ALL));
        assert!(cmp(a.view(), b.view(), NFCT_CMP_TIMEOUT_GT | NFCT_CMP_ORIG));
        // Timeout flags only act in a full comparison.
        assert!(cmp(a.view(), b.view(), NFCT_CMP_TIMEOUT_LT));
        assert!(cmp(a.view(), b.view(), NFCT_CMP_TIMEOUT_GE | NFCT_CMP_ORIG));
    }

    #[test]
    fn status_is_a_subset_test() {
        let mut a = tcp(1);
        let mut b = tcp(1);
        a.set_u32(ATTR_STATUS, 0b10);
        b.set_u32(ATTR_STATUS, 0b110);
        assert!(cmp(a.view(), b.view(), NFCT_CMP_ALL));
        assert!(!cmp(b.view(), a.view(), NFCT_CMP_ALL));
    }
}
