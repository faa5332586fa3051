//! Byte layout of a conntrack object's storage.
//!
//! The object's first 52 bytes are laid out as the reference's
//! `struct nfct_tuple_head`: the original tuple (40 bytes), then the
//! set-bitmap (12 bytes, bit `n` for attribute `n`). That prefix, the "tuple
//! head", is what an expectation embeds for each of its tuples and hands out
//! as a `struct nf_conntrack *`, and what `nfexp_set_attr` copies byte for
//! byte from the conntrack it is given. The 4 bytes after it say what the
//! memory is: zero in a whole object, [`HEAD_MARK`] in a head inside an
//! expectation (which holds nothing past them). The other values follow.
//!
//! Offsets are chosen so that every integer sits at its natural alignment in
//! the object (see the table test), and so that values that the reference
//! library keeps in a C union share storage here too: an IPv4 address is the
//! first four bytes of the IPv6 one, the ICMP id is the source port, ICMP
//! type and code are the destination port, and the TCP, SCTP and DCCP
//! protocol information overlap.

/// Offset of the set-bitmap (three 32-bit words).
pub const SET: usize = 40;
/// Offset of the kind word: 0 in a whole object, [`HEAD_MARK`] in a head
/// (any other value counts as a head too).
pub const KIND: usize = 52;
/// What the kind word of a tuple head inside an expectation holds.
pub const HEAD_MARK: u32 = u32::from_ne_bytes(*b"HEAD");
/// Size of a tuple head: the tuple, the bitmap and the kind word.
pub const HEAD_LEN: usize = 56;

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
/// The length of the helper information as building and copying see it:
/// the reference keeps it apart from the data (`helper_info_len`), and only
/// parsing a kernel message sets it. (In the 4 bytes the 64-bit values'
/// alignment leaves free after the head; a head has no such field.)
pub const HELPER_INFO_LEN: u16 = 56;
/// Reply-direction tuple (after the head and 4 bytes that keep the 64-bit
/// values aligned).
pub const REPL: u16 = 60;
/// Master conntrack's tuple.
pub const MASTER: u16 = 100;

/// Timeout in seconds.
pub const TIMEOUT: u16 = 140;
/// Mark.
pub const MARK: u16 = 144;
/// Security mark.
pub const SECMARK: u16 = 148;
/// Status bits (`IPS_*`).
pub const STATUS: u16 = 152;
/// Use count.
pub const USE: u16 = 156;
/// Conntrack id.
pub const ID: u16 = 160;
/// Zone.
pub const ZONE: u16 = 164;
/// Helper name buffer.
pub const HELPER_NAME: u16 = 166;
/// Helper name buffer size (`NFCT_HELPER_NAME_MAX`).
pub const HELPER_NAME_CAP: u8 = 16;

// Protocol information: TCP, SCTP and DCCP share these 16 bytes.
/// TCP state.
pub const TCP_STATE: u16 = 184;
/// TCP flags, original direction.
pub const TCP_FLAGS_ORIG: u16 = 185;
/// TCP flag mask, original direction.
pub const TCP_MASK_ORIG: u16 = 186;
/// TCP flags, reply direction.
pub const TCP_FLAGS_REPL: u16 = 187;
/// TCP flag mask, reply direction.
pub const TCP_MASK_REPL: u16 = 188;
/// TCP window scale, original direction.
pub const TCP_WSCALE_ORIG: u16 = 189;
/// TCP window scale, reply direction.
pub const TCP_WSCALE_REPL: u16 = 190;
/// SCTP state.
pub const SCTP_STATE: u16 = 184;
/// SCTP verification tag, original direction.
pub const SCTP_VTAG_ORIG: u16 = 188;
/// SCTP verification tag, reply direction.
pub const SCTP_VTAG_REPL: u16 = 192;
/// DCCP state.
pub const DCCP_STATE: u16 = 184;
/// DCCP role.
pub const DCCP_ROLE: u16 = 185;
/// DCCP handshake sequence.
pub const DCCP_HANDSHAKE_SEQ: u16 = 192;

/// Packet counter, original direction.
pub const ORIG_PACKETS: u16 = 200;
/// Byte counter, original direction.
pub const ORIG_BYTES: u16 = 208;
/// Packet counter, reply direction.
pub const REPL_PACKETS: u16 = 216;
/// Byte counter, reply direction.
pub const REPL_BYTES: u16 = 224;

/// Source NAT address (IPv4 in the first 4 bytes).
pub const SNAT_ADDR: u16 = 232;
/// Destination NAT address.
pub const DNAT_ADDR: u16 = 248;
/// Source NAT port.
pub const SNAT_PORT: u16 = 264;
/// Destination NAT port.
pub const DNAT_PORT: u16 = 266;

/// Sequence adjustment, original direction: correction position.
pub const ORIG_SEQ_POS: u16 = 268;
/// Sequence adjustment, original direction: offset before.
pub const ORIG_SEQ_BEFORE: u16 = 272;
/// Sequence adjustment, original direction: offset after.
pub const ORIG_SEQ_AFTER: u16 = 276;
/// Sequence adjustment, reply direction: correction position.
pub const REPL_SEQ_POS: u16 = 280;
/// Sequence adjustment, reply direction: offset before.
pub const REPL_SEQ_BEFORE: u16 = 284;
/// Sequence adjustment, reply direction: offset after.
pub const REPL_SEQ_AFTER: u16 = 288;

/// SYN proxy initial sequence number.
pub const SYNPROXY_ISN: u16 = 292;
/// SYN proxy initial timestamp.
pub const SYNPROXY_ITS: u16 = 296;
/// SYN proxy timestamp offset.
pub const SYNPROXY_TSOFF: u16 = 300;

/// Start timestamp (ns).
pub const TIMESTAMP_START: u16 = 304;
/// Stop timestamp (ns).
pub const TIMESTAMP_STOP: u16 = 312;
/// Event timestamp (ns).
pub const TIMESTAMP_EVENT: u16 = 320;

/// Size of the storage: the head, then the values up to the last one.
pub const STORAGE_LEN: usize = 328;

/// The `N` bytes at offset `at` of storage `s`; zeros when they are not all
/// inside it (a head's storage holds the tuple only).
#[inline(always)]
pub fn load<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    s.get(at..)
        .and_then(|s| s.first_chunk::<N>())
        .copied()
        .unwrap_or([0; N])
}

/// The first `M` bytes of `src`, followed by zeros when it is shorter: a
/// value cut or zero-extended to `M` bytes.
#[inline(always)]
pub fn zero_extended<const M: usize>(src: &[u8]) -> [u8; M] {
    let mut out = [0u8; M];
    let n = src.len().min(M);
    if let (Some(d), Some(s)) = (out.get_mut(..n), src.get(..n)) {
        d.copy_from_slice(s);
    }
    out
}
