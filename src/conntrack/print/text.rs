//! Plain output (`NFCT_O_PLAIN`): one line, fields separated by spaces, in the
//! reference's order and with its quirks.

use super::names;
use super::writer::Writer;
use super::{
    helper_name, label_names, raw, raw_u32, raw_u64, secctx, secs, Clock, Options, PrintError, Tm,
    Tuple, MSG_DESTROY, MSG_NEW, MSG_UPDATE, OF_ID, OF_SHOW_LAYER3, OF_TIMESTAMP,
};
use crate::conntrack::layout::*;
use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::conntrack::{Attr::*, CtRef};
use crate::ctnetlink::ipproto::{DCCP, GRE, ICMP, ICMPV6, SCTP, TCP, UDP, UDPLITE};
use crate::ctnetlink::status::{IPS_ASSURED, IPS_HW_OFFLOAD, IPS_OFFLOAD, IPS_SEEN_REPLY};

/// `src=A dst=B ` for an IPv4 or IPv6 tuple; nothing for other families.
#[inline]
fn addresses(w: &mut Writer<'_>, t: &Tuple) {
    match t.l3 {
        AF_INET => {
            w.bytes(b"src=");
            w.ipv4(t.src4());
            w.bytes(b" dst=");
            w.ipv4(t.dst4());
            w.byte(b' ');
        }
        AF_INET6 => {
            w.bytes(b"src=");
            w.ipv6(&t.src);
            w.bytes(b" dst=");
            w.ipv6(&t.dst);
            w.byte(b' ');
        }
        _ => {}
    }
}

/// Ports, GRE keys or ICMP type, code and id, by the tuple's protocol.
#[inline]
pub(crate) fn layer4(w: &mut Writer<'_>, t: &Tuple) {
    match t.l4 {
        TCP | UDP | UDPLITE | SCTP | DCCP => {
            w.bytes(b"sport=");
            w.u32(u32::from(u16::from_be_bytes(t.l4src)));
            w.bytes(b" dport=");
            w.u32(u32::from(u16::from_be_bytes(t.l4dst)));
            w.byte(b' ');
        }
        GRE => {
            w.bytes(b"srckey=0x");
            w.hex16(u16::from_be_bytes(t.l4src));
            w.bytes(b" dstkey=0x");
            w.hex16(u16::from_be_bytes(t.l4dst));
            w.byte(b' ');
        }
        ICMP | ICMPV6 => {
            w.bytes(b"type=");
            w.u32(u32::from(t.l4dst[0]));
            w.bytes(b" code=");
            w.u32(u32::from(t.l4dst[1]));
            w.bytes(b" id=");
            w.u32(u32::from(u16::from_be_bytes(t.l4src)));
            w.byte(b' ');
        }
        _ => {}
    }
}

/// `packets=N bytes=N ` of one direction, when both counters are set.
#[inline]
fn counters(w: &mut Writer<'_>, ct: CtRef<'_>, packets: u16, bytes: u16) {
    w.bytes(b"packets=");
    w.u64(raw_u64(ct, packets));
    w.bytes(b" bytes=");
    w.u64(raw_u64(ct, bytes));
    w.byte(b' ');
}

/// A date as `ctime()` writes it, without its newline:
/// `Thu Jan  1 00:00:00 1970`.
pub(crate) fn ctime(w: &mut Writer<'_>, tm: &Tm) {
    let day = names::WEEKDAYS
        .get(tm.wday as usize)
        .map_or(&b"???"[..], |d| &d[..]);
    let month = names::MONTHS
        .get(tm.mon as usize)
        .map_or(&b"???"[..], |m| &m[..]);
    w.bytes(day);
    w.byte(b' ');
    w.bytes(month);
    w.i64_right(i64::from(tm.mday), 3);
    w.byte(b' ');
    w.i64_02(i64::from(tm.hour));
    w.byte(b':');
    w.i64_02(i64::from(tm.min));
    w.byte(b':');
    w.i64_02(i64::from(tm.sec));
    w.byte(b' ');
    w.i64(i64::from(tm.year) + 1900);
}

/// `[start=DATE] ` or `[stop=DATE] ` in the local time zone.
fn date(w: &mut Writer<'_>, tag: &[u8], ns: u64, clock: &dyn Clock) {
    let t = secs(ns);
    let tm = clock.local(t, true).unwrap_or_else(|| Tm::utc(t));
    w.bytes(tag);
    ctime(w, &tm);
    w.bytes(b"] ");
}

/// `labels=a,b ` (the names of the set labels that have one).
fn labels(w: &mut Writer<'_>, ct: CtRef<'_>, opts: &Options<'_>) {
    let Some(names) = opts.labels else {
        return;
    };
    if !ct.is_set(ATTR_CONNLABELS) || ct.labels(ATTR_CONNLABELS).is_none() {
        return;
    }
    w.bytes(b"labels=");
    label_names(w, ct, names, b"", b",");
    // The reference steps back over the last comma (or, with no name
    // printed, over the '=') and writes the separating space there.
    w.back();
    w.byte(b' ');
}

/// Prints `ct` as one line; see [`super::print`].
pub fn conntrack(
    w: &mut Writer<'_>,
    ct: CtRef<'_>,
    opts: &Options<'_>,
) -> Result<usize, PrintError> {
    match opts.msg_type {
        MSG_NEW => w.bytes(b"    [NEW] "),
        MSG_UPDATE => w.bytes(b" [UPDATE] "),
        MSG_DESTROY => w.bytes(b"[DESTROY] "),
        _ => {}
    }
    let r = body(w, ct, opts);
    // The NUL of the reference's last piece, if it printed any.
    if w.pos() > 0 {
        w.nul_after();
    }
    r?;
    // The length leaves out the trailing space, which the NUL replaces.
    let len = w.pos().saturating_sub(1);
    w.terminate_at(len);
    Ok(len)
}

