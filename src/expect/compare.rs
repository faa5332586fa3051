//! `nfexp_cmp`: the attributes that both expectations set must match; the
//! `NFCT_CMP_MASK` and `NFCT_CMP_STRICT` flags decide about attributes that
//! only one sets. Tuples are compared as conntrack original tuples (with the
//! same flags); the timeout is never compared.
//!
//! Which attributes are set is settled for all of them at once on the
//! bitmaps; then each attribute that both set is compared in straight-line
//! code at its constant place.

use super::attr::ExpAttr::{self, *};
use super::attr::{bit, COMPARED};
use super::object::Expect;
use crate::conntrack::compare::{nfct_cmp_flags, same_orig_heads};

const NFCT_CMP_MASK: u32 = nfct_cmp_flags::NFCT_CMP_MASK as u32;
const NFCT_CMP_STRICT: u32 = nfct_cmp_flags::NFCT_CMP_STRICT as u32;

/// Whether the attributes set on one side only are allowed: with
/// `NFCT_CMP_STRICT` there must be none, with `NFCT_CMP_MASK` none that only
/// the first sets.
#[inline(always)]
fn presence_matches(sa: u32, sb: u32, flags: u32) -> bool {
    let strict_ok = flags & NFCT_CMP_STRICT == 0 || sa == sb;
    let mask_ok = flags & NFCT_CMP_MASK == 0 || sa & !sb == 0;
    strict_ok && mask_ok
}

/// Whether two string buffers hold the same string, as `strcmp` compares:
/// up to their NUL, or the whole buffers when they have none. Eight bytes
/// at a time: equal words end the string if one of their bytes is a NUL;
/// differing words are the same string if a NUL comes before the first
/// difference.
#[inline(always)]
fn same_str<const CAP: usize>(x: &[u8; CAP], y: &[u8; CAP]) -> bool {
    const { assert!(CAP % 8 == 0) };
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let word = |s: &[u8; CAP], i: usize| {
        s.get(i * 8..)
            .and_then(|w| w.first_chunk::<8>())
            .map_or(0, |w| u64::from_le_bytes(*w))
    };
    for i in 0..CAP / 8 {
        let (p, q) = (word(x, i), word(y, i));
        // The lowest byte flagged here is the first NUL of `p`.
        let nuls = p.wrapping_sub(ONES) & !p & HIGHS;
        let first_nul = nuls.trailing_zeros() / 8;
        if p != q {
            return first_nul < (p ^ q).trailing_zeros() / 8;
        }
        if nuls != 0 {
            return true;
        }
    }
    true
}

/// Whether tuple attribute `x` holds the same original tuple in both. Heads
/// of the same bytes (bitmap and tuple) agree under any flags, which spares
/// the field-by-field comparison when the tuples are copies.
#[inline(always)]
fn same_tuple(a: &Expect, b: &Expect, x: ExpAttr, flags: u32) -> bool {
    match (a.head(x), b.head(x)) {
        (Some(p), Some(q)) => p == q || same_orig_heads(p, q, flags),
        _ => false,
    }
}

