//! libnfnetlink's `struct nfnl_handle`, as `nfct_nfnlh()` hands it out and
//! `nfct_open_nfnl()` takes it in.
//!
//! **Our own.** conntrackd hands `nfct_nfnlh()` to libnfnetlink's
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
//! **The caller's** (`nfct_open_nfnl`). The handle made by libnfnetlink's
//! `nfnl_open()` gets the same subsystem entries written into it (`EBUSY`
//! when one is already open there, as `nfnl_subsys_open()`), and its socket
//! is re-bound to the union of its subsystems' groups. We use its socket
//! without owning it. `nfct_close()` then ends the caller's handle as the
//! reference does (its `nfnl_close()`: subsystems closed, socket closed,
//! struct freed): by calling libnfnetlink's own `nfnl_close` when the
//! process has it loaded (it must have: it made the handle), else by doing
//! what that function does, the struct being plain `calloc()` memory of the
//! documented layout. Its return value is `nfct_close()`'s.

use std::mem::size_of;
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::sync::OnceLock;

use super::{fail, nfnl_handle, nlmsghdr, try_box};
use crate::handle::{Handle, Subsys, Subsystems};
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

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

/// `struct nfnl_handle` (x86-64 layout of libnfnetlink 1.0.x).
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

/// A fresh struct for socket `sock`, as `nfnl_open()` fills it: no
/// subsystem open, sequence number `seq`.
fn fresh(sock: &Socket, seq: u32) -> NfnlHandle {
    const NO_SUBSYS: NfnlSubsys = NfnlSubsys {
        nfnlh: ptr::null_mut(),
        subscriptions: 0,
        subsys_id: 0,
        cb_count: 0,
        cb: ptr::null_mut(),
    };
    let family = libc::AF_NETLINK as u16;
    NfnlHandle {
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
    }
}

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
    if !s.cb.is_null() {
        // SAFETY: a table from calloc().
        unsafe { libc::free(s.cb.cast()) };
        s.cb = ptr::null_mut();
    }
}

/// The groups of all subsystems open in the struct at `h` once `opened`
/// were opened there with `groups` (what libnfnetlink binds its socket to):
/// those the struct records, which libnfnetlink keeps the union of its open
/// subsystems' groups, and `groups`.
///
/// # Safety
/// `h` points to a live `struct nfnl_handle`.
unsafe fn subscriptions(h: *const NfnlHandle, opened: Subsystems, groups: u32) -> u32 {
    // SAFETY: per the contract.
    let had = unsafe { (*h).subscriptions };
    if opened.iter().next().is_some() {
        had | groups
    } else {
        had
    }
}

/// libnfnetlink's `int nfnl_close(struct nfnl_handle *)`.
type NfnlCloseFn = unsafe extern "C" fn(*mut NfnlHandle) -> c_int;

/// libnfnetlink's `nfnl_close`, when the process has it loaded. Looked up
/// once (`dlsym` costs about 1,000 instructions, more than the rest of
/// `nfct_close`); a miss is not remembered, so a library loaded later is
/// still found. The address stays valid as long as libnfnetlink stays
/// loaded, which it must while a handle it made is open.
fn libnfnetlink_close() -> Option<NfnlCloseFn> {
    static FOUND: OnceLock<NfnlCloseFn> = OnceLock::new();
    if let Some(f) = FOUND.get() {
        return Some(*f);
    }
    // SAFETY: a NUL-terminated name; RTLD_DEFAULT searches the process.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"nfnl_close".as_ptr()) };
    if f.is_null() {
        return None;
    }
    // SAFETY: the symbol is libnfnetlink's function of that prototype.
    let f: NfnlCloseFn = unsafe { std::mem::transmute(f) };
    Some(*FOUND.get_or_init(|| f))
}

