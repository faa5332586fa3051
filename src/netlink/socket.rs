//! The `AF_NETLINK` / `NETLINK_NETFILTER` socket: open, bind, subscribe,
//! send to the kernel, receive from the kernel, socket options.
//!
//! This file holds the only `unsafe` code of the netlink layer: one libc
//! call per block.

use std::mem;
use std::os::fd::RawFd;
use std::time::Duration;

use super::Errno;

/// Size of one receive slot: the kernel never sends a netlink datagram
/// larger than 32 KiB to a reader that offers this much (dumps are capped
/// at `SKB_WITH_OVERHEAD(32768)`; unicast replies and events are smaller).
pub const SLOT_SIZE: usize = 32 * 1024;

/// Most datagrams one [`Socket::recv_batch`] call can return.
pub const MAX_BATCH: usize = 64;

/// Where a received datagram came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Bytes stored in the caller's buffer.
    pub len: usize,
    /// The datagram was longer than the buffer: its tail is lost.
    pub truncated: bool,
    /// The multicast groups (bind mask) it was sent to; 0 for unicast.
    pub groups: u32,
}

/// A netlink socket of the netfilter family.
///
/// An owned socket is closed on drop; a borrowed one (see
/// [`Socket::from_raw_fd`]) is left open for its owner.
#[derive(Debug)]
pub struct Socket {
    fd: RawFd,
    owned: bool,
    port_id: u32,
    groups: u32,
    /// Member of a multicast group: as of the last change made through this
    /// `Socket`, or of the last [`Socket::refresh_subscriptions`].
    subscribed: bool,
}

/// `sizeof(struct sockaddr_nl)`.
const ADDR_LEN: libc::socklen_t = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;

fn addr(pid: u32, groups: u32) -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain integers (and padding) for which all-zero
    // bytes are a valid value.
    let mut a: libc::sockaddr_nl = unsafe { mem::zeroed() };
    a.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    a.nl_pid = pid;
    a.nl_groups = groups;
    a
}

/// `time(NULL)`: the seconds since the epoch, the system call the reference
/// seeds sequence numbers with (`SystemTime` costs 10 times as much, half
/// the cost of opening a handle).
pub fn time_now() -> i64 {
    // SAFETY: with a NULL argument, time() writes nothing.
    unsafe { libc::time(std::ptr::null_mut()) }
}

/// Turns a libc return value into a result: -1 means `errno`.
fn check(ret: libc::c_int) -> Result<libc::c_int, Errno> {
    if ret == -1 {
        Err(Errno::last())
    } else {
        Ok(ret)
    }
}

fn check_size(ret: libc::ssize_t) -> Result<usize, Errno> {
    if ret < 0 {
        Err(Errno::last())
    } else {
        Ok(ret as usize)
    }
}

/// The `struct sock_fprog` of a program of `len` instructions at `filter`,
/// as the bytes `SO_ATTACH_FILTER` reads: every byte written, the padding
/// after `len` zero. (A `libc::sock_fprog` built field by field leaves its
/// padding undefined, and the kernel reads all of it.)
#[repr(C, align(8))]
struct FprogBytes([u8; mem::size_of::<libc::sock_fprog>()]);

impl FprogBytes {
    fn new(len: u16, filter: *const libc::sock_filter) -> FprogBytes {
        let mut b = [0u8; mem::size_of::<libc::sock_fprog>()];
        let at = mem::offset_of!(libc::sock_fprog, len);
        b[at..at + 2].copy_from_slice(&len.to_ne_bytes());
        let at = mem::offset_of!(libc::sock_fprog, filter);
        b[at..at + mem::size_of::<usize>()].copy_from_slice(&(filter as usize).to_ne_bytes());
        FprogBytes(b)
    }
}

