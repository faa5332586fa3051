//! `nfct_copy` and `nfct_copy_attr`.

use super::attr::{
    Attr::{self, *},
    AttrSet, ALL_ATTRS,
};
use super::object::{Conntrack, CtRef};

/// `nfct_copy` flags (an anonymous enum in the reference header).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_copy_flags {
    /// Copy everything.
    NFCT_CP_ALL = 0,
    /// Copy the original tuple.
    NFCT_CP_ORIG = 1 << 0,
    /// Copy the reply tuple.
    NFCT_CP_REPL = 1 << 1,
    /// Copy the meta information (attributes from `ATTR_TCP_STATE` on).
    NFCT_CP_META = 1 << 2,
    /// Make the destination an exact clone of the source.
    NFCT_CP_OVERRIDE = 1 << 3,
}

const NFCT_CP_ALL: u32 = nfct_copy_flags::NFCT_CP_ALL as u32;
const NFCT_CP_ORIG: u32 = nfct_copy_flags::NFCT_CP_ORIG as u32;
const NFCT_CP_REPL: u32 = nfct_copy_flags::NFCT_CP_REPL as u32;
const NFCT_CP_META: u32 = nfct_copy_flags::NFCT_CP_META as u32;
/// `NFCT_CP_OVERRIDE`, as the flags word holds it.
pub(crate) const NFCT_CP_OVERRIDE: u32 = nfct_copy_flags::NFCT_CP_OVERRIDE as u32;

/// What `NFCT_CP_ORIG` copies.
const ORIG_ATTRS: AttrSet = AttrSet::of(&[
    ATTR_ORIG_IPV4_SRC,
    ATTR_ORIG_IPV4_DST,
    ATTR_ORIG_IPV6_SRC,
    ATTR_ORIG_IPV6_DST,
    ATTR_ORIG_PORT_SRC,
    ATTR_ORIG_PORT_DST,
    ATTR_ICMP_TYPE,
    ATTR_ICMP_CODE,
    ATTR_ICMP_ID,
    ATTR_ORIG_L3PROTO,
    ATTR_ORIG_L4PROTO,
]);

/// What `NFCT_CP_REPL` copies.
const REPL_ATTRS: AttrSet = AttrSet::of(&[
    ATTR_REPL_IPV4_SRC,
    ATTR_REPL_IPV4_DST,
    ATTR_REPL_IPV6_SRC,
    ATTR_REPL_IPV6_DST,
    ATTR_REPL_PORT_SRC,
    ATTR_REPL_PORT_DST,
    ATTR_REPL_L3PROTO,
    ATTR_REPL_L4PROTO,
]);

/// What `NFCT_CP_META` copies: every attribute from `ATTR_TCP_STATE` on.
const META_ATTRS: AttrSet = ALL_ATTRS.without(AttrSet([(1 << ATTR_TCP_STATE as u32) - 1, 0, 0]));

/// `nfct_copy_attr`: copies `a` if it is set in `src`.
#[inline]
pub fn copy_attr(dst: &mut Conntrack, src: CtRef<'_>, a: Attr) {
    if src.is_set(a) {
        dst.copy_attr_from(src, a);
    }
}

/// Copies every attribute of `which` that `src` sets, in attribute order
/// (values that share storage are copied as the reference copies them).
fn copy_set(dst: &mut Conntrack, src: CtRef<'_>, which: AttrSet) {
    let copied = src.set().and(which);
    dst.copy_values_from(src, copied);
    dst.mark_all(copied);
}

/// `nfct_copy`.
pub fn copy(dst: &mut Conntrack, src: CtRef<'_>, flags: u32) {
    if flags & NFCT_CP_OVERRIDE != 0 {
        dst.clone_from_view(src);
        return;
    }
    if flags == NFCT_CP_ALL {
        return copy_set(dst, src, ALL_ATTRS);
    }
    if flags & NFCT_CP_ORIG != 0 {
        copy_set(dst, src, ORIG_ATTRS);
    }
    if flags & NFCT_CP_REPL != 0 {
        copy_set(dst, src, REPL_ATTRS);
    }
    if flags & NFCT_CP_META != 0 {
        copy_set(dst, src, META_ATTRS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, 2);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u32(ATTR_REPL_IPV4_SRC, 2);
        ct.set_u32(ATTR_MARK, 3);
        ct.set_u16(ATTR_ORIG_ZONE, 4);
        ct
    }

    #[test]
    fn flags_select_parts() {
        let src = sample();
        let mut d = Conntrack::new();
        copy(&mut d, src.view(), NFCT_CP_ORIG);
        assert!(d.is_set(ATTR_ORIG_IPV4_SRC) && !d.is_set(ATTR_REPL_IPV4_SRC));
        assert!(!d.is_set(ATTR_MARK) && !d.is_set(ATTR_ORIG_ZONE));
        copy(&mut d, src.view(), NFCT_CP_META);
        assert!(d.is_set(ATTR_MARK) && d.is_set(ATTR_ORIG_ZONE));
        assert_eq!(d.view().u32(ATTR_MARK), 3);
        let mut all = Conntrack::new();
        copy(&mut all, src.view(), NFCT_CP_ALL);
        assert_eq!(all.bits(), src.bits());
    }

    #[test]
    fn override_clones() {
        let src = sample();
        let mut d = Conntrack::new();
        d.set_u32(ATTR_TIMEOUT, 9);
        copy(&mut d, src.view(), NFCT_CP_OVERRIDE);
        assert!(!d.is_set(ATTR_TIMEOUT));
        assert_eq!(d.bits(), src.bits());
    }
}
