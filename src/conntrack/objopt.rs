//! `nfct_setobjopt` and `nfct_getobjopt`: NAT undo and tuple setup helpers.

use super::attr::Attr::{self, *};
use super::attr::AttrSet;
use super::layout::*;
use super::object::{Conntrack, CtRef, AF_INET, AF_INET6};
use crate::ctnetlink::ipproto::{DCCP, GRE, SCTP, TCP, UDP, UDPLITE};
use crate::ctnetlink::status::{IPS_DST_NAT_DONE, IPS_SRC_NAT_DONE};

/// `nfct_setobjopt` options (an anonymous enum in the reference header).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_setobjopt_option {
    /// Undo source NAT: move the reply destination into `ATTR_SNAT_*`.
    NFCT_SOPT_UNDO_SNAT = 0,
    /// Undo destination NAT.
    NFCT_SOPT_UNDO_DNAT = 1,
    /// Undo source port translation.
    NFCT_SOPT_UNDO_SPAT = 2,
    /// Undo destination port translation.
    NFCT_SOPT_UNDO_DPAT = 3,
    /// Fill the original tuple from the reply tuple.
    NFCT_SOPT_SETUP_ORIGINAL = 4,
    /// Fill the reply tuple from the original tuple.
    NFCT_SOPT_SETUP_REPLY = 5,
    /// Number of set options.
    __NFCT_SOPT_MAX = 6,
}

/// Highest set option.
pub const NFCT_SOPT_MAX: u32 = 5;

/// `nfct_getobjopt` options (an anonymous enum in the reference header).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nfct_getobjopt_option {
    /// Whether the entry is source-NATed.
    NFCT_GOPT_IS_SNAT = 0,
    /// Whether the entry is destination-NATed.
    NFCT_GOPT_IS_DNAT = 1,
    /// Whether the source port is translated.
    NFCT_GOPT_IS_SPAT = 2,
    /// Whether the destination port is translated.
    NFCT_GOPT_IS_DPAT = 3,
    /// Number of get options.
    __NFCT_GOPT_MAX = 4,
}

/// Highest get option.
pub const NFCT_GOPT_MAX: u32 = 3;

const NFCT_SOPT_UNDO_SNAT: u32 = nfct_setobjopt_option::NFCT_SOPT_UNDO_SNAT as u32;
const NFCT_SOPT_UNDO_DNAT: u32 = nfct_setobjopt_option::NFCT_SOPT_UNDO_DNAT as u32;
const NFCT_SOPT_UNDO_SPAT: u32 = nfct_setobjopt_option::NFCT_SOPT_UNDO_SPAT as u32;
const NFCT_SOPT_UNDO_DPAT: u32 = nfct_setobjopt_option::NFCT_SOPT_UNDO_DPAT as u32;
const NFCT_SOPT_SETUP_ORIGINAL: u32 = nfct_setobjopt_option::NFCT_SOPT_SETUP_ORIGINAL as u32;
const NFCT_SOPT_SETUP_REPLY: u32 = nfct_setobjopt_option::NFCT_SOPT_SETUP_REPLY as u32;
const NFCT_GOPT_IS_SNAT: u32 = nfct_getobjopt_option::NFCT_GOPT_IS_SNAT as u32;
const NFCT_GOPT_IS_DNAT: u32 = nfct_getobjopt_option::NFCT_GOPT_IS_DNAT as u32;
const NFCT_GOPT_IS_SPAT: u32 = nfct_getobjopt_option::NFCT_GOPT_IS_SPAT as u32;
const NFCT_GOPT_IS_DPAT: u32 = nfct_getobjopt_option::NFCT_GOPT_IS_DPAT as u32;

