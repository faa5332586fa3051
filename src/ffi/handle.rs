//! C API of handles: open and close, descriptors, callbacks, queries and
//! events (`nfct_open` ... `nfct_catch`, `nfexp_callback_register` ...
//! `nfexp_catch`).
//!
//! A `struct nfct_handle *` is a [`CHandle`]: the core [`Handle`] (socket,
//! session, subsystems) behind a `RefCell`, the registered C callbacks in
//! `Cell`s, and the `struct nfnl_handle` of `nfct_nfnlh()` (our own, or the
//! caller's from `nfct_open_nfnl()`: see [`super::nfnl`]).
//!
//! **Re-entry.** A callback runs while its handle's receive is under way. It
//! may register or unregister callbacks (effective from the next message,
//! as in the reference), and call `nfct_fd`/`nfct_nfnlh`, on that handle,
//! and anything on other handles. A query, send, catch or close of the same
//! handle from inside its own callback fails with `EBUSY` (the reference
//! would nest a second receive loop in the first's socket, or free the
//! handle under its own feet).

// The callback types are spelled out in full in the prototypes so that
// cbindgen writes them inline, as the reference header does.
#![allow(clippy::type_complexity)]

use std::cell::{Cell, RefCell};
use std::mem::size_of;
use std::os::fd::RawFd;
use std::os::raw::{c_int, c_uint, c_void};
use std::ptr::{self, addr_of_mut};

use super::expect::{exp_free, exp_into_raw};
use super::expect_lowlevel::exp_query_from_c;
use super::lowlevel::query_from_c;
use super::nfnl::Nfnl;
use super::{
    einval, fail, guard, new_ct, nf_conntrack, nf_expect, nfct_handle, nfnl_handle, nlmsghdr,
    set_errno, HeldCt, MsgTypeRaw, QueryRaw,
};
use crate::api::nfct_callback_verdict::{NFCT_CB_CONTINUE, NFCT_CB_STOLEN, NFCT_CB_STOP};
use crate::conntrack::request::{conntrack_query, Request, RequestError};
use crate::conntrack::Conntrack;
use crate::expect::request::expect_query;
use crate::expect::Expect;
use crate::handle::{Deliver, Handle, Subsys, Subsystems};
use crate::netlink::msg::Msg;
use crate::netlink::session::Session;
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

// ---------------------------------------------------------------------------
// The handle.

/// A callback of objects `T`, as `nfct_callback_register` takes it.
type Cb<T> = unsafe extern "C" fn(MsgTypeRaw, *mut T, *mut c_void) -> c_int;
/// A callback of objects `T` that also gets the message, as
/// `nfct_callback_register2` takes it.
type Cb2<T> = unsafe extern "C" fn(*const nlmsghdr, MsgTypeRaw, *mut T, *mut c_void) -> c_int;

/// What `nfct_callback_register{,2}` (or the `nfexp_` ones) registered for
/// one subsystem, whose objects are `T`. As in the reference, the type mask
/// and user data are shared by both callback versions (the last
/// registration's), the first version wins when both are set, and
/// unregistering either version removes the mask and data, so that no
/// callback runs until the next registration.
struct Registration<T> {
    v1: Option<Cb<T>>,
    v2: Option<Cb2<T>>,
    /// The type mask and user data, while a callback is registered.
    active: Option<(u32, *mut c_void)>,
}

// Derived, these would require `T: Copy`, which the opaque C types are not.
impl<T> Clone for Registration<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Registration<T> {}

impl<T> Default for Registration<T> {
    fn default() -> Self {
        Registration {
            v1: None,
            v2: None,
            active: None,
        }
    }
}

impl<T> Registration<T> {
    fn set_v1(&mut self, cb: Option<Cb<T>>, mask: MsgTypeRaw, data: *mut c_void) {
        self.v1 = cb;
        self.active = Some((mask.0, data));
    }

    fn set_v2(&mut self, cb: Option<Cb2<T>>, mask: MsgTypeRaw, data: *mut c_void) {
        self.v2 = cb;
        self.active = Some((mask.0, data));
    }

    fn clear_v1(&mut self) {
        self.v1 = None;
        self.active = None;
    }

    fn clear_v2(&mut self) {
        self.v2 = None;
        self.active = None;
    }
}

