//! `struct nf_conntrack`: the object, its set-bitmap, and attribute access
//! driven by the attribute table.

use std::ffi::{CStr, CString};

use super::attr::{Attr, SetRule, Slot, ATTRS};
use super::layout::*;
use crate::bitmask::Bitmask;

/// Which attributes are set: bit `n` for attribute `n`.
///
/// Bit 95, past every attribute, marks a detached tuple head (see [`Head`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttrSet([u32; 3]);

const DETACHED_BIT: u32 = 95;

impl AttrSet {
    /// Whether attribute bit `bit` is set.
    #[inline]
    pub fn test(&self, bit: u32) -> bool {
        self.0[(bit / 32) as usize] & (1 << (bit % 32)) != 0
    }

    /// Whether `a` is set.
    #[inline]
    pub fn has(&self, a: Attr) -> bool {
        self.test(a as u32)
    }

    /// Marks `a` set.
    #[inline]
    pub fn insert(&mut self, a: Attr) {
        let bit = a as u32;
        self.0[(bit / 32) as usize] |= 1 << (bit % 32);
    }

    /// Marks `a` unset.
    #[inline]
    pub fn remove(&mut self, a: Attr) {
        let bit = a as u32;
        self.0[(bit / 32) as usize] &= !(1 << (bit % 32));
    }

    /// Whether any attribute at all is set.
    pub fn is_empty(&self) -> bool {
        self.0 == [0, 0, 1 << (DETACHED_BIT % 32)] || self.0 == [0; 3]
    }
}

/// Values that the object owns on the heap: the rare variable-length
/// attributes. Freed with the object.
#[derive(Clone, Debug, Default)]
pub struct Owned {
    /// `ATTR_SECCTX`.
    pub secctx: Option<Box<CStr>>,
    /// `ATTR_HELPER_INFO`.
    pub helper_info: Option<Box<[u8]>>,
    /// `ATTR_CONNLABELS`.
    pub labels: Option<Box<Bitmask>>,
    /// `ATTR_CONNLABELS_MASK`.
    pub labels_mask: Option<Box<Bitmask>>,
}

/// A conntrack object: what `nfct_new()` returns.
#[repr(C)]
#[derive(Clone, Debug)]
pub struct Conntrack {
    set: AttrSet,
    fixed: [u8; FIXED_LEN],
    owned: Owned,
}

/// The first bytes of a conntrack object: the bitmap and the original tuple.
///
/// An expectation keeps one for each of its tuples and hands a pointer to it
/// out as a `struct nf_conntrack *`, as the reference library does. Such a
/// detached head carries bit 95 in its bitmap, so that a pointer to it is never
/// taken for a whole object: reading it sees the tuple attributes only.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    set: AttrSet,
    fixed: [u8; TUPLE_LEN],
}

impl Default for Head {
    fn default() -> Self {
        let mut set = AttrSet::default();
        set.0[2] |= 1 << (DETACHED_BIT % 32);
        Head {
            set,
            fixed: [0; TUPLE_LEN],
        }
    }
}

impl Head {
    /// Whether the bitmap at the start of an object says it is a detached head.
    pub fn bits_say_detached(set: &AttrSet) -> bool {
        set.test(DETACHED_BIT)
    }

    /// The tuple head of `ct`: its original tuple and which of the original
    /// tuple's attributes are set.
    pub fn of(ct: CtRef<'_>) -> Head {
        let mut head = Head::default();
        head.fixed.copy_from_slice(&ct.fixed()[..TUPLE_LEN]);
        for d in ATTRS.iter() {
            if ct.is_set(d.attr) && Self::holds(d.attr) {
                head.set.insert(d.attr);
            }
        }
        head
    }

    /// Whether attribute `a` is stored inside a tuple head.
    pub fn holds(a: Attr) -> bool {
        matches!(a.desc().slot.fixed(), Some((at, len)) if at + len <= TUPLE_LEN)
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Stores `bytes` at offset `at` of the tuple and marks `a` set (for the
    /// expectation parser). Nothing outside the tuple is ever written: such
    /// a value is dropped and `a` stays as it was.
    #[inline]
    pub fn put(&mut self, a: Attr, at: u16, bytes: &[u8]) {
        let at = at as usize;
        if let Some(dst) = self.fixed.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
            self.set.insert(a);
        }
    }
}

/// A read-only view of a conntrack: a whole object, or a detached head.
#[derive(Clone, Copy, Debug)]
pub enum CtRef<'a> {
    /// A whole object.
    Full(&'a Conntrack),
    /// A tuple head inside an expectation.
    Head(&'a Head),
}

impl<'a> From<&'a Conntrack> for CtRef<'a> {
    fn from(ct: &'a Conntrack) -> Self {
        CtRef::Full(ct)
    }
}

impl<'a> From<&'a Head> for CtRef<'a> {
    fn from(h: &'a Head) -> Self {
        CtRef::Head(h)
    }
}

