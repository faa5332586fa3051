//! Attribute groups (`ATTR_GRP_*`): several attributes set and read together
//! through one C struct (`struct nfct_attr_grp_ipv4` and friends).

use super::attr::Attr::{self, *};
use super::attr::{fixed_slot, set_rule, AttrSet, SetRule};
use super::layout::{load, STORAGE_LEN};
use super::object::{Conntrack, CtRef, AF_INET, AF_INET6};
use crate::api::c_enum_from_raw;

/// `enum nf_conntrack_attr_grp`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nf_conntrack_attr_grp {
    ATTR_GRP_ORIG_IPV4 = 0,
    ATTR_GRP_REPL_IPV4 = 1,
    ATTR_GRP_ORIG_IPV6 = 2,
    ATTR_GRP_REPL_IPV6 = 3,
    ATTR_GRP_ORIG_PORT = 4,
    ATTR_GRP_REPL_PORT = 5,
    ATTR_GRP_ICMP = 6,
    ATTR_GRP_MASTER_IPV4 = 7,
    ATTR_GRP_MASTER_IPV6 = 8,
    ATTR_GRP_MASTER_PORT = 9,
    ATTR_GRP_ORIG_COUNTERS = 10,
    ATTR_GRP_REPL_COUNTERS = 11,
    ATTR_GRP_ORIG_ADDR_SRC = 12,
    ATTR_GRP_ORIG_ADDR_DST = 13,
    ATTR_GRP_REPL_ADDR_SRC = 14,
    ATTR_GRP_REPL_ADDR_DST = 15,
    ATTR_GRP_MAX = 16,
}

c_enum_from_raw!(nf_conntrack_attr_grp {
    ATTR_GRP_ORIG_IPV4,
    ATTR_GRP_REPL_IPV4,
    ATTR_GRP_ORIG_IPV6,
    ATTR_GRP_REPL_IPV6,
    ATTR_GRP_ORIG_PORT,
    ATTR_GRP_REPL_PORT,
    ATTR_GRP_ICMP,
    ATTR_GRP_MASTER_IPV4,
    ATTR_GRP_MASTER_IPV6,
    ATTR_GRP_MASTER_PORT,
    ATTR_GRP_ORIG_COUNTERS,
    ATTR_GRP_REPL_COUNTERS,
    ATTR_GRP_ORIG_ADDR_SRC,
    ATTR_GRP_ORIG_ADDR_DST,
    ATTR_GRP_REPL_ADDR_SRC,
    ATTR_GRP_REPL_ADDR_DST,
} except {
    ATTR_GRP_MAX
});

/// `struct nfct_attr_grp_ipv4`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub struct nfct_attr_grp_ipv4 {
    pub src: u32,
    pub dst: u32,
}

/// `struct nfct_attr_grp_ipv6`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub struct nfct_attr_grp_ipv6 {
    pub src: [u32; 4],
    pub dst: [u32; 4],
}

/// `struct nfct_attr_grp_port`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub struct nfct_attr_grp_port {
    pub sport: u16,
    pub dport: u16,
}

/// `struct nfct_attr_grp_icmp`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub struct nfct_attr_grp_icmp {
    pub id: u16,
    pub code: u8,
    pub r#type: u8,
}

/// `struct nfct_attr_grp_ctrs`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub struct nfct_attr_grp_ctrs {
    pub packets: u64,
    pub bytes: u64,
}

/// `union nfct_attr_grp_addr`.
#[repr(C)]
#[allow(non_camel_case_types, missing_docs)]
pub union nfct_attr_grp_addr {
    pub ip: u32,
    pub ip6: [u32; 4],
    pub addr: [u32; 4],
}

/// Short name used throughout the crate.
pub use nf_conntrack_attr_grp as Group;

