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
    append_attrs, append_bytes, copy_request, nfgen_payload, parse_status, type_and_flags,
    with_scratch, zero,
};
use super::{
    ct_mut, ct_ref, einval, fail, guard, nf_conntrack, nfct_filter_dump, nfnl_subsys_handle,
    nlmsghdr, set_errno, MsgTypeRaw, QueryRaw,
};
use crate::api::nf_conntrack_query;
use crate::conntrack::build::{build, build_in};
use crate::conntrack::dump_filter::DumpFilter;
use crate::conntrack::parse::parse_payload;
use crate::conntrack::request::{self, Built, DataKind, QueryData, Request, RequestError};
use crate::conntrack::Attr;
use crate::netlink::attr::Malformed;
use crate::netlink::frame::Frame;
use crate::netlink::msg::NLMSG_HDRLEN;

/// `nfct_nlmsg_build`: appends the attributes describing `ct` to `nlh`.
/// 0, or -1: with `EINVAL` when `ct` has no layer-3 protocol (nothing is
/// written) or an argument is NULL; with `errno` untouched, as in the
/// reference, when a tuple of another family than IPv4 or IPv6 stops the
/// builder (the attributes before it are written); with `ENOMEM` when
/// memory runs out (nothing written).
#[no_mangle]
pub unsafe extern "C" fn nfct_nlmsg_build(nlh: *mut nlmsghdr, ct: *const nf_conntrack) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_ref(ct) }) else {
            return einval(-1);
        };
        if nlh.is_null() || !ct.is_set(Attr::ATTR_ORIG_L3PROTO) {
            return einval(-1);
        }
        // The usual entry: built on the stack, copied into the message.
        let mut frame = Frame::default();
        if let Some(built) = build_in(&mut frame, ct) {
            // SAFETY: the caller's message buffer (see append_attrs).
            unsafe { append_bytes(nlh, frame.bytes()) };
            return if built.is_ok() { 0 } else { -1 };
        }
        // SAFETY: the caller's message buffer (see append_attrs).
        match unsafe { append_attrs(nlh, |w| build(w, ct)) } {
            Ok(Ok(())) => 0,
            Ok(Err(_)) => -1,
            Err(e) => fail(e.0, -1),
        }
    })
}

/// `nfct_nlmsg_build_filter`: appends a dump filter to a dump request (and
/// sets its family when the filter names one). 0, or -1 with `EINVAL` (a
/// tuple that does not build, or whose family contradicts the filter's;
/// what came before it stays written) or `ENOMEM` (nothing written).
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
        if !filter.has_tuple() {
            // A few attributes of fixed size: built on the stack.
            let mut w = Frame::<{ DumpFilter::FIXED_MAX }>::default();
            let f = filter.build_fixed(&mut w, family);
            if !w.overflowed() {
                // SAFETY: the caller's message buffer (see append_attrs); a
                // request starts with a header and an nfgenmsg.
                unsafe {
                    append_bytes(nlh, w.bytes());
                    family_at.write(f);
                }
                return 0;
            }
        }
        // SAFETY: the caller's message buffer (see append_attrs).
        match unsafe { append_attrs(nlh, |w| filter.build(w, family)) } {
            Ok(Ok(f)) => {
                // SAFETY: as above.
                unsafe { family_at.write(f) };
                0
            }
            Ok(Err(_)) => einval(-1),
            Err(e) => fail(e.0, -1),
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
        unsafe { parse_message(nlh, |payload, family| parse_payload(ct, payload, family)) }
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

/// `nfct_build_conntrack` (deprecated): writes a conntrack request of
/// message type `type_` and `flags` into `req` (zeroed first). 0, or -1 as
/// the reference: with `EINVAL` and nothing written when `ct` has no
/// layer-3 protocol; with `errno` untouched when a tuple of another family
/// stops the builder (the request up to it is written). Also -1 with
/// `EINVAL` for NULL `req` or `ct`, `ENOSPC` when `size` is too small, and
/// `ENOMEM`.
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
        // SAFETY: `req` is NULL or holds `size` bytes.
        unsafe {
            write_request(
                req,
                size,
                |buf| request::conntrack_message_in(buf, ct, type_, flags),
                |built| match built {
                    Built::Whole => 0,
                    Built::NoFamily => einval(-1),
                    Built::Cut => -1,
                },
            )
        }
    })
}

/// `nfct_parse_conntrack` (deprecated): parses `nlh` into `ct` if its message
/// type is in `type_`; returns the message type, or 0 when filtered out; -1
/// with `EINVAL` for a NULL argument (checked first, as the reference
/// asserts) and with `EBADMSG` for a malformed message.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfct_parse_conntrack(
    type_: MsgTypeRaw,
    nlh: *const nlmsghdr,
    ct: *mut nf_conntrack,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a whole message.
        unsafe {
            parse_if_wanted(type_, nlh, |payload, family| {
                parse_payload(ct, payload, family)
            })
        }
    })
}

/// `nfct_build_query` (deprecated): writes the request for query `qt` into
/// `buffer` (zeroed first, as the reference does). 1 on success, as the
/// reference, also when the conntrack is incomplete: the buffer then holds
/// what the reference's builder wrote before it stopped (nothing, with
/// `errno` set to `EINVAL`, for a conntrack without a layer-3 protocol).
/// -1 with `errno`: `EINVAL` for NULL arguments (checked first) or data the
/// query cannot use, `ENOTSUP` for an unknown query or a tuple in a flush
/// filter, `ENOSPC` when `size` is too small, `ENOMEM`.
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
        if data.is_null() {
            return einval(-1);
        }
        // SAFETY: `data` is what the query expects (forwarded C contract).
        let q = unsafe { read_query(qt, data) };
        if let Ok(QueryData::Family(query, family)) = q {
            if let Ok(msg) = request::family_query(query, family) {
                // SAFETY: `buffer` is NULL or holds `size` bytes.
                return unsafe { write_message(buffer, size as usize, &msg) };
            }
        }
        // SAFETY: `buffer` is NULL or holds `size` bytes.
        unsafe {
            write_request(
                buffer,
                size as usize,
                |buf| request::conntrack_query_in(buf, q?),
                |built| {
                    if built == Built::NoFamily {
                        set_errno(libc::EINVAL);
                    }
                    1
                },
            )
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
    // SAFETY: forwarded contract.
    unsafe { read_query(qt, data) }
        .map_err(|e| set_errno(e.errno()))
        .ok()
}

