//! C API of handles: open and close, descriptors, callbacks, queries and
//! events (`nfct_open` ... `nfct_catch`, `nfexp_callback_register` ...
//! `nfexp_catch`).
//!
//! A `struct nfct_handle *` is a [`CHandle`]: the core [`Handle`] (socket,
//! session, subsystems) behind a `RefCell`, the registered C callbacks in
//! `Cell`s, and a `struct nfnl_handle` for `nfct_nfnlh()`.
//!
//! **Re-entry.** A callback runs while its handle's receive is under way. It
//! may register or unregister callbacks (effective from the next message,
//! as in the reference), and call `nfct_fd`/`nfct_nfnlh`, on that handle,
//! and anything on other handles. A query, send, catch or close of the same
//! handle from inside its own callback fails with `EBUSY` (the reference
//! would nest a second receive loop in the first's socket, or free the
//! handle under its own feet).
//!
//! **`struct nfnl_handle`.** conntrackd hands `nfct_nfnlh()` to libnfnetlink's
//! `nfnl_rcvbufsiz()`, `nfnl_portid()` and `nfnl_fd()`, which read the struct
//! directly. A handle from `nfct_open` carries one laid out like libnfnetlink
//! 1.0.x's (all 464 bytes, heap-allocated, address stable for the handle's
//! life) whose `fd`, `local` (port id, groups), `peer`, `subscriptions`,
//! `seq` (the last request's), `rcv_buffer_size` (8192, as `nfnl_open`
//! sets) and `flags` (sequence tracking on) are true, and whose subsystem
//! entries say what `nfnl_subsys_open()` would: the subsystems served, their
//! groups, and a zeroed callback table (so that libnfnetlink code walking
//! the struct finds no callback rather than a NULL table).
//!
//! **`nfct_open_nfnl`.** The caller's handle, made by libnfnetlink's
//! `nfnl_open()`, gets the same subsystem entries written into it (`EBUSY`
//! when one is already open there, as `nfnl_subsys_open()`), and its socket
//! is re-bound to the union of its subsystems' groups. We use its socket
//! without owning it. `nfct_close()` then ends the caller's handle as the
//! reference does (its `nfnl_close()`: subsystems closed, socket closed,
//! struct freed): by calling libnfnetlink's own `nfnl_close` when the
//! process has it loaded (it must have: it made the handle), else by doing
//! what that function does, the struct being plain `calloc()` memory of the
//! documented layout. Its return value is `nfct_close()`'s.

// The callback types are spelled out in full in the prototypes so that
// cbindgen writes them inline, as the reference header does.
#![allow(clippy::type_complexity)]

use std::cell::{Cell, RefCell};
use std::mem::size_of;
use std::os::fd::RawFd;
use std::os::raw::{c_int, c_uint, c_void};
use std::ptr;

use super::expect::{exp_free, exp_into_raw};
use super::expect_lowlevel::exp_query_from_c;
use super::lowlevel::query_from_c;
use super::{
    einval, guard, nf_conntrack, nf_expect, nfct_handle, nfnl_handle, nlmsghdr, set_errno,
    MsgTypeRaw, QueryRaw,
};
use crate::api::nfct_callback_verdict::{NFCT_CB_CONTINUE, NFCT_CB_STOLEN, NFCT_CB_STOP};
use crate::conntrack::request::conntrack_query;
use crate::conntrack::Conntrack;
use crate::expect::request::expect_query;
use crate::expect::Expect;
use crate::handle::{Deliver, Handle, Subsys, Subsystems};
use crate::netlink::msg::{Msg, NFGENMSG_LEN};
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

// ---------------------------------------------------------------------------
// libnfnetlink's struct nfnl_handle (x86-64 layout of libnfnetlink 1.0.x).

/// `NFNL_MAX_SUBSYS`: the highest subsystem id libnfnetlink handles.
const NFNL_MAX_SUBSYS: usize = 16;
/// `NFNL_BUFFSIZE`: the receive buffer size `nfnl_open()` records.
const NFNL_BUFFSIZE: u32 = 8192;
/// `NFNL_F_SEQTRACK_ENABLED`, which `nfnl_open()` sets.
const NFNL_F_SEQTRACK_ENABLED: u32 = 1;

/// `struct nfnl_callback`.
#[repr(C)]
struct NfnlCallback {
    call: *mut c_void,
    data: *mut c_void,
    attr_count: u16,
}

/// `struct nfnl_subsys_handle`.
#[repr(C)]
struct NfnlSubsys {
    nfnlh: *mut NfnlHandle,
    subscriptions: u32,
    subsys_id: u8,
    cb_count: u8,
    cb: *mut NfnlCallback,
}

/// `struct sockaddr_nl`.
#[repr(C)]
struct SockaddrNl {
    family: u16,
    pad: u16,
    pid: u32,
    groups: u32,
}

