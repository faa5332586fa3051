//! Event filters (`struct nfct_filter`): conditions on the events a socket
//! receives, compiled to a classic BPF program that the kernel runs on every
//! event message before queueing it (see [`bpf`]).
//!
//! The object keeps the conditions the way the reference does, with the
//! reference's limits: an add beyond a limit, or with a value the reference
//! ignores, is dropped silently (no error, `errno` untouched), because that is
//! what programs built against the reference see. Values for which the
//! reference has undefined behaviour (it writes outside its object) are
//! refused with [`AddError::BadValue`].
//!
//! Each attribute has a logic: positive (the default: an event that matches
//! one of the attribute's entries passes this condition, one that does not
//! is dropped) or negative (a match drops the event). An event that lacks the
//! attribute altogether passes the condition either way. The conditions of
//! different attributes are combined with AND: an event is delivered when it
//! passes all of them. Entries of one attribute are combined with OR.

pub mod bpf;

use crate::api::{
    nfct_filter_attr, nfct_filter_dump_mark, nfct_filter_ipv4, nfct_filter_ipv6, nfct_filter_logic,
    nfct_filter_proto,
};

/// Number of layer-4 protocol numbers the filter knows (glibc's
/// `IPPROTO_MAX`, which the reference was built with): protocol numbers from
/// 0 to 262.
pub const IPPROTO_MAX: u32 = 263;
/// How many times `NFCT_FILTER_L4PROTO` may be added (duplicates count).
pub const MAX_L4PROTO_ADDS: u32 = 255;
/// Protocol states are bits of a 16-bit map: states 0 to 15.
pub const MAX_STATE: u16 = 16;
/// Entries of `NFCT_FILTER_SRC_IPV4`, and as many of `NFCT_FILTER_DST_IPV4`.
pub const MAX_IPV4: usize = 127;
/// Entries of `NFCT_FILTER_SRC_IPV6`, and as many of `NFCT_FILTER_DST_IPV6`.
pub const MAX_IPV6: usize = 20;
/// Entries of `NFCT_FILTER_MARK`.
pub const MAX_MARKS: usize = 127;
/// Entries of `NFCT_FILTER_ZONE`.
pub const MAX_ZONES: usize = 127;

/// Number of filter attributes (`NFCT_FILTER_MAX`).
const NATTRS: usize = nfct_filter_attr::NFCT_FILTER_MAX as usize;

/// Which address of the original tuple an address condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// The source address.
    Src = 0,
    /// The destination address.
    Dst = 1,
}

/// A value for one filter attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterValue {
    /// `NFCT_FILTER_L4PROTO`: a protocol number (a C `int`).
    L4Proto(u32),
    /// `NFCT_FILTER_L4PROTO_STATE`: a protocol and one of its states.
    L4ProtoState(nfct_filter_proto),
    /// `NFCT_FILTER_SRC_IPV4` / `NFCT_FILTER_DST_IPV4`.
    Ipv4(Dir, nfct_filter_ipv4),
    /// `NFCT_FILTER_SRC_IPV6` / `NFCT_FILTER_DST_IPV6`.
    Ipv6(Dir, nfct_filter_ipv6),
    /// `NFCT_FILTER_MARK`: a mark and mask.
    Mark(nfct_filter_dump_mark),
    /// `NFCT_FILTER_ZONE`.
    Zone(u16),
}

impl FilterValue {
    /// The attribute this value belongs to.
    pub fn attr(&self) -> nfct_filter_attr {
        use nfct_filter_attr::*;
        match self {
            FilterValue::L4Proto(_) => NFCT_FILTER_L4PROTO,
            FilterValue::L4ProtoState(_) => NFCT_FILTER_L4PROTO_STATE,
            FilterValue::Ipv4(Dir::Src, _) => NFCT_FILTER_SRC_IPV4,
            FilterValue::Ipv4(Dir::Dst, _) => NFCT_FILTER_DST_IPV4,
            FilterValue::Ipv6(Dir::Src, _) => NFCT_FILTER_SRC_IPV6,
            FilterValue::Ipv6(Dir::Dst, _) => NFCT_FILTER_DST_IPV6,
            FilterValue::Mark(_) => NFCT_FILTER_MARK,
            FilterValue::Zone(_) => NFCT_FILTER_ZONE,
        }
    }
}

/// What [`EventFilter::add`] did with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// The value is part of the filter now.
    Stored,
    /// The value was dropped as the reference drops it: the attribute is
    /// full, or the protocol number or state is out of the reference's range.
    Ignored,
}

/// Why a value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddError {
    /// A value the reference cannot handle (a negative protocol number, a
    /// state for a protocol number of 263 or more): it would write outside
    /// its object. Nothing is stored.
    BadValue,
}

