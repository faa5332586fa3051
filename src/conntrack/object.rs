//! `struct nf_conntrack`: the object, its set-bitmap, and attribute access
//! driven by the attribute table.
//!
//! The accessors here are what daemons call millions of times, so each is a
//! bit test and a load or store at the offset the table gives: no
//! allocation, no copying through intermediate buffers, no calls. The rare
//! attributes that live on the heap take a separate, slower path.

use std::ffi::CStr;

use super::attr::{
    Attr, AttrSet, BitWord, CopyWidth, FastSet, SetRule, Slot, ALL_ATTRS, FAST, HEAD_ATTRS,
};
use super::layout::*;
use crate::bitmask::Bitmask;
use crate::fallible::{self, NoMemory};
use crate::ffi::bitmask_pool::BitmaskBox;

/// A labels attribute's value (`ATTR_CONNLABELS`, `ATTR_CONNLABELS_MASK`):
/// none, a bitmask the object owns (parsed, copied, or handed over by C from
/// `nfct_bitmask_new`), or some other pointer a C caller set. The reference
/// stores such a pointer without reading it; so do we, and we hand it back,
/// but never read it or free it: we cannot know what it points to.
///
/// All-zero bytes are no labels, so a zeroed object is valid.
#[derive(Debug, Default)]
pub struct Labels {
    /// What `nfct_get_attr` returns: the owned bitmask's address, the
    /// foreign pointer, or 0 for none. One word, always there, so that
    /// handing it out is a load.
    addr: usize,
    /// The bitmask, when the object owns one (`addr` is its address).
    owned: Option<BitmaskBox>,
}

impl Clone for Labels {
    /// An infallible copy, for Rust callers (aborts when memory is short);
    /// C paths use [`Labels::try_clone`].
    fn clone(&self) -> Labels {
        match &self.owned {
            Some(b) => Labels::owned(b.clone()),
            None => Labels::foreign(self.addr),
        }
    }
}

impl PartialEq for Labels {
    /// Owned bitmasks by their bits, other pointers by address.
    fn eq(&self, o: &Labels) -> bool {
        match (&self.owned, &o.owned) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.addr == o.addr,
            _ => false,
        }
    }
}

impl Labels {
    /// No labels.
    pub const NONE: Labels = Labels {
        addr: 0,
        owned: None,
    };

    /// A bitmask the object owns.
    pub fn owned(b: BitmaskBox) -> Labels {
        Labels {
            addr: b.as_ptr() as usize,
            owned: Some(b),
        }
    }

    /// A pointer C set that is no loose bitmask of ours (not NULL).
    pub fn foreign(addr: usize) -> Labels {
        Labels { addr, owned: None }
    }

    /// Whether there are no labels.
    #[inline]
    pub fn is_none(&self) -> bool {
        self.addr == 0
    }

    /// The address C sees (`nfct_get_attr`'s pointer); 0 for none.
    #[inline(always)]
    pub fn addr(&self) -> usize {
        self.addr
    }

    /// The bitmask, when the object owns one.
    #[inline]
    pub fn bitmask(&self) -> Option<&Bitmask> {
        self.owned.as_deref()
    }

    /// Makes these labels a copy of `src` ([`Labels::try_clone`], none
    /// when memory is short), into the bitmask already owned when both are
    /// owned: no allocation then.
    pub fn assign_from(&mut self, src: &Labels) {
        if let (Some(d), Some(s)) = (&mut self.owned, &src.owned) {
            if let Ok(c) = Bitmask::try_clone(s) {
                **d = c;
                return;
            }
        }
        *self = src.try_clone().unwrap_or_default();
    }

    /// A copy: an owned bitmask is copied, a foreign pointer kept as is.
    pub fn try_clone(&self) -> Result<Labels, NoMemory> {
        Ok(match &self.owned {
            Some(b) => Labels::owned(b.try_clone()?),
            None => Labels::foreign(self.addr),
        })
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
    pub labels: Labels,
    /// `ATTR_CONNLABELS_MASK`.
    pub labels_mask: Labels,
}

impl Owned {
    /// Whether no value is held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.secctx.is_none()
            && self.helper_info.is_none()
            && self.labels.is_none()
            && self.labels_mask.is_none()
    }

    /// A copy of every value, or [`NoMemory`]; the helper information as
    /// the reference copies it: its first `helper_info_len` bytes.
    pub fn try_clone(&self, helper_info_len: usize) -> Result<Owned, NoMemory> {
        Ok(Owned {
            secctx: self
                .secctx
                .as_deref()
                .map(fallible::boxed_cstr)
                .transpose()?,
            helper_info: self
                .helper_info
                .as_deref()
                .map(|h| fallible::padded(h, helper_info_len))
                .transpose()?,
            labels: self.labels.try_clone()?,
            labels_mask: self.labels_mask.try_clone()?,
        })
    }

    /// The value of a labels attribute.
    #[inline]
    pub fn labels(&self, a: Attr) -> Option<&Labels> {
        match a {
            Attr::ATTR_CONNLABELS => Some(&self.labels),
            Attr::ATTR_CONNLABELS_MASK => Some(&self.labels_mask),
            _ => None,
        }
    }
}