/// `struct nfnl_handle`.
#[repr(C)]
struct NfnlHandle {
    fd: c_int,
    local: SockaddrNl,
    peer: SockaddrNl,
    subscriptions: u32,
    seq: u32,
    dump: u32,
    rcv_buffer_size: u32,
    flags: u32,
    last_nlhdr: *mut nlmsghdr,
    subsys: [NfnlSubsys; NFNL_MAX_SUBSYS + 1],
}

// What libnfnetlink's code (and conntrackd through it) relies on.
const _: () = assert!(size_of::<NfnlCallback>() == 24);
const _: () = assert!(size_of::<NfnlSubsys>() == 24);
const _: () = assert!(size_of::<SockaddrNl>() == 12);
const _: () = assert!(size_of::<NfnlHandle>() == 464);

/// Opens subsystem `sub` in the struct at `h` the way `nfnl_subsys_open()`
/// does: `EBUSY` if it is open there, else a zeroed callback table
/// (`calloc`, which libnfnetlink's `nfnl_close()` frees), its groups, id
/// and table size.
///
/// # Safety
/// `h` points to a live, writable `struct nfnl_handle`.
unsafe fn subsys_open(h: *mut NfnlHandle, sub: Subsys, groups: u32) -> Result<(), Errno> {
    // SAFETY: per the contract; the id is at most 2.
    let s = unsafe { &mut (*h).subsys[sub.id() as usize] };
    if !s.cb.is_null() {
        return Err(Errno(libc::EBUSY));
    }
    let count = sub.msg_count();
    // SAFETY: plain allocation, checked for NULL.
    let cb = unsafe { libc::calloc(count as usize, size_of::<NfnlCallback>()) };
    if cb.is_null() {
        return Err(Errno(libc::ENOMEM));
    }
    s.cb = cb.cast();
    s.nfnlh = h;
    s.subscriptions = groups;
    s.subsys_id = sub.id();
    s.cb_count = count;
    Ok(())
}

/// Closes subsystem `id` in the struct at `h` as `nfnl_subsys_close()`.
///
/// # Safety
/// `h` points to a live, writable `struct nfnl_handle` whose callback
/// tables are NULL or `malloc`ed.
unsafe fn subsys_close(h: *mut NfnlHandle, id: usize) {
    // SAFETY: per the contract; id <= NFNL_MAX_SUBSYS.
    let s = unsafe { &mut (*h).subsys[id] };
    s.subscriptions = 0;
    s.cb_count = 0;
    // SAFETY: NULL or a table from calloc().
    unsafe { libc::free(s.cb.cast()) };
    s.cb = ptr::null_mut();
}

/// The groups of all subsystems open in the struct at `h` (what libnfnetlink
/// binds its socket to).
///
/// # Safety
/// `h` points to a live `struct nfnl_handle`.
unsafe fn subscriptions(h: *const NfnlHandle) -> u32 {
    // SAFETY: per the contract.
    let subsys = unsafe { &(*h).subsys };
    subsys[..NFNL_MAX_SUBSYS]
        .iter()
        .fold(0, |g, s| g | s.subscriptions)
}

/// Ends a handle made by libnfnetlink's `nfnl_open()` as its `nfnl_close()`
/// does, returning that function's value.
///
/// # Safety
/// `h` points to a live handle from `nfnl_open()`, unused afterwards.
unsafe fn nfnl_close(h: *mut NfnlHandle) -> c_int {
    // SAFETY: a NUL-terminated name; RTLD_DEFAULT searches the process.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"nfnl_close".as_ptr()) };
    if !f.is_null() {
        // SAFETY: libnfnetlink's `int nfnl_close(struct nfnl_handle *)`.
        let f: unsafe extern "C" fn(*mut NfnlHandle) -> c_int = unsafe { std::mem::transmute(f) };
        // SAFETY: the handle is the caller's, made by that library.
        return unsafe { f(h) };
    }
    for id in 0..NFNL_MAX_SUBSYS {
        // SAFETY: per the contract: libnfnetlink's tables are malloc()ed.
        unsafe { subsys_close(h, id) };
    }
    // SAFETY: the handle's own socket, closed once, as nfnl_close() does.
    if unsafe { libc::close((*h).fd) } < 0 {
        return -1;
    }
    // SAFETY: nfnl_open() allocates the struct with calloc().
    unsafe { libc::free(h.cast()) };
    0
}

// ---------------------------------------------------------------------------
// The handle.

/// What `nfct_callback_register{,2}` (or the `nfexp_` ones) registered for
/// one subsystem. As in the reference, the type mask and user data are
/// shared by both callback versions (the last registration's), the first
/// version wins when both are set, and unregistering either version removes
/// the mask and data, so that no callback runs until the next registration.
#[derive(Clone, Copy)]
struct Registration<A: Copy, B: Copy> {
    v1: Option<A>,
    v2: Option<B>,
    /// The type mask and user data, while a callback is registered.
    active: Option<(u32, *mut c_void)>,
}

