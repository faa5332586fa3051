//! The request socket: dumps, get, create, update, delete, flush of entries
//! and expectations, and statistics, over the engine's netlink session.

pub(crate) mod dump;
pub(crate) mod events;
pub(crate) mod filter;
pub(crate) mod stats;

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use dump::Dump;
use filter::DumpFilter;

use crate::api::nf_conntrack_query::{self, *};
use crate::conntrack::request::{conntrack_query, Built, QueryData, Request, RequestError};
use crate::error::{Error, Result};
use crate::expect::request::{expect_query, ExpQueryData};
use crate::expectation::Expectation;
use crate::flow::tuple::Family;
use crate::flow::Flow;
use crate::netlink::msg::Msg;
use crate::netlink::session::{Control, Session, DEFAULT_BATCH};
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

/// A ctnetlink socket for requests: dumps, get, create, update, delete and
/// flush of entries and expectations, and statistics.
///
/// Each request waits for the kernel's answer. The socket is not subscribed
/// to events (see [`crate::Events`]). It implements [`AsRawFd`]; its
/// methods block, so a `poll()` loop is only useful with
/// [`Conntrack::set_timeout`].
///
/// ```no_run
/// use netfilter_conntrack::{Conntrack, Flow, Ports, Proto, ProtoInfo, TcpState, Tuple};
///
/// let mut ct = Conntrack::open()?;
/// let orig = Tuple::new(
///     "192.0.2.1".parse().unwrap(),
///     "192.0.2.2".parse().unwrap(),
///     Proto::Tcp(Ports { src: 40000, dst: 80 }),
/// );
/// let mut flow = Flow::new(orig);
/// flow.reply = Some(orig.reversed());
/// flow.protoinfo = Some(ProtoInfo::tcp_state(TcpState::ESTABLISHED));
/// flow.timeout = Some(60);
/// ct.create(&flow)?;
/// let got = ct.get(&Flow::new(orig))?;
/// assert_eq!(got.timeout.map(|t| t <= 60), Some(true));
/// ct.delete(&got)?;
/// # Ok::<(), netfilter_conntrack::Error>(())
/// ```
#[derive(Debug)]
pub struct Conntrack {
    session: Session,
}

/// `flow` with a reply tuple: its own, or else the original one reversed
/// (the kernel creates no entry without one; `conntrack -I` derives it too).
fn with_reply(flow: &Flow) -> std::borrow::Cow<'_, Flow> {
    match flow.reply {
        Some(_) => std::borrow::Cow::Borrowed(flow),
        None => std::borrow::Cow::Owned(Flow {
            reply: Some(flow.orig.reversed()),
            ..flow.clone()
        }),
    }
}

fn request_error(e: RequestError, op: &'static str) -> Error {
    Error::new(e.errno(), op)
}

/// The message of `req`, or `EINVAL` when its builder could not build it
/// whole. (The C API sends what was built, as the reference does; a typed
/// flow always builds whole, and the Rust API sends nothing less.)
fn whole(req: std::result::Result<Request, RequestError>, op: &'static str) -> Result<Vec<u8>> {
    match req.map_err(|e| request_error(e, op))? {
        Request {
            bytes,
            built: Built::Whole,
        } => Ok(bytes),
        _ => Err(Error::new(libc::EINVAL, op)),
    }
}

impl Conntrack {
    /// Opens a ctnetlink socket in the caller's network namespace.
    pub fn open() -> Result<Conntrack> {
        let open = || -> std::result::Result<Conntrack, Errno> {
            let sock = Socket::open()?;
            sock.set_cloexec(true)?;
            let mut session = Session::new(sock);
            session.set_batch(DEFAULT_BATCH);
            Ok(Conntrack { session })
        };
        open().map_err(|e| Error::from(e).during("open"))
    }

