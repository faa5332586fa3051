//! Message and attribute numbers of the kernel's ctnetlink interface
//! (`<linux/netfilter/nfnetlink_conntrack.h>`), as the wire uses them.

#![allow(missing_docs)]

/// Netfilter subsystem of conntrack entries.
pub const NFNL_SUBSYS_CTNETLINK: u8 = 1;
/// Netfilter subsystem of expectations.
pub const NFNL_SUBSYS_CTNETLINK_EXP: u8 = 2;

/// Message types (low byte of `nlmsg_type`) of both subsystems.
pub mod msg {
    pub const CT_NEW: u8 = 0;
    pub const CT_GET: u8 = 1;
    pub const CT_DELETE: u8 = 2;
    pub const CT_GET_CTRZERO: u8 = 3;
    pub const CT_GET_STATS_CPU: u8 = 4;
    pub const CT_GET_STATS: u8 = 5;
    pub const CT_GET_DYING: u8 = 6;
    pub const CT_GET_UNCONFIRMED: u8 = 7;
    /// Number of conntrack message types (`IPCTNL_MSG_MAX`).
    pub const CT_MAX: u8 = 8;
    pub const EXP_NEW: u8 = 0;
    pub const EXP_GET: u8 = 1;
    pub const EXP_DELETE: u8 = 2;
    pub const EXP_GET_STATS_CPU: u8 = 3;
    /// Number of expectation message types (`IPCTNL_MSG_EXP_MAX`).
    pub const EXP_MAX: u8 = 4;
}

/// Multicast groups of events (numbers for `NETLINK_ADD_MEMBERSHIP`; group
/// `n` is bit `n - 1` of the mask given to `bind()`).
pub mod group {
    pub const CONNTRACK_NEW: u32 = 1;
    pub const CONNTRACK_UPDATE: u32 = 2;
    pub const CONNTRACK_DESTROY: u32 = 3;
    pub const EXP_NEW: u32 = 4;
    pub const EXP_UPDATE: u32 = 5;
    pub const EXP_DESTROY: u32 = 6;
}

/// Top-level conntrack attributes (`enum ctattr_type`).
pub mod cta {
    pub const TUPLE_ORIG: u16 = 1;
    pub const TUPLE_REPLY: u16 = 2;
    pub const STATUS: u16 = 3;
    pub const PROTOINFO: u16 = 4;
    pub const HELP: u16 = 5;
    pub const NAT_SRC: u16 = 6;
    pub const TIMEOUT: u16 = 7;
    pub const MARK: u16 = 8;
    pub const COUNTERS_ORIG: u16 = 9;
    pub const COUNTERS_REPLY: u16 = 10;
    pub const USE: u16 = 11;
    pub const ID: u16 = 12;
    pub const NAT_DST: u16 = 13;
    pub const TUPLE_MASTER: u16 = 14;
    pub const SEQ_ADJ_ORIG: u16 = 15;
    pub const SEQ_ADJ_REPLY: u16 = 16;
    pub const SECMARK: u16 = 17;
    pub const ZONE: u16 = 18;
    pub const SECCTX: u16 = 19;
    pub const TIMESTAMP: u16 = 20;
    pub const MARK_MASK: u16 = 21;
    pub const LABELS: u16 = 22;
    pub const LABELS_MASK: u16 = 23;
    pub const SYNPROXY: u16 = 24;
    pub const FILTER: u16 = 25;
    pub const STATUS_MASK: u16 = 26;
    pub const TIMESTAMP_EVENT: u16 = 27;
}

/// Inside a tuple nest (`enum ctattr_tuple`).
pub mod tuple {
    pub const IP: u16 = 1;
    pub const PROTO: u16 = 2;
    pub const ZONE: u16 = 3;
}

/// Inside `CTA_TUPLE_IP` (`enum ctattr_ip`).
pub mod ip {
    pub const V4_SRC: u16 = 1;
    pub const V4_DST: u16 = 2;
    pub const V6_SRC: u16 = 3;
    pub const V6_DST: u16 = 4;
}

/// Inside `CTA_TUPLE_PROTO` (`enum ctattr_l4proto`).
pub mod proto {
    pub const NUM: u16 = 1;
    pub const SRC_PORT: u16 = 2;
    pub const DST_PORT: u16 = 3;
    pub const ICMP_ID: u16 = 4;
    pub const ICMP_TYPE: u16 = 5;
    pub const ICMP_CODE: u16 = 6;
    pub const ICMPV6_ID: u16 = 7;
    pub const ICMPV6_TYPE: u16 = 8;
    pub const ICMPV6_CODE: u16 = 9;
}

/// Inside `CTA_PROTOINFO` (`enum ctattr_protoinfo`).
pub mod protoinfo {
    pub const TCP: u16 = 1;
    pub const DCCP: u16 = 2;
    pub const SCTP: u16 = 3;
}

/// Inside `CTA_PROTOINFO_TCP`.
pub mod tcp {
    pub const STATE: u16 = 1;
    pub const WSCALE_ORIGINAL: u16 = 2;
    pub const WSCALE_REPLY: u16 = 3;
    pub const FLAGS_ORIGINAL: u16 = 4;
    pub const FLAGS_REPLY: u16 = 5;
}

/// Inside `CTA_PROTOINFO_DCCP`.
pub mod dccp {
    pub const STATE: u16 = 1;
    pub const ROLE: u16 = 2;
    pub const HANDSHAKE_SEQ: u16 = 3;
}

