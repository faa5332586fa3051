//! Netlink to object: one pass over a ctnetlink message's attributes,
//! straight from the receive buffer into the conntrack, without allocating
//! (except for the rare labels, helper data and security context).
//!
//! Unknown attributes are skipped, as newer kernels may send more. A known
//! attribute of the wrong size, or a malformed attribute stream, fails the
//! parse with [`Malformed`]; whatever was parsed before stays set.

use super::attr::Attr::{self, *};
use super::layout::*;
use super::object::{Conntrack, Head, Labels};
use super::tuple::{TupleDesc, MASTER_TUPLE, ORIG_TUPLE, REPL_TUPLE};
use crate::bitmask::{Bitmask, BitmaskError};
use crate::ctnetlink::{
    counters, cta, dccp, help, ip, proto, protoinfo, sctp, secctx, seqadj, synproxy, tcp,
    timestamp, tuple,
};
use crate::ffi::bitmask_pool::BitmaskBox;
pub use crate::netlink::attr::Malformed;
use crate::netlink::attr::{nla_header, Attr as Nla, Attrs, NLA_F_NESTED, NLA_TYPE_MASK};

type Result<T = ()> = std::result::Result<T, Malformed>;

/// Where parsed values go: a whole conntrack, or a tuple head of an
/// expectation (which holds one original tuple).
pub trait Store {
    /// Stores `bytes` (already validated to the attribute's width) at fixed
    /// offset `at` and marks `a` set.
    fn put(&mut self, a: Attr, at: u16, bytes: &[u8]);
}

impl Store for Conntrack {
    #[inline]
    fn put(&mut self, a: Attr, at: u16, bytes: &[u8]) {
        self.store(at, bytes);
        self.mark(a);
    }
}

impl Store for Head {
    #[inline]
    fn put(&mut self, a: Attr, at: u16, bytes: &[u8]) {
        Head::put(self, a, at, bytes);
    }
}

/// Stores `bytes` (already validated to the attribute's width) and marks `a`.
#[inline]
fn put<S: Store>(ct: &mut S, a: Attr, at: u16, bytes: &[u8]) {
    ct.put(a, at, bytes);
}

#[inline(always)]
fn parse_ip<S: Store>(ct: &mut S, t: &TupleDesc, nest: &Nla<'_>) -> Result {
    for a in nest.nested() {
        let a = a?;
        match a.ty {
            ip::V4_SRC => put(ct, t.ipv4[0], t.base + T_SRC, &a.fixed::<4>()?),
            ip::V4_DST => put(ct, t.ipv4[1], t.base + T_DST, &a.fixed::<4>()?),
            ip::V6_SRC => put(ct, t.ipv6[0], t.base + T_SRC, &a.fixed::<16>()?),
            ip::V6_DST => put(ct, t.ipv6[1], t.base + T_DST, &a.fixed::<16>()?),
            _ => {}
        }
    }
    Ok(())
}