impl<A: Copy, B: Copy> Default for Registration<A, B> {
    fn default() -> Self {
        Registration {
            v1: None,
            v2: None,
            active: None,
        }
    }
}

type CtCb = unsafe extern "C" fn(MsgTypeRaw, *mut nf_conntrack, *mut c_void) -> c_int;
type CtCb2 =
    unsafe extern "C" fn(*const nlmsghdr, MsgTypeRaw, *mut nf_conntrack, *mut c_void) -> c_int;
type ExpCb = unsafe extern "C" fn(MsgTypeRaw, *mut nf_expect, *mut c_void) -> c_int;
type ExpCb2 =
    unsafe extern "C" fn(*const nlmsghdr, MsgTypeRaw, *mut nf_expect, *mut c_void) -> c_int;

/// `struct nfct_handle`.
pub(crate) struct CHandle {
    core: RefCell<Handle>,
    subs: Subsystems,
    fd: RawFd,
    /// Our own struct (from `nfct_open`) or the caller's (`nfct_open_nfnl`).
    nfnl: *mut NfnlHandle,
    own_nfnl: bool,
    ct: Cell<Registration<CtCb, CtCb2>>,
    exp: Cell<Registration<ExpCb, ExpCb2>>,
    /// The object of the last conntrack message, when not stolen: reused.
    spare: Cell<Option<Box<Conntrack>>>,
}

/// The handle behind `p`.
///
/// # Safety
/// `p` is NULL or a handle from `nfct_open`/`nfct_open_nfnl` not yet closed.
unsafe fn handle<'a>(p: *mut nfct_handle) -> Option<&'a CHandle> {
    // SAFETY: per the contract. Only shared references are ever made while
    // the handle is open: its mutable state is in cells.
    unsafe { (p as *const CHandle).as_ref() }
}

/// The C value of a result: the value, or -1 with `errno`.
fn c_result(r: Result<i32, Errno>) -> c_int {
    r.unwrap_or_else(|e| {
        set_errno(e.0);
        -1
    })
}

/// The `nfgenmsg` family and the attributes of a data message (at least
/// `nlmsghdr` + `nfgenmsg` long, as routing checked).
fn split<'a>(m: &Msg<'a>) -> (u8, &'a [u8]) {
    let p = m.payload();
    (p[0], &p[NFGENMSG_LEN..])
}

/// The object of conntrack message `m`, handed to the registered callback.
/// The object is freshly parsed (every attribute the message does not
/// carry is unset and zero, as from `nfct_new()`); its memory is that of the
/// previous message's object when the callback did not steal it, so that a
/// dump allocates nothing per entry.
fn deliver_ct(h: &CHandle, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
    let r = h.ct.get();
    let data = r.active.map_or(ptr::null_mut(), |a| a.1);
    let (family, attrs) = split(m);
    let mut ct = match h.spare.take() {
        Some(mut ct) => {
            *ct = Conntrack::new();
            ct
        }
        None => Box::default(),
    };
    if crate::conntrack::parse::parse_payload(&mut ct, attrs, family).is_err() {
        h.spare.set(Some(ct));
        return Err(Errno(libc::EBADMSG));
    }
    let p = Box::into_raw(ct) as *mut nf_conntrack;
    let nlh = m.as_bytes().as_ptr() as *const nlmsghdr;
    // SAFETY: C callbacks registered by the user, called with a fresh object
    // and the message in our receive buffer, as their prototypes say.
    let ret = unsafe {
        match (r.v1, r.v2) {
            (Some(f), _) => f(MsgTypeRaw(kind), p, data),
            (None, Some(f)) => f(nlh, MsgTypeRaw(kind), p, data),
            (None, None) => NFCT_CB_STOP as c_int,
        }
    };
    if ret == NFCT_CB_STOLEN as c_int {
        // The callback owns the object now (nfct_destroy() frees it).
        return Ok(NFCT_CB_CONTINUE as c_int);
    }
    // SAFETY: made by Box::into_raw() above and not stolen: ours again.
    h.spare
        .set(Some(unsafe { Box::from_raw(p as *mut Conntrack) }));
    Ok(ret)
}

/// The object of expectation message `m`, handed to the registered callback.
fn deliver_exp(r: Registration<ExpCb, ExpCb2>, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
    let data = r.active.map_or(ptr::null_mut(), |a| a.1);
    let (family, attrs) = split(m);
    let mut e = Expect::new();
    crate::expect::parse::parse_payload(&mut e, attrs, family).map_err(|_| Errno(libc::EBADMSG))?;
    let p = exp_into_raw(e);
    if p.is_null() {
        return Err(Errno(libc::ENOMEM));
    }
    let nlh = m.as_bytes().as_ptr() as *const nlmsghdr;
    // SAFETY: as in deliver_ct().
    let ret = unsafe {
        match (r.v1, r.v2) {
            (Some(f), _) => f(MsgTypeRaw(kind), p, data),
            (None, Some(f)) => f(nlh, MsgTypeRaw(kind), p, data),
            (None, None) => NFCT_CB_STOP as c_int,
        }
    };
    if ret == NFCT_CB_STOLEN as c_int {
        return Ok(NFCT_CB_CONTINUE as c_int);
    }
    // SAFETY: made by exp_into_raw() above and not stolen.
    unsafe { exp_free(p) };
    Ok(ret)
}