/// [`query_from_c`], failing with `NotSupported` (an unknown query) or
/// `Invalid` (NULL data).
///
/// # Safety
/// As for [`query_from_c`].
unsafe fn read_query<'a>(qt: QueryRaw, data: *const c_void) -> Result<QueryData<'a>, RequestError> {
    let q = nf_conntrack_query::from_raw(qt.0).ok_or(RequestError::NotSupported)?;
    if data.is_null() {
        return Err(RequestError::Invalid);
    }
    Ok(match request::data_kind(q) {
        // SAFETY: a non-NULL conntrack object, as the query requires.
        DataKind::Conntrack => QueryData::Conntrack(
            q,
            unsafe { ct_ref(data as *const nf_conntrack) }.ok_or(RequestError::Invalid)?,
        ),
        // SAFETY: a uint32_t; the reference uses its low byte as the family.
        DataKind::Family => {
            QueryData::Family(q, unsafe { (data as *const u32).read_unaligned() } as u8)
        }
        // SAFETY: a filter from nfct_filter_dump_create (a Box).
        DataKind::Filter => QueryData::Filter(q, unsafe { &*(data as *const DumpFilter) }),
    })
}

// Helpers shared with the expectation functions (`expect_lowlevel`).

/// Parses the message at `nlh` with `parse` (given the attributes after the
/// `nfgenmsg` and its family): 0, or -1 with `EBADMSG` for a malformed
/// message or one too short for its headers.
///
/// # Safety
/// `nlh` points to a whole message.
pub(crate) unsafe fn parse_message(
    nlh: *const nlmsghdr,
    parse: impl FnOnce(&[u8], u8) -> Result<(), Malformed>,
) -> c_int {
    // SAFETY: forwarded contract.
    parse_status(match unsafe { nfgen_payload(nlh) } {
        Some((payload, family)) => parse(payload, family),
        None => Err(Malformed),
    })
}

/// The body of the deprecated parsers (`nfct_parse_conntrack`,
/// `nfexp_parse_expect`): if the kind of the message at `nlh` (`NFCT_T_NEW`,
/// `NFCT_T_UPDATE`, `NFCT_T_DESTROY`) is in `wanted`, parses it with `parse`
/// and returns that kind; 0 when filtered out; -1 with `EBADMSG` for a
/// malformed message.
///
/// # Safety
/// `nlh` points to a whole message.
pub(crate) unsafe fn parse_if_wanted(
    wanted: MsgTypeRaw,
    nlh: *const nlmsghdr,
    parse: impl FnOnce(&[u8], u8) -> Result<(), Malformed>,
) -> c_int {
    // SAFETY: forwarded contract.
    let (ty, flags) = unsafe { type_and_flags(nlh) };
    let kind = request::message_kind(ty, flags) as u32;
    if kind & wanted.0 == 0 {
        return 0;
    }
    // SAFETY: forwarded contract.
    match unsafe { parse_message(nlh, parse) } {
        0 => kind as c_int,
        r => r,
    }
}

/// Writes `msg`, a whole request without attributes, into the caller's
/// `buf` of `size` bytes, zeroed first as the reference does: 1, or -1 with
/// `errno`: `EINVAL` for a NULL buffer, `ENOSPC` when it does not fit. (No
/// scratch buffer and no builder: what a dump or flush of a family needs.)
///
/// # Safety
/// `buf` is NULL or points to `size` writable bytes.
pub(crate) unsafe fn write_message(buf: *mut c_void, size: usize, msg: &[u8]) -> c_int {
    if buf.is_null() {
        return einval(-1);
    }
    // SAFETY: forwarded contract.
    unsafe {
        zero(buf, size);
        if copy_request(msg, buf, size) {
            1
        } else {
            -1
        }
    }
}

/// Writes the request that `build` makes into the caller's `buf` of `size`
/// bytes, zeroed first as the reference does, and returns what `verdict`
/// makes of how far it was built; -1 with `errno`: `EINVAL` for a NULL
/// buffer, the request's error, or `ENOSPC` when it does not fit (the
/// reference writes past the buffer).
///
/// # Safety
/// `buf` is NULL or points to `size` writable bytes.
pub(crate) unsafe fn write_request(
    buf: *mut c_void,
    size: usize,
    build: impl FnOnce(Vec<u8>) -> Result<Request, RequestError>,
    verdict: impl FnOnce(Built) -> c_int,
) -> c_int {
    if buf.is_null() {
        return einval(-1);
    }
    // SAFETY: forwarded contract.
    unsafe { zero(buf, size) };
    // Built in the reused scratch buffer: no allocation.
    with_scratch(|scratch| match build(std::mem::take(scratch)) {
        Ok(req) => {
            // SAFETY: forwarded contract.
            let copied = unsafe { copy_request(&req.bytes, buf, size) };
            *scratch = req.bytes;
            if copied {
                verdict(req.built)
            } else {
                -1
            }
        }
        Err(e) => fail(e.errno(), -1),
    })
}
