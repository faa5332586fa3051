//! `nfct_cmp` and `nfct_compare`: which attributes are compared, in which
//! order and how, written as data.

use super::attr::Attr::{self, *};
use super::attr::{fixed_slot, AttrSet};
use super::layout::STORAGE_LEN;
use super::object::{CtRef, Head};
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

/// Defines the comparison of one part of the objects (the meta data, a
/// tuple, a tuple's ports or ICMP fields): a function that tells whether
/// the objects agree on every attribute the part lists.
///
/// A strict attribute (`same`, `other`) set on one side only fails the
/// comparison when a flag demands it (`NFCT_CMP_STRICT`, or `NFCT_CMP_MASK`
/// when it is the first object's); a lenient one then still compares
/// values, an unset one reading as zero. `same` attributes compare their
/// stored bytes, `other` ones by their own rule ([`other_matches`]). The
/// macro writes each list out as straight-line code: a bit test and a load
/// per field, at constant offsets.
macro_rules! part {
    ($(#[$doc:meta])* $name:ident {
        same: [$($s:ident),* $(,)?],
        other: [$($o:ident),* $(,)?],
        lenient: [$($l:ident),* $(,)?] $(,)?
    }) => {
        $(#[$doc])*
        #[inline(always)]
        fn $name(p: &Pair<'_>, flags: u32) -> bool {
            const STRICT: AttrSet = AttrSet::of(&[$($s,)* $($o,)*]);
            if flags & (NFCT_CMP_MASK | NFCT_CMP_STRICT) != 0
                && !presence_matches(p.sa, p.sb, STRICT, flags)
            {
                return false;
            }
            let both = p.sa.and(p.sb);
            $(
                if both.has($s) && !same(p.fa, p.fb, const { field($s) }) {
                    return false;
                }
            )*
            $(
                if both.has($o) && !other_matches(p, $o, flags) {
                    return false;
                }
            )*
            $(
                if !lenient_matches(p, const { field($l) }, flags) {
                    return false;
                }
            )*
            true
        }
    };
}

part!(
    /// The ICMP fields.
    icmp_matches { same: [ATTR_ICMP_ID, ATTR_ICMP_CODE, ATTR_ICMP_TYPE], other: [], lenient: [] }
);
part!(
    /// The original direction's ports.
    orig_ports_match { same: [ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST], other: [], lenient: [] }
);
part!(
    /// The reply direction's ports.
    repl_ports_match { same: [ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST], other: [], lenient: [] }
);
part!(
    /// The original tuple (also used for expectation tuples).
    orig_matches {
        same: [
            ATTR_ORIG_L3PROTO,
            ATTR_ORIG_IPV4_SRC,
            ATTR_ORIG_IPV4_DST,
            ATTR_ORIG_IPV6_SRC,
            ATTR_ORIG_IPV6_DST,
        ],
        other: [ATTR_ORIG_L4PROTO],
        lenient: [ATTR_ORIG_ZONE],
    }
);
part!(
    /// The reply tuple.
    repl_matches {
        same: [
            ATTR_REPL_L3PROTO,
            ATTR_REPL_IPV4_SRC,
            ATTR_REPL_IPV4_DST,
            ATTR_REPL_IPV6_SRC,
            ATTR_REPL_IPV6_DST,
        ],
        other: [ATTR_REPL_L4PROTO],
        lenient: [ATTR_REPL_ZONE],
    }
);
part!(
    /// The meta data.
    meta_matches {
        same: [ATTR_ID, ATTR_TCP_STATE, ATTR_SCTP_STATE, ATTR_DCCP_STATE],
        other: [
            ATTR_TIMEOUT,
            ATTR_STATUS,
            ATTR_SECCTX,
            ATTR_CONNLABELS,
            ATTR_CONNLABELS_MASK,
        ],
        lenient: [ATTR_MARK, ATTR_ZONE],
    }
);

/// The two objects compared, with what every part reads of them.
struct Pair<'a> {
    a: CtRef<'a>,
    b: CtRef<'a>,
    sa: AttrSet,
    sb: AttrSet,
    fa: &'a [u8],
    fb: &'a [u8],
}

impl<'a> Pair<'a> {
    #[inline(always)]
    fn new(a: CtRef<'a>, b: CtRef<'a>) -> Self {
        Pair {
            a,
            b,
            sa: a.set(),
            sb: b.set(),
            fa: a.fixed(),
            fb: b.fixed(),
        }
    }
}

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

/// Whether the strict attributes `strict` are set on the sides `flags`
/// demand: with `NFCT_CMP_STRICT` on both or neither, with `NFCT_CMP_MASK`
/// on the second wherever on the first.
#[inline(always)]
fn presence_matches(sa: AttrSet, sb: AttrSet, strict: AttrSet, flags: u32) -> bool {
    let only_a = sa.without(sb).and(strict);
    let only_b = sb.without(sa).and(strict);
    let strict_ok = flags & NFCT_CMP_STRICT == 0 || only_a.or(only_b).is_none();
    let mask_ok = flags & NFCT_CMP_MASK == 0 || only_a.is_none();
    strict_ok && mask_ok
}