/// `nfexp_cmp`: whether the expectations are equal under `flags`.
pub fn cmp(a: &Expect, b: &Expect, flags: u32) -> bool {
    let (sa, sb) = (a.set_bits() & COMPARED, b.set_bits() & COMPARED);
    if !presence_matches(sa, sb, flags) {
        return false;
    }
    let both = sa & sb;
    let has = |x: ExpAttr| both & bit(x) != 0;
    (!has(ATTR_EXP_ZONE) || a.zone() == b.zone())
        && (!has(ATTR_EXP_FLAGS) || a.flags() == b.flags())
        && (!has(ATTR_EXP_CLASS) || a.class() == b.class())
        && (!has(ATTR_EXP_NAT_DIR) || a.nat_dir() == b.nat_dir())
        && (!has(ATTR_EXP_HELPER_NAME) || same_str(a.helper_name_buf(), b.helper_name_buf()))
        && (!has(ATTR_EXP_FN) || same_str(a.expectfn_buf(), b.expectfn_buf()))
        && (!has(ATTR_EXP_MASTER) || same_tuple(a, b, ATTR_EXP_MASTER, flags))
        && (!has(ATTR_EXP_EXPECTED) || same_tuple(a, b, ATTR_EXP_EXPECTED, flags))
        && (!has(ATTR_EXP_MASK) || same_tuple(a, b, ATTR_EXP_MASK, flags))
        && (!has(ATTR_EXP_NAT_TUPLE) || same_tuple(a, b, ATTR_EXP_NAT_TUPLE, flags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::{Attr, Conntrack, Head};
    use crate::expect::attr::{ExpSlot, EXP_ATTRS};
    use crate::expect::object::until_nul;

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

    /// Buffers of `CAP` bytes holding `s`, its NUL when it fits, and then
    /// `fill` (what an earlier, longer string may have left).
    fn buffer<const CAP: usize>(s: &[u8], fill: u8) -> [u8; CAP] {
        let mut b = [fill; CAP];
        let n = s.len().min(CAP);
        b[..n].copy_from_slice(&s[..n]);
        if n < CAP {
            b[n] = 0;
        }
        b
    }

    fn strings_compare_as_strcmp_does<const CAP: usize>() {
        let strings: [&[u8]; 10] = [
            b"",
            b"f",
            b"ftp",
            b"ftq",
            b"ftp-",
            b"abcdefg",
            b"abcdefgh",
            b"abcdefghi",
            b"abcdefghijklmnopqrstuvw",
            b"abcdefghijklmnopqrstuvwxyz",
        ];
        for x in strings {
            for y in strings {
                for (fx, fy) in [(0, 0), (b'x', 0), (0xff, 0x01), (0x80, 0x80)] {
                    let (bx, by) = (buffer::<CAP>(x, fx), buffer::<CAP>(y, fy));
                    let want = until_nul(&bx) == until_nul(&by);
                    assert_eq!(same_str(&bx, &by), want, "{bx:?} {by:?}");
                    assert_eq!(same_str(&by, &bx), want, "{by:?} {bx:?}");
                }
            }
        }
    }

    #[test]
    fn strings_compare_as_strcmp_does_in_both_buffers() {
        strings_compare_as_strcmp_does::<16>();
        strings_compare_as_strcmp_does::<24>();
    }

    #[test]
    fn tuples_of_other_bytes_compare_by_their_fields() {
        let a = sample();
        // The same tuple, but with a destination port stored and unset:
        // the heads' bytes differ, their tuples do not.
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, 2);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, 17);
        ct.set_u32(Attr::ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, 2);
        ct.set_u16(Attr::ATTR_ORIG_PORT_DST, 99);
        ct.unset(Attr::ATTR_ORIG_PORT_DST);
        let mut b = sample();
        b.set_tuple(ATTR_EXP_EXPECTED, Head::of(ct.view())).unwrap();
        assert_ne!(a.head(ATTR_EXP_EXPECTED), b.head(ATTR_EXP_EXPECTED));
        for flags in [0, NFCT_CMP_MASK, NFCT_CMP_STRICT] {
            assert!(cmp(&a, &b, flags), "{flags}");
        }
        ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, 3);
        b.set_tuple(ATTR_EXP_EXPECTED, Head::of(ct.view())).unwrap();
        assert!(!cmp(&a, &b, 0));
    }

    #[test]
    fn integers_compare_at_their_width() {
        let mut a = sample();
        let mut b = sample();
        for x in [
            ATTR_EXP_ZONE,
            ATTR_EXP_FLAGS,
            ATTR_EXP_CLASS,
            ATTR_EXP_NAT_DIR,
        ] {
            a.set_uint(x, 0x0102_0304u32.to_ne_bytes()).unwrap();
            b.set_uint(x, 0x0102_0304u32.to_ne_bytes()).unwrap();
            assert!(cmp(&a, &b, 0), "{x:?}");
            b.set_uint(x, 0x0102_0305u32.to_ne_bytes()).unwrap();
            assert!(!cmp(&a, &b, 0), "{x:?}");
            b.set_uint(x, 0x0102_0304u32.to_ne_bytes()).unwrap();
        }
        // The zone is 16 bits wide: a u32 is cut to them.
        b.set_uint(ATTR_EXP_ZONE, 0xffff_0304u32.to_ne_bytes())
            .unwrap();
        assert!(cmp(&a, &b, 0));
    }
}
