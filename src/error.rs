//! The one error type of the Rust API: an `errno` and what was being done.

use std::fmt;
use std::io;

use crate::netlink::Errno;

/// What went wrong: the `errno` the kernel or the library reported, and the
/// operation that failed.
///
/// Errors of the kernel keep its code: [`libc::ENOENT`] for an entry that
/// does not exist, [`libc::EEXIST`] when creating one that does,
/// [`libc::ENOBUFS`] when events were lost ([`Error::is_overrun`]), and so
/// on. Errors of the library use [`libc::EINVAL`] (a flow that cannot be
/// expressed as a request) and [`libc::EBADMSG`] (a message from the kernel
/// that does not parse).
///
/// It converts to and from [`std::io::Error`]:
///
/// ```
/// use netfilter_conntrack::Error;
///
/// let e = Error::from(std::io::Error::from_raw_os_error(libc::ENOENT));
/// assert_eq!(e.errno(), libc::ENOENT);
/// assert!(e.is_not_found());
/// let io: std::io::Error = e.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error {
    errno: i32,
    op: &'static str,
}

/// `Result<T, Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with `errno` (a positive `E*` value) while doing `op`.
    pub(crate) fn new(errno: i32, op: &'static str) -> Error {
        Error { errno, op }
    }

    /// The same error, said to have happened while doing `op`.
    pub(crate) fn during(self, op: &'static str) -> Error {
        Error { op, ..self }
    }

    /// The `errno` value (positive, e.g. [`libc::ENOENT`]).
    pub fn errno(&self) -> i32 {
        self.errno
    }

    /// The operation that failed (`"dump"`, `"create"`, ...).
    pub fn operation(&self) -> &'static str {
        self.op
    }

    /// The kernel dropped messages for this socket because its receive
    /// buffer was full (`ENOBUFS`): events were lost. The socket stays
    /// usable; resynchronise with a dump ([`crate::Events::resync`]) and
    /// perhaps enlarge the buffer ([`crate::Events::set_recv_buffer_size`]).
    pub fn is_overrun(&self) -> bool {
        self.errno == libc::ENOBUFS
    }

    /// The entry or expectation does not exist (`ENOENT`).
    pub fn is_not_found(&self) -> bool {
        self.errno == libc::ENOENT
    }

    /// The entry or expectation exists already (`EEXIST`).
    pub fn is_already_exists(&self) -> bool {
        self.errno == libc::EEXIST
    }

    /// Nothing to receive on a socket that does not block, or a receive
    /// timeout expired (`EAGAIN`).
    pub fn is_would_block(&self) -> bool {
        self.errno == libc::EAGAIN
    }
}

impl From<Errno> for Error {
    fn from(e: Errno) -> Error {
        Error::new(e.0, "netlink")
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::from(Errno::from(e))
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::from_raw_os_error(e.errno)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("errno", &self.errno)
            .field("operation", &self.op)
            .field("message", &io::Error::from_raw_os_error(self.errno))
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "conntrack {}: {}",
            self.op,
            io::Error::from_raw_os_error(self.errno)
        )
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_round_trips_through_io_error() {
        let e = Error::new(libc::EEXIST, "create");
        assert!(e.is_already_exists() && !e.is_not_found() && !e.is_overrun());
        assert_eq!(e.to_string(), "conntrack create: File exists (os error 17)");
        let io: io::Error = e.into();
        assert_eq!(io.raw_os_error(), Some(libc::EEXIST));
        let back = Error::from(io);
        assert_eq!(back.errno(), libc::EEXIST);
        assert_eq!(back.during("get").operation(), "get");
        assert!(Error::new(libc::ENOBUFS, "events").is_overrun());
        // An io::Error without an OS code cannot come from a syscall.
        let other = Error::from(io::Error::other("x"));
        assert_eq!(other.errno(), libc::EIO);
    }
}
