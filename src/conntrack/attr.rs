//! The conntrack attribute table: one row per `ATTR_*`, saying where its value
//! lives and what setting it does. `set`, `get`, `copy`, `cmp`, the groups and
//! the printers all walk this table instead of matching on every attribute.

use super::layout::*;

/// `enum nf_conntrack_attr`: every attribute of a conntrack object.
///
/// The values are the C API's. Aliases such as `ATTR_IPV4_SRC` are constants
/// below, because a Rust enum cannot name one value twice.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum nf_conntrack_attr {
    ATTR_ORIG_IPV4_SRC = 0,
    ATTR_ORIG_IPV4_DST = 1,
    ATTR_REPL_IPV4_SRC = 2,
    ATTR_REPL_IPV4_DST = 3,
    ATTR_ORIG_IPV6_SRC = 4,
    ATTR_ORIG_IPV6_DST = 5,
    ATTR_REPL_IPV6_SRC = 6,
    ATTR_REPL_IPV6_DST = 7,
    ATTR_ORIG_PORT_SRC = 8,
    ATTR_ORIG_PORT_DST = 9,
    ATTR_REPL_PORT_SRC = 10,
    ATTR_REPL_PORT_DST = 11,
    ATTR_ICMP_TYPE = 12,
    ATTR_ICMP_CODE = 13,
    ATTR_ICMP_ID = 14,
    ATTR_ORIG_L3PROTO = 15,
    ATTR_REPL_L3PROTO = 16,
    ATTR_ORIG_L4PROTO = 17,
    ATTR_REPL_L4PROTO = 18,
    ATTR_TCP_STATE = 19,
    ATTR_SNAT_IPV4 = 20,
    ATTR_DNAT_IPV4 = 21,
    ATTR_SNAT_PORT = 22,
    ATTR_DNAT_PORT = 23,
    ATTR_TIMEOUT = 24,
    ATTR_MARK = 25,
    ATTR_ORIG_COUNTER_PACKETS = 26,
    ATTR_REPL_COUNTER_PACKETS = 27,
    ATTR_ORIG_COUNTER_BYTES = 28,
    ATTR_REPL_COUNTER_BYTES = 29,
    ATTR_USE = 30,
    ATTR_ID = 31,
    ATTR_STATUS = 32,
    ATTR_TCP_FLAGS_ORIG = 33,
    ATTR_TCP_FLAGS_REPL = 34,
    ATTR_TCP_MASK_ORIG = 35,
    ATTR_TCP_MASK_REPL = 36,
    ATTR_MASTER_IPV4_SRC = 37,
    ATTR_MASTER_IPV4_DST = 38,
    ATTR_MASTER_IPV6_SRC = 39,
    ATTR_MASTER_IPV6_DST = 40,
    ATTR_MASTER_PORT_SRC = 41,
    ATTR_MASTER_PORT_DST = 42,
    ATTR_MASTER_L3PROTO = 43,
    ATTR_MASTER_L4PROTO = 44,
    ATTR_SECMARK = 45,
    ATTR_ORIG_NAT_SEQ_CORRECTION_POS = 46,
    ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE = 47,
    ATTR_ORIG_NAT_SEQ_OFFSET_AFTER = 48,
    ATTR_REPL_NAT_SEQ_CORRECTION_POS = 49,
    ATTR_REPL_NAT_SEQ_OFFSET_BEFORE = 50,
    ATTR_REPL_NAT_SEQ_OFFSET_AFTER = 51,
    ATTR_SCTP_STATE = 52,
    ATTR_SCTP_VTAG_ORIG = 53,
    ATTR_SCTP_VTAG_REPL = 54,
    ATTR_HELPER_NAME = 55,
    ATTR_DCCP_STATE = 56,
    ATTR_DCCP_ROLE = 57,
    ATTR_DCCP_HANDSHAKE_SEQ = 58,
    ATTR_TCP_WSCALE_ORIG = 59,
    ATTR_TCP_WSCALE_REPL = 60,
    ATTR_ZONE = 61,
    ATTR_SECCTX = 62,
    ATTR_TIMESTAMP_START = 63,
    ATTR_TIMESTAMP_STOP = 64,
    ATTR_HELPER_INFO = 65,
    ATTR_CONNLABELS = 66,
    ATTR_CONNLABELS_MASK = 67,
    ATTR_ORIG_ZONE = 68,
    ATTR_REPL_ZONE = 69,
    ATTR_SNAT_IPV6 = 70,
    ATTR_DNAT_IPV6 = 71,
    ATTR_SYNPROXY_ISN = 72,
    ATTR_SYNPROXY_ITS = 73,
    ATTR_SYNPROXY_TSOFF = 74,
    ATTR_TIMESTAMP_EVENT = 75,
    ATTR_MAX = 76,
}

/// Short name used throughout the crate.
pub use nf_conntrack_attr as Attr;
use nf_conntrack_attr::*;

