//! Object to netlink: the ctnetlink attributes that describe an expectation
//! (what `nfexp_nlmsg_build` appends to a request).
//!
//! The reference builds exactly these, in this order, each only when its bit
//! is set: the expected, master and mask tuples (their original tuple, no
//! zone), the timeout, the flags, the zone and the helper name. It never
//! sends the class, the NAT direction and tuple or the expectation function,
//! although it parses them; so neither do we, and the bytes on the wire are
//! the reference's.

use super::attr::ExpAttr::{self, *};
use super::object::Expect;
use crate::conntrack::build::put_tuple_body;
use crate::conntrack::layout::ORIG;
use crate::conntrack::CtRef;
use crate::ctnetlink::exp;
use crate::netlink::attr::AttrWriter;
use crate::netlink::frame::PutAttr;

/// Appends tuple attribute `a` as a nest of type `ty` when it is set. A
/// tuple whose family is neither IPv4 nor IPv6 is left out whole, as the
/// reference's cancelled nest leaves it.
fn put_tuple(w: &mut AttrWriter<'_>, e: &Expect, a: ExpAttr, ty: u16) {
    if !e.is_set(a) {
        return;
    }
    let Some(head) = e.head(a) else {
        return;
    };
    let n = w.nest_start(ty);
    match put_tuple_body(w, CtRef::Head(head), ORIG) {
        Ok(()) => w.nest_end(n),
        Err(_) => w.nest_cancel(n),
    }
}

/// Appends every attribute that describes `e` (`nfexp_nlmsg_build`). It
/// cannot fail: what cannot be expressed is left out, as the reference does.
pub fn build(w: &mut AttrWriter<'_>, e: &Expect) {
    put_tuple(w, e, ATTR_EXP_EXPECTED, exp::TUPLE);
    put_tuple(w, e, ATTR_EXP_MASTER, exp::MASTER);
    put_tuple(w, e, ATTR_EXP_MASK, exp::MASK);
    if e.is_set(ATTR_EXP_TIMEOUT) {
        w.put_be32(exp::TIMEOUT, e.timeout());
    }
    if e.is_set(ATTR_EXP_FLAGS) {
        w.put_be32(exp::FLAGS, e.flags());
    }
    if e.is_set(ATTR_EXP_ZONE) {
        w.put_be16(exp::ZONE, e.zone());
    }
    if e.is_set(ATTR_EXP_HELPER_NAME) {
        w.put_strz(exp::HELP_NAME, e.helper_name());
    }
}