/// `struct nfct_handle`.
pub(crate) struct CHandle {
    core: RefCell<Handle>,
    subs: Subsystems,
    fd: RawFd,
    nfnl: Nfnl,
    ct: Cell<Registration<nf_conntrack>>,
    exp: Cell<Registration<nf_expect>>,
    /// The object of the last conntrack message, when not stolen: reused.
    spare: Cell<Option<HeldCt>>,
}

/// Frees a handle that [`CHandle::open`] made, its fields first. Handles
/// live in C's heap directly (their alignment is within `malloc`'s), which
/// spares an open and a close the two layers of Rust's allocator on top.
///
/// # Safety
/// `p` is a live handle from `CHandle::open` that nothing refers to.
unsafe fn free_handle(p: *mut CHandle) {
    // SAFETY: per the contract; malloc() made it.
    unsafe {
        ptr::drop_in_place(p);
        libc::free(p.cast());
    }
}

const _: () = assert!(std::mem::align_of::<CHandle>() <= 16);

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
    r.unwrap_or_else(|e| fail(e.0, -1))
}

/// The objects that the callbacks of one subsystem get: `nf_conntrack` or
/// `nf_expect`.
trait CbObject: Sized {
    /// The subsystem whose messages carry them.
    const SUBSYS: Subsys;

    /// Where a handle keeps the subsystem's callbacks.
    fn registration(h: &CHandle) -> &Cell<Registration<Self>>;

    /// A new object (as `nfct_new()`/`nfexp_new()` make it) holding what
    /// the attributes `attrs` of a message of family `family` say, as far as
    /// they parse: one the parser refuses ends the parsing, and the object
    /// is delivered all the same (see [`crate::handle`]). C may steal it.
    /// `ENOMEM` when memory is short.
    fn from_attrs(h: &CHandle, family: u8, attrs: &[u8]) -> Result<*mut Self, Errno>;

    /// Takes back an object that the callback did not steal.
    ///
    /// # Safety
    /// `p` was made by [`CbObject::from_attrs`] on `h`, and C no longer
    /// uses it.
    unsafe fn reclaim(h: &CHandle, p: *mut Self);
}

impl CbObject for nf_conntrack {
    const SUBSYS: Subsys = Subsys::Conntrack;

    fn registration(h: &CHandle) -> &Cell<Registration<Self>> {
        &h.ct
    }

    /// Made in the memory of the previous message's object when the
    /// callback did not steal that, so that a dump allocates nothing per
    /// entry.
    fn from_attrs(h: &CHandle, family: u8, attrs: &[u8]) -> Result<*mut Self, Errno> {
        let p = match h.spare.take() {
            Some(spare) => {
                let p = spare.into_raw();
                // SAFETY: the spare is a whole object that only this handle
                // held.
                unsafe { *(p as *mut Conntrack) = Conntrack::new() };
                p
            }
            None => new_ct(),
        };
        if p.is_null() {
            return Err(Errno(libc::ENOMEM));
        }
        // SAFETY: a whole object (new, or the spare just emptied) that only
        // this call holds until it is handed to the callback.
        let ct = unsafe { &mut *(p as *mut Conntrack) };
        let _partly = crate::conntrack::parse::parse_payload(ct, attrs, family);
        Ok(p)
    }

    unsafe fn reclaim(h: &CHandle, p: *mut Self) {
        // Kept for the next message (a spare already there is freed).
        // SAFETY: per the contract, made by from_attrs() and no longer used.
        h.spare.set(unsafe { HeldCt::from_raw(p) });
    }
}

impl CbObject for nf_expect {
    const SUBSYS: Subsys = Subsys::Expect;

    fn registration(h: &CHandle) -> &Cell<Registration<Self>> {
        &h.exp
    }

    fn from_attrs(_: &CHandle, family: u8, attrs: &[u8]) -> Result<*mut Self, Errno> {
        let mut e = Expect::new();
        let _partly = crate::expect::parse::parse_payload(&mut e, attrs, family);
        let p = exp_into_raw(e);
        if p.is_null() {
            return Err(Errno(libc::ENOMEM));
        }
        Ok(p)
    }

    unsafe fn reclaim(_: &CHandle, p: *mut Self) {
        // SAFETY: per the contract, made by exp_into_raw() in from_attrs().
        unsafe { exp_free(p) };
    }
}