/// Attaches classic BPF program `program` to socket `fd`
/// (`SO_ATTACH_FILTER`): the kernel runs it on every message before
/// queueing it there, and drops those it returns 0 for. Replaces any program
/// attached. `EINVAL` for more than 65535 instructions.
pub fn attach_filter(fd: RawFd, program: &[libc::sock_filter]) -> Result<(), Errno> {
    let len = u16::try_from(program.len()).map_err(|_| Errno(libc::EINVAL))?;
    let fprog = FprogBytes::new(len, program.as_ptr());
    // SAFETY: fprog is a whole struct sock_fprog pointing to `len`
    // initialised instructions that live until the call returns; the kernel
    // copies them and writes nothing there.
    check(unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            fprog.0.as_ptr().cast(),
            mem::size_of::<libc::sock_fprog>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// Removes the BPF program of socket `fd` (`SO_DETACH_FILTER`; `ENOENT`
/// when it has none).
pub fn detach_filter(fd: RawFd) -> Result<(), Errno> {
    let val: libc::c_int = 0;
    // SAFETY: a pointer to a live int and its size.
    check(unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_DETACH_FILTER,
            (&val as *const libc::c_int).cast(),
            mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

impl Socket {
    /// Opens a netfilter netlink socket and binds it (no groups yet), letting
    /// the kernel choose the port id. Like libnfnetlink's `nfnl_open()`, the
    /// descriptor is not close-on-exec (see [`Socket::set_cloexec`]).
    pub fn open() -> Result<Socket, Errno> {
        // SAFETY: socket() takes no pointers.
        let fd = check(unsafe {
            libc::socket(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_NETFILTER)
        })?;
        let mut s = Socket {
            fd,
            owned: true,
            port_id: 0,
            groups: 0,
            subscribed: false,
        };
        s.bind_groups(0)?;
        Ok(s)
    }

    /// Wraps an existing netfilter netlink socket, e.g. the `fd` of a
    /// `struct nfnl_handle` made by libnfnetlink's `nfnl_open()`. Reads its
    /// port id and groups from the kernel, binding it first if it is not
    /// bound yet. With `owned`, the socket closes `fd` on drop.
    ///
    /// Fails with `ENOTSOCK` if `fd` is no socket and `EINVAL` if it is not
    /// an `AF_NETLINK` socket of protocol `NETLINK_NETFILTER`.
    ///
    /// # Safety
    ///
    /// `fd` must stay open (and be the same socket) for as long as the
    /// returned `Socket` lives, and if `owned`, nobody else may close it.
    pub unsafe fn from_raw_fd(fd: RawFd, owned: bool) -> Result<Socket, Errno> {
        let mut proto: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: proto and len are valid for writes of the sizes given.
        check(unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_PROTOCOL,
                (&mut proto as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        // Not owned until it is checked: a failure leaves fd open.
        let mut s = Socket {
            fd,
            owned: false,
            port_id: 0,
            groups: 0,
            subscribed: false,
        };
        let local = s.local_addr()?;
        if proto != libc::NETLINK_NETFILTER {
            return Err(Errno(libc::EINVAL));
        }
        s.port_id = local.nl_pid;
        s.groups = local.nl_groups;
        if s.port_id == 0 {
            let groups = s.groups;
            s.bind_groups(groups)?;
        } else {
            // As its address says. Groups its owner joined with setsockopt()
            // show after a refresh, which a session makes before it batches
            // a dump (the only use of the answer).
            s.subscribed = s.groups != 0;
        }
        s.owned = owned;
        Ok(s)
    }

    /// A socket on `fd` that its owner bound already, to port id `port_id`
    /// and the groups `groups`, as libnfnetlink's handle records them: the
    /// same as [`Socket::from_raw_fd`] without owning `fd`, but nothing is
    /// asked of the kernel.
    ///
    /// # Safety
    ///
    /// `fd` is a bound `AF_NETLINK` socket of protocol `NETLINK_NETFILTER`
    /// with that address, and stays open (the same socket) for as long as
    /// the returned `Socket` lives.
    pub unsafe fn from_bound_fd(fd: RawFd, port_id: u32, groups: u32) -> Socket {
        Socket {
            fd,
            owned: false,
            port_id,
            groups,
            subscribed: groups != 0,
        }
    }

    /// The descriptor (for `poll()`, `nfct_fd()`).
    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Whether drop closes the descriptor.
    pub fn is_owned(&self) -> bool {
        self.owned
    }

    /// The port id the kernel gave this socket (`nl_pid` of its address).
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// The group mask the socket is bound to.
    pub fn groups(&self) -> u32 {
        self.groups
    }

    /// Whether the socket receives multicast messages (events): a member of
    /// a group, by its bind mask or by [`Socket::join_group`]. Memberships
    /// made behind this `Socket`'s back (a `setsockopt()` on its descriptor,
    /// libnfnetlink's `nfnl_join()`) show after
    /// [`Socket::refresh_subscriptions`].
    pub fn is_subscribed(&self) -> bool {
        self.subscribed
    }

    /// Asks the kernel whether the socket is a member of any multicast
    /// group, however it became one, and returns (and from now on reports
    /// as [`Socket::is_subscribed`]) the answer. Uses
    /// `NETLINK_LIST_MEMBERSHIPS`, or on kernels without it (before 4.2)
    /// the group mask of `getsockname()`, which covers groups 1 to 32 (all
    /// of nfnetlink's).
    pub fn refresh_subscriptions(&mut self) -> Result<bool, Errno> {
        // Groups 1..=128 (the kernel fills what fits); nfnetlink has about
        // ten.
        let mut words = [0u32; 4];
        let mut len = mem::size_of_val(&words) as libc::socklen_t;
        // SAFETY: words and len are valid for writes; len holds words' size,
        // and the kernel writes no more than that.
        let listed = check(unsafe {
            libc::getsockopt(
                self.fd,
                libc::SOL_NETLINK,
                libc::NETLINK_LIST_MEMBERSHIPS,
                words.as_mut_ptr().cast(),
                &mut len,
            )
        });
        self.subscribed = match listed {
            Ok(_) => words.iter().fold(0, |all, w| all | w) != 0,
            Err(_) => self.local_addr()?.nl_groups != 0,
        };
        Ok(self.subscribed)
    }

    /// The socket's address as the kernel reports it.
    pub fn local_addr(&self) -> Result<libc::sockaddr_nl, Errno> {
        let mut a = addr(0, 0);
        let mut len = ADDR_LEN;
        // SAFETY: a and len are valid for writes; len holds a's size.
        check(unsafe {
            libc::getsockname(self.fd, (&mut a as *mut libc::sockaddr_nl).cast(), &mut len)
        })?;
        if len != ADDR_LEN || a.nl_family != libc::AF_NETLINK as libc::sa_family_t {
            return Err(Errno(libc::EINVAL));
        }
        Ok(a)
    }

    /// Binds the socket to the multicast groups of `groups` (bit `n - 1` for
    /// group `n`), keeping its port id (a bound netlink socket can only be
    /// re-bound to the same port id). Then reads back the port id.
    pub fn bind_groups(&mut self, groups: u32) -> Result<(), Errno> {
        let a = addr(self.port_id, groups);
        // SAFETY: a is a valid sockaddr_nl of ADDR_LEN bytes.
        check(unsafe { libc::bind(self.fd, (&a as *const libc::sockaddr_nl).cast(), ADDR_LEN) })?;
        let local = self.local_addr()?;
        self.port_id = local.nl_pid;
        self.groups = groups;
        // The mask replaced the memberships in groups 1 to 32, also those
        // joined with setsockopt(); those above remain.
        self.refresh_subscriptions()?;
        Ok(())
    }

    /// Joins multicast group `group` (any number, also those >= 32 that a
    /// bind mask cannot name).
    pub fn join_group(&mut self, group: u32) -> Result<(), Errno> {
        self.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_ADD_MEMBERSHIP,
            group as libc::c_int,
        )?;
        self.subscribed = true;
        Ok(())
    }

    /// Leaves multicast group `group`.
    pub fn leave_group(&mut self, group: u32) -> Result<(), Errno> {
        self.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_DROP_MEMBERSHIP,
            group as libc::c_int,
        )?;
        self.refresh_subscriptions()?;
        Ok(())
    }

    /// Sends one message (or a batch of messages) to the kernel. Returns the
    /// bytes sent.
    pub fn send(&self, msg: &[u8]) -> Result<usize, Errno> {
        let kernel = addr(0, 0);
        // SAFETY: msg is valid for reads of msg.len() bytes; kernel is a valid
        // sockaddr_nl of ADDR_LEN bytes.
        check_size(unsafe {
            libc::sendto(
                self.fd,
                msg.as_ptr().cast(),
                msg.len(),
                0,
                (&kernel as *const libc::sockaddr_nl).cast(),
                ADDR_LEN,
            )
        })
    }

    /// Receives one datagram from the kernel into `buf`. Datagrams that
    /// another process sent to this socket are dropped unseen. With
    /// `dontwait`, fails with `EAGAIN` instead of blocking.
    ///
    /// Errors are the kernel's: `ENOBUFS` when it had to drop messages for
    /// this socket (its receive buffer was full), `EAGAIN`, `EINTR`, ...
    pub fn recv(&self, buf: &mut [u8], dontwait: bool) -> Result<Received, Errno> {
        let flags = libc::MSG_TRUNC | if dontwait { libc::MSG_DONTWAIT } else { 0 };
        loop {
            let mut from = addr(0, 0);
            let mut iov = libc::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.len(),
            };
            // SAFETY: msghdr is plain data (pointers and integers): all-zero
            // is a valid value; the pointers are set below.
            let mut mh: libc::msghdr = unsafe { mem::zeroed() };
            mh.msg_name = (&mut from as *mut libc::sockaddr_nl).cast();
            mh.msg_namelen = ADDR_LEN;
            mh.msg_iov = &mut iov;
            mh.msg_iovlen = 1;
            // SAFETY: mh points to `from` (ADDR_LEN bytes) and to one iovec
            // covering exactly `buf`, all live for the call.
            let n = check_size(unsafe { libc::recvmsg(self.fd, &mut mh, flags) })?;
            if mh.msg_namelen != ADDR_LEN || from.nl_pid != 0 {
                continue; // not from the kernel
            }
            return Ok(Received {
                len: n.min(buf.len()),
                truncated: n > buf.len() || mh.msg_flags & libc::MSG_TRUNC != 0,
                groups: from.nl_groups,
            });
        }
    }

    /// Receives up to `max` datagrams from the kernel in one `recvmmsg()`
    /// call into `rb`'s slots: it waits for the first (unless `dontwait`) and
    /// then takes what is queued without waiting. Returns how many datagrams
    /// `rb` holds. Datagrams from other processes are dropped unseen.
    ///
    /// During a dump the kernel queues the next part each time one is read,
    /// so one call returns up to `max` parts of a dump.
    pub fn recv_batch(&self, rb: &mut RecvBuf, max: usize, dontwait: bool) -> Result<usize, Errno> {
        let n = max.clamp(1, rb.slots.min(MAX_BATCH));
        let mut flags = libc::MSG_TRUNC | libc::MSG_WAITFORONE;
        if dontwait {
            flags |= libc::MSG_DONTWAIT;
        }
        rb.count = 0;
        rb.allocate()?;
        loop {
            let mut from = [addr(0, 0); MAX_BATCH];
            let slot_size = rb.slot_size;
            let mut iovs: [libc::iovec; MAX_BATCH] = [libc::iovec {
                iov_base: std::ptr::null_mut(),
                iov_len: 0,
            }; MAX_BATCH];
            for (iov, slot) in iovs
                .iter_mut()
                .zip(rb.storage[rb.start..].chunks_exact_mut(slot_size))
                .take(n)
            {
                iov.iov_base = slot.as_mut_ptr().cast();
                iov.iov_len = slot.len();
            }
            // SAFETY: mmsghdr is plain data (pointers and integers): all-zero
            // is a valid value; the pointers are set below.
            let mut hdrs: [libc::mmsghdr; MAX_BATCH] = unsafe { mem::zeroed() };
            for ((h, iov), f) in hdrs
                .iter_mut()
                .zip(iovs.iter_mut())
                .zip(from.iter_mut())
                .take(n)
            {
                h.msg_hdr.msg_name = (f as *mut libc::sockaddr_nl).cast();
                h.msg_hdr.msg_namelen = ADDR_LEN;
                h.msg_hdr.msg_iov = iov;
                h.msg_hdr.msg_iovlen = 1;
            }
            // SAFETY: the first n headers each point to their own sockaddr_nl
            // (ADDR_LEN bytes) and one iovec covering one slot of rb's
            // storage; all live for the call and do not overlap.
            let got = check(unsafe {
                libc::recvmmsg(
                    self.fd,
                    hdrs.as_mut_ptr(),
                    n as libc::c_uint,
                    flags,
                    std::ptr::null_mut(),
                )
            })? as usize;
            // Keep the kernel's datagrams, in order, compacting their records.
            for (i, h) in hdrs.iter().enumerate().take(got) {
                let f = &from[i];
                if h.msg_hdr.msg_namelen != ADDR_LEN || f.nl_pid != 0 {
                    continue;
                }
                let full = h.msg_len as usize;
                rb.meta[rb.count] = SlotMeta {
                    slot: i,
                    received: Received {
                        len: full.min(slot_size),
                        truncated: full > slot_size || h.msg_hdr.msg_flags & libc::MSG_TRUNC != 0,
                        groups: f.nl_groups,
                    },
                };
                rb.count += 1;
            }
            if rb.count > 0 {
                return Ok(rb.count);
            }
        }
    }

    /// Sets the socket's receive buffer the way libnfnetlink's
    /// `nfnl_rcvbufsiz()` does: `SO_RCVBUFFORCE` (root may exceed
    /// `net.core.rmem_max`), else `SO_RCVBUF`. Returns the size the kernel
    /// reports afterwards (it doubles the request for its bookkeeping).
    pub fn set_rcvbuf(&self, size: u32) -> Result<u32, Errno> {
        let v = size.min(i32::MAX as u32) as libc::c_int;
        if self
            .set_int(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, v)
            .is_err()
        {
            self.set_int(libc::SOL_SOCKET, libc::SO_RCVBUF, v)?;
        }
        self.rcvbuf()
    }

    /// The receive buffer size the kernel reports (`SO_RCVBUF`).
    pub fn rcvbuf(&self) -> Result<u32, Errno> {
        Ok(self.get_int(libc::SOL_SOCKET, libc::SO_RCVBUF)? as u32)
    }

    /// `NETLINK_BROADCAST_ERROR`: make a failed multicast delivery to this
    /// socket an error for the sender.
    pub fn set_broadcast_error(&self, on: bool) -> Result<(), Errno> {
        self.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_BROADCAST_ERROR,
            on as libc::c_int,
        )
    }

    /// `NETLINK_NO_ENOBUFS`: do not report `ENOBUFS` when events were lost.
    pub fn set_no_enobufs(&self, on: bool) -> Result<(), Errno> {
        self.set_int(
            libc::SOL_NETLINK,
            libc::NETLINK_NO_ENOBUFS,
            on as libc::c_int,
        )
    }

    /// Attaches classic BPF program `program` (see [`attach_filter`]).
    pub fn attach_filter(&self, program: &[libc::sock_filter]) -> Result<(), Errno> {
        attach_filter(self.fd, program)
    }

    /// Removes the attached BPF program (see [`detach_filter`]).
    pub fn detach_filter(&self) -> Result<(), Errno> {
        detach_filter(self.fd)
    }

    /// Makes receiving fail with `EAGAIN` instead of blocking after `timeout`
    /// (`None`: block for ever).
    pub fn set_recv_timeout(&self, timeout: Option<Duration>) -> Result<(), Errno> {
        let t = timeout.unwrap_or_default();
        let tv = libc::timeval {
            tv_sec: t.as_secs().min(i64::MAX as u64) as libc::time_t,
            tv_usec: t.subsec_micros() as libc::suseconds_t,
        };
        // SAFETY: tv is a valid timeval of the size given.
        check(unsafe {
            libc::setsockopt(
                self.fd,
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        })?;
        Ok(())
    }

    /// Sets or clears `O_NONBLOCK`.
    pub fn set_nonblocking(&self, on: bool) -> Result<(), Errno> {
        self.update_flags(libc::F_GETFL, libc::F_SETFL, libc::O_NONBLOCK, on)
    }

    /// Sets or clears close-on-exec.
    pub fn set_cloexec(&self, on: bool) -> Result<(), Errno> {
        self.update_flags(libc::F_GETFD, libc::F_SETFD, libc::FD_CLOEXEC, on)
    }

    fn update_flags(
        &self,
        get: libc::c_int,
        set: libc::c_int,
        bit: libc::c_int,
        on: bool,
    ) -> Result<(), Errno> {
        // SAFETY: fcntl(F_GETFL/F_GETFD) takes no pointer.
        let old = check(unsafe { libc::fcntl(self.fd, get) })?;
        let new = if on { old | bit } else { old & !bit };
        if new != old {
            // SAFETY: fcntl(F_SETFL/F_SETFD) takes an int.
            check(unsafe { libc::fcntl(self.fd, set, new) })?;
        }
        Ok(())
    }

    fn set_int(&self, level: libc::c_int, name: libc::c_int, v: libc::c_int) -> Result<(), Errno> {
        // SAFETY: v is a valid c_int of the size given.
        check(unsafe {
            libc::setsockopt(
                self.fd,
                level,
                name,
                (&v as *const libc::c_int).cast(),
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })?;
        Ok(())
    }

    fn get_int(&self, level: libc::c_int, name: libc::c_int) -> Result<libc::c_int, Errno> {
        let mut v: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: v and len are valid for writes; len holds v's size.
        check(unsafe {
            libc::getsockopt(
                self.fd,
                level,
                name,
                (&mut v as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(v)
    }

    /// Closes the socket, reporting `close()`'s error (`nfct_close()` returns
    /// it). A borrowed socket is only forgotten.
    pub fn close(mut self) -> Result<(), Errno> {
        self.close_in_place()
    }

    /// [`Socket::close`] without giving the value up: an owned descriptor
    /// is closed, and from then on only forgotten.
    pub fn close_in_place(&mut self) -> Result<(), Errno> {
        let owned = mem::replace(&mut self.owned, false);
        if owned {
            // SAFETY: we own fd, and clearing `owned` keeps drop from closing
            // it again.
            check(unsafe { libc::close(self.fd) })?;
        }
        Ok(())
    }

    /// Gives up ownership: returns the descriptor, which drop no longer
    /// closes.
    pub fn into_raw_fd(mut self) -> RawFd {
        self.owned = false;
        self.fd
    }
}

impl std::os::fd::AsFd for Socket {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        // SAFETY: the descriptor stays open while `self` lives: an owned
        // socket closes it on drop only, a borrowed one's owner keeps it
        // open (the contract of `from_raw_fd`).
        unsafe { std::os::fd::BorrowedFd::borrow_raw(self.fd) }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: we own fd and nobody uses it after drop.
            unsafe { libc::close(self.fd) };
        }
    }
}

/// Bookkeeping of one received datagram in a [`RecvBuf`].
#[derive(Clone, Copy, Debug, Default)]
struct SlotMeta {
    slot: usize,
    received: Received,
}

/// Receive storage: `slots` slots of `slot_size` bytes each, 8-byte
/// aligned (C callbacks read `struct nlmsghdr` straight from it), and the
/// records of the datagrams the last receive put there.
///
/// The storage is allocated, and zeroed (the only way safe Rust can hand it
/// to the kernel), at the first receive ([`RecvBuf::allocate`]): a handle
/// opened and closed without receiving never allocates its 32 KiB.
#[derive(Debug)]
pub struct RecvBuf {
    /// Empty until allocated, then `start + slot_size * slots` bytes.
    storage: Vec<u8>,
    start: usize,
    slot_size: usize,
    slots: usize,
    /// Empty until allocated, then `slots` records.
    meta: Vec<SlotMeta>,
    count: usize,
}

impl RecvBuf {
    /// Storage for up to `slots` datagrams (1..=[`MAX_BATCH`]) of up to
    /// `slot_size` bytes (rounded up to 8), allocated at the first receive.
    pub fn new(slot_size: usize, slots: usize) -> RecvBuf {
        RecvBuf {
            storage: Vec::new(),
            start: 0,
            slot_size: (slot_size.max(64) + 7) & !7,
            slots: slots.clamp(1, MAX_BATCH),
            meta: Vec::new(),
            count: 0,
        }
    }

    /// Allocates the storage (zeroed) unless it is; `ENOMEM` when the heap
    /// refuses.
    pub fn allocate(&mut self) -> Result<(), Errno> {
        if !self.meta.is_empty() {
            return Ok(());
        }
        let len = self.slot_size * self.slots + 8;
        let oom = |_| Errno(libc::ENOMEM);
        self.storage.try_reserve_exact(len).map_err(oom)?;
        self.meta.try_reserve_exact(self.slots).map_err(oom)?;
        self.start = self.storage.as_ptr().align_offset(8).min(8);
        self.storage
            .resize(self.start + self.slot_size * self.slots, 0);
        self.meta.resize(self.slots, SlotMeta::default());
        Ok(())
    }

    /// A buffer holding `bytes` as one datagram, as if received: messages
    /// kept for a later receive (see the session's drain).
    pub fn holding(bytes: &[u8]) -> Result<RecvBuf, Errno> {
        let mut rb = RecvBuf::new(bytes.len(), 1);
        rb.allocate()?;
        let at = rb.start;
        rb.storage[at..at + bytes.len()].copy_from_slice(bytes);
        rb.meta[0] = SlotMeta {
            slot: 0,
            received: Received {
                len: bytes.len(),
                ..Received::default()
            },
        };
        rb.count = 1;
        Ok(rb)
    }

    /// The number of slots.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// The size of one slot.
    pub fn slot_size(&self) -> usize {
        self.slot_size
    }

    /// Datagrams held since the last receive.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no datagram is held.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Forgets the held datagrams.
    pub fn clear(&mut self) {
        self.count = 0;
    }

    /// Datagram `i` (in arrival order) and how it was received.
    pub fn datagram(&self, i: usize) -> Option<(&[u8], Received)> {
        if i >= self.count {
            return None;
        }
        let m = self.meta[i];
        let at = self.start + m.slot * self.slot_size;
        Some((&self.storage[at..at + m.received.len], m.received))
    }

    /// The whole aligned storage, for receiving (allocated the first time).
    fn bytes_mut(&mut self) -> Result<&mut [u8], Errno> {
        self.allocate()?;
        Ok(&mut self.storage[self.start..])
    }

    /// Appends a datagram as if received (unit tests of the receive loops).
    #[cfg(test)]
    pub(crate) fn push_for_test(&mut self, bytes: &[u8], truncated: bool) {
        let slot = self.count;
        let at = slot * self.slot_size;
        let len = bytes.len().min(self.slot_size);
        self.bytes_mut().unwrap()[at..at + len].copy_from_slice(&bytes[..len]);
        self.meta[slot] = SlotMeta {
            slot,
            received: Received {
                len,
                truncated: truncated || bytes.len() > self.slot_size,
                groups: 0,
            },
        };
        self.count += 1;
    }

    /// Receives one datagram into slot 0 with [`Socket::recv`].
    pub fn recv_one(&mut self, sock: &Socket, dontwait: bool) -> Result<usize, Errno> {
        self.count = 0;
        let slot_size = self.slot_size;
        let r = sock.recv(&mut self.bytes_mut()?[..slot_size], dontwait)?;
        self.meta[0] = SlotMeta {
            slot: 0,
            received: r,
        };
        self.count = 1;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option handed to the kernel is a whole `struct sock_fprog`:
    /// `len` and the pointer where the C struct has them, and every other
    /// byte written (zero), so that no uninitialised byte reaches
    /// `setsockopt`.
    #[test]
    fn fprog_bytes_are_all_written() {
        let insns = [libc::sock_filter {
            code: 6,
            jt: 0,
            jf: 0,
            k: !0,
        }; 3];
        let b = FprogBytes::new(0xa1b2, insns.as_ptr());
        assert_eq!(
            mem::size_of::<FprogBytes>(),
            mem::size_of::<libc::sock_fprog>()
        );
        assert!(mem::align_of::<FprogBytes>() >= mem::align_of::<libc::sock_fprog>());
        let len_at = mem::offset_of!(libc::sock_fprog, len);
        let ptr_at = mem::offset_of!(libc::sock_fprog, filter);
        assert_eq!(&b.0[len_at..len_at + 2], &0xa1b2u16.to_ne_bytes());
        assert_eq!(
            &b.0[ptr_at..ptr_at + mem::size_of::<usize>()],
            &(insns.as_ptr() as usize).to_ne_bytes()
        );
        let rest: Vec<u8> = (0..b.0.len())
            .filter(|i| !(len_at..len_at + 2).contains(i))
            .filter(|i| !(ptr_at..ptr_at + mem::size_of::<usize>()).contains(i))
            .map(|i| b.0[i])
            .collect();
        assert_eq!(
            rest,
            vec![0; mem::size_of::<libc::sock_fprog>() - 2 - mem::size_of::<usize>()]
        );
        // Read back as the kernel reads it.
        // SAFETY: FprogBytes has the size and alignment of sock_fprog and
        // holds a valid length and pointer.
        let back = unsafe { &*(b.0.as_ptr() as *const libc::sock_fprog) };
        assert_eq!(
            (back.len, back.filter as usize),
            (0xa1b2, insns.as_ptr() as usize)
        );
    }

    #[test]
    fn recv_buf_layout() {
        let rb = RecvBuf::new(1000, 200);
        assert_eq!(rb.slots(), MAX_BATCH);
        assert_eq!(rb.slot_size(), 1000);
        assert!(rb.is_empty());
        assert_eq!(rb.datagram(0), None);
        let mut rb = RecvBuf::new(3, 0);
        assert_eq!((rb.slots(), rb.slot_size()), (1, 64));
        // Nothing is allocated before the first receive.
        assert_eq!((rb.storage.capacity(), rb.meta.capacity()), (0, 0));
        // The storage handed to the kernel starts 8-byte aligned.
        assert_eq!(rb.bytes_mut().unwrap(), &[0; 64][..]);
        assert_eq!(rb.storage[rb.start..].as_ptr().align_offset(8), 0);
        assert_eq!(rb.meta.len(), 1);
        // Kept messages: one datagram of exactly those bytes, aligned too.
        let rb = RecvBuf::holding(&[7; 100]).unwrap();
        let whole = Received {
            len: 100,
            ..Received::default()
        };
        assert_eq!(rb.datagram(0), Some((&[7u8; 100][..], whole)));
        assert_eq!(rb.datagram(1), None);
        assert_eq!(rb.storage[rb.start..].as_ptr().align_offset(8), 0);
    }

    #[test]
    fn wrong_fds_are_refused() {
        // Not a socket.
        let f = std::fs::File::open("/dev/null").unwrap();
        use std::os::fd::AsRawFd;
        // SAFETY: f stays open while the (failed) wrapper would live.
        let e = unsafe { Socket::from_raw_fd(f.as_raw_fd(), false) }.unwrap_err();
        assert_eq!(e, Errno(libc::ENOTSOCK));
        // A socket of another family.
        let u = std::os::unix::net::UnixDatagram::unbound().unwrap();
        // SAFETY: u stays open while the (failed) wrapper would live.
        let e = unsafe { Socket::from_raw_fd(u.as_raw_fd(), true) }.unwrap_err();
        assert_eq!(e, Errno(libc::EINVAL));
        // The failed wrapper did not close it although asked to own it.
        assert!(u.local_addr().is_ok());
    }
}