/// The receive loops' view of a handle's callbacks.
struct Calls<'a>(&'a CHandle);

impl Deliver for Calls<'_> {
    fn mask(&self, sub: Subsys) -> Option<u32> {
        match sub {
            Subsys::Conntrack => self.0.ct.get().active.map(|a| a.0),
            Subsys::Expect => self.0.exp.get().active.map(|a| a.0),
        }
    }

    fn deliver(&mut self, sub: Subsys, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
        match sub {
            Subsys::Conntrack => deliver_ct(self.0, kind, m),
            Subsys::Expect => deliver_exp(self.0.exp.get(), kind, m),
        }
    }
}

impl CHandle {
    /// Serves the subsystems of `subsys_id` over `sock`, recording them in
    /// the struct at `nfnl` and binding the socket to its groups. On
    /// failure, the subsystems opened here are closed again.
    ///
    /// # Safety
    /// `nfnl` points to a live, writable `struct nfnl_handle`.
    unsafe fn open_on(
        nfnl: *mut NfnlHandle,
        own_nfnl: bool,
        sock: Socket,
        subsys_id: u8,
        groups: u32,
    ) -> Result<CHandle, Errno> {
        let subs = Subsystems::from_open_id(subsys_id);
        let fd = sock.fd();
        let mut core = Handle::with_socket(sock, subs);
        let mut opened = Vec::new();
        let mut result = Ok(());
        for s in subs.iter() {
            // SAFETY: forwarded contract.
            result = unsafe { subsys_open(nfnl, s, groups) };
            if result.is_err() {
                break;
            }
            opened.push(s);
        }
        if result.is_ok() {
            // SAFETY: forwarded contract.
            let (want, had) = unsafe { (subscriptions(nfnl), (*nfnl).subscriptions) };
            if want != had {
                result = core.bind_groups(want);
                if result.is_ok() {
                    // SAFETY: forwarded contract.
                    unsafe {
                        (*nfnl).local.groups = want;
                        (*nfnl).subscriptions = want;
                    }
                }
            }
        }
        if let Err(e) = result {
            for s in opened {
                // SAFETY: forwarded contract; the table is ours.
                unsafe { subsys_close(nfnl, s.id() as usize) };
            }
            return Err(e);
        }
        Ok(CHandle {
            core: RefCell::new(core),
            subs,
            fd,
            nfnl,
            own_nfnl,
            ct: Cell::default(),
            exp: Cell::default(),
            spare: Cell::new(None),
        })
    }

    /// Runs `f` on the core handle; `EBUSY` from inside one of its own
    /// callbacks.
    fn with_core(&self, f: impl FnOnce(&mut Handle, &CHandle) -> Result<i32, Errno>) -> c_int {
        let Ok(mut core) = self.core.try_borrow_mut() else {
            set_errno(libc::EBUSY);
            return -1;
        };
        let r = f(&mut core, self);
        if self.own_nfnl {
            // SAFETY: our own struct, live as long as the handle.
            unsafe { (*self.nfnl).seq = core.seq() };
        }
        c_result(r)
    }

    fn query(&self, mut req: Vec<u8>) -> c_int {
        self.with_core(|core, h| core.query(&mut req, &mut Calls(h)))
    }

    fn send(&self, mut req: Vec<u8>) -> c_int {
        self.with_core(|core, _| {
            let n = core.send(&mut req)?;
            Ok(i32::try_from(n).unwrap_or(i32::MAX))
        })
    }

    fn catch(&self) -> c_int {
        self.with_core(|core, h| core.catch(&mut Calls(h)))
    }
}

/// A fresh `struct nfnl_handle` for socket `sock`, as `nfnl_open()` fills it.
fn own_nfnl(sock: &Socket, seq: u32) -> Box<NfnlHandle> {
    const NO_SUBSYS: NfnlSubsys = NfnlSubsys {
        nfnlh: ptr::null_mut(),
        subscriptions: 0,
        subsys_id: 0,
        cb_count: 0,
        cb: ptr::null_mut(),
    };
    let family = libc::AF_NETLINK as u16;
    Box::new(NfnlHandle {
        fd: sock.fd(),
        local: SockaddrNl {
            family,
            pad: 0,
            pid: sock.port_id(),
            groups: sock.groups(),
        },
        peer: SockaddrNl {
            family,
            pad: 0,
            pid: 0,
            groups: 0,
        },
        subscriptions: sock.groups(),
        seq,
        dump: 0,
        rcv_buffer_size: NFNL_BUFFSIZE,
        flags: NFNL_F_SEQTRACK_ENABLED,
        last_nlhdr: ptr::null_mut(),
        subsys: [NO_SUBSYS; NFNL_MAX_SUBSYS + 1],
    })
}