/// The type mask of the callback registered for `T`'s subsystem on `h`.
fn mask<T: CbObject>(h: &CHandle) -> Option<u32> {
    T::registration(h).get().active.map(|a| a.0)
}

/// Hands the object of message `m` (of kind `kind`) to the callback
/// registered for `T`'s subsystem on `h`, and returns its verdict
/// (`NFCT_CB_STOLEN` as `NFCT_CB_CONTINUE`: the object is the callback's
/// then). Fails only when the message has no whole `nfgenmsg` (`EBADMSG`;
/// routing refuses those first) or memory is short.
fn deliver<T: CbObject>(h: &CHandle, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
    let r = T::registration(h).get();
    let (nfg, attrs) = m.split_nfgenmsg().map_err(|_| Errno(libc::EBADMSG))?;
    let p = T::from_attrs(h, nfg.family, attrs)?;
    let data = r.active.map_or(ptr::null_mut(), |a| a.1);
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
        // The callback owns the object now (nfct_destroy()/nfexp_destroy()
        // frees it).
        return Ok(NFCT_CB_CONTINUE as c_int);
    }
    // SAFETY: made by from_attrs() above and not stolen: ours again.
    unsafe { T::reclaim(h, p) };
    Ok(ret)
}

/// The receive loops' view of a handle's callbacks.
struct Calls<'a>(&'a CHandle);

impl Deliver for Calls<'_> {
    fn mask(&self, sub: Subsys) -> Option<u32> {
        match sub {
            Subsys::Conntrack => mask::<nf_conntrack>(self.0),
            Subsys::Expect => mask::<nf_expect>(self.0),
        }
    }

    fn deliver(&mut self, sub: Subsys, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
        match sub {
            Subsys::Conntrack => deliver::<nf_conntrack>(self.0, kind, m),
            Subsys::Expect => deliver::<nf_expect>(self.0, kind, m),
        }
    }
}

impl CHandle {
    /// A handle serving the subsystems of `subsys_id` over `sock`, recording
    /// them in `nfnl` and binding the socket to their groups (see
    /// [`Nfnl::open_subsystems`]), as C gets it: on the heap, or NULL with
    /// `errno`.
    ///
    /// It is built where it will live (the memory is allocated first), not
    /// built on the stack and copied there: a handle is 400 bytes, and each
    /// copy costs more than a system call does here.
    fn open(nfnl: Nfnl, sock: Socket, subsys_id: u8, groups: u32) -> *mut nfct_handle {
        // SAFETY: a plain allocation, checked for NULL below.
        let p = unsafe { libc::malloc(size_of::<CHandle>()) } as *mut CHandle;
        if p.is_null() {
            return fail(libc::ENOMEM, ptr::null_mut());
        }
        let subs = Subsystems::from_open_id(subsys_id);
        let fd = sock.fd();
        let session = match nfnl.seq() {
            Some(seq) => Session::with_seq(sock, seq),
            None => Session::new(sock),
        };
        // SAFETY: fresh memory of CHandle's layout, written whole, a field
        // at a time (no CHandle is built elsewhere and copied in).
        unsafe {
            addr_of_mut!((*p).core).write(RefCell::new(Handle::with_session(session, subs)));
            addr_of_mut!((*p).subs).write(subs);
            addr_of_mut!((*p).fd).write(fd);
            addr_of_mut!((*p).nfnl).write(nfnl);
            addr_of_mut!((*p).ct).write(Cell::default());
            addr_of_mut!((*p).exp).write(Cell::default());
            addr_of_mut!((*p).spare).write(Cell::new(None));
        }
        // SAFETY: initialised just above, and ours alone.
        let h = unsafe { &mut *p };
        let core = h.core.get_mut();
        let opened = core
            .prepare_for_events(groups)
            .and_then(|()| h.nfnl.open_subsystems(subs, groups, core));
        match opened {
            Ok(()) => {
                h.nfnl.set_seq(core.seq());
                p as *mut nfct_handle
            }
            Err(e) => {
                // SAFETY: made above, initialised, and handed to nobody.
                unsafe { free_handle(p) };
                set_errno(e.0);
                ptr::null_mut()
            }
        }
    }

    /// The sequence number of the last request (tests).
    #[cfg(test)]
    pub(crate) fn seq(&self) -> u32 {
        self.core.borrow().seq()
    }

