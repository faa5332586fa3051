//! `struct nf_expect`: the expectation object, its set-bitmap, and attribute
//! access driven by the attribute table.
//!
//! The object is plain bytes (no pointers, nothing to drop): clients copy it
//! with `memcpy(dst, src, nfexp_maxsize())`, and every bit pattern is a valid
//! object.

use super::attr::{bit, ExpAttr, ExpSlot, EXP_ATTR_COUNT, FAST};
use super::layout::*;
use crate::conntrack::layout::{zero_extended, KIND, TUPLE_LEN};
use crate::conntrack::object::ObjError;
use crate::conntrack::{CtRef, Head};

/// An expectation object: what `nfexp_new()` returns.
///
/// Its tuples are conntrack tuple heads: `nfexp_get_attr` hands out a
/// pointer to one as a `const struct nf_conntrack *`, which the `nfct_*`
/// getters read.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expect {
    tuples: [Head; TUPLE_COUNT],
    scalars: [u8; SCALARS_LEN],
    set: u32,
}

/// For each attribute, two places in an [`Expect`], in bytes from its
/// start (one entry more, for `ATTR_EXP_MAX`):
///
/// - where its value is: its tuple's head, or its scalar's slot (see
///   [`Expect::value_addr`]);
/// - where a 32-bit word lies that is not zero whenever `nfexp_get_attr`
///   may hand that address out: for a tuple, its head's kind word (the
///   mark, zero only when a client scribbled over it, and then the head
///   would pass for a whole conntrack); for the others, the set-bitmap,
///   which holds the attribute's own bit. One test covers both kinds.
///
/// One array, so that both are found from one address.
const PLACES: [[u16; 2]; EXP_ATTR_COUNT + 1] = {
    let mut places = [[0u16; 2]; EXP_ATTR_COUNT + 1];
    let set = std::mem::offset_of!(Expect, set);
    let mut i = 0;
    while i < EXP_ATTR_COUNT {
        places[i] = if FAST.tuples() & 1 << i != 0 {
            let head = FAST.head[i] as usize * std::mem::size_of::<Head>();
            [head as u16, (head + KIND) as u16]
        } else {
            let at = std::mem::offset_of!(Expect, scalars) + FAST.at[i] as usize;
            [at as u16, set as u16]
        };
        i += 1;
    }
    places[EXP_ATTR_COUNT] = [0, set as u16];
    places
};