fn into_c(h: CHandle) -> *mut nfct_handle {
    Box::into_raw(Box::new(h)) as *mut nfct_handle
}

// ---------------------------------------------------------------------------
// Handle: open, close, descriptors.

/// `nfct_open`: opens a handle serving the ctnetlink subsystem `subsys_id`
/// (`CONNTRACK`, `EXPECT`, or 0 for both; any other id serves none, as in
/// the reference), bound to the event groups `subscriptions` (a bind mask of
/// `NF_NETLINK_CONNTRACK_*`). NULL with `errno` on failure.
#[no_mangle]
pub extern "C" fn nfct_open(subsys_id: u8, subscriptions: c_uint) -> *mut nfct_handle {
    guard(ptr::null_mut(), || {
        let sock = match Socket::open() {
            Ok(s) => s,
            Err(e) => {
                set_errno(e.0);
                return ptr::null_mut();
            }
        };
        let nfnl = Box::into_raw(own_nfnl(&sock, 0));
        // SAFETY: nfnl is our fresh struct; its subsystem entries point to
        // it, as libnfnetlink's do.
        match unsafe { CHandle::open_on(nfnl, true, sock, subsys_id, subscriptions) } {
            Ok(h) => {
                // SAFETY: our struct, not yet shared.
                unsafe { (*nfnl).seq = h.core.borrow().seq() };
                into_c(h)
            }
            Err(e) => {
                // SAFETY: made above by Box::into_raw(); open_on() closed
                // what it opened in it.
                drop(unsafe { Box::from_raw(nfnl) });
                set_errno(e.0);
                ptr::null_mut()
            }
        }
    })
}

/// `nfct_open_nfnl`: opens a handle over a handle that libnfnetlink's
/// `nfnl_open()` made, serving `subsys_id` as `nfct_open` does. NULL with
/// `errno`: `EINVAL` for NULL or a descriptor that is no netfilter netlink
/// socket, `EBUSY` when the subsystem is already open in `nfnlh`.
/// `nfct_close()` closes `nfnlh` too, as in the reference.
#[no_mangle]
pub unsafe extern "C" fn nfct_open_nfnl(
    nfnlh: *mut nfnl_handle,
    subsys_id: u8,
    subscriptions: c_uint,
) -> *mut nfct_handle {
    guard(ptr::null_mut(), || {
        if nfnlh.is_null() {
            return einval(ptr::null_mut());
        }
        let nfnl = nfnlh as *mut NfnlHandle;
        // SAFETY: the caller passes a live libnfnetlink handle; its first
        // field is the socket, which stays open until nfct_close() (we
        // borrow it: nfnl_close() closes it).
        let sock = match unsafe { Socket::from_raw_fd((*nfnl).fd, false) } {
            Ok(s) => s,
            Err(e) => {
                set_errno(e.0);
                return ptr::null_mut();
            }
        };
        // SAFETY: the caller's live, writable libnfnetlink handle.
        match unsafe { CHandle::open_on(nfnl, false, sock, subsys_id, subscriptions) } {
            Ok(h) => into_c(h),
            Err(e) => {
                set_errno(e.0);
                ptr::null_mut()
            }
        }
    })
}

/// `nfct_close`: closes a handle and frees it; with a handle from
/// `nfct_open_nfnl`, closes and frees the libnfnetlink handle too. 0, or -1
/// with `errno` (`close()`'s; `EINVAL` for NULL; `EBUSY` from inside one of
/// the handle's own callbacks, leaving it open).
#[no_mangle]
pub unsafe extern "C" fn nfct_close(cth: *mut nfct_handle) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        let Some(h) = (unsafe { handle(cth) }) else {
            return einval(-1);
        };
        if h.core.try_borrow_mut().is_err() {
            set_errno(libc::EBUSY);
            return -1;
        }
        // SAFETY: made by into_c(), not in use (checked above); its life ends.
        let h = *unsafe { Box::from_raw(cth as *mut CHandle) };
        let core = h.core.into_inner();
        if h.own_nfnl {
            for s in h.subs.iter() {
                // SAFETY: our struct; its tables came from subsys_open().
                unsafe { subsys_close(h.nfnl, s.id() as usize) };
            }
            // SAFETY: made by Box::into_raw() in nfct_open(); the last user.
            drop(unsafe { Box::from_raw(h.nfnl) });
            return c_result(core.close().map(|()| 0));
        }
        drop(core); // a borrowed socket: left for nfnl_close()
                    // SAFETY: the caller's handle from nfnl_open(), ended as the
                    // reference's nfct_close() ends it.
        unsafe { nfnl_close(h.nfnl) }
    })
}