    /// Runs `f` on the core handle; `EBUSY` from inside one of its own
    /// callbacks.
    fn with_core(&self, f: impl FnOnce(&mut Handle, &CHandle) -> Result<i32, Errno>) -> c_int {
        let Ok(mut core) = self.core.try_borrow_mut() else {
            return fail(libc::EBUSY, -1);
        };
        let r = f(&mut core, self);
        self.nfnl.set_seq(core.seq());
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

/// NULL with `errno` `e`.
fn open_failed(e: Errno) -> *mut nfct_handle {
    set_errno(e.0);
    ptr::null_mut()
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
            Ok(sock) => sock,
            Err(e) => return open_failed(e),
        };
        match Nfnl::new(&sock) {
            Ok(nfnl) => CHandle::open(nfnl, sock, subsys_id, subscriptions),
            Err(e) => open_failed(e),
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
        // SAFETY: the caller passes NULL or a live libnfnetlink handle,
        // which it leaves to us until nfct_close().
        let Some(nfnl) = (unsafe { Nfnl::callers(nfnlh) }) else {
            return einval(ptr::null_mut());
        };
        match nfnl.borrow_socket() {
            Ok(sock) => CHandle::open(nfnl, sock, subsys_id, subscriptions),
            Err(e) => open_failed(e),
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
            return fail(libc::EBUSY, -1);
        }
        let p = cth as *mut CHandle;
        // SAFETY: made by CHandle::open(), not in use (checked above); its life
        // ends here, where it lies.
        let CHandle { core, nfnl, .. } = unsafe { &mut *p };
        let closed = nfnl.close(core.get_mut());
        // SAFETY: as above; nothing refers to it any more.
        unsafe { free_handle(p) };
        closed
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

/// `nfct_nfnlh`: the handle as libnfnetlink's `struct nfnl_handle` (see
/// [`super::nfnl`]); NULL with `EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn nfct_nfnlh(cth: *mut nfct_handle) -> *const nfnl_handle {
    guard(ptr::null(), || {
        // SAFETY: the caller passes an open handle or NULL.
        match unsafe { handle(cth) } {
            Some(h) => h.nfnl.as_ptr(),
            None => einval(ptr::null()),
        }
    })
}

// ---------------------------------------------------------------------------
// Callbacks.

/// Applies `change` to the registration of `T`'s subsystem on handle `h`;
/// -1 with `EINVAL` for NULL or a handle that does not serve that subsystem
/// (the reference crashes there).
///
/// # Safety
/// `h` is NULL or an open handle.
unsafe fn register<T: CbObject>(
    h: *mut nfct_handle,
    change: impl FnOnce(&mut Registration<T>),
) -> c_int {
    // SAFETY: forwarded contract.
    let Some(h) = (unsafe { handle(h) }) else {
        return einval(-1);
    };
    if !h.subs.has(T::SUBSYS) {
        return einval(-1);
    }
    let cell = T::registration(h);
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
    // SAFETY: the caller passes an open handle or NULL.
    guard(-1, || unsafe {
        register::<nf_conntrack>(h, |r| r.set_v1(cb, type_, data))
    })
}

/// `nfct_callback_unregister`: removes the callback (and the mask and data
/// that `nfct_callback_register2` may have set since).
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister(h: *mut nfct_handle) {
    // SAFETY: the caller passes an open handle or NULL.
    guard((), || unsafe {
        register::<nf_conntrack>(h, Registration::clear_v1);
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
    // SAFETY: the caller passes an open handle or NULL.
    guard(-1, || unsafe {
        register::<nf_conntrack>(h, |r| r.set_v2(cb, type_, data))
    })
}

/// `nfct_callback_unregister2`: removes the extended callback (and the mask
/// and data, as `nfct_callback_unregister`).
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister2(h: *mut nfct_handle) {
    // SAFETY: the caller passes an open handle or NULL.
    guard((), || unsafe {
        register::<nf_conntrack>(h, Registration::clear_v2);
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
    // SAFETY: the caller passes an open handle or NULL.
    guard(-1, || unsafe {
        register::<nf_expect>(h, |r| r.set_v1(cb, type_, data))
    })
}

/// `nfexp_callback_unregister`: removes the expectation callback.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister(h: *mut nfct_handle) {
    // SAFETY: the caller passes an open handle or NULL.
    guard((), || unsafe {
        register::<nf_expect>(h, Registration::clear_v1);
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
    // SAFETY: the caller passes an open handle or NULL.
    guard(-1, || unsafe {
        register::<nf_expect>(h, |r| r.set_v2(cb, type_, data))
    })
}

/// `nfexp_callback_unregister2`: removes the extended expectation callback.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister2(h: *mut nfct_handle) {
    // SAFETY: the caller passes an open handle or NULL.
    guard((), || unsafe {
        register::<nf_expect>(h, Registration::clear_v2);
    })
}

// ---------------------------------------------------------------------------
// Queries and events.

/// The request of conntrack query `qt` on `data`, or -1 with `errno`. An
/// incomplete conntrack gives the request as far as it was built (empty
/// without a layer-3 protocol): the reference sends that, ignoring its
/// builder's error, and so do we, so that the kernel answers the same.
///
/// # Safety
/// `data` is NULL or what the query expects.
unsafe fn ct_request(qt: QueryRaw, data: *const c_void) -> Result<Vec<u8>, c_int> {
    // SAFETY: forwarded contract.
    request_bytes(unsafe { query_from_c(qt, data) }, conntrack_query)
}

/// The request of expectation query `qt` on `data`, or -1 with `errno`;
/// empty for an expectation without a family (see [`ct_request`]).
///
/// # Safety
/// `data` is NULL or what the query expects.
unsafe fn exp_request(qt: QueryRaw, data: *const c_void) -> Result<Vec<u8>, c_int> {
    // SAFETY: forwarded contract.
    request_bytes(unsafe { exp_query_from_c(qt, data) }, expect_query)
}

/// The bytes of the request `query` builds for `q`, or -1 with `errno`:
/// the builder's, or the one set when reading `q` from C failed (`None`).
#[inline(always)]
fn request_bytes<Q>(
    q: Option<Q>,
    query: fn(Q) -> Result<Request, RequestError>,
) -> Result<Vec<u8>, c_int> {
    query(q.ok_or(-1)?)
        .map(|r| r.bytes)
        .map_err(|e| fail(e.errno(), -1))
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
/// unknown query, `EINVAL` for NULL arguments, `EBADMSG` for a reply whose
/// message lengths lie, `ENOMEM`. (An entry whose attributes do not all
/// parse is delivered as far as they do.) A conntrack that cannot be built
/// whole is sent as far as it builds, as the reference does; one without a
/// layer-3 protocol as an empty message, which the kernel refuses with
/// `ENODATA` (see [`Handle::query`]).
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
    use crate::conntrack::{Attr, CtRef};
    use crate::ctnetlink::{cta, exp, ip, proto, tuple, NFNL_SUBSYS_CTNETLINK_EXP};
    use crate::expect::ExpAttr;
    use crate::ffi::ct_ref;
    use crate::ffi::expect::exp_ref;
    use crate::netlink::attr::AttrWriter;
    use crate::netlink::frame::PutAttr;
    use crate::netlink::msg::{MsgBuilder, NfGenMsg, NLM_F_MULTI};

    fn errno() -> c_int {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
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

    /// A dump reply (`NEW` flagged `NLM_F_MULTI`) of subsystem `subsys`
    /// whose attributes `attrs` writes.
    fn dump_reply(subsys: u8, attrs: impl FnOnce(&mut AttrWriter<'_>)) -> Vec<u8> {
        let nfg = NfGenMsg {
            family: libc::AF_INET as u8,
            version: 0,
            res_id: 0,
        };
        let mut b = MsgBuilder::nfnl(subsys, 0, NLM_F_MULTI, nfg);
        b.attrs(attrs);
        b.into_bytes().unwrap()
    }

    /// UDP 10.0.0.1:1234 -> 10.0.0.2:53.
    fn tuple(w: &mut AttrWriter<'_>, ty: u16) {
        w.nested(ty, |w| {
            w.nested(tuple::IP, |w| {
                w.put(ip::V4_SRC, &[10, 0, 0, 1]);
                w.put(ip::V4_DST, &[10, 0, 0, 2]);
            });
            w.nested(tuple::PROTO, |w| {
                w.put_u8(proto::NUM, libc::IPPROTO_UDP as u8);
                w.put_be16(proto::SRC_PORT, 1234);
                w.put_be16(proto::DST_PORT, 53);
            });
        });
    }

    /// What the test callbacks saw: the kind, the source port the object
    /// says (0 when unset) and whether the message came along.
    type Seen = Vec<(u32, u16, bool)>;

    unsafe extern "C" fn ct_cb(
        kind: MsgTypeRaw,
        ct: *mut nf_conntrack,
        data: *mut c_void,
    ) -> c_int {
        // SAFETY: `data` is the test's `Seen`; `ct` the object handed over.
        let (seen, ct) = unsafe { (&mut *(data as *mut Seen), ct_ref(ct).unwrap()) };
        let port = ct
            .is_set(Attr::ATTR_ORIG_PORT_SRC)
            .then(|| u16::from_be(ct.u16(Attr::ATTR_ORIG_PORT_SRC)));
        seen.push((kind.0, port.unwrap_or(0), false));
        NFCT_CB_CONTINUE as c_int
    }

    unsafe extern "C" fn exp_cb2(
        nlh: *const nlmsghdr,
        kind: MsgTypeRaw,
        e: *mut nf_expect,
        data: *mut c_void,
    ) -> c_int {
        // SAFETY: `data` is the test's `Seen`; `e` the object handed over.
        let (seen, e) = unsafe { (&mut *(data as *mut Seen), exp_ref(e).unwrap()) };
        let port = e
            .head(ExpAttr::ATTR_EXP_MASTER)
            .filter(|_| e.is_set(ExpAttr::ATTR_EXP_MASTER))
            .map(|h| u16::from_be(CtRef::Head(h).u16(Attr::ATTR_ORIG_PORT_SRC)));
        seen.push((kind.0, port.unwrap_or(0), !nlh.is_null()));
        NFCT_CB_CONTINUE as c_int
    }

    /// An entry with an attribute the parser refuses (here: a status of two
    /// bytes, as a kernel with a wider field might send) reaches the
    /// callback all the same, with what parsed before it, and the receive
    /// goes on: one such entry must not fail `conntrack -L` or a
    /// conntrackd resync. The same for expectations.
    #[test]
    fn partly_parsed_objects_are_delivered() {
        let h = nfct_open(0, 0);
        assert!(!h.is_null());
        let mut seen = Seen::new();
        let data = &mut seen as *mut Seen as *mut c_void;
        let all = MsgTypeRaw(crate::api::nf_conntrack_msg_type::NFCT_T_ALL as u32);
        // SAFETY: an open handle; `seen` outlives every delivery below.
        unsafe {
            assert_eq!(nfct_callback_register(h, all, Some(ct_cb), data), 0);
            assert_eq!(nfexp_callback_register2(h, all, Some(exp_cb2), data), 0);
        }
        let ct = dump_reply(crate::ctnetlink::NFNL_SUBSYS_CTNETLINK, |w| {
            tuple(w, cta::TUPLE_ORIG);
            w.put(cta::STATUS, &[0, 8]);
            w.put_be32(cta::MARK, 7);
        });
        let ex = dump_reply(NFNL_SUBSYS_CTNETLINK_EXP, |w| {
            tuple(w, exp::MASTER);
            w.put(exp::TIMEOUT, &[0, 30]);
        });
        // The parsers do refuse them.
        let (nfg, attrs) = Msg::parse(&ct).unwrap().split_nfgenmsg().unwrap();
        let r = crate::conntrack::parse::parse_payload(&mut Conntrack::new(), attrs, nfg.family);
        assert!(r.is_err());
        let (nfg, attrs) = Msg::parse(&ex).unwrap().split_nfgenmsg().unwrap();
        let r = crate::expect::parse::parse_payload(&mut Expect::new(), attrs, nfg.family);
        assert!(r.is_err());
        // SAFETY: the handle is open.
        let ch = unsafe { handle(h) }.unwrap();
        let update = crate::api::nf_conntrack_msg_type::NFCT_T_UPDATE as u32;
        for (sub, m) in [(Subsys::Conntrack, &ct), (Subsys::Expect, &ex)] {
            let m = Msg::parse(m).unwrap();
            // As the receive loop hands it over: the callback's verdict.
            assert_eq!(
                Calls(ch).deliver(sub, update, &m),
                Ok(NFCT_CB_CONTINUE as c_int)
            );
        }
        assert_eq!(seen, [(update, 1234, false), (update, 1234, true)]);
        // SAFETY: the handle is open and not in use.
        assert_eq!(unsafe { nfct_close(h) }, 0);
    }
}