fn body(w: &mut Writer<'_>, ct: CtRef<'_>, opts: &Options<'_>) -> Result<(), PrintError> {
    let bits = ct.set();
    if opts.flags & OF_SHOW_LAYER3 != 0 {
        if !bits.has(ATTR_ORIG_L3PROTO) {
            return Err(PrintError::NoProtocol);
        }
        let l3 = raw::<1>(ct, ORIG + T_L3)[0];
        w.left(names::l3proto(l3), 8);
        w.byte(b' ');
        w.u32(u32::from(l3));
        w.byte(b' ');
    }
    if !bits.has(ATTR_ORIG_L4PROTO) {
        return Err(PrintError::NoProtocol);
    }
    let orig = Tuple::read(ct, ORIG);
    w.left(names::l4proto(orig.l4), 8);
    w.byte(b' ');
    w.u32(u32::from(orig.l4));
    w.byte(b' ');

    if bits.has(ATTR_TIMEOUT) {
        w.u32(raw_u32(ct, TIMEOUT));
        w.byte(b' ');
    }
    // TCP, SCTP and DCCP keep their state in the same byte.
    let state = raw::<1>(ct, TCP_STATE)[0];
    if bits.has(ATTR_TCP_STATE) {
        w.bytes(names::tcp_state(state));
        w.byte(b' ');
    }
    if bits.has(ATTR_SCTP_STATE) {
        w.bytes(names::sctp_state(state));
        w.byte(b' ');
    }
    if bits.has(ATTR_DCCP_STATE) {
        w.bytes(names::dccp_state(state));
        w.byte(b' ');
    }

    addresses(w, &orig);
    layer4(w, &orig);
    if bits.has(ATTR_ORIG_ZONE) {
        w.bytes(b"zone-orig=");
        w.u32(u32::from(orig.zone));
        w.byte(b' ');
    }
    if bits.has(ATTR_ORIG_COUNTER_PACKETS) && bits.has(ATTR_ORIG_COUNTER_BYTES) {
        counters(w, ct, ORIG_PACKETS, ORIG_BYTES);
    }
    let status = raw_u32(ct, STATUS);
    if bits.has(ATTR_STATUS) && status & IPS_SEEN_REPLY == 0 {
        w.bytes(b"[UNREPLIED] ");
    }

    let repl = Tuple::read(ct, REPL);
    addresses(w, &repl);
    layer4(w, &repl);
    if bits.has(ATTR_REPL_ZONE) {
        w.bytes(b"zone-reply=");
        w.u32(u32::from(repl.zone));
        w.byte(b' ');
    }
    if bits.has(ATTR_REPL_COUNTER_PACKETS) && bits.has(ATTR_REPL_COUNTER_BYTES) {
        counters(w, ct, REPL_PACKETS, REPL_BYTES);
    }
    if bits.has(ATTR_STATUS) {
        if status & IPS_HW_OFFLOAD != 0 {
            w.bytes(b"[HW_OFFLOAD] ");
        } else if status & IPS_OFFLOAD != 0 {
            w.bytes(b"[OFFLOAD] ");
        } else if status & IPS_ASSURED != 0 {
            w.bytes(b"[ASSURED] ");
        }
    }
    if bits.has(ATTR_MARK) {
        w.bytes(b"mark=");
        w.u32(raw_u32(ct, MARK));
        w.byte(b' ');
    }
    if bits.has(ATTR_SECMARK) {
        w.bytes(b"secmark=");
        w.u32(raw_u32(ct, SECMARK));
        w.byte(b' ');
    }
    if bits.has(ATTR_SECCTX) {
        w.bytes(b"secctx=");
        w.bytes(secctx(ct));
        w.byte(b' ');
    }
    if bits.has(ATTR_ZONE) {
        w.bytes(b"zone=");
        w.u32(u32::from(u16::from_ne_bytes(raw(ct, ZONE))));
        w.byte(b' ');
    }
    if bits.has(ATTR_TIMESTAMP_START) {
        let start = raw_u64(ct, TIMESTAMP_START);
        let stop = raw_u64(ct, TIMESTAMP_STOP);
        // An entry that has not stopped is aged against the clock.
        let end = if stop == 0 {
            opts.clock.now()
        } else {
            secs(stop)
        };
        w.bytes(b"delta-time=");
        w.u64(end.wrapping_sub(secs(start)) as u64);
        w.byte(b' ');
    }
    if opts.flags & OF_TIMESTAMP != 0 {
        if bits.has(ATTR_TIMESTAMP_START) {
            date(w, b"[start=", raw_u64(ct, TIMESTAMP_START), opts.clock);
        }
        if bits.has(ATTR_TIMESTAMP_STOP) {
            date(w, b"[stop=", raw_u64(ct, TIMESTAMP_STOP), opts.clock);
        }
    }
    if bits.has(ATTR_HELPER_NAME) {
        w.bytes(b"helper=");
        w.bytes(helper_name(ct));
        w.byte(b' ');
    }
    if bits.has(ATTR_USE) {
        w.bytes(b"use=");
        w.u32(raw_u32(ct, USE));
        w.byte(b' ');
    }
    if opts.flags & OF_ID != 0 && bits.has(ATTR_ID) {
        w.bytes(b"id=");
        w.u32(raw_u32(ct, ID));
        w.byte(b' ');
    }
    labels(w, ct, opts);
    Ok(())
}