/// Alias of `ATTR_ORIG_IPV4_SRC`.
pub const ATTR_IPV4_SRC: u32 = 0;
/// Alias of `ATTR_ORIG_IPV4_DST`.
pub const ATTR_IPV4_DST: u32 = 1;
/// Alias of `ATTR_ORIG_IPV6_SRC`.
pub const ATTR_IPV6_SRC: u32 = 4;
/// Alias of `ATTR_ORIG_IPV6_DST`.
pub const ATTR_IPV6_DST: u32 = 5;
/// Alias of `ATTR_ORIG_PORT_SRC`.
pub const ATTR_PORT_SRC: u32 = 8;
/// Alias of `ATTR_ORIG_PORT_DST`.
pub const ATTR_PORT_DST: u32 = 9;
/// Alias of `ATTR_ORIG_L3PROTO`.
pub const ATTR_L3PROTO: u32 = 15;
/// Alias of `ATTR_ORIG_L4PROTO`.
pub const ATTR_L4PROTO: u32 = 17;

/// Number of real attributes (`ATTR_MAX`).
pub(crate) const ATTR_COUNT: usize = ATTR_MAX as usize;

impl Attr {
    /// The attribute with C value `v`, if there is one.
    pub fn from_raw(v: u32) -> Option<Attr> {
        ATTRS.get(v as usize).map(|d| d.attr)
    }

    /// Whether the value is a labels bitmask (`ATTR_CONNLABELS`,
    /// `ATTR_CONNLABELS_MASK`).
    #[inline(always)]
    pub fn is_labels(self) -> bool {
        matches!(self, Attr::ATTR_CONNLABELS | Attr::ATTR_CONNLABELS_MASK)
    }

    /// This attribute's row of the table. (`ATTR_MAX`, which names no
    /// attribute and which no `Attr` of this crate ever holds, reads the
    /// last row rather than panicking.)
    #[inline]
    pub fn desc(self) -> &'static AttrDesc {
        ATTRS.get(self as usize).unwrap_or(&ATTRS[ATTR_COUNT - 1])
    }
}

/// Where an attribute's value is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// `len` bytes at offset `at` of the fixed storage, in host byte order
    /// for integers and network order for addresses and ports, as the C API
    /// hands them over.
    Fixed {
        /// Offset in the fixed storage.
        at: u16,
        /// Width in bytes.
        len: u8,
    },
    /// A NUL-terminated string in a fixed buffer of `cap` bytes.
    Str {
        /// Offset in the fixed storage.
        at: u16,
        /// Buffer size, including the terminating NUL.
        cap: u8,
    },
    /// The security context string, owned by the object.
    SecCtx,
    /// Opaque helper data of any length, owned by the object.
    HelperInfo,
    /// The connection label bitmask, owned by the object.
    Labels,
    /// The label mask bitmask, owned by the object.
    LabelsMask,
}

impl Slot {
    /// Offset and width of a fixed-storage slot.
    pub const fn fixed(self) -> Option<(usize, usize)> {
        match self {
            Slot::Fixed { at, len } => Some((at as usize, len as usize)),
            Slot::Str { at, cap } => Some((at as usize, cap as usize)),
            _ => None,
        }
    }
}

/// What setting an attribute does besides storing its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetRule {
    /// Store the value.
    Store,
    /// Mark the attribute set but keep the stored value: the kernel alone
    /// provides it (counters, use count, timestamps, security context).
    MarkOnly,
    /// Store, and store the same value at a second offset (ICMP code and id
    /// are the same in both directions).
    Mirror(u16),
    /// Store the ICMP type, and derive the reply direction's type from it.
    IcmpType,
    /// Nothing: setting it neither stores nor marks (only parsing a kernel
    /// message sets it; `ATTR_TIMESTAMP_EVENT` has no setter in 1.1.1).
    Unsettable,
}

/// One row of the attribute table.
#[derive(Clone, Copy, Debug)]
pub struct AttrDesc {
    /// The attribute this row describes (its index in [`ATTRS`]).
    pub attr: Attr,
    /// Where the value lives.
    pub slot: Slot,
    /// What setting it does.
    pub set: SetRule,
}

const fn fixed(attr: Attr, at: u16, len: u8) -> AttrDesc {
    AttrDesc {
        attr,
        slot: Slot::Fixed { at, len },
        set: SetRule::Store,
    }
}

const fn kernel_only(attr: Attr, at: u16, len: u8) -> AttrDesc {
    AttrDesc {
        attr,
        slot: Slot::Fixed { at, len },
        set: SetRule::MarkOnly,
    }
}

const fn owned(attr: Attr, slot: Slot) -> AttrDesc {
    AttrDesc {
        attr,
        slot,
        set: SetRule::Store,
    }
}

const fn mirrored(attr: Attr, at: u16, len: u8, also: u16) -> AttrDesc {
    AttrDesc {
        attr,
        slot: Slot::Fixed { at, len },
        set: SetRule::Mirror(also),
    }
}

/// The attribute table, indexed by attribute number.
pub static ATTRS: [AttrDesc; ATTR_COUNT] = TABLE;