/// An attribute's value as the getter hands it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// A fixed-width value, or a string buffer with its terminating NUL.
    Bytes(&'a [u8]),
    /// The security context; `None` when the bit is set without a value.
    SecCtx(Option<&'a CStr>),
    /// The helper information bytes; `None` when set without data.
    HelperInfo(Option<&'a [u8]>),
    /// A label bitmask; `None` when the bit is set without a bitmask.
    Labels(Option<&'a Bitmask>),
}

impl<'a> CtRef<'a> {
    /// The set-bitmap.
    #[inline]
    pub fn bits(self) -> &'a AttrSet {
        match self {
            CtRef::Full(c) => &c.set,
            CtRef::Head(h) => &h.set,
        }
    }

    /// The fixed storage (only the original tuple for a head).
    #[inline]
    pub fn fixed(self) -> &'a [u8] {
        match self {
            CtRef::Full(c) => &c.fixed,
            CtRef::Head(h) => &h.fixed,
        }
    }

    /// The heap-owned values (none for a head).
    #[inline]
    pub fn owned(self) -> Option<&'a Owned> {
        match self {
            CtRef::Full(c) => Some(&c.owned),
            CtRef::Head(_) => None,
        }
    }

    /// Whether `a` is set. A head never sets what it cannot hold, whatever
    /// its bitmap says (a client may have scribbled over an expectation).
    #[inline]
    pub fn is_set(self, a: Attr) -> bool {
        match self {
            CtRef::Full(c) => c.set.has(a),
            CtRef::Head(h) => h.set.has(a) && Head::holds(a),
        }
    }

    /// The stored bytes of a fixed-storage attribute, set or not. Empty for
    /// attributes outside the fixed storage or outside a head.
    #[inline]
    pub fn raw(self, a: Attr) -> &'a [u8] {
        match a.desc().slot.fixed() {
            Some((at, len)) => self.fixed().get(at..at + len).unwrap_or(&[]),
            None => &[],
        }
    }

    /// `N` stored bytes at fixed offset `at`; zeros past the storage (a head
    /// holds the original tuple only).
    #[inline]
    pub fn at<const N: usize>(self, at: u16) -> [u8; N] {
        let at = at as usize;
        self.fixed()
            .get(at..at + N)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; N])
    }

    /// The value of `a` if it is set.
    pub fn get(self, a: Attr) -> Option<Value<'a>> {
        if !self.is_set(a) {
            return None;
        }
        let owned = self.owned();
        Some(match a.desc().slot {
            Slot::Fixed { .. } | Slot::Str { .. } => Value::Bytes(self.raw(a)),
            Slot::SecCtx => Value::SecCtx(owned.and_then(|o| o.secctx.as_deref())),
            Slot::HelperInfo => Value::HelperInfo(owned.and_then(|o| o.helper_info.as_deref())),
            Slot::Labels => Value::Labels(owned.and_then(|o| o.labels.as_deref())),
            Slot::LabelsMask => Value::Labels(owned.and_then(|o| o.labels_mask.as_deref())),
        })
    }

    /// The bytes a typed getter reads for `a`: the stored value, or the
    /// string or helper data for those attributes; `None` when unset.
    fn value_bytes(self, a: Attr) -> Option<&'a [u8]> {
        match self.get(a)? {
            Value::Bytes(b) => Some(b),
            Value::SecCtx(s) => Some(s.map_or(&[][..], |s| s.to_bytes_with_nul())),
            Value::HelperInfo(h) => Some(h.unwrap_or(&[])),
            Value::Labels(_) => Some(&[]),
        }
    }

    /// `N` bytes of `a`'s value, zero-padded; all zero when unset (the C
    /// typed getters' behaviour).
    fn typed<const N: usize>(self, a: Attr) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(b) = self.value_bytes(a) {
            let n = b.len().min(N);
            out[..n].copy_from_slice(&b[..n]);
        }
        out
    }

    /// `nfct_get_attr_u8`.
    #[inline]
    pub fn u8(self, a: Attr) -> u8 {
        self.typed::<1>(a)[0]
    }

    /// `nfct_get_attr_u16` (host byte order of the stored bytes).
    #[inline]
    pub fn u16(self, a: Attr) -> u16 {
        u16::from_ne_bytes(self.typed(a))
    }

    /// `nfct_get_attr_u32`.
    #[inline]
    pub fn u32(self, a: Attr) -> u32 {
        u32::from_ne_bytes(self.typed(a))
    }

    /// `nfct_get_attr_u64`.
    #[inline]
    pub fn u64(self, a: Attr) -> u64 {
        u64::from_ne_bytes(self.typed(a))
    }

    /// The helper name as a string, if set.
    pub fn helper_name(self) -> Option<&'a CStr> {
        match self.get(Attr::ATTR_HELPER_NAME)? {
            Value::Bytes(b) => CStr::from_bytes_until_nul(b).ok(),
            _ => None,
        }
    }

    /// The security context, if set and present.
    pub fn secctx(self) -> Option<&'a CStr> {
        match self.get(Attr::ATTR_SECCTX)? {
            Value::SecCtx(s) => s,
            _ => None,
        }
    }

    /// The labels (or label mask) bitmask, if set and present.
    pub fn labels(self, a: Attr) -> Option<&'a Bitmask> {
        match self.get(a)? {
            Value::Labels(b) => b,
            _ => None,
        }
    }
}