/// Why [`EventFilter::set_logic`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicError {
    /// The attribute number is out of range (`ENOTSUP`).
    NoSuchAttr,
    /// The attribute's logic was set to something other than positive
    /// before (`EBUSY`).
    Busy,
}

/// The accepted states of one layer-4 protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateMap {
    /// Bit `s` set: state `s` was added.
    pub map: u16,
    /// How many states were added (duplicates count; 16 bits, wrapping).
    pub adds: u16,
}

/// An event filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFilter {
    /// Each attribute's logic as set: 0 positive, 1 negative, any other
    /// number stored as the reference stores it (see [`bpf::CompileError`]).
    logic: [u32; NATTRS],
    l4proto_map: [u32; (IPPROTO_MAX as usize).div_ceil(32)],
    l4proto_adds: u32,
    states: [StateMap; IPPROTO_MAX as usize],
    ipv4: [Bounded<nfct_filter_ipv4, MAX_IPV4>; 2],
    ipv6: [Bounded<nfct_filter_ipv6, MAX_IPV6>; 2],
    marks: Bounded<nfct_filter_dump_mark, MAX_MARKS>,
    zones: Bounded<u16, MAX_ZONES>,
}

/// Up to `N` entries kept in place, like the reference's fixed arrays: a
/// filter allocates nothing after its creation, so adding to it cannot run
/// out of memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bounded<T, const N: usize> {
    len: usize,
    items: [T; N],
}

impl<T: Copy + Default, const N: usize> Bounded<T, N> {
    fn new() -> Self {
        Bounded {
            len: 0,
            items: [T::default(); N],
        }
    }

    /// Stores `v`, or ignores it when `N` entries are stored already.
    #[inline(always)]
    fn push(&mut self, v: T) -> Added {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = v;
                self.len += 1;
                Added::Stored
            }
            None => Added::Ignored,
        }
    }

    fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }
}

impl Default for EventFilter {
    fn default() -> Self {
        Self::new()
    }
}

impl EventFilter {
    /// An empty filter: every attribute positive, no entries
    /// (`nfct_filter_create`). Attached, it passes every event.
    pub fn new() -> Self {
        EventFilter {
            logic: [nfct_filter_logic::NFCT_FILTER_LOGIC_POSITIVE as u32; NATTRS],
            l4proto_map: [0; (IPPROTO_MAX as usize).div_ceil(32)],
            l4proto_adds: 0,
            states: [StateMap::default(); IPPROTO_MAX as usize],
            ipv4: [Bounded::new(); 2],
            ipv6: [Bounded::new(); 2],
            marks: Bounded::new(),
            zones: Bounded::new(),
        }
    }

    /// Adds one entry (`nfct_filter_add_attr`). Inline: the C setter's
    /// dispatch on the attribute then picks the store directly.
    #[inline(always)]
    pub fn add(&mut self, value: FilterValue) -> Result<Added, AddError> {
        Ok(match value {
            FilterValue::L4Proto(p) => {
                if self.l4proto_adds >= MAX_L4PROTO_ADDS {
                    return Ok(Added::Ignored);
                }
                if (p as i32) < 0 {
                    return Err(AddError::BadValue);
                }
                if p >= IPPROTO_MAX {
                    return Ok(Added::Ignored);
                }
                self.l4proto_map[p as usize / 32] |= 1 << (p % 32);
                self.l4proto_adds += 1;
                Added::Stored
            }
            FilterValue::L4ProtoState(ps) => {
                if ps.state >= MAX_STATE {
                    return Ok(Added::Ignored);
                }
                let Some(s) = self.states.get_mut(usize::from(ps.proto)) else {
                    return Err(AddError::BadValue);
                };
                s.map |= 1 << ps.state;
                s.adds = s.adds.wrapping_add(1);
                Added::Stored
            }
            FilterValue::Ipv4(dir, v) => self.ipv4[dir as usize].push(v),
            FilterValue::Ipv6(dir, v) => self.ipv6[dir as usize].push(v),
            FilterValue::Mark(v) => self.marks.push(v),
            FilterValue::Zone(z) => self.zones.push(z),
        })
    }