/// Attributes that `NFCT_SOPT_SETUP_*` mark set in both tuples.
const TUPLE_ATTRS: AttrSet = AttrSet::of(&[
    ATTR_ORIG_IPV4_SRC,
    ATTR_ORIG_IPV4_DST,
    ATTR_ORIG_IPV6_SRC,
    ATTR_ORIG_IPV6_DST,
    ATTR_ORIG_PORT_SRC,
    ATTR_ORIG_PORT_DST,
    ATTR_ORIG_L3PROTO,
    ATTR_ORIG_L4PROTO,
    ATTR_REPL_IPV4_SRC,
    ATTR_REPL_IPV4_DST,
    ATTR_REPL_IPV6_SRC,
    ATTR_REPL_IPV6_DST,
    ATTR_REPL_PORT_SRC,
    ATTR_REPL_PORT_DST,
    ATTR_REPL_L3PROTO,
    ATTR_REPL_L4PROTO,
    ATTR_ICMP_TYPE,
    ATTR_ICMP_CODE,
    ATTR_ICMP_ID,
]);

/// Protocols whose reply tuple swaps the ports.
const PORT_PROTOCOLS: [u8; 6] = [UDP, TCP, SCTP, DCCP, GRE, UDPLITE];

/// Applies a set option; `false` if there is no such option.
pub fn set(ct: &mut Conntrack, option: u32) -> bool {
    match option {
        NFCT_SOPT_UNDO_SNAT => undo_nat(
            ct,
            REPL + T_DST,
            ORIG + T_SRC,
            SNAT_ADDR,
            [ATTR_SNAT_IPV4, ATTR_SNAT_IPV6],
        ),
        NFCT_SOPT_UNDO_DNAT => undo_nat(
            ct,
            REPL + T_SRC,
            ORIG + T_DST,
            DNAT_ADDR,
            [ATTR_DNAT_IPV4, ATTR_DNAT_IPV6],
        ),
        NFCT_SOPT_UNDO_SPAT => undo_pat(
            ct,
            REPL + T_L4DST,
            ORIG + T_L4SRC,
            SNAT_PORT,
            ATTR_SNAT_PORT,
        ),
        NFCT_SOPT_UNDO_DPAT => undo_pat(
            ct,
            REPL + T_L4SRC,
            ORIG + T_L4DST,
            DNAT_PORT,
            ATTR_DNAT_PORT,
        ),
        NFCT_SOPT_SETUP_ORIGINAL => setup(ct, ORIG, REPL),
        NFCT_SOPT_SETUP_REPLY => setup(ct, REPL, ORIG),
        _ => return false,
    }
    true
}

fn undo_nat(ct: &mut Conntrack, translated: u16, original: u16, nat: u16, attrs: [Attr; 2]) {
    match ct.load::<1>(ORIG + T_L3)[0] {
        AF_INET => undo::<4>(ct, translated, original, nat, attrs[0]),
        AF_INET6 => undo::<16>(ct, translated, original, nat, attrs[1]),
        _ => {}
    }
}

fn undo_pat(ct: &mut Conntrack, translated: u16, original: u16, nat: u16, attr: Attr) {
    undo::<2>(ct, translated, original, nat, attr);
}

/// Undoes a translation of an `N`-byte value: the translated value goes to
/// `nat` (and `attr` is marked), the original takes its place.
#[inline(always)]
fn undo<const N: usize>(ct: &mut Conntrack, translated: u16, original: u16, nat: u16, attr: Attr) {
    let value = ct.load::<N>(translated);
    ct.put_at(nat as usize, value);
    let orig = ct.load::<N>(original);
    ct.put_at(translated as usize, orig);
    ct.mark(attr);
}

fn setup(ct: &mut Conntrack, this: u16, other: u16) {
    let l3 = ct.load::<1>(other + T_L3);
    let l4 = ct.load::<1>(other + T_L4);
    ct.store(this + T_L3, &l3);
    ct.store(this + T_L4, &l4);
    let (src, dst) = (ct.load::<16>(other + T_SRC), ct.load::<16>(other + T_DST));
    ct.store(this + T_SRC, &dst);
    ct.store(this + T_DST, &src);
    if PORT_PROTOCOLS.contains(&l4[0]) {
        let (sport, dport) = (ct.load::<2>(other + T_L4SRC), ct.load::<2>(other + T_L4DST));
        ct.store(this + T_L4SRC, &dport);
        ct.store(this + T_L4DST, &sport);
    }
    ct.mark_all(TUPLE_ATTRS);
}

