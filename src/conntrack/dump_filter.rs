//! Dump filters (`struct nfct_filter_dump`): let the kernel select which
//! entries a dump returns, by mark, status, family, zone or tuple.

use super::attr::Attr::{self, *};
use super::build::build;
use super::object::{Conntrack, CtRef, ObjError, AF_INET, AF_INET6};
use crate::api::{nfct_filter_dump_attr, nfct_filter_dump_mark};
use crate::ctnetlink::{cta, filter};
use crate::fallible::{HeapBox, NoMemory};
use crate::netlink::attr::AttrWriter;
use crate::netlink::frame::PutAttr;

/// A dump filter.
#[derive(Clone, Debug, Default)]
pub struct DumpFilter {
    /// `NFCT_FILTER_DUMP_TUPLE`'s conntrack, once set: on the heap, so that
    /// a filter without one is small (cheap to make and to free).
    tuple: Option<HeapBox<Conntrack>>,
    mark: nfct_filter_dump_mark,
    status: nfct_filter_dump_mark,
    l3num: u8,
    zone: u16,
    set: u32,
}

/// A value for one dump filter attribute.
#[derive(Clone, Copy, Debug)]
pub enum DumpValue<'a> {
    /// `NFCT_FILTER_DUMP_MARK`.
    Mark(nfct_filter_dump_mark),
    /// `NFCT_FILTER_DUMP_STATUS`.
    Status(nfct_filter_dump_mark),
    /// `NFCT_FILTER_DUMP_L3NUM`.
    L3Num(u8),
    /// `NFCT_FILTER_DUMP_ZONE`.
    Zone(u16),
    /// `NFCT_FILTER_DUMP_TUPLE`: the tuple attributes of this conntrack.
    Tuple(CtRef<'a>),
}

fn bit(a: nfct_filter_dump_attr) -> u32 {
    1 << a as u32
}

/// Which `CTA_FILTER_FLAG_*` bits describe the tuple attributes `ct` sets.
fn tuple_flags(ct: CtRef<'_>, family: u8) -> u32 {
    let by_attr: &[(Attr, u32)] = match family {
        AF_INET => &[
            (ATTR_ORIG_IPV4_SRC, filter::IP_SRC),
            (ATTR_ORIG_IPV4_DST, filter::IP_DST),
            (ATTR_ICMP_TYPE, filter::PROTO_ICMP_TYPE),
            (ATTR_ICMP_CODE, filter::PROTO_ICMP_CODE),
            (ATTR_ICMP_ID, filter::PROTO_ICMP_ID),
        ],
        AF_INET6 => &[
            (ATTR_ORIG_IPV6_SRC, filter::IP_SRC),
            (ATTR_ORIG_IPV6_DST, filter::IP_DST),
            (ATTR_ICMP_TYPE, filter::PROTO_ICMPV6_TYPE),
            (ATTR_ICMP_CODE, filter::PROTO_ICMPV6_CODE),
            (ATTR_ICMP_ID, filter::PROTO_ICMPV6_ID),
        ],
        _ => &[],
    };
    let common = [
        (ATTR_ORIG_ZONE, filter::TUPLE_ZONE),
        (ATTR_ORIG_L4PROTO, filter::PROTO_NUM),
        (ATTR_ORIG_PORT_SRC, filter::PROTO_SRC_PORT),
        (ATTR_ORIG_PORT_DST, filter::PROTO_DST_PORT),
    ];
    by_attr
        .iter()
        .chain(&common)
        .filter(|(a, _)| ct.is_set(*a))
        .fold(0, |flags, (_, f)| flags | f)
}

/// A filter's first tuple: an empty conntrack on the heap. Out of line, so
/// that the setters need no stack for one.
#[cold]
#[inline(never)]
fn empty_tuple() -> Result<HeapBox<Conntrack>, NoMemory> {
    HeapBox::new(Conntrack::new())
}

/// What `Box::new` does when the heap refuses.
#[cold]
fn oom() -> ! {
    std::alloc::handle_alloc_error(std::alloc::Layout::new::<Conntrack>())
}

