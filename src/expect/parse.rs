//! Netlink to object: one pass over an expectation message's attributes,
//! straight from the receive buffer into the expectation, without
//! allocating.
//!
//! What gets set is what the reference sets, quirks included:
//!
//! - each tuple nest fills its tuple head (addresses, protocol, ports or
//!   ICMP fields, zone), but the family (`ATTR_ORIG_L3PROTO`) of the message
//!   lands on *another* head: `CTA_EXPECT_MASTER` gives it to the expected
//!   tuple, `CTA_EXPECT_TUPLE` to the mask and `CTA_EXPECT_MASK` to the
//!   master. With all three present (what the kernel sends) every head gets
//!   its family;
//! - a `CTA_EXPECT_NAT` nest gives the NAT head the family whether or not it
//!   holds a tuple;
//! - integers arrive big-endian and are stored in host order; the helper
//!   and function names are cut at their NUL and at their buffer.
//!
//! Unknown attributes are skipped, as newer kernels may send more. A known
//! attribute of the wrong size, or a malformed attribute stream, fails the
//! parse with [`Malformed`] (the reference calls `exit()` or `assert()`s
//! there, or reads past the attribute: it does not check the class, the NAT
//! nest or the function name's length); whatever was parsed before stays
//! set. A tuple or NAT nest that a message repeats is merged into the same
//! head, where the reference keeps only the last one; the kernel never
//! repeats an attribute.

use super::attr::ExpAttr::{self, *};
use super::layout::EXPECTFN_CAP;
use super::object::Expect;
use crate::conntrack::layout::{ORIG, T_L3};
use crate::conntrack::parse::parse_tuple_fields;
use crate::conntrack::tuple::ORIG_TUPLE;
use crate::conntrack::Attr;
use crate::ctnetlink::{exp, exp_nat};
pub use crate::netlink::attr::Malformed;
use crate::netlink::attr::{Attr as Nla, Attrs, NLA_HDRLEN};

type Result<T = ()> = std::result::Result<T, Malformed>;

/// A nest: empty, or at least one attribute header long (what libmnl's
/// `MNL_TYPE_NESTED` validation accepts).
fn nest<'a>(a: &Nla<'a>) -> Result<Nla<'a>> {
    match a.payload.len() {
        1..NLA_HDRLEN => Err(Malformed),
        _ => Ok(*a),
    }
}

/// Stores integer attribute `attr` (host-order `bytes`).
fn store<const N: usize>(e: &mut Expect, attr: ExpAttr, bytes: [u8; N]) -> Result {
    e.set_uint(attr, bytes).map_err(|_| Malformed)
}

/// Parses tuple nest `a` into the head of `into`, marks `into` set, and gives
/// the head of `family_to` the family `l3num` (see the module comment).
fn tuple(e: &mut Expect, into: ExpAttr, family_to: ExpAttr, a: &Nla<'_>, l3num: u8) -> Result {
    let a = nest(a)?;
    if let Some(h) = e.head_mut(family_to) {
        h.put(Attr::ATTR_ORIG_L3PROTO, ORIG + T_L3, &[l3num]);
    }
    let h = e.head_mut(into).ok_or(Malformed)?;
    parse_tuple_fields(h, &ORIG_TUPLE, &a)?;
    e.mark(into);
    Ok(())
}