/// How a group is tested, read and written.
#[derive(Debug)]
pub struct GroupDesc {
    /// The attributes whose bits make up the group.
    pub members: &'static [Attr],
    /// Set when any member suffices (the address unions); otherwise all
    /// members must be set.
    pub any: bool,
    /// The C struct's fields in order, each as wide as its attribute.
    pub fields: &'static [Attr],
    /// Whether setting the group stores the fields' values (the counter and
    /// address groups only mark their members set).
    pub stores: bool,
    /// A layer-3 protocol attribute and value that setting the group fills in.
    pub family: Option<(Attr, u8)>,
    /// [`GroupDesc::members`] as a set.
    pub member_set: AttrSet,
    /// Size in bytes of the C struct.
    pub size: usize,
    /// Where each field's value is (offset and width in the fixed
    /// storage; unused entries are empty).
    pub places: [(u16, u8); 3],
    /// What setting each field does besides storing it.
    pub rules: [SetRule; 3],
}

const fn group(members: &'static [Attr], fields: &'static [Attr]) -> GroupDesc {
    described(GroupDesc {
        members,
        any: false,
        fields,
        stores: true,
        family: None,
        member_set: AttrSet::EMPTY,
        size: 0,
        places: [(0, 0); 3],
        rules: [SetRule::Store; 3],
    })
}

/// `d` with its derived fields (member set, size) filled in.
const fn described(d: GroupDesc) -> GroupDesc {
    let mut size = 0;
    let mut places = [(0, 0); 3];
    let mut rules = [SetRule::Store; 3];
    let mut i = 0;
    while i < d.fields.len() {
        places[i] = fixed_slot(d.fields[i]);
        rules[i] = set_rule(d.fields[i]);
        size += places[i].1 as usize;
        i += 1;
    }
    GroupDesc {
        member_set: AttrSet::of(d.members),
        size,
        places,
        rules,
        ..d
    }
}

const fn addr_group(
    members: &'static [Attr],
    fields: &'static [Attr],
    family: Attr,
    af: u8,
) -> GroupDesc {
    described(GroupDesc {
        members,
        any: false,
        fields,
        stores: true,
        family: Some((family, af)),
        member_set: AttrSet::EMPTY,
        size: 0,
        places: [(0, 0); 3],
        rules: [SetRule::Store; 3],
    })
}

const fn marker_group(members: &'static [Attr], fields: &'static [Attr], any: bool) -> GroupDesc {
    described(GroupDesc {
        members,
        any,
        fields,
        stores: false,
        family: None,
        member_set: AttrSet::EMPTY,
        size: 0,
        places: [(0, 0); 3],
        rules: [SetRule::Store; 3],
    })
}

/// The group table, indexed by group number.
pub static GROUPS: [GroupDesc; 16] = TABLE;

