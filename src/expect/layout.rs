//! Byte layout of an expectation's scalar storage.
//!
//! An expectation is four tuple heads followed by the scalar storage (the
//! integers, then the two strings) and a set-bitmap. Integers come first so
//! that each sits at its natural alignment in the object, since C callers
//! dereference the pointer `nfexp_get_attr` returns as the natural type
//! (see the table test).
//!
//! Every integer has a 4-byte slot, the zone too: its two bytes are
//! followed by two that stay zero, as the padding after the reference's
//! `uint16_t zone` does. So a typed getter or setter of any width is one
//! 4-byte load or store, and reading the zone as a `u32` gives the zone.

/// Index of the master conntrack's tuple.
pub const MASTER: u8 = 0;
/// Index of the expected tuple.
pub const EXPECTED: u8 = 1;
/// Index of the mask tuple.
pub const MASK: u8 = 2;
/// Index of the NAT tuple.
pub const NAT: u8 = 3;
/// Number of tuples an expectation holds.
pub const TUPLE_COUNT: usize = 4;

/// Size of an integer's slot: its value, zero-extended.
pub const INT_SLOT: usize = 4;
/// Timeout in seconds (`u32`).
pub const TIMEOUT: u8 = 0;
/// Flags (`NF_CT_EXPECT_*`, `u32`).
pub const FLAGS: u8 = 4;
/// Class (`u32`).
pub const CLASS: u8 = 8;
/// NAT direction (`u32`, although the header calls it "u8 bits").
pub const NAT_DIR: u8 = 12;
/// Zone (`u16`, in a slot of [`INT_SLOT`] bytes).
pub const ZONE: u8 = 16;
/// Helper name buffer.
pub const HELPER_NAME: u8 = 20;
/// Helper name buffer size (`NFCT_HELPER_NAME_MAX`), with its NUL.
pub const HELPER_NAME_CAP: u8 = 16;
/// Expectation function name buffer.
pub const EXPECTFN: u8 = 36;
/// Expectation function name buffer size, with its NUL.
pub const EXPECTFN_CAP: u8 = 24;
/// Size of the scalar storage.
pub const SCALARS_LEN: usize = 60;
