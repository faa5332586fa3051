//! C API of the low-level netlink functions: build and parse conntrack
//! messages in the caller's buffers (`nfct_nlmsg_*`, `nfct_payload_parse`),
//! and the deprecated libnfnetlink-era builders.
//!
//! The deprecated builders take a libnfnetlink `struct nfnl_subsys_handle *`.
//! Both reference versions (1.0.9 and 1.1.0) ignore it — the request gets
//! sequence number 0 and the subsystem named by the function — so we accept
//! any pointer, NULL included, and never read it.

use std::os::raw::{c_int, c_uint, c_void};
use std::slice;

use super::msgbuf::{
    append_attrs, copy_request, nfgen_payload, parse_status, type_and_flags, zero,
};
use super::{
    ct_mut, ct_ref, einval, guard, nf_conntrack, nfct_filter_dump, nfnl_subsys_handle, nlmsghdr,
    set_errno, MsgTypeRaw, QueryRaw,
};
use crate::api::nf_conntrack_query;
use crate::conntrack::build::build;
use crate::conntrack::dump_filter::DumpFilter;
use crate::conntrack::parse::parse_payload;
use crate::conntrack::request::{self, DataKind, QueryData};
use crate::netlink::msg::NLMSG_HDRLEN;

/// `nfct_nlmsg_build`: appends the attributes describing `ct` to `nlh`.
/// 0, or -1 with `EINVAL` (no layer-3 protocol, or a tuple without a family).
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_build(nlh: *mut nlmsghdr, ct: *const nf_conntrack) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_ref(ct) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller's message buffer (see append_attrs).
        match unsafe { append_attrs(nlh, |w| build(w, ct)) } {
            Ok(()) => 0,
            Err(_) => einval(-1),
        }
    })
}

/// `nfct_nlmsg_build_filter`: appends a dump filter to a dump request (and
/// sets its family when the filter names one).
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_build_filter(
    nlh: *mut nlmsghdr,
    filter_dump: *const nfct_filter_dump,
) -> c_int {
    guard(-1, || {
        // SAFETY: filter objects come from nfct_filter_dump_create (a Box).
        let Some(filter) = (unsafe { (filter_dump as *const DumpFilter).as_ref() }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: a request starts with a header and an nfgenmsg.
        let family_at = unsafe { (nlh as *mut u8).add(NLMSG_HDRLEN) };
        // SAFETY: as above.
        let family = unsafe { family_at.read() };
        // SAFETY: the caller's message buffer (see append_attrs).
        match unsafe { append_attrs(nlh, |w| filter.build(w, family)) } {
            Ok(f) => {
                // SAFETY: as above.
                unsafe { family_at.write(f) };
                0
            }
            Err(_) => einval(-1),
        }
    })
}

/// `nfct_nlmsg_parse`: fills `ct` from a conntrack message. 0, or -1 with
/// `EBADMSG` for a malformed message (what was read stays set).
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_parse(nlh: *const nlmsghdr, ct: *mut nf_conntrack) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a whole message.
        let Some((payload, family)) = (unsafe { nfgen_payload(nlh) }) else {
            set_errno(libc::EBADMSG);
            return -1;
        };
        parse_status(parse_payload(ct, payload, family))
    })
}

/// `nfct_payload_parse`: fills `ct` from the attributes of a conntrack
/// message (what follows its `nfgenmsg`).
#[no_mangle]
pub unsafe extern "C" fn nfct_payload_parse(
    payload: *const c_void,
    payload_len: usize,
    l3num: u16,
    ct: *mut nf_conntrack,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(-1);
        };
        let payload = match (payload.is_null(), payload_len) {
            (_, 0) => &[][..],
            (true, _) => return einval(-1),
            // SAFETY: the caller passes `payload_len` readable bytes.
            (false, n) => unsafe { slice::from_raw_parts(payload as *const u8, n) },
        };
        parse_status(parse_payload(ct, payload, l3num as u8))
    })
}

