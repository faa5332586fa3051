//! C API of expectation messages and text: build and parse expectation
//! messages in the caller's buffers (`nfexp_nlmsg_*`), the deprecated
//! libnfnetlink-era builders (`nfexp_build_*`, `nfexp_parse_expect`), and
//! `nfexp_snprintf`.
//!
//! The deprecated builders take a libnfnetlink `struct nfnl_subsys_handle *`.
//! Both reference versions (1.0.9 and 1.1.0) ignore it — the request gets
//! sequence number 0 and the expectation subsystem — so we accept any
//! pointer, NULL included, and never read it.
//!
//! Where the reference `assert()`s (NULL objects, buffers, messages) we fail
//! with `EINVAL`; where it reads or writes past what it was given (a buffer
//! too small for the request, a message shorter than its headers) we fail
//! with `ENOSPC` or `EBADMSG`; a malformed message (where the reference
//! calls `exit()`, or silently stops) gives -1 with `EBADMSG`.

use std::os::raw::{c_char, c_int, c_uint, c_void};

use super::expect::{exp_mut, exp_ref};
use super::lowlevel::{parse_if_wanted, parse_message, write_message, write_request};
use super::msgbuf::append_attrs;
use super::print::{output, SystemClock};
use super::{
    einval, fail, guard, nf_expect, nfnl_subsys_handle, nlmsghdr, set_errno, MsgTypeRaw, QueryRaw,
};
use crate::api::nf_conntrack_query;
use crate::conntrack::print::Options;
use crate::conntrack::request::{Built, RequestError};
use crate::expect::build::build;
use crate::expect::parse::parse_payload;
use crate::expect::print;
use crate::expect::request::{self, ExpDataKind, ExpQueryData};

/// `nfexp_nlmsg_build`: appends the attributes describing `exp` to the
/// message at `nlh`. 0 (what cannot be expressed is left out, as in the
/// reference), or -1 with `EINVAL` for a NULL argument or `ENOMEM` (nothing
/// written).
#[no_mangle]
pub unsafe extern "C" fn nfexp_nlmsg_build(nlh: *mut nlmsghdr, exp: *const nf_expect) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract: NULL or a valid expectation.
        let Some(e) = (unsafe { exp_ref(exp) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller's message buffer (see append_attrs).
        let r = unsafe {
            append_attrs(nlh, |w| {
                build(w, e);
                Ok::<(), ()>(())
            })
        };
        match r {
            Ok(_) => 0,
            Err(e) => fail(e.0, -1),
        }
    })
}

/// `nfexp_nlmsg_parse`: fills `exp` from an expectation message. 0, or -1
/// with `EBADMSG` for a malformed message (what was read stays set) and with
/// `EINVAL` for a NULL argument.
#[no_mangle]
pub unsafe extern "C" fn nfexp_nlmsg_parse(nlh: *const nlmsghdr, exp: *mut nf_expect) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract: NULL or a valid expectation.
        let Some(e) = (unsafe { exp_mut(exp) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a whole message.
        unsafe { parse_message(nlh, |payload, family| parse_payload(e, payload, family)) }
    })
}

/// `nfexp_build_expect` (deprecated): writes a whole expectation request of
/// message type `type_` and exactly `flags` into `req` (zeroed first). 0, or
/// -1: with `errno` untouched, as in the reference, and nothing written when
/// neither the master nor the expected tuple has a layer-3 protocol;
/// `EINVAL` for a NULL `req` or `exp`; `ENOSPC` when `size` is too small;
/// `ENOMEM`.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfexp_build_expect(
    ssh: *mut nfnl_subsys_handle,
    req: *mut c_void,
    size: usize,
    type_: u16,
    flags: u16,
    exp: *const nf_expect,
) -> c_int {
    // Never read (see the module comment).
    let _ = ssh;
    guard(-1, || {
        // SAFETY: forwarded C contract: NULL or a valid expectation.
        let Some(e) = (unsafe { exp_ref(exp) }) else {
            return einval(-1);
        };
        // SAFETY: `req` is NULL or holds `size` bytes.
        unsafe {
            write_request(
                req,
                size,
                |buf| request::expect_message_in(buf, e, type_, flags),
                |built| if built == Built::Whole { 0 } else { -1 },
            )
        }
    })
}