/// Errors from the object layer; `ffi/` maps each to an `errno`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjError {
    /// Out-of-range attribute, wrong kind of value, bad length.
    Invalid,
}

/// ICMP type of the reply to a request of type `t`, if it has one.
pub fn icmp_reply_type(t: u8) -> Option<u8> {
    Some(match t {
        8 => 0,
        0 => 8,
        13 => 14,
        14 => 13,
        15 => 16,
        16 => 15,
        17 => 18,
        18 => 17,
        _ => return None,
    })
}

/// ICMPv6 type of the reply to a request of type `t`, if it has one.
pub fn icmpv6_reply_type(t: u8) -> Option<u8> {
    Some(match t {
        128 => 129,
        129 => 128,
        139 => 140,
        140 => 139,
        _ => return None,
    })
}

/// No address family (libc's `AF_UNSPEC`), as the one byte the objects and
/// the wire hold.
pub const AF_UNSPEC: u8 = libc::AF_UNSPEC as u8;
/// The IPv4 address family (libc's `AF_INET`), as one byte.
pub const AF_INET: u8 = libc::AF_INET as u8;
/// The IPv6 address family (libc's `AF_INET6`), as one byte.
pub const AF_INET6: u8 = libc::AF_INET6 as u8;

impl Default for Conntrack {
    fn default() -> Self {
        Conntrack {
            set: AttrSet::default(),
            fixed: [0; FIXED_LEN],
            owned: Owned::default(),
        }
    }
}

impl Conntrack {
    /// An empty object (`nfct_new`).
    pub fn new() -> Self {
        Self::default()
    }