impl DumpFilter {
    /// An empty filter (`nfct_filter_dump_create`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one attribute (`nfct_filter_dump_set_attr`). Short of memory for
    /// the first tuple, nothing is set and [`NoMemory`] returned.
    #[inline]
    pub fn try_set(&mut self, value: DumpValue<'_>) -> Result<(), NoMemory> {
        match value {
            DumpValue::Tuple(ct) => self.try_set_tuple(ct),
            _ => {
                self.set(value);
                Ok(())
            }
        }
    }

    /// [`DumpFilter::try_set`] of the tuple: a copy of `ct`.
    #[inline]
    pub fn try_set_tuple(&mut self, ct: CtRef<'_>) -> Result<(), NoMemory> {
        if let CtRef::Full(c) = ct {
            if self.set_tuple_plain(c) {
                return Ok(());
            }
        }
        self.set_tuple_general(ct)
    }

    /// [`DumpFilter::try_set_tuple`] past its usual case, out of line.
    #[inline(never)]
    fn set_tuple_general(&mut self, ct: CtRef<'_>) -> Result<(), NoMemory> {
        let tuple = match &mut self.tuple {
            Some(t) => t,
            None => self.tuple.insert(empty_tuple()?),
        };
        tuple.clone_from_view(ct);
        self.set |= bit(nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE);
        Ok(())
    }

    /// Sets the tuple to a copy of `ct` in the usual case, with nothing to
    /// allocate: the filter has a tuple already, and neither it nor `ct`
    /// owns a heap value. `false` (nothing done) otherwise.
    #[inline(always)]
    pub fn set_tuple_plain(&mut self, ct: &Conntrack) -> bool {
        let Some(t) = &mut self.tuple else {
            return false;
        };
        if !t.copy_plain_from(ct) {
            return false;
        }
        self.set |= bit(nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE);
        true
    }

    /// Sets one attribute, as [`DumpFilter::try_set`] does; short of memory
    /// for the first tuple, ends the process as `Box::new` does (the Rust
    /// API's way).
    #[inline]
    pub fn set(&mut self, value: DumpValue<'_>) {
        use nfct_filter_dump_attr::*;
        let which = match value {
            DumpValue::Mark(m) => {
                self.mark = m;
                NFCT_FILTER_DUMP_MARK
            }
            DumpValue::Status(s) => {
                self.status = s;
                NFCT_FILTER_DUMP_STATUS
            }
            DumpValue::L3Num(f) => {
                self.l3num = f;
                NFCT_FILTER_DUMP_L3NUM
            }
            DumpValue::Zone(z) => {
                self.zone = z;
                NFCT_FILTER_DUMP_ZONE
            }
            DumpValue::Tuple(ct) => return self.set_tuple_or_abort(ct),
        };
        self.set |= bit(which);
    }

    /// [`DumpFilter::set`] of the tuple, out of line: the integer setters
    /// that inline `set` carry none of it.
    #[inline(never)]
    fn set_tuple_or_abort(&mut self, ct: CtRef<'_>) {
        if self.try_set_tuple(ct).is_err() {
            oom();
        }
    }

    /// Whether attribute `a` is set.
    pub fn has(&self, a: nfct_filter_dump_attr) -> bool {
        self.set & bit(a) != 0
    }

    /// Whether the tuple is set: without it, the filter's attributes are
    /// at most [`DumpFilter::FIXED_MAX`] bytes, all written by
    /// [`DumpFilter::build_fixed`].
    pub fn has_tuple(&self) -> bool {
        self.has(nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE)
    }

    /// The most bytes [`DumpFilter::build_fixed`] writes: five attributes
    /// of up to 8 bytes each.
    pub(crate) const FIXED_MAX: usize = 5 * 8;

    /// Appends the attributes of the filter but its tuple (mark, status,
    /// zone) to a dump request whose `nfgenmsg` family is `family`; returns
    /// the family the request must carry.
    #[inline]
    pub fn build_fixed(&self, w: &mut impl PutAttr, mut family: u8) -> u8 {
        use nfct_filter_dump_attr::*;
        if self.has(NFCT_FILTER_DUMP_MARK) {
            w.put_array(cta::MARK, self.mark.val.to_be_bytes());
            w.put_array(cta::MARK_MASK, self.mark.mask.to_be_bytes());
        }
        if self.has(NFCT_FILTER_DUMP_L3NUM) {
            family = self.l3num;
        }
        if self.has(NFCT_FILTER_DUMP_STATUS) {
            w.put_array(cta::STATUS, self.status.val.to_be_bytes());
            w.put_array(cta::STATUS_MASK, self.status.mask.to_be_bytes());
        }
        if self.has(NFCT_FILTER_DUMP_ZONE) {
            w.put_array(cta::ZONE, self.zone.to_be_bytes());
        }
        family
    }

