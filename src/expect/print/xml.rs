//! XML output (`NFCT_O_XML`): one `<flow>` element without line breaks, in
//! the reference's order and with its quirks: the layer-3 and layer-4
//! protocols named are the expected tuple's, every tuple's addresses and
//! ports are printed whether or not it is set, the flags are printed from
//! their stored value, and of the output flags only `NFCT_OF_TIME` counts.

use super::{tuple, EXPECT_INACTIVE, EXPECT_PERMANENT, EXPECT_USERSPACE};
use crate::conntrack::print::names;
use crate::conntrack::print::xml::{address, when};
use crate::conntrack::print::{Options, Tuple, Writer, MSG_DESTROY, MSG_NEW, MSG_UPDATE, OF_TIME};
use crate::ctnetlink::ipproto::{DCCP, GRE, SCTP, TCP, UDP, UDPLITE};
use crate::expect::object::Expect;
use crate::expect::ExpAttr::{self, *};

/// The tuples in the order the reference prints them, with their element.
const TUPLES: [(ExpAttr, &[u8], &[u8]); 3] = [
    (ATTR_EXP_EXPECTED, b"<expected>", b"</expected>"),
    (ATTR_EXP_MASK, b"<mask>", b"</mask>"),
    (ATTR_EXP_MASTER, b"<master>", b"</master>"),
];

/// `<sport>N</sport><dport>N</dport>` (or the GRE keys) of a tuple. Each
/// element counts only what fit of it, as in the reference (see
/// `Writer::count_only_written_since`).
fn ports(w: &mut Writer<'_>, t: &Tuple) {
    let pieces: [(&[u8], &[u8], u16); 2] = match t.l4 {
        TCP | UDP | UDPLITE | SCTP | DCCP => [
            (b"<sport>", b"</sport>", u16::from_be_bytes(t.l4src)),
            (b"<dport>", b"</dport>", u16::from_be_bytes(t.l4dst)),
        ],
        GRE => [
            (b"<srckey>0x", b"</srckey>", u16::from_be_bytes(t.l4src)),
            (b"<dstkey>0x", b"</dstkey>", u16::from_be_bytes(t.l4dst)),
        ],
        _ => return,
    };
    for (open, close, v) in pieces {
        let start = w.pos();
        w.bytes(open);
        if t.l4 == GRE {
            w.hex16(v);
        } else {
            w.u32(u32::from(v));
        }
        w.bytes(close);
        w.count_only_written_since(start);
    }
}

/// `<tag>N</tag>` for a number.
fn element(w: &mut Writer<'_>, open: &[u8], v: u32, close: &[u8]) {
    w.bytes(open);
    w.u32(v);
    w.bytes(close);
}

fn meta(w: &mut Writer<'_>, e: &Expect, opts: &Options<'_>) {
    w.bytes(b"<meta>");
    if e.is_set(ATTR_EXP_HELPER_NAME) {
        w.bytes(b"<helper-name>");
        w.bytes(e.helper_name());
        w.bytes(b"</helper-name>");
    }
    if e.is_set(ATTR_EXP_TIMEOUT) {
        element(w, b"<timeout>", e.timeout(), b"</timeout>");
    }
    if e.is_set(ATTR_EXP_CLASS) {
        element(w, b"<class>", e.class(), b"</class>");
    }
    if e.is_set(ATTR_EXP_ZONE) {
        element(w, b"<zone>", e.zone().into(), b"</zone>");
    }
    if opts.flags & OF_TIME != 0 {
        let now = opts.clock.now();
        // Without a local time the reference skips to the flags.
        if let Some(tm) = opts.clock.local(now, false) {
            when(w, &tm);
        }
    }
    let flags = e.flags();
    if flags & EXPECT_PERMANENT != 0 {
        w.bytes(b"<permanent/>");
    }
    if flags & EXPECT_INACTIVE != 0 {
        w.bytes(b"<inactive/>");
    }
    if flags & EXPECT_USERSPACE != 0 {
        w.bytes(b"<userspace/>");
    }
    w.bytes(b"</meta>");
}

/// Prints `e` as XML; returns `nfexp_snprintf`'s result.
pub fn expect(w: &mut Writer<'_>, e: &Expect, opts: &Options<'_>) -> usize {
    w.bytes(match opts.msg_type {
        MSG_NEW => b"<flow type=\"new\">",
        MSG_UPDATE => b"<flow type=\"update\">",
        MSG_DESTROY => b"<flow type=\"destroy\">",
        _ => &b"<flow>"[..],
    });
    let tuples = TUPLES.map(|(a, open, close)| (tuple(e, a), open, close));
    let expected = &tuples[0].0;

    w.bytes(b"<layer3 protonum=\"");
    w.u32(expected.l3.into());
    w.bytes(b"\" protoname=\"");
    w.bytes(names::l3proto(expected.l3));
    w.bytes(b"\">");
    for (t, open, close) in &tuples {
        w.bytes(open);
        address(w, t.l3, &t.src, b"<src>", b"</src>");
        address(w, t.l3, &t.dst, b"<dst>", b"</dst>");
        w.bytes(close);
    }
    w.bytes(b"</layer3>");

    w.bytes(b"<layer4 protonum=\"");
    w.u32(expected.l4.into());
    w.bytes(b"\" protoname=\"");
    w.bytes(names::l4proto(expected.l4));
    w.bytes(b"\">");
    for (t, open, close) in &tuples {
        w.bytes(open);
        ports(w, t);
        w.bytes(close);
    }
    w.bytes(b"</layer4>");

    meta(w, e, opts);
    w.bytes(b"</flow>");
    w.nul_after();
    let len = w.pos();
    w.terminate_at(len);
    len
}
