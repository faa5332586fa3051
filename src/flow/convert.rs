//! Between the typed [`Flow`] and the engine's conntrack object, which the
//! parser fills, the builder reads and the printers print.
//!
//! Values are written into the object the way the parser writes them
//! (stored at the attribute's place and marked set), so a flow turned into
//! an object and back is the same flow.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::labels::Labels;
use super::protoinfo::{DccpInfo, ProtoInfo, SctpInfo, TcpFlags, TcpInfo, TcpState};
use super::status::Status;
use super::tuple::{Family, Icmp, Ports, Proto, Tuple};
use super::{Counters, Flow, Helper, Nat, SeqAdj, Synproxy, Timestamps};
use crate::conntrack::layout::*;
use crate::conntrack::object::Labels as LabelSlot;
use crate::conntrack::parse::Store;
use crate::conntrack::tuple::{TupleDesc, MASTER_TUPLE, ORIG_TUPLE, REPL_TUPLE};
use crate::conntrack::{Attr, Attr::*, Conntrack as Object, CtRef};
use crate::ctnetlink::ipproto;
use crate::ffi::bitmask_pool::BitmaskBox;

/// The tuple stored at `t` of `ct`, if its layer-3 protocol is set and is
/// IPv4 or IPv6.
pub(crate) fn tuple_of(ct: CtRef<'_>, t: &TupleDesc) -> Option<Tuple> {
    if !ct.is_set(t.l3) {
        return None;
    }
    let family = Family::from_number(ct.at::<1>(t.base + T_L3)[0])?;
    let addr = |at: u16| -> IpAddr {
        let b = ct.at::<16>(at);
        match family {
            Family::Ipv4 => IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])),
            Family::Ipv6 => IpAddr::V6(Ipv6Addr::from(b)),
        }
    };
    let l4src = ct.at::<2>(t.base + T_L4SRC);
    let l4dst = ct.at::<2>(t.base + T_L4DST);
    let ports = Ports {
        src: u16::from_be_bytes(l4src),
        dst: u16::from_be_bytes(l4dst),
    };
    let icmp = Icmp {
        kind: l4dst[0],
        code: l4dst[1],
        id: u16::from_be_bytes(l4src),
    };
    Some(Tuple {
        src: addr(t.base + T_SRC),
        dst: addr(t.base + T_DST),
        proto: Proto::from_parts(ct.at::<1>(t.base + T_L4)[0], ports, icmp),
        zone: t
            .zone
            .filter(|z| ct.is_set(*z))
            .map(|_| u16::from_ne_bytes(ct.at::<2>(t.base + T_ZONE))),
    })
}

/// Stores tuple `tuple` at `t` of `ct`.
pub(crate) fn put_tuple<S: Store>(ct: &mut S, t: &TupleDesc, tuple: &Tuple) {
    let family = tuple.family();
    ct.put(t.l3, t.base + T_L3, &[family.number()]);
    ct.put(t.l4, t.base + T_L4, &[tuple.proto.number()]);
    let (attrs, len) = match family {
        Family::Ipv4 => (t.ipv4, 4),
        Family::Ipv6 => (t.ipv6, 16),
    };
    for (a, at, addr) in [(attrs[0], T_SRC, &tuple.src), (attrs[1], T_DST, &tuple.dst)] {
        let bytes = match addr {
            IpAddr::V4(v4) => {
                let mut b = [0u8; 16];
                b[..4].copy_from_slice(&v4.octets());
                b
            }
            IpAddr::V6(v6) => v6.octets(),
        };
        ct.put(a, t.base + at, &bytes[..len]);
    }
    if let Some(p) = tuple.proto.ports() {
        ct.put(t.ports[0], t.base + T_L4SRC, &p.src.to_be_bytes());
        ct.put(t.ports[1], t.base + T_L4DST, &p.dst.to_be_bytes());
    }
    if let Some(i) = tuple.proto.icmp() {
        ct.put(ATTR_ICMP_TYPE, t.base + T_ICMP_TYPE, &[i.kind]);
        ct.put(ATTR_ICMP_CODE, t.base + T_ICMP_CODE, &[i.code]);
        ct.put(ATTR_ICMP_ID, t.base + T_L4SRC, &i.id.to_be_bytes());
    }
    if let (Some(a), Some(zone)) = (t.zone, tuple.zone) {
        ct.put(a, t.base + T_ZONE, &zone.to_ne_bytes());
    }
}

