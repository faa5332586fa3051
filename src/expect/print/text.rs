//! Plain output (`NFCT_O_PLAIN`): one line, as `conntrack -L expect` shows
//! it, in the reference's order and with its quirks:
//!
//! - the protocol, addresses and ports of the expected, mask and master
//!   tuples are printed whether or not those tuples are set;
//! - the flags are printed from their stored value, set or not;
//! - the trailing space is dropped only when the whole output fits the
//!   buffer, so a truncated result counts it;
//! - the output flags (`NFCT_OF_*`) change nothing.

use super::{tuple, EXPECT_INACTIVE, EXPECT_PERMANENT, EXPECT_USERSPACE};
use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::conntrack::print::text::layer4;
use crate::conntrack::print::{Options, Tuple, Writer, MSG_DESTROY, MSG_NEW, MSG_UPDATE};
use crate::expect::object::Expect;
use crate::expect::ExpAttr::*;

/// `SRC=A DST=B ` for an IPv4 or IPv6 tuple (the tags carry their `=`);
/// nothing for other families.
fn addresses(w: &mut Writer<'_>, t: &Tuple, src: &[u8], dst: &[u8]) {
    match t.l3 {
        AF_INET => {
            w.bytes(src);
            w.ipv4(t.src4());
            w.byte(b' ');
            w.bytes(dst);
            w.ipv4(t.dst4());
            w.byte(b' ');
        }
        AF_INET6 => {
            w.bytes(src);
            w.ipv6(&t.src);
            w.byte(b' ');
            w.bytes(dst);
            w.ipv6(&t.dst);
            w.byte(b' ');
        }
        _ => {}
    }
}

/// Prints `e` as one line; returns `nfexp_snprintf`'s result.
pub fn expect(w: &mut Writer<'_>, e: &Expect, opts: &Options<'_>) -> usize {
    match opts.msg_type {
        MSG_NEW => w.bytes(b"    [NEW] "),
        MSG_UPDATE => w.bytes(b" [UPDATE] "),
        MSG_DESTROY => w.bytes(b"[DESTROY] "),
        _ => {}
    }
    if e.is_set(ATTR_EXP_TIMEOUT) {
        w.u32(e.timeout());
        w.byte(b' ');
    }
    let expected = tuple(e, ATTR_EXP_EXPECTED);
    w.bytes(b"proto=");
    w.u32(u32::from(expected.l4));
    w.byte(b' ');
    addresses(w, &expected, b"src=", b"dst=");
    layer4(w, &expected);
    let mask = tuple(e, ATTR_EXP_MASK);
    addresses(w, &mask, b"mask-src=", b"mask-dst=");
    layer4(w, &mask);
    let master = tuple(e, ATTR_EXP_MASTER);
    addresses(w, &master, b"master-src=", b"master-dst=");
    layer4(w, &master);
    if e.is_set(ATTR_EXP_ZONE) {
        w.bytes(b"zone=");
        w.u32(u32::from(e.zone()));
        w.byte(b' ');
    }
    let flags = e.flags();
    let mut delim: &[u8] = b"";
    if flags & EXPECT_PERMANENT != 0 {
        w.bytes(b"PERMANENT");
        delim = b",";
    }
    if flags & EXPECT_INACTIVE != 0 {
        w.bytes(delim);
        w.bytes(b"INACTIVE");
        delim = b",";
    }
    if flags & EXPECT_USERSPACE != 0 {
        w.bytes(delim);
        w.bytes(b"USERSPACE");
    }
    if flags != 0 {
        w.byte(b' ');
    }
    if e.is_set(ATTR_EXP_CLASS) {
        w.bytes(b"class=");
        w.u32(e.class());
        w.byte(b' ');
    }
    // Every piece ends with a space, except the helper name.
    let mut ends_with_space = true;
    if e.is_set(ATTR_EXP_HELPER_NAME) {
        let name = e.helper_name();
        w.bytes(b"helper=");
        w.bytes(name);
        ends_with_space = name.last() == Some(&b' ');
    }
    w.nul_after();
    // The reference drops the trailing space only when the whole output fit.
    let fits = w.room() > 0;
    let mut len = w.pos();
    if fits && ends_with_space {
        len -= 1;
    }
    w.terminate_at(len);
    len
}