/// An object's bytes: the tuple head (the tuple, the set-bitmap, the kind
/// word), then, in a whole object, the other values (see `layout`).
///
/// The bitmap is kept as bytes, where the reference keeps it, and read and
/// written a 32-bit word at a time.
#[repr(C, align(4))]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Storage<const N: usize>([u8; N]);

impl<const N: usize> Storage<N> {
    const ZERO: Self = Storage([0; N]);

    /// The storage's bytes.
    #[inline(always)]
    pub fn bytes(&self) -> &[u8; N] {
        &self.0
    }

    /// The bitmap, as stored (bits past the attributes included).
    #[inline(always)]
    pub fn bits(&self) -> AttrSet {
        AttrSet([
            self.word_at(BitWord::W0),
            self.word_at(BitWord::W1),
            self.word_at(BitWord::W2),
        ])
    }

    /// Stores `bits` as the bitmap.
    #[inline(always)]
    pub fn set_bits(&mut self, bits: AttrSet) {
        for (at, w) in BitWord::ALL.into_iter().zip(bits.0) {
            self.set_word_at(at, w);
        }
    }

    /// Makes this storage a copy of `src`, in pieces of at most 128 bytes:
    /// each is copied inline with vector moves, where a whole storage would
    /// be a call to `memcpy` that costs half again as much.
    #[inline(always)]
    pub fn copy_from(&mut self, src: &Self) {
        const PIECE: usize = 128;
        let mut at = 0;
        while at + PIECE < N {
            self.0[at..at + PIECE].copy_from_slice(&src.0[at..at + PIECE]);
            at += PIECE;
        }
        self.0[at..].copy_from_slice(&src.0[at..]);
    }

    /// The bitmap word `at`. Every storage holds the whole bitmap (a head
    /// too), and `at` is one of four offsets, so no bounds check is needed.
    #[inline(always)]
    fn word_at(&self, at: BitWord) -> u32 {
        let at = SET + at.at();
        self.0
            .get(at..at + 4)
            .map_or(0, |w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
    }

    #[inline(always)]
    fn set_word_at(&mut self, at: BitWord, v: u32) {
        let at = SET + at.at();
        if let Some(w) = self.0.get_mut(at..at + 4) {
            w.copy_from_slice(&v.to_ne_bytes());
        }
    }

    /// The bitmap's first two words, as one: the bits of the attributes
    /// numbered below 64.
    #[inline(always)]
    fn low64(&self) -> u64 {
        u64::from(self.word_at(BitWord::W0)) | u64::from(self.word_at(BitWord::W1)) << 32
    }

    /// Keeps only the bits of `keep` in the bitmap's first two words.
    #[inline(always)]
    fn keep_low64(&mut self, keep: u64) {
        // The two words as one 8-byte value in memory order: the first
        // word is the low half on a little-endian machine, the high one
        // on a big-endian one.
        let keep = if cfg!(target_endian = "little") {
            keep
        } else {
            keep.rotate_left(32)
        };
        if let Some(w) = self.0.get_mut(SET..SET + 8) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(w);
            w.copy_from_slice(&(u64::from_ne_bytes(bytes) & keep).to_ne_bytes());
        }
    }

    /// Whether `a`'s bit is set.
    #[inline(always)]
    pub fn has(&self, a: Attr) -> bool {
        self.has_bit(FAST.bit(a))
    }

    /// Sets `a`'s bit.
    #[inline(always)]
    pub fn insert(&mut self, a: Attr) {
        let (at, mask) = FAST.bit(a);
        self.set_word_at(at, self.word_at(at) | mask);
    }

    /// Clears `a`'s bit.
    #[inline(always)]
    pub fn remove(&mut self, a: Attr) {
        let (at, mask) = FAST.bit(a);
        self.set_word_at(at, self.word_at(at) & !mask);
    }

    /// Whether bit `mask` of bitmap word `at` is set (as [`FastPaths::bit`]
    /// and [`FastPaths::read_bit`] give them).
    ///
    /// [`FastPaths::bit`]: super::attr::FastPaths::bit
    /// [`FastPaths::read_bit`]: super::attr::FastPaths::read_bit
    #[inline(always)]
    pub fn has_bit(&self, (at, mask): (BitWord, u32)) -> bool {
        self.word_at(at) & mask != 0
    }

    /// The kind word: [`HEAD_MARK`] for a tuple head inside an expectation.
    #[inline(always)]
    pub fn kind(&self) -> u32 {
        self.0
            .get(KIND..KIND + 4)
            .map_or(0, |w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
    }

    fn set_kind(&mut self, kind: u32) {
        if let Some(w) = self.0.get_mut(KIND..KIND + 4) {
            w.copy_from_slice(&kind.to_ne_bytes());
        }
    }
}

impl<const N: usize> std::fmt::Debug for Storage<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("bits", &self.bits())
            .field("kind", &self.kind())
            .field("bytes", &&self.0[..])
            .finish()
    }
}

