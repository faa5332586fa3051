//! `nfexp_cmp`: the attributes that both expectations set must match; the
//! `NFCT_CMP_MASK` and `NFCT_CMP_STRICT` flags decide about attributes that
//! only one sets. Tuples are compared as conntrack original tuples (with the
//! same flags); the timeout is never compared.

use super::attr::{ExpAttrDesc, ExpSlot, EXP_ATTRS};
use super::object::{until_nul, Expect};
use crate::conntrack::compare::{nfct_cmp_flags, same_orig};
use crate::conntrack::CtRef;

const NFCT_CMP_MASK: u32 = nfct_cmp_flags::NFCT_CMP_MASK as u32;
const NFCT_CMP_STRICT: u32 = nfct_cmp_flags::NFCT_CMP_STRICT as u32;

fn values_match(a: &Expect, b: &Expect, d: &ExpAttrDesc, flags: u32) -> bool {
    match d.slot {
        ExpSlot::Tuple(_) => match (a.head(d.attr), b.head(d.attr)) {
            (Some(x), Some(y)) => same_orig(CtRef::Head(x), CtRef::Head(y), flags),
            _ => false,
        },
        ExpSlot::Int { .. } => a.raw(d.attr) == b.raw(d.attr),
        ExpSlot::Str { .. } => until_nul(a.raw(d.attr)) == until_nul(b.raw(d.attr)),
    }
}

fn matches(a: &Expect, b: &Expect, d: &ExpAttrDesc, flags: u32) -> bool {
    match (a.is_set(d.attr), b.is_set(d.attr)) {
        (true, true) => values_match(a, b, d, flags),
        (false, false) => true,
        (true, false) if flags & NFCT_CMP_MASK != 0 => false,
        _ => flags & NFCT_CMP_STRICT == 0,
    }
}

/// `nfexp_cmp`: whether the expectations are equal under `flags`.
pub fn cmp(a: &Expect, b: &Expect, flags: u32) -> bool {
    EXP_ATTRS
        .iter()
        .filter(|d| d.compared)
        .all(|d| matches(a, b, d, flags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::{Attr, Conntrack, Head};
    use crate::expect::attr::ExpAttr::{self, *};

    fn tuple(sport: u16) -> Head {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, 2);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, 17);
        ct.set_u32(Attr::ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, sport);
        Head::of(ct.view())
    }

    fn sample() -> Expect {
        let mut e = Expect::new();
        e.set_tuple(ATTR_EXP_MASTER, tuple(1)).unwrap();
        e.set_tuple(ATTR_EXP_EXPECTED, tuple(2)).unwrap();
        e.set_uint(ATTR_EXP_TIMEOUT, 10u32.to_ne_bytes()).unwrap();
        e.set_bytes(ATTR_EXP_HELPER_NAME, b"tftp").unwrap();
        e
    }

    #[test]
    fn equal_and_different_values() {
        let a = sample();
        assert!(cmp(&a, &a, 0));
        let mut b = sample();
        b.set_tuple(ATTR_EXP_EXPECTED, tuple(3)).unwrap();
        assert!(!cmp(&a, &b, 0));
        let mut b = sample();
        b.set_bytes(ATTR_EXP_HELPER_NAME, b"tftp\0x").unwrap();
        assert!(cmp(&a, &b, 0));
        b.set_bytes(ATTR_EXP_HELPER_NAME, b"ftp").unwrap();
        assert!(!cmp(&a, &b, 0));
    }

    #[test]
    fn the_timeout_is_never_compared() {
        let a = sample();
        let mut b = sample();
        b.set_uint(ATTR_EXP_TIMEOUT, 99u32.to_ne_bytes()).unwrap();
        assert!(cmp(&a, &b, NFCT_CMP_STRICT));
        b.unset(ATTR_EXP_TIMEOUT);
        assert!(cmp(&a, &b, NFCT_CMP_STRICT | NFCT_CMP_MASK));
    }

    #[test]
    fn mask_and_strict_decide_about_one_sided_attributes() {
        for attr in EXP_ATTRS
            .iter()
            .map(|d| d.attr)
            .filter(|&a| a != ATTR_EXP_TIMEOUT)
        {
            let a = sample();
            let mut b = sample();
            match attr.desc().slot {
                ExpSlot::Tuple(_) => b.set_tuple(attr, tuple(1)).unwrap(),
                _ => b.set_uint(attr, [1u8]).unwrap(),
            }
            let only_b = a.is_set(attr) != b.is_set(attr);
            if only_b {
                // Set in the second object only.
                assert!(cmp(&a, &b, 0), "{attr:?}");
                assert!(cmp(&a, &b, NFCT_CMP_MASK), "{attr:?}");
                assert!(!cmp(&a, &b, NFCT_CMP_STRICT), "{attr:?}");
                assert!(!cmp(&b, &a, NFCT_CMP_MASK), "{attr:?}");
                assert!(cmp(&b, &a, 0), "{attr:?}");
            }
        }
    }

    #[test]
    fn tuple_flags_reach_the_tuple_comparison() {
        let a = sample();
        let mut b = sample();
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, 2);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, 17);
        ct.set_u32(Attr::ATTR_ORIG_IPV4_SRC, 1);
        // Same tuple but without the source port.
        b.set_tuple(ExpAttr::ATTR_EXP_MASTER, Head::of(ct.view()))
            .unwrap();
        assert!(cmp(&a, &b, 0));
        assert!(!cmp(&a, &b, NFCT_CMP_MASK));
        assert!(cmp(&b, &a, NFCT_CMP_MASK));
        assert!(!cmp(&b, &a, NFCT_CMP_STRICT));
    }
}
