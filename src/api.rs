//! The vocabulary of the C API that is not tied to one object: subsystems,
//! message types, queries, callback verdicts, output types and flags, event
//! and dump filter attributes, and the header's plain macros.
//!
//! The reference header declares several of these as anonymous enums; here
//! each gets a tag name (`nfct_subsystem`, `nfct_callback_verdict`, ...) so
//! that cbindgen can emit it. The enumerators keep their names and values.

#![allow(non_camel_case_types)]

/// Implements `from_raw(u32) -> Option<Self>` for a C enum, next to its plain
/// declaration (which cbindgen reads for the header): the variant whose value
/// is `v`, if it is one of those listed. Values come from the declaration;
/// the list names every variant once, as accepted or (after `except`, such
/// as a `..._MAX` count) refused, and a variant added to the enum but not to
/// the list fails to compile.
macro_rules! c_enum_from_raw {
    ($ty:ident { $($v:ident),+ $(,)? } $(except { $($x:ident),+ $(,)? })?) => {
        impl $ty {
            /// The variant with C value `v`, if there is one.
            pub fn from_raw(v: u32) -> Option<Self> {
                $(
                    if v == $ty::$v as u32 {
                        return Some($ty::$v);
                    }
                )+
                None
            }
        }

        // Every variant is listed above, accepted or not.
        const _: fn($ty) = |e| match e {
            $($ty::$v)|+ $($(| $ty::$x)+)? => {}
        };
    };
}
pub(crate) use c_enum_from_raw;

/// Netlink subsystems a handle can open (`CONNTRACK`, `EXPECT`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)] // the C API's names
pub enum nfct_subsystem {
    /// Conntrack entries (`NFNL_SUBSYS_CTNETLINK`).
    CONNTRACK = 1,
    /// Expectations (`NFNL_SUBSYS_CTNETLINK_EXP`).
    EXPECT = 2,
}

/// Subscribe to every conntrack event group (new, update, destroy).
pub const NFCT_ALL_CT_GROUPS: u32 = 7;

/// `enum nf_conntrack_msg_type`: what a message or event is.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_msg_type {
    /// Unknown.
    NFCT_T_UNKNOWN = 0,
    /// A new entry.
    NFCT_T_NEW = 1,
    /// An updated entry.
    NFCT_T_UPDATE = 2,
    /// A destroyed entry.
    NFCT_T_DESTROY = 4,
    /// Any of the above.
    NFCT_T_ALL = 7,
    /// An error.
    NFCT_T_ERROR = i32::MIN as isize,
}

/// Bit number of `NFCT_T_NEW`.
pub const NFCT_T_NEW_BIT: u32 = 0;
/// Bit number of `NFCT_T_UPDATE`.
pub const NFCT_T_UPDATE_BIT: u32 = 1;
/// Bit number of `NFCT_T_DESTROY`.
pub const NFCT_T_DESTROY_BIT: u32 = 2;
/// Bit number of `NFCT_T_ERROR`.
pub const NFCT_T_ERROR_BIT: u32 = 31;

/// What a callback tells the receive loop.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_callback_verdict {
    /// Failure: stop with an error.
    NFCT_CB_FAILURE = -1,
    /// Stop the query.
    NFCT_CB_STOP = 0,
    /// Keep going.
    NFCT_CB_CONTINUE = 1,
    /// Keep going; the callback keeps the object.
    NFCT_CB_STOLEN = 2,
}

/// `enum nf_conntrack_query`: what `nfct_query` and friends do.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_query {
    /// Create an entry.
    NFCT_Q_CREATE = 0,
    /// Update an entry.
    NFCT_Q_UPDATE = 1,
    /// Delete an entry.
    NFCT_Q_DESTROY = 2,
    /// Get one entry.
    NFCT_Q_GET = 3,
    /// Delete every entry of a family.
    NFCT_Q_FLUSH = 4,
    /// List every entry of a family.
    NFCT_Q_DUMP = 5,
    /// List and zero the counters.
    NFCT_Q_DUMP_RESET = 6,
    /// Create, or update if it exists.
    NFCT_Q_CREATE_UPDATE = 7,
    /// List the entries a dump filter selects.
    NFCT_Q_DUMP_FILTER = 8,
    /// List the entries a dump filter selects, zeroing their counters.
    NFCT_Q_DUMP_FILTER_RESET = 9,
    /// Delete the entries a filter selects.
    NFCT_Q_FLUSH_FILTER = 10,
}