fn opt<T>(ct: CtRef<'_>, a: Attr, f: impl FnOnce() -> T) -> Option<T> {
    ct.is_set(a).then(f)
}

fn u32_if(ct: CtRef<'_>, a: Attr) -> Option<u32> {
    opt(ct, a, || ct.u32(a))
}

fn all_set(ct: CtRef<'_>, attrs: &[Attr]) -> bool {
    attrs.iter().all(|a| ct.is_set(*a))
}

fn protoinfo_of(ct: CtRef<'_>, l4: u8) -> Option<ProtoInfo> {
    let u8_if = |a| opt(ct, a, || ct.u8(a));
    let flags = |f: Attr, m: Attr| {
        opt(ct, f, || {
            (
                TcpFlags::from_bits_retain(ct.u8(f)),
                TcpFlags::from_bits_retain(ct.u8(m)),
            )
        })
    };
    let info = match l4 {
        ipproto::TCP => ProtoInfo::Tcp(TcpInfo {
            state: u8_if(ATTR_TCP_STATE).map(TcpState),
            wscale_orig: u8_if(ATTR_TCP_WSCALE_ORIG),
            wscale_reply: u8_if(ATTR_TCP_WSCALE_REPL),
            flags_orig: flags(ATTR_TCP_FLAGS_ORIG, ATTR_TCP_MASK_ORIG),
            flags_reply: flags(ATTR_TCP_FLAGS_REPL, ATTR_TCP_MASK_REPL),
        }),
        ipproto::SCTP => ProtoInfo::Sctp(SctpInfo {
            state: u8_if(ATTR_SCTP_STATE),
            vtag_orig: u32_if(ct, ATTR_SCTP_VTAG_ORIG),
            vtag_reply: u32_if(ct, ATTR_SCTP_VTAG_REPL),
        }),
        ipproto::DCCP => ProtoInfo::Dccp(DccpInfo {
            state: u8_if(ATTR_DCCP_STATE),
            role: u8_if(ATTR_DCCP_ROLE),
            handshake_seq: opt(ct, ATTR_DCCP_HANDSHAKE_SEQ, || {
                ct.u64(ATTR_DCCP_HANDSHAKE_SEQ)
            }),
        }),
        _ => return None,
    };
    let empty = match info {
        ProtoInfo::Tcp(t) => t == TcpInfo::default(),
        ProtoInfo::Sctp(s) => s == SctpInfo::default(),
        ProtoInfo::Dccp(d) => d == DccpInfo::default(),
    };
    (!empty).then_some(info)
}

fn seq_adj_of(ct: CtRef<'_>, attrs: [Attr; 3]) -> Option<SeqAdj> {
    all_set(ct, &attrs).then(|| SeqAdj {
        correction_pos: ct.u32(attrs[0]),
        offset_before: ct.u32(attrs[1]),
        offset_after: ct.u32(attrs[2]),
    })
}

fn counters_of(ct: CtRef<'_>, packets: Attr, bytes: Attr) -> Option<Counters> {
    (ct.is_set(packets) || ct.is_set(bytes)).then(|| Counters {
        packets: ct.u64(packets),
        bytes: ct.u64(bytes),
    })
}

const SEQ_ADJ_ORIG: [Attr; 3] = [
    ATTR_ORIG_NAT_SEQ_CORRECTION_POS,
    ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE,
    ATTR_ORIG_NAT_SEQ_OFFSET_AFTER,
];
const SEQ_ADJ_REPL: [Attr; 3] = [
    ATTR_REPL_NAT_SEQ_CORRECTION_POS,
    ATTR_REPL_NAT_SEQ_OFFSET_BEFORE,
    ATTR_REPL_NAT_SEQ_OFFSET_AFTER,
];
const SYNPROXY: [Attr; 3] = [ATTR_SYNPROXY_ISN, ATTR_SYNPROXY_ITS, ATTR_SYNPROXY_TSOFF];

