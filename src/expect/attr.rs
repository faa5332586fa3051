//! The expectation attribute table: one row per `ATTR_EXP_*`, saying where
//! its value lives, how wide it is and whether `nfexp_cmp` compares it.
//! `set`, `get`, the typed getters and `cmp` all walk this table.

use super::layout::*;

/// `enum nf_expect_attr`: every attribute of an expectation object.
///
/// The values are the C API's.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum nf_expect_attr {
    /// The master conntrack's tuple (a `struct nf_conntrack *`).
    ATTR_EXP_MASTER = 0,
    /// The expected tuple (a `struct nf_conntrack *`).
    ATTR_EXP_EXPECTED = 1,
    /// The mask of the expected tuple (a `struct nf_conntrack *`).
    ATTR_EXP_MASK = 2,
    /// Timeout in seconds (`u32`).
    ATTR_EXP_TIMEOUT = 3,
    /// Zone (`u16`).
    ATTR_EXP_ZONE = 4,
    /// Flags (`u32`).
    ATTR_EXP_FLAGS = 5,
    /// Helper name (string, 16 bytes with its NUL).
    ATTR_EXP_HELPER_NAME = 6,
    /// Class (`u32`).
    ATTR_EXP_CLASS = 7,
    /// The NAT tuple (a `struct nf_conntrack *`).
    ATTR_EXP_NAT_TUPLE = 8,
    /// NAT direction (stored as `u32`).
    ATTR_EXP_NAT_DIR = 9,
    /// Expectation function name (string, 24 bytes with its NUL).
    ATTR_EXP_FN = 10,
    /// Number of attributes.
    ATTR_EXP_MAX = 11,
}

/// Short name used throughout the crate.
pub use nf_expect_attr as ExpAttr;
use nf_expect_attr::*;

/// Number of real attributes (`ATTR_EXP_MAX`).
pub(crate) const EXP_ATTR_COUNT: usize = ATTR_EXP_MAX as usize;

impl ExpAttr {
    /// The attribute with C value `v`, if there is one.
    pub fn from_raw(v: u32) -> Option<ExpAttr> {
        EXP_ATTRS.get(v as usize).map(|d| d.attr)
    }

    /// This attribute's row of the table.
    #[inline]
    pub fn desc(self) -> &'static ExpAttrDesc {
        // `ATTR_EXP_MAX` names no attribute and no `ExpAttr` of this crate
        // holds it: it reads the last row rather than panicking.
        EXP_ATTRS
            .get(self as usize)
            .unwrap_or(&EXP_ATTRS[EXP_ATTR_COUNT - 1])
    }
}

/// Where an expectation attribute's value is stored, and how wide it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpSlot {
    /// A tuple head, by index (`MASTER`, `EXPECTED`, `MASK`, `NAT`).
    Tuple(u8),
    /// A host-order integer of `len` bytes at offset `at` of the scalars,
    /// in a slot of [`INT_SLOT`] bytes whose bytes past the value stay zero.
    Int {
        /// Offset in the scalar storage.
        at: u8,
        /// Width in bytes.
        len: u8,
    },
    /// A NUL-terminated string in a buffer of `cap` bytes at offset `at`.
    Str {
        /// Offset in the scalar storage.
        at: u8,
        /// Buffer size, including the terminating NUL.
        cap: u8,
    },
}

impl ExpSlot {
    /// Offset and size in the scalar storage, for integers (their whole
    /// slot) and strings.
    pub const fn scalar(self) -> Option<(usize, usize)> {
        match self {
            ExpSlot::Int { at, .. } => Some((at as usize, INT_SLOT)),
            ExpSlot::Str { at, cap } => Some((at as usize, cap as usize)),
            ExpSlot::Tuple(_) => None,
        }
    }
}

/// One row of the expectation attribute table.
#[derive(Clone, Copy, Debug)]
pub struct ExpAttrDesc {
    /// The attribute this row describes (its index in [`EXP_ATTRS`]).
    pub attr: ExpAttr,
    /// Where the value lives.
    pub slot: ExpSlot,
    /// Whether `nfexp_cmp` compares it. The timeout is deliberately left
    /// out: two expectations differing only in their timeout are the same.
    pub compared: bool,
}

const fn tuple(attr: ExpAttr, index: u8) -> ExpAttrDesc {
    ExpAttrDesc {
        attr,
        slot: ExpSlot::Tuple(index),
        compared: true,
    }
}

const fn int(attr: ExpAttr, at: u8, len: u8) -> ExpAttrDesc {
    ExpAttrDesc {
        attr,
        slot: ExpSlot::Int { at, len },
        compared: true,
    }
}