/// The table as a constant, for code specialised to one group
/// ([`get`]).
const TABLE: [GroupDesc; 16] = [
    addr_group(
        &[ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST, ATTR_ORIG_L3PROTO],
        &[ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST],
        ATTR_ORIG_L3PROTO,
        AF_INET,
    ),
    addr_group(
        &[ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST, ATTR_REPL_L3PROTO],
        &[ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST],
        ATTR_REPL_L3PROTO,
        AF_INET,
    ),
    addr_group(
        &[ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV6_DST, ATTR_ORIG_L3PROTO],
        &[ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV6_DST],
        ATTR_ORIG_L3PROTO,
        AF_INET6,
    ),
    addr_group(
        &[ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV6_DST, ATTR_REPL_L3PROTO],
        &[ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV6_DST],
        ATTR_REPL_L3PROTO,
        AF_INET6,
    ),
    group(
        &[ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST, ATTR_ORIG_L4PROTO],
        &[ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST],
    ),
    group(
        &[ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST, ATTR_REPL_L4PROTO],
        &[ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST],
    ),
    group(
        &[ATTR_ICMP_CODE, ATTR_ICMP_TYPE, ATTR_ICMP_ID],
        &[ATTR_ICMP_ID, ATTR_ICMP_CODE, ATTR_ICMP_TYPE],
    ),
    addr_group(
        &[
            ATTR_MASTER_IPV4_SRC,
            ATTR_MASTER_IPV4_DST,
            ATTR_MASTER_L3PROTO,
        ],
        &[ATTR_MASTER_IPV4_SRC, ATTR_MASTER_IPV4_DST],
        ATTR_MASTER_L3PROTO,
        AF_INET,
    ),
    addr_group(
        &[
            ATTR_MASTER_IPV6_SRC,
            ATTR_MASTER_IPV6_DST,
            ATTR_MASTER_L3PROTO,
        ],
        &[ATTR_MASTER_IPV6_SRC, ATTR_MASTER_IPV6_DST],
        ATTR_MASTER_L3PROTO,
        AF_INET6,
    ),
    group(
        &[
            ATTR_MASTER_PORT_SRC,
            ATTR_MASTER_PORT_DST,
            ATTR_MASTER_L4PROTO,
        ],
        &[ATTR_MASTER_PORT_SRC, ATTR_MASTER_PORT_DST],
    ),
    marker_group(
        &[ATTR_ORIG_COUNTER_PACKETS, ATTR_ORIG_COUNTER_BYTES],
        &[ATTR_ORIG_COUNTER_PACKETS, ATTR_ORIG_COUNTER_BYTES],
        false,
    ),
    marker_group(
        &[ATTR_REPL_COUNTER_PACKETS, ATTR_REPL_COUNTER_BYTES],
        &[ATTR_REPL_COUNTER_PACKETS, ATTR_REPL_COUNTER_BYTES],
        false,
    ),
    marker_group(
        &[ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC],
        &[ATTR_ORIG_IPV6_SRC],
        true,
    ),
    marker_group(
        &[ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST],
        &[ATTR_ORIG_IPV6_DST],
        true,
    ),
    marker_group(
        &[ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC],
        &[ATTR_REPL_IPV6_SRC],
        true,
    ),
    marker_group(
        &[ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST],
        &[ATTR_REPL_IPV6_DST],
        true,
    ),
];

impl Group {
    /// This group's row of the table.
    pub fn desc(self) -> &'static GroupDesc {
        &GROUPS[self as usize]
    }

    /// Size in bytes of the group's C struct.
    #[inline]
    pub fn size(self) -> usize {
        self.desc().size
    }
}

/// Each group's members as bits of the first 64 bit numbers (every member
/// lies there): what [`is_set`] and [`unset`] need of the table, a word
/// each rather than a wide row.
const MEMBER_BITS: [u64; 16] = {
    let mut bits = [0; 16];
    let mut g = 0;
    while g < TABLE.len() {
        let [low, high, rest] = TABLE[g].member_set.0;
        assert!(rest == 0);
        bits[g] = low as u64 | (high as u64) << 32;
        g += 1;
    }
    bits
};

/// How [`is_set`] decides from a group's member bits that are set: they
/// equal `SET_IF_EQUAL[g]` (all members), or, for the groups that any
/// member makes set (`SET_IF_DIFFERENT[g]`), they differ from 0.
const SET_IF_EQUAL: [u64; 16] = {
    let mut want = [0; 16];
    let mut g = 0;
    while g < TABLE.len() {
        if !TABLE[g].any {
            want[g] = MEMBER_BITS[g];
        }
        g += 1;
    }
    want
};
const SET_IF_DIFFERENT: [bool; 16] = {
    let mut any = [false; 16];
    let mut g = 0;
    while g < TABLE.len() {
        any[g] = TABLE[g].any;
        g += 1;
    }
    any
};

/// `nfct_attr_grp_is_set`.
#[inline]
pub fn is_set(ct: CtRef<'_>, g: Group) -> bool {
    let g = g as usize;
    let set = ct.set_low64() & MEMBER_BITS[g];
    (set == SET_IF_EQUAL[g]) != SET_IF_DIFFERENT[g]
}