/// The table as a constant, so that derived sets can be computed at compile
/// time ([`HEAD_ATTRS`]).
const TABLE: [AttrDesc; ATTR_COUNT] = [
    fixed(ATTR_ORIG_IPV4_SRC, ORIG + T_SRC, 4),
    fixed(ATTR_ORIG_IPV4_DST, ORIG + T_DST, 4),
    fixed(ATTR_REPL_IPV4_SRC, REPL + T_SRC, 4),
    fixed(ATTR_REPL_IPV4_DST, REPL + T_DST, 4),
    fixed(ATTR_ORIG_IPV6_SRC, ORIG + T_SRC, 16),
    fixed(ATTR_ORIG_IPV6_DST, ORIG + T_DST, 16),
    fixed(ATTR_REPL_IPV6_SRC, REPL + T_SRC, 16),
    fixed(ATTR_REPL_IPV6_DST, REPL + T_DST, 16),
    fixed(ATTR_ORIG_PORT_SRC, ORIG + T_L4SRC, 2),
    fixed(ATTR_ORIG_PORT_DST, ORIG + T_L4DST, 2),
    fixed(ATTR_REPL_PORT_SRC, REPL + T_L4SRC, 2),
    fixed(ATTR_REPL_PORT_DST, REPL + T_L4DST, 2),
    AttrDesc {
        attr: ATTR_ICMP_TYPE,
        slot: Slot::Fixed {
            at: ORIG + T_ICMP_TYPE,
            len: 1,
        },
        set: SetRule::IcmpType,
    },
    mirrored(ATTR_ICMP_CODE, ORIG + T_ICMP_CODE, 1, REPL + T_ICMP_CODE),
    mirrored(ATTR_ICMP_ID, ORIG + T_L4SRC, 2, REPL + T_L4SRC),
    fixed(ATTR_ORIG_L3PROTO, ORIG + T_L3, 1),
    fixed(ATTR_REPL_L3PROTO, REPL + T_L3, 1),
    fixed(ATTR_ORIG_L4PROTO, ORIG + T_L4, 1),
    fixed(ATTR_REPL_L4PROTO, REPL + T_L4, 1),
    fixed(ATTR_TCP_STATE, TCP_STATE, 1),
    fixed(ATTR_SNAT_IPV4, SNAT_ADDR, 4),
    fixed(ATTR_DNAT_IPV4, DNAT_ADDR, 4),
    fixed(ATTR_SNAT_PORT, SNAT_PORT, 2),
    fixed(ATTR_DNAT_PORT, DNAT_PORT, 2),
    fixed(ATTR_TIMEOUT, TIMEOUT, 4),
    fixed(ATTR_MARK, MARK, 4),
    kernel_only(ATTR_ORIG_COUNTER_PACKETS, ORIG_PACKETS, 8),
    kernel_only(ATTR_REPL_COUNTER_PACKETS, REPL_PACKETS, 8),
    kernel_only(ATTR_ORIG_COUNTER_BYTES, ORIG_BYTES, 8),
    kernel_only(ATTR_REPL_COUNTER_BYTES, REPL_BYTES, 8),
    kernel_only(ATTR_USE, USE, 4),
    fixed(ATTR_ID, ID, 4),
    fixed(ATTR_STATUS, STATUS, 4),
    fixed(ATTR_TCP_FLAGS_ORIG, TCP_FLAGS_ORIG, 1),
    fixed(ATTR_TCP_FLAGS_REPL, TCP_FLAGS_REPL, 1),
    fixed(ATTR_TCP_MASK_ORIG, TCP_MASK_ORIG, 1),
    fixed(ATTR_TCP_MASK_REPL, TCP_MASK_REPL, 1),
    fixed(ATTR_MASTER_IPV4_SRC, MASTER + T_SRC, 4),
    fixed(ATTR_MASTER_IPV4_DST, MASTER + T_DST, 4),
    fixed(ATTR_MASTER_IPV6_SRC, MASTER + T_SRC, 16),
    fixed(ATTR_MASTER_IPV6_DST, MASTER + T_DST, 16),
    fixed(ATTR_MASTER_PORT_SRC, MASTER + T_L4SRC, 2),
    fixed(ATTR_MASTER_PORT_DST, MASTER + T_L4DST, 2),
    fixed(ATTR_MASTER_L3PROTO, MASTER + T_L3, 1),
    fixed(ATTR_MASTER_L4PROTO, MASTER + T_L4, 1),
    fixed(ATTR_SECMARK, SECMARK, 4),
    fixed(ATTR_ORIG_NAT_SEQ_CORRECTION_POS, ORIG_SEQ_POS, 4),
    fixed(ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, ORIG_SEQ_BEFORE, 4),
    fixed(ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, ORIG_SEQ_AFTER, 4),
    fixed(ATTR_REPL_NAT_SEQ_CORRECTION_POS, REPL_SEQ_POS, 4),
    fixed(ATTR_REPL_NAT_SEQ_OFFSET_BEFORE, REPL_SEQ_BEFORE, 4),
    fixed(ATTR_REPL_NAT_SEQ_OFFSET_AFTER, REPL_SEQ_AFTER, 4),
    fixed(ATTR_SCTP_STATE, SCTP_STATE, 1),
    fixed(ATTR_SCTP_VTAG_ORIG, SCTP_VTAG_ORIG, 4),
    fixed(ATTR_SCTP_VTAG_REPL, SCTP_VTAG_REPL, 4),
    owned(
        ATTR_HELPER_NAME,
        Slot::Str {
            at: HELPER_NAME,
            cap: HELPER_NAME_CAP,
        },
    ),
    fixed(ATTR_DCCP_STATE, DCCP_STATE, 1),
    fixed(ATTR_DCCP_ROLE, DCCP_ROLE, 1),
    fixed(ATTR_DCCP_HANDSHAKE_SEQ, DCCP_HANDSHAKE_SEQ, 8),
    fixed(ATTR_TCP_WSCALE_ORIG, TCP_WSCALE_ORIG, 1),
    fixed(ATTR_TCP_WSCALE_REPL, TCP_WSCALE_REPL, 1),
    fixed(ATTR_ZONE, ZONE, 2),
    AttrDesc {
        attr: ATTR_SECCTX,
        slot: Slot::SecCtx,
        set: SetRule::MarkOnly,
    },
    kernel_only(ATTR_TIMESTAMP_START, TIMESTAMP_START, 8),
    kernel_only(ATTR_TIMESTAMP_STOP, TIMESTAMP_STOP, 8),
    owned(ATTR_HELPER_INFO, Slot::HelperInfo),
    owned(ATTR_CONNLABELS, Slot::Labels),
    owned(ATTR_CONNLABELS_MASK, Slot::LabelsMask),
    fixed(ATTR_ORIG_ZONE, ORIG + T_ZONE, 2),
    fixed(ATTR_REPL_ZONE, REPL + T_ZONE, 2),
    fixed(ATTR_SNAT_IPV6, SNAT_ADDR, 16),
    fixed(ATTR_DNAT_IPV6, DNAT_ADDR, 16),
    fixed(ATTR_SYNPROXY_ISN, SYNPROXY_ISN, 4),
    fixed(ATTR_SYNPROXY_ITS, SYNPROXY_ITS, 4),
    fixed(ATTR_SYNPROXY_TSOFF, SYNPROXY_TSOFF, 4),
    AttrDesc {
        attr: ATTR_TIMESTAMP_EVENT,
        slot: Slot::Fixed {
            at: TIMESTAMP_EVENT,
            len: 8,
        },
        set: SetRule::Unsettable,
    },
];