impl Flow {
    /// The flow an object describes. An object without an IPv4 or IPv6
    /// original tuple gives the default (unspecified) tuple there.
    pub(crate) fn from_object(obj: &Object) -> Flow {
        let ct = obj.view();
        let orig = tuple_of(ct, &ORIG_TUPLE).unwrap_or_default();
        let l4 = orig.proto.number();
        Flow {
            orig,
            reply: tuple_of(ct, &REPL_TUPLE),
            master: tuple_of(ct, &MASTER_TUPLE),
            status: u32_if(ct, ATTR_STATUS).map(Status::from_bits_retain),
            protoinfo: protoinfo_of(ct, l4),
            timeout: u32_if(ct, ATTR_TIMEOUT),
            mark: u32_if(ct, ATTR_MARK),
            secmark: u32_if(ct, ATTR_SECMARK),
            zone: opt(ct, ATTR_ZONE, || ct.u16(ATTR_ZONE)),
            counters_orig: counters_of(ct, ATTR_ORIG_COUNTER_PACKETS, ATTR_ORIG_COUNTER_BYTES),
            counters_reply: counters_of(ct, ATTR_REPL_COUNTER_PACKETS, ATTR_REPL_COUNTER_BYTES),
            timestamps: Timestamps {
                start: opt(ct, ATTR_TIMESTAMP_START, || ct.u64(ATTR_TIMESTAMP_START)),
                stop: opt(ct, ATTR_TIMESTAMP_STOP, || ct.u64(ATTR_TIMESTAMP_STOP)),
                event: opt(ct, ATTR_TIMESTAMP_EVENT, || ct.u64(ATTR_TIMESTAMP_EVENT)),
            },
            id: u32_if(ct, ATTR_ID),
            use_count: u32_if(ct, ATTR_USE),
            helper: ct.helper_name().map(|name| Helper {
                name: name.to_string_lossy().into_owned(),
                info: ct
                    .owned()
                    .and_then(|o| o.helper_info.as_deref())
                    .map(<[u8]>::to_vec),
            }),
            labels: ct.labels(ATTR_CONNLABELS).map(Labels::from_bitmask),
            labels_mask: ct.labels(ATTR_CONNLABELS_MASK).map(Labels::from_bitmask),
            secctx: ct.secctx().map(|s| s.to_string_lossy().into_owned()),
            seq_adj_orig: seq_adj_of(ct, SEQ_ADJ_ORIG),
            seq_adj_reply: seq_adj_of(ct, SEQ_ADJ_REPL),
            synproxy: all_set(ct, &SYNPROXY).then(|| Synproxy {
                isn: ct.u32(ATTR_SYNPROXY_ISN),
                its: ct.u32(ATTR_SYNPROXY_ITS),
                tsoff: ct.u32(ATTR_SYNPROXY_TSOFF),
            }),
            snat: None,
            dnat: None,
        }
    }

