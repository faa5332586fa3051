//! Object to netlink: the ctnetlink attributes that describe a conntrack
//! (what `nfct_nlmsg_build` appends to a request).

use super::attr::Attr::{self, *};
use super::attr::AttrSet;
use super::layout::*;
use super::object::{CtRef, ObjError, AF_INET, AF_INET6};
use super::tuple::{TupleDesc, MASTER_TUPLE, ORIG_TUPLE, REPL_TUPLE};
use crate::ctnetlink::status::IPS_CONFIRMED;
use crate::ctnetlink::{
    cta, dccp, help, ip, ipproto, nat, proto, protoinfo, protonat, sctp, seqadj, synproxy, tcp,
    tuple,
};
use crate::netlink::attr::{AttrWriter, NLA_MAX_PAYLOAD};
use crate::netlink::frame::{Frame, PutAttr};

/// Why a conntrack cannot be built.
pub type BuildError = ObjError;

/// The largest helper information accepted and built: what fits, with the
/// longest helper name, in the `CTA_HELP` nest of a netlink message.
pub(crate) const MAX_HELPER_INFO: usize = NLA_MAX_PAYLOAD - 32;

#[inline(always)]
fn any_set(ct: CtRef<'_>, attrs: &[Attr]) -> bool {
    ct.set().intersects(AttrSet::of(attrs))
}

#[inline(always)]
fn all_set(ct: CtRef<'_>, attrs: &[Attr]) -> bool {
    ct.set().contains(AttrSet::of(attrs))
}

/// Appends the address and protocol nests of the tuple stored at `base`.
///
/// Fails (writing nothing) when the tuple's layer-3 protocol is neither
/// IPv4 nor IPv6.
pub fn put_tuple_body<W: PutAttr>(w: &mut W, ct: CtRef<'_>, base: u16) -> Result<(), BuildError> {
    let len = match ct.at::<1>(base + T_L3)[0] {
        AF_INET => 4,
        AF_INET6 => 16,
        _ => return Err(ObjError::Invalid),
    };
    let n = w.nest_start(tuple::IP);
    if len == 4 {
        w.put_array(ip::V4_SRC, ct.at::<4>(base + T_SRC));
        w.put_array(ip::V4_DST, ct.at::<4>(base + T_DST));
    } else {
        w.put_array(ip::V6_SRC, ct.at::<16>(base + T_SRC));
        w.put_array(ip::V6_DST, ct.at::<16>(base + T_DST));
    }
    w.nest_end(n);

    let l4 = ct.at::<1>(base + T_L4)[0];
    let n = w.nest_start(tuple::PROTO);
    w.put_u8(proto::NUM, l4);
    let icmp = |w: &mut W, types: [u16; 3]| {
        w.put_u8(types[0], ct.at::<1>(base + T_ICMP_CODE)[0]);
        w.put_u8(types[1], ct.at::<1>(base + T_ICMP_TYPE)[0]);
        w.put_array(types[2], ct.at::<2>(base + T_L4SRC));
    };
    match l4 {
        ipproto::UDP
        | ipproto::TCP
        | ipproto::SCTP
        | ipproto::DCCP
        | ipproto::GRE
        | ipproto::UDPLITE => {
            w.put_array(proto::SRC_PORT, ct.at::<2>(base + T_L4SRC));
            w.put_array(proto::DST_PORT, ct.at::<2>(base + T_L4DST));
        }
        ipproto::ICMP => icmp(w, [proto::ICMP_CODE, proto::ICMP_TYPE, proto::ICMP_ID]),
        ipproto::ICMPV6 => icmp(
            w,
            [proto::ICMPV6_CODE, proto::ICMPV6_TYPE, proto::ICMPV6_ID],
        ),
        _ => {}
    }
    w.nest_end(n);
    Ok(())
}