    /// A read-only view.
    #[inline]
    pub fn view(&self) -> CtRef<'_> {
        CtRef::Full(self)
    }

    /// The set-bitmap.
    pub fn bits(&self) -> &AttrSet {
        &self.set
    }

    /// Whether `a` is set.
    #[inline]
    pub fn is_set(&self, a: Attr) -> bool {
        self.set.has(a)
    }

    /// Marks `a` unset (its value stays stored, as in the reference).
    pub fn unset(&mut self, a: Attr) {
        self.set.remove(a);
    }

    /// Marks `a` set without touching its value.
    pub fn mark(&mut self, a: Attr) {
        self.set.insert(a);
    }

    /// Writes `bytes` at fixed offset `at`.
    #[inline]
    pub fn store(&mut self, at: u16, bytes: &[u8]) {
        let at = at as usize;
        self.fixed[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// Reads `N` bytes at fixed offset `at`.
    #[inline]
    pub fn load<const N: usize>(&self, at: u16) -> [u8; N] {
        let at = at as usize;
        self.fixed[at..at + N]
            .try_into()
            .expect("fixed offsets are in range")
    }

    /// Sets `a` from the bytes of its value, applying the table's set rule.
    ///
    /// Fixed-width values take the first `len` bytes of `value`, padded with
    /// zeros when shorter; strings are cut at their first NUL and truncated
    /// to their buffer; helper information takes `value` whole. Labels are
    /// set with [`Conntrack::set_labels`] instead.
    pub fn set_bytes(&mut self, a: Attr, value: &[u8]) -> Result<(), ObjError> {
        let d = a.desc();
        match (d.slot, d.set) {
            (_, SetRule::MarkOnly) => {}
            (Slot::Fixed { at, len }, rule) => {
                let mut buf = [0u8; 16];
                let len = len as usize;
                let n = value.len().min(len);
                buf[..n].copy_from_slice(&value[..n]);
                self.store(at, &buf[..len]);
                match rule {
                    SetRule::Mirror(also) => self.store(also, &buf[..len]),
                    SetRule::IcmpType => self.derive_reply_icmp_type(buf[0]),
                    _ => {}
                }
            }
            (Slot::Str { at, cap }, _) => {
                let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
                let n = end.min(cap as usize - 1);
                let mut buf = [0u8; 256];
                buf[..n].copy_from_slice(&value[..n]);
                self.store(at, &buf[..cap as usize]);
            }
            (Slot::HelperInfo, _) => self.owned.helper_info = Some(value.into()),
            (Slot::SecCtx | Slot::Labels | Slot::LabelsMask, _) => return Err(ObjError::Invalid),
        }
        self.set.insert(a);
        Ok(())
    }

    fn derive_reply_icmp_type(&mut self, t: u8) {
        let reply = match self.fixed[(ORIG + T_L3) as usize] {
            AF_INET => icmp_reply_type(t),
            AF_INET6 => icmpv6_reply_type(t),
            _ => None,
        };
        // 255 is no valid reply type: the kernel refuses such a tuple.
        self.store(REPL + T_ICMP_TYPE, &[reply.unwrap_or(255)]);
    }

    /// Sets a fixed-width attribute from an integer, as `nfct_set_attr_uN`
    /// do: the value's bytes in host order, cut or zero-extended to the
    /// attribute's width.
    pub fn set_uint<const N: usize>(&mut self, a: Attr, ne_bytes: [u8; N]) -> Result<(), ObjError> {
        match a.desc().slot {
            Slot::Fixed { .. } | Slot::Str { .. } | Slot::HelperInfo => {
                self.set_bytes(a, &ne_bytes)
            }
            _ => match a.desc().set {
                SetRule::MarkOnly => {
                    self.set.insert(a);
                    Ok(())
                }
                _ => Err(ObjError::Invalid),
            },
        }
    }

    /// Sets attribute `a` to `v` (see [`Conntrack::set_uint`]): a shorthand
    /// for Rust callers and tests, which know their attributes.
    ///
    /// # Panics
    /// If `a` takes no integer (the C API goes through `set_uint`, which
    /// reports that as an error).
    #[track_caller]
    pub fn set_u8(&mut self, a: Attr, v: u8) {
        self.set_int(a, [v]);
    }

    /// Sets attribute `a` to `v`; see [`Conntrack::set_u8`].
    #[track_caller]
    pub fn set_u16(&mut self, a: Attr, v: u16) {
        self.set_int(a, v.to_ne_bytes());
    }

    /// Sets attribute `a` to `v`; see [`Conntrack::set_u8`].
    #[track_caller]
    pub fn set_u32(&mut self, a: Attr, v: u32) {
        self.set_int(a, v.to_ne_bytes());
    }

    /// Sets attribute `a` to `v`; see [`Conntrack::set_u8`].
    #[track_caller]
    pub fn set_u64(&mut self, a: Attr, v: u64) {
        self.set_int(a, v.to_ne_bytes());
    }

    #[track_caller]
    fn set_int<const N: usize>(&mut self, a: Attr, ne_bytes: [u8; N]) {
        if self.set_uint(a, ne_bytes).is_err() {
            panic!("{a:?} takes no integer");
        }
    }

    /// Sets `ATTR_CONNLABELS` or `ATTR_CONNLABELS_MASK`, taking ownership of
    /// the bitmask and dropping the previous one.
    pub fn set_labels(&mut self, a: Attr, labels: Option<Box<Bitmask>>) -> Result<(), ObjError> {
        let place = self.labels_place(a).ok_or(ObjError::Invalid)?;
        *place = labels;
        self.set.insert(a);
        Ok(())
    }

    /// The storage of a labels attribute.
    pub fn labels_place(&mut self, a: Attr) -> Option<&mut Option<Box<Bitmask>>> {
        match a.desc().slot {
            Slot::Labels => Some(&mut self.owned.labels),
            Slot::LabelsMask => Some(&mut self.owned.labels_mask),
            _ => None,
        }
    }

    /// Stores a security context received from the kernel and marks it set.
    pub fn set_secctx(&mut self, ctx: &CStr) {
        self.owned.secctx = Some(CString::from(ctx).into_boxed_c_str());
        self.set.insert(Attr::ATTR_SECCTX);
    }

    /// Copies attribute `a`'s value from `src` (whether or not it is set
    /// there) and marks it set, as the reference's per-attribute copy does.
    pub fn copy_attr_from(&mut self, src: CtRef<'_>, a: Attr) {
        match a.desc().slot {
            Slot::Fixed { at, .. } | Slot::Str { at, .. } => {
                let raw = src.raw(a);
                // A head holds the tuple only; beyond it there is nothing to copy.
                if !raw.is_empty() {
                    self.store(at, raw);
                }
            }
            Slot::SecCtx => self.owned.secctx = src.owned().and_then(|o| o.secctx.clone()),
            Slot::HelperInfo => {
                if let Some(h) = src.owned().and_then(|o| o.helper_info.clone()) {
                    self.owned.helper_info = Some(h);
                }
            }
            Slot::Labels | Slot::LabelsMask => {
                let from = src.owned().and_then(|o| match a.desc().slot {
                    Slot::Labels => o.labels.clone(),
                    _ => o.labels_mask.clone(),
                });
                if let (Some(from), Some(place)) = (from, self.labels_place(a)) {
                    *place = Some(from);
                }
            }
        }
        self.set.insert(a);
    }

    /// Makes this object a copy of `src`: every stored byte, bit and owned value.
    pub fn clone_from_view(&mut self, src: CtRef<'_>) {
        match src {
            CtRef::Full(c) => *self = c.clone(),
            CtRef::Head(h) => {
                *self = Conntrack::default();
                self.fixed[..TUPLE_LEN].copy_from_slice(&h.fixed);
                for d in ATTRS.iter() {
                    if src.is_set(d.attr) {
                        self.set.insert(d.attr);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Attr::*;

    #[test]
    fn sizes_are_no_larger_than_the_reference() {
        assert!(std::mem::size_of::<Conntrack>() <= 392);
        assert_eq!(std::mem::size_of::<Head>(), 52);
        assert_eq!(std::mem::offset_of!(Conntrack, fixed), FIXED_OFFSET);
        assert_eq!(std::mem::offset_of!(Head, fixed), FIXED_OFFSET);
        assert_eq!(std::mem::align_of::<Conntrack>() % 8, 0);
    }

    #[test]
    fn all_zero_bytes_are_an_empty_object() {
        // C programs may use a zeroed buffer of nfct_maxsize() bytes as an
        // object, as the reference documents: that must be a valid, empty
        // Conntrack (the owned values are NULL, which is None).
        let bytes = [0u8; std::mem::size_of::<Conntrack>()];
        // SAFETY: every field of Conntrack is valid when all-zero: integers,
        // byte arrays, and Options of Box (NULL is None).
        let ct: std::mem::ManuallyDrop<Conntrack> = unsafe { std::mem::transmute(bytes) };
        assert!(ATTRS.iter().all(|d| !ct.is_set(d.attr)));
        assert!(ct.view().labels(ATTR_CONNLABELS).is_none());
        assert!(ct.owned.secctx.is_none() && ct.owned.helper_info.is_none());
    }

    #[test]
    fn ipv4_and_ipv6_share_storage() {
        let mut ct = Conntrack::new();
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 0x0100_007f);
        ct.set_bytes(ATTR_ORIG_IPV6_SRC, &[0xaa; 16]).unwrap();
        assert_eq!(ct.view().u32(ATTR_ORIG_IPV4_SRC), 0xaaaa_aaaa);
        assert!(ct.is_set(ATTR_ORIG_IPV4_SRC) && ct.is_set(ATTR_ORIG_IPV6_SRC));
    }

    #[test]
    fn icmp_setters_fill_the_reply_direction() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u8(ATTR_ICMP_TYPE, 8);
        ct.set_u8(ATTR_ICMP_CODE, 3);
        ct.set_u16(ATTR_ICMP_ID, 0x1234);
        assert_eq!(ct.load::<1>(REPL + T_ICMP_TYPE), [0]);
        assert_eq!(ct.load::<1>(REPL + T_ICMP_CODE), [3]);
        assert_eq!(ct.load::<2>(REPL + T_L4SRC), 0x1234u16.to_ne_bytes());
        ct.set_u8(ATTR_ICMP_TYPE, 3);
        assert_eq!(ct.load::<1>(REPL + T_ICMP_TYPE), [255]);
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET6);
        ct.set_u8(ATTR_ICMP_TYPE, 128);
        assert_eq!(ct.load::<1>(REPL + T_ICMP_TYPE), [129]);
    }

    #[test]
    fn kernel_only_attributes_mark_without_storing() {
        let mut ct = Conntrack::new();
        ct.set_u64(ATTR_ORIG_COUNTER_PACKETS, 99);
        assert!(ct.is_set(ATTR_ORIG_COUNTER_PACKETS));
        assert_eq!(ct.view().u64(ATTR_ORIG_COUNTER_PACKETS), 0);
        ct.set_u32(ATTR_SECCTX, 1);
        assert!(ct.is_set(ATTR_SECCTX));
        assert_eq!(ct.view().get(ATTR_SECCTX), Some(Value::SecCtx(None)));
    }

    #[test]
    fn typed_setters_cut_or_extend() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_MARK, 0x7f);
        assert_eq!(ct.view().u32(ATTR_MARK), 0x7f);
        ct.set_u32(ATTR_ORIG_L4PROTO, 0x1_0006);
        assert_eq!(ct.view().u8(ATTR_ORIG_L4PROTO), 6);
    }

    #[test]
    fn helper_name_is_truncated_and_terminated() {
        let mut ct = Conntrack::new();
        ct.set_bytes(ATTR_HELPER_NAME, b"a-very-long-helper-name\0")
            .unwrap();
        assert_eq!(
            ct.view().helper_name().unwrap().to_bytes(),
            b"a-very-long-hel"
        );
        ct.set_bytes(ATTR_HELPER_NAME, b"ftp").unwrap();
        assert_eq!(ct.view().helper_name().unwrap().to_bytes(), b"ftp");
    }

    #[test]
    fn unset_keeps_value_but_hides_it() {
        let mut ct = Conntrack::new();
        ct.set_u32(ATTR_MARK, 5);
        ct.unset(ATTR_MARK);
        assert_eq!(ct.view().get(ATTR_MARK), None);
        assert_eq!(ct.view().u32(ATTR_MARK), 0);
        ct.mark(ATTR_MARK);
        assert_eq!(ct.view().u32(ATTR_MARK), 5);
    }

    #[test]
    fn heads_carry_only_tuple_attributes() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u32(ATTR_MARK, 7);
        ct.set_u16(ATTR_ORIG_ZONE, 3);
        let h = Head::of(ct.view());
        let v = CtRef::Head(&h);
        assert!(Head::bits_say_detached(v.bits()));
        assert!(!Head::bits_say_detached(ct.bits()));
        assert!(v.is_set(ATTR_ORIG_IPV4_SRC) && v.is_set(ATTR_ORIG_ZONE));
        assert!(!v.is_set(ATTR_MARK));
        assert_eq!(v.u16(ATTR_ORIG_ZONE), 3);
        assert_eq!(v.raw(ATTR_MARK), &[] as &[u8]);
    }

    #[test]
    fn labels_are_owned() {
        let mut ct = Conntrack::new();
        let mut b = Bitmask::new(127).unwrap();
        b.set(5);
        ct.set_labels(ATTR_CONNLABELS, Some(Box::new(b))).unwrap();
        assert!(ct.view().labels(ATTR_CONNLABELS).unwrap().test(5));
        let copy = ct.clone();
        assert!(copy.view().labels(ATTR_CONNLABELS).unwrap().test(5));
        assert!(ct.set_bytes(ATTR_CONNLABELS, &[1]).is_err());
    }
}