/// `nfct_fd`: the handle's netlink socket (-1 with `EINVAL` for NULL).
#[no_mangle]
pub unsafe extern "C" fn nfct_fd(cth: *mut nfct_handle) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        match unsafe { handle(cth) } {
            Some(h) => h.fd,
            None => einval(-1),
        }
    })
}

/// `nfct_nfnlh`: the handle as libnfnetlink's `struct nfnl_handle` (see the
/// module notes); NULL with `EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn nfct_nfnlh(cth: *mut nfct_handle) -> *const nfnl_handle {
    guard(ptr::null(), || {
        // SAFETY: the caller passes an open handle or NULL.
        match unsafe { handle(cth) } {
            Some(h) => h.nfnl as *const nfnl_handle,
            None => einval(ptr::null()),
        }
    })
}

// ---------------------------------------------------------------------------
// Callbacks.

/// Applies `change` to the registration of `sub` on handle `h`; -1 with
/// `EINVAL` for NULL or a handle that does not serve `sub` (the reference
/// crashes there).
///
/// # Safety
/// `h` is NULL or an open handle.
unsafe fn register<A: Copy, B: Copy>(
    h: *mut nfct_handle,
    sub: Subsys,
    cell: impl FnOnce(&CHandle) -> &Cell<Registration<A, B>>,
    change: impl FnOnce(&mut Registration<A, B>),
) -> c_int {
    // SAFETY: forwarded contract.
    let Some(h) = (unsafe { handle(h) }) else {
        return einval(-1);
    };
    if !h.subs.has(sub) {
        return einval(-1);
    }
    let cell = cell(h);
    let mut r = cell.get();
    change(&mut r);
    cell.set(r);
    0
}

/// `nfct_callback_register`: calls `cb` with each conntrack object of the
/// `type_` kinds (`NFCT_T_*` bits) that a query or `nfct_catch` receives;
/// `data` is passed along. 0, or -1 with `EINVAL` for NULL or a handle
/// without the conntrack subsystem.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_register(
    h: *mut nfct_handle,
    type_: MsgTypeRaw,
    cb: Option<unsafe extern "C" fn(MsgTypeRaw, *mut nf_conntrack, *mut c_void) -> c_int>,
    data: *mut c_void,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Conntrack,
                |h| &h.ct,
                |r| {
                    r.v1 = cb;
                    r.active = Some((type_.0, data));
                },
            )
        }
    })
}

/// `nfct_callback_unregister`: removes the callback (and the mask and data
/// that `nfct_callback_register2` may have set since).
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister(h: *mut nfct_handle) {
    guard((), || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Conntrack,
                |h| &h.ct,
                |r| {
                    r.v1 = None;
                    r.active = None;
                },
            )
        };
    })
}

/// `nfct_callback_register2`: as `nfct_callback_register`, the callback
/// also getting the netlink message. A callback registered with
/// `nfct_callback_register` takes precedence.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_register2(
    h: *mut nfct_handle,
    type_: MsgTypeRaw,
    cb: Option<
        unsafe extern "C" fn(*const nlmsghdr, MsgTypeRaw, *mut nf_conntrack, *mut c_void) -> c_int,
    >,
    data: *mut c_void,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Conntrack,
                |h| &h.ct,
                |r| {
                    r.v2 = cb;
                    r.active = Some((type_.0, data));
                },
            )
        }
    })
}

/// `nfct_callback_unregister2`: removes the extended callback (and the mask
/// and data, as `nfct_callback_unregister`).
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister2(h: *mut nfct_handle) {
    guard((), || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Conntrack,
                |h| &h.ct,
                |r| {
                    r.v2 = None;
                    r.active = None;
                },
            )
        };
    })
}

/// `nfexp_callback_register`: as `nfct_callback_register`, for
/// expectations.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_register(
    h: *mut nfct_handle,
    type_: MsgTypeRaw,
    cb: Option<unsafe extern "C" fn(MsgTypeRaw, *mut nf_expect, *mut c_void) -> c_int>,
    data: *mut c_void,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Expect,
                |h| &h.exp,
                |r| {
                    r.v1 = cb;
                    r.active = Some((type_.0, data));
                },
            )
        }
    })
}

/// `nfexp_callback_unregister`: removes the expectation callback.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister(h: *mut nfct_handle) {
    guard((), || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Expect,
                |h| &h.exp,
                |r| {
                    r.v1 = None;
                    r.active = None;
                },
            )
        };
    })
}

/// `nfexp_callback_register2`: as `nfexp_callback_register`, the callback
/// also getting the netlink message.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_register2(
    h: *mut nfct_handle,
    type_: MsgTypeRaw,
    cb: Option<
        unsafe extern "C" fn(*const nlmsghdr, MsgTypeRaw, *mut nf_expect, *mut c_void) -> c_int,
    >,
    data: *mut c_void,
) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Expect,
                |h| &h.exp,
                |r| {
                    r.v2 = cb;
                    r.active = Some((type_.0, data));
                },
            )
        }
    })
}

