//! C API of event filters: build a filter, attach its BPF program to a
//! socket, detach it.

use std::mem::size_of;
use std::os::raw::{c_int, c_void};
use std::ptr;

use super::{einval, fail, guard, nfct_filter, set_errno, FilterAttrRaw, FilterLogicRaw};
use crate::api::{nfct_filter_attr, nfct_filter_proto};
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

/// Reads a `T` at `value`.
///
/// # Safety
/// `value` points to a readable `T` (any alignment).
#[inline(always)]
pub(super) unsafe fn read<T>(value: *const c_void) -> T {
    // SAFETY: per the contract.
    unsafe { (value as *const T).read_unaligned() }
}

/// Adds `v`; `EINVAL` when it is a value the reference cannot store.
#[inline(always)]
fn add(f: &mut EventFilter, v: FilterValue) {
    if let Err(AddError::BadValue) = f.add(v) {
        einval(())
    }
}

/// `nfct_filter_create`: a new, empty event filter, in memory from `malloc`
/// (an `EventFilter` owns no other memory: `nfct_filter_destroy` frees it
/// as the reference frees its filter).
#[no_mangle]
pub extern "C" fn nfct_filter_create() -> *mut nfct_filter {
    guard(ptr::null_mut(), || {
        // SAFETY: plain allocation, checked for NULL.
        let p = unsafe { libc::malloc(size_of::<EventFilter>()) } as *mut EventFilter;
        if p.is_null() {
            set_errno(libc::ENOMEM);
        } else {
            // SAFETY: fresh memory of the size of an EventFilter, aligned
            // for any type (malloc), written whole.
            unsafe { p.write(EventFilter::new()) };
        }
        p as *mut nfct_filter
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
        // SAFETY: a filter from nfct_filter_create(), in malloc()'s memory
        // and owning nothing else; ownership ends here.
        unsafe { libc::free(filter as *mut c_void) };
    })
}

// An event filter owns no memory of its own, so freeing its memory is all
// that destroying it takes.
const _: () = assert!(!std::mem::needs_drop::<EventFilter>());

/// `nfct_filter_add_attr`: adds an entry to an attribute of an event filter.
/// Entries beyond the attribute's limit and attribute numbers out of range
/// are ignored, as in the reference.
#[no_mangle]
pub unsafe extern "C" fn nfct_filter_add_attr(
    filter: *mut nfct_filter,
    attr: FilterAttrRaw,
    value: *const c_void,
) {
    use nfct_filter_attr::*;
    guard((), || {
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(());
        };
        if value.is_null() {
            return einval(());
        }
        // SAFETY (every read): the caller passes a value of the
        // attribute's C type.
        let v = match nfct_filter_attr::from_raw(attr.0) {
            Some(NFCT_FILTER_L4PROTO) => FilterValue::L4Proto(unsafe { read::<u32>(value) }),
            Some(NFCT_FILTER_L4PROTO_STATE) => FilterValue::L4ProtoState(unsafe { read(value) }),
            Some(NFCT_FILTER_SRC_IPV4) => FilterValue::Ipv4(Dir::Src, unsafe { read(value) }),
            Some(NFCT_FILTER_DST_IPV4) => FilterValue::Ipv4(Dir::Dst, unsafe { read(value) }),
            Some(NFCT_FILTER_SRC_IPV6) => FilterValue::Ipv6(Dir::Src, unsafe { read(value) }),
            Some(NFCT_FILTER_DST_IPV6) => FilterValue::Ipv6(Dir::Dst, unsafe { read(value) }),
            Some(NFCT_FILTER_MARK) => FilterValue::Mark(unsafe { read(value) }),
            Some(NFCT_FILTER_ZONE) => FilterValue::Zone(unsafe { read(value) }),
            Some(NFCT_FILTER_MAX) | None => return,
        };
        add(f, v);
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
    use nfct_filter_attr::*;
    guard((), || {
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(());
        };
        let b = value.to_ne_bytes();
        let v = match nfct_filter_attr::from_raw(attr.0) {
            Some(NFCT_FILTER_L4PROTO) => FilterValue::L4Proto(value),
            Some(NFCT_FILTER_L4PROTO_STATE) => FilterValue::L4ProtoState(nfct_filter_proto {
                proto: u16::from_ne_bytes([b[0], b[1]]),
                state: u16::from_ne_bytes([b[2], b[3]]),
            }),
            Some(NFCT_FILTER_ZONE) => FilterValue::Zone(u16::from_ne_bytes([b[0], b[1]])),
            Some(
                NFCT_FILTER_SRC_IPV4 | NFCT_FILTER_DST_IPV4 | NFCT_FILTER_SRC_IPV6
                | NFCT_FILTER_DST_IPV6 | NFCT_FILTER_MARK,
            ) => return einval(()),
            Some(NFCT_FILTER_MAX) | None => return,
        };
        add(f, v);
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
            return fail(libc::EOPNOTSUPP, -1);
        }
        // SAFETY: caller passes a filter from nfct_filter_create() or NULL.
        let Some(f) = (unsafe { filter_mut(filter) }) else {
            return einval(-1);
        };
        match f.set_logic(attr.0, logic.0) {
            Ok(()) => 0,
            Err(LogicError::NoSuchAttr) => fail(libc::EOPNOTSUPP, -1),
            Err(LogicError::Busy) => fail(libc::EBUSY, -1),
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
                return fail(e.errno(), -1);
            }
        };
        let Ok(insns) = program.sock_filters() else {
            return fail(libc::ENOMEM, -1);
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
            Err(e) => fail(e.0, -1),
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
        Err(e) => fail(e.0, -1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_filter_is_empty() {
        let p = nfct_filter_create();
        assert!(!p.is_null());
        // SAFETY: a filter just made.
        let f = unsafe { &*(p as *const EventFilter) };
        assert_eq!(*f, EventFilter::new());
        // SAFETY: made above, used no more.
        unsafe { nfct_filter_destroy(p) };
    }
}