#[inline(always)]
fn parse_proto<S: Store>(ct: &mut S, t: &TupleDesc, nest: &Nla<'_>) -> Result {
    for a in nest.nested() {
        let a = a?;
        match a.ty {
            proto::NUM => put(ct, t.l4, t.base + T_L4, &a.fixed::<1>()?),
            proto::SRC_PORT => put(ct, t.ports[0], t.base + T_L4SRC, &a.fixed::<2>()?),
            proto::DST_PORT => put(ct, t.ports[1], t.base + T_L4DST, &a.fixed::<2>()?),
            proto::ICMP_TYPE | proto::ICMPV6_TYPE => {
                put(ct, ATTR_ICMP_TYPE, t.base + T_ICMP_TYPE, &a.fixed::<1>()?)
            }
            proto::ICMP_CODE | proto::ICMPV6_CODE => {
                put(ct, ATTR_ICMP_CODE, t.base + T_ICMP_CODE, &a.fixed::<1>()?)
            }
            proto::ICMP_ID | proto::ICMPV6_ID => {
                put(ct, ATTR_ICMP_ID, t.base + T_L4SRC, &a.fixed::<2>()?)
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses a tuple nest into tuple `t`, whose family is `l3num`.
#[inline(always)]
pub fn parse_tuple(ct: &mut Conntrack, t: &TupleDesc, nest: &Nla<'_>, l3num: u8) -> Result {
    put(ct, t.l3, t.base + T_L3, &[l3num]);
    parse_tuple_fields(ct, t, nest)
}

/// Parses a tuple nest's addresses, protocol and zone into tuple `t` of `ct`
/// (a conntrack, or a tuple head of an expectation), leaving its layer-3
/// protocol alone.
#[inline(always)]
pub fn parse_tuple_fields<S: Store>(ct: &mut S, t: &TupleDesc, nest: &Nla<'_>) -> Result {
    let rest = parse_usual_tuple(ct, t, nest.payload)
        .and_then(|n| nest.payload.get(n..))
        .unwrap_or(nest.payload);
    for a in Attrs::new(rest) {
        let a = a?;
        match a.ty {
            tuple::IP => parse_ip(ct, t, &a)?,
            tuple::PROTO => parse_proto(ct, t, &a)?,
            tuple::ZONE => {
                let zone = a.be16()?;
                if let Some(z) = t.zone {
                    put(ct, z, t.base + T_ZONE, &zone.to_ne_bytes());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The address and protocol nests of a tuple in the layout the kernel
/// writes for a protocol with ports (two addresses, then the protocol
/// number and both ports, nothing else), parsed by matching the headers
/// against that layout instead of walking the attributes one by one.
/// `Some(bytes consumed)` when it matched, having stored exactly what the
/// general walk would store; `None` (nothing stored) otherwise.
#[inline(always)]
fn parse_usual_tuple<S: Store>(ct: &mut S, t: &TupleDesc, payload: &[u8]) -> Option<usize> {
    // The first header: length, then type (its flags left out).
    let [l0, l1, t0, t1] = *payload.first_chunk::<4>()?;
    let ty = u16::from_ne_bytes([t0, t1]) & NLA_TYPE_MASK;
    match (u16::from_ne_bytes([l0, l1]), ty) {
        (20, tuple::IP) => parse_usual::<S, 4>(ct, t, payload, [ip::V4_SRC, ip::V4_DST], t.ipv4),
        (44, tuple::IP) => parse_usual::<S, 16>(ct, t, payload, [ip::V6_SRC, ip::V6_DST], t.ipv6),
        _ => None,
    }
}

/// [`parse_usual_tuple`] for addresses of `A` bytes, of attribute types
/// `types`, stored as `attrs`.
#[inline(always)]
fn parse_usual<S: Store, const A: usize>(
    ct: &mut S,
    t: &TupleDesc,
    payload: &[u8],
    types: [u16; 2],
    attrs: [Attr; 2],
) -> Option<usize> {
    // Headers: source address at 4, destination at 8 + A, protocol nest
    // at P, its number at P + 4, ports at P + 12 and P + 20.
    let hdr = |len: usize, ty: u16| u32::from_ne_bytes(nla_header(len as u16, ty));
    let p = 12 + 2 * A;
    let layout = [
        (4, hdr(4 + A, types[0])),
        (8 + A, hdr(4 + A, types[1])),
        (p, hdr(28, tuple::PROTO)),
        (p + 4, hdr(5, proto::NUM)),
        (p + 12, hdr(6, proto::SRC_PORT)),
        (p + 20, hdr(6, proto::DST_PORT)),
    ];
    // Compared as words, the NLA_F_NESTED bit left out.
    let nested = u32::from_ne_bytes(nla_header(0, NLA_F_NESTED));
    for (at, want) in layout {
        let word = u32::from_ne_bytes(*payload.get(at..)?.first_chunk::<4>()?);
        if word & !nested != want {
            return None;
        }
    }
    let fixed = |at: usize| -> Option<&[u8]> { payload.get(at..) };
    let src: [u8; A] = *fixed(8)?.first_chunk()?;
    let dst: [u8; A] = *fixed(12 + A)?.first_chunk()?;
    let num: [u8; 1] = *fixed(p + 8)?.first_chunk()?;
    let sport: [u8; 2] = *fixed(p + 16)?.first_chunk()?;
    let dport: [u8; 2] = *fixed(p + 24)?.first_chunk()?;
    let end = p + 28;
    if payload.len() < end {
        return None;
    }
    put(ct, attrs[0], t.base + T_SRC, &src);
    put(ct, attrs[1], t.base + T_DST, &dst);
    put(ct, t.l4, t.base + T_L4, &num);
    put(ct, t.ports[0], t.base + T_L4SRC, &sport);
    put(ct, t.ports[1], t.base + T_L4DST, &dport);
    Some(end)
}

fn parse_protoinfo(ct: &mut Conntrack, nest: &Nla<'_>) -> Result {
    for p in nest.nested() {
        let p = p?;
        for a in p.nested() {
            let a = a?;
            match (p.ty, a.ty) {
                (protoinfo::TCP, tcp::STATE) => {
                    put(ct, ATTR_TCP_STATE, TCP_STATE, &a.fixed::<1>()?)
                }
                (protoinfo::TCP, tcp::WSCALE_ORIGINAL) => {
                    put(ct, ATTR_TCP_WSCALE_ORIG, TCP_WSCALE_ORIG, &a.fixed::<1>()?)
                }
                (protoinfo::TCP, tcp::WSCALE_REPLY) => {
                    put(ct, ATTR_TCP_WSCALE_REPL, TCP_WSCALE_REPL, &a.fixed::<1>()?)
                }
                (protoinfo::TCP, tcp::FLAGS_ORIGINAL) => {
                    put(ct, ATTR_TCP_FLAGS_ORIG, TCP_FLAGS_ORIG, &a.fixed::<2>()?);
                    ct.mark(ATTR_TCP_MASK_ORIG);
                }
                (protoinfo::TCP, tcp::FLAGS_REPLY) => {
                    put(ct, ATTR_TCP_FLAGS_REPL, TCP_FLAGS_REPL, &a.fixed::<2>()?);
                    ct.mark(ATTR_TCP_MASK_REPL);
                }
                (protoinfo::SCTP, sctp::STATE) => {
                    put(ct, ATTR_SCTP_STATE, SCTP_STATE, &a.fixed::<1>()?)
                }
                (protoinfo::SCTP, sctp::VTAG_ORIGINAL) => put(
                    ct,
                    ATTR_SCTP_VTAG_ORIG,
                    SCTP_VTAG_ORIG,
                    &a.be32()?.to_ne_bytes(),
                ),
                (protoinfo::SCTP, sctp::VTAG_REPLY) => put(
                    ct,
                    ATTR_SCTP_VTAG_REPL,
                    SCTP_VTAG_REPL,
                    &a.be32()?.to_ne_bytes(),
                ),
                (protoinfo::DCCP, dccp::STATE) => {
                    put(ct, ATTR_DCCP_STATE, DCCP_STATE, &a.fixed::<1>()?)
                }
                (protoinfo::DCCP, dccp::ROLE) => {
                    put(ct, ATTR_DCCP_ROLE, DCCP_ROLE, &a.fixed::<1>()?)
                }
                (protoinfo::DCCP, dccp::HANDSHAKE_SEQ) => put(
                    ct,
                    ATTR_DCCP_HANDSHAKE_SEQ,
                    DCCP_HANDSHAKE_SEQ,
                    &a.be64()?.to_ne_bytes(),
                ),
                _ => {}
            }
        }
    }
    Ok(())
}

fn parse_counters(ct: &mut Conntrack, nest: &Nla<'_>, attrs: [Attr; 2], at: [u16; 2]) -> Result {
    // 64-bit counters win over the old 32-bit ones, whatever their order.
    let mut wide = [false; 2];
    for a in nest.nested() {
        let a = a?;
        let (i, value, is_wide) = match a.ty {
            counters::PACKETS => (0, a.be64()?, true),
            counters::BYTES => (1, a.be64()?, true),
            counters::PACKETS32 => (0, u64::from(a.be32()?), false),
            counters::BYTES32 => (1, u64::from(a.be32()?), false),
            _ => continue,
        };
        if is_wide || !wide[i] {
            put(ct, attrs[i], at[i], &value.to_ne_bytes());
            wide[i] |= is_wide;
        }
    }
    Ok(())
}

fn parse_u32_nest(ct: &mut Conntrack, nest: &Nla<'_>, fields: [(u16, Attr, u16); 3]) -> Result {
    for a in nest.nested() {
        let a = a?;
        if let Some(&(_, attr, at)) = fields.iter().find(|f| f.0 == a.ty) {
            put(ct, attr, at, &a.be32()?.to_ne_bytes());
        }
    }
    Ok(())
}

fn parse_helper(ct: &mut Conntrack, nest: &Nla<'_>) -> Result {
    let (mut name, mut info) = (None, None);
    for a in nest.nested() {
        let a = a?;
        match a.ty {
            help::NAME if a.payload.is_empty() => return Err(Malformed),
            help::NAME => name = Some(a.payload),
            help::INFO => info = Some(a.payload),
            _ => {}
        }
    }
    // Helper data only counts next to a helper name.
    if let Some(name) = name {
        let _ = ct.set_bytes(ATTR_HELPER_NAME, name);
        if let Some(info) = info {
            ct.set_helper_info(info);
        }
    }
    Ok(())
}

fn parse_secctx(ct: &mut Conntrack, nest: &Nla<'_>) -> Result {
    for a in nest.nested() {
        let a = a?;
        if a.ty == secctx::NAME {
            if a.payload.is_empty() {
                return Err(Malformed);
            }
            // The name is a C string; without a NUL it ends with the payload.
            ct.set_secctx(a.payload);
        }
    }
    Ok(())
}

/// Labels: a bitmask of their own, out of line (rare, and the pool's code
/// has no place in the loop over a message's attributes).
#[inline(never)]
fn parse_labels(ct: &mut Conntrack, a: &Nla<'_>) -> Result {
    let bytes = a.payload;
    if bytes.is_empty() {
        return Ok(());
    }
    let maxbit = u32::try_from(bytes.len() * 8 - 1).map_err(|_| Malformed)?;
    // Without memory for the bitmask the attribute is left out, as an
    // allocation failure leaves it out in the reference.
    let mut labels = match Bitmask::new(maxbit) {
        Ok(b) => b,
        Err(BitmaskError::TooLarge) => return Err(Malformed),
        Err(BitmaskError::OutOfMemory) => return Ok(()),
    };
    labels.fill_from_bytes(bytes);
    if let Ok(b) = BitmaskBox::new(labels) {
        let _ = ct.set_labels(ATTR_CONNLABELS, Labels::owned(b));
    }
    Ok(())
}

/// Parses the attributes of a conntrack message (`nfct_payload_parse`):
/// `payload` follows the `nfgenmsg`, whose family is `l3num`.
pub fn parse_payload(ct: &mut Conntrack, payload: &[u8], l3num: u8) -> Result {
    for a in Attrs::new(payload) {
        let a = a?;
        match a.ty {
            cta::TUPLE_ORIG => parse_tuple(ct, &ORIG_TUPLE, &a, l3num)?,
            cta::TUPLE_REPLY => parse_tuple(ct, &REPL_TUPLE, &a, l3num)?,
            cta::TUPLE_MASTER => parse_tuple(ct, &MASTER_TUPLE, &a, l3num)?,
            cta::SEQ_ADJ_ORIG => parse_u32_nest(
                ct,
                &a,
                [
                    (
                        seqadj::CORRECTION_POS,
                        ATTR_ORIG_NAT_SEQ_CORRECTION_POS,
                        ORIG_SEQ_POS,
                    ),
                    (
                        seqadj::OFFSET_BEFORE,
                        ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE,
                        ORIG_SEQ_BEFORE,
                    ),
                    (
                        seqadj::OFFSET_AFTER,
                        ATTR_ORIG_NAT_SEQ_OFFSET_AFTER,
                        ORIG_SEQ_AFTER,
                    ),
                ],
            )?,
            cta::SEQ_ADJ_REPLY => parse_u32_nest(
                ct,
                &a,
                [
                    (
                        seqadj::CORRECTION_POS,
                        ATTR_REPL_NAT_SEQ_CORRECTION_POS,
                        REPL_SEQ_POS,
                    ),
                    (
                        seqadj::OFFSET_BEFORE,
                        ATTR_REPL_NAT_SEQ_OFFSET_BEFORE,
                        REPL_SEQ_BEFORE,
                    ),
                    (
                        seqadj::OFFSET_AFTER,
                        ATTR_REPL_NAT_SEQ_OFFSET_AFTER,
                        REPL_SEQ_AFTER,
                    ),
                ],
            )?,
            cta::STATUS => put(ct, ATTR_STATUS, STATUS, &a.be32()?.to_ne_bytes()),
            cta::PROTOINFO => parse_protoinfo(ct, &a)?,
            cta::TIMEOUT => put(ct, ATTR_TIMEOUT, TIMEOUT, &a.be32()?.to_ne_bytes()),
            cta::MARK => put(ct, ATTR_MARK, MARK, &a.be32()?.to_ne_bytes()),
            cta::SECMARK => put(ct, ATTR_SECMARK, SECMARK, &a.be32()?.to_ne_bytes()),
            cta::COUNTERS_ORIG => parse_counters(
                ct,
                &a,
                [ATTR_ORIG_COUNTER_PACKETS, ATTR_ORIG_COUNTER_BYTES],
                [ORIG_PACKETS, ORIG_BYTES],
            )?,
            cta::COUNTERS_REPLY => parse_counters(
                ct,
                &a,
                [ATTR_REPL_COUNTER_PACKETS, ATTR_REPL_COUNTER_BYTES],
                [REPL_PACKETS, REPL_BYTES],
            )?,
            cta::USE => put(ct, ATTR_USE, USE, &a.be32()?.to_ne_bytes()),
            cta::ID => put(ct, ATTR_ID, ID, &a.be32()?.to_ne_bytes()),
            cta::HELP => parse_helper(ct, &a)?,
            cta::ZONE => put(ct, ATTR_ZONE, ZONE, &a.be16()?.to_ne_bytes()),
            cta::SECCTX => parse_secctx(ct, &a)?,
            cta::TIMESTAMP => {
                for t in a.nested() {
                    let t = t?;
                    match t.ty {
                        timestamp::START => put(
                            ct,
                            ATTR_TIMESTAMP_START,
                            TIMESTAMP_START,
                            &t.be64()?.to_ne_bytes(),
                        ),
                        timestamp::STOP => put(
                            ct,
                            ATTR_TIMESTAMP_STOP,
                            TIMESTAMP_STOP,
                            &t.be64()?.to_ne_bytes(),
                        ),
                        _ => {}
                    }
                }
            }
            cta::LABELS => parse_labels(ct, &a)?,
            cta::SYNPROXY => parse_u32_nest(
                ct,
                &a,
                [
                    (synproxy::ISN, ATTR_SYNPROXY_ISN, SYNPROXY_ISN),
                    (synproxy::ITS, ATTR_SYNPROXY_ITS, SYNPROXY_ITS),
                    (synproxy::TSOFF, ATTR_SYNPROXY_TSOFF, SYNPROXY_TSOFF),
                ],
            )?,
            cta::TIMESTAMP_EVENT => put(
                ct,
                ATTR_TIMESTAMP_EVENT,
                TIMESTAMP_EVENT,
                &a.be64()?.to_ne_bytes(),
            ),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::build;
    use crate::conntrack::compare;
    use crate::netlink::attr::AttrWriter;
    use crate::netlink::frame::PutAttr;

    fn sample() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, 2);
        ct.set_u8(ATTR_REPL_L3PROTO, 2);
        ct.set_u8(ATTR_ORIG_L4PROTO, 6);
        ct.set_u8(ATTR_REPL_L4PROTO, 6);
        ct.set_bytes(ATTR_ORIG_IPV4_SRC, &[127, 0, 0, 1]).unwrap();
        ct.set_bytes(ATTR_ORIG_IPV4_DST, &[127, 0, 0, 2]).unwrap();
        ct.set_bytes(ATTR_REPL_IPV4_SRC, &[127, 0, 0, 2]).unwrap();
        ct.set_bytes(ATTR_REPL_IPV4_DST, &[127, 0, 0, 1]).unwrap();
        ct.set_u16(ATTR_ORIG_PORT_SRC, 1000u16.to_be());
        ct.set_u16(ATTR_ORIG_PORT_DST, 80u16.to_be());
        ct.set_u16(ATTR_REPL_PORT_SRC, 80u16.to_be());
        ct.set_u16(ATTR_REPL_PORT_DST, 1000u16.to_be());
        ct.set_u8(ATTR_TCP_STATE, 3);
        ct.set_u32(ATTR_TIMEOUT, 100);
        ct.set_u32(ATTR_MARK, 42);
        ct.set_u16(ATTR_ZONE, 7);
        ct.set_u16(ATTR_ORIG_ZONE, 7);
        ct.set_u32(ATTR_STATUS, 0x8 | 0x2);
        ct.set_bytes(ATTR_HELPER_NAME, b"ftp").unwrap();
        ct
    }

    #[test]
    fn build_then_parse_round_trips() {
        let ct = sample();
        let mut buf = Vec::new();
        build(&mut AttrWriter::new(&mut buf), ct.view()).unwrap();
        let mut back = Conntrack::new();
        parse_payload(&mut back, &buf, 2).unwrap();
        assert!(compare::cmp(ct.view(), back.view(), compare::NFCT_CMP_ALL));
        assert_eq!(back.view().helper_name().unwrap().to_bytes(), b"ftp");
        assert_eq!(back.view().u16(ATTR_ORIG_ZONE), 7);
        assert_eq!(back.view().u32(ATTR_MARK), 42);
    }

    /// An original tuple nest: addresses of `a` bytes, in the kernel's
    /// order or (`swapped`) destination first, then the protocol nest and
    /// maybe a zone.
    fn tuple_message(a: usize, swapped: bool, zone: bool) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut w = AttrWriter::new(&mut buf);
        let t = w.nest_start(cta::TUPLE_ORIG);
        let ip = w.nest_start(tuple::IP);
        let (src, dst) = if a == 4 {
            (ip::V4_SRC, ip::V4_DST)
        } else {
            (ip::V6_SRC, ip::V6_DST)
        };
        let order = if swapped { [dst, src] } else { [src, dst] };
        for ty in order {
            w.put(ty, &vec![ty as u8 + 1; a]);
        }
        w.nest_end(ip);
        let p = w.nest_start(tuple::PROTO);
        w.put_u8(proto::NUM, 6);
        w.put_array(proto::SRC_PORT, [0x12, 0x34]);
        w.put_array(proto::DST_PORT, [0x56, 0x78]);
        w.nest_end(p);
        if zone {
            w.put_be16(tuple::ZONE, 9);
        }
        w.nest_end(t);
        buf
    }

    /// The layout the kernel writes is matched as a whole; any other takes
    /// the attribute walk: both store the same.
    #[test]
    fn the_usual_tuple_layout_parses_as_the_walk_does() {
        for a in [4, 16] {
            for zone in [false, true] {
                let (mut usual, mut walked) = (Conntrack::new(), Conntrack::new());
                let family = if a == 4 { 2 } else { 10 };
                parse_payload(&mut usual, &tuple_message(a, false, zone), family).unwrap();
                parse_payload(&mut walked, &tuple_message(a, true, zone), family).unwrap();
                assert_eq!(usual.view().fixed(), walked.view().fixed(), "{a} {zone}");
                assert_eq!(usual.view().bits(), walked.view().bits());
                assert_eq!(
                    usual.view().u16(ATTR_ORIG_PORT_DST),
                    u16::from_ne_bytes([0x56, 0x78])
                );
                assert_eq!(usual.view().is_set(ATTR_ORIG_ZONE), zone);
            }
        }
    }

    /// A port of the wrong size behind headers that otherwise look usual is
    /// still malformed.
    #[test]
    fn a_tuple_that_only_looks_usual_is_walked() {
        let mut buf = tuple_message(4, false, false);
        // The source port's length (6) at: tuple 4 + IP nest 20 + protocol
        // nest header 4 + number 8.
        assert_eq!(buf[36], 6);
        buf[36] = 7;
        let mut ct = Conntrack::new();
        assert_eq!(parse_payload(&mut ct, &buf, 2), Err(Malformed));
    }

    #[test]
    fn truncation_is_an_error_never_a_panic() {
        let ct = sample();
        let mut buf = Vec::new();
        build(&mut AttrWriter::new(&mut buf), ct.view()).unwrap();
        for cut in 0..buf.len() {
            let mut back = Conntrack::new();
            let _ = parse_payload(&mut back, &buf[..cut], 2);
        }
        // A lying length inside a nest is reported.
        let mut bad = buf.clone();
        bad[4] = 0xff; // first nested attribute's length
        let mut back = Conntrack::new();
        assert_eq!(parse_payload(&mut back, &bad, 2), Err(Malformed));
    }

    #[test]
    fn wrong_sizes_are_malformed() {
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(cta::MARK, &[1, 2]);
        let mut ct = Conntrack::new();
        assert_eq!(parse_payload(&mut ct, &buf, 2), Err(Malformed));
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(99, &[1, 2]);
        assert_eq!(parse_payload(&mut ct, &buf, 2), Ok(()));
    }

    #[test]
    fn labels_keep_their_bytes() {
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(
            cta::LABELS,
            &[1, 0, 0, 0, 0, 0, 0, 0x80, 2, 0, 0, 0, 0, 0, 0, 0],
        );
        let mut ct = Conntrack::new();
        parse_payload(&mut ct, &buf, 2).unwrap();
        let l = ct.view().labels(ATTR_CONNLABELS).unwrap();
        assert_eq!(l.maxbit(), 127);
        assert!(l.test(0) && l.test(63) && l.test(65));
    }
}