    /// Sets the logic of attribute number `attr` (`nfct_filter_set_logic`),
    /// whether or not it has entries yet.
    ///
    /// As in the reference, any number is stored, and only positive (0,
    /// the default) can be replaced: once the logic is anything else,
    /// setting it again fails with [`LogicError::Busy`]. A number other
    /// than positive or negative makes the filter's program fail to build
    /// if the attribute has entries (see [`bpf::CompileError::BadLogic`]).
    pub fn set_logic(&mut self, attr: u32, logic: u32) -> Result<(), LogicError> {
        let a = nfct_filter_attr::from_raw(attr).ok_or(LogicError::NoSuchAttr)?;
        let slot = &mut self.logic[a as usize];
        if *slot != nfct_filter_logic::NFCT_FILTER_LOGIC_POSITIVE as u32 {
            return Err(LogicError::Busy);
        }
        *slot = logic;
        Ok(())
    }

    /// The logic of `attr` as it was set: any number.
    pub fn raw_logic(&self, attr: nfct_filter_attr) -> u32 {
        self.logic.get(attr as usize).copied().unwrap_or(0)
    }

    /// Whether `attr` has negative logic.
    pub fn is_negative(&self, attr: nfct_filter_attr) -> bool {
        self.raw_logic(attr) == nfct_filter_logic::NFCT_FILTER_LOGIC_NEGATIVE as u32
    }

    /// Whether protocol number `p` was added to `NFCT_FILTER_L4PROTO`.
    pub fn has_l4proto(&self, p: u32) -> bool {
        p < IPPROTO_MAX && self.l4proto_map[p as usize / 32] & (1 << (p % 32)) != 0
    }

    /// How many `NFCT_FILTER_L4PROTO` adds were counted.
    pub fn l4proto_adds(&self) -> u32 {
        self.l4proto_adds
    }

    /// The states added for protocol number `p` (`NFCT_FILTER_L4PROTO_STATE`).
    pub fn states(&self, p: u32) -> StateMap {
        self.states.get(p as usize).copied().unwrap_or_default()
    }

    /// The entries of `NFCT_FILTER_SRC_IPV4` or `NFCT_FILTER_DST_IPV4`.
    pub fn ipv4(&self, dir: Dir) -> &[nfct_filter_ipv4] {
        self.ipv4[dir as usize].as_slice()
    }

    /// The entries of `NFCT_FILTER_SRC_IPV6` or `NFCT_FILTER_DST_IPV6`.
    pub fn ipv6(&self, dir: Dir) -> &[nfct_filter_ipv6] {
        self.ipv6[dir as usize].as_slice()
    }

    /// The entries of `NFCT_FILTER_MARK`.
    pub fn marks(&self) -> &[nfct_filter_dump_mark] {
        self.marks.as_slice()
    }

    /// The entries of `NFCT_FILTER_ZONE`.
    pub fn zones(&self) -> &[u16] {
        self.zones.as_slice()
    }