/// An expectation attribute's value as `nfexp_get_attr` hands it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpValue<'a> {
    /// A tuple head, read as a `struct nf_conntrack`.
    Tuple(&'a Head),
    /// An integer's bytes (host order), or a string buffer with its NUL.
    Bytes(&'a [u8]),
}

impl Default for Expect {
    fn default() -> Self {
        Expect {
            tuples: [Head::default(); TUPLE_COUNT],
            scalars: [0; SCALARS_LEN],
            set: 0,
        }
    }
}

/// The bytes of a string buffer before its first NUL (all of it if none).
pub fn until_nul(buf: &[u8]) -> &[u8] {
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    &buf[..end]
}

impl Expect {
    /// An empty expectation (`nfexp_new`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `a` is set.
    #[inline(always)]
    pub fn is_set(&self, a: ExpAttr) -> bool {
        self.set & bit(a) != 0
    }

    /// Whether `a` is set and one of `among` (a set of attribute bits).
    #[inline(always)]
    fn is_set_among(&self, a: ExpAttr, among: u32) -> bool {
        self.set & among & bit(a) != 0
    }

    /// The set-bitmap: bit `n` for attribute `n`.
    #[inline(always)]
    pub fn set_bits(&self) -> u32 {
        self.set
    }

    /// Marks `a` unset. Its value stays stored, as in the reference: the
    /// printers show some values whether or not they are set.
    #[inline(always)]
    pub fn unset(&mut self, a: ExpAttr) {
        self.set &= !bit(a);
    }

    /// Marks `a` set without touching its value.
    #[inline(always)]
    pub fn mark(&mut self, a: ExpAttr) {
        self.set |= bit(a);
    }

    /// Stores `head` as tuple attribute `a` and marks it set.
    pub fn set_tuple(&mut self, a: ExpAttr, head: Head) -> Result<(), ObjError> {
        let place = self.head_mut(a).ok_or(ObjError::Invalid)?;
        *place = head;
        self.mark(a);
        Ok(())
    }

    /// Sets a scalar attribute from the bytes of its value.
    ///
    /// Integers take the first `len` bytes of `value`, zero-padded when
    /// shorter (and the rest of their slot is zeroed). Strings are cut at
    /// their first NUL and truncated to their buffer; as with the
    /// reference's `snprintf`, only the string and its NUL are written and
    /// the rest of the buffer keeps its old bytes. Tuples are set with
    /// [`Expect::set_tuple`] instead.
    pub fn set_bytes(&mut self, a: ExpAttr, value: &[u8]) -> Result<(), ObjError> {
        match a.desc().slot {
            ExpSlot::Tuple(_) => return Err(ObjError::Invalid),
            ExpSlot::Int { at, len } => {
                let slot = &mut self.scalars[at as usize..][..INT_SLOT];
                let n = value.len().min(len as usize);
                slot[..n].copy_from_slice(&value[..n]);
                slot[n..].fill(0);
            }
            ExpSlot::Str { at, cap } => {
                let s = until_nul(value);
                let n = s.len().min(cap as usize - 1);
                let dst = &mut self.scalars[at as usize..][..=n];
                dst[..n].copy_from_slice(&s[..n]);
                dst[n] = 0;
            }
        }
        self.mark(a);
        Ok(())
    }

    /// Sets an attribute from an integer, as `nfexp_set_attr_uN` do: the
    /// value's bytes in host order, cut or zero-extended to the attribute's
    /// width (for a string, those bytes up to a NUL). A tuple's head takes
    /// them as its first bytes, the rest zero (the reference copies the
    /// integer and the stack after it); like every attribute it is marked
    /// set.
    pub fn set_uint<const N: usize>(
        &mut self,
        a: ExpAttr,
        ne_bytes: [u8; N],
    ) -> Result<(), ObjError> {
        if self.set_uint_fast(a, ne_bytes) {
            return Ok(());
        }
        match a.desc().slot {
            ExpSlot::Tuple(_) => self.set_tuple(a, Head::from_bytes(&zero_extended(&ne_bytes))),
            _ => self.set_bytes(a, &ne_bytes),
        }
    }

    /// [`Expect::set_uint`] when it is a plain store: an integer at least
    /// `N` bytes wide, whose slot takes the value zero-extended; `false`
    /// leaves it undone.
    #[inline(always)]
    pub fn set_uint_fast<const N: usize>(&mut self, a: ExpAttr, ne_bytes: [u8; N]) -> bool {
        if FAST.writable::<N>() & bit(a) == 0 {
            return false;
        }
        let slot = self
            .scalars
            .get_mut(FAST.at(a)..)
            .and_then(|s| s.first_chunk_mut::<INT_SLOT>());
        match slot {
            Some(slot) => {
                // `N` is at most the slot's size wherever one is written.
                *slot = zero_extended(&ne_bytes);
                self.mark(a);
                true
            }
            None => false,
        }
    }

    /// What a typed getter returns for `a` when it is a plain load (a set
    /// integer or string, `N` at most an integer's slot); `None` otherwise
    /// (not that `a` is unset).
    #[inline(always)]
    pub fn uint_fast<const N: usize>(&self, a: ExpAttr) -> Option<[u8; N]> {
        if !self.is_set_among(a, FAST.readable::<N>()) {
            return None;
        }
        self.scalars
            .get(FAST.at(a)..)
            .and_then(|s| s.first_chunk::<N>())
            .copied()
    }

    /// The head of tuple attribute `a`, set or not; `None` for other
    /// attributes.
    #[inline(always)]
    pub fn head(&self, a: ExpAttr) -> Option<&Head> {
        if FAST.tuples() & bit(a) == 0 {
            return None;
        }
        self.tuples.get(FAST.head(a))
    }

    /// The address of set attribute `a`'s value, a tuple's head or a
    /// scalar's bytes: what `nfexp_get_attr` hands out. `None` when `a` is
    /// not set. (Making the pointer is safe; reading through it is the C
    /// caller's business.)
    #[inline(always)]
    pub fn value_addr(&self, a: ExpAttr) -> Option<*const u8> {
        if !self.is_set(a) {
            return None;
        }
        let at = usize::from(PLACES[a as usize][0]);
        Some((self as *const Expect).cast::<u8>().wrapping_add(at))
    }

    /// Where the word lies that must not be zero for `nfexp_get_attr` to
    /// hand out [`Expect::value_addr`] of `a`, in bytes from the object's
    /// start (see [`PLACES`]).
    #[inline(always)]
    pub fn mark_at(a: ExpAttr) -> usize {
        PLACES[a as usize][1].into()
    }

    /// The head of tuple attribute `a` if it is set; `None` for other
    /// attributes.
    #[inline(always)]
    pub fn tuple(&self, a: ExpAttr) -> Option<&Head> {
        if !self.is_set_among(a, FAST.tuples()) {
            return None;
        }
        self.tuples.get(FAST.head(a))
    }

    /// Mutable access to the head of tuple attribute `a` (for the parser).
    #[inline(always)]
    pub fn head_mut(&mut self, a: ExpAttr) -> Option<&mut Head> {
        if FAST.tuples() & bit(a) == 0 {
            return None;
        }
        self.tuples.get_mut(FAST.head(a))
    }

    /// The stored bytes of `a`, set or not: an integer's bytes, a whole
    /// string buffer, or a tuple's bytes (what a C reader of the reference's
    /// tuple pointer sees first: the source address).
    pub fn raw(&self, a: ExpAttr) -> &[u8] {
        match a.desc().slot {
            ExpSlot::Tuple(i) => &CtRef::Head(&self.tuples[i as usize]).fixed()[..TUPLE_LEN],
            ExpSlot::Int { at, len } => &self.scalars[at as usize..][..len as usize],
            ExpSlot::Str { at, cap } => &self.scalars[at as usize..][..cap as usize],
        }
    }

    /// The value of `a` if it is set.
    pub fn get(&self, a: ExpAttr) -> Option<ExpValue<'_>> {
        if !self.is_set(a) {
            return None;
        }
        Some(match self.head(a) {
            Some(h) => ExpValue::Tuple(h),
            None => ExpValue::Bytes(self.raw(a)),
        })
    }

    /// `N` bytes of `a`'s value, zero-padded; all zero when unset.
    pub fn typed<const N: usize>(&self, a: ExpAttr) -> [u8; N] {
        let mut out = [0u8; N];
        if self.is_set(a) {
            let b = self.raw(a);
            let n = b.len().min(N);
            out[..n].copy_from_slice(&b[..n]);
        }
        out
    }

    /// `nfexp_get_attr_u8`: the first byte of the value, 0 when unset.
    #[inline]
    pub fn u8(&self, a: ExpAttr) -> u8 {
        self.typed::<1>(a)[0]
    }

    /// `nfexp_get_attr_u16`: the first two bytes of the value in host
    /// order (a narrower value zero-extended), 0 when unset.
    #[inline]
    pub fn u16(&self, a: ExpAttr) -> u16 {
        u16::from_ne_bytes(self.typed(a))
    }

    /// `nfexp_get_attr_u32`: the first four bytes of the value in host
    /// order (a narrower value zero-extended), 0 when unset.
    #[inline]
    pub fn u32(&self, a: ExpAttr) -> u32 {
        u32::from_ne_bytes(self.typed(a))
    }

    /// The slot of the integer at `at`: its value, zero-extended.
    #[inline(always)]
    fn slot(&self, at: u8) -> u32 {
        self.scalars
            .get(at as usize..)
            .and_then(|s| s.first_chunk::<INT_SLOT>())
            .map_or(0, |s| u32::from_ne_bytes(*s))
    }

    /// The stored timeout, set or not.
    #[inline(always)]
    pub fn timeout(&self) -> u32 {
        self.slot(TIMEOUT)
    }

    /// The stored flags, set or not (the printers test them regardless).
    #[inline(always)]
    pub fn flags(&self) -> u32 {
        self.slot(FLAGS)
    }

    /// The stored class, set or not.
    #[inline(always)]
    pub fn class(&self) -> u32 {
        self.slot(CLASS)
    }

    /// The stored NAT direction, set or not.
    #[inline(always)]
    pub fn nat_dir(&self) -> u32 {
        self.slot(NAT_DIR)
    }

    /// The stored zone, set or not.
    #[inline(always)]
    pub fn zone(&self) -> u16 {
        let zone = self.buf::<2>(ZONE);
        u16::from_ne_bytes(*zone)
    }

    /// The helper name's buffer, set or not.
    #[inline(always)]
    pub fn helper_name_buf(&self) -> &[u8; HELPER_NAME_CAP as usize] {
        self.buf(HELPER_NAME)
    }

    /// The expectation function name's buffer, set or not.
    #[inline(always)]
    pub fn expectfn_buf(&self) -> &[u8; EXPECTFN_CAP as usize] {
        self.buf(EXPECTFN)
    }

    /// The `CAP` bytes at `at` (a string buffer of the layout).
    #[inline(always)]
    fn buf<const CAP: usize>(&self, at: u8) -> &[u8; CAP] {
        self.scalars
            .get(at as usize..)
            .and_then(|s| s.first_chunk())
            .unwrap_or(&[0; CAP])
    }

    /// The stored helper name without its NUL, set or not.
    pub fn helper_name(&self) -> &[u8] {
        until_nul(self.raw(ExpAttr::ATTR_EXP_HELPER_NAME))
    }

    /// The stored expectation function name without its NUL, set or not.
    pub fn expectfn(&self) -> &[u8] {
        until_nul(self.raw(ExpAttr::ATTR_EXP_FN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::object::AF_INET;
    use crate::conntrack::{Attr, Conntrack};
    use ExpAttr::*;

    fn master() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, 6);
        ct.set_u32(Attr::ATTR_ORIG_IPV4_SRC, u32::from_ne_bytes([10, 0, 0, 1]));
        ct.set_u32(Attr::ATTR_ORIG_IPV4_DST, u32::from_ne_bytes([10, 0, 0, 2]));
        ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, 1025u16.to_be());
        ct.set_u16(Attr::ATTR_ORIG_PORT_DST, 21u16.to_be());
        ct.set_u32(Attr::ATTR_MARK, 9);
        ct
    }

    #[test]
    fn size_layout_and_plain_bytes() {
        // The reference's nfexp_maxsize() is 276: ours is 12 bytes more, as
        // each of the four tuple heads carries a kind word after the 52
        // bytes that C sees and copies. No padding: every byte is a field's.
        assert_eq!(std::mem::size_of::<Expect>(), 288);
        assert_eq!(
            std::mem::size_of::<Expect>(),
            TUPLE_COUNT * std::mem::size_of::<Head>() + SCALARS_LEN + 4
        );
        assert_eq!(std::mem::align_of::<Expect>(), 4);
        assert!(!std::mem::needs_drop::<Expect>());
        let scalars = std::mem::offset_of!(Expect, scalars);
        assert_eq!(scalars, TUPLE_COUNT * std::mem::size_of::<Head>());
        // C reads the pointers nfexp_get_attr() returns as the natural type.
        for d in super::super::attr::EXP_ATTRS.iter() {
            if let ExpSlot::Int { at, len } = d.slot {
                assert_eq!(
                    (scalars + at as usize) % len as usize,
                    0,
                    "{:?} misaligned",
                    d.attr
                );
            }
        }
    }

    #[test]
    fn new_is_empty_with_detached_heads() {
        let e = Expect::new();
        for d in super::super::attr::EXP_ATTRS.iter() {
            assert!(!e.is_set(d.attr));
            assert_eq!(e.get(d.attr), None);
            assert_eq!(e.u32(d.attr), 0);
        }
        for a in [
            ATTR_EXP_MASTER,
            ATTR_EXP_EXPECTED,
            ATTR_EXP_MASK,
            ATTR_EXP_NAT_TUPLE,
        ] {
            let h = e.head(a).unwrap();
            assert!(Head::is_detached(h));
            assert!(h.is_empty());
        }
    }

    #[test]
    fn integers_set_get_and_unset() {
        let mut e = Expect::new();
        e.set_uint(ATTR_EXP_TIMEOUT, 0x1234_5678u32.to_ne_bytes())
            .unwrap();
        assert_eq!(e.u32(ATTR_EXP_TIMEOUT), 0x1234_5678);
        assert_eq!(e.u16(ATTR_EXP_TIMEOUT), 0x5678);
        assert_eq!(e.u8(ATTR_EXP_TIMEOUT), 0x78);
        assert_eq!(
            e.get(ATTR_EXP_TIMEOUT),
            Some(ExpValue::Bytes(&0x1234_5678u32.to_ne_bytes()))
        );
        // Narrower values are zero-extended, wider ones cut.
        e.set_uint(ATTR_EXP_CLASS, [7u8]).unwrap();
        assert_eq!(e.u32(ATTR_EXP_CLASS), 7);
        e.set_uint(ATTR_EXP_ZONE, 0x0001_0203u32.to_ne_bytes())
            .unwrap();
        assert_eq!(e.u16(ATTR_EXP_ZONE), 0x0203);
        assert_eq!(e.u32(ATTR_EXP_ZONE), 0x0203);
        e.set_uint(ATTR_EXP_NAT_DIR, 1u32.to_ne_bytes()).unwrap();
        assert_eq!((e.u8(ATTR_EXP_NAT_DIR), e.nat_dir()), (1, 1));
        // Unset hides the value but keeps it stored.
        e.unset(ATTR_EXP_TIMEOUT);
        assert!(!e.is_set(ATTR_EXP_TIMEOUT));
        assert_eq!(e.get(ATTR_EXP_TIMEOUT), None);
        assert_eq!(e.u32(ATTR_EXP_TIMEOUT), 0);
        assert_eq!(e.timeout(), 0x1234_5678);
        e.mark(ATTR_EXP_TIMEOUT);
        assert_eq!(e.u32(ATTR_EXP_TIMEOUT), 0x1234_5678);
    }

    #[test]
    fn the_zone_slot_keeps_its_upper_half_zero() {
        let mut e = Expect::new();
        let upper = |e: &Expect| e.scalars[ZONE as usize + 2..][..2].to_vec();
        e.set_uint(ATTR_EXP_ZONE, 0xabcd_1234u32.to_ne_bytes())
            .unwrap();
        assert_eq!((e.zone(), e.u32(ATTR_EXP_ZONE)), (0x1234, 0x1234));
        assert_eq!(
            e.uint_fast::<4>(ATTR_EXP_ZONE),
            Some(0x1234u32.to_ne_bytes())
        );
        assert_eq!(upper(&e), [0, 0]);
        e.set_uint(ATTR_EXP_ZONE, [0x56u8]).unwrap();
        assert_eq!(
            (e.zone(), e.u32(ATTR_EXP_ZONE), upper(&e)),
            (0x56, 0x56, vec![0, 0])
        );
        e.set_bytes(ATTR_EXP_ZONE, &[1, 2, 3, 4]).unwrap();
        assert_eq!((e.zone(), upper(&e)), (0x0201, vec![0, 0]));
        e.set_uint(ATTR_EXP_ZONE, 0x789au16.to_ne_bytes()).unwrap();
        assert_eq!(
            e.uint_fast::<2>(ATTR_EXP_ZONE),
            Some(0x789au16.to_ne_bytes())
        );
        assert_eq!(e.raw(ATTR_EXP_ZONE), 0x789au16.to_ne_bytes());
    }

    /// An expectation of `master()` with the helper "ftp".
    fn ftp() -> Expect {
        let mut e = Expect::new();
        e.set_tuple(ATTR_EXP_MASTER, Head::of(master().view()))
            .unwrap();
        e.set_bytes(ATTR_EXP_HELPER_NAME, b"ftp").unwrap();
        e
    }

    #[test]
    fn fast_paths_agree_with_the_general_ones() {
        let mut e = ftp();
        e.set_bytes(ATTR_EXP_FN, b"nat-follow-master").unwrap();
        for (i, a) in [
            ATTR_EXP_TIMEOUT,
            ATTR_EXP_FLAGS,
            ATTR_EXP_CLASS,
            ATTR_EXP_NAT_DIR,
        ]
        .into_iter()
        .enumerate()
        {
            e.set_uint(a, (0x0102_0300u32 + i as u32).to_ne_bytes())
                .unwrap();
        }
        e.set_uint(ATTR_EXP_ZONE, 7u16.to_ne_bytes()).unwrap();
        for d in super::super::attr::EXP_ATTRS.iter() {
            let a = d.attr;
            for on in [true, false] {
                if !on {
                    e.unset(a);
                }
                if let Some(v) = e.uint_fast::<1>(a) {
                    assert_eq!(v, e.typed::<1>(a), "{a:?}");
                }
                if let Some(v) = e.uint_fast::<2>(a) {
                    assert_eq!(v, e.typed::<2>(a), "{a:?}");
                }
                if let Some(v) = e.uint_fast::<4>(a) {
                    assert_eq!(v, e.typed::<4>(a), "{a:?}");
                }
                assert_eq!(e.uint_fast::<8>(a), None);
                match (e.value_addr(a), e.get(a)) {
                    (Some(p), Some(ExpValue::Bytes(b))) => assert!(std::ptr::eq(p, b.as_ptr())),
                    (Some(p), Some(ExpValue::Tuple(h))) => {
                        assert!(std::ptr::eq(p, (h as *const Head).cast()));
                        assert!(std::ptr::eq(e.tuple(a).unwrap(), h));
                    }
                    (None, None) => assert!(!e.is_set(a) && e.tuple(a).is_none()),
                    other => panic!("{a:?}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn strings_are_truncated_and_keep_the_buffer_tail() {
        let mut e = Expect::new();
        e.set_bytes(ATTR_EXP_HELPER_NAME, b"a-very-long-helper-name\0")
            .unwrap();
        assert_eq!(e.helper_name(), b"a-very-long-hel");
        e.set_bytes(ATTR_EXP_HELPER_NAME, b"ftp\0junk").unwrap();
        assert_eq!(e.helper_name(), b"ftp");
        // Like snprintf(): the bytes after the new NUL are the old ones.
        assert_eq!(&e.raw(ATTR_EXP_HELPER_NAME)[..6], b"ftp\0ry");
        assert_eq!(e.u32(ATTR_EXP_HELPER_NAME), u32::from_ne_bytes(*b"ftp\0"));
        e.set_bytes(ATTR_EXP_FN, b"nf_nat_follow_master_and_more")
            .unwrap();
        assert_eq!(e.expectfn(), b"nf_nat_follow_master_an");
        e.set_uint(ATTR_EXP_FN, 0x0063_6261u32.to_ne_bytes())
            .unwrap();
        assert_eq!(e.expectfn(), b"abc");
        e.set_uint(ATTR_EXP_FN, *b"wxyz").unwrap();
        assert_eq!(e.expectfn(), b"wxyz");
    }

    #[test]
    fn tuples_hold_heads_of_the_given_conntracks() {
        let ct = master();
        let mut e = Expect::new();
        assert_eq!(e.set_bytes(ATTR_EXP_MASK, &[0; 52]), Err(ObjError::Invalid));
        assert!(!e.is_set(ATTR_EXP_MASK));
        // From an integer: marked set, the integer's bytes first in the tuple.
        e.set_uint(ATTR_EXP_MASTER, [1u8]).unwrap();
        assert!(e.is_set(ATTR_EXP_MASTER));
        assert_eq!(e.u32(ATTR_EXP_MASTER), 1);
        assert!(e.head(ATTR_EXP_MASTER).unwrap().is_empty());
        e.set_tuple(ATTR_EXP_MASTER, Head::of(ct.view())).unwrap();
        assert_eq!(
            e.set_tuple(ATTR_EXP_TIMEOUT, Head::default()),
            Err(ObjError::Invalid)
        );
        let Some(ExpValue::Tuple(h)) = e.get(ATTR_EXP_MASTER) else {
            panic!("the master tuple is set");
        };
        let v = CtRef::Head(h);
        assert_eq!(v.u16(Attr::ATTR_ORIG_PORT_DST), 21u16.to_be());
        assert!(!v.is_set(Attr::ATTR_MARK));
        // The typed getters read the tuple's first bytes: the source address.
        assert_eq!(e.u32(ATTR_EXP_MASTER), u32::from_ne_bytes([10, 0, 0, 1]));
        assert_eq!(e.u8(ATTR_EXP_MASTER), 10);
        assert_eq!(e.u32(ATTR_EXP_EXPECTED), 0);
    }

    #[test]
    fn a_byte_copy_is_a_working_expectation() {
        let mut e = ftp();
        e.set_uint(ATTR_EXP_TIMEOUT, 30u32.to_ne_bytes()).unwrap();
        // Expect is Copy: assignment is exactly a memcpy of its bytes.
        let copy = e;
        assert_eq!(copy, e);
        assert_eq!(copy.helper_name(), b"ftp");
        assert_eq!(copy.u32(ATTR_EXP_TIMEOUT), 30);
        let Some(ExpValue::Tuple(h)) = copy.get(ATTR_EXP_MASTER) else {
            panic!("the master tuple is set");
        };
        assert!(std::ptr::eq(h, copy.head(ATTR_EXP_MASTER).unwrap()));
        assert_eq!(
            CtRef::Head(h).u32(Attr::ATTR_ORIG_IPV4_DST),
            u32::from_ne_bytes([10, 0, 0, 2])
        );
    }
}