/// `nfct_get_attr_grp` of a group that is set ([`is_set`]): fills `out`
/// (the group's C struct), each field the stored bytes of its attribute.
pub fn get(ct: CtRef<'_>, g: Group, out: &mut [u8]) {
    let storage = ct.fixed();
    // One copy of the loop per group, with its fields' places as constants:
    // each field becomes a load and a store.
    macro_rules! dispatch {
        ($($g:literal)*) => {
            // Seen as arrays (the whole storage, the group's struct), every
            // field is at a constant offset within bounds.
            match g as usize {
                $($g => if let Some(o) = out.first_chunk_mut::<{ TABLE[$g].size }>() {
                    match storage.first_chunk::<STORAGE_LEN>() {
                        Some(full) => copy_fields::<$g>(full, o),
                        None => copy_fields::<$g>(storage, o),
                    }
                },)*
                _ => {}
            }
        };
    }
    dispatch!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
}

/// Copies the values of group `G`'s fields from `storage` to `out`, one
/// after the other.
#[inline(always)]
fn copy_fields<const G: usize>(storage: &[u8], out: &mut [u8]) {
    let mut pos = 0;
    for (at, len) in const { TABLE[G].places } {
        let (at, len) = (at as usize, len as usize);
        match len {
            0 => break,
            1 => copy::<1>(storage, at, out, pos),
            2 => copy::<2>(storage, at, out, pos),
            4 => copy::<4>(storage, at, out, pos),
            8 => copy::<8>(storage, at, out, pos),
            _ => copy::<16>(storage, at, out, pos),
        }
        pos += len;
    }
}

/// Copies the `N` bytes at `from` of `src` to `to` of `dst` (zeros when
/// `src` holds no such bytes: a head beyond its tuple).
#[inline(always)]
fn copy<const N: usize>(src: &[u8], from: usize, dst: &mut [u8], to: usize) {
    let value = load::<N>(src, from);
    if let Some(d) = dst.get_mut(to..).and_then(|d| d.first_chunk_mut::<N>()) {
        *d = value;
    }
}

/// `nfct_set_attr_grp`: sets the group from its C struct's bytes.
pub fn set(ct: &mut Conntrack, g: Group, value: &[u8]) {
    // One copy per group, with its fields as constants (see `get`).
    macro_rules! dispatch {
        ($($g:literal)*) => {
            // Seen as an array of the group's size, every field is at a
            // constant offset within bounds.
            match g as usize {
                $($g => if let Some(v) = value.first_chunk::<{ TABLE[$g].size }>() {
                    set_fields::<$g>(ct, v)
                },)*
                _ => {}
            }
        };
    }
    dispatch!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
}

/// [`set`] for group `G`: stores each field (through the attribute's
/// setter when setting does more than store), fills in the family, marks
/// the members set.
#[inline(always)]
fn set_fields<const G: usize>(ct: &mut Conntrack, value: &[u8]) {
    let d = const { &TABLE[G] };
    if d.stores {
        set_field::<G, 0>(ct, value);
        set_field::<G, 1>(ct, value);
        set_field::<G, 2>(ct, value);
        if let Some((family, af)) = d.family {
            ct.put_at(fixed_slot(family).0 as usize, [af]);
        }
    }
    ct.mark_all(d.member_set);
}

/// Stores field `I` of group `G` (nothing for an unused entry): its place,
/// width, rule and position in the C struct are constants.
#[inline(always)]
fn set_field<const G: usize, const I: usize>(ct: &mut Conntrack, value: &[u8]) {
    let (at, len) = const { TABLE[G].places[I] };
    if len == 0 {
        return;
    }
    let pos = const { position(&TABLE[G], I) };
    let field = value.get(pos..pos + len as usize).unwrap_or(&[]);
    ct.set_fixed_at(at, len as usize, field, const { TABLE[G].rules[I] });
}

/// Where field `i` of group `d` starts in the C struct.
const fn position(d: &GroupDesc, i: usize) -> usize {
    let mut pos = 0;
    let mut k = 0;
    while k < i {
        pos += d.places[k].1 as usize;
        k += 1;
    }
    pos
}