/// `nfct_build_conntrack` (deprecated): writes a whole conntrack request of
/// message type `type_` and `flags` into `req`.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfct_build_conntrack(
    _ssh: *mut nfnl_subsys_handle,
    req: *mut c_void,
    size: usize,
    type_: u16,
    flags: u16,
    ct: *const nf_conntrack,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_ref(ct) }) else {
            return einval(-1);
        };
        if req.is_null() {
            return einval(-1);
        }
        // SAFETY: `req` holds `size` bytes.
        unsafe { zero(req, size) };
        match request::conntrack_message(ct, type_, flags) {
            // SAFETY: `req` holds `size` bytes.
            Ok(msg) if unsafe { copy_request(&msg, req, size) } => 0,
            Ok(_) => -1,
            Err(_) => einval(-1),
        }
    })
}

/// `nfct_parse_conntrack` (deprecated): parses `nlh` into `ct` if its message
/// type is in `type_`; returns the message type, or 0 when filtered out.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfct_parse_conntrack(
    type_: MsgTypeRaw,
    nlh: *const nlmsghdr,
    ct: *mut nf_conntrack,
) -> c_int {
    guard(-1, || {
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a whole message.
        let (ty, flags) = unsafe { type_and_flags(nlh) };
        let kind = request::message_kind(ty, flags) as u32;
        if kind & type_.0 == 0 {
            return 0;
        }
        // SAFETY: forwarded C contract.
        if unsafe { nfct_nlmsg_parse(nlh, ct) } < 0 {
            return -1;
        }
        kind as c_int
    })
}

/// `nfct_build_query` (deprecated): writes the request for query `qt` into
/// `buffer`. 1 on success (as the reference), -1 with errno on failure.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfct_build_query(
    _ssh: *mut nfnl_subsys_handle,
    qt: QueryRaw,
    data: *const c_void,
    buffer: *mut c_void,
    size: c_uint,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract: `data` is what the query expects.
        let Some(data) = (unsafe { query_from_c(qt, data) }) else {
            return -1;
        };
        if buffer.is_null() {
            return einval(-1);
        }
        // SAFETY: `buffer` holds `size` bytes.
        unsafe { zero(buffer, size as usize) };
        match request::conntrack_query(data) {
            // SAFETY: `buffer` holds `size` bytes.
            Ok(msg) if unsafe { copy_request(&msg, buffer, size as usize) } => 1,
            Ok(_) => -1,
            Err(e) => {
                set_errno(e.errno());
                -1
            }
        }
    })
}

/// Reads a query and its `data` argument as that query expects it: a
/// conntrack, a `uint32_t` family, or a dump filter. `None` (errno set) for
/// an unknown query (`ENOTSUP`, as the reference) or NULL data (`EINVAL`).
///
/// # Safety
/// `data` is NULL or points to what the query expects, live for `'a`.
pub(crate) unsafe fn query_from_c<'a>(qt: QueryRaw, data: *const c_void) -> Option<QueryData<'a>> {
    let Some(q) = nf_conntrack_query::from_raw(qt.0) else {
        set_errno(libc::ENOTSUP);
        return None;
    };
    if data.is_null() {
        return einval(None);
    }
    Some(match q.data_kind() {
        // SAFETY: a conntrack object, as the query requires.
        DataKind::Conntrack => {
            QueryData::Conntrack(q, unsafe { ct_ref(data as *const nf_conntrack) }?)
        }
        // SAFETY: a uint32_t; the reference uses its low byte as the family.
        DataKind::Family => {
            QueryData::Family(q, unsafe { (data as *const u32).read_unaligned() } as u8)
        }
        // SAFETY: a filter from nfct_filter_dump_create (a Box).
        DataKind::Filter => QueryData::Filter(q, unsafe { &*(data as *const DumpFilter) }),
    })
}