c_enum_from_raw!(nf_conntrack_query {
    NFCT_Q_CREATE,
    NFCT_Q_UPDATE,
    NFCT_Q_DESTROY,
    NFCT_Q_GET,
    NFCT_Q_FLUSH,
    NFCT_Q_DUMP,
    NFCT_Q_DUMP_RESET,
    NFCT_Q_CREATE_UPDATE,
    NFCT_Q_DUMP_FILTER,
    NFCT_Q_DUMP_FILTER_RESET,
    NFCT_Q_FLUSH_FILTER,
});

/// Output formats of `nfct_snprintf` and `nfexp_snprintf`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_output_type {
    /// One line of text (`NFCT_O_DEFAULT`).
    NFCT_O_PLAIN = 0,
    /// XML.
    NFCT_O_XML = 1,
    /// Number of formats.
    NFCT_O_MAX = 2,
}

/// Alias of `NFCT_O_PLAIN`.
pub const NFCT_O_DEFAULT: u32 = 0;

/// Output flags of `nfct_snprintf`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_output_flags {
    /// Print the layer-3 protocol.
    NFCT_OF_SHOW_LAYER3 = 1 << 0,
    /// Print the time (XML: when it was printed).
    NFCT_OF_TIME = 1 << 1,
    /// Print the conntrack id.
    NFCT_OF_ID = 1 << 2,
    /// Print start and stop timestamps.
    NFCT_OF_TIMESTAMP = 1 << 3,
}

/// Bit number of `NFCT_OF_SHOW_LAYER3`.
pub const NFCT_OF_SHOW_LAYER3_BIT: u32 = 0;
/// Bit number of `NFCT_OF_TIME`.
pub const NFCT_OF_TIME_BIT: u32 = 1;
/// Bit number of `NFCT_OF_ID`.
pub const NFCT_OF_ID_BIT: u32 = 2;
/// Bit number of `NFCT_OF_TIMESTAMP`.
pub const NFCT_OF_TIMESTAMP_BIT: u32 = 3;

/// `enum nfct_filter_attr`: what an event filter matches on.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_attr {
    /// Layer-4 protocol (`uint32_t`).
    NFCT_FILTER_L4PROTO = 0,
    /// Layer-4 protocol state (`struct nfct_filter_proto`).
    NFCT_FILTER_L4PROTO_STATE = 1,
    /// IPv4 source (`struct nfct_filter_ipv4`).
    NFCT_FILTER_SRC_IPV4 = 2,
    /// IPv4 destination (`struct nfct_filter_ipv4`).
    NFCT_FILTER_DST_IPV4 = 3,
    /// IPv6 source (`struct nfct_filter_ipv6`).
    NFCT_FILTER_SRC_IPV6 = 4,
    /// IPv6 destination (`struct nfct_filter_ipv6`).
    NFCT_FILTER_DST_IPV6 = 5,
    /// Mark (`struct nfct_filter_dump_mark`).
    NFCT_FILTER_MARK = 6,
    /// Zone (`uint16_t`).
    NFCT_FILTER_ZONE = 7,
    /// Number of filter attributes.
    NFCT_FILTER_MAX = 8,
}

c_enum_from_raw!(nfct_filter_attr {
    NFCT_FILTER_L4PROTO,
    NFCT_FILTER_L4PROTO_STATE,
    NFCT_FILTER_SRC_IPV4,
    NFCT_FILTER_DST_IPV4,
    NFCT_FILTER_SRC_IPV6,
    NFCT_FILTER_DST_IPV6,
    NFCT_FILTER_MARK,
    NFCT_FILTER_ZONE,
} except {
    NFCT_FILTER_MAX
});

/// `struct nfct_filter_proto`: a protocol and one of its states.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_proto {
    /// Layer-4 protocol number.
    pub proto: u16,
    /// Protocol state.
    pub state: u16,
}

/// `struct nfct_filter_ipv4`: an IPv4 address and mask, host byte order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_ipv4 {
    /// Address.
    pub addr: u32,
    /// Mask.
    pub mask: u32,
}

