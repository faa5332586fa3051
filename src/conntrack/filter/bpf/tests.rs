//! The compiled programs, run on hand-built event messages by a small
//! classic-BPF interpreter that does what the kernel does for the
//! instructions the compiler emits (including the netlink-attribute
//! searches), and compared with programs the reference attached.

use super::super::{Added, Dir, EventFilter, FilterValue};
use super::golden::*;
use super::*;
use crate::api::{nfct_filter_dump_mark, nfct_filter_ipv4, nfct_filter_ipv6, nfct_filter_proto};
use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::ctnetlink::{msg, sctp, tcp, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::netlink::attr::AttrWriter;
use crate::netlink::frame::PutAttr;
use crate::netlink::msg::{MsgBuilder, NfGenMsg};

// ---------------------------------------------------------------------------
// The interpreter.

/// What the kernel checks before it accepts a classic program
/// (`bpf_check_classic`), for the instructions we emit.
fn check(prog: &[Insn]) -> Result<(), String> {
    if prog.is_empty() || prog.len() > 4096 {
        return Err(format!("length {}", prog.len()));
    }
    for (pc, i) in prog.iter().enumerate() {
        let reach = |off: u64| pc as u64 + off + 1 < prog.len() as u64;
        match i.code {
            op::JA => {
                if !reach(u64::from(i.k)) {
                    return Err(format!("{pc}: ja out of range"));
                }
            }
            op::JEQ_K => {
                if !reach(u64::from(i.jt)) || !reach(u64::from(i.jf)) {
                    return Err(format!("{pc}: jeq out of range"));
                }
            }
            op::LD_IMM
            | op::LDX_IMM
            | op::LD_W_IND
            | op::LD_H_IND
            | op::LD_B_IND
            | op::ADD_K
            | op::AND_K
            | op::RET_K
            | op::TAX
            | op::TXA => {}
            op::LD_B_ABS => {
                let k = i.k;
                if k != SKF_AD_OFF + SKF_AD_NLATTR && k != SKF_AD_OFF + SKF_AD_NLATTR_NEST {
                    return Err(format!("{pc}: unexpected absolute load {k:#x}"));
                }
            }
            c => return Err(format!("{pc}: unexpected code {c:#x}")),
        }
    }
    match prog.last() {
        Some(i) if i.code == op::RET_K => Ok(()),
        _ => Err("does not end with a return".into()),
    }
}

fn u16_at(m: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([m[at], m[at + 1]])
}

/// `nla_find`: the attribute of type `ty` among those in `m[start..start+len]`.
fn nla_find(m: &[u8], start: usize, len: usize, ty: u32) -> u32 {
    let (mut at, mut rem) = (start, len as isize);
    while rem >= 4 {
        let nla_len = u16_at(m, at) as usize;
        if nla_len < 4 || nla_len as isize > rem {
            break;
        }
        if u32::from(u16_at(m, at + 2) & 0x3fff) == ty {
            return at as u32;
        }
        let step = (nla_len + 3) & !3;
        at += step;
        rem -= step as isize;
    }
    0
}

/// Runs `prog` on the message `m` as the kernel does; returns its verdict.
fn run(prog: &[Insn], m: &[u8]) -> u32 {
    check(prog).unwrap();
    let len = m.len() as u64;
    let (mut a, mut x, mut pc) = (0u32, 0u32, 0usize);
    let load = |at: u64, n: u64| -> Option<u32> {
        (at + n <= len)
            .then(|| (0..n).fold(0u32, |v, i| (v << 8) | u32::from(m[(at + i) as usize])))
    };
    loop {
        let i = prog[pc];
        pc += 1;
        match i.code {
            op::LD_IMM => a = i.k,
            op::LDX_IMM => x = i.k,
            op::LD_B_ABS => {
                let nest = i.k == SKF_AD_OFF + SKF_AD_NLATTR_NEST;
                a = if len < 4 || u64::from(a) > len - 4 {
                    0
                } else if nest {
                    let at = a as usize;
                    let nla_len = u16_at(m, at) as usize;
                    if nla_len < 4 || nla_len as u64 > len - u64::from(a) {
                        0
                    } else {
                        nla_find(m, at + 4, nla_len - 4, x)
                    }
                } else {
                    nla_find(m, a as usize, (len - u64::from(a)) as usize, x)
                };
            }
            op::LD_W_IND | op::LD_H_IND | op::LD_B_IND => {
                let n = match i.code {
                    op::LD_W_IND => 4,
                    op::LD_H_IND => 2,
                    _ => 1,
                };
                match load(u64::from(x) + u64::from(i.k), n) {
                    Some(v) => a = v,
                    None => return 0,
                }
            }
            op::ADD_K => a = a.wrapping_add(i.k),
            op::AND_K => a &= i.k,
            op::JA => pc += i.k as usize,
            op::JEQ_K => pc += usize::from(if a == i.k { i.jt } else { i.jf }),
            op::RET_K => return i.k,
            op::TAX => x = a,
            op::TXA => a = x,
            c => panic!("unexpected code {c:#x}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Event messages, laid out as the kernel sends them.

#[derive(Clone, Copy, Debug)]
enum Addr {
    V4(u32, u32),
    V6([u32; 4], [u32; 4]),
}

#[derive(Clone, Copy, Debug)]
struct Event {
    subsys: u8,
    kind: u8,
    addr: Addr,
    proto: u8,
    /// TCP, SCTP or DCCP state (only sent for those protocols).
    state: u8,
    mark: u32,
    zone: u16,
    destroy: bool,
}

fn ev4(src: u32, dst: u32) -> Event {
    Event {
        subsys: NFNL_SUBSYS_CTNETLINK,
        kind: msg::CT_NEW,
        addr: Addr::V4(src, dst),
        proto: 17,
        state: 0,
        mark: 0,
        zone: 0,
        destroy: false,
    }
}

fn ev6(src: [u32; 4], dst: [u32; 4]) -> Event {
    Event {
        addr: Addr::V6(src, dst),
        ..ev4(0, 0)
    }
}

impl Event {
    fn proto(self, proto: u8, state: u8) -> Self {
        Event {
            proto,
            state,
            ..self
        }
    }

    fn mark(self, mark: u32) -> Self {
        Event { mark, ..self }
    }

    fn zone(self, zone: u16) -> Self {
        Event { zone, ..self }
    }

    fn tuple(&self, w: &mut AttrWriter<'_>, ty: u16, reply: bool) {
        w.nested(ty, |w| {
            w.nested(tuple::IP, |w| match self.addr {
                Addr::V4(s, d) => {
                    let (s, d) = if reply { (d, s) } else { (s, d) };
                    w.put_be32(ip::V4_SRC, s);
                    w.put_be32(ip::V4_DST, d);
                }
                Addr::V6(s, d) => {
                    let (s, d) = if reply { (d, s) } else { (s, d) };
                    let bytes = |a: [u32; 4]| {
                        let mut b = [0u8; 16];
                        for (i, w) in a.iter().enumerate() {
                            b[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
                        }
                        b
                    };
                    w.put(ip::V6_SRC, &bytes(s));
                    w.put(ip::V6_DST, &bytes(d));
                }
            });
            w.nested(tuple::PROTO, |w| {
                w.put_u8(proto::NUM, self.proto);
                if self.proto == 1 || self.proto == 58 {
                    let (id, ty, code) = if self.proto == 58 {
                        (proto::ICMPV6_ID, proto::ICMPV6_TYPE, proto::ICMPV6_CODE)
                    } else {
                        (proto::ICMP_ID, proto::ICMP_TYPE, proto::ICMP_CODE)
                    };
                    w.put_be16(id, 7);
                    w.put_u8(ty, 8);
                    w.put_u8(code, 0);
                } else {
                    w.put_be16(proto::SRC_PORT, if reply { 80 } else { 40000 });
                    w.put_be16(proto::DST_PORT, if reply { 40000 } else { 80 });
                }
            });
        });
    }

    /// The event message: tuples, zone, id, status, then (not for
    /// "destroy") timeout and protocol info, then the mark.
    fn msg(&self) -> Vec<u8> {
        let family = match self.addr {
            Addr::V4(..) => AF_INET,
            Addr::V6(..) => AF_INET6,
        };
        let nfg = NfGenMsg {
            family,
            version: 0,
            res_id: 0,
        };
        let mut b = MsgBuilder::nfnl(self.subsys, self.kind, 0, nfg);
        b.attrs(|w| {
            self.tuple(w, cta::TUPLE_ORIG, false);
            self.tuple(w, cta::TUPLE_REPLY, true);
            if self.zone != 0 {
                w.put_be16(cta::ZONE, self.zone);
            }
            w.put_be32(cta::ID, 0x1234_5678);
            w.put_be32(cta::STATUS, 0x18e);
            if !self.destroy {
                w.put_be32(cta::TIMEOUT, 120);
                let info = match self.proto {
                    6 => Some((protoinfo::TCP, tcp::STATE)),
                    132 => Some((protoinfo::SCTP, sctp::STATE)),
                    33 => Some((protoinfo::DCCP, crate::ctnetlink::dccp::STATE)),
                    _ => None,
                };
                if let Some((nest, st)) = info {
                    w.nested(cta::PROTOINFO, |w| {
                        w.nested(nest, |w| {
                            w.put_u8(st, self.state);
                            if nest == protoinfo::TCP {
                                w.put_u8(tcp::WSCALE_ORIGINAL, 7);
                                w.put_u8(tcp::WSCALE_REPLY, 7);
                            } else if nest == protoinfo::SCTP {
                                w.put_be32(sctp::VTAG_ORIGINAL, 1);
                                w.put_be32(sctp::VTAG_REPLY, 2);
                            }
                        })
                    });
                }
            }
            if self.mark != 0 {
                w.put_be32(cta::MARK, self.mark);
            }
            w.put_be32(cta::USE, 1);
        });
        b.into_bytes().unwrap()
    }
}

// ---------------------------------------------------------------------------
// Filters.

const NEG: u32 = 1;

fn filter(values: &[FilterValue], negative: &[nfct_filter_attr]) -> EventFilter {
    let mut f = EventFilter::new();
    for v in values {
        assert_eq!(f.add(*v), Ok(Added::Stored), "{v:?}");
    }
    for &a in negative {
        f.set_logic(a as u32, NEG).unwrap();
    }
    f
}

fn v4(dir: Dir, addr: u32, mask: u32) -> FilterValue {
    FilterValue::Ipv4(dir, nfct_filter_ipv4 { addr, mask })
}

fn v6(dir: Dir, addr: [u32; 4], mask: [u32; 4]) -> FilterValue {
    FilterValue::Ipv6(dir, nfct_filter_ipv6 { addr, mask })
}

fn state(proto: u16, state: u16) -> FilterValue {
    FilterValue::L4ProtoState(nfct_filter_proto { proto, state })
}

fn mark(val: u32, mask: u32) -> FilterValue {
    FilterValue::Mark(nfct_filter_dump_mark { val, mask })
}

/// Asserts the verdict on each event (true: delivered).
fn expect(f: &EventFilter, cases: &[(Event, bool)]) {
    let prog = f.program().unwrap().insns;
    for (i, (e, want)) in cases.iter().enumerate() {
        let got = run(&prog, &e.msg());
        assert!(got == REJECT || got == ACCEPT, "verdict {got:#x}");
        assert_eq!(got == ACCEPT, *want, "case {i}: {e:?}");
    }
}

fn as_tuples(p: &[Insn]) -> Vec<(u16, u8, u8, u32)> {
    p.iter().map(|i| (i.code, i.jt, i.jf, i.k)).collect()
}

const LO: u32 = 0x7f00_0001;
const LO2: u32 = 0x7f00_0002;
const NET10: u32 = 0x0a00_0000;
const DB8: [u32; 4] = [0x2001_0db8, 0, 0, 1];
const DB8_2: [u32; 4] = [0x2001_0db8, 0, 0, 2];
const FD: [u32; 4] = [0xfd00_0000, 0, 0, 1];
const ALL6: [u32; 4] = [!0; 4];

// ---------------------------------------------------------------------------
// Layout: the reference's programs.

#[test]
fn empty_filter_delivers_everything() {
    let f = EventFilter::new();
    let p = f.program().unwrap();
    assert_eq!(p.insns.len(), 5);
    assert_eq!(p.errno, None);
    assert_eq!(run(&p.insns, &ev4(LO, LO2).msg()), ACCEPT);
}

#[test]
fn protocol_program_matches_reference() {
    let f = filter(&[FilterValue::L4Proto(260), FilterValue::L4Proto(6)], &[]);
    let p = f.program().unwrap();
    assert_eq!(as_tuples(&p.insns), REF_PROTO_6_260);
    assert_eq!(p.errno, Some(libc::EINVAL));
}

#[test]
fn ipv6_program_matches_reference() {
    let mask = [!0, 0xffff_0000, 0, !0];
    let f = filter(&[v6(Dir::Src, DB8, mask), v6(Dir::Src, DB8, mask)], &[]);
    assert_eq!(as_tuples(&f.program().unwrap().insns), REF_IPV6_TWICE);
}

#[test]
fn every_attribute_matches_reference() {
    use crate::api::nfct_filter_attr::*;
    let f = filter(
        &[
            FilterValue::L4Proto(17),
            FilterValue::L4Proto(6),
            v4(Dir::Src, LO, !0),
            v4(Dir::Dst, NET10, 0xff00_0000),
            v6(Dir::Src, [0xfd00_0000, 0, 0, 0], [0xff00_0000, 0, 0, 0]),
            v6(Dir::Dst, [0xfd00_0000, 0, 0, 0], [0xff00_0000, 0, 0, 0]),
            state(6, 3),
            state(6, 5),
            mark(0x10, 0xf0),
            FilterValue::Zone(7),
        ],
        &[
            NFCT_FILTER_L4PROTO,
            NFCT_FILTER_DST_IPV4,
            NFCT_FILTER_DST_IPV6,
            NFCT_FILTER_MARK,
        ],
    );
    assert_eq!(as_tuples(&f.program().unwrap().insns), REF_ALL);
}

#[test]
fn states_of_several_protocols_are_all_checked() {
    // The reference writes the block of each protocol over the previous
    // one (leaving its longer tail and zeroed instructions behind); ours
    // keeps one block per protocol, in protocol order.
    let f = filter(
        &[state(132, 4), state(6, 3), state(6, 5), state(33, 2)],
        &[],
    );
    let p = f.program().unwrap().insns;
    let blocks: Vec<u32> = p
        .windows(2)
        .filter(|w| w[0].code == op::LDX_IMM && w[1].k == SKF_AD_OFF + SKF_AD_NLATTR)
        .map(|w| w[0].k)
        .collect();
    // Per block: CTA_PROTOINFO, the protocol's nest, its state attribute.
    assert_eq!(blocks, [4, 1, 1, 4, 2, 1, 4, 3, 1]);
    assert_eq!(p.len(), 4 + 17 + 16 + 16 + 1);
    assert!(!p.iter().any(|i| *i == Insn::default()));
}

#[test]
fn states_of_protocols_without_state_leave_eopnotsupp() {
    let f = filter(&[state(17, 1)], &[]);
    let p = f.program().unwrap();
    assert_eq!(p.insns.len(), 5);
    assert_eq!(p.errno, Some(libc::EOPNOTSUPP));
    let f = filter(&[state(17, 1), FilterValue::Zone(1)], &[]);
    assert_eq!(f.program().unwrap().errno, Some(libc::EINVAL));
}

// ---------------------------------------------------------------------------
// Verdicts.

#[test]
fn other_subsystems_pass() {
    let f = filter(&[FilterValue::L4Proto(6)], &[]);
    let mut e = ev4(LO, LO2);
    e.subsys = NFNL_SUBSYS_CTNETLINK_EXP;
    expect(&f, &[(e, true), (ev4(LO, LO2), false)]);
}

#[test]
fn l4proto_positive_and_negative() {
    let values = [FilterValue::L4Proto(6), FilterValue::L4Proto(132)];
    let cases = |neg: bool| {
        [
            (ev4(LO, LO2).proto(6, 3), !neg),
            (ev4(LO, LO2).proto(132, 3), !neg),
            (ev4(LO, LO2).proto(17, 0), neg),
            (ev4(LO, LO2).proto(1, 0), neg),
            (ev6(DB8, DB8_2).proto(6, 1), !neg),
            (ev6(DB8, DB8_2).proto(58, 0), neg),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_L4PROTO]),
        &cases(true),
    );
}

#[test]
fn ipv4_source_masks() {
    let values = [
        v4(Dir::Src, LO, !0),
        v4(Dir::Src, NET10 | 0x55, 0xffff_0000),
    ];
    let cases = |neg: bool| {
        [
            (ev4(LO, NET10), !neg),
            (ev4(LO2, LO), neg),
            (ev4(0x0a00_ffff, LO), !neg),
            (ev4(0x0a01_0000, LO), neg),
            (ev4(0x0b00_0000, LO), neg),
            // No IPv4 source in an IPv6 event: the condition is passed.
            (ev6(DB8, DB8_2), true),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_SRC_IPV4]),
        &cases(true),
    );
}

#[test]
fn ipv4_destination_masks() {
    let values = [v4(Dir::Dst, NET10, 0xff00_0000)];
    let cases = |neg: bool| {
        [
            (ev4(LO, 0x0a01_0203), !neg),
            (ev4(0x0a01_0203, LO), neg),
            (ev4(LO, 0x0b01_0203), neg),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_DST_IPV4]),
        &cases(true),
    );
}

#[test]
fn ipv4_destination_reads_the_protocol_nest_of_ipv6_events() {
    // The search for CTA_IP_V4_DST (2) does not stop at the end of the IP
    // nest: in an IPv6 event it finds CTA_TUPLE_PROTO (2) and compares the
    // header of CTA_PROTO_NUM (len 5, type 1: 05 00 01 00) as the address.
    let f = filter(&[v4(Dir::Dst, LO, !0)], &[]);
    expect(&f, &[(ev6(DB8, DB8_2), false), (ev4(LO2, LO), true)]);
    let f = filter(&[v4(Dir::Dst, 0x0500_0100, !0)], &[]);
    expect(&f, &[(ev6(DB8, DB8_2), true), (ev4(LO2, LO), false)]);
}

#[test]
fn ipv6_masks_every_word() {
    let m64 = [!0, !0, 0, 0];
    let values = [v6(Dir::Src, DB8, m64), v6(Dir::Src, FD, ALL6)];
    let cases = |neg: bool| {
        [
            (ev6(DB8, FD), !neg),
            (ev6(DB8_2, FD), !neg),
            (ev6([0x2001_0db8, 1, 0, 1], FD), neg),
            (ev6([0x2001_0db9, 0, 0, 1], FD), neg),
            (ev6(FD, DB8), !neg),
            (ev6([0xfd00_0000, 0, 0, 2], DB8), neg),
            (ev6([0xfd00_0000, 0, 1, 1], DB8), neg),
            (ev6([0xfd00_0001, 0, 0, 1], DB8), neg),
            // IPv4 events have no IPv6 address: passed.
            (ev4(LO, LO2), true),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_SRC_IPV6]),
        &cases(true),
    );
}

#[test]
fn ipv6_later_entry_matches_after_earlier_mismatch() {
    // 1.0.9 skipped too far when an early word of an entry differed; the
    // second entry must still be tried.
    let values = [
        v6(Dir::Dst, [1, 2, 3, 4], ALL6),
        v6(Dir::Dst, [5, 6, 7, 8], ALL6),
        v6(Dir::Dst, [1, 2, 3, 9], ALL6),
    ];
    let f = filter(&values, &[]);
    expect(
        &f,
        &[
            (ev6(DB8, [5, 6, 7, 8]), true),
            (ev6(DB8, [1, 2, 3, 9]), true),
            (ev6(DB8, [1, 2, 3, 4]), true),
            (ev6(DB8, [1, 2, 3, 5]), false),
            (ev6(DB8, [5, 6, 7, 9]), false),
        ],
    );
}

#[test]
fn tcp_and_sctp_states() {
    let values = [state(6, 3), state(6, 5), state(132, 4)];
    let cases = |neg: bool| {
        [
            (ev4(LO, LO2).proto(6, 3), !neg),
            (ev4(LO, LO2).proto(6, 5), !neg),
            (ev4(LO, LO2).proto(6, 1), neg),
            (ev4(LO, LO2).proto(132, 4), !neg),
            (ev4(LO, LO2).proto(132, 3), neg),
            (ev4(LO, LO2).proto(33, 2), true),
            (ev6(DB8, FD).proto(6, 3), !neg),
            // Without protocol info (UDP, or a destroy event): passed.
            (ev4(LO, LO2).proto(17, 0), true),
            (
                Event {
                    destroy: true,
                    ..ev4(LO, LO2).proto(6, 1)
                },
                true,
            ),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_L4PROTO_STATE]),
        &cases(true),
    );
}

#[test]
fn marks_under_mask() {
    let values = [mark(0x10, 0xf0), mark(0x1_0000, 0xffff_0000)];
    let cases = |neg: bool| {
        [
            (ev4(LO, LO2).mark(0x15), !neg),
            (ev4(LO, LO2).mark(0x25), neg),
            (ev4(LO, LO2).mark(0x1_1234), !neg),
            (ev4(LO, LO2).mark(0x2_0000), neg),
            (ev6(DB8, FD).mark(0x1f), !neg),
            // No mark: read as 0, which matches neither entry.
            (ev4(LO, LO2), neg),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_MARK]),
        &cases(true),
    );
    // A missing mark matches an entry for mark 0.
    let f = filter(&[mark(0, !0)], &[]);
    expect(&f, &[(ev4(LO, LO2), true), (ev4(LO, LO2).mark(1), false)]);
}