/// `nfexp_callback_unregister2`: removes the extended expectation callback.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister2(h: *mut nfct_handle) {
    guard((), || {
        // SAFETY: the caller passes an open handle or NULL.
        unsafe {
            register(
                h,
                Subsys::Expect,
                |h| &h.exp,
                |r| {
                    r.v2 = None;
                    r.active = None;
                },
            )
        };
    })
}

// ---------------------------------------------------------------------------
// Queries and events.

/// The request of conntrack query `qt` on `data`, or -1 with `errno`.
///
/// # Safety
/// `data` is NULL or what the query expects.
unsafe fn ct_request(qt: QueryRaw, data: *const c_void) -> Result<Vec<u8>, c_int> {
    // SAFETY: forwarded contract.
    let q = unsafe { query_from_c(qt, data) }.ok_or(-1)?;
    conntrack_query(q).map_err(|e| {
        set_errno(e.errno());
        -1
    })
}

/// The request of expectation query `qt` on `data`, or -1 with `errno`.
///
/// # Safety
/// `data` is NULL or what the query expects.
unsafe fn exp_request(qt: QueryRaw, data: *const c_void) -> Result<Vec<u8>, c_int> {
    // SAFETY: forwarded contract.
    let q = unsafe { exp_query_from_c(qt, data) }.ok_or(-1)?;
    expect_query(q).map_err(|e| {
        set_errno(e.errno());
        -1
    })
}

/// Runs `f` on handle `h` with the request built by `build`.
///
/// # Safety
/// `h` is NULL or an open handle; `data` as `build` requires.
unsafe fn with_request(
    h: *mut nfct_handle,
    qt: QueryRaw,
    data: *const c_void,
    build: unsafe fn(QueryRaw, *const c_void) -> Result<Vec<u8>, c_int>,
    f: impl FnOnce(&CHandle, Vec<u8>) -> c_int,
) -> c_int {
    // SAFETY: forwarded contract.
    let Some(h) = (unsafe { handle(h) }) else {
        return einval(-1);
    };
    // SAFETY: forwarded contract.
    match unsafe { build(qt, data) } {
        Ok(req) => f(h, req),
        Err(v) => v,
    }
}

/// `nfct_query`: sends conntrack query `query` on `data` (a conntrack, a
/// `uint32_t` family or a dump filter, as the query needs) and processes
/// the replies, handing objects to the registered callbacks. 0 when done
/// (dump complete, or acknowledged), the callback's verdict when one
/// stopped it (`NFCT_CB_STOP` 0, `NFCT_CB_FAILURE` -1, ...), or -1 with
/// `errno`: the kernel's (`EEXIST`, `ENOENT`, ...), `ENOTSUP` for an
/// unknown query, `EINVAL` for NULL arguments or an object the request
/// cannot be built from, `EBADMSG` for a reply that does not parse.
#[no_mangle]
pub unsafe extern "C" fn nfct_query(
    h: *mut nfct_handle,
    query: QueryRaw,
    data: *const c_void,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        with_request(h, query, data, ct_request, |h, r| h.query(r))
    })
}

/// `nfct_send`: sends conntrack query `query` without waiting for the
/// replies (`nfct_catch` processes them). The bytes sent, or -1 with
/// `errno` as `nfct_query`.
#[no_mangle]
pub unsafe extern "C" fn nfct_send(
    h: *mut nfct_handle,
    query: QueryRaw,
    data: *const c_void,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        with_request(h, query, data, ct_request, |h, r| h.send(r))
    })
}

/// `nfct_catch`: receives and processes messages (events, or the replies
/// of `nfct_send`), one datagram per receive, until a request ends, a
/// callback stops or an error; values as `nfct_query` (`EAGAIN` when a
/// non-blocking socket has nothing more, `ENOBUFS` when events were lost).
/// Handles both subsystems' messages.
#[no_mangle]
pub unsafe extern "C" fn nfct_catch(h: *mut nfct_handle) -> c_int {
    guard(-1, || {
        // SAFETY: the caller passes an open handle or NULL.
        match unsafe { handle(h) } {
            Some(h) => h.catch(),
            None => einval(-1),
        }
    })
}

/// `nfexp_query`: as `nfct_query`, for expectation queries (create, create
/// or update, get and destroy an expectation; flush and dump a family).
#[no_mangle]
pub unsafe extern "C" fn nfexp_query(
    h: *mut nfct_handle,
    qt: QueryRaw,
    data: *const c_void,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        with_request(h, qt, data, exp_request, |h, r| h.query(r))
    })
}

/// `nfexp_send`: as `nfct_send`, for expectation queries.
#[no_mangle]
pub unsafe extern "C" fn nfexp_send(
    h: *mut nfct_handle,
    qt: QueryRaw,
    data: *const c_void,
) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe {
        with_request(h, qt, data, exp_request, |h, r| h.send(r))
    })
}

