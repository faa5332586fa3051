//! XML output (`NFCT_O_XML`): one `<flow>` element without line breaks, in
//! the reference's order and with its quirks.

use super::names;
use super::writer::Writer;
use super::{
    helper_name, label_names, raw, raw_u32, raw_u64, secctx, secs, Options, PrintError, Tuple,
    MSG_DESTROY, MSG_NEW, MSG_UPDATE, OF_TIME, OF_TIMESTAMP,
};
use crate::conntrack::attr::AttrSet;
use crate::conntrack::layout::*;
use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::conntrack::{Attr, Attr::*, CtRef};
use crate::ctnetlink::ipproto::{DCCP, GRE, SCTP, TCP, UDP, UDPLITE};
use crate::ctnetlink::status::{IPS_ASSURED, IPS_SEEN_REPLY};

/// `<src>A</src>` or `<dst>A</dst>`; the element stays empty for families
/// other than IPv4 and IPv6.
/// The `<when>` element of `NFCT_OF_TIME`: the local time of printing.
pub(crate) fn when(w: &mut Writer<'_>, tm: &super::Tm) {
    w.bytes(b"<when><hour>");
    w.i64(tm.hour.into());
    w.bytes(b"</hour><min>");
    w.i64_02(tm.min.into());
    w.bytes(b"</min><sec>");
    w.i64_02(tm.sec.into());
    w.bytes(b"</sec><wday>");
    w.i64(i64::from(tm.wday) + 1);
    w.bytes(b"</wday><day>");
    w.i64(tm.mday.into());
    w.bytes(b"</day><month>");
    w.i64(i64::from(tm.mon) + 1);
    w.bytes(b"</month><year>");
    w.i64(i64::from(tm.year) + 1900);
    w.bytes(b"</year></when>");
}

pub(crate) fn address(w: &mut Writer<'_>, l3: u8, addr: &[u8; 16], open: &[u8], close: &[u8]) {
    w.bytes(open);
    match l3 {
        AF_INET => w.ipv4([addr[0], addr[1], addr[2], addr[3]]),
        AF_INET6 => w.ipv6(addr),
        _ => {}
    }
    w.bytes(close);
}

/// One direction: `<meta direction="...">` with its layer 3 and 4, its zone
/// and counters.
fn tuple(w: &mut Writer<'_>, ct: CtRef<'_>, base: u16, zone: bool, packets: u16, bytes: u16) {
    let t = Tuple::read(ct, base);
    w.bytes(if base == ORIG {
        b"<meta direction=\"original\">"
    } else {
        b"<meta direction=\"reply\">"
    });
    w.bytes(b"<layer3 protonum=\"");
    w.u32(u32::from(t.l3));
    w.bytes(b"\" protoname=\"");
    w.bytes(names::l3proto(t.l3));
    w.bytes(b"\">");
    address(w, t.l3, &t.src, b"<src>", b"</src>");
    address(w, t.l3, &t.dst, b"<dst>", b"</dst>");
    w.bytes(b"</layer3><layer4 protonum=\"");
    w.u32(u32::from(t.l4));
    w.bytes(b"\" protoname=\"");
    w.bytes(names::l4proto(t.l4));
    w.bytes(b"\">");
    // Each of these elements counts only what fit of it (see
    // `Writer::count_only_written_since`).
    match t.l4 {
        TCP | UDP | UDPLITE | SCTP | DCCP => {
            let start = w.pos();
            w.bytes(b"<sport>");
            w.u32(u32::from(u16::from_be_bytes(t.l4src)));
            w.bytes(b"</sport>");
            w.count_only_written_since(start);
            let start = w.pos();
            w.bytes(b"<dport>");
            w.u32(u32::from(u16::from_be_bytes(t.l4dst)));
            w.bytes(b"</dport>");
            w.count_only_written_since(start);
        }
        GRE => {
            let start = w.pos();
            w.bytes(b"<srckey>0x");
            w.hex16(u16::from_be_bytes(t.l4src));
            w.bytes(b"</srckey>");
            w.count_only_written_since(start);
            let start = w.pos();
            w.bytes(b"<dstkey>0x");
            w.hex16(u16::from_be_bytes(t.l4dst));
            w.bytes(b"</dstkey>");
            w.count_only_written_since(start);
        }
        _ => {}
    }
    w.bytes(b"</layer4>");
    if zone {
        w.bytes(b"<zone>");
        w.u32(u32::from(t.zone));
        w.bytes(b"</zone>");
    }
    // Both directions print their counters when the original ones are set.
    let bits = ct.set();
    if bits.has(ATTR_ORIG_COUNTER_PACKETS) && bits.has(ATTR_ORIG_COUNTER_BYTES) {
        w.bytes(b"<counters><packets>");
        w.u64(raw_u64(ct, packets));
        w.bytes(b"</packets><bytes>");
        w.u64(raw_u64(ct, bytes));
        w.bytes(b"</bytes></counters>");
    }
    w.bytes(b"</meta>");
}

/// Attributes whose presence opens the `independent` meta element.
const INDEPENDENT: [Attr; 13] = [
    ATTR_TCP_STATE,
    ATTR_SCTP_STATE,
    ATTR_DCCP_STATE,
    ATTR_TIMEOUT,
    ATTR_MARK,
    ATTR_SECMARK,
    ATTR_ZONE,
    ATTR_USE,
    ATTR_STATUS,
    ATTR_ID,
    ATTR_CONNLABELS,
    ATTR_TIMESTAMP_START,
    ATTR_TIMESTAMP_STOP,
];