    /// The classic BPF program of this filter (see [`bpf::compile`]).
    pub fn program(&self) -> Result<bpf::Program, bpf::CompileError> {
        bpf::compile(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nfct_filter_attr::*;

    fn v4(addr: u32, mask: u32) -> nfct_filter_ipv4 {
        nfct_filter_ipv4 { addr, mask }
    }

    #[test]
    fn limits_drop_silently() {
        let mut f = EventFilter::new();
        for i in 0..MAX_IPV4 as u32 + 5 {
            let want = if i < MAX_IPV4 as u32 {
                Added::Stored
            } else {
                Added::Ignored
            };
            assert_eq!(f.add(FilterValue::Ipv4(Dir::Src, v4(i, !0))), Ok(want));
        }
        assert_eq!(f.ipv4(Dir::Src).len(), MAX_IPV4);
        assert!(f.ipv4(Dir::Dst).is_empty());
        for i in 0..MAX_IPV6 + 1 {
            let r = f.add(FilterValue::Ipv6(Dir::Dst, nfct_filter_ipv6::default()));
            assert_eq!(r.unwrap() == Added::Stored, i < MAX_IPV6);
        }
        for i in 0..MAX_MARKS + 1 {
            let r = f.add(FilterValue::Mark(nfct_filter_dump_mark { val: 1, mask: 1 }));
            assert_eq!(r.unwrap() == Added::Stored, i < MAX_MARKS);
        }
        for i in 0..MAX_ZONES + 1 {
            let r = f.add(FilterValue::Zone(i as u16));
            assert_eq!(r.unwrap() == Added::Stored, i < MAX_ZONES);
        }
        assert_eq!(f.zones().len(), MAX_ZONES);
        assert_eq!(f.marks().len(), MAX_MARKS);
        assert_eq!(f.ipv6(Dir::Dst).len(), MAX_IPV6);
    }

    #[test]
    fn l4proto_counts_duplicates_and_ignores_out_of_range() {
        let mut f = EventFilter::new();
        assert_eq!(f.add(FilterValue::L4Proto(263)), Ok(Added::Ignored));
        assert_eq!(
            f.add(FilterValue::L4Proto(u32::MAX)),
            Err(AddError::BadValue)
        );
        assert_eq!(f.l4proto_adds(), 0);
        assert_eq!(f.add(FilterValue::L4Proto(262)), Ok(Added::Stored));
        for _ in 1..MAX_L4PROTO_ADDS {
            assert_eq!(f.add(FilterValue::L4Proto(6)), Ok(Added::Stored));
        }
        // The 255 adds are used up, even though only two protocols are in.
        assert_eq!(f.add(FilterValue::L4Proto(17)), Ok(Added::Ignored));
        assert_eq!(f.add(FilterValue::L4Proto(u32::MAX)), Ok(Added::Ignored));
        assert!(f.has_l4proto(6) && f.has_l4proto(262) && !f.has_l4proto(17));
    }

    #[test]
    fn states() {
        let mut f = EventFilter::new();
        let ps = |proto, state| FilterValue::L4ProtoState(nfct_filter_proto { proto, state });
        assert_eq!(f.add(ps(6, 16)), Ok(Added::Ignored));
        assert_eq!(f.add(ps(6, 3)), Ok(Added::Stored));
        assert_eq!(f.add(ps(6, 3)), Ok(Added::Stored));
        assert_eq!(f.add(ps(263, 1)), Err(AddError::BadValue));
        assert_eq!(f.add(ps(263, 16)), Ok(Added::Ignored));
        assert_eq!(f.states(6), StateMap { map: 8, adds: 2 });
        assert_eq!(f.states(17), StateMap::default());
    }

    #[test]
    fn logic_rules() {
        let mut f = EventFilter::new();
        assert_eq!(f.set_logic(8, 0), Err(LogicError::NoSuchAttr));
        assert_eq!(f.set_logic(u32::MAX, 1), Err(LogicError::NoSuchAttr));
        // Positive any number of times, then negative once.
        assert_eq!(f.set_logic(6, 0), Ok(()));
        assert_eq!(f.set_logic(6, 0), Ok(()));
        assert!(!f.is_negative(NFCT_FILTER_MARK));
        assert_eq!(f.set_logic(6, 1), Ok(()));
        assert!(f.is_negative(NFCT_FILTER_MARK));
        assert_eq!(f.set_logic(6, 1), Err(LogicError::Busy));
        assert_eq!(f.set_logic(6, 0), Err(LogicError::Busy));
        assert_eq!(f.set_logic(6, 2), Err(LogicError::Busy));
        // Any other number is stored, and is final too.
        assert_eq!(f.set_logic(7, 2), Ok(()));
        assert_eq!(f.raw_logic(NFCT_FILTER_ZONE), 2);
        assert!(!f.is_negative(NFCT_FILTER_ZONE));
        assert_eq!(f.set_logic(7, 0), Err(LogicError::Busy));
        assert_eq!(f.set_logic(0, u32::MAX), Ok(()));
        assert_eq!(f.set_logic(0, 1), Err(LogicError::Busy));
    }

    /// A logic other than positive or negative: no program for an
    /// attribute with entries among the first six (the reference's jumps
    /// past its block); the mark and zone blocks take it as positive, as
    /// the reference's do; without entries it changes nothing.
    #[test]
    fn odd_logic() {
        use bpf::CompileError::BadLogic;
        let empty = EventFilter::new().program().unwrap();
        for a in 0..NATTRS as u32 {
            let mut f = EventFilter::new();
            f.set_logic(a, 2).unwrap();
            assert_eq!(f.program(), Ok(empty.clone()), "{a}");
        }
        let values = [
            FilterValue::L4Proto(6),
            FilterValue::L4ProtoState(nfct_filter_proto { proto: 6, state: 3 }),
            FilterValue::Ipv4(Dir::Src, v4(1, !0)),
            FilterValue::Ipv4(Dir::Dst, v4(1, !0)),
            FilterValue::Ipv6(Dir::Src, nfct_filter_ipv6::default()),
            FilterValue::Ipv6(Dir::Dst, nfct_filter_ipv6::default()),
            FilterValue::Mark(nfct_filter_dump_mark { val: 1, mask: 1 }),
            FilterValue::Zone(1),
        ];
        for v in values {
            let mut positive = EventFilter::new();
            positive.add(v).unwrap();
            let mut odd = positive.clone();
            odd.set_logic(v.attr() as u32, 7).unwrap();
            match v {
                FilterValue::Mark(_) | FilterValue::Zone(_) => {
                    assert_eq!(odd.program(), positive.program(), "{v:?}")
                }
                _ => assert_eq!(odd.program(), Err(BadLogic), "{v:?}"),
            }
        }
    }
}