/// A set of attributes: bit `n` for attribute `n`, in three 32-bit words,
/// the way an object's set-bitmap stores them. Set operations are a few
/// word operations, which is what the group, copy and compare code relies
/// on to stay cheap.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttrSet(pub(crate) [u32; 3]);

impl AttrSet {
    /// No attribute.
    pub const EMPTY: AttrSet = AttrSet([0; 3]);

    /// The attributes numbered below 64, as the bits of one word.
    #[inline(always)]
    pub fn low64(self) -> u64 {
        u64::from(self.0[0]) | u64::from(self.0[1]) << 32
    }

    /// The set of `attrs` (usable in constants).
    pub const fn of(attrs: &[Attr]) -> AttrSet {
        let mut words = [0u32; 3];
        let mut i = 0;
        while i < attrs.len() {
            let bit = attrs[i] as usize;
            words[bit / 32] |= 1 << (bit % 32);
            i += 1;
        }
        AttrSet(words)
    }

    /// Whether bit `bit` is set (bits past the attributes included).
    #[inline]
    pub const fn test(&self, bit: u32) -> bool {
        let word = (bit / 32) as usize;
        word < 3 && self.0[word] & (1 << (bit % 32)) != 0
    }

    /// Whether `a` is in the set.
    #[inline]
    pub const fn has(&self, a: Attr) -> bool {
        self.test(a as u32)
    }

    /// The attributes in both sets.
    #[inline]
    pub const fn and(self, o: AttrSet) -> AttrSet {
        AttrSet([self.0[0] & o.0[0], self.0[1] & o.0[1], self.0[2] & o.0[2]])
    }

    /// The attributes in either set.
    #[inline]
    pub const fn or(self, o: AttrSet) -> AttrSet {
        AttrSet([self.0[0] | o.0[0], self.0[1] | o.0[1], self.0[2] | o.0[2]])
    }

    /// The attributes of `self` that are not in `o`.
    #[inline]
    pub const fn without(self, o: AttrSet) -> AttrSet {
        AttrSet([
            self.0[0] & !o.0[0],
            self.0[1] & !o.0[1],
            self.0[2] & !o.0[2],
        ])
    }

    /// Whether every attribute of `o` is in `self`.
    #[inline]
    pub const fn contains(self, o: AttrSet) -> bool {
        o.without(self).is_none()
    }

    /// Whether the sets share an attribute.
    #[inline]
    pub const fn intersects(self, o: AttrSet) -> bool {
        !self.and(o).is_none()
    }

