//! Events: a socket subscribed to ctnetlink's multicast groups, read as an
//! iterator of typed events.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use bitflags::bitflags;

use super::dump::{parse_expectation, parse_flow, Dump};
use super::filter::EventFilter;
use super::Conntrack;
use crate::api::nf_conntrack_msg_type::{NFCT_T_DESTROY, NFCT_T_NEW, NFCT_T_UPDATE};
use crate::conntrack::request::message_kind;
use crate::ctnetlink::group;
use crate::error::{Error, Result};
use crate::expectation::Expectation;
use crate::flow::display::OutputFormat;
use crate::flow::Flow;
use crate::netlink::msg::{group_mask, Msg};
use crate::netlink::session::{Control, Outcome, Session};
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

bitflags! {
    /// The event groups to subscribe to.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct EventGroups: u32 {
        /// New entries.
        const NEW = group_mask(group::CONNTRACK_NEW);
        /// Changed entries (protocol state, status, mark, ...).
        const UPDATE = group_mask(group::CONNTRACK_UPDATE);
        /// Destroyed entries.
        const DESTROY = group_mask(group::CONNTRACK_DESTROY);
        /// New expectations.
        const EXP_NEW = group_mask(group::EXP_NEW);
        /// Changed expectations.
        const EXP_UPDATE = group_mask(group::EXP_UPDATE);
        /// Destroyed expectations.
        const EXP_DESTROY = group_mask(group::EXP_DESTROY);
        /// Every entry event.
        const FLOWS = Self::NEW.bits() | Self::UPDATE.bits() | Self::DESTROY.bits();
        /// Every expectation event.
        const EXPECTATIONS =
            Self::EXP_NEW.bits() | Self::EXP_UPDATE.bits() | Self::EXP_DESTROY.bits();
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Created.
    New,
    /// Changed.
    Update,
    /// Destroyed.
    Destroy,
}

impl EventKind {
    /// The library's `NFCT_T_*` value, as the printers take it.
    pub(crate) fn msg_type(self) -> u32 {
        match self {
            EventKind::New => NFCT_T_NEW as u32,
            EventKind::Update => NFCT_T_UPDATE as u32,
            EventKind::Destroy => NFCT_T_DESTROY as u32,
        }
    }

    fn of(m: &Msg<'_>) -> Option<EventKind> {
        let t = message_kind(m.ty(), m.flags()) as u32;
        [EventKind::New, EventKind::Update, EventKind::Destroy]
            .into_iter()
            .find(|k| k.msg_type() == t)
    }
}

/// An event: an entry or an expectation was created, changed or destroyed.
// Flows are larger than expectations; boxing them would cost an allocation
// per event for a value that is moved once.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An entry.
    Flow {
        /// What happened.
        kind: EventKind,
        /// The entry, as the kernel describes it in the event.
        flow: Flow,
    },
    /// An expectation.
    Expectation {
        /// What happened.
        kind: EventKind,
        /// The expectation.
        expectation: Expectation,
    },
}

impl Event {
    /// What happened.
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Flow { kind, .. } | Event::Expectation { kind, .. } => *kind,
        }
    }

    fn parse(m: &Msg<'_>) -> Option<Result<Event>> {
        let kind = EventKind::of(m)?;
        if let Some(flow) = parse_flow(m) {
            return Some(flow.map(|flow| Event::Flow { kind, flow }));
        }
        let exp = parse_expectation(m)?;
        Some(exp.map(|expectation| Event::Expectation { kind, expectation }))
    }
}

impl fmt::Display for Event {
    /// As `conntrack -E` prints it: `    [NEW] tcp      6 120 SYN_SENT ...`
    /// (an expectation event in the same form as `conntrack -E expect`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Flow { kind, flow } => {
                fmt::Display::fmt(&flow.display(OutputFormat::Plain).event(*kind), f)
            }
            Event::Expectation { kind, expectation } => {
                let tag = match kind {
                    EventKind::New => "[NEW]",
                    EventKind::Update => "[UPDATE]",
                    EventKind::Destroy => "[DESTROY]",
                };
                write!(f, "{tag:>9} {expectation}")
            }
        }
    }
}

/// A socket subscribed to event groups: an iterator of [`Event`]s.
///
/// Iterating blocks until the next event. When the kernel could not queue
/// events because the socket's receive buffer was full, the next item is an
/// error for which [`Error::is_overrun`] holds: events were lost, and
/// iteration goes on with the events that follow. [`Events::resync`] then
/// dumps the table again. [`Events::try_recv`] never blocks, for `poll()`
/// or `epoll` loops on the descriptor ([`AsRawFd`]).
///
/// ```no_run
/// use netfilter_conntrack::{Event, EventGroups, Events};
///
/// let mut events = Events::subscribe(EventGroups::NEW | EventGroups::DESTROY)?;
/// for event in &mut events {
///     match event {
///         Ok(Event::Flow { kind, flow }) => println!("{kind:?} {flow}"),
///         Ok(other) => println!("{other}"),
///         Err(e) if e.is_overrun() => eprintln!("events were lost"),
///         Err(e) => return Err(e),
///     }
/// }
/// # Ok::<(), netfilter_conntrack::Error>(())
/// ```
#[derive(Debug)]
pub struct Events {
    session: Session,
    nonblocking: bool,
    resync: Option<Conntrack>,
}