const fn string(attr: ExpAttr, at: u8, cap: u8) -> ExpAttrDesc {
    ExpAttrDesc {
        attr,
        slot: ExpSlot::Str { at, cap },
        compared: true,
    }
}

/// The attribute table, indexed by attribute number.
pub static EXP_ATTRS: [ExpAttrDesc; EXP_ATTR_COUNT] = [
    tuple(ATTR_EXP_MASTER, MASTER),
    tuple(ATTR_EXP_EXPECTED, EXPECTED),
    tuple(ATTR_EXP_MASK, MASK),
    ExpAttrDesc {
        compared: false,
        ..int(ATTR_EXP_TIMEOUT, TIMEOUT, 4)
    },
    int(ATTR_EXP_ZONE, ZONE, 2),
    int(ATTR_EXP_FLAGS, FLAGS, 4),
    string(ATTR_EXP_HELPER_NAME, HELPER_NAME, HELPER_NAME_CAP),
    int(ATTR_EXP_CLASS, CLASS, 4),
    tuple(ATTR_EXP_NAT_TUPLE, NAT),
    int(ATTR_EXP_NAT_DIR, NAT_DIR, 4),
    string(ATTR_EXP_FN, EXPECTFN, EXPECTFN_CAP),
];

/// Where the hot accessors find an expectation attribute without decoding
/// its row: which attributes each fast path takes (bit `n` for attribute
/// `n`), and where each lives. Derived from [`EXP_ATTRS`] at compile time.
///
/// The places hold an in-range value for every attribute (0 where the kind
/// does not apply, and one entry for `ATTR_EXP_MAX`), so that indexing the
/// storage with them needs no bounds check: the bits decide.
pub struct ExpFast {
    /// Where a scalar attribute's value starts in the scalar storage.
    pub(crate) at: [u8; EXP_ATTR_COUNT + 1],
    /// Which tuple head holds a tuple attribute.
    pub(crate) head: [u8; EXP_ATTR_COUNT + 1],
    /// The scalar attributes: integers and strings. The first bytes of an
    /// integer's slot or of a string's buffer (at least [`INT_SLOT`] bytes
    /// either way) are what a typed getter returns.
    scalars: u32,
    /// For typed setters of 1, 2 and 4 bytes (index 0, 1, 2): the integers
    /// at least that wide, whose slot takes the value zero-extended. (A zone set from a
    /// `u32` is cut: not a plain store.)
    ints: [u32; 3],
    /// The tuple attributes.
    tuples: u32,
}

/// The fast paths of the attribute table.
pub const FAST: ExpFast = ExpFast::of(&EXP_ATTRS);

impl ExpFast {
    const fn of(table: &[ExpAttrDesc; EXP_ATTR_COUNT]) -> ExpFast {
        let mut fast = ExpFast {
            scalars: 0,
            ints: [0; 3],
            tuples: 0,
            at: [0; EXP_ATTR_COUNT + 1],
            head: [0; EXP_ATTR_COUNT + 1],
        };
        let mut i = 0;
        while i < EXP_ATTR_COUNT {
            let bit = 1 << i;
            match table[i].slot {
                ExpSlot::Tuple(t) => {
                    fast.tuples |= bit;
                    fast.head[i] = t;
                }
                ExpSlot::Str { at, .. } => {
                    fast.scalars |= bit;
                    fast.at[i] = at;
                }
                ExpSlot::Int { at, len } => {
                    fast.scalars |= bit;
                    fast.at[i] = at;
                    let mut w = 0;
                    while w < 3 {
                        if 1 << w <= len {
                            fast.ints[w] |= bit;
                        }
                        w += 1;
                    }
                }
            }
            i += 1;
        }
        fast
    }

    /// The scalar attributes, whose first `N` bytes a typed getter reads
    /// (none when `N` is wider than an integer's slot).
    #[inline(always)]
    pub const fn readable<const N: usize>(&self) -> u32 {
        if N <= INT_SLOT {
            self.scalars
        } else {
            0
        }
    }

    /// The integers that an `N`-byte typed setter stores plainly.
    #[inline(always)]
    pub const fn writable<const N: usize>(&self) -> u32 {
        match N {
            1 | 2 | 4 => self.ints[N.trailing_zeros() as usize],
            _ => 0,
        }
    }

    /// The tuple attributes.
    #[inline(always)]
    pub const fn tuples(&self) -> u32 {
        self.tuples
    }

    /// Where scalar attribute `a`'s value starts in the scalar storage.
    #[inline(always)]
    pub fn at(&self, a: ExpAttr) -> usize {
        AT[a as usize].into()
    }

    /// Which tuple head holds tuple attribute `a`.
    #[inline(always)]
    pub fn head(&self, a: ExpAttr) -> usize {
        HEAD[a as usize].into()
    }
}