fn any_independent(bits: &AttrSet) -> bool {
    INDEPENDENT.iter().any(|&a| bits.has(a))
}

/// `<tag>N</tag>` for a number.
fn element_u64(w: &mut Writer<'_>, open: &[u8], v: u64, close: &[u8]) {
    w.bytes(open);
    w.u64(v);
    w.bytes(close);
}

/// Prints `ct` as XML; see [`super::print`].
pub fn conntrack(
    w: &mut Writer<'_>,
    ct: CtRef<'_>,
    opts: &Options<'_>,
) -> Result<usize, PrintError> {
    let bits = ct.set();
    w.bytes(match opts.msg_type {
        MSG_NEW => b"<flow type=\"new\">",
        MSG_UPDATE => b"<flow type=\"update\">",
        MSG_DESTROY => b"<flow type=\"destroy\">",
        _ => &b"<flow>"[..],
    });
    tuple(
        w,
        ct,
        ORIG,
        bits.has(ATTR_ORIG_ZONE),
        ORIG_PACKETS,
        ORIG_BYTES,
    );
    tuple(
        w,
        ct,
        REPL,
        bits.has(ATTR_REPL_ZONE),
        REPL_PACKETS,
        REPL_BYTES,
    );

    let independent = any_independent(&bits);
    if independent {
        w.bytes(b"<meta direction=\"independent\">");
    }
    // TCP, SCTP and DCCP keep their state in the same byte; all three are
    // named from the TCP table.
    let state = names::xml_state(raw::<1>(ct, TCP_STATE)[0]);
    for a in [ATTR_TCP_STATE, ATTR_SCTP_STATE, ATTR_DCCP_STATE] {
        if bits.has(a) {
            w.bytes(b"<state>");
            w.bytes(state);
            w.bytes(b"</state>");
        }
    }
    if bits.has(ATTR_TIMEOUT) {
        element_u64(w, b"<timeout>", raw_u32(ct, TIMEOUT).into(), b"</timeout>");
    }
    if bits.has(ATTR_MARK) {
        element_u64(w, b"<mark>", raw_u32(ct, MARK).into(), b"</mark>");
    }
    if let Some(names) = opts.labels {
        if bits.has(ATTR_CONNLABELS) && ct.labels(ATTR_CONNLABELS).is_some() {
            w.bytes(b"<labels>");
            label_names(w, ct, names, b"<label>", b"</label>");
            w.bytes(b"</labels>");
        }
    }
    if bits.has(ATTR_SECMARK) {
        element_u64(w, b"<secmark>", raw_u32(ct, SECMARK).into(), b"</secmark>");
    }
    if bits.has(ATTR_SECCTX) {
        w.bytes(b"<secctx>");
        w.bytes(secctx(ct));
        w.bytes(b"</secctx>");
    }
    if bits.has(ATTR_ZONE) {
        let zone = u16::from_ne_bytes(raw(ct, ZONE));
        element_u64(w, b"<zone>", zone.into(), b"</zone>");
    }
    if bits.has(ATTR_USE) {
        element_u64(w, b"<use>", raw_u32(ct, USE).into(), b"</use>");
    }
    if bits.has(ATTR_ID) {
        element_u64(w, b"<id>", raw_u32(ct, ID).into(), b"</id>");
    }
    let status = raw_u32(ct, STATUS);
    if bits.has(ATTR_STATUS) && status & IPS_ASSURED != 0 {
        w.bytes(b"<assured/>");
    }
    if bits.has(ATTR_STATUS) && status & IPS_SEEN_REPLY == 0 {
        w.bytes(b"<unreplied/>");
    }
    let (has_start, has_stop) = (
        bits.has(ATTR_TIMESTAMP_START),
        bits.has(ATTR_TIMESTAMP_STOP),
    );
    let start = raw_u64(ct, TIMESTAMP_START);
    let stop = raw_u64(ct, TIMESTAMP_STOP);
    if opts.flags & OF_TIMESTAMP != 0 && (has_start || has_stop) {
        w.bytes(b"<timestamp>");
        if has_start {
            element_u64(w, b"<start>", start, b"</start>");
        }
        if has_stop {
            element_u64(w, b"<stop>", stop, b"</stop>");
        }
        w.bytes(b"</timestamp>");
    }
    if has_start {
        let delta = if has_stop {
            stop.wrapping_sub(start) / 1_000_000_000
        } else {
            opts.clock.now().wrapping_sub(secs(start)) as u64
        };
        element_u64(w, b"<deltatime>", delta, b"</deltatime>");
    }
    if independent {
        w.bytes(b"</meta>");
    }

    let mut helper = bits.has(ATTR_HELPER_NAME);
    if opts.flags & OF_TIME != 0 {
        let now = opts.clock.now();
        match opts.clock.local(now, false) {
            Some(tm) => when(w, &tm),
            // The reference jumps straight to the end, past the helper.
            None => helper = false,
        }
    }
    if helper {
        w.bytes(b"<helper>");
        w.bytes(helper_name(ct));
        w.bytes(b"</helper>");
    }
    w.bytes(b"</flow>");
    w.nul_after();
    let len = w.pos();
    w.terminate_at(len);
    Ok(len)
}