    /// Whether no attribute is set (bits past the attributes, such as a
    /// tuple head's marker, do not count).
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.and(ALL_ATTRS).is_none()
    }

    /// Whether no bit at all is set.
    #[inline]
    pub const fn is_none(self) -> bool {
        self.0[0] | self.0[1] | self.0[2] == 0
    }

    /// The bit numbers set, in ascending order (bits that name no
    /// attribute included).
    #[inline]
    pub fn bits(self) -> impl Iterator<Item = u32> {
        let mut words = self.0;
        let mut word = 0;
        std::iter::from_fn(move || loop {
            let w = words.get_mut(word)?;
            if *w == 0 {
                word += 1;
                continue;
            }
            let bit = w.trailing_zeros();
            *w &= *w - 1;
            return Some(word as u32 * 32 + bit);
        })
    }

    /// The attributes in the set, in ascending order (bits that name no
    /// attribute are skipped).
    #[cfg(test)]
    pub fn iter(self) -> impl Iterator<Item = Attr> {
        self.bits().filter_map(Attr::from_raw)
    }
}

/// Every attribute whose value lives in the original tuple: what a tuple
/// head (see `object::Head`) can hold.
pub const HEAD_ATTRS: AttrSet = {
    let mut set = AttrSet::EMPTY;
    let mut i = 0;
    while i < ATTR_COUNT {
        if let Slot::Fixed { at, len } = TABLE[i].slot {
            if at as usize + len as usize <= TUPLE_LEN {
                set.0[i / 32] |= 1 << (i % 32);
            }
        }
        i += 1;
    }
    set
};

/// Offset and width of attribute `a`'s value in the fixed storage (usable
/// in constants); `(SLOW, 0)` for a heap value.
pub const fn fixed_slot(a: Attr) -> (u16, u8) {
    match TABLE[a as usize].slot.fixed() {
        // The slot's own u16 and u8, widened by `Slot::fixed`.
        Some((at, len)) => (at as u16, len as u8),
        None => (SLOW, 0),
    }
}

/// What setting attribute `a` does besides storing its value (usable in
/// constants).
pub const fn set_rule(a: Attr) -> SetRule {
    TABLE[a as usize].set
}

/// No fast path for an attribute: see [`FastPaths`].
///
/// cbindgen:ignore
pub const SLOW: u16 = u16::MAX;

/// Where the hot accessors find an attribute without decoding its row.
///
/// For each attribute and integer width (1, 2, 4, 8 bytes), the offset in
/// the fixed storage where a plain load or store of that many bytes is the
/// whole of what a typed getter or setter does, or [`SLOW`] when it must do
/// more (a narrower value to zero-extend, a value to mirror, a heap value).
/// Derived from the attribute table at compile time.
pub struct FastPaths {
    /// Typed getters: the value is at least that wide; its first bytes are
    /// the result. (One entry more than there are attributes, for
    /// `ATTR_MAX`: any `Attr` indexes the rows without a bounds check.)
    read: [[u16; ATTR_COUNT + 1]; 4],
    /// Typed getters again: the attribute's bit in its bitmap word when
    /// `read` has an offset for it, else 0. Testing the bitmap against this
    /// mask tells at once that the attribute is set and can be read there.
    read_mask: [[u32; ATTR_COUNT + 1]; 4],
    /// Typed setters: a stored value of exactly that width.
    write: [[u16; ATTR_COUNT + 1]; 4],
    /// Where each attribute's value is and what setting it does (a heap
    /// value's entry for every bit number past the attributes).
    value: [ValueFast; VALUE_ROWS],
    /// Where each attribute's value is ([`ValueFast::at`] again) and how
    /// copying it between objects copies it: two arrays of their own, so
    /// that a copy loads the two with two loads, no unpacking.
    copy_at: [u16; VALUE_ROWS],
    copy: [CopyWidth; VALUE_ROWS],
    /// Each attribute's bit in the set-bitmap: the byte offset of its
    /// 32-bit word, and its mask in that word. Two loads, where computing
    /// them takes five instructions.
    bit_word: [BitWord; VALUE_ROWS],
    bit_mask: [u32; VALUE_ROWS],
}

/// What the fast paths that store, copy or point to a whole value need of
/// an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueFast {
    /// Offset of the value in the fixed storage ([`SLOW`] for a heap value).
    pub at: u16,
    /// Its width in bytes (a string's buffer; 0 for a heap value).
    pub len: u8,
    /// What setting it from a pointer or an integer of its width does.
    pub set: FastSet,
    /// Where a mirrored value is stored a second time ([`SLOW`] for the
    /// others).
    pub also: u16,
}

/// How many bytes copying an attribute between objects copies raw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyWidth {
    /// None: a string or a heap value, copied by its own rules.
    Owned,
    /// One byte.
    W1,
    /// Two bytes.
    W2,
    /// Four bytes.
    W4,
    /// Eight bytes.
    W8,
    /// Sixteen bytes.
    W16,
}

/// How the fast path sets an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastSet {
    /// Store the value's byte, as it is.
    Store1,
    /// Store the value's 2 bytes, as they are.
    Store2,
    /// Store the value's 4 bytes, as they are.
    Store4,
    /// Store the value's 8 bytes, as they are.
    Store8,
    /// Store the value's 16 bytes, as they are.
    Store16,
    /// Only mark it set (the kernel alone provides the value).
    Mark,
    /// Store the value's byte, there and at [`ValueFast::also`].
    Mirror1,
    /// Store the value's 2 bytes, there and at [`ValueFast::also`].
    Mirror2,
    /// Take the labels pointer (a bitmask, not read unless it is ours).
    Labels,
    /// Something else (strings, mirrored values, heap values, no setter):
    /// the general path.
    General,
}