    /// The object describing this flow, for the builder and the printers.
    pub(crate) fn to_object(&self) -> Object {
        let mut o = Object::new();
        put_tuple(&mut o, &ORIG_TUPLE, &self.orig);
        if let Some(t) = &self.reply {
            put_tuple(&mut o, &REPL_TUPLE, t);
        }
        if let Some(t) = &self.master {
            put_tuple(&mut o, &MASTER_TUPLE, t);
        }
        let u32s = [
            (ATTR_STATUS, STATUS, self.status.map(|s| s.bits())),
            (ATTR_TIMEOUT, TIMEOUT, self.timeout),
            (ATTR_MARK, MARK, self.mark),
            (ATTR_SECMARK, SECMARK, self.secmark),
            (ATTR_ID, ID, self.id),
            (ATTR_USE, USE, self.use_count),
        ];
        for (a, at, v) in u32s {
            if let Some(v) = v {
                o.put(a, at, &v.to_ne_bytes());
            }
        }
        if let Some(z) = self.zone {
            o.put(ATTR_ZONE, ZONE, &z.to_ne_bytes());
        }
        put_protoinfo(&mut o, self.protoinfo.as_ref());
        for (c, attrs) in [
            (
                self.counters_orig,
                [
                    (ATTR_ORIG_COUNTER_PACKETS, ORIG_PACKETS),
                    (ATTR_ORIG_COUNTER_BYTES, ORIG_BYTES),
                ],
            ),
            (
                self.counters_reply,
                [
                    (ATTR_REPL_COUNTER_PACKETS, REPL_PACKETS),
                    (ATTR_REPL_COUNTER_BYTES, REPL_BYTES),
                ],
            ),
        ] {
            if let Some(c) = c {
                o.put(attrs[0].0, attrs[0].1, &c.packets.to_ne_bytes());
                o.put(attrs[1].0, attrs[1].1, &c.bytes.to_ne_bytes());
            }
        }
        let ts = &self.timestamps;
        for (a, at, v) in [
            (ATTR_TIMESTAMP_START, TIMESTAMP_START, ts.start),
            (ATTR_TIMESTAMP_STOP, TIMESTAMP_STOP, ts.stop),
            (ATTR_TIMESTAMP_EVENT, TIMESTAMP_EVENT, ts.event),
        ] {
            if let Some(v) = v {
                o.put(a, at, &v.to_ne_bytes());
            }
        }
        if let Some(h) = &self.helper {
            let _ = o.set_bytes(ATTR_HELPER_NAME, h.name.as_bytes());
            if let Some(info) = &h.info {
                o.set_helper_info(info);
            }
        }
        for (a, labels) in [
            (ATTR_CONNLABELS, self.labels),
            (ATTR_CONNLABELS_MASK, self.labels_mask),
        ] {
            if let Some(b) = labels.and_then(|l| BitmaskBox::new(l.to_bitmask()).ok()) {
                let _ = o.set_labels(a, LabelSlot::owned(b));
            }
        }
        if let Some(s) = &self.secctx {
            // A C string: it ends at a NUL, if the name holds one.
            o.set_secctx(s.as_bytes());
        }
        for (adj, attrs, at) in [
            (
                self.seq_adj_orig,
                SEQ_ADJ_ORIG,
                [ORIG_SEQ_POS, ORIG_SEQ_BEFORE, ORIG_SEQ_AFTER],
            ),
            (
                self.seq_adj_reply,
                SEQ_ADJ_REPL,
                [REPL_SEQ_POS, REPL_SEQ_BEFORE, REPL_SEQ_AFTER],
            ),
        ] {
            if let Some(s) = adj {
                let v = [s.correction_pos, s.offset_before, s.offset_after];
                for i in 0..3 {
                    o.put(attrs[i], at[i], &v[i].to_ne_bytes());
                }
            }
        }
        if let Some(s) = self.synproxy {
            let v = [s.isn, s.its, s.tsoff];
            let at = [SYNPROXY_ISN, SYNPROXY_ITS, SYNPROXY_TSOFF];
            for i in 0..3 {
                o.put(SYNPROXY[i], at[i], &v[i].to_ne_bytes());
            }
        }
        put_nat(
            &mut o,
            self.snat,
            [ATTR_SNAT_IPV4, ATTR_SNAT_IPV6, ATTR_SNAT_PORT],
            [SNAT_ADDR, SNAT_PORT],
        );
        put_nat(
            &mut o,
            self.dnat,
            [ATTR_DNAT_IPV4, ATTR_DNAT_IPV6, ATTR_DNAT_PORT],
            [DNAT_ADDR, DNAT_PORT],
        );
        o
    }
}

fn put_protoinfo(o: &mut Object, info: Option<&ProtoInfo>) {
    let u8s: Vec<(Attr, u16, Option<u8>)> = match info {
        Some(ProtoInfo::Tcp(t)) => {
            for (f, at, attrs) in [
                (
                    t.flags_orig,
                    TCP_FLAGS_ORIG,
                    [ATTR_TCP_FLAGS_ORIG, ATTR_TCP_MASK_ORIG],
                ),
                (
                    t.flags_reply,
                    TCP_FLAGS_REPL,
                    [ATTR_TCP_FLAGS_REPL, ATTR_TCP_MASK_REPL],
                ),
            ] {
                if let Some((flags, mask)) = f {
                    o.put(attrs[0], at, &[flags.bits()]);
                    o.put(attrs[1], at + 1, &[mask.bits()]);
                }
            }
            vec![
                (ATTR_TCP_STATE, TCP_STATE, t.state.map(|s| s.0)),
                (ATTR_TCP_WSCALE_ORIG, TCP_WSCALE_ORIG, t.wscale_orig),
                (ATTR_TCP_WSCALE_REPL, TCP_WSCALE_REPL, t.wscale_reply),
            ]
        }
        Some(ProtoInfo::Sctp(s)) => {
            for (a, at, v) in [
                (ATTR_SCTP_VTAG_ORIG, SCTP_VTAG_ORIG, s.vtag_orig),
                (ATTR_SCTP_VTAG_REPL, SCTP_VTAG_REPL, s.vtag_reply),
            ] {
                if let Some(v) = v {
                    o.put(a, at, &v.to_ne_bytes());
                }
            }
            vec![(ATTR_SCTP_STATE, SCTP_STATE, s.state)]
        }
        Some(ProtoInfo::Dccp(d)) => {
            if let Some(seq) = d.handshake_seq {
                o.put(
                    ATTR_DCCP_HANDSHAKE_SEQ,
                    DCCP_HANDSHAKE_SEQ,
                    &seq.to_ne_bytes(),
                );
            }
            vec![
                (ATTR_DCCP_STATE, DCCP_STATE, d.state),
                (ATTR_DCCP_ROLE, DCCP_ROLE, d.role),
            ]
        }
        None => return,
    };
    for (a, at, v) in u8s {
        if let Some(v) = v {
            o.put(a, at, &[v]);
        }
    }
}