#[test]
fn zones() {
    let values = [FilterValue::Zone(7), FilterValue::Zone(0x1234)];
    let cases = |neg: bool| {
        [
            (ev4(LO, LO2).zone(7), !neg),
            (ev4(LO, LO2).zone(0x1234), !neg),
            (ev4(LO, LO2).zone(8), neg),
            (ev6(DB8, FD).zone(7), !neg),
            (ev4(LO, LO2), neg),
        ]
    };
    expect(&filter(&values, &[]), &cases(false));
    expect(
        &filter(&values, &[nfct_filter_attr::NFCT_FILTER_ZONE]),
        &cases(true),
    );
    let f = filter(&[FilterValue::Zone(0)], &[]);
    expect(&f, &[(ev4(LO, LO2), true), (ev4(LO, LO2).zone(1), false)]);
}

#[test]
fn conditions_combine_with_and() {
    use crate::api::nfct_filter_attr::*;
    let f = filter(
        &[
            FilterValue::L4Proto(6),
            v4(Dir::Src, LO, !0),
            mark(1, 1),
            FilterValue::Zone(3),
        ],
        &[NFCT_FILTER_ZONE],
    );
    let good = ev4(LO, LO2).proto(6, 3).mark(1);
    expect(
        &f,
        &[
            (good, true),
            (good.zone(3), false),
            (good.zone(4), true),
            (good.mark(2), false),
            (ev4(LO2, LO).proto(6, 3).mark(1), false),
            (ev4(LO, LO2).proto(17, 0).mark(1), false),
            (ev6(DB8, FD).proto(6, 3).mark(1), true),
        ],
    );
}