/// Whether lenient field `f` matches: compared when both set it, or one
/// does and a flag demands it; then its zero-extended values (unset reads
/// as zero) must be equal.
#[inline(always)]
fn lenient_matches(p: &Pair<'_>, f: Field, flags: u32) -> bool {
    let (in_a, in_b) = (p.sa.has(f.attr), p.sb.has(f.attr));
    let mask = flags & NFCT_CMP_MASK != 0 && in_a;
    let strict = flags & NFCT_CMP_STRICT != 0;
    if !((in_a && in_b) || ((in_a || in_b) && (mask || strict))) {
        return true;
    }
    match f.len {
        2 => p.a.u16(f.attr) == p.b.u16(f.attr),
        _ => p.a.u32(f.attr) == p.b.u32(f.attr),
    }
}

/// Whether attribute `x`, set in both, matches by its own rule.
#[inline(always)]
fn other_matches(p: &Pair<'_>, x: Attr, flags: u32) -> bool {
    // Set in both: the values are the stored bytes.
    let u32s = |f: Field| {
        let v = |s| bytes::<4>(s, f.at).map_or(0, u32::from_ne_bytes);
        (v(p.fa), v(p.fb))
    };
    match x {
        ATTR_TIMEOUT => {
            let (x, y) = u32s(const { field(ATTR_TIMEOUT) });
            (flags & TIMEOUT_FLAGS == 0 && x == y)
                || (flags & NFCT_CMP_TIMEOUT_GT != 0 && x > y)
                || (flags & NFCT_CMP_TIMEOUT_LT != 0 && x < y)
                || (flags & NFCT_CMP_TIMEOUT_EQ != 0 && x == y)
        }
        ATTR_STATUS => {
            let (x, y) = u32s(const { field(ATTR_STATUS) });
            x & y == x
        }
        ATTR_ORIG_L4PROTO => layer4_matches(
            p,
            const { field(ATTR_ORIG_L4PROTO) },
            orig_ports_match,
            flags,
        ),
        ATTR_REPL_L4PROTO => layer4_matches(
            p,
            const { field(ATTR_REPL_L4PROTO) },
            repl_ports_match,
            flags,
        ),
        _ => heap_value_matches(p.a, p.b, x),
    }
}

/// Whether the layer-4 protocols (field `f`, set in both) are equal and so
/// are their ports
/// (`ports`) or ICMP fields.
#[inline(always)]
fn layer4_matches(p: &Pair<'_>, f: Field, ports: fn(&Pair<'_>, u32) -> bool, flags: u32) -> bool {
    let proto = bytes::<1>(p.fa, f.at);
    proto == bytes::<1>(p.fb, f.at)
        && match proto.map_or(0, |[p]| p) {
            ipproto::ICMP | ipproto::ICMPV6 => icmp_matches(p, flags),
            ipproto::TCP | ipproto::UDP | ipproto::UDPLITE | ipproto::DCCP | ipproto::SCTP => {
                ports(p, flags)
            }
            _ => true,
        }
}

/// Whether the security contexts or labels (`x`) are the same.
#[inline(never)]
fn heap_value_matches(a: CtRef<'_>, b: CtRef<'_>, x: Attr) -> bool {
    match x {
        ATTR_SECCTX => a.secctx() == b.secctx(),
        ATTR_CONNLABELS | ATTR_CONNLABELS_MASK => match (a.labels(x), b.labels(x)) {
            (Some(x), Some(y)) => x.same_bits(y),
            (x, y) => x.is_none() && y.is_none(),
        },
        _ => true,
    }
}

/// Compares the original tuples of two tuple heads (an expectation's
/// tuples): with both storages a head's, every field is a load at a
/// constant offset.
#[inline]
pub fn same_orig_heads(a: &Head, b: &Head, flags: u32) -> bool {
    orig_matches(&Pair::new(CtRef::Head(a), CtRef::Head(b)), flags)
}

/// Whether `flags` compare nothing, so that any two objects are equal:
/// neither `NFCT_CMP_ALL` (whose metadata alone counts the timeout flags)
/// nor a tuple.
#[inline(always)]
pub const fn equal_whatever_the_objects(flags: u32) -> bool {
    flags & !(NFCT_CMP_MASK | NFCT_CMP_STRICT) != NFCT_CMP_ALL
        && flags & (NFCT_CMP_ORIG | NFCT_CMP_REPL) == 0
}

/// `nfct_cmp`: whether the objects are equal under `flags`.
pub fn cmp(a: CtRef<'_>, b: CtRef<'_>, flags: u32) -> bool {
    if equal_whatever_the_objects(flags) {
        return true;
    }
    // Two whole objects: both storages have one known length, so every
    // field's bounds are known at compile time.
    match (
        a.fixed().first_chunk::<STORAGE_LEN>(),
        b.fixed().first_chunk::<STORAGE_LEN>(),
    ) {
        (Some(fa), Some(fb)) => pair_matches(
            &Pair {
                fa,
                fb,
                ..Pair::new(a, b)
            },
            flags,
        ),
        _ => pair_matches(&Pair::new(a, b), flags),
    }
}

/// [`cmp`] on the pair `p`, for flags that compare something.
#[inline(always)]
fn pair_matches(p: &Pair<'_>, flags: u32) -> bool {
    if flags & !(NFCT_CMP_MASK | NFCT_CMP_STRICT) == NFCT_CMP_ALL {
        return meta_matches(p, flags) && orig_matches(p, flags) && repl_matches(p, flags);
    }
    if flags & NFCT_CMP_ORIG != 0 && !orig_matches(p, flags) {
        return false;
    }
    if flags & NFCT_CMP_REPL != 0 && !repl_matches(p, flags) {
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