/// Evaluates a get option; `None` if there is no such option.
#[inline]
pub fn get(ct: CtRef<'_>, option: u32) -> Option<bool> {
    // Without a status, every NAT bit counts as done.
    let status = if ct.is_set(ATTR_STATUS) {
        u32::from_ne_bytes(ct.at(STATUS))
    } else {
        u32::MAX
    };
    // From a whole object the storage is an array, every read in bounds.
    match ct.fixed().first_chunk::<STORAGE_LEN>() {
        Some(full) => get_from(full, status, option),
        None => get_from(ct.fixed(), status, option),
    }
}

/// [`get`] on the fixed storage `s`, given the status bits that count.
#[inline(always)]
fn get_from(s: &[u8], status: u32, option: u32) -> Option<bool> {
    let status_allows = |bit: u32| status & bit != 0;
    let addr_differs = |a: u16, b: u16| {
        let (a, b) = (usize::from(a), usize::from(b));
        match load::<1>(s, usize::from(ORIG + T_L3)) {
            [AF_INET] => load::<4>(s, a) != load::<4>(s, b),
            [AF_INET6] => load::<16>(s, a) != load::<16>(s, b),
            _ => false,
        }
    };
    let port_differs =
        |a: u16, b: u16| load::<2>(s, usize::from(a)) != load::<2>(s, usize::from(b));
    Some(match option {
        NFCT_GOPT_IS_SNAT => {
            status_allows(IPS_SRC_NAT_DONE) && addr_differs(REPL + T_DST, ORIG + T_SRC)
        }
        NFCT_GOPT_IS_DNAT => {
            status_allows(IPS_DST_NAT_DONE) && addr_differs(REPL + T_SRC, ORIG + T_DST)
        }
        NFCT_GOPT_IS_SPAT => {
            status_allows(IPS_SRC_NAT_DONE) && port_differs(REPL + T_L4DST, ORIG + T_L4SRC)
        }
        NFCT_GOPT_IS_DPAT => {
            status_allows(IPS_DST_NAT_DONE) && port_differs(REPL + T_L4SRC, ORIG + T_L4DST)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_reply_mirrors_the_original() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u8(ATTR_ORIG_L4PROTO, 6);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u32(ATTR_ORIG_IPV4_DST, 2);
        ct.set_u16(ATTR_ORIG_PORT_SRC, 10);
        ct.set_u16(ATTR_ORIG_PORT_DST, 20);
        assert!(set(&mut ct, NFCT_SOPT_SETUP_REPLY));
        let v = ct.view();
        assert_eq!(
            (v.u32(ATTR_REPL_IPV4_SRC), v.u32(ATTR_REPL_IPV4_DST)),
            (2, 1)
        );
        assert_eq!(
            (v.u16(ATTR_REPL_PORT_SRC), v.u16(ATTR_REPL_PORT_DST)),
            (20, 10)
        );
        assert_eq!(get(v, NFCT_GOPT_IS_SNAT), Some(false));
        assert!(!set(&mut ct, 6));
    }

    #[test]
    fn undo_snat_records_the_nat_address() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u32(ATTR_REPL_IPV4_DST, 9);
        assert_eq!(get(ct.view(), NFCT_GOPT_IS_SNAT), Some(true));
        ct.set_u32(ATTR_STATUS, 0);
        assert_eq!(get(ct.view(), NFCT_GOPT_IS_SNAT), Some(false));
        set(&mut ct, NFCT_SOPT_UNDO_SNAT);
        assert_eq!(ct.view().u32(ATTR_SNAT_IPV4), 9);
        assert_eq!(ct.view().u32(ATTR_REPL_IPV4_DST), 1);
        assert_eq!(get(ct.view(), 9), None);
    }
}