fn parse_nat(e: &mut Expect, a: &Nla<'_>, l3num: u8) -> Result {
    let a = nest(a)?;
    if let Some(h) = e.head_mut(ATTR_EXP_NAT_TUPLE) {
        h.put(Attr::ATTR_ORIG_L3PROTO, ORIG + T_L3, &[l3num]);
    }
    for n in a.nested() {
        let n = n?;
        match n.ty {
            exp_nat::DIR => store(e, ATTR_EXP_NAT_DIR, n.be32()?.to_ne_bytes())?,
            exp_nat::TUPLE => {
                let n = nest(&n)?;
                let h = e.head_mut(ATTR_EXP_NAT_TUPLE).ok_or(Malformed)?;
                parse_tuple_fields(h, &ORIG_TUPLE, &n)?;
                e.mark(ATTR_EXP_NAT_TUPLE);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses the attributes of an expectation message into `e`: `payload`
/// follows the `nfgenmsg`, whose family is `l3num`.
pub fn parse_payload(e: &mut Expect, payload: &[u8], l3num: u8) -> Result {
    for a in Attrs::new(payload) {
        let a = a?;
        match a.ty {
            exp::MASTER => tuple(e, ATTR_EXP_MASTER, ATTR_EXP_EXPECTED, &a, l3num)?,
            exp::TUPLE => tuple(e, ATTR_EXP_EXPECTED, ATTR_EXP_MASK, &a, l3num)?,
            exp::MASK => tuple(e, ATTR_EXP_MASK, ATTR_EXP_MASTER, &a, l3num)?,
            exp::TIMEOUT => store(e, ATTR_EXP_TIMEOUT, a.be32()?.to_ne_bytes())?,
            exp::FLAGS => store(e, ATTR_EXP_FLAGS, a.be32()?.to_ne_bytes())?,
            exp::CLASS => store(e, ATTR_EXP_CLASS, a.be32()?.to_ne_bytes())?,
            // Validated, but the object has no place for it.
            exp::ID => {
                a.be32()?;
            }
            exp::ZONE => store(e, ATTR_EXP_ZONE, a.be16()?.to_ne_bytes())?,
            exp::HELP_NAME => {
                if a.payload.is_empty() {
                    return Err(Malformed);
                }
                e.set_bytes(ATTR_EXP_HELPER_NAME, a.payload)
                    .map_err(|_| Malformed)?;
            }
            exp::NAT => parse_nat(e, &a, l3num)?,
            exp::FN => {
                // The reference asserts that the name fits its buffer.
                if a.payload.len() > usize::from(EXPECTFN_CAP) {
                    return Err(Malformed);
                }
                e.set_bytes(ATTR_EXP_FN, a.payload).map_err(|_| Malformed)?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::object::{AF_INET, AF_INET6};
    use crate::conntrack::{Conntrack, CtRef, Head};
    use crate::expect::build::build;
    use crate::expect::compare;
    use crate::netlink::attr::AttrWriter;
    use crate::netlink::frame::PutAttr;

    fn tuple_of(l3: u8, l4: u8, a: u8, sport: u16, dport: u16) -> Head {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, l3);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, l4);
        if l3 == AF_INET {
            ct.set_bytes(Attr::ATTR_ORIG_IPV4_SRC, &[10, 0, 0, a])
                .unwrap();
            ct.set_bytes(Attr::ATTR_ORIG_IPV4_DST, &[10, 0, 1, a])
                .unwrap();
        } else {
            let mut src = [0u8; 16];
            src[0] = 0x20;
            src[15] = a;
            ct.set_bytes(Attr::ATTR_ORIG_IPV6_SRC, &src).unwrap();
            src[14] = 1;
            ct.set_bytes(Attr::ATTR_ORIG_IPV6_DST, &src).unwrap();
        }
        ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, sport.to_be());
        ct.set_u16(Attr::ATTR_ORIG_PORT_DST, dport.to_be());
        Head::of(ct.view())
    }

    fn full(l3: u8) -> Expect {
        let mut e = Expect::new();
        e.set_tuple(ATTR_EXP_MASTER, tuple_of(l3, 6, 1, 40000, 21))
            .unwrap();
        e.set_tuple(ATTR_EXP_EXPECTED, tuple_of(l3, 6, 2, 0, 50000))
            .unwrap();
        e.set_tuple(ATTR_EXP_MASK, tuple_of(l3, 6, 255, 0, 0xffff))
            .unwrap();
        e.set_uint(ATTR_EXP_TIMEOUT, 300u32.to_ne_bytes()).unwrap();
        e.set_uint(ATTR_EXP_FLAGS, 5u32.to_ne_bytes()).unwrap();
        e.set_uint(ATTR_EXP_ZONE, 7u16.to_ne_bytes()).unwrap();
        e.set_bytes(ATTR_EXP_HELPER_NAME, b"ftp").unwrap();
        e
    }

    fn built(e: &Expect) -> Vec<u8> {
        let mut buf = Vec::new();
        build(&mut AttrWriter::new(&mut buf), e);
        buf
    }

    #[test]
    fn build_then_parse_round_trips_every_built_attribute() {
        for l3 in [AF_INET, AF_INET6] {
            let e = full(l3);
            let buf = built(&e);
            let mut back = Expect::new();
            parse_payload(&mut back, &buf, l3).unwrap();
            assert!(compare::cmp(&e, &back, 0x3), "family {l3}");
            assert_eq!(back.timeout(), 300);
            assert_eq!(back.flags(), 5);
            assert_eq!(back.zone(), 7);
            assert_eq!(back.helper_name(), b"ftp");
            for a in [ATTR_EXP_MASTER, ATTR_EXP_EXPECTED, ATTR_EXP_MASK] {
                assert_eq!(back.head(a), e.head(a), "{a:?}");
            }
            for a in [
                ATTR_EXP_CLASS,
                ATTR_EXP_NAT_TUPLE,
                ATTR_EXP_NAT_DIR,
                ATTR_EXP_FN,
            ] {
                assert!(!back.is_set(a), "{a:?} is never built");
            }
        }
    }

    #[test]
    fn each_attribute_alone_round_trips() {
        let e = full(AF_INET);
        for d in crate::expect::attr::EXP_ATTRS.iter() {
            let mut one = e;
            for other in crate::expect::attr::EXP_ATTRS.iter() {
                if other.attr != d.attr {
                    one.unset(other.attr);
                }
            }
            let buf = built(&one);
            let mut back = Expect::new();
            parse_payload(&mut back, &buf, AF_INET).unwrap();
            let built = !matches!(
                d.attr,
                ATTR_EXP_CLASS | ATTR_EXP_NAT_TUPLE | ATTR_EXP_NAT_DIR | ATTR_EXP_FN
            );
            assert_eq!(back.is_set(d.attr), built, "{:?}", d.attr);
            if !built {
                continue;
            }
            let (mut got, want) = (back.raw(d.attr).to_vec(), one.raw(d.attr));
            if let Some(h) = back.head(d.attr) {
                // A tuple alone does not get its family (see the module
                // comment); everything else is there.
                assert!(!CtRef::Head(h).is_set(Attr::ATTR_ORIG_L3PROTO));
                got[T_L3 as usize] = want[T_L3 as usize];
            }
            assert_eq!(got, want, "{:?}", d.attr);
        }
    }

    #[test]
    fn the_family_lands_on_the_next_head() {
        let e = full(AF_INET);
        let mut only_master = e;
        only_master.unset(ATTR_EXP_EXPECTED);
        only_master.unset(ATTR_EXP_MASK);
        let mut back = Expect::new();
        parse_payload(&mut back, &built(&only_master), AF_INET).unwrap();
        let l3 = |x: &Expect, a| CtRef::Head(x.head(a).unwrap()).is_set(Attr::ATTR_ORIG_L3PROTO);
        assert!(back.is_set(ATTR_EXP_MASTER));
        assert!(!l3(&back, ATTR_EXP_MASTER));
        assert!(l3(&back, ATTR_EXP_EXPECTED));
        assert!(!back.is_set(ATTR_EXP_EXPECTED));
        assert!(!l3(&back, ATTR_EXP_MASK));
        // The master tuple's addresses and ports are there all the same.
        let m = CtRef::Head(back.head(ATTR_EXP_MASTER).unwrap());
        assert_eq!(m.u16(Attr::ATTR_ORIG_PORT_DST), 21u16.to_be());
        assert!(m.is_set(Attr::ATTR_ORIG_IPV4_SRC));
    }

    fn put_nat(w: &mut AttrWriter<'_>, dir: u32, with_tuple: bool) {
        let n = w.nest_start(exp::NAT);
        w.put_be32(exp_nat::DIR, dir);
        if with_tuple {
            let t = w.nest_start(exp_nat::TUPLE);
            let h = tuple_of(AF_INET, 17, 9, 1, 2);
            crate::conntrack::build::put_tuple_body(w, CtRef::Head(&h), ORIG).unwrap();
            w.nest_end(t);
        }
        w.nest_end(n);
    }

    #[test]
    fn class_nat_and_function_are_parsed() {
        let mut buf = Vec::new();
        let mut w = AttrWriter::new(&mut buf);
        w.put_be32(exp::CLASS, 3);
        w.put_be32(exp::ID, 0xdead_beef);
        put_nat(&mut w, 1, true);
        w.put_strz(exp::FN, b"nat-follow-master");
        w.put(99, &[1, 2, 3]);
        w.put(0, &[]);
        let mut e = Expect::new();
        parse_payload(&mut e, &buf, AF_INET).unwrap();
        assert_eq!(e.u32(ATTR_EXP_CLASS), 3);
        assert_eq!(e.u32(ATTR_EXP_NAT_DIR), 1);
        assert_eq!(e.expectfn(), b"nat-follow-master");
        let nat = CtRef::Head(e.head(ATTR_EXP_NAT_TUPLE).unwrap());
        assert!(e.is_set(ATTR_EXP_NAT_TUPLE));
        assert_eq!(nat.u8(Attr::ATTR_ORIG_L3PROTO), AF_INET);
        assert_eq!(nat.u8(Attr::ATTR_ORIG_L4PROTO), 17);
        assert_eq!(nat.u16(Attr::ATTR_ORIG_PORT_DST), 2u16.to_be());
        // A NAT nest without a tuple still gives the NAT head its family.
        let mut buf = Vec::new();
        put_nat(&mut AttrWriter::new(&mut buf), 0, false);
        let mut e = Expect::new();
        parse_payload(&mut e, &buf, AF_INET6).unwrap();
        assert!(!e.is_set(ATTR_EXP_NAT_TUPLE));
        assert!(e.is_set(ATTR_EXP_NAT_DIR));
        let nat = CtRef::Head(e.head(ATTR_EXP_NAT_TUPLE).unwrap());
        assert_eq!(nat.u8(Attr::ATTR_ORIG_L3PROTO), AF_INET6);
    }

    #[test]
    fn names_are_cut_and_truncated() {
        let mut buf = Vec::new();
        let mut w = AttrWriter::new(&mut buf);
        w.put(exp::HELP_NAME, b"a-very-long-helper-name");
        w.put(exp::FN, b"abc\0def");
        let mut e = Expect::new();
        parse_payload(&mut e, &buf, AF_INET).unwrap();
        assert_eq!(e.helper_name(), b"a-very-long-hel");
        assert_eq!(e.expectfn(), b"abc");
        // 24 bytes fit (23 characters are kept), 25 do not.
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(exp::FN, &[b'x'; 24]);
        parse_payload(&mut e, &buf, AF_INET).unwrap();
        assert_eq!(e.expectfn(), &[b'x'; 23][..]);
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(exp::FN, &[b'x'; 25]);
        assert_eq!(parse_payload(&mut e, &buf, AF_INET), Err(Malformed));
    }

    #[test]
    fn wrong_sizes_are_malformed() {
        let cases: [(u16, &[u8]); 9] = [
            (exp::TIMEOUT, &[0, 0, 1]),
            (exp::FLAGS, &[0, 0, 0, 0, 0]),
            (exp::CLASS, &[1, 2]),
            (exp::ID, &[]),
            (exp::ZONE, &[0, 0, 0, 1]),
            (exp::HELP_NAME, &[]),
            (exp::MASTER, &[1, 2]),
            (exp::TUPLE, &[0, 0, 0]),
            (exp::NAT, &[9]),
        ];
        for (ty, payload) in cases {
            let mut buf = Vec::new();
            AttrWriter::new(&mut buf).put(ty, payload);
            let mut e = Expect::new();
            assert_eq!(
                parse_payload(&mut e, &buf, AF_INET),
                Err(Malformed),
                "type {ty}"
            );
        }
        // Inside the NAT nest, and inside a tuple.
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).nested(exp::NAT, |w| w.put(exp_nat::DIR, &[1]));
        let mut e = Expect::new();
        assert_eq!(parse_payload(&mut e, &buf, AF_INET), Err(Malformed));
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).nested(exp::MASK, |w| {
            w.nested(crate::ctnetlink::tuple::IP, |w| {
                w.put(crate::ctnetlink::ip::V4_SRC, &[1, 2, 3])
            })
        });
        assert_eq!(parse_payload(&mut e, &buf, AF_INET), Err(Malformed));
        // Empty nests are fine.
        let mut buf = Vec::new();
        AttrWriter::new(&mut buf).put(exp::TUPLE, &[]);
        let mut e = Expect::new();
        assert_eq!(parse_payload(&mut e, &buf, AF_INET), Ok(()));
        assert!(e.is_set(ATTR_EXP_EXPECTED));
    }

    #[test]
    fn truncation_is_an_error_never_a_panic() {
        let mut e = full(AF_INET6);
        e.set_uint(ATTR_EXP_CLASS, 1u32.to_ne_bytes()).unwrap();
        let mut buf = built(&e);
        {
            let mut w = AttrWriter::new(&mut buf);
            put_nat(&mut w, 1, true);
            w.put_strz(exp::FN, b"fn");
        }
        // Where each top-level attribute starts, and its unpadded length.
        let mut attrs = Vec::new();
        let mut at = 0;
        while at < buf.len() {
            let len = u16::from_ne_bytes([buf[at], buf[at + 1]]) as usize;
            attrs.push((at, len));
            at += (len + 3) & !3;
        }
        for cut in 0..buf.len() {
            let mut back = Expect::new();
            let r = parse_payload(&mut back, &buf[..cut], AF_INET6);
            // A cut is clean when it leaves whole attributes, plus fewer
            // bytes than a header (padding); anything else is malformed.
            let clean = attrs
                .iter()
                .all(|&(start, len)| cut < start + NLA_HDRLEN || cut >= start + len);
            assert_eq!(r.is_ok(), clean, "cut at {cut}");
        }
        let mut back = Expect::new();
        parse_payload(&mut back, &buf, AF_INET6).unwrap();
        assert!(back.is_set(ATTR_EXP_FN) && back.is_set(ATTR_EXP_NAT_TUPLE));
        // Lying lengths, at every attribute header.
        for at in 0..buf.len() / 4 {
            let mut bad = buf.clone();
            bad[4 * at..4 * at + 2].copy_from_slice(&0xfff0u16.to_ne_bytes());
            let mut back = Expect::new();
            let _ = parse_payload(&mut back, &bad, AF_INET6);
            bad[4 * at..4 * at + 2].copy_from_slice(&1u16.to_ne_bytes());
            let _ = parse_payload(&mut back, &bad, AF_INET6);
        }
    }
}