/// `nfexp_parse_expect` (deprecated): if the kind of the message at `nlh`
/// (`NFCT_T_NEW`, `NFCT_T_UPDATE`, `NFCT_T_DESTROY`) is in `type_`, parses it
/// into `exp` and returns that kind; 0 when filtered out; -1 with `EBADMSG`
/// for a malformed message and `EINVAL` for a NULL argument.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfexp_parse_expect(
    type_: MsgTypeRaw,
    nlh: *const nlmsghdr,
    exp: *mut nf_expect,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract: NULL or a valid expectation.
        let Some(e) = (unsafe { exp_mut(exp) }) else {
            return einval(-1);
        };
        if nlh.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a whole message.
        unsafe {
            parse_if_wanted(type_, nlh, |payload, family| {
                parse_payload(e, payload, family)
            })
        }
    })
}

/// Reads an expectation query and its `data` argument as that query expects
/// it: an expectation, or a family (the first byte `data` points to, as the
/// reference reads it). `None` (errno set) for a query expectations do not
/// support (`ENOTSUP`, as the reference) or NULL data (`EINVAL`).
///
/// # Safety
/// `data` is NULL or points to what the query expects, live for `'a`.
pub(crate) unsafe fn exp_query_from_c<'a>(
    qt: QueryRaw,
    data: *const c_void,
) -> Option<ExpQueryData<'a>> {
    // SAFETY: forwarded contract.
    unsafe { read_query(qt, data) }
        .map_err(|e| set_errno(e.errno()))
        .ok()
}

/// [`exp_query_from_c`], failing with `NotSupported` (a query expectations
/// do not have) or `Invalid` (NULL data).
///
/// # Safety
/// As for [`exp_query_from_c`].
unsafe fn read_query<'a>(
    qt: QueryRaw,
    data: *const c_void,
) -> Result<ExpQueryData<'a>, RequestError> {
    let q = nf_conntrack_query::from_raw(qt.0).ok_or(RequestError::NotSupported)?;
    let kind = request::data_kind(q).ok_or(RequestError::NotSupported)?;
    if data.is_null() {
        return Err(RequestError::Invalid);
    }
    Ok(match kind {
        // SAFETY: a non-NULL expectation object, as the query requires.
        ExpDataKind::Expect => ExpQueryData::Expect(
            q,
            unsafe { exp_ref(data as *const nf_expect) }.ok_or(RequestError::Invalid)?,
        ),
        // SAFETY: at least one readable byte: the family.
        ExpDataKind::Family => ExpQueryData::Family(q, unsafe { (data as *const u8).read() }),
    })
}

/// `nfexp_build_query` (deprecated): writes the request for query `qt` into
/// `buffer` (zeroed first, as the reference does). 1 on success, as the
/// reference, also for an expectation without a layer-3 protocol (the
/// buffer then stays zeroed); -1 with `errno`: `ENOTSUP` for a query
/// expectations do not have, `EINVAL` for NULL arguments, `ENOSPC` when
/// `size` is too small, `ENOMEM`.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfexp_build_query(
    ssh: *mut nfnl_subsys_handle,
    qt: QueryRaw,
    data: *const c_void,
    buffer: *mut c_void,
    size: c_uint,
) -> c_int {
    // Never read (see the module comment).
    let _ = ssh;
    guard(-1, || {
        if data.is_null() {
            return einval(-1);
        }
        // SAFETY: `data` is what the query expects (forwarded C contract).
        let q = unsafe { read_query(qt, data) };
        if let Ok(ExpQueryData::Family(query, family)) = q {
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
                |buf| request::expect_query_in(buf, q?),
                |_| 1,
            )
        }
    })
}