/// Appends tuple `t` as a nest of type `ty`, with its zone when set.
fn put_tuple<W: PutAttr>(
    w: &mut W,
    ct: CtRef<'_>,
    t: &TupleDesc,
    ty: u16,
) -> Result<(), BuildError> {
    let n = w.nest_start(ty);
    if let Err(e) = put_tuple_body(w, ct, t.base) {
        w.nest_cancel(n);
        return Err(e);
    }
    if let Some(zone) = t.zone.filter(|z| ct.is_set(*z)) {
        w.put_be16(tuple::ZONE, ct.u16(zone));
    }
    w.nest_end(n);
    Ok(())
}

/// Writes `CTA_PROTOINFO` holding a nest of type `ty` whose content `f`
/// writes.
#[inline(always)]
fn protoinfo_nest<W: PutAttr>(w: &mut W, ty: u16, f: impl FnOnce(&mut W)) {
    let outer = w.nest_start(cta::PROTOINFO);
    w.nested(ty, f);
    w.nest_end(outer);
}

fn put_protoinfo<W: PutAttr>(w: &mut W, ct: CtRef<'_>) {
    match ct.at::<1>(ORIG + T_L4)[0] {
        ipproto::TCP => {
            let attrs = [
                ATTR_TCP_STATE,
                ATTR_TCP_FLAGS_ORIG,
                ATTR_TCP_FLAGS_REPL,
                ATTR_TCP_MASK_ORIG,
                ATTR_TCP_MASK_REPL,
                ATTR_TCP_WSCALE_ORIG,
                ATTR_TCP_WSCALE_REPL,
            ];
            if !any_set(ct, &attrs) {
                return;
            }
            protoinfo_nest(w, protoinfo::TCP, |w| {
                if ct.is_set(ATTR_TCP_STATE) {
                    w.put_u8(tcp::STATE, ct.u8(ATTR_TCP_STATE));
                }
                // Flags and mask travel together as `struct nf_ct_tcp_flags`.
                if all_set(ct, &[ATTR_TCP_FLAGS_ORIG, ATTR_TCP_MASK_ORIG]) {
                    w.put_array(tcp::FLAGS_ORIGINAL, ct.at::<2>(TCP_FLAGS_ORIG));
                }
                if all_set(ct, &[ATTR_TCP_FLAGS_REPL, ATTR_TCP_MASK_REPL]) {
                    w.put_array(tcp::FLAGS_REPLY, ct.at::<2>(TCP_FLAGS_REPL));
                }
                if ct.is_set(ATTR_TCP_WSCALE_ORIG) {
                    w.put_u8(tcp::WSCALE_ORIGINAL, ct.u8(ATTR_TCP_WSCALE_ORIG));
                }
                if ct.is_set(ATTR_TCP_WSCALE_REPL) {
                    w.put_u8(tcp::WSCALE_REPLY, ct.u8(ATTR_TCP_WSCALE_REPL));
                }
            });
        }
        ipproto::SCTP => {
            if !any_set(
                ct,
                &[ATTR_SCTP_STATE, ATTR_SCTP_VTAG_ORIG, ATTR_SCTP_VTAG_REPL],
            ) {
                return;
            }
            protoinfo_nest(w, protoinfo::SCTP, |w| {
                if ct.is_set(ATTR_SCTP_STATE) {
                    w.put_u8(sctp::STATE, ct.u8(ATTR_SCTP_STATE));
                }
                if ct.is_set(ATTR_SCTP_VTAG_ORIG) {
                    w.put_be32(sctp::VTAG_ORIGINAL, ct.u32(ATTR_SCTP_VTAG_ORIG));
                }
                if ct.is_set(ATTR_SCTP_VTAG_REPL) {
                    w.put_be32(sctp::VTAG_REPLY, ct.u32(ATTR_SCTP_VTAG_REPL));
                }
            });
        }
        ipproto::DCCP => {
            if !any_set(
                ct,
                &[ATTR_DCCP_STATE, ATTR_DCCP_ROLE, ATTR_DCCP_HANDSHAKE_SEQ],
            ) {
                return;
            }
            protoinfo_nest(w, protoinfo::DCCP, |w| {
                if ct.is_set(ATTR_DCCP_STATE) {
                    w.put_u8(dccp::STATE, ct.u8(ATTR_DCCP_STATE));
                }
                if ct.is_set(ATTR_DCCP_ROLE) {
                    w.put_u8(dccp::ROLE, ct.u8(ATTR_DCCP_ROLE));
                }
                if ct.is_set(ATTR_DCCP_HANDSHAKE_SEQ) {
                    w.put_be64(dccp::HANDSHAKE_SEQ, ct.u64(ATTR_DCCP_HANDSHAKE_SEQ));
                }
            });
        }
        _ => {}
    }
}