/// `nfct_attr_grp_unset`.
#[inline]
pub fn unset(ct: &mut Conntrack, g: Group) {
    ct.keep_low64(!MEMBER_BITS[g as usize]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use nf_conntrack_attr_grp::*;

    #[test]
    fn is_set_and_unset_follow_the_members() {
        for (n, d) in TABLE.iter().enumerate() {
            let g = Group::from_raw(n as u32).unwrap();
            for subset in 0..1u32 << d.members.len() {
                let mut ct = Conntrack::new();
                ct.mark(ATTR_MARK);
                let chosen: Vec<Attr> = (0..d.members.len())
                    .filter(|i| subset & 1 << i != 0)
                    .map(|i| d.members[i])
                    .collect();
                for &a in &chosen {
                    ct.mark(a);
                }
                let want = if d.any {
                    !chosen.is_empty()
                } else {
                    chosen.len() == d.members.len()
                };
                assert_eq!(is_set(ct.view(), g), want, "{g:?} {chosen:?}");
                unset(&mut ct, g);
                assert!(!is_set(ct.view(), g) || d.members.is_empty(), "{g:?}");
                assert!(d.members.iter().all(|&a| !ct.is_set(a)), "{g:?}");
                assert!(ct.is_set(ATTR_MARK), "{g:?}: unset took a non-member");
            }
        }
    }

    #[test]
    fn table_sizes_match_the_c_structs() {
        assert_eq!(
            ATTR_GRP_ORIG_IPV4.size(),
            std::mem::size_of::<nfct_attr_grp_ipv4>()
        );
        assert_eq!(
            ATTR_GRP_MASTER_IPV6.size(),
            std::mem::size_of::<nfct_attr_grp_ipv6>()
        );
        assert_eq!(
            ATTR_GRP_REPL_PORT.size(),
            std::mem::size_of::<nfct_attr_grp_port>()
        );
        assert_eq!(
            ATTR_GRP_ICMP.size(),
            std::mem::size_of::<nfct_attr_grp_icmp>()
        );
        assert_eq!(
            ATTR_GRP_ORIG_COUNTERS.size(),
            std::mem::size_of::<nfct_attr_grp_ctrs>()
        );
        assert_eq!(
            ATTR_GRP_REPL_ADDR_DST.size(),
            std::mem::size_of::<nfct_attr_grp_addr>()
        );
        for i in 0..16 {
            assert_eq!(Group::from_raw(i).unwrap() as u32, i);
        }
        assert!(Group::from_raw(16).is_none());
    }

    #[test]
    fn ipv4_group_sets_family_and_round_trips() {
        let mut ct = Conntrack::new();
        let mut v = [0u8; 8];
        v[..4].copy_from_slice(&[10, 0, 0, 1]);
        v[4..].copy_from_slice(&[10, 0, 0, 2]);
        set(&mut ct, ATTR_GRP_ORIG_IPV4, &v);
        assert_eq!(ct.view().u8(ATTR_ORIG_L3PROTO), AF_INET);
        let mut out = [0u8; 8];
        assert!(is_set(ct.view(), ATTR_GRP_ORIG_IPV4));
        get(ct.view(), ATTR_GRP_ORIG_IPV4, &mut out);
        assert_eq!(out, v);
        assert!(is_set(ct.view(), ATTR_GRP_ORIG_ADDR_SRC));
        unset(&mut ct, ATTR_GRP_ORIG_IPV4);
        assert!(!is_set(ct.view(), ATTR_GRP_ORIG_ADDR_SRC));
    }

    #[test]
    fn marker_groups_only_mark() {
        let mut ct = Conntrack::new();
        set(&mut ct, ATTR_GRP_ORIG_ADDR_SRC, &[0xff; 16]);
        assert!(ct.is_set(ATTR_ORIG_IPV4_SRC) && ct.is_set(ATTR_ORIG_IPV6_SRC));
        assert_eq!(ct.view().u32(ATTR_ORIG_IPV4_SRC), 0);
    }
}