    /// Appends the filter's attributes to a dump request whose `nfgenmsg`
    /// family is `family` (`nfct_nlmsg_build_filter`); returns the family the
    /// request must carry.
    pub fn build(&self, w: &mut AttrWriter<'_>, family: u8) -> Result<u8, ObjError> {
        use nfct_filter_dump_attr::*;
        let mut family = self.build_fixed(w, family);
        if let Some(tuple) = self
            .tuple
            .as_ref()
            .filter(|_| self.has(NFCT_FILTER_DUMP_TUPLE))
        {
            let ct = tuple.view();
            build(w, ct)?;
            if ct.is_set(ATTR_ORIG_L3PROTO) {
                let l3 = ct.u8(ATTR_ORIG_L3PROTO);
                if self.has(NFCT_FILTER_DUMP_L3NUM) && self.l3num != l3 {
                    return Err(ObjError::Invalid);
                }
                family = l3;
            }
            // The kernel reads these flags in host byte order.
            w.nested(cta::FILTER, |w| {
                w.put_array(filter::ORIG_FLAGS, tuple_flags(ct, family).to_ne_bytes());
                w.put_array(filter::REPLY_FLAGS, 0u32.to_ne_bytes());
            });
        }
        Ok(family)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::attr::Attrs;

    #[test]
    fn mark_and_family() {
        let mut f = DumpFilter::new();
        f.set(DumpValue::Mark(nfct_filter_dump_mark {
            val: 1,
            mask: 0xff,
        }));
        f.set(DumpValue::L3Num(AF_INET6));
        let mut buf = Vec::new();
        let family = f.build(&mut AttrWriter::new(&mut buf), 0).unwrap();
        assert_eq!(family, AF_INET6);
        let types: Vec<u16> = Attrs::new(&buf).map(|a| a.unwrap().ty).collect();
        assert_eq!(types, [cta::MARK, cta::MARK_MASK]);
    }

    /// Without a tuple, the attributes fit FIXED_MAX bytes on the stack,
    /// byte for byte what the general writer makes.
    #[test]
    fn fixed_attributes_on_the_stack() {
        use crate::netlink::frame::Frame;
        for set in 0u32..16 {
            let mut f = DumpFilter::new();
            let m = |v| nfct_filter_dump_mark { val: v, mask: !v };
            if set & 1 != 0 {
                f.set(DumpValue::Mark(m(0x1234_5678)));
            }
            if set & 2 != 0 {
                f.set(DumpValue::Status(m(8)));
            }
            if set & 4 != 0 {
                f.set(DumpValue::Zone(0xabcd));
            }
            if set & 8 != 0 {
                f.set(DumpValue::L3Num(AF_INET6));
            }
            let mut buf = Vec::new();
            let family = f.build(&mut AttrWriter::new(&mut buf), 7).unwrap();
            let mut w = Frame::<{ DumpFilter::FIXED_MAX }>::default();
            assert_eq!(f.build_fixed(&mut w, 7), family);
            assert!(!w.overflowed());
            assert_eq!(w.bytes(), &buf[..], "{set:#b}");
        }
        let mut small = Frame::<12>::default();
        small.put_array(1, [0u8; 8]);
        small.put_array(2, [0u8; 1]);
        assert!(small.overflowed() && small.bytes().len() == 12);
    }

    #[test]
    fn tuple_family_must_agree() {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, 1);
        ct.set_u8(ATTR_ORIG_L4PROTO, 6);
        let mut f = DumpFilter::new();
        f.set(DumpValue::Tuple(ct.view()));
        let mut buf = Vec::new();
        assert_eq!(f.build(&mut AttrWriter::new(&mut buf), 0), Ok(AF_INET));
        assert_eq!(
            tuple_flags(ct.view(), AF_INET),
            filter::IP_SRC | filter::PROTO_NUM
        );
        f.set(DumpValue::L3Num(AF_INET6));
        let mut buf = Vec::new();
        assert_eq!(
            f.build(&mut AttrWriter::new(&mut buf), 0),
            Err(ObjError::Invalid)
        );
    }
}