/// Ends a handle made by libnfnetlink's `nfnl_open()` as its `nfnl_close()`
/// does, returning that function's value.
///
/// # Safety
/// `h` points to a live handle from `nfnl_open()`, unused afterwards.
unsafe fn nfnl_close(h: *mut NfnlHandle) -> c_int {
    if let Some(f) = libnfnetlink_close() {
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

/// The `struct nfnl_handle` of an `nfct_handle`: our own (`nfct_open`) or
/// the caller's (`nfct_open_nfnl`). Dropping it frees our own struct and
/// leaves the caller's alone; [`Nfnl::close`] ends either as `nfct_close`.
pub(crate) struct Nfnl {
    /// Live and writable for as long as this value lives: made by
    /// `Box::into_raw()` when `own`, else the caller's (see
    /// [`Nfnl::callers`]).
    ptr: *mut NfnlHandle,
    own: bool,
}

impl Nfnl {
    /// A struct of our own for socket `sock`, as `nfnl_open()` fills it
    /// (`ENOMEM` when memory is short).
    pub(crate) fn new(sock: &Socket) -> Result<Nfnl, Errno> {
        let h = try_box(fresh(sock, 0)).ok_or(Errno(libc::ENOMEM))?;
        Ok(Nfnl {
            ptr: Box::into_raw(h),
            own: true,
        })
    }

    /// The caller's struct at `p` (`None` for NULL).
    ///
    /// # Safety
    /// `p` is NULL or a live handle from libnfnetlink's `nfnl_open()`, which
    /// stays live, with its socket open, until [`Nfnl::close`] (it is then
    /// ours to end) or until the returned value is dropped.
    pub(crate) unsafe fn callers(p: *mut nfnl_handle) -> Option<Nfnl> {
        (!p.is_null()).then_some(Nfnl {
            ptr: p.cast(),
            own: false,
        })
    }

    /// The struct as C sees it.
    pub(crate) fn as_ptr(&self) -> *const nfnl_handle {
        self.ptr as *const nfnl_handle
    }

    /// The struct's socket, borrowed: libnfnetlink's `nfnl_close()` closes
    /// it. Fails as [`Socket::from_raw_fd`].
    pub(crate) fn borrow_socket(&self) -> Result<Socket, Errno> {
        // SAFETY: the struct is live (the type's invariant) and its first
        // field is its socket, which stays open until close(), after the
        // last user of the returned Socket (the handle's core) is gone.
        // libnfnetlink's nfnl_open() made it a NETLINK_NETFILTER socket,
        // bound it, and recorded the address in `local`: when that says a
        // port id, it is taken as recorded; else the kernel is asked.
        unsafe {
            let h = &*self.ptr;
            if h.local.family == libc::AF_NETLINK as u16 && h.local.pid != 0 {
                return Ok(Socket::from_bound_fd(h.fd, h.local.pid, h.local.groups));
            }
            Socket::from_raw_fd(h.fd, false)
        }
    }

    /// Opens the subsystems `subs` in the struct, each with the groups
    /// `groups`, as `nfnl_subsys_open()` does, and re-binds `core`'s socket
    /// to the groups of all subsystems open there when they changed. On
    /// failure (`EBUSY` when one is open already, `bind()`'s error), the
    /// subsystems opened here are closed again.
    pub(crate) fn open_subsystems(
        &self,
        subs: Subsystems,
        groups: u32,
        core: &mut Handle,
    ) -> Result<(), Errno> {
        let h = self.ptr;
        let mut opened = 0;
        let mut result = Ok(());
        for s in subs.iter() {
            // SAFETY: a live struct (the type's invariant).
            result = unsafe { subsys_open(h, s, groups) };
            if result.is_err() {
                break;
            }
            opened += 1;
        }
        if result.is_ok() {
            // SAFETY: a live struct.
            let (want, had) = unsafe { (subscriptions(h, subs, groups), (*h).subscriptions) };
            if want != had {
                result = core.bind_groups(want);
                if result.is_ok() {
                    // SAFETY: a live, writable struct.
                    unsafe {
                        (*h).local.groups = want;
                        (*h).subscriptions = want;
                    }
                }
            }
        }
        if result.is_err() {
            for s in subs.iter().take(opened) {
                // SAFETY: a live struct; the table was allocated above.
                unsafe { subsys_close(h, s.id() as usize) };
            }
        }
        result
    }

    /// The sequence number a handle over this struct starts from: the
    /// caller's count (the reference's handle shares it), or `None` for our
    /// own struct (the session then starts from `time(NULL)`, as
    /// `nfnl_open()` does).
    pub(crate) fn seq(&self) -> Option<u32> {
        // SAFETY: a live struct (the type's invariant).
        (!self.own).then(|| unsafe { (*self.ptr).seq })
    }

    /// Records `seq`, the sequence number of the last request, in our own
    /// struct (the caller's counts the caller's requests).
    pub(crate) fn set_seq(&self, seq: u32) {
        if self.own {
            // SAFETY: our own live struct.
            unsafe { (*self.ptr).seq = seq };
        }
    }

    /// Ends the handle of this struct and of `core` as `nfct_close()`: our
    /// own socket is closed (our struct is freed when this value drops); the
    /// caller's handle is ended by its `nfnl_close()` (see the module notes),
    /// `core`'s borrowed socket being only forgotten. Returns 0 or -1 with
    /// `errno`. Both are to be dropped next.
    pub(crate) fn close(&mut self, core: &mut Handle) -> c_int {
        if self.own {
            return match core.close_in_place() {
                Ok(()) => 0,
                Err(e) => fail(e.0, -1),
            };
        }
        // A borrowed socket: it is left for nfnl_close().
        let _ = core.close_in_place();
        let p = std::mem::replace(&mut self.ptr, ptr::null_mut());
        // SAFETY: the caller's handle from nfnl_open() (the contract of
        // callers()), now ended as the reference's nfct_close() ends it;
        // this value no longer points to it, and its drop leaves a caller's
        // struct alone anyway.
        unsafe { nfnl_close(p) }
    }
}

impl Drop for Nfnl {
    fn drop(&mut self) {
        if self.own {
            // Only ours can be open in our own struct.
            for s in Subsys::ALL {
                // SAFETY: our live struct; its tables came from subsys_open().
                unsafe { subsys_close(self.ptr, s.id() as usize) };
            }
            // SAFETY: made by Box::into_raw() in new(); this is its last user.
            drop(unsafe { Box::from_raw(self.ptr) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::handle::{nfct_close, nfct_fd, nfct_nfnlh, nfct_open_nfnl};
    use crate::ffi::set_errno;

    fn errno() -> c_int {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    #[test]
    fn layout() {
        let sock = Socket::open().unwrap();
        let h = fresh(&sock, 7);
        let base = &h as *const NfnlHandle as usize;
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

            // The handle continues the caller's sequence numbers.
            (*h).seq = 4242;
            let c = nfct_open_nfnl(h.cast(), 1, 0);
            assert!(!c.is_null());
            assert_eq!((*(c as *const crate::ffi::handle::CHandle)).seq(), 4242);
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
}