/// One NAT direction: its nest type and attributes.
struct NatDesc {
    nest: u16,
    ipv4: Attr,
    ipv6: Attr,
    port: Attr,
    addr_at: u16,
    port_at: u16,
}

const SNAT: NatDesc = NatDesc {
    nest: cta::NAT_SRC,
    ipv4: ATTR_SNAT_IPV4,
    ipv6: ATTR_SNAT_IPV6,
    port: ATTR_SNAT_PORT,
    addr_at: SNAT_ADDR,
    port_at: SNAT_PORT,
};

const DNAT: NatDesc = NatDesc {
    nest: cta::NAT_DST,
    ipv4: ATTR_DNAT_IPV4,
    ipv6: ATTR_DNAT_IPV6,
    port: ATTR_DNAT_PORT,
    addr_at: DNAT_ADDR,
    port_at: DNAT_PORT,
};

fn put_nat<W: PutAttr>(w: &mut W, ct: CtRef<'_>, d: &NatDesc) {
    let family = if ct.is_set(d.ipv4) {
        Some(AF_INET)
    } else if ct.is_set(d.ipv6) {
        Some(AF_INET6)
    } else {
        None
    };
    let port = ct.is_set(d.port);
    if family.is_none() && !port {
        return;
    }
    let n = w.nest_start(d.nest);
    let addr = ct.at::<16>(d.addr_at);
    match family {
        Some(AF_INET) => w.put_array(nat::V4_MINIP, ct.at::<4>(d.addr_at)),
        Some(_) => w.put_array(nat::V6_MINIP, addr),
        None => {}
    }
    if port {
        let p = w.nest_start(nat::PROTO);
        if matches!(ct.at::<1>(ORIG + T_L4)[0], ipproto::TCP | ipproto::UDP) {
            let port = ct.at::<2>(d.port_at);
            w.put_array(protonat::PORT_MIN, port);
            w.put_array(protonat::PORT_MAX, port);
        }
        w.nest_end(p);
    }
    w.nest_end(n);
}

#[inline(always)]
fn put_seq_adj<W: PutAttr>(w: &mut W, ct: CtRef<'_>, ty: u16, attrs: [Attr; 3]) {
    if !all_set(ct, &attrs) {
        return;
    }
    w.nested(ty, |w| {
        w.put_be32(seqadj::CORRECTION_POS, ct.u32(attrs[0]));
        w.put_be32(seqadj::OFFSET_BEFORE, ct.u32(attrs[1]));
        w.put_be32(seqadj::OFFSET_AFTER, ct.u32(attrs[2]));
    });
}

fn put_u32_if<W: PutAttr>(w: &mut W, ct: CtRef<'_>, a: Attr, ty: u16) {
    if ct.is_set(a) {
        w.put_be32(ty, ct.u32(a));
    }
}