/// `nfexp_catch`: the same as `nfct_catch`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_catch(h: *mut nfct_handle) -> c_int {
    // SAFETY: forwarded C contract.
    unsafe { nfct_catch(h) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errno() -> c_int {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    #[test]
    fn nfnl_layout() {
        let sock = Socket::open().unwrap();
        let h = own_nfnl(&sock, 7);
        let base = &*h as *const NfnlHandle as usize;
        let at = |p: *const u8| p as usize - base;
        assert_eq!(at(ptr::addr_of!(h.fd).cast()), 0);
        assert_eq!(at(ptr::addr_of!(h.local.pid).cast()), 8);
        assert_eq!(at(ptr::addr_of!(h.peer).cast()), 16);
        assert_eq!(at(ptr::addr_of!(h.subscriptions).cast()), 28);
        assert_eq!(at(ptr::addr_of!(h.seq).cast()), 32);
        assert_eq!(at(ptr::addr_of!(h.rcv_buffer_size).cast()), 40);
        assert_eq!(at(ptr::addr_of!(h.flags).cast()), 44);
        assert_eq!(at(ptr::addr_of!(h.last_nlhdr).cast()), 48);
        assert_eq!(at(ptr::addr_of!(h.subsys).cast()), 56);
        assert_eq!(at(ptr::addr_of!(h.subsys[1].cb_count).cast()), 56 + 24 + 13);
        assert_eq!(h.local.pid, sock.port_id());
        assert_eq!((h.seq, h.rcv_buffer_size, h.flags), (7, 8192, 1));
    }

    /// A struct as `nfnl_open()` leaves it, in a process without
    /// libnfnetlink: `nfct_close()` ends it by hand (subsystem tables and
    /// struct freed, socket closed).
    #[test]
    fn open_nfnl_without_libnfnetlink() {
        let sock = Socket::open().unwrap();
        let port = sock.port_id();
        let fd = sock.into_raw_fd();
        // SAFETY: a zeroed struct of libnfnetlink's size, filled as
        // nfnl_open() fills it; every pointer passed is live.
        unsafe {
            let h = libc::calloc(1, size_of::<NfnlHandle>()) as *mut NfnlHandle;
            assert!(!h.is_null());
            (*h).fd = fd;
            (*h).local.family = libc::AF_NETLINK as u16;
            (*h).local.pid = port;
            (*h).peer.family = libc::AF_NETLINK as u16;
            (*h).rcv_buffer_size = NFNL_BUFFSIZE;
            (*h).flags = NFNL_F_SEQTRACK_ENABLED;
            // Another subsystem the caller opened: nfct_close() frees it too.
            assert!(subsys_open(h, Subsys::Expect, 0).is_ok());

            let c = nfct_open_nfnl(h.cast(), 1, 0);
            assert!(!c.is_null());
            assert_eq!(nfct_nfnlh(c), h as *const nfnl_handle);
            assert_eq!(nfct_fd(c), fd);
            let ct = &(*h).subsys[1];
            assert!(!ct.cb.is_null());
            assert_eq!((ct.subsys_id, ct.cb_count, ct.nfnlh), (1, 8, h));
            // The conntrack subsystem is taken now.
            set_errno(0);
            assert!(nfct_open_nfnl(h.cast(), 0, 0).is_null());
            assert_eq!(errno(), libc::EBUSY);
            assert!(nfct_open_nfnl(h.cast(), 1, 0).is_null());
            assert_eq!(errno(), libc::EBUSY);

            assert_eq!(nfct_close(c), 0);
            assert_eq!(libc::fcntl(fd, libc::F_GETFD), -1);
        }
    }

    #[test]
    fn null_handles() {
        // SAFETY: NULL is a valid argument to every function.
        unsafe {
            set_errno(0);
            assert_eq!(nfct_close(ptr::null_mut()), -1);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfct_fd(ptr::null_mut()), -1);
            assert!(nfct_nfnlh(ptr::null_mut()).is_null());
            assert!(nfct_open_nfnl(ptr::null_mut(), 0, 0).is_null());
            set_errno(0);
            assert_eq!(nfct_catch(ptr::null_mut()), -1);
            assert_eq!(errno(), libc::EINVAL);
            set_errno(0);
            nfct_callback_unregister(ptr::null_mut());
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(
                nfexp_callback_register(ptr::null_mut(), MsgTypeRaw(7), None, ptr::null_mut()),
                -1
            );
            let fam = libc::AF_INET as u32;
            let d = &fam as *const u32 as *const c_void;
            assert_eq!(nfct_query(ptr::null_mut(), QueryRaw(5), d), -1);
            assert_eq!(nfexp_send(ptr::null_mut(), QueryRaw(5), d), -1);
        }
    }
}