/// A conntrack object: what `nfct_new()` returns.
#[repr(C)]
#[derive(Clone, Debug)]
pub struct Conntrack {
    store: Storage<STORAGE_LEN>,
    owned: Owned,
}

/// The first bytes of a conntrack object: the original tuple, the bitmap,
/// and the kind word.
///
/// An expectation keeps one for each of its tuples and hands a pointer to it
/// out as a `struct nf_conntrack *`, as the reference library does. Such a
/// detached head carries [`HEAD_MARK`] in its kind word, so that a pointer
/// to it is never taken for a whole object: reading it sees the tuple only.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    store: Storage<HEAD_LEN>,
}

impl Default for Head {
    fn default() -> Self {
        let mut store = Storage::ZERO;
        store.set_kind(HEAD_MARK);
        Head { store }
    }
}

impl Head {
    /// Whether the kind word of the object that starts with `h` says it is
    /// a detached head (a whole object starts with a head too). Any value
    /// but zero does: a whole object's kind word is never written, so one
    /// that is not zero was scribbled over, and is safest read as a head
    /// (read-only, nothing past the tuple).
    #[inline(always)]
    pub fn is_detached(h: &Head) -> bool {
        Head::kind_word(h) != 0
    }

    /// The kind word of the object that starts with `h`: zero for a whole
    /// object (see [`Head::is_detached`]).
    #[inline(always)]
    pub fn kind_word(h: &Head) -> u32 {
        h.store.kind()
    }

    /// The tuple head of `ct`: its original tuple and which of the original
    /// tuple's attributes are set.
    pub fn of(ct: CtRef<'_>) -> Head {
        let mut head = Head::default();
        head.store.0[..TUPLE_LEN].copy_from_slice(&ct.fixed()[..TUPLE_LEN]);
        head.store.set_bits(ct.set().and(HEAD_ATTRS));
        head
    }

    /// The head whose bytes are `bytes`, as C copies a `struct nf_conntrack`'s
    /// first bytes (a `struct nfct_tuple_head`) into an expectation: the
    /// tuple and the bitmap taken as they are, the kind word marking it a
    /// head.
    pub fn from_bytes(bytes: &[u8; C_HEAD_LEN]) -> Head {
        let mut head = Head::default();
        head.store.0[..C_HEAD_LEN].copy_from_slice(bytes);
        head
    }

    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        self.store.bits().is_empty()
    }

    /// `a`'s bit in the bitmap, which is what `nfct_attr_is_set` reports
    /// (see [`CtRef::bit`]), for whole objects and heads alike.
    #[inline(always)]
    pub fn bit(&self, a: Attr) -> bool {
        self.store.has(a)
    }

    /// Stores `bytes` at offset `at` of the tuple and marks `a` set (for the
    /// expectation parser). Nothing outside the tuple is ever written: such
    /// a value is dropped and `a` stays as it was.
    #[inline]
    pub fn put(&mut self, a: Attr, at: u16, bytes: &[u8]) {
        let at = at as usize;
        if at + bytes.len() > TUPLE_LEN {
            return;
        }
        if let Some(dst) = self.store.0.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
            self.store.insert(a);
        }
    }
}