/// Appends the attributes of bounded size, from the tuples to the sequence
/// adjustments (see [`build`] for the errors).
#[inline(always)]
fn put_fixed_part<W: PutAttr>(w: &mut W, ct: CtRef<'_>) -> Result<(), BuildError> {
    let set = ct.set();
    for (t, ty) in [
        (&ORIG_TUPLE, cta::TUPLE_ORIG),
        (&REPL_TUPLE, cta::TUPLE_REPLY),
        (&MASTER_TUPLE, cta::TUPLE_MASTER),
    ] {
        if t.described_in(set) {
            let built = put_tuple(w, ct, t, ty);
            // The master tuple is optional: a bad one is left out.
            if t.base != MASTER {
                built?;
            }
        }
    }
    if ct.is_set(ATTR_STATUS) {
        w.put_be32(cta::STATUS, ct.u32(ATTR_STATUS) | IPS_CONFIRMED);
    }
    put_u32_if(w, ct, ATTR_TIMEOUT, cta::TIMEOUT);
    put_u32_if(w, ct, ATTR_MARK, cta::MARK);
    put_u32_if(w, ct, ATTR_SECMARK, cta::SECMARK);
    put_protoinfo(w, ct);
    put_nat(w, ct, &SNAT);
    put_nat(w, ct, &DNAT);
    put_seq_adj(
        w,
        ct,
        cta::SEQ_ADJ_ORIG,
        [
            ATTR_ORIG_NAT_SEQ_CORRECTION_POS,
            ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE,
            ATTR_ORIG_NAT_SEQ_OFFSET_AFTER,
        ],
    );
    put_seq_adj(
        w,
        ct,
        cta::SEQ_ADJ_REPLY,
        [
            ATTR_REPL_NAT_SEQ_CORRECTION_POS,
            ATTR_REPL_NAT_SEQ_OFFSET_BEFORE,
            ATTR_REPL_NAT_SEQ_OFFSET_AFTER,
        ],
    );
    Ok(())
}

/// The stack frame for what [`put_fixed_part`] writes. The usual entry
/// needs about 180 bytes (two IPv4 tuples, status, timeout, mark, TCP
/// protocol info), an IPv6 one about 230; the most it can take is 500
/// (three IPv6 tuples with ICMP ids and zones, both NAT nests, both
/// sequence adjustments...), and an entry that does not fit is written
/// with the message writer instead. (Zeroing a frame costs about one
/// instruction per 8 bytes.)
pub const FRAME_LEN: usize = 256;

/// Appends every attribute that describes `ct` (`nfct_nlmsg_build`).
///
/// Fails with `Invalid` when the original layer-3 protocol is not set
/// (nothing is written), or when the original or reply tuple has to be
/// built and its layer-3 protocol is neither IPv4 nor IPv6: building stops
/// there, and what was written before that tuple stays, as in the
/// reference (whose queries send such a cut request all the same).
pub fn build(w: &mut AttrWriter<'_>, ct: CtRef<'_>) -> Result<(), BuildError> {
    if !ct.set().has(ATTR_ORIG_L3PROTO) {
        return Err(ObjError::Invalid);
    }
    // The attributes of bounded size are assembled on the stack first.
    let mut frame = Frame::<FRAME_LEN>::default();
    let fixed = put_fixed_part(&mut frame, ct);
    if frame.overflowed() {
        put_fixed_part(w, ct)?;
    } else {
        w.put_raw(frame.bytes());
        fixed?;
    }
    if let Some(name) = ct.helper_name() {
        w.nested(cta::HELP, |w| {
            w.put_strz(help::NAME, name.to_bytes());
            // As the reference: whatever data is held, set or not, and as
            // many bytes as parsing said (never more than a message holds).
            if let Some(info) = ct.owned().and_then(|o| o.helper_info.as_deref()) {
                let len = ct.helper_info_len().min(MAX_HELPER_INFO);
                w.put_len(help::INFO, info, len);
            }
        });
    }
    put_zone(w, ct);
    if let Some(labels) = ct.labels(ATTR_CONNLABELS) {
        w.put_words(cta::LABELS, labels.words());
        if let Some(mask) = ct.labels(ATTR_CONNLABELS_MASK) {
            if mask.words().len() == labels.words().len() {
                w.put_words(cta::LABELS_MASK, mask.words());
            }
        }
    }
    put_synproxy(w, ct);
    Ok(())
}

