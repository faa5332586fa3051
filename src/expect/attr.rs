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
    /// A host-order integer of `len` bytes at offset `at` of the scalars.
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
    /// Offset and width in the scalar storage, for integers and strings.
    pub const fn scalar(self) -> Option<(usize, usize)> {
        match self {
            ExpSlot::Int { at, len } => Some((at as usize, len as usize)),
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
        }
    }
}