/// The fast paths of the attribute table.
pub const FAST: FastPaths = FastPaths::of(&TABLE);

/// Which 32-bit word of the set-bitmap holds a bit, as the word's byte
/// offset in the bitmap. An enum rather than a number, so that the compiler
/// knows the offset is one of these four: reading or writing the word then
/// needs neither a mask nor a bounds check.
///
/// cbindgen:ignore
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitWord {
    /// Bits 0 to 31.
    W0 = 0,
    /// Bits 32 to 63.
    W1 = 4,
    /// Bits 64 to 95.
    W2 = 8,
    /// Bits 96 to 127.
    W3 = 12,
}

impl BitWord {
    /// The words of an [`AttrSet`], in order.
    ///
    /// cbindgen:ignore
    pub const ALL: [BitWord; 4] = [BitWord::W0, BitWord::W1, BitWord::W2, BitWord::W3];

    /// The word of bit number `bit` (below 128).
    const fn of(bit: usize) -> BitWord {
        match bit / 32 {
            0 => BitWord::W0,
            1 => BitWord::W1,
            2 => BitWord::W2,
            _ => BitWord::W3,
        }
    }

    /// The word's byte offset in the bitmap.
    #[inline(always)]
    pub const fn at(self) -> usize {
        self as usize
    }
}

/// Rows of [`FastPaths::value`]: one per bit number of an [`AttrSet`].
const VALUE_ROWS: usize = 128;
// Every bit number has a `BitWord`, and every storage, a head's too, holds
// the whole bitmap: reading or writing a word needs no check.
const _: () = assert!(VALUE_ROWS <= 128 && SET + 16 <= STORAGE_LEN && SET + 16 <= HEAD_LEN);
const _: () = assert!(ATTR_COUNT < VALUE_ROWS && 3 * 32 <= VALUE_ROWS);

/// Row of [`FastPaths`] for an integer of `n` bytes.
const fn width_row(n: usize) -> usize {
    match n {
        1 => 0,
        2 => 1,
        4 => 2,
        _ => 3,
    }
}

impl FastPaths {
    const fn of(table: &[AttrDesc; ATTR_COUNT]) -> FastPaths {
        let mut read = [[SLOW; ATTR_COUNT + 1]; 4];
        let mut read_mask = [[0u32; ATTR_COUNT + 1]; 4];
        let mut write = [[SLOW; ATTR_COUNT + 1]; 4];
        let mut value = [ValueFast {
            at: SLOW,
            len: 0,
            set: FastSet::General,
            also: SLOW,
        }; VALUE_ROWS];
        let mut copy_at = [SLOW; VALUE_ROWS];
        let mut bit_word = [BitWord::W0; VALUE_ROWS];
        let mut bit_mask = [0u32; VALUE_ROWS];
        let mut b = 0;
        while b < VALUE_ROWS {
            bit_word[b] = BitWord::of(b);
            bit_mask[b] = 1 << (b % 32);
            b += 1;
        }
        let mut copy = [CopyWidth::Owned; VALUE_ROWS];
        let mut i = 0;
        while i < ATTR_COUNT {
            let (at, len, plain) = match table[i].slot {
                Slot::Fixed { at, len } => {
                    (at, len as usize, matches!(table[i].set, SetRule::Store))
                }
                Slot::Str { at, cap } => (at, cap as usize, false),
                _ => (SLOW, 0, false),
            };
            value[i] = ValueFast {
                at,
                len: len as u8,
                set: match (table[i].slot, table[i].set) {
                    (Slot::Fixed { len: 1, .. }, SetRule::Store) => FastSet::Store1,
                    (Slot::Fixed { len: 2, .. }, SetRule::Store) => FastSet::Store2,
                    (Slot::Fixed { len: 4, .. }, SetRule::Store) => FastSet::Store4,
                    (Slot::Fixed { len: 8, .. }, SetRule::Store) => FastSet::Store8,
                    (Slot::Fixed { len: 16, .. }, SetRule::Store) => FastSet::Store16,
                    (_, SetRule::MarkOnly) => FastSet::Mark,
                    (Slot::Fixed { len: 1, .. }, SetRule::Mirror(_)) => FastSet::Mirror1,
                    (Slot::Fixed { len: 2, .. }, SetRule::Mirror(_)) => FastSet::Mirror2,
                    (Slot::Labels | Slot::LabelsMask, _) => FastSet::Labels,
                    _ => FastSet::General,
                },
                also: match table[i].set {
                    SetRule::Mirror(also) => also,
                    _ => SLOW,
                },
            };
            copy_at[i] = at;
            copy[i] = match table[i].slot {
                Slot::Fixed { len: 1, .. } => CopyWidth::W1,
                Slot::Fixed { len: 2, .. } => CopyWidth::W2,
                Slot::Fixed { len: 4, .. } => CopyWidth::W4,
                Slot::Fixed { len: 8, .. } => CopyWidth::W8,
                Slot::Fixed { len: 16, .. } => CopyWidth::W16,
                _ => CopyWidth::Owned,
            };
            let mut w = 0;
            while w < 4 {
                let n = 1 << w;
                if at != SLOW && len >= n {
                    // What lets the getters read without a bounds check.
                    assert!(at as usize + n <= STORAGE_LEN);
                    read[width_row(n)][i] = at;
                    read_mask[width_row(n)][i] = bit_mask[i];
                }
                if plain && len == n {
                    write[width_row(n)][i] = at;
                }
                w += 1;
            }
            i += 1;
        }
        FastPaths {
            read,
            read_mask,
            write,
            value,
            copy_at,
            copy,
            bit_word,
            bit_mask,
        }
    }