/// How many bytes of a tuple head C sees and copies: the tuple and the
/// bitmap (the reference's `struct nfct_tuple_head`), not the kind word.
pub const C_HEAD_LEN: usize = KIND;

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
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A fixed-width value, or a string buffer with its terminating NUL.
    Bytes(&'a [u8]),
    /// The security context; `None` when the bit is set without a value.
    SecCtx(Option<&'a CStr>),
    /// The helper information bytes; `None` when set without data.
    HelperInfo(Option<&'a [u8]>),
    /// A labels attribute.
    Labels(&'a Labels),
}

/// The first `N` bytes of the `len`-byte value at `at` of `storage`, or the
/// value zero-extended to `N` bytes when it is narrower (what the C typed
/// getters return). Zeros when `at` is past the storage.
#[inline(always)]
fn read_uint<const N: usize>(storage: &[u8], at: usize, len: usize) -> [u8; N] {
    let Some(src) = storage.get(at..) else {
        return [0; N];
    };
    if len >= N {
        return src.first_chunk::<N>().copied().unwrap_or([0; N]);
    }
    match len {
        1 => zero_extended(&load::<1>(src, 0)),
        2 => zero_extended(&load::<2>(src, 0)),
        4 => zero_extended(&load::<4>(src, 0)),
        _ => [0; N],
    }
}

/// Copies the fixed-width value of the attribute with bit number `bit`
/// from storage `src` (zeros past its end: a head holds the tuple only)
/// into a whole storage, without marking it set; `false` (nothing done)
/// for strings and heap values. Between two whole storages (`src` a
/// `&[u8; STORAGE_LEN]` at the call) each copy is a load and a store.
#[inline(always)]
fn copy_fixed(dst: &mut [u8; STORAGE_LEN], src: &[u8], bit: u32) -> bool {
    fn put<const N: usize>(dst: &mut [u8; STORAGE_LEN], src: &[u8], at: usize) {
        if let Some(d) = dst.get_mut(at..).and_then(|d| d.first_chunk_mut::<N>()) {
            *d = load::<N>(src, at);
        }
    }
    let (at, copy) = FAST.copy_of_bit(bit);
    let at = at as usize;
    match copy {
        CopyWidth::W1 => put::<1>(dst, src, at),
        CopyWidth::W2 => put::<2>(dst, src, at),
        CopyWidth::W4 => put::<4>(dst, src, at),
        CopyWidth::W8 => put::<8>(dst, src, at),
        CopyWidth::W16 => put::<16>(dst, src, at),
        CopyWidth::Owned => return false,
    }
    true
}

impl<'a> CtRef<'a> {
    /// The set-bitmap as stored.
    #[inline(always)]
    pub fn bits(self) -> AttrSet {
        match self {
            CtRef::Full(c) => c.store.bits(),
            CtRef::Head(h) => h.store.bits(),
        }
    }

    /// The attributes that are set. A head sets only what it holds: the
    /// bits of a bitmap copied from a whole object are not its attributes.
    #[inline]
    pub fn set(self) -> AttrSet {
        match self {
            CtRef::Full(c) => c.store.bits().and(ALL_ATTRS),
            CtRef::Head(h) => h.store.bits().and(HEAD_ATTRS),
        }
    }

    /// [`CtRef::set`] of the attributes numbered below 64, as one word
    /// ([`AttrSet::low64`]).
    #[inline(always)]
    pub fn set_low64(self) -> u64 {
        match self {
            CtRef::Full(c) => c.store.low64(),
            CtRef::Head(h) => h.store.low64() & HEAD_ATTRS.low64(),
        }
    }

    /// The storage: the head's bytes, then for a whole object its values.
    #[inline(always)]
    pub fn fixed(self) -> &'a [u8] {
        match self {
            CtRef::Full(c) => c.store.bytes(),
            CtRef::Head(h) => h.store.bytes(),
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

    /// Whether `a` is set (see [`CtRef::set`]).
    #[inline(always)]
    pub fn is_set(self, a: Attr) -> bool {
        match self {
            CtRef::Full(c) => c.store.has(a),
            CtRef::Head(h) => h.store.has(a) && HEAD_ATTRS.has(a),
        }
    }

    /// `a`'s bit in the bitmap, which is what `nfct_attr_is_set` reports.
    /// For a head that may name an attribute it does not hold: its bitmap is
    /// copied as it is, as the reference copies it (whose getters then read
    /// past the head; ours find nothing there).
    #[inline(always)]
    pub fn bit(self, a: Attr) -> bool {
        match self {
            CtRef::Full(c) => c.store.has(a),
            CtRef::Head(h) => h.store.has(a),
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
    ///
    /// (Not written as `layout::load`: through that call the conntrack
    /// builder's tuple code compiles to more instructions.)
    #[inline]
    pub fn at<const N: usize>(self, at: u16) -> [u8; N] {
        self.fixed()
            .get(at as usize..)
            .and_then(|b| b.first_chunk::<N>())
            .copied()
            .unwrap_or([0; N])
    }

    /// Where the value of `a` starts, set or not, when it is stored in the
    /// fixed storage of a whole object (what `nfct_get_attr` points to once
    /// it knows `a` is set); `None` otherwise, for [`CtRef::get`] to tell.
    #[inline(always)]
    pub fn place(self, a: Attr) -> Option<&'a [u8]> {
        match self {
            CtRef::Full(c) => c.store.bytes().get(FAST.place(a) as usize..),
            _ => None,
        }
    }

    /// What `nfct_get_attr` hands out for labels attribute `a` of a whole
    /// object, set or not: the bitmask's address, a foreign pointer, or 0.
    /// `None` for other attributes and for heads.
    #[inline(always)]
    pub fn labels_addr(self, a: Attr) -> Option<usize> {
        let CtRef::Full(c) = self else {
            return None;
        };
        match a {
            Attr::ATTR_CONNLABELS => Some(c.owned.labels.addr()),
            Attr::ATTR_CONNLABELS_MASK => Some(c.owned.labels_mask.addr()),
            _ => None,
        }
    }

    /// The value of `a` if it is set.
    #[inline]
    pub fn get(self, a: Attr) -> Option<Value<'a>> {
        if !self.is_set(a) {
            return None;
        }
        match a.desc().slot {
            Slot::Fixed { at, len } | Slot::Str { at, cap: len } => {
                let at = at as usize;
                Some(Value::Bytes(self.fixed().get(at..at + len as usize)?))
            }
            _ => self.owned_value(a),
        }
    }

    /// The value of a heap-owned attribute (set; a head has none).
    #[cold]
    fn owned_value(self, a: Attr) -> Option<Value<'a>> {
        let o = self.owned()?;
        Some(match a.desc().slot {
            Slot::SecCtx => Value::SecCtx(o.secctx.as_deref()),
            Slot::HelperInfo => Value::HelperInfo(o.helper_info.as_deref()),
            _ => Value::Labels(o.labels(a)?),
        })
    }

    /// [`CtRef::uint`] when it is a plain load: `a` set in a whole object,
    /// its value at least `N` bytes wide in the fixed storage; `None`
    /// otherwise (not that `a` is unset: ask [`CtRef::uint`]).
    #[inline(always)]
    pub fn uint_fast<const N: usize>(self, a: Attr) -> Option<[u8; N]> {
        match self {
            CtRef::Full(c) if c.store.has(a) => c
                .store
                .bytes()
                .get(FAST.read::<N>(a) as usize..)
                .and_then(|f| f.first_chunk::<N>())
                .copied(),
            _ => None,
        }
    }

    /// What a C typed getter returns for `a` (`nfct_get_attr_u32` and
    /// friends): the value's first `N` bytes, or the value zero-extended
    /// when narrower; `None` when `a` is not set.
    #[inline(always)]
    pub fn uint<const N: usize>(self, a: Attr) -> Option<[u8; N]> {
        match self.uint_fast(a) {
            Some(v) => Some(v),
            None => self.uint_general(a),
        }
    }

    /// [`CtRef::uint`] for whatever its fast path leaves: heads, values
    /// narrower than `N`, heap values.
    #[inline(never)]
    fn uint_general<const N: usize>(self, a: Attr) -> Option<[u8; N]> {
        if !self.is_set(a) {
            return None;
        }
        Some(match a.desc().slot {
            Slot::Fixed { at, len } => read_uint(self.fixed(), at as usize, len as usize),
            Slot::Str { at, cap } => read_uint(self.fixed(), at as usize, cap as usize),
            _ => self.owned_uint(a),
        })
    }

    /// [`CtRef::uint`] of a heap-owned attribute: the first bytes of the
    /// string or helper data, zero-padded; zeros for labels.
    #[cold]
    fn owned_uint<const N: usize>(self, a: Attr) -> [u8; N] {
        let bytes: &[u8] = match self.owned_value(a) {
            Some(Value::SecCtx(Some(s))) => s.to_bytes_with_nul(),
            Some(Value::HelperInfo(Some(h))) => h,
            _ => &[],
        };
        zero_extended(bytes)
    }

    /// `nfct_get_attr_u8`: 0 when unset.
    #[inline(always)]
    pub fn u8(self, a: Attr) -> u8 {
        self.uint::<1>(a).map_or(0, |b| b[0])
    }

    /// `nfct_get_attr_u16` (host byte order of the stored bytes).
    #[inline(always)]
    pub fn u16(self, a: Attr) -> u16 {
        self.uint(a).map_or(0, u16::from_ne_bytes)
    }

    /// `nfct_get_attr_u32`.
    #[inline(always)]
    pub fn u32(self, a: Attr) -> u32 {
        self.uint(a).map_or(0, u32::from_ne_bytes)
    }

    /// `nfct_get_attr_u64`.
    #[inline(always)]
    pub fn u64(self, a: Attr) -> u64 {
        self.uint(a).map_or(0, u64::from_ne_bytes)
    }

    /// The helper name as a string, if set.
    pub fn helper_name(self) -> Option<&'a CStr> {
        match self.get(Attr::ATTR_HELPER_NAME)? {
            Value::Bytes(b) => CStr::from_bytes_until_nul(b).ok(),
            _ => None,
        }
    }

    /// How many bytes of helper information building and copying take (see
    /// `layout::HELPER_INFO_LEN`); 0 for a head.
    #[inline]
    pub fn helper_info_len(self) -> usize {
        match self {
            CtRef::Full(c) => u32::from_ne_bytes(c.load(HELPER_INFO_LEN)) as usize,
            CtRef::Head(_) => 0,
        }
    }

    /// The security context, if set and present.
    pub fn secctx(self) -> Option<&'a CStr> {
        match self.get(Attr::ATTR_SECCTX)? {
            Value::SecCtx(s) => s,
            _ => None,
        }
    }

    /// The labels (or label mask) bitmask, if set and owned.
    pub fn labels(self, a: Attr) -> Option<&'a Bitmask> {
        match self.get(a)? {
            Value::Labels(l) => l.bitmask(),
            _ => None,
        }
    }
}