// The places again, each an array of its own: loading from one, the
// compiler knows every value it may get (all in range) and drops the bounds
// checks of the storage it indexes.
const AT: [u8; EXP_ATTR_COUNT + 1] = FAST.at;
const HEAD: [u8; EXP_ATTR_COUNT + 1] = FAST.head;

/// Bit `a` of a set of attributes.
#[inline(always)]
pub const fn bit(a: ExpAttr) -> u32 {
    1 << (a as u32 % u32::BITS)
}

/// The bits of the attributes that `nfexp_cmp` compares.
pub const COMPARED: u32 = {
    let mut bits = 0;
    let mut i = 0;
    while i < EXP_ATTR_COUNT {
        if EXP_ATTRS[i].compared {
            bits |= 1 << i;
        }
        i += 1;
    }
    bits
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_attribute_number() {
        for (i, d) in EXP_ATTRS.iter().enumerate() {
            assert_eq!(d.attr as usize, i, "row {i} holds {:?}", d.attr);
            assert_eq!(ExpAttr::from_raw(i as u32), Some(d.attr));
        }
        assert_eq!(ExpAttr::from_raw(EXP_ATTR_COUNT as u32), None);
        assert_eq!(ExpAttr::from_raw(u32::MAX), None);
        assert_eq!(ExpAttr::from_raw(-1i32 as u32), None);
    }

    #[test]
    fn scalar_slots_fit_without_overlapping() {
        let mut used = [None::<ExpAttr>; SCALARS_LEN];
        for d in &EXP_ATTRS {
            let Some((at, len)) = d.slot.scalar() else {
                continue;
            };
            assert!(at + len <= SCALARS_LEN, "{:?} overflows", d.attr);
            for (i, u) in used[at..at + len].iter_mut().enumerate() {
                assert_eq!(*u, None, "{:?} overlaps {u:?} at byte {}", d.attr, at + i);
                *u = Some(d.attr);
            }
        }
    }

    #[test]
    fn every_tuple_has_its_own_head() {
        let mut seen = [false; TUPLE_COUNT];
        for d in &EXP_ATTRS {
            if let ExpSlot::Tuple(i) = d.slot {
                assert!(!seen[i as usize], "{:?} shares a head", d.attr);
                seen[i as usize] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn only_the_timeout_is_not_compared() {
        for d in &EXP_ATTRS {
            assert_eq!(d.compared, d.attr != ATTR_EXP_TIMEOUT, "{:?}", d.attr);
            assert_eq!(COMPARED & bit(d.attr) != 0, d.compared);
        }
        assert_eq!(COMPARED >> EXP_ATTR_COUNT, 0);
    }

    #[test]
    fn fast_paths_follow_the_table() {
        let has = |set: u32, a: ExpAttr| set & bit(a) != 0;
        for d in &EXP_ATTRS {
            let a = d.attr;
            match d.slot {
                ExpSlot::Tuple(t) => {
                    assert!(has(FAST.tuples(), a) && !has(FAST.readable::<1>(), a));
                    assert_eq!(FAST.head(a), usize::from(t));
                }
                ExpSlot::Int { at, .. } | ExpSlot::Str { at, .. } => {
                    assert!(!has(FAST.tuples(), a) && has(FAST.readable::<4>(), a));
                    assert_eq!(FAST.at(a), usize::from(at));
                }
            }
            assert!(!has(FAST.readable::<8>(), a));
            let writable = |n: u8| matches!(d.slot, ExpSlot::Int { len, .. } if n <= len);
            assert_eq!(has(FAST.writable::<1>(), a), writable(1), "{a:?}");
            assert_eq!(has(FAST.writable::<2>(), a), writable(2), "{a:?}");
            assert_eq!(has(FAST.writable::<4>(), a), writable(4), "{a:?}");
            assert!(!has(FAST.writable::<8>(), a));
        }
        assert!(!has(FAST.writable::<4>(), ATTR_EXP_ZONE));
        assert!(has(FAST.writable::<2>(), ATTR_EXP_ZONE));
        for set in [FAST.readable::<1>(), FAST.writable::<1>(), FAST.tuples()] {
            assert_eq!(set >> EXP_ATTR_COUNT, 0);
        }
    }

    #[test]
    fn integers_and_strings_leave_room_for_a_slot() {
        for d in &EXP_ATTRS {
            match d.slot {
                ExpSlot::Int { at, len } => {
                    assert!(usize::from(len) <= INT_SLOT, "{:?}", d.attr);
                    assert_eq!(usize::from(at) % INT_SLOT, 0, "{:?}", d.attr);
                }
                ExpSlot::Str { cap, .. } => assert!(usize::from(cap) >= INT_SLOT),
                ExpSlot::Tuple(_) => {}
            }
        }
    }
}