/// `struct nfct_filter_ipv6`: an IPv6 address and mask.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_ipv6 {
    /// Address.
    pub addr: [u32; 4],
    /// Mask.
    pub mask: [u32; 4],
}

/// `enum nfct_filter_logic`: whether a filter attribute accepts or rejects.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_logic {
    /// Accept what matches.
    NFCT_FILTER_LOGIC_POSITIVE = 0,
    /// Reject what matches.
    NFCT_FILTER_LOGIC_NEGATIVE = 1,
    /// Number of logics.
    NFCT_FILTER_LOGIC_MAX = 2,
}

c_enum_from_raw!(nfct_filter_logic {
    NFCT_FILTER_LOGIC_POSITIVE,
    NFCT_FILTER_LOGIC_NEGATIVE,
} except {
    NFCT_FILTER_LOGIC_MAX
});

/// `struct nfct_filter_dump_mark`: a value and a mask.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nfct_filter_dump_mark {
    /// Value.
    pub val: u32,
    /// Mask.
    pub mask: u32,
}

/// `enum nfct_filter_dump_attr`: what a dump filter selects on.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_filter_dump_attr {
    /// Mark and mask (`struct nfct_filter_dump_mark`).
    NFCT_FILTER_DUMP_MARK = 0,
    /// Layer-3 family (`uint8_t`).
    NFCT_FILTER_DUMP_L3NUM = 1,
    /// Status and mask (`struct nfct_filter_dump_mark`).
    NFCT_FILTER_DUMP_STATUS = 2,
    /// Zone (`uint16_t`).
    NFCT_FILTER_DUMP_ZONE = 3,
    /// Tuple (`struct nf_conntrack *`).
    NFCT_FILTER_DUMP_TUPLE = 4,
    /// Number of dump filter attributes.
    NFCT_FILTER_DUMP_MAX = 5,
}

c_enum_from_raw!(nfct_filter_dump_attr {
    NFCT_FILTER_DUMP_MARK,
    NFCT_FILTER_DUMP_L3NUM,
    NFCT_FILTER_DUMP_STATUS,
    NFCT_FILTER_DUMP_ZONE,
    NFCT_FILTER_DUMP_TUPLE,
} except {
    NFCT_FILTER_DUMP_MAX
});

/// TCP flag: window scaling is advertised by the sender.
pub const IP_CT_TCP_FLAG_WINDOW_SCALE: u32 = 0x01;
/// TCP flag: SACK is permitted by the sender.
pub const IP_CT_TCP_FLAG_SACK_PERM: u32 = 0x02;
/// TCP flag: this sender sent FIN first.
pub const IP_CT_TCP_FLAG_CLOSE_INIT: u32 = 0x04;
/// TCP flag: be liberal in window checking.
pub const IP_CT_TCP_FLAG_BE_LIBERAL: u32 = 0x08;

/// Original direction (old API).
pub const NFCT_DIR_ORIGINAL: u32 = 0;
/// Reply direction (old API).
pub const NFCT_DIR_REPLY: u32 = 1;
/// Number of directions (old API).
pub const NFCT_DIR_MAX: u32 = 2;

/// Longest helper name, with its NUL.
pub const NFCT_HELPER_NAME_MAX: u32 = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_raw_takes_the_listed_variants_only() {
        for v in 0..=10 {
            assert_eq!(nf_conntrack_query::from_raw(v).map(|q| q as u32), Some(v));
        }
        assert_eq!(nf_conntrack_query::from_raw(11), None);
        for v in 0..8 {
            assert_eq!(nfct_filter_attr::from_raw(v).map(|a| a as u32), Some(v));
        }
        assert_eq!(nfct_filter_attr::from_raw(8), None);
        assert_eq!(
            nfct_filter_logic::from_raw(1),
            Some(nfct_filter_logic::NFCT_FILTER_LOGIC_NEGATIVE)
        );
        assert_eq!(nfct_filter_logic::from_raw(2), None);
        assert_eq!(
            nfct_filter_dump_attr::from_raw(4),
            Some(nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE)
        );
        for v in [5, u32::MAX] {
            assert_eq!(nfct_filter_dump_attr::from_raw(v), None);
        }
    }
}