/// Errors from the object layer; `ffi/` maps each to an `errno`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjError {
    /// Out-of-range attribute, wrong kind of value, bad length.
    Invalid,
    /// The heap refused a value the attribute keeps there.
    NoMemory,
}

impl From<NoMemory> for ObjError {
    fn from(_: NoMemory) -> Self {
        ObjError::NoMemory
    }
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
            store: Storage::ZERO,
            owned: Owned::default(),
        }
    }
}

impl Conntrack {
    /// An empty object (`nfct_new`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the object owns no heap value (a copy of its bytes is then
    /// a whole, independent object).
    #[inline]
    pub fn owns_nothing(&self) -> bool {
        self.owned.is_empty()
    }

    /// A read-only view.
    #[inline]
    pub fn view(&self) -> CtRef<'_> {
        CtRef::Full(self)
    }

    /// The set-bitmap.
    #[inline]
    pub fn bits(&self) -> AttrSet {
        self.store.bits()
    }

    /// Whether `a` is set.
    #[inline]
    pub fn is_set(&self, a: Attr) -> bool {
        self.store.has(a)
    }

    /// Whether `a` is set and an `N`-byte typed getter reads it at
    /// [`FAST`]`.read::<N>(a)` of [`Conntrack::storage`].
    #[inline(always)]
    pub fn readable<const N: usize>(&self, a: Attr) -> bool {
        self.store.has_bit(FAST.read_bit::<N>(a))
    }

    /// The fixed storage, values and bitmap.
    #[inline(always)]
    pub fn storage(&self) -> &[u8; STORAGE_LEN] {
        self.store.bytes()
    }

    /// Marks `a` unset (its value stays stored, as in the reference).
    #[inline]
    pub fn unset(&mut self, a: Attr) {
        self.store.remove(a);
    }

    /// Marks every attribute of `attrs` unset.
    #[inline]
    pub fn unset_all(&mut self, attrs: AttrSet) {
        self.store.set_bits(self.store.bits().without(attrs));
    }

    /// Marks unset the attributes numbered below 64 whose bits `keep` does
    /// not have ([`AttrSet::low64`]); the others stay as they are.
    #[inline]
    pub fn keep_low64(&mut self, keep: u64) {
        self.store.keep_low64(keep);
    }

    /// Marks `a` set without touching its value.
    #[inline]
    pub fn mark(&mut self, a: Attr) {
        self.store.insert(a);
    }

    /// Marks every attribute of `attrs` set.
    #[inline]
    pub fn mark_all(&mut self, attrs: AttrSet) {
        self.store.set_bits(self.store.bits().or(attrs));
    }

    /// Writes `bytes` at fixed offset `at` (nothing past the storage).
    #[inline]
    pub fn store(&mut self, at: u16, bytes: &[u8]) {
        let at = at as usize;
        if let Some(dst) = self.store.0.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// Writes the `K` bytes of `value` at fixed offset `at` (nothing past
    /// the storage).
    #[inline(always)]
    pub fn put_at<const K: usize>(&mut self, at: usize, value: [u8; K]) {
        if let Some(dst) = self
            .store
            .0
            .get_mut(at..)
            .and_then(|d| d.first_chunk_mut::<K>())
        {
            *dst = value;
        }
    }

    /// Reads `N` bytes at fixed offset `at` (zeros past the storage).
    #[inline]
    pub fn load<const N: usize>(&self, at: u16) -> [u8; N] {
        self.view().at(at)
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
            (_, SetRule::Unsettable) => return Ok(()),
            (_, SetRule::MarkOnly) => {}
            (Slot::Fixed { at, len }, rule) => self.set_fixed_at(at, len as usize, value, rule),
            (Slot::Str { at, cap }, _) => {
                // The string up to its NUL, cut to the buffer, NUL-padded.
                let mut buf = [0u8; HELPER_NAME_CAP as usize];
                let chars = value.iter().take_while(|&&b| b != 0);
                for (d, c) in buf.iter_mut().take(cap as usize - 1).zip(chars) {
                    *d = *c;
                }
                self.store(at, buf.get(..cap as usize).unwrap_or(&buf));
            }
            (Slot::HelperInfo, _) => {
                // As the reference: when the copy fails the attribute is set
                // without data.
                self.owned.helper_info = fallible::boxed_slice(value).ok();
            }
            (Slot::SecCtx | Slot::Labels | Slot::LabelsMask, _) => return Err(ObjError::Invalid),
        }
        self.store.insert(a);
        Ok(())
    }

    /// Stores the `len`-byte value that `value` starts (zero-padded when
    /// shorter) at `at`, and does what `rule` adds, without marking
    /// anything set.
    #[inline(always)]
    pub fn set_fixed_at(&mut self, at: u16, len: usize, value: &[u8], rule: SetRule) {
        match len {
            1 => self.set_fixed::<1>(at, value, rule),
            2 => self.set_fixed::<2>(at, value, rule),
            4 => self.set_fixed::<4>(at, value, rule),
            8 => self.set_fixed::<8>(at, value, rule),
            _ => self.set_fixed::<16>(at, value, rule),
        }
    }

    /// Stores the `N`-byte value that `value` starts (zero-padded when
    /// shorter) at `at`, and does what `rule` adds.
    #[inline(always)]
    fn set_fixed<const N: usize>(&mut self, at: u16, value: &[u8], rule: SetRule) {
        let v = match value.first_chunk::<N>() {
            Some(v) => *v,
            None => zero_extended(value),
        };
        self.put_at(at as usize, v);
        match rule {
            SetRule::Mirror(also) => self.put_at(also as usize, v),
            SetRule::IcmpType => self.derive_reply_icmp_type(v[0]),
            _ => {}
        }
    }

    fn derive_reply_icmp_type(&mut self, t: u8) {
        let reply = match self.store.0[(ORIG + T_L3) as usize] {
            AF_INET => icmp_reply_type(t),
            AF_INET6 => icmpv6_reply_type(t),
            _ => None,
        };
        // 255 is no valid reply type: the kernel refuses such a tuple.
        self.store(REPL + T_ICMP_TYPE, &[reply.unwrap_or(255)]);
    }

    /// [`Conntrack::set_uint`] when it is a plain store (a value of exactly
    /// `N` bytes that setting only stores); `false` leaves it undone.
    #[inline(always)]
    pub fn set_uint_fast<const N: usize>(&mut self, a: Attr, ne_bytes: [u8; N]) -> bool {
        if let Some(v) = self
            .store
            .0
            .get_mut(FAST.write::<N>(a) as usize..)
            .and_then(|f| f.first_chunk_mut::<N>())
        {
            *v = ne_bytes;
        } else {
            let v = FAST.value(a);
            match v.set {
                FastSet::Mark => {}
                FastSet::Mirror1 | FastSet::Mirror2 if v.len as usize == N => {
                    self.put_at(v.at as usize, ne_bytes);
                    self.put_at(v.also as usize, ne_bytes);
                }
                _ => return false,
            }
        }
        self.store.insert(a);
        true
    }

    /// Sets a fixed-width attribute from an integer, as `nfct_set_attr_uN`
    /// do: the value's bytes in host order, cut or zero-extended to the
    /// attribute's width.
    #[inline]
    pub fn set_uint<const N: usize>(&mut self, a: Attr, ne_bytes: [u8; N]) -> Result<(), ObjError> {
        if self.set_uint_fast(a, ne_bytes) {
            return Ok(());
        }
        self.set_uint_general(a, ne_bytes)
    }

    /// [`Conntrack::set_uint`] for whatever its fast path leaves: values of
    /// another width, and setters that do more than store.
    #[inline(never)]
    fn set_uint_general<const N: usize>(
        &mut self,
        a: Attr,
        ne_bytes: [u8; N],
    ) -> Result<(), ObjError> {
        let d = a.desc();
        match (d.slot, d.set) {
            (_, SetRule::Unsettable) => return Ok(()),
            (_, SetRule::MarkOnly) => {}
            (Slot::Fixed { at, len }, rule) => self.set_fixed_at(at, len as usize, &ne_bytes, rule),
            (Slot::Str { .. } | Slot::HelperInfo, _) => return self.set_bytes(a, &ne_bytes),
            _ => return Err(ObjError::Invalid),
        }
        self.store.insert(a);
        Ok(())
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

    /// Sets `ATTR_CONNLABELS` or `ATTR_CONNLABELS_MASK` to `labels`,
    /// dropping the previous value.
    pub fn set_labels(&mut self, a: Attr, labels: Labels) -> Result<(), ObjError> {
        let place = self.labels_place(a).ok_or(ObjError::Invalid)?;
        *place = labels;
        self.store.insert(a);
        Ok(())
    }

    /// The storage of a labels attribute.
    #[inline]
    pub fn labels_place(&mut self, a: Attr) -> Option<&mut Labels> {
        match a {
            Attr::ATTR_CONNLABELS => Some(&mut self.owned.labels),
            Attr::ATTR_CONNLABELS_MASK => Some(&mut self.owned.labels_mask),
            _ => None,
        }
    }

    /// Sets the helper information as parsing a kernel message does: the
    /// data, and the length building and copying take (which setting
    /// `ATTR_HELPER_INFO` leaves alone, as in the reference). Without memory
    /// for the data, it is set without it.
    pub fn set_helper_info(&mut self, info: &[u8]) {
        let len = u32::try_from(info.len()).unwrap_or(u32::MAX);
        self.store(HELPER_INFO_LEN, &len.to_ne_bytes());
        let _ = self.set_bytes(Attr::ATTR_HELPER_INFO, info);
    }

    /// Stores a security context received from the kernel (`name`, up to
    /// its first NUL if it has one) and marks it set; without the value when
    /// the heap refuses it.
    pub fn set_secctx(&mut self, name: &[u8]) {
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        self.owned.secctx = fallible::cstr_from_bytes(&name[..end]).ok();
        self.store.insert(Attr::ATTR_SECCTX);
    }

    /// Copies attribute `a`'s value from `src` (whether or not it is set
    /// there) and marks it set, as the reference's per-attribute copy does.
    /// A heap value that cannot be copied for want of memory is left out.
    #[inline]
    pub fn copy_attr_from(&mut self, src: CtRef<'_>, a: Attr) {
        if !self.copy_fixed_attr_from(src, a) {
            self.copy_owned_attr_from(src, a);
            self.store.insert(a);
        }
    }

    /// [`Conntrack::copy_attr_from`] for an attribute whose value is a
    /// fixed-width value: a load and a store. `false` (nothing done) for
    /// strings and heap values.
    #[inline(always)]
    pub fn copy_fixed_attr_from(&mut self, src: CtRef<'_>, a: Attr) -> bool {
        if !copy_fixed(&mut self.store.0, src.fixed(), a as u32) {
            return false;
        }
        self.store.insert(a);
        true
    }

    /// Copies from `src` the value of every attribute of `attrs`, in
    /// attribute order, without marking them set.
    #[inline]
    pub fn copy_values_from(&mut self, src: CtRef<'_>, attrs: AttrSet) {
        let from = src.fixed();
        // From a whole object both storages have one known length, so each
        // fixed-width copy costs one bounds check.
        if let Some(full) = from.first_chunk::<STORAGE_LEN>() {
            for (word, mut bits) in (0u32..).zip(attrs.0) {
                while bits != 0 {
                    let bit = word * 32 + bits.trailing_zeros();
                    bits &= bits - 1;
                    if !copy_fixed(&mut self.store.0, full, bit) {
                        self.copy_owned_bit_from(src, bit);
                    }
                }
            }
            return;
        }
        for bit in attrs.bits() {
            if !copy_fixed(&mut self.store.0, from, bit) {
                self.copy_owned_bit_from(src, bit);
            }
        }
    }

    /// [`Conntrack::copy_owned_attr_from`] by bit number.
    #[inline]
    fn copy_owned_bit_from(&mut self, src: CtRef<'_>, bit: u32) {
        if let Some(a) = Attr::from_raw(bit) {
            self.copy_owned_attr_from(src, a);
        }
    }

    /// [`Conntrack::copy_attr_from`] for strings and heap values.
    #[inline(never)]
    fn copy_owned_attr_from(&mut self, src: CtRef<'_>, a: Attr) {
        let from = src.owned();
        match a.desc().slot {
            Slot::Fixed { .. } => {}
            Slot::Str { at, .. } => {
                let raw = src.raw(a);
                // A head holds the tuple only; beyond it there is nothing to copy.
                if !raw.is_empty() {
                    self.store(at, raw);
                }
            }
            Slot::SecCtx => {
                self.owned.secctx = from
                    .and_then(|o| o.secctx.as_deref())
                    .and_then(|s| fallible::boxed_cstr(s).ok());
            }
            Slot::HelperInfo => {
                // As the reference: the source's first `helper_info_len` bytes.
                if let Some(h) = from.and_then(|o| o.helper_info.as_deref()) {
                    self.owned.helper_info = fallible::padded(h, src.helper_info_len()).ok();
                }
            }
            Slot::Labels | Slot::LabelsMask => {
                let Some(given) = from.and_then(|o| o.labels(a)) else {
                    return;
                };
                if given.is_none() {
                    return;
                }
                if let Some(place) = self.labels_place(a) {
                    place.assign_from(given);
                }
            }
        }
    }

    /// A whole object holding the tuple and tuple attributes of `src`.
    fn of_head(src: CtRef<'_>) -> Conntrack {
        let mut ct = Conntrack::default();
        ct.store.0[..TUPLE_LEN].copy_from_slice(&src.fixed()[..TUPLE_LEN]);
        ct.store.set_bits(src.set());
        ct
    }

    /// Makes this object a copy of `src` when neither owns a heap value:
    /// its storage, copied inline. `false` (nothing done) otherwise.
    #[inline(always)]
    pub fn copy_plain_from(&mut self, src: &Conntrack) -> bool {
        if !(src.owns_nothing() && self.owns_nothing()) {
            return false;
        }
        self.store.copy_from(&src.store);
        true
    }

    /// Makes this object a copy of `src` (`nfct_copy` with
    /// `NFCT_CP_OVERRIDE`). Heap values that cannot be copied for want of
    /// memory are left out, with their bits set, as the reference does.
    pub fn clone_from_view(&mut self, src: CtRef<'_>) {
        let CtRef::Full(c) = src else {
            *self = Conntrack::of_head(src);
            return;
        };
        if self.copy_plain_from(c) {
            return;
        }
        self.store.copy_from(&c.store);
        let o = &c.owned;
        self.owned.secctx = o
            .secctx
            .as_deref()
            .and_then(|s| fallible::boxed_cstr(s).ok());
        self.owned.helper_info = o
            .helper_info
            .as_deref()
            .and_then(|h| fallible::padded(h, src.helper_info_len()).ok());
        self.owned.labels.assign_from(&o.labels);
        self.owned.labels_mask.assign_from(&o.labels_mask);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::attr::ATTRS;
    use Attr::*;

    #[test]
    fn sizes_are_no_larger_than_the_reference() {
        assert!(std::mem::size_of::<Conntrack>() <= 392);
        assert_eq!(std::mem::size_of::<Head>(), HEAD_LEN);
        assert_eq!(std::mem::offset_of!(Conntrack, store), 0);
        assert_eq!(std::mem::align_of::<Conntrack>() % 8, 0);
        // The reference's struct nfct_tuple_head: the tuple, then the bitmap.
        assert_eq!((SET, C_HEAD_LEN), (TUPLE_LEN, TUPLE_LEN + 12));
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
        assert!(Head::is_detached(&h));
        assert_eq!(ct.store.kind(), 0);
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
        ct.set_labels(ATTR_CONNLABELS, Labels::owned(BitmaskBox::new(b).unwrap()))
            .unwrap();
        assert!(ct.view().labels(ATTR_CONNLABELS).unwrap().test(5));
        let copy = ct.clone();
        assert!(copy.view().labels(ATTR_CONNLABELS).unwrap().test(5));
        assert!(ct.set_bytes(ATTR_CONNLABELS, &[1]).is_err());
    }
}