    /// Where `a`'s value starts in the fixed storage, or [`SLOW`] for a
    /// heap value.
    #[inline(always)]
    pub fn place(&self, a: Attr) -> u16 {
        self.value[a as usize].at
    }

    /// Where `a`'s value is and what setting it does.
    #[inline(always)]
    pub fn value(&self, a: Attr) -> ValueFast {
        self.value[a as usize]
    }

    /// `a`'s bit in the set-bitmap: the byte offset of its 32-bit word in
    /// the bitmap, and its mask in that word.
    #[inline(always)]
    pub fn bit(&self, a: Attr) -> (BitWord, u32) {
        (self.bit_word[a as usize], self.bit_mask[a as usize])
    }

    /// Where the value of the attribute with bit number `bit` is, and how
    /// copying it copies it ([`CopyWidth::Owned`] for a bit that names no
    /// attribute).
    #[inline(always)]
    pub fn copy_of_bit(&self, bit: u32) -> (u16, CopyWidth) {
        let row = bit as usize % VALUE_ROWS;
        (self.copy_at[row], self.copy[row])
    }

    /// Where an `N`-byte typed getter reads `a`, or [`SLOW`].
    #[inline(always)]
    pub fn read<const N: usize>(&self, a: Attr) -> u16 {
        const { assert!(matches!(N, 1 | 2 | 4 | 8)) };
        self.read[width_row(N)][a as usize]
    }

    /// `a`'s bit for an `N`-byte typed getter: the byte offset of its word
    /// in the bitmap, and its mask there, or 0 when [`FastPaths::read`] has
    /// no offset for it.
    #[inline(always)]
    pub fn read_bit<const N: usize>(&self, a: Attr) -> (BitWord, u32) {
        const { assert!(matches!(N, 1 | 2 | 4 | 8)) };
        (
            self.bit_word[a as usize],
            self.read_mask[width_row(N)][a as usize],
        )
    }

    /// Where an `N`-byte typed setter stores `a`, or [`SLOW`].
    #[inline(always)]
    pub fn write<const N: usize>(&self, a: Attr) -> u16 {
        self.write[width_row(N)][a as usize]
    }
}

