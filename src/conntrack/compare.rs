//! `nfct_cmp` and `nfct_compare`: which attributes are compared, in which
//! order and how, written as data.

use super::attr::Attr::{self, *};
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

/// How one attribute's values are compared.
#[derive(Clone, Copy)]
enum Rule {
    /// The stored bytes are equal.
    Same,
    /// The typed values are equal, an unset one reading as zero.
    SameOrZero,
    /// Timeouts, by the `NFCT_CMP_TIMEOUT_*` flags.
    Timeout,
    /// The first status's bits are all in the second.
    Status,
    /// Equal protocol, then the protocol's ports or ICMP fields.
    Layer4(&'static [Check], &'static [Check]),
    /// Equal security context strings.
    SecCtx,
    /// Equal label bits.
    Labels,
}

/// One attribute's comparison. A non-strict check still compares values
/// when only one side sets the attribute and a flag demands it.
#[derive(Clone, Copy)]
struct Check {
    attr: Attr,
    rule: Rule,
    strict: bool,
}

const fn check(attr: Attr, rule: Rule) -> Check {
    Check {
        attr,
        rule,
        strict: true,
    }
}

const fn lenient(attr: Attr, rule: Rule) -> Check {
    Check {
        attr,
        rule,
        strict: false,
    }
}

const ICMP: [Check; 3] = [
    check(ATTR_ICMP_ID, Rule::Same),
    check(ATTR_ICMP_CODE, Rule::Same),
    check(ATTR_ICMP_TYPE, Rule::Same),
];
const ORIG_PORTS: [Check; 2] = [
    check(ATTR_ORIG_PORT_SRC, Rule::Same),
    check(ATTR_ORIG_PORT_DST, Rule::Same),
];
const REPL_PORTS: [Check; 2] = [
    check(ATTR_REPL_PORT_SRC, Rule::Same),
    check(ATTR_REPL_PORT_DST, Rule::Same),
];

const ORIG: [Check; 7] = [
    check(ATTR_ORIG_L3PROTO, Rule::Same),
    check(ATTR_ORIG_L4PROTO, Rule::Layer4(&ICMP, &ORIG_PORTS)),
    check(ATTR_ORIG_IPV4_SRC, Rule::Same),
    check(ATTR_ORIG_IPV4_DST, Rule::Same),
    check(ATTR_ORIG_IPV6_SRC, Rule::Same),
    check(ATTR_ORIG_IPV6_DST, Rule::Same),
    lenient(ATTR_ORIG_ZONE, Rule::SameOrZero),
];

const REPL: [Check; 7] = [
    check(ATTR_REPL_L3PROTO, Rule::Same),
    check(ATTR_REPL_L4PROTO, Rule::Layer4(&ICMP, &REPL_PORTS)),
    check(ATTR_REPL_IPV4_SRC, Rule::Same),
    check(ATTR_REPL_IPV4_DST, Rule::Same),
    check(ATTR_REPL_IPV6_SRC, Rule::Same),
    check(ATTR_REPL_IPV6_DST, Rule::Same),
    lenient(ATTR_REPL_ZONE, Rule::SameOrZero),
];

const META: [Check; 11] = [
    check(ATTR_ID, Rule::Same),
    lenient(ATTR_MARK, Rule::SameOrZero),
    check(ATTR_TIMEOUT, Rule::Timeout),
    check(ATTR_STATUS, Rule::Status),
    check(ATTR_TCP_STATE, Rule::Same),
    check(ATTR_SCTP_STATE, Rule::Same),
    check(ATTR_DCCP_STATE, Rule::Same),
    lenient(ATTR_ZONE, Rule::SameOrZero),
    check(ATTR_SECCTX, Rule::SecCtx),
    check(ATTR_CONNLABELS, Rule::Labels),
    check(ATTR_CONNLABELS_MASK, Rule::Labels),
];

/// Protocols whose ports `NFCT_CMP_ORIG`/`NFCT_CMP_REPL` compare.
const PORT_PROTOCOLS: [u8; 5] = [
    ipproto::TCP,
    ipproto::UDP,
    ipproto::UDPLITE,
    ipproto::DCCP,
    ipproto::SCTP,
];

fn values_match(a: CtRef<'_>, b: CtRef<'_>, c: &Check, flags: u32) -> bool {
    match c.rule {
        Rule::Same => a.raw(c.attr) == b.raw(c.attr),
        Rule::SameOrZero => match a.raw(c.attr).len() {
            2 => a.u16(c.attr) == b.u16(c.attr),
            _ => a.u32(c.attr) == b.u32(c.attr),
        },
        Rule::Timeout => {
            let (x, y) = (a.u32(c.attr), b.u32(c.attr));
            (flags & TIMEOUT_FLAGS == 0 && x == y)
                || (flags & NFCT_CMP_TIMEOUT_GT != 0 && x > y)
                || (flags & NFCT_CMP_TIMEOUT_LT != 0 && x < y)
                || (flags & NFCT_CMP_TIMEOUT_EQ != 0 && x == y)
        }
        Rule::Status => {
            let (x, y) = (a.u32(c.attr), b.u32(c.attr));
            x & y == x
        }
        Rule::Layer4(icmp, ports) => {
            let proto = a.raw(c.attr);
            if proto != b.raw(c.attr) {
                return false;
            }
            let fields: &[Check] = match proto.first().copied().unwrap_or(0) {
                ipproto::ICMP | ipproto::ICMPV6 => icmp,
                p if PORT_PROTOCOLS.contains(&p) => ports,
                _ => &[],
            };
            all_match(a, b, fields, flags)
        }
        Rule::SecCtx => a.secctx() == b.secctx(),
        Rule::Labels => match (a.labels(c.attr), b.labels(c.attr)) {
            (Some(x), Some(y)) => x.same_bits(y),
            (x, y) => x.is_none() && y.is_none(),
        },
    }
}

fn matches(a: CtRef<'_>, b: CtRef<'_>, c: &Check, flags: u32) -> bool {
    match (a.is_set(c.attr), b.is_set(c.attr)) {
        (true, true) => values_match(a, b, c, flags),
        (false, false) => true,
        (in_a, _) if (flags & NFCT_CMP_MASK != 0 && in_a) || flags & NFCT_CMP_STRICT != 0 => {
            !c.strict && values_match(a, b, c, flags)
        }
        _ => true,
    }
}

fn all_match(a: CtRef<'_>, b: CtRef<'_>, checks: &[Check], flags: u32) -> bool {
    checks.iter().all(|c| matches(a, b, c, flags))
}

/// Compares the original tuples (also used for expectation tuples).
pub fn same_orig(a: CtRef<'_>, b: CtRef<'_>, flags: u32) -> bool {
    all_match(a, b, &ORIG, flags)
}

/// `nfct_cmp`: whether the objects are equal under `flags`.
pub fn cmp(a: CtRef<'_>, b: CtRef<'_>, flags: u32) -> bool {
    if flags & !(NFCT_CMP_MASK | NFCT_CMP_STRICT) == NFCT_CMP_ALL {
        return all_match(a, b, &META, flags)
            && same_orig(a, b, flags)
            && all_match(a, b, &REPL, flags);
    }
    if flags & NFCT_CMP_ORIG != 0 && !same_orig(a, b, flags) {
        return false;
    }
    if flags & NFCT_CMP_REPL != 0 && !all_match(a, b, &REPL, flags) {
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