    /// Makes every receive fail with `EAGAIN` ([`Error::is_would_block`])
    /// after `timeout` without an answer (`None`: wait for ever, the
    /// default).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        self.session
            .socket()
            .set_recv_timeout(timeout)
            .map_err(|e| Error::from(e).during("set timeout"))
    }

    /// Sends `req` and waits for the kernel's answer: its acknowledgement,
    /// after the data message of a get, which `parse` turns into the result
    /// (`None` when no data message came).
    fn request<T>(
        &mut self,
        mut req: Vec<u8>,
        op: &'static str,
        parse: dump::ParseFn<T>,
    ) -> Result<Option<T>> {
        let mut got = None;
        self.session
            .query(&mut req, |m: &Msg<'_>| {
                if got.is_none() {
                    got = parse(m);
                }
                Control::Continue
            })
            .map_err(|e| Error::from(e).during(op))?;
        got.transpose().map_err(|e| e.during(op))
    }

    /// A request about one entry.
    fn flow_request(
        &mut self,
        q: nf_conntrack_query,
        flow: &Flow,
        op: &'static str,
    ) -> Result<Option<Flow>> {
        let obj = flow.to_object();
        let req = whole(conntrack_query(QueryData::Conntrack(q, obj.view())), op)?;
        self.request(req, op, dump::parse_flow)
    }

    /// Streams every entry of the table, one [`Flow`] at a time, in bounded
    /// memory (the receive buffer of one batch, 128 KiB).
    ///
    /// ```no_run
    /// let mut ct = netfilter_conntrack::Conntrack::open()?;
    /// let mut n = 0;
    /// for flow in ct.dump()? {
    ///     flow?;
    ///     n += 1;
    /// }
    /// println!("{n} entries");
    /// # Ok::<(), netfilter_conntrack::Error>(())
    /// ```
    pub fn dump(&mut self) -> Result<Dump<'_, Flow>> {
        self.dump_query(QueryData::Family(NFCT_Q_DUMP, 0), "dump")
    }

    /// Streams the entries of one family.
    pub fn dump_family(&mut self, family: Family) -> Result<Dump<'_, Flow>> {
        self.dump_query(QueryData::Family(NFCT_Q_DUMP, family.number()), "dump")
    }

    /// Streams the entries that `filter` selects; the kernel does the
    /// selecting.
    pub fn dump_filtered(&mut self, filter: &DumpFilter) -> Result<Dump<'_, Flow>> {
        self.dump_query(QueryData::Filter(NFCT_Q_DUMP_FILTER, &filter.inner), "dump")
    }

    /// Streams every entry and sets its counters to zero: each flow holds
    /// the counters as they were before.
    pub fn dump_and_zero_counters(&mut self) -> Result<Dump<'_, Flow>> {
        self.dump_query(QueryData::Family(NFCT_Q_DUMP_RESET, 0), "dump and zero")
    }

    /// Streams the entries that `filter` selects and zeroes their counters.
    pub fn dump_filtered_and_zero_counters(
        &mut self,
        filter: &DumpFilter,
    ) -> Result<Dump<'_, Flow>> {
        self.dump_query(
            QueryData::Filter(NFCT_Q_DUMP_FILTER_RESET, &filter.inner),
            "dump and zero",
        )
    }

    fn dump_query(&mut self, q: QueryData<'_>, op: &'static str) -> Result<Dump<'_, Flow>> {
        let req = whole(conntrack_query(q), op)?;
        Dump::start(&mut self.session, req, op, dump::parse_flow)
    }

    /// The entry whose original (or reply) tuple and zone are those of
    /// `key` (`ENOENT`, [`Error::is_not_found`], when there is none).
    /// Fields of `key` other than the tuples and the zone are ignored by
    /// the kernel, so a dumped flow works as a key too.
    pub fn get(&mut self, key: &Flow) -> Result<Flow> {
        self.flow_request(NFCT_Q_GET, key, "get")?
            .ok_or(Error::new(libc::ENOENT, "get"))
    }

    /// Creates the entry `flow` describes (`EEXIST` if it exists). It needs
    /// an original tuple, and the kernel wants a timeout and, for TCP, a
    /// state; a missing reply tuple is derived from the original one.
    pub fn create(&mut self, flow: &Flow) -> Result<()> {
        let flow = with_reply(flow);
        self.flow_request(NFCT_Q_CREATE, &flow, "create").map(drop)
    }

    /// Changes the existing entry `flow` names (by tuple and zone): what is
    /// set in `flow` (timeout, mark, status, protocol state, labels, ...)
    /// replaces what the entry has (`ENOENT` if it does not exist).
    pub fn update(&mut self, flow: &Flow) -> Result<()> {
        self.flow_request(NFCT_Q_UPDATE, flow, "update").map(drop)
    }

    /// Creates the entry, or updates it if it exists.
    /// A missing reply tuple is derived from the original one, as for
    /// [`Conntrack::create`].
    pub fn create_or_update(&mut self, flow: &Flow) -> Result<()> {
        let flow = with_reply(flow);
        self.flow_request(NFCT_Q_CREATE_UPDATE, &flow, "create or update")
            .map(drop)
    }

    /// Deletes the entry `key` names by tuple and zone (`ENOENT` if there
    /// is none). A dumped flow works as a key.
    pub fn delete(&mut self, key: &Flow) -> Result<()> {
        self.flow_request(NFCT_Q_DESTROY, key, "delete").map(drop)
    }

    /// Deletes every entry.
    pub fn flush(&mut self) -> Result<()> {
        self.flush_query(QueryData::Family(NFCT_Q_FLUSH, 0))
    }

    /// Deletes every entry of `family`. (Kernels before 6.x flush all
    /// families here; [`Conntrack::flush_filtered`] selects reliably.)
    pub fn flush_family(&mut self, family: Family) -> Result<()> {
        self.flush_query(QueryData::Family(NFCT_Q_FLUSH, family.number()))
    }

    /// Deletes the entries `filter` selects (mark, status, family, zone; a
    /// tuple filter is not supported for flushes: `ENOTSUP`).
    pub fn flush_filtered(&mut self, filter: &DumpFilter) -> Result<()> {
        self.flush_query(QueryData::Filter(NFCT_Q_FLUSH_FILTER, &filter.inner))
    }

    fn flush_query(&mut self, q: QueryData<'_>) -> Result<()> {
        let op = "flush";
        let req = whole(conntrack_query(q), op)?;
        self.request(req, op, dump::parse_flow).map(drop)
    }

    /// Streams every expectation.
    pub fn dump_expectations(&mut self) -> Result<Dump<'_, Expectation>> {
        let op = "dump expectations";
        let req = whole(expect_query(ExpQueryData::Family(NFCT_Q_DUMP, 0)), op)?;
        Dump::start(&mut self.session, req, op, dump::parse_expectation)
    }

    fn expectation_request(
        &mut self,
        q: nf_conntrack_query,
        exp: &Expectation,
        op: &'static str,
    ) -> Result<Option<Expectation>> {
        let obj = exp.to_object();
        let req = whole(expect_query(ExpQueryData::Expect(q, &obj)), op)?;
        self.request(req, op, dump::parse_expectation)
    }

    /// The expectation whose expected tuple is `key`'s (`ENOENT` if none).
    pub fn get_expectation(&mut self, key: &Expectation) -> Result<Expectation> {
        self.expectation_request(NFCT_Q_GET, key, "get expectation")?
            .ok_or(Error::new(libc::ENOENT, "get expectation"))
    }

    /// Creates an expectation (`EEXIST` if it exists). Its master entry
    /// must exist and have a helper.
    pub fn create_expectation(&mut self, exp: &Expectation) -> Result<()> {
        self.expectation_request(NFCT_Q_CREATE, exp, "create expectation")
            .map(drop)
    }

    /// Deletes the expectation whose expected tuple is `key`'s.
    pub fn delete_expectation(&mut self, key: &Expectation) -> Result<()> {
        self.expectation_request(NFCT_Q_DESTROY, key, "delete expectation")
            .map(drop)
    }

    /// Deletes every expectation.
    pub fn flush_expectations(&mut self) -> Result<()> {
        let op = "flush expectations";
        let req = whole(expect_query(ExpQueryData::Family(NFCT_Q_FLUSH, 0)), op)?;
        self.request(req, op, dump::parse_expectation).map(drop)
    }

    /// The session, for the statistics requests.
    pub(crate) fn session(&mut self) -> &mut Session {
        &mut self.session
    }
}

impl AsRawFd for Conntrack {
    fn as_raw_fd(&self) -> RawFd {
        self.session.socket().fd()
    }
}

impl AsFd for Conntrack {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.session.socket().as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::events::Events;

    #[test]
    fn sockets_move_between_threads() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Conntrack>();
        send_and_sync::<Events>();
        send_and_sync::<Flow>();
        send_and_sync::<Error>();
    }
}
