//! C API of dump filters (`struct nfct_filter_dump`).

use std::os::raw::c_void;

use super::filter::read;
use super::{
    ct_ref, einval, guard, into_heap, nf_conntrack, nfct_filter_dump, set_errno, FilterDumpAttrRaw,
};
use crate::api::{nfct_filter_dump_attr, nfct_filter_dump_mark};
use crate::conntrack::dump_filter::{DumpFilter, DumpValue};
use crate::conntrack::CtRef;

/// # Safety
/// `f` is NULL or a filter from `nfct_filter_dump_create`, not otherwise borrowed.
unsafe fn filter_mut<'a>(f: *mut nfct_filter_dump) -> Option<&'a mut DumpFilter> {
    // SAFETY: forwarded contract.
    unsafe { (f as *mut DumpFilter).as_mut() }
}

/// `nfct_filter_dump_create`: an empty dump filter.
#[no_mangle]
pub extern "C" fn nfct_filter_dump_create() -> *mut nfct_filter_dump {
    guard(std::ptr::null_mut(), || {
        into_heap(DumpFilter::new()) as *mut nfct_filter_dump
    })
}

/// `nfct_filter_dump_destroy`.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_destroy(filter: *mut nfct_filter_dump) {
    guard((), || {
        if filter.is_null() {
            return einval(());
        }
        // SAFETY: a filter from nfct_filter_dump_create; ownership ends here.
        drop(unsafe { Box::from_raw(filter as *mut DumpFilter) })
    })
}

/// The value of integer attribute `a` from the first bytes of `b`, its C
/// value's (zero-extended: the typed setters pass fewer bytes than a mark
/// has, the rest reads as zero); `None` for the tuple.
#[inline(always)]
fn int_value(a: nfct_filter_dump_attr, b: [u8; 8]) -> Option<DumpValue<'static>> {
    use nfct_filter_dump_attr::*;
    let mark = nfct_filter_dump_mark {
        val: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        mask: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
    };
    Some(match a {
        NFCT_FILTER_DUMP_MARK => DumpValue::Mark(mark),
        NFCT_FILTER_DUMP_STATUS => DumpValue::Status(mark),
        NFCT_FILTER_DUMP_L3NUM => DumpValue::L3Num(b[0]),
        NFCT_FILTER_DUMP_ZONE => DumpValue::Zone(u16::from_ne_bytes([b[0], b[1]])),
        NFCT_FILTER_DUMP_TUPLE | NFCT_FILTER_DUMP_MAX => return None,
    })
}

/// Sets integer attribute `a` from the bytes of its value in the filter at
/// `filter`; `EINVAL` for NULL or an attribute that is no integer.
///
/// # Safety
/// `filter` is NULL or a filter from `nfct_filter_dump_create`.
#[inline(always)]
unsafe fn set_int(filter: *mut nfct_filter_dump, a: Option<nfct_filter_dump_attr>, b: [u8; 8]) {
    // SAFETY: forwarded contract.
    match (
        unsafe { filter_mut(filter) },
        a.and_then(|a| int_value(a, b)),
    ) {
        (Some(f), Some(v)) => f.set(v),
        _ => einval(()),
    }
}

/// Sets the tuple of the filter at `filter` to the conntrack at `ct`;
/// `EINVAL` for NULL, `ENOMEM` when the first tuple finds no memory.
///
/// # Safety
/// `filter` is NULL or a filter from `nfct_filter_dump_create`; `ct` is
/// NULL or a conntrack object.
#[inline(always)]
unsafe fn set_tuple(filter: *mut nfct_filter_dump, ct: *const nf_conntrack) {
    // SAFETY: forwarded contract.
    let (Some(f), Some(ct)) = (unsafe { filter_mut(filter) }, unsafe { ct_ref(ct) }) else {
        return einval(());
    };
    if f.try_set(DumpValue::Tuple(ct)).is_err() {
        set_errno(libc::ENOMEM);
    }
}

/// [`set_tuple`] out of line: the tail call of `nfct_filter_dump_set_attr`,
/// whose other attributes then need no stack frame. The usual case (see
/// `DumpFilter::set_tuple_plain`) calls nothing and needs no frame either;
/// the others take [`set_tuple_general`].
#[inline(never)]
extern "C" fn set_tuple_c(filter: *mut nfct_filter_dump, ct: *const nf_conntrack) {
    // SAFETY: forwarded C contract of nfct_filter_dump_set_attr.
    if let (Some(f), Some(CtRef::Full(c))) = unsafe { (filter_mut(filter), ct_ref(ct)) } {
        if f.set_tuple_plain(c) {
            return;
        }
    }
    set_tuple_general(filter, ct)
}

/// [`set_tuple`] under its own guard.
#[inline(never)]
extern "C" fn set_tuple_general(filter: *mut nfct_filter_dump, ct: *const nf_conntrack) {
    // SAFETY: forwarded C contract of nfct_filter_dump_set_attr.
    guard((), || unsafe { set_tuple(filter, ct) })
}

/// `nfct_filter_dump_set_attr`: sets an attribute from a pointer to its value.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr(
    filter_dump: *mut nfct_filter_dump,
    type_: FilterDumpAttrRaw,
    data: *const c_void,
) {
    use nfct_filter_dump_attr::*;
    if type_.0 == NFCT_FILTER_DUMP_TUPLE as u32 {
        return set_tuple_c(filter_dump, data as *const nf_conntrack);
    }
    guard((), || {
        if data.is_null() {
            return einval(());
        }
        // SAFETY (each read): the caller passes a value of the attribute's
        // C type; the filter is the caller's.
        unsafe {
            let v = match nfct_filter_dump_attr::from_raw(type_.0) {
                Some(NFCT_FILTER_DUMP_MARK) => DumpValue::Mark(read(data)),
                Some(NFCT_FILTER_DUMP_STATUS) => DumpValue::Status(read(data)),
                Some(NFCT_FILTER_DUMP_ZONE) => DumpValue::Zone(read(data)),
                Some(NFCT_FILTER_DUMP_L3NUM) => DumpValue::L3Num(read(data)),
                Some(NFCT_FILTER_DUMP_TUPLE | NFCT_FILTER_DUMP_MAX) | None => return einval(()),
            };
            match filter_mut(filter_dump) {
                Some(f) => f.set(v),
                None => einval(()),
            }
        }
    })
}

/// `nfct_filter_dump_set_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr_u8(
    filter_dump: *mut nfct_filter_dump,
    type_: FilterDumpAttrRaw,
    data: u8,
) {
    guard((), || {
        let a = nfct_filter_dump_attr::from_raw(type_.0);
        // SAFETY: forwarded C contract.
        unsafe { set_int(filter_dump, a, [data, 0, 0, 0, 0, 0, 0, 0]) }
    })
}

/// `nfct_filter_dump_set_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr_u16(
    filter_dump: *mut nfct_filter_dump,
    type_: FilterDumpAttrRaw,
    data: u16,
) {
    guard((), || {
        let [x, y] = data.to_ne_bytes();
        let a = nfct_filter_dump_attr::from_raw(type_.0);
        // SAFETY: forwarded C contract.
        unsafe { set_int(filter_dump, a, [x, y, 0, 0, 0, 0, 0, 0]) }
    })
}