/// `nfexp_snprintf`: prints `exp` into `buf` (`NFCT_O_PLAIN` or `NFCT_O_XML`)
/// for message type `msg_type` (`NFCT_T_*`, which adds a prefix) and output
/// flags `out_flags` (only `NFCT_OF_TIME` matters, to XML).
///
/// Returns what the reference returns: the length of the output (the plain
/// output's trailing space left out when the whole output fit), as
/// `snprintf()` does; the buffer holds what fits, NUL-terminated. With `size`
/// 0 only the length is computed (`buf` may then be NULL). -1 with `EINVAL`
/// for a NULL object or a NULL buffer of non-zero size (the reference
/// asserts), -1 with `ENOENT` for an unknown output type.
#[no_mangle]
pub unsafe extern "C" fn nfexp_snprintf(
    buf: *mut c_char,
    size: c_uint,
    exp: *const nf_expect,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract: NULL or a valid expectation.
        let Some(e) = (unsafe { exp_ref(exp) }) else {
            return einval(-1);
        };
        // SAFETY: forwarded C contract.
        let (out, format) = match unsafe { output(buf, size, out_type) } {
            Ok(o) => o,
            Err(r) => return r,
        };
        let opts = Options {
            msg_type,
            flags: out_flags,
            labels: None,
            clock: &SystemClock,
        };
        c_int::try_from(print::print(out, e, format, &opts)).unwrap_or(c_int::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expect::Expect;
    use crate::ffi::msgbuf::msg_len;
    use std::ptr;

    fn errno() -> c_int {
        // SAFETY: this thread's errno.
        unsafe { *libc::__errno_location() }
    }

    #[test]
    fn queries_read_what_their_data_is() {
        let e = Expect::new();
        let p = &e as *const Expect as *const c_void;
        let family = 0x0a0b_0c0au32;
        let f = &family as *const u32 as *const c_void;
        // SAFETY: `p` is an expectation and `f` a family, as each query reads.
        unsafe {
            assert!(matches!(
                exp_query_from_c(QueryRaw(nf_conntrack_query::NFCT_Q_GET as u32), p),
                Some(ExpQueryData::Expect(nf_conntrack_query::NFCT_Q_GET, _))
            ));
            assert!(matches!(
                exp_query_from_c(QueryRaw(nf_conntrack_query::NFCT_Q_DUMP as u32), f),
                Some(ExpQueryData::Family(nf_conntrack_query::NFCT_Q_DUMP, 10))
            ));
            for q in [1, 6, 8, 9, 10, 11, u32::MAX] {
                set_errno(0);
                assert!(exp_query_from_c(QueryRaw(q), p).is_none(), "{q}");
                assert_eq!(errno(), libc::ENOTSUP);
            }
            set_errno(0);
            assert!(exp_query_from_c(QueryRaw(0), ptr::null()).is_none());
            assert_eq!(errno(), libc::EINVAL);
        }
    }

    #[test]
    fn build_then_parse_through_the_c_api() {
        let mut e = Expect::new();
        e.set_uint(crate::expect::ExpAttr::ATTR_EXP_TIMEOUT, 7u32.to_ne_bytes())
            .unwrap();
        let mut buf = [0u64; 64];
        let nlh = buf.as_mut_ptr() as *mut nlmsghdr;
        // SAFETY: a 512-byte, 8-aligned buffer holds the whole message; the
        // objects are live Rust values.
        unsafe {
            (nlh as *mut u32).write(20);
            assert_eq!(
                nfexp_nlmsg_build(nlh, &e as *const Expect as *const nf_expect),
                0
            );
            assert_eq!(msg_len(nlh), 28);
            let mut back = Expect::new();
            let out = &mut back as *mut Expect as *mut nf_expect;
            assert_eq!(nfexp_nlmsg_parse(nlh, out), 0);
            assert_eq!(back, e);
            // Cut inside the attribute: malformed, and nothing past read.
            (nlh as *mut u32).write(25);
            assert_eq!(nfexp_nlmsg_parse(nlh, out), -1);
            assert_eq!(errno(), libc::EBADMSG);
            assert_eq!(nfexp_nlmsg_parse(ptr::null(), out), -1);
            assert_eq!(errno(), libc::EINVAL);
        }
    }
}