/// [`build`] into a stack frame, for the usual entry: one without helper
/// or labels (the only attributes of unbounded size, which come between
/// the others) whose attributes fit. `None` when [`build`] has to run
/// instead (what the frame holds then counts for nothing).
#[inline]
pub fn build_in(frame: &mut Frame<FRAME_LEN>, ct: CtRef<'_>) -> Option<Result<(), BuildError>> {
    if ct.helper_name().is_some() || ct.labels(ATTR_CONNLABELS).is_some() {
        return None;
    }
    if !ct.set().has(ATTR_ORIG_L3PROTO) {
        return Some(Err(ObjError::Invalid));
    }
    let built = put_fixed_part(frame, ct).map(|()| {
        put_zone(frame, ct);
        put_synproxy(frame, ct);
    });
    (!frame.overflowed()).then_some(built)
}

#[inline(always)]
fn put_zone<W: PutAttr>(w: &mut W, ct: CtRef<'_>) {
    if ct.is_set(ATTR_ZONE) {
        w.put_be16(cta::ZONE, ct.u16(ATTR_ZONE));
    }
}

#[inline(always)]
fn put_synproxy<W: PutAttr>(w: &mut W, ct: CtRef<'_>) {
    if all_set(
        ct,
        &[ATTR_SYNPROXY_ISN, ATTR_SYNPROXY_ITS, ATTR_SYNPROXY_TSOFF],
    ) {
        w.nested(cta::SYNPROXY, |w| {
            w.put_be32(synproxy::ISN, ct.u32(ATTR_SYNPROXY_ISN));
            w.put_be32(synproxy::ITS, ct.u32(ATTR_SYNPROXY_ITS));
            w.put_be32(synproxy::TSOFF, ct.u32(ATTR_SYNPROXY_TSOFF));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::attr::{Slot, ATTRS};
    use crate::conntrack::object::Conntrack;

    /// Every fixed-width attribute set, with the choices that make the
    /// bounded part longest: IPv6 tuples, ICMPv6 ids in the reply and
    /// master tuples, TCP protocol info, IPv6 NAT with ports.
    fn largest() -> Conntrack {
        let mut ct = Conntrack::new();
        for d in &ATTRS {
            if let Slot::Fixed { len, .. } = d.slot {
                ct.set_bytes(d.attr, &vec![1; len as usize]).unwrap();
            }
        }
        for a in [ATTR_ORIG_L3PROTO, ATTR_REPL_L3PROTO, ATTR_MASTER_L3PROTO] {
            ct.set_bytes(a, &[AF_INET6]).unwrap();
        }
        ct.set_bytes(ATTR_ORIG_L4PROTO, &[ipproto::TCP]).unwrap();
        ct.set_bytes(ATTR_REPL_L4PROTO, &[ipproto::ICMPV6]).unwrap();
        ct.set_bytes(ATTR_MASTER_L4PROTO, &[ipproto::ICMPV6])
            .unwrap();
        ct.unset(ATTR_SNAT_IPV4);
        ct.unset(ATTR_DNAT_IPV4);
        ct
    }

    /// An IPv6 TCP entry as the kernel reports it.
    fn usual_ipv6() -> Conntrack {
        let mut ct = Conntrack::new();
        for (l3, src, dst, l4, sport, dport) in [
            (
                ATTR_ORIG_L3PROTO,
                ATTR_ORIG_IPV6_SRC,
                ATTR_ORIG_IPV6_DST,
                ATTR_ORIG_L4PROTO,
                ATTR_ORIG_PORT_SRC,
                ATTR_ORIG_PORT_DST,
            ),
            (
                ATTR_REPL_L3PROTO,
                ATTR_REPL_IPV6_SRC,
                ATTR_REPL_IPV6_DST,
                ATTR_REPL_L4PROTO,
                ATTR_REPL_PORT_SRC,
                ATTR_REPL_PORT_DST,
            ),
        ] {
            ct.set_bytes(l3, &[AF_INET6]).unwrap();
            ct.set_bytes(src, &[1; 16]).unwrap();
            ct.set_bytes(dst, &[2; 16]).unwrap();
            ct.set_bytes(l4, &[ipproto::TCP]).unwrap();
            ct.set_bytes(sport, &[3; 2]).unwrap();
            ct.set_bytes(dport, &[4; 2]).unwrap();
        }
        for a in [ATTR_STATUS, ATTR_TIMEOUT, ATTR_MARK] {
            ct.set_bytes(a, &[5; 4]).unwrap();
        }
        for a in [ATTR_TCP_STATE, ATTR_TCP_WSCALE_ORIG, ATTR_TCP_WSCALE_REPL] {
            ct.set_bytes(a, &[6]).unwrap();
        }
        for a in [
            ATTR_TCP_FLAGS_ORIG,
            ATTR_TCP_MASK_ORIG,
            ATTR_TCP_FLAGS_REPL,
            ATTR_TCP_MASK_REPL,
        ] {
            ct.set_bytes(a, &[7]).unwrap();
        }
        ct
    }

    /// Building in a frame gives what building with the writer gives, for
    /// every entry the frame takes; it declines entries with a helper or
    /// labels, and those that do not fit.
    #[test]
    fn building_in_a_frame_is_building() {
        let mut with_helper = usual_ipv6();
        with_helper.set_bytes(ATTR_HELPER_NAME, b"ftp").unwrap();
        let mut zoned = Conntrack::new();
        zoned.set_bytes(ATTR_ORIG_L3PROTO, &[AF_INET]).unwrap();
        zoned.set_bytes(ATTR_ORIG_IPV4_SRC, &[1; 4]).unwrap();
        zoned.set_bytes(ATTR_ORIG_L4PROTO, &[ipproto::UDP]).unwrap();
        zoned.set_bytes(ATTR_ZONE, &[0, 3]).unwrap();
        for a in [ATTR_SYNPROXY_ISN, ATTR_SYNPROXY_ITS, ATTR_SYNPROXY_TSOFF] {
            zoned.set_bytes(a, &[8; 4]).unwrap();
        }
        let mut cut = usual_ipv6();
        cut.set_bytes(ATTR_REPL_L3PROTO, &[99]).unwrap();
        let mut empty = Conntrack::new();
        empty.set_bytes(ATTR_MARK, &[1; 4]).unwrap();
        for (ct, taken) in [
            (usual_ipv6(), true),
            (zoned, true),
            (cut, true),
            (empty, true),
            (with_helper, false),
            (largest(), false),
        ] {
            let mut frame = Frame::<FRAME_LEN>::default();
            let framed = build_in(&mut frame, CtRef::Full(&ct));
            assert_eq!(framed.is_some(), taken);
            let mut v = Vec::new();
            let written = build(&mut AttrWriter::new(&mut v), CtRef::Full(&ct));
            if let Some(r) = framed {
                assert_eq!(r, written);
                assert_eq!(frame.bytes(), &v[..]);
            }
        }
    }

    /// The usual entry is built in the frame, and as the writer builds it.
    #[test]
    fn the_usual_entry_fits_the_frame() {
        let ct = usual_ipv6();
        let mut frame = Frame::<FRAME_LEN>::default();
        put_fixed_part(&mut frame, CtRef::Full(&ct)).unwrap();
        assert!(!frame.overflowed());
        let mut v = Vec::new();
        put_fixed_part(&mut AttrWriter::new(&mut v), CtRef::Full(&ct)).unwrap();
        assert_eq!(frame.bytes(), &v[..]);
    }

    /// The largest entry overflows the frame and is written with the
    /// writer: the message is the same.
    #[test]
    fn the_largest_entry_falls_back_to_the_writer() {
        let ct = largest();
        let mut frame = Frame::<FRAME_LEN>::default();
        let _ = put_fixed_part(&mut frame, CtRef::Full(&ct));
        assert!(frame.overflowed());
        let mut whole = Vec::new();
        build(&mut AttrWriter::new(&mut whole), CtRef::Full(&ct)).unwrap();
        let mut fixed = Vec::new();
        put_fixed_part(&mut AttrWriter::new(&mut fixed), CtRef::Full(&ct)).unwrap();
        assert!(fixed.len() > 450, "{}", fixed.len());
        assert!(whole.starts_with(&fixed));
        let mut big = Frame::<512>::default();
        put_fixed_part(&mut big, CtRef::Full(&ct)).unwrap();
        assert_eq!(big.bytes(), &fixed[..]);
    }
}