/// Inside `CTA_PROTOINFO_SCTP`.
pub mod sctp {
    pub const STATE: u16 = 1;
    pub const VTAG_ORIGINAL: u16 = 2;
    pub const VTAG_REPLY: u16 = 3;
}

/// Inside `CTA_COUNTERS_*`.
pub mod counters {
    pub const PACKETS: u16 = 1;
    pub const BYTES: u16 = 2;
    pub const PACKETS32: u16 = 3;
    pub const BYTES32: u16 = 4;
}

/// Inside `CTA_TIMESTAMP`.
pub mod timestamp {
    pub const START: u16 = 1;
    pub const STOP: u16 = 2;
}

/// Inside `CTA_NAT_SRC` / `CTA_NAT_DST`.
pub mod nat {
    pub const V4_MINIP: u16 = 1;
    pub const V4_MAXIP: u16 = 2;
    pub const PROTO: u16 = 3;
    pub const V6_MINIP: u16 = 4;
    pub const V6_MAXIP: u16 = 5;
}

/// Inside `CTA_NAT_PROTO`.
pub mod protonat {
    pub const PORT_MIN: u16 = 1;
    pub const PORT_MAX: u16 = 2;
}

/// Inside `CTA_SEQ_ADJ_*`.
pub mod seqadj {
    pub const CORRECTION_POS: u16 = 1;
    pub const OFFSET_BEFORE: u16 = 2;
    pub const OFFSET_AFTER: u16 = 3;
}

/// Inside `CTA_SYNPROXY`.
pub mod synproxy {
    pub const ISN: u16 = 1;
    pub const ITS: u16 = 2;
    pub const TSOFF: u16 = 3;
}

/// Inside `CTA_HELP`.
pub mod help {
    pub const NAME: u16 = 1;
    pub const INFO: u16 = 2;
}

/// Inside `CTA_SECCTX`.
pub mod secctx {
    pub const NAME: u16 = 1;
}

/// Inside `CTA_FILTER`.
pub mod filter {
    pub const ORIG_FLAGS: u16 = 1;
    pub const REPLY_FLAGS: u16 = 2;

    pub const IP_SRC: u32 = 1 << 0;
    pub const IP_DST: u32 = 1 << 1;
    pub const TUPLE_ZONE: u32 = 1 << 2;
    pub const PROTO_NUM: u32 = 1 << 3;
    pub const PROTO_SRC_PORT: u32 = 1 << 4;
    pub const PROTO_DST_PORT: u32 = 1 << 5;
    pub const PROTO_ICMP_TYPE: u32 = 1 << 6;
    pub const PROTO_ICMP_CODE: u32 = 1 << 7;
    pub const PROTO_ICMP_ID: u32 = 1 << 8;
    pub const PROTO_ICMPV6_TYPE: u32 = 1 << 9;
    pub const PROTO_ICMPV6_CODE: u32 = 1 << 10;
    pub const PROTO_ICMPV6_ID: u32 = 1 << 11;
}

/// Top-level expectation attributes (`enum ctattr_expect`).
pub mod exp {
    pub const MASTER: u16 = 1;
    pub const TUPLE: u16 = 2;
    pub const MASK: u16 = 3;
    pub const TIMEOUT: u16 = 4;
    pub const ID: u16 = 5;
    pub const HELP_NAME: u16 = 6;
    pub const ZONE: u16 = 7;
    pub const FLAGS: u16 = 8;
    pub const CLASS: u16 = 9;
    pub const NAT: u16 = 10;
    pub const FN: u16 = 11;
}

/// Inside `CTA_EXPECT_NAT`.
pub mod exp_nat {
    pub const DIR: u16 = 1;
    pub const TUPLE: u16 = 2;
}

/// Layer-4 protocol numbers the library treats specially (libc's
/// `IPPROTO_*`, as the one byte the wire and the objects hold).
pub mod ipproto {
    pub const ICMP: u8 = libc::IPPROTO_ICMP as u8;
    pub const TCP: u8 = libc::IPPROTO_TCP as u8;
    pub const UDP: u8 = libc::IPPROTO_UDP as u8;
    pub const DCCP: u8 = libc::IPPROTO_DCCP as u8;
    pub const GRE: u8 = libc::IPPROTO_GRE as u8;
    pub const ICMPV6: u8 = libc::IPPROTO_ICMPV6 as u8;
    pub const SCTP: u8 = libc::IPPROTO_SCTP as u8;
    pub const UDPLITE: u8 = libc::IPPROTO_UDPLITE as u8;
}

/// Status bits of an entry (`enum ip_conntrack_status`, `IPS_*`) that the
/// library reads or sets.
pub mod status {
    /// The entry has seen traffic in both directions.
    pub const IPS_SEEN_REPLY: u32 = 1 << 1;
    /// The entry will not be dropped early.
    pub const IPS_ASSURED: u32 = 1 << 2;
    /// The entry is in the table; the kernel requires it on created entries.
    pub const IPS_CONFIRMED: u32 = 1 << 3;
    /// Source NAT was set up.
    pub const IPS_SRC_NAT_DONE: u32 = 1 << 7;
    /// Destination NAT was set up.
    pub const IPS_DST_NAT_DONE: u32 = 1 << 8;
    /// The entry is offloaded to the flow table.
    pub const IPS_OFFLOAD: u32 = 1 << 14;
    /// The entry is offloaded to hardware.
    pub const IPS_HW_OFFLOAD: u32 = 1 << 15;
}