// ---------------------------------------------------------------------------
// Long programs: jumps beyond 255 instructions.

/// Simple model of a positive or negative list condition.
fn verdict(hit: bool, neg: bool) -> bool {
    hit != neg
}

#[test]
fn full_ipv4_lists_stay_correct() {
    for neg in [false, true] {
        for n in [81usize, 82, 84, 85, 100, 127] {
            let mut f = EventFilter::new();
            for i in 0..n as u32 {
                f.add(v4(Dir::Src, NET10 + (i << 8), 0xffff_ff00)).unwrap();
            }
            if neg {
                f.set_logic(NFCT_FILTER_SRC_IPV4 as u32, NEG).unwrap();
            }
            let prog = f.program().unwrap().insns;
            if n <= 81 {
                // The reference's layout: no island.
                assert!(!prog.iter().any(|i| i.code == op::JA && i.k > 1));
            }
            for i in [0, 1, n as u32 / 2, n as u32 - 1, n as u32, 200] {
                let e = ev4(NET10 + (i << 8) + 9, LO);
                let want = verdict(i < n as u32, neg);
                assert_eq!(
                    run(&prog, &e.msg()) == ACCEPT,
                    want,
                    "n={n} neg={neg} i={i}"
                );
            }
            assert_eq!(run(&prog, &ev6(DB8, FD).msg()), ACCEPT, "n={n} neg={neg}");
        }
    }
}

