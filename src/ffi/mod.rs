//! The C ABI: every exported function of libnetfilter_conntrack.
//!
//! Each function checks its pointers, converts raw enum values, calls the
//! safe core and maps errors to `errno` plus the reference's return value.
//! No panic crosses the boundary: bodies run under [`guard`].

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::conntrack::{Conntrack, CtRef, Head};

pub mod bitmask;
pub mod conntrack;
pub mod dump_filter;
pub mod expect;
pub mod expect_lowlevel;
pub mod filter;
pub mod handle;
pub mod labels;
pub mod lowlevel;
pub mod msgbuf;
pub mod print;

macro_rules! opaque {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub struct $name {
            _private: [u8; 0],
        }
    )*};
}

opaque! {
    /// Opaque `struct nf_conntrack`.
    nf_conntrack;
    /// Opaque `struct nf_expect`.
    nf_expect;
    /// Opaque `struct nfct_bitmask`.
    nfct_bitmask;
    /// Opaque `struct nfct_labelmap`.
    nfct_labelmap;
    /// Opaque `struct nfct_handle`.
    nfct_handle;
    /// Opaque `struct nfct_filter` (event filter).
    nfct_filter;
    /// Opaque `struct nfct_filter_dump` (dump filter).
    nfct_filter_dump;
    /// libnfnetlink's `struct nfnl_handle` (declared, not defined, by our header).
    nfnl_handle;
    /// libnfnetlink's `struct nfnl_subsys_handle`.
    nfnl_subsys_handle;
    /// The kernel's `struct nlmsghdr` (from `<linux/netlink.h>`).
    nlmsghdr;
}

macro_rules! raw_enum {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub u32);
    )*};
}

raw_enum! {
    /// `enum nf_conntrack_attr` as C passes it: any `int`, checked before use.
    AttrRaw;
    /// `enum nf_conntrack_attr_grp` as C passes it.
    GroupRaw;
    /// `enum nf_expect_attr` as C passes it.
    ExpAttrRaw;
    /// `enum nf_conntrack_msg_type` as C passes it.
    MsgTypeRaw;
    /// `enum nf_conntrack_query` as C passes it.
    QueryRaw;
    /// `enum nfct_filter_attr` as C passes it.
    FilterAttrRaw;
    /// `enum nfct_filter_logic` as C passes it.
    FilterLogicRaw;
    /// `enum nfct_filter_dump_attr` as C passes it.
    FilterDumpAttrRaw;
}

/// Sets the calling thread's `errno`.
pub(crate) fn set_errno(e: c_int) {
    // SAFETY: __errno_location() returns a valid pointer to this thread's errno.
    unsafe { *libc::__errno_location() = e };
}

/// Runs `f`, turning a panic (a bug) into `fallback` with `errno = EINVAL`
/// instead of an abort.
pub(crate) fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        set_errno(libc::EINVAL);
        fallback
    })
}

/// Fails with `EINVAL`: returns `value` after setting `errno`.
pub(crate) fn einval<R>(value: R) -> R {
    set_errno(libc::EINVAL);
    value
}

/// A read-only view of the conntrack behind `p`: a whole object, or a tuple
/// head that an expectation handed out.
///
/// # Safety
/// `p` is NULL or points to an object made by this library (or to a head
/// returned by `nfexp_get_attr`), valid for `'a`.
pub(crate) unsafe fn ct_ref<'a>(p: *const nf_conntrack) -> Option<CtRef<'a>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: every conntrack pointer we hand out starts with a `Head`
    // (bitmap + original tuple), so reading that prefix is always valid.
    let head = unsafe { &*(p as *const Head) };
    if Head::bits_say_detached(CtRef::Head(head).bits()) {
        Some(CtRef::Head(head))
    } else {
        // SAFETY: not a detached head, so a whole object made by nfct_new().
        Some(CtRef::Full(unsafe { &*(p as *const Conntrack) }))
    }
}

/// The whole conntrack object behind `p`, for changing it. `None` for NULL
/// and for a detached tuple head (which is read-only).
///
/// # Safety
/// As for [`ct_ref`], and no other reference to the object is live.
pub(crate) unsafe fn ct_mut<'a>(p: *mut nf_conntrack) -> Option<&'a mut Conntrack> {
    // SAFETY: forwarded contract.
    match unsafe { ct_ref(p) }? {
        // SAFETY: a whole object; the caller owns it exclusively for the call.
        CtRef::Full(_) => Some(unsafe { &mut *(p as *mut Conntrack) }),
        CtRef::Head(_) => None,
    }
}

/// Hands a new conntrack object to C.
pub(crate) fn ct_into_raw(ct: Conntrack) -> *mut nf_conntrack {
    Box::into_raw(Box::new(ct)) as *mut nf_conntrack
}
