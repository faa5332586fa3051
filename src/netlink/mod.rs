//! Our own netlink layer: sockets, message headers, attributes. Knows nothing
//! about conntrack objects. (It replaces libmnl and libnfnetlink.)
//!
//! - [`attr`]: attribute (TLV) writer and validating iterator.
//! - [`frame`]: attributes assembled on the stack, appended in one piece.
//! - [`msg`]: building a request (`nlmsghdr` + `nfgenmsg` + attributes) and
//!   walking the messages of a receive buffer; protocol constants.
//! - [`socket`]: the `AF_NETLINK`/`NETLINK_NETFILTER` socket and its syscalls
//!   (the only `unsafe` code of this layer).
//! - [`session`]: sequence numbers, the request/response loop and the event
//!   loop that `nfct_query`, `nfct_send` + `nfct_catch` are built on.

pub mod attr;
pub mod frame;
pub mod msg;
pub mod session;
pub mod socket;

use std::fmt;
use std::io;

/// A positive `errno` value: how every failure of this layer is reported,
/// because the C API hands exactly that to its caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    /// The `errno` of the last failed libc call on this thread.
    pub fn last() -> Errno {
        Errno::from(io::Error::last_os_error())
    }
}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Errno {
        // Every error this layer builds or receives carries an OS code; an
        // io::Error without one cannot come from a syscall: call it EIO.
        Errno(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

impl From<Errno> for io::Error {
    fn from(e: Errno) -> io::Error {
        io::Error::from_raw_os_error(e.0)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Errno({}: {})",
            self.0,
            io::Error::from_raw_os_error(self.0)
        )
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&io::Error::from_raw_os_error(self.0), f)
    }
}

impl std::error::Error for Errno {}
