//! Byte layout of a conntrack object's fixed storage.
//!
//! The object is `set` (the bitmap, 12 bytes) followed by the fixed storage,
//! whose first [`TUPLE_LEN`] bytes are the original tuple. That prefix, the
//! "tuple head", is what an expectation embeds for each of its tuples and
//! hands out as a `struct nf_conntrack *`.
//!
//! Offsets are chosen so that every integer sits at its natural alignment in
//! the object (see the table test), and so that values that the reference
//! library keeps in a C union share storage here too: an IPv4 address is the
//! first four bytes of the IPv6 one, the ICMP id is the source port, ICMP
//! type and code are the destination port, and the TCP, SCTP and DCCP
//! protocol information overlap.

/// Offset of the fixed storage in the object (after the 12-byte bitmap).
pub const FIXED_OFFSET: usize = 12;

// A tuple: addresses, protocol numbers, zone, layer-4 identifiers.
/// Source address (IPv4 in the first 4 bytes).
pub const T_SRC: u16 = 0;
/// Destination address.
pub const T_DST: u16 = 16;
/// Layer-3 protocol number (address family).
pub const T_L3: u16 = 32;
/// Layer-4 protocol number.
pub const T_L4: u16 = 33;
/// Zone of this direction.
pub const T_ZONE: u16 = 34;
/// Source port, or ICMP id.
pub const T_L4SRC: u16 = 36;
/// Destination port.
pub const T_L4DST: u16 = 38;
/// ICMP type (first byte of the destination port).
pub const T_ICMP_TYPE: u16 = 38;
/// ICMP code (second byte of the destination port).
pub const T_ICMP_CODE: u16 = 39;
/// Size of a tuple.
pub const TUPLE_LEN: usize = 40;

/// Original-direction tuple.
pub const ORIG: u16 = 0;
/// Reply-direction tuple.
pub const REPL: u16 = 40;
/// Master conntrack's tuple.
pub const MASTER: u16 = 80;

/// Timeout in seconds.
pub const TIMEOUT: u16 = 120;
/// Mark.
pub const MARK: u16 = 124;
/// Security mark.
pub const SECMARK: u16 = 128;
/// Status bits (`IPS_*`).
pub const STATUS: u16 = 132;
/// Use count.
pub const USE: u16 = 136;
/// Conntrack id.
pub const ID: u16 = 140;
/// Zone.
pub const ZONE: u16 = 144;
/// Helper name buffer.
pub const HELPER_NAME: u16 = 146;
/// Helper name buffer size (`NFCT_HELPER_NAME_MAX`).
pub const HELPER_NAME_CAP: u8 = 16;

// Protocol information: TCP, SCTP and DCCP share these 16 bytes.
/// TCP state.
pub const TCP_STATE: u16 = 164;
/// TCP flags, original direction.
pub const TCP_FLAGS_ORIG: u16 = 165;
/// TCP flag mask, original direction.
pub const TCP_MASK_ORIG: u16 = 166;
/// TCP flags, reply direction.
pub const TCP_FLAGS_REPL: u16 = 167;
/// TCP flag mask, reply direction.
pub const TCP_MASK_REPL: u16 = 168;
/// TCP window scale, original direction.
pub const TCP_WSCALE_ORIG: u16 = 169;
/// TCP window scale, reply direction.
pub const TCP_WSCALE_REPL: u16 = 170;
/// SCTP state.
pub const SCTP_STATE: u16 = 164;
/// SCTP verification tag, original direction.
pub const SCTP_VTAG_ORIG: u16 = 168;
/// SCTP verification tag, reply direction.
pub const SCTP_VTAG_REPL: u16 = 172;
/// DCCP state.
pub const DCCP_STATE: u16 = 164;
/// DCCP role.
pub const DCCP_ROLE: u16 = 165;
/// DCCP handshake sequence.
pub const DCCP_HANDSHAKE_SEQ: u16 = 172;

/// Packet counter, original direction.
pub const ORIG_PACKETS: u16 = 180;
/// Byte counter, original direction.
pub const ORIG_BYTES: u16 = 188;
/// Packet counter, reply direction.
pub const REPL_PACKETS: u16 = 196;
/// Byte counter, reply direction.
pub const REPL_BYTES: u16 = 204;

/// Source NAT address (IPv4 in the first 4 bytes).
pub const SNAT_ADDR: u16 = 212;
/// Destination NAT address.
pub const DNAT_ADDR: u16 = 228;
/// Source NAT port.
pub const SNAT_PORT: u16 = 244;
/// Destination NAT port.
pub const DNAT_PORT: u16 = 246;

/// Sequence adjustment, original direction: correction position.
pub const ORIG_SEQ_POS: u16 = 248;
/// Sequence adjustment, original direction: offset before.
pub const ORIG_SEQ_BEFORE: u16 = 252;
/// Sequence adjustment, original direction: offset after.
pub const ORIG_SEQ_AFTER: u16 = 256;
/// Sequence adjustment, reply direction: correction position.
pub const REPL_SEQ_POS: u16 = 260;
/// Sequence adjustment, reply direction: offset before.
pub const REPL_SEQ_BEFORE: u16 = 264;
/// Sequence adjustment, reply direction: offset after.
pub const REPL_SEQ_AFTER: u16 = 268;

/// SYN proxy initial sequence number.
pub const SYNPROXY_ISN: u16 = 272;
/// SYN proxy initial timestamp.
pub const SYNPROXY_ITS: u16 = 276;
/// SYN proxy timestamp offset.
pub const SYNPROXY_TSOFF: u16 = 280;

/// Start timestamp (ns).
pub const TIMESTAMP_START: u16 = 284;
/// Stop timestamp (ns).
pub const TIMESTAMP_STOP: u16 = 292;
/// Event timestamp (ns).
pub const TIMESTAMP_EVENT: u16 = 300;

/// Size of the fixed storage.
pub const FIXED_LEN: usize = 308;