/// Every attribute (`NFCT_CP_ALL`'s reach).
pub const ALL_ATTRS: AttrSet = {
    let mut set = AttrSet::EMPTY;
    let mut i = 0;
    while i < ATTR_COUNT {
        set.0[i / 32] |= 1 << (i % 32);
        i += 1;
    }
    set
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_attribute_number() {
        for (i, d) in ATTRS.iter().enumerate() {
            assert_eq!(d.attr as usize, i, "row {i} holds {:?}", d.attr);
            assert_eq!(Attr::from_raw(i as u32), Some(d.attr));
        }
        assert_eq!(Attr::from_raw(ATTR_COUNT as u32), None);
        assert_eq!(Attr::from_raw(u32::MAX), None);
    }

    #[test]
    fn fixed_slots_fit_and_are_aligned_in_the_object() {
        for d in &ATTRS {
            let Some((at, len)) = d.slot.fixed() else {
                continue;
            };
            assert!(at + len <= STORAGE_LEN, "{:?} overflows", d.attr);
            // Nothing is stored over the bitmap or the kind word.
            assert!(
                at + len <= SET || at >= KIND + 4,
                "{:?} overlaps the head",
                d.attr
            );
            // Absolute offset in `struct nf_conntrack`: C callers dereference
            // the pointer that nfct_get_attr() returns as the natural type.
            // Strings are bytes; addresses are `uint32_t[4]`.
            let align = match (d.slot, len) {
                (Slot::Str { .. }, _) => 1,
                (_, 16) => 4,
                (_, n) => n,
            };
            assert_eq!(at % align, 0, "{:?} misaligned", d.attr);
        }
    }

    #[test]
    fn attribute_sets() {
        let s = AttrSet::of(&[ATTR_MARK, ATTR_ORIG_IPV4_SRC, ATTR_TIMESTAMP_EVENT]);
        assert!(s.has(ATTR_MARK) && s.has(ATTR_TIMESTAMP_EVENT) && !s.has(ATTR_ZONE));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [ATTR_ORIG_IPV4_SRC, ATTR_MARK, ATTR_TIMESTAMP_EVENT]
        );
        assert!(ALL_ATTRS.contains(s) && !s.contains(ALL_ATTRS));
        assert!(s.intersects(AttrSet::of(&[ATTR_MARK])));
        assert_eq!(ALL_ATTRS.iter().count(), ATTR_COUNT);
        assert!(!AttrSet([0, 0, 1 << 31]).test(200));
        assert_eq!(AttrSet([0, 0, 1 << 31]).iter().count(), 0);
        for d in &ATTRS {
            let in_head = matches!(d.slot.fixed(), Some((at, len)) if at + len <= TUPLE_LEN);
            assert_eq!(HEAD_ATTRS.has(d.attr), in_head, "{:?}", d.attr);
        }
    }

    #[test]
    fn fast_paths_agree_with_the_table() {
        for d in &ATTRS {
            let a = d.attr;
            let (at, len) = match d.slot {
                Slot::Fixed { at, len } => (at, len as usize),
                Slot::Str { at, cap } => (at, cap as usize),
                _ => (SLOW, 0),
            };
            let expect_read = |n: usize| if at != SLOW && len >= n { at } else { SLOW };
            assert_eq!(FAST.read::<1>(a), expect_read(1), "{a:?}");
            assert_eq!(FAST.read::<2>(a), expect_read(2), "{a:?}");
            assert_eq!(FAST.read::<4>(a), expect_read(4), "{a:?}");
            assert_eq!(FAST.read::<8>(a), expect_read(8), "{a:?}");
            let plain = matches!((d.slot, d.set), (Slot::Fixed { .. }, SetRule::Store));
            let expect_write = |n: usize| if plain && len == n { at } else { SLOW };
            assert_eq!(FAST.write::<1>(a), expect_write(1), "{a:?}");
            assert_eq!(FAST.write::<4>(a), expect_write(4), "{a:?}");
            assert_eq!(FAST.write::<8>(a), expect_write(8), "{a:?}");
        }
        assert_eq!(FAST.place(ATTR_MARK), MARK);
        assert_eq!(
            FAST.value(ATTR_MARK),
            ValueFast {
                at: MARK,
                len: 4,
                set: FastSet::Store4,
                also: SLOW,
            }
        );
        assert_eq!(FAST.copy_of_bit(ATTR_MARK as u32), (MARK, CopyWidth::W4));
        for a in ATTRS.iter().map(|d| d.attr) {
            let n = a as usize;
            let (word, mask) = FAST.bit(a);
            assert_eq!((word.at(), mask), (n / 32 * 4, 1 << (n % 32)), "{a:?}");
        }
        assert_eq!(
            FAST.copy_of_bit(ATTR_ORIG_IPV6_SRC as u32).1,
            CopyWidth::W16
        );
        assert_eq!(FAST.copy_of_bit(ATTR_SECCTX as u32).1, CopyWidth::Owned);
        assert_eq!(FAST.value(ATTR_ORIG_IPV6_SRC).set, FastSet::Store16);
        assert_eq!(FAST.value(ATTR_ORIG_COUNTER_BYTES).set, FastSet::Mark);
        assert_eq!(FAST.value(ATTR_ICMP_ID).set, FastSet::Mirror2);
        assert_eq!(FAST.value(ATTR_ICMP_ID).also, REPL + T_L4SRC);
        assert_eq!(FAST.value(ATTR_ICMP_CODE).set, FastSet::Mirror1);
        assert_eq!(FAST.value(ATTR_ICMP_TYPE).set, FastSet::General);
        assert_eq!(FAST.value(ATTR_HELPER_NAME).set, FastSet::General);
        assert_eq!(FAST.value(ATTR_SECCTX).set, FastSet::Mark);
        assert_eq!(FAST.value(ATTR_TIMESTAMP_EVENT).set, FastSet::General);
        assert_eq!(FAST.value(ATTR_CONNLABELS).len, 0);
        assert_eq!(FAST.value(ATTR_CONNLABELS).set, FastSet::Labels);
        assert_eq!(FAST.value(ATTR_CONNLABELS_MASK).set, FastSet::Labels);
        assert_eq!(FAST.place(ATTR_HELPER_NAME), HELPER_NAME);
        assert_eq!(FAST.place(ATTR_SECCTX), SLOW);
        assert_eq!(FAST.write::<4>(ATTR_MARK), MARK);
        assert_eq!(FAST.write::<1>(ATTR_ICMP_TYPE), SLOW);
        assert_eq!(FAST.read::<4>(ATTR_ORIG_L4PROTO), SLOW);
    }

    #[test]
    fn tuple_attributes_live_in_the_head() {
        for a in [
            ATTR_ORIG_IPV4_SRC,
            ATTR_ORIG_IPV6_DST,
            ATTR_ORIG_PORT_SRC,
            ATTR_ORIG_PORT_DST,
            ATTR_ICMP_TYPE,
            ATTR_ICMP_CODE,
            ATTR_ICMP_ID,
            ATTR_ORIG_L3PROTO,
            ATTR_ORIG_L4PROTO,
            ATTR_ORIG_ZONE,
        ] {
            let (at, len) = a.desc().slot.fixed().unwrap();
            assert!(at + len <= TUPLE_LEN, "{a:?}");
        }
    }
}
