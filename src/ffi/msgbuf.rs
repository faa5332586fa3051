//! Netlink messages in buffers that C callers own: reading a message's
//! header and payload, appending attributes after it (as libmnl's functions
//! do), and writing a whole request into a fixed-size buffer. Shared by the
//! low-level conntrack and expectation functions.

use std::os::raw::{c_int, c_void};
use std::sync::{Mutex, TryLockError};
use std::{ptr, slice};

use super::{fail, nlmsghdr};
use crate::netlink::attr::{align, AttrWriter};
use crate::netlink::msg::Msg;
use crate::netlink::Errno;

/// `nlmsg_len` of the message at `nlh`.
///
/// # Safety
/// `nlh` points to a readable `struct nlmsghdr` (any alignment).
pub(crate) unsafe fn msg_len(nlh: *const nlmsghdr) -> usize {
    // SAFETY: nlmsg_len is the header's first field; the caller's buffer may
    // be any char array, so read unaligned.
    unsafe { (nlh as *const u32).read_unaligned() as usize }
}

/// `nlmsg_type` and `nlmsg_flags` of the message at `nlh`.
///
/// # Safety
/// `nlh` points to a readable `struct nlmsghdr`.
pub(crate) unsafe fn type_and_flags(nlh: *const nlmsghdr) -> (u16, u16) {
    // SAFETY: the header's bytes 4..8 are readable.
    unsafe {
        let p = nlh as *const u8;
        (
            u16::from_ne_bytes([p.add(4).read(), p.add(5).read()]),
            u16::from_ne_bytes([p.add(6).read(), p.add(7).read()]),
        )
    }
}

/// The attributes of the message at `nlh` after its `nfgenmsg`, and the
/// `nfgenmsg` family; `None` when the message is too short for both headers.
///
/// # Safety
/// `nlh` points to `nlmsg_len` readable bytes.
pub(crate) unsafe fn nfgen_payload<'a>(nlh: *const nlmsghdr) -> Option<(&'a [u8], u8)> {
    // SAFETY: forwarded contract.
    let len = unsafe { msg_len(nlh) };
    // SAFETY: the message is `len` bytes long.
    let msg = Msg::parse(unsafe { slice::from_raw_parts(nlh as *const u8, len) }).ok()?;
    let (nfg, attrs) = msg.split_nfgenmsg().ok()?;
    Some((attrs, nfg.family))
}

/// Appends the attributes that `fill` writes after the message at `nlh` (at
/// its aligned end, zeroing the padding) and updates its length, whether or
/// not `fill` succeeds: like libmnl's writers, whatever was written before a
/// failure stays in the message. Returns what `fill` returned, or
/// `Err(ENOMEM)` (nothing written) when memory for the attributes ran out.
///
/// # Safety
/// `nlh` points to a message in a buffer large enough for what is appended:
/// the reference's contract, which it cannot check either.
pub(crate) unsafe fn append_attrs<T, E>(
    nlh: *mut nlmsghdr,
    fill: impl FnOnce(&mut AttrWriter<'_>) -> Result<T, E>,
) -> Result<Result<T, E>, Errno> {
    with_scratch(|attrs| {
        let (out, oom) = {
            let mut w = AttrWriter::new(attrs);
            let out = fill(&mut w);
            (out, w.out_of_memory())
        };
        if oom {
            return Err(Errno(libc::ENOMEM));
        }
        // SAFETY: forwarded contract.
        unsafe { append_bytes(nlh, attrs) };
        Ok(out)
    })
}

/// Appends `attrs` (whole attributes) after the message at `nlh`, at its
/// aligned end (zeroing the padding), and updates its length.
///
/// # Safety
/// As for [`append_attrs`].
pub(crate) unsafe fn append_bytes(nlh: *mut nlmsghdr, attrs: &[u8]) {
    // SAFETY: forwarded contract.
    let old = unsafe { msg_len(nlh) };
    let start = align(old);
    // SAFETY: the caller's buffer holds the padding and the attributes.
    unsafe {
        let base = nlh as *mut u8;
        for i in old..start {
            base.add(i).write(0);
        }
        ptr::copy_nonoverlapping(attrs.as_ptr(), base.add(start), attrs.len());
        (nlh as *mut u32).write_unaligned((start + attrs.len()) as u32);
    }
}

/// Room for the attributes of a typical conntrack message, reused by every
/// call, so that building one allocates nothing after the first.
const SCRATCH_KEEP: usize = 4096;

/// The reused buffer. A static, not a thread-local: the first use of a
/// thread-local that owns memory registers a destructor with the C library,
/// which allocates, and a refusal there ends the process
/// (`out_of_memory_requests` starves exactly that first call).
static SCRATCH: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Runs `f` with an empty byte buffer: the shared scratch buffer, or one of
/// its own when another thread (or an enclosing call) is using that. The
/// shared one is given back empty if it grew past [`SCRATCH_KEEP`].
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut shared = match SCRATCH.try_lock() {
        Ok(b) => Some(b),
        // A panic is a bug; the buffer is still a buffer.
        Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    };
    let mut own = Vec::new();
    let buf = shared.as_deref_mut().unwrap_or(&mut own);
    buf.clear();
    let out = f(buf);
    if buf.capacity() > SCRATCH_KEEP {
        *buf = Vec::new();
    }
    out
}

/// Zeroes the caller's request buffer, as the reference does before it builds.
///
/// # Safety
/// `buf` points to `size` writable bytes.
pub(crate) unsafe fn zero(buf: *mut c_void, size: usize) {
    // SAFETY: forwarded contract.
    unsafe { ptr::write_bytes(buf as *mut u8, 0, size) };
}

/// Writes a whole request into the caller's buffer of `size` bytes; `false`
/// with `ENOSPC` when it does not fit (the reference writes past the buffer).
///
/// # Safety
/// `buf` points to `size` writable bytes.
pub(crate) unsafe fn copy_request(msg: &[u8], buf: *mut c_void, size: usize) -> bool {
    if msg.len() > size {
        return fail(libc::ENOSPC, false);
    }
    // SAFETY: `buf` holds `size` bytes and the message fits.
    unsafe { ptr::copy_nonoverlapping(msg.as_ptr(), buf as *mut u8, msg.len()) };
    true
}

/// The C result of a parse: 0, or -1 with `EBADMSG`.
pub(crate) fn parse_status<E>(r: Result<(), E>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(_) => fail(libc::EBADMSG, -1),
    }
}
