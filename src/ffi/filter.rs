//! C API of event filters: build a filter, attach its BPF program to a
//! socket, detach it.

use std::mem::size_of;
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::slice;

use super::{einval, guard, into_heap, nfct_filter, set_errno, FilterAttrRaw, FilterLogicRaw};
use crate::api::{
    nfct_filter_attr, nfct_filter_dump_mark, nfct_filter_ipv4, nfct_filter_ipv6, nfct_filter_proto,
};
use crate::conntrack::filter::{AddError, Dir, EventFilter, FilterValue, LogicError};
use crate::netlink::socket;

/// The filter behind `p`, if not NULL.
///
/// # Safety
/// `p` is NULL or a filter from `nfct_filter_create`, not in use elsewhere.
unsafe fn filter_mut<'a>(p: *mut nfct_filter) -> Option<&'a mut EventFilter> {
    // SAFETY: per the contract, a live filter made by nfct_filter_create().
    unsafe { (p as *mut EventFilter).as_mut() }
}

/// How many bytes the value of `attr` takes in C.
fn value_width(attr: nfct_filter_attr) -> usize {
    use nfct_filter_attr::*;
    match attr {
        NFCT_FILTER_L4PROTO => size_of::<c_int>(),
        NFCT_FILTER_L4PROTO_STATE => size_of::<nfct_filter_proto>(),
        NFCT_FILTER_SRC_IPV4 | NFCT_FILTER_DST_IPV4 => size_of::<nfct_filter_ipv4>(),
        NFCT_FILTER_SRC_IPV6 | NFCT_FILTER_DST_IPV6 => size_of::<nfct_filter_ipv6>(),
        NFCT_FILTER_MARK => size_of::<nfct_filter_dump_mark>(),
        NFCT_FILTER_ZONE => size_of::<u16>(),
        NFCT_FILTER_MAX => 0,
    }
}

/// The value of `attr` from the bytes of its C representation (exactly
/// [`value_width`] of them, native byte order).
fn decode(attr: nfct_filter_attr, b: &[u8]) -> Option<FilterValue> {
    use nfct_filter_attr::*;
    let u32_at = |i: usize| -> u32 { u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) };
    let u16_at = |i: usize| -> u16 { u16::from_ne_bytes([b[i], b[i + 1]]) };
    let words =
        |i: usize| -> [u32; 4] { [u32_at(i), u32_at(i + 4), u32_at(i + 8), u32_at(i + 12)] };
    if b.len() != value_width(attr) {
        return None;
    }
    Some(match attr {
        NFCT_FILTER_L4PROTO => FilterValue::L4Proto(u32_at(0)),
        NFCT_FILTER_L4PROTO_STATE => FilterValue::L4ProtoState(nfct_filter_proto {
            proto: u16_at(0),
            state: u16_at(2),
        }),
        NFCT_FILTER_SRC_IPV4 | NFCT_FILTER_DST_IPV4 => {
            let dir = if attr == NFCT_FILTER_SRC_IPV4 {
                Dir::Src
            } else {
                Dir::Dst
            };
            let v = nfct_filter_ipv4 {
                addr: u32_at(0),
                mask: u32_at(4),
            };
            FilterValue::Ipv4(dir, v)
        }
        NFCT_FILTER_SRC_IPV6 | NFCT_FILTER_DST_IPV6 => {
            let dir = if attr == NFCT_FILTER_SRC_IPV6 {
                Dir::Src
            } else {
                Dir::Dst
            };
            let v = nfct_filter_ipv6 {
                addr: words(0),
                mask: words(16),
            };
            FilterValue::Ipv6(dir, v)
        }
        NFCT_FILTER_MARK => FilterValue::Mark(nfct_filter_dump_mark {
            val: u32_at(0),
            mask: u32_at(4),
        }),
        NFCT_FILTER_ZONE => FilterValue::Zone(u16_at(0)),
        NFCT_FILTER_MAX => return None,
    })
}

/// Adds the value whose C bytes are `bytes`; `EINVAL` if they are too few
/// for the attribute or the value is one the reference cannot store.
fn add_bytes(f: &mut EventFilter, attr: nfct_filter_attr, bytes: &[u8]) {
    let Some(v) = decode(attr, bytes) else {
        return einval(());
    };
    if let Err(AddError::BadValue) = f.add(v) {
        einval(())
    }
}

/// `nfct_filter_create`: a new, empty event filter.
#[no_mangle]
pub extern "C" fn nfct_filter_create() -> *mut nfct_filter {
    guard(ptr::null_mut(), || {
        into_heap(EventFilter::new()) as *mut nfct_filter
    })
}

/// `nfct_filter_destroy`: frees an event filter. A program already attached
/// stays on its socket.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_destroy(filter: *mut nfct_filter) {
    guard((), || {
        if filter.is_null() {
            return einval(());
        }
        // SAFETY: a filter from nfct_filter_create(); ownership ends here.
        drop(unsafe { Box::from_raw(filter as *mut EventFilter) });
    })
}

