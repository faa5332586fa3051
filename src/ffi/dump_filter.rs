//! C API of dump filters (`struct nfct_filter_dump`).

use std::os::raw::c_void;

use super::{ct_ref, einval, guard, into_heap, nf_conntrack, nfct_filter_dump, FilterDumpAttrRaw};
use crate::api::{nfct_filter_dump_attr, nfct_filter_dump_mark};
use crate::conntrack::dump_filter::{DumpFilter, DumpValue};

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

/// Sets `attr` from the bytes at `value`: as many as the attribute's C type
/// has, but no more than `avail`, what the caller really passed (the typed
/// setters pass fewer than a mark needs: the rest reads as zero).
///
/// # Safety
/// `value` points to `min(avail, width)` readable bytes, or to a conntrack
/// for the tuple.
unsafe fn set(
    filter: *mut nfct_filter_dump,
    attr: FilterDumpAttrRaw,
    value: *const c_void,
    avail: usize,
) {
    use nfct_filter_dump_attr::*;
    // SAFETY: forwarded contract.
    let f = unsafe { filter_mut(filter) };
    let (Some(f), Some(a)) = (f, nfct_filter_dump_attr::from_raw(attr.0)) else {
        return einval(());
    };
    if value.is_null() {
        return einval(());
    }
    // Never read past what the caller passed: zero-extend short values.
    let width = match a {
        NFCT_FILTER_DUMP_MARK | NFCT_FILTER_DUMP_STATUS => 8,
        NFCT_FILTER_DUMP_ZONE => 2,
        NFCT_FILTER_DUMP_L3NUM => 1,
        NFCT_FILTER_DUMP_TUPLE | NFCT_FILTER_DUMP_MAX => 0,
    };
    let mut bytes = [0u8; 8];
    if width > 0 {
        let n = avail.min(width);
        // SAFETY: `value` holds at least `avail` bytes.
        bytes[..n].copy_from_slice(unsafe { std::slice::from_raw_parts(value as *const u8, n) });
    }
    let mark = |b: [u8; 8]| nfct_filter_dump_mark {
        val: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        mask: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
    };
    let v = match a {
        NFCT_FILTER_DUMP_MARK => DumpValue::Mark(mark(bytes)),
        NFCT_FILTER_DUMP_STATUS => DumpValue::Status(mark(bytes)),
        NFCT_FILTER_DUMP_L3NUM => DumpValue::L3Num(bytes[0]),
        NFCT_FILTER_DUMP_ZONE => DumpValue::Zone(u16::from_ne_bytes([bytes[0], bytes[1]])),
        // SAFETY: the tuple is a conntrack object (or a detached head).
        NFCT_FILTER_DUMP_TUPLE => match unsafe { ct_ref(value as *const nf_conntrack) } {
            Some(ct) => DumpValue::Tuple(ct),
            None => return einval(()),
        },
        NFCT_FILTER_DUMP_MAX => return einval(()),
    };
    f.set(v);
}

/// `nfct_filter_dump_set_attr`: sets an attribute from a pointer to its value.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr(
    filter_dump: *mut nfct_filter_dump,
    type_: FilterDumpAttrRaw,
    data: *const c_void,
) {
    // SAFETY: forwarded C contract: `data` holds the attribute's value.
    guard((), || unsafe { set(filter_dump, type_, data, usize::MAX) })
}

/// `nfct_filter_dump_set_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_dump_set_attr_u8(
    filter_dump: *mut nfct_filter_dump,
    type_: FilterDumpAttrRaw,
    data: u8,
) {
    guard((), || {
        if type_.0 == nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE as u32 {
            return einval(());
        }
        // SAFETY: one byte on our stack.
        unsafe { set(filter_dump, type_, [data].as_ptr() as *const c_void, 1) }
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
        if type_.0 == nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE as u32 {
            return einval(());
        }
        let bytes = data.to_ne_bytes();
        // SAFETY: two bytes on our stack.
        unsafe { set(filter_dump, type_, bytes.as_ptr() as *const c_void, 2) }
    })
}