fn put_nat(o: &mut Object, nat: Option<Nat>, attrs: [Attr; 3], at: [u16; 2]) {
    let Some(nat) = nat else { return };
    match nat.addr {
        Some(IpAddr::V4(a)) => o.put(attrs[0], at[0], &a.octets()),
        Some(IpAddr::V6(a)) => o.put(attrs[1], at[0], &a.octets()),
        None => {}
    }
    if let Some(p) = nat.port {
        o.put(attrs[2], at[1], &p.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::build;
    use crate::conntrack::parse::parse_payload;
    use crate::netlink::attr::AttrWriter;

    fn full_flow() -> Flow {
        let orig = Tuple {
            src: "2001:db8::1".parse().unwrap(),
            dst: "2001:db8::2".parse().unwrap(),
            proto: Proto::Tcp(Ports {
                src: 1234,
                dst: 443,
            }),
            zone: Some(3),
        };
        Flow {
            orig,
            reply: Some(orig.reversed()),
            master: Some(Tuple::new(
                "2001:db8::9".parse().unwrap(),
                "2001:db8::2".parse().unwrap(),
                Proto::Tcp(Ports { src: 1000, dst: 21 }),
            )),
            status: Some(Status::SEEN_REPLY | Status::ASSURED | Status::CONFIRMED),
            protoinfo: Some(ProtoInfo::Tcp(TcpInfo {
                state: Some(TcpState::ESTABLISHED),
                wscale_orig: Some(7),
                wscale_reply: Some(8),
                flags_orig: Some((TcpFlags::SACK_PERM, TcpFlags::all())),
                flags_reply: Some((TcpFlags::WINDOW_SCALE, TcpFlags::all())),
            })),
            timeout: Some(300),
            mark: Some(0xdead),
            secmark: Some(5),
            zone: Some(3),
            helper: Some(Helper {
                name: "ftp".into(),
                info: None,
            }),
            labels: Some(Labels::EMPTY.with(1).with(127)),
            seq_adj_orig: Some(SeqAdj {
                correction_pos: 1,
                offset_before: 2,
                offset_after: 3,
            }),
            synproxy: Some(Synproxy {
                isn: 1,
                its: 2,
                tsoff: 3,
            }),
            ..Flow::default()
        }
    }

    #[test]
    fn object_round_trip_keeps_every_field() {
        let mut f = full_flow();
        f.counters_orig = Some(Counters {
            packets: 3,
            bytes: 180,
        });
        f.timestamps.start = Some(1_700_000_000_000_000_000);
        f.id = Some(42);
        f.use_count = Some(1);
        f.secctx = Some("system_u:object_r:unlabeled_t:s0".into());
        assert_eq!(Flow::from_object(&f.to_object()), f);
        let icmp = Flow::new(Tuple::new(
            "10.0.0.1".parse().unwrap(),
            "10.0.0.2".parse().unwrap(),
            Proto::Icmp(Icmp {
                kind: 8,
                code: 0,
                id: 77,
            }),
        ));
        assert_eq!(Flow::from_object(&icmp.to_object()), icmp);
    }

    #[test]
    fn builder_and_parser_round_trip() {
        // What a request carries, parsed back as the kernel's reply would be.
        let f = full_flow();
        let mut buf = Vec::new();
        build(&mut AttrWriter::new(&mut buf), f.to_object().view()).unwrap();
        let mut back = Object::new();
        parse_payload(&mut back, &buf, Family::Ipv6.number()).unwrap();
        let mut want = f.clone();
        // The builder adds IPS_CONFIRMED and sends what the kernel accepts.
        want.status = want.status.map(|s| s | Status::CONFIRMED);
        assert_eq!(Flow::from_object(&back), want);
    }
}