/// `nfct_filter_add_attr`: adds an entry to an attribute of an event filter.
/// Entries beyond the attribute's limit and attribute numbers out of range
/// are ignored, as in the reference.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_add_attr(
    filter: *mut nfct_filter,
    attr: FilterAttrRaw,
    value: *const c_void,
) {
    guard((), || {
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(());
        };
        if value.is_null() {
            return einval(());
        }
        let Some(a) = nfct_filter_attr::from_raw(attr.0) else {
            return;
        };
        // SAFETY: the caller passes a value of the attribute's C type, which
        // is `value_width(a)` bytes long.
        let bytes = unsafe { slice::from_raw_parts(value as *const u8, value_width(a)) };
        add_bytes(f, a, bytes);
    })
}

/// `nfct_filter_add_attr_u32`: adds a 32-bit value (`NFCT_FILTER_L4PROTO`;
/// also `NFCT_FILTER_L4PROTO_STATE` and `NFCT_FILTER_ZONE`, read from the
/// value's bytes as the reference does). Attributes whose values are wider
/// than 32 bits fail with `EINVAL`: the reference would read past the value.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_add_attr_u32(
    filter: *mut nfct_filter,
    attr: FilterAttrRaw,
    value: u32,
) {
    guard((), || {
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(());
        };
        let Some(a) = nfct_filter_attr::from_raw(attr.0) else {
            return;
        };
        let bytes = value.to_ne_bytes();
        let w = value_width(a);
        if w > bytes.len() {
            return einval(());
        }
        add_bytes(f, a, &bytes[..w]);
    })
}

/// `nfct_filter_set_logic`: whether entries of `attr` select the events to
/// deliver (`NFCT_FILTER_LOGIC_POSITIVE`, the default) or to drop
/// (`NFCT_FILTER_LOGIC_NEGATIVE`). Returns what the reference returns: 0,
/// or -1 with `errno`: `ENOTSUP` for an attribute out of range (checked
/// first), `EBUSY` once the attribute's logic is anything but positive.
/// Any other logic number is stored, as the reference stores it (a filter
/// whose attribute with entries has one then fails to attach: see
/// [`nfct_filter_attach`]). `EINVAL` for a NULL filter (the reference
/// crashes).
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_set_logic(
    filter: *mut nfct_filter,
    attr: FilterAttrRaw,
    logic: FilterLogicRaw,
) -> c_int {
    guard(-1, || {
        if nfct_filter_attr::from_raw(attr.0).is_none() {
            set_errno(libc::EOPNOTSUPP);
            return -1;
        }
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(-1);
        };
        match f.set_logic(attr.0, logic.0) {
            Ok(()) => 0,
            Err(LogicError::NoSuchAttr) => {
                set_errno(libc::EOPNOTSUPP);
                -1
            }
            Err(LogicError::Busy) => {
                set_errno(libc::EBUSY);
                -1
            }
        }
    })
}

/// `nfct_filter_attach`: compiles the filter and attaches the program to
/// socket `fd` (`SO_ATTACH_FILTER`), replacing any program it had. Returns
/// 0, or -1 with the `errno` of `setsockopt` (`EBADF`, `ENOTSOCK`, ...),
/// `EINVAL` for a NULL filter or an attribute with entries whose logic is
/// neither positive nor negative (the reference's program for it is one the
/// kernel refuses, or that filters wrongly), `ENOMEM`.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_attach(fd: c_int, filter: *mut nfct_filter) -> c_int {
    guard(-1, || {
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(-1);
        };
        let program = match f.program() {
            Ok(p) => p,
            Err(e) => {
                set_errno(e.errno());
                return -1;
            }
        };
        let Ok(insns) = program.sock_filters() else {
            set_errno(libc::ENOMEM);
            return -1;
        };
        if u16::try_from(insns.len()).is_err() {
            return einval(-1);
        }
        // The reference leaves this errno behind even when it succeeds.
        if let Some(e) = program.errno {
            set_errno(e);
        }
        match socket::attach_filter(fd, &insns) {
            Ok(()) => 0,
            Err(e) => {
                set_errno(e.0);
                -1
            }
        }
    })
}

/// `nfct_filter_detach`: removes the program of socket `fd`
/// (`SO_DETACH_FILTER`). Returns 0, or -1 with `errno` (`ENOENT` when it has
/// none, `EBADF`, `ENOTSOCK`).
#[no_mangle]
pub extern "C" fn nfct_filter_detach(fd: c_int) -> c_int {
    guard(-1, || match socket::detach_filter(fd) {
        Ok(()) => 0,
        Err(e) => {
            set_errno(e.0);
            -1
        }
    })
}
