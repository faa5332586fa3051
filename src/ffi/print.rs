//! C API of conntrack output: `nfct_snprintf` and `nfct_snprintf_labels`.

use std::os::raw::{c_char, c_int, c_uint};
use std::slice;

use super::{ct_ref, einval, fail, guard, nf_conntrack, nfct_labelmap};
use crate::conntrack::print::{self, Clock, Format, LabelNames, Options, PrintError, Tm};
use crate::labels::LabelMap;

extern "C" {
    /// POSIX `tzset()` (not in the `libc` crate for this target).
    fn tzset();
}

/// The process's clock and local time zone, through libc.
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        // SAFETY: time() with a NULL argument only returns the time.
        let t = unsafe { libc::time(std::ptr::null_mut()) };
        #[allow(clippy::useless_conversion)] // time_t is i64 on 64-bit targets only
        i64::from(t)
    }

    fn local(&self, t: i64, reload_zone: bool) -> Option<Tm> {
        let t = libc::time_t::try_from(t).ok()?;
        // SAFETY: an all-zero `struct tm` is a valid value (integers and a
        // NULL zone name pointer).
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        if reload_zone {
            // SAFETY: tzset() reads the TZ variable; ctime() does the same.
            unsafe { tzset() };
        }
        // SAFETY: both pointers are valid for the call; localtime_r is reentrant.
        let r = unsafe { libc::localtime_r(&t, &mut tm) };
        if r.is_null() {
            return None;
        }
        Some(Tm {
            sec: tm.tm_sec,
            min: tm.tm_min,
            hour: tm.tm_hour,
            mday: tm.tm_mday,
            mon: tm.tm_mon,
            year: tm.tm_year,
            wday: tm.tm_wday,
        })
    }
}

/// The checked output arguments of `nfct_snprintf`, `nfct_snprintf_labels`
/// and `nfexp_snprintf`: the caller's buffer (empty for `size` 0, which asks
/// for the length only) and the format; or the C result, -1 with `EINVAL`
/// for a NULL buffer of non-zero size (the reference asserts) or `ENOENT`
/// for an unknown output type.
///
/// # Safety
/// `buf` is NULL or writable for `size` bytes, for `'a`.
pub(crate) unsafe fn output<'a>(
    buf: *mut c_char,
    size: c_uint,
    out_type: c_uint,
) -> Result<(&'a mut [u8], Format), c_int> {
    if buf.is_null() && size > 0 {
        return Err(einval(-1));
    }
    let Some(format) = Format::from_raw(out_type) else {
        return fail(libc::ENOENT, Err(-1));
    };
    let out: &mut [u8] = if size == 0 {
        &mut []
    } else {
        // SAFETY: the caller provides `size` writable bytes at `buf`.
        unsafe { slice::from_raw_parts_mut(buf as *mut u8, size as usize) }
    };
    Ok((out, format))
}

/// The shared body of both functions.
///
/// # Safety
/// `buf` is NULL or writable for `size` bytes; `ct` is NULL or a conntrack of
/// this library; `map` is NULL or a map from `nfct_labelmap_new`.
unsafe fn snprintf_impl(
    buf: *mut c_char,
    size: c_uint,
    ct: *const nf_conntrack,
    msg_type: c_uint,
    out_type: c_uint,
    flags: c_uint,
    map: *const nfct_labelmap,
) -> c_int {
    // SAFETY: forwarded contract.
    let Some(ct) = (unsafe { ct_ref(ct) }) else {
        return einval(-1);
    };
    // SAFETY: forwarded contract.
    let (out, format) = match unsafe { output(buf, size, out_type) } {
        Ok(o) => o,
        Err(r) => return r,
    };
    // SAFETY: a map made by nfct_labelmap_new() is a boxed LabelMap.
    let labels = unsafe { (map as *const LabelMap).as_ref() }.map(|m| m as &dyn LabelNames);
    let opts = Options {
        msg_type,
        flags,
        labels,
        clock: &SystemClock,
    };
    let printed = if out.is_empty() {
        print::measure(|scratch| print::print(scratch, ct, format, &opts))
    } else {
        print::print(out, ct, format, &opts)
    };
    match printed {
        Ok(n) => c_int::try_from(n).unwrap_or(c_int::MAX),
        // As the reference: -1, errno untouched.
        Err(PrintError::NoProtocol) => -1,
    }
}

/// `nfct_snprintf`: prints `ct` into `buf` (`NFCT_O_PLAIN` or `NFCT_O_XML`).
///
/// Returns the length of the whole output, as `snprintf()` does; the buffer
/// holds what fits, NUL-terminated. With `size` 0 only the length is computed
/// (`buf` may then be NULL). -1 with `EINVAL` for a NULL object or a NULL
/// buffer of non-zero size (the reference asserts), -1 with `ENOENT` for an
/// unknown output type, and -1 with `errno` untouched for plain output of an
/// object without its protocol numbers (as the reference).
#[no_mangle]
pub unsafe extern "C" fn nfct_snprintf(
    buf: *mut c_char,
    size: c_uint,
    ct: *const nf_conntrack,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        snprintf_impl(
            buf,
            size,
            ct,
            msg_type,
            out_type,
            out_flags,
            std::ptr::null(),
        )
    })
}

/// `nfct_snprintf_labels`: as [`nfct_snprintf`], also printing the names
/// that `map` gives the connection labels (`map` may be NULL).
#[no_mangle]
pub unsafe extern "C" fn nfct_snprintf_labels(
    buf: *mut c_char,
    size: c_uint,
    ct: *const nf_conntrack,
    msg_type: c_uint,
    out_type: c_uint,
    out_flags: c_uint,
    map: *mut nfct_labelmap,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        snprintf_impl(buf, size, ct, msg_type, out_type, out_flags, map)
    })
}