#[test]
fn full_mark_and_protocol_lists_stay_correct() {
    for neg in [false, true] {
        let mut f = EventFilter::new();
        for i in 0..127 {
            f.add(mark(i << 4, 0xff0)).unwrap();
        }
        for p in 0..255 {
            f.add(FilterValue::L4Proto(p)).unwrap();
        }
        if neg {
            f.set_logic(NFCT_FILTER_MARK as u32, NEG).unwrap();
        }
        let prog = f.program().unwrap().insns;
        for (m, hit) in [
            (0x5, true),
            (0x7e3, true),
            (0x7f0, false),
            (0x1000_0010, true),
        ] {
            let e = ev4(LO, LO2).proto(200, 0).mark(m);
            assert_eq!(
                run(&prog, &e.msg()) == ACCEPT,
                verdict(hit, neg),
                "mark {m:#x}"
            );
        }
        // Protocol 255 was not added (the 255 adds were 0..=254).
        let e = ev4(LO, LO2).proto(255, 0).mark(0x10);
        assert_eq!(run(&prog, &e.msg()), REJECT);
    }
}

#[test]
fn largest_filter_fits_the_kernel() {
    let mut f = EventFilter::new();
    for p in 0..255 {
        f.add(FilterValue::L4Proto(p)).unwrap();
    }
    for i in 0..127u32 {
        for dir in [Dir::Src, Dir::Dst] {
            f.add(v4(dir, NET10 + i, !0)).unwrap();
        }
        f.add(mark(i, !0)).unwrap();
        f.add(FilterValue::Zone(i as u16)).unwrap();
    }
    for i in 0..20u32 {
        for dir in [Dir::Src, Dir::Dst] {
            f.add(v6(dir, [0xfd00_0000, 0, 0, i], ALL6)).unwrap();
        }
    }
    for p in [6u16, 33, 132] {
        for s in 0..16 {
            f.add(state(p, s)).unwrap();
        }
    }
    for a in 0..8 {
        if a % 2 == 1 {
            f.set_logic(a, NEG).unwrap();
        }
    }
    let prog = f.program().unwrap().insns;
    // More than the reference's 2048-instruction buffer, well within the
    // kernel's 4096.
    assert!(prog.len() > 2048 && prog.len() < 4096, "{}", prog.len());
    check(&prog).unwrap();
    // Protocol 6, state 3 is negative-listed (states have negative logic);
    // source 10.0.0.5 and dest 10.0.0.6 are listed, dest is negative.
    let e = ev4(NET10 + 5, NET10 + 200).proto(17, 0).mark(5).zone(300);
    // Zone (7) is negative: 300 not listed, so passed.
    assert_eq!(run(&prog, &e.msg()), ACCEPT);
    assert_eq!(run(&prog, &e.zone(5).msg()), REJECT);
    assert_eq!(run(&prog, &e.mark(500).msg()), REJECT);
    assert_eq!(
        run(&prog, &ev4(NET10 + 5, NET10 + 6).proto(17, 0).mark(5).msg()),
        REJECT
    );
    assert_eq!(run(&prog, &e.proto(6, 3).msg()), REJECT);
}