impl Events {
    /// Opens a socket subscribed to `groups`.
    pub fn subscribe(groups: EventGroups) -> Result<Events> {
        let open = || -> std::result::Result<Session, Errno> {
            let mut sock = Socket::open()?;
            sock.set_cloexec(true)?;
            sock.bind_groups(groups.bits())?;
            let mut session = Session::new(sock);
            session.set_batch(1);
            Ok(session)
        };
        let session = open().map_err(|e| Error::from(e).during("subscribe"))?;
        Ok(Events {
            session,
            nonblocking: false,
            resync: None,
        })
    }

    /// Sets the socket's receive buffer to `bytes` (as root, beyond
    /// `net.core.rmem_max`); returns the size the kernel reports (twice the
    /// request). A larger buffer makes overruns rarer.
    pub fn set_recv_buffer_size(&mut self, bytes: u32) -> Result<u32> {
        self.session
            .socket()
            .set_rcvbuf(bytes)
            .map_err(|e| Error::from(e).during("set receive buffer"))
    }

    /// Makes a blocking receive fail with `EAGAIN` after `timeout` without
    /// an event (`None`: wait for ever, the default).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        self.session
            .socket()
            .set_recv_timeout(timeout)
            .map_err(|e| Error::from(e).during("set timeout"))
    }

    /// Has the kernel drop the events `filter` rejects before they are
    /// queued on this socket (a BPF program compiled from the filter),
    /// replacing the previous filter.
    pub fn set_filter(&mut self, filter: &EventFilter) -> Result<()> {
        let program = filter
            .inner
            .program()
            .map_err(|e| Error::new(e.errno(), "set filter"))?
            .sock_filters()
            .map_err(|_| Error::new(libc::ENOMEM, "set filter"))?;
        self.session
            .socket()
            .attach_filter(&program)
            .map_err(|e| Error::from(e).during("set filter"))
    }

    /// Removes the filter (`ENOENT` if there is none).
    pub fn clear_filter(&mut self) -> Result<()> {
        self.session
            .socket()
            .detach_filter()
            .map_err(|e| Error::from(e).during("clear filter"))
    }

    fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        if self.nonblocking != on {
            self.session
                .socket()
                .set_nonblocking(on)
                .map_err(|e| Error::from(e).during("events"))?;
            self.nonblocking = on;
        }
        Ok(())
    }

    /// Receives the next event: `Ok(None)` when none is queued (the socket
    /// does not block).
    pub fn try_recv(&mut self) -> Result<Option<Event>> {
        self.set_nonblocking(true)?;
        match self.receive() {
            Err(e) if e.is_would_block() => Ok(None),
            r => r.map(Some),
        }
    }

    /// Receives the next event, waiting for it (or until the timeout of
    /// [`Events::set_timeout`]: `EAGAIN`).
    pub fn recv(&mut self) -> Result<Event> {
        self.set_nonblocking(false)?;
        self.receive()
    }

    fn receive(&mut self) -> Result<Event> {
        loop {
            let mut event = None;
            let r = self.session.receive(|m: &Msg<'_>| match Event::parse(m) {
                Some(e) => {
                    event = Some(e);
                    Control::Stop
                }
                None => Control::Continue,
            });
            match r {
                Ok(Outcome::Stopped) => {
                    if let Some(e) = event {
                        return e.map_err(|e| e.during("events"));
                    }
                }
                // No request was sent: an acknowledgement or a dump's end
                // here belongs to nobody.
                Ok(_) => continue,
                Err(e) => return Err(Error::from(e).during("events")),
            }
        }
    }

    /// A fresh dump of the whole table, on a request socket of its own, to
    /// resynchronise after an overrun. Take the dump as the current state,
    /// then go on applying events: those received after this call are newer
    /// than the dump, while some queued before it may be older (applying an
    /// old `NEW` or `UPDATE` again is harmless, and an old `DESTROY` is for
    /// an entry the dump no longer has).
    pub fn resync(&mut self) -> Result<Dump<'_, Flow>> {
        if self.resync.is_none() {
            self.resync = Some(Conntrack::open()?);
        }
        match &mut self.resync {
            Some(ct) => ct.dump(),
            None => Err(Error::new(libc::EBADF, "resync")),
        }
    }
}

impl Iterator for Events {
    type Item = Result<Event>;

    /// The next event, waiting for it; never `None`.
    fn next(&mut self) -> Option<Result<Event>> {
        Some(self.recv())
    }
}

impl AsRawFd for Events {
    fn as_raw_fd(&self) -> RawFd {
        self.session.socket().fd()
    }
}

impl AsFd for Events {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.session.socket().as_fd()
    }
}
