//! Talking to the kernel: send a request, then receive its replies (a dump's
//! parts until `NLMSG_DONE`, or a reply and the acknowledgement), or receive
//! events, handing each data message to a callback.
//!
//! This is what `nfct_query()` (send + receive), `nfct_send()` (send) and
//! `nfct_catch()` (receive) are built on. Behaviour follows libnfnetlink's
//! `nfnl_query()`/`nfnl_catch()`, which the reference uses, with these
//! choices:
//!
//! - **Sequence numbers.** The first is `time(NULL)`, each request takes the
//!   next (a wrapped 0 becomes `time(NULL)` again: the kernel marks events
//!   with 0). The session stamps it into the request it sends.
//! - **Which messages belong to us.** Messages with sequence number 0
//!   (events) and with the current sequence number are processed. A message
//!   with another sequence number is a left-over reply to an earlier request
//!   (one whose callback stopped early): it is skipped. (libnfnetlink fails
//!   with `EILSEQ` here, but since libnetfilter_conntrack 1.1 sends every
//!   request with sequence number 0, that check never fires for it; skipping
//!   is what makes a query after an interrupted one work.) A reply carrying
//!   our sequence number but another port id fails with `ESRCH` (libmnl).
//!   Datagrams not sent by the kernel are dropped by [`Socket`].
//! - **How a receive ends.** `NLMSG_DONE` ends a dump ([`Outcome::Done`]),
//!   an `NLMSG_ERROR` with 0 acknowledges ([`Outcome::Acked`]), one with an
//!   errno fails with it, the callback's [`Control::Stop`] stops
//!   ([`Outcome::Stopped`]) and [`Control::Error`] fails. A reply flagged
//!   `NLM_F_DUMP_INTR` fails with `EINTR` (libmnl). `ENOBUFS` from the socket
//!   is returned (events were lost); `EINTR` from the socket is retried.
//!   A malformed message fails with `EBADMSG`, a truncated datagram with
//!   `ENOSPC`; the rest of that datagram is dropped.
//! - **Few syscalls.** While a dump is in flight on a socket without event
//!   subscriptions, one `recvmmsg()` takes up to [`Session::batch`] datagrams
//!   of 32 KiB (the kernel queues the next part of a dump each time one is
//!   read). Whether the socket has subscriptions is asked of the kernel
//!   when such a dump is sent, since they may have been made behind the
//!   session's back (`nfnl_join()`, a `setsockopt()` on the descriptor).
//!   Everything else is received one datagram per `recvmsg()`, as the
//!   reference does. Datagrams received but not yet processed when the
//!   callback stops stay in the session and are processed first by the
//!   next receive.
//! - **An interrupted request is finished before the next.** If a request
//!   whose end (`NLMSG_DONE` or acknowledgement) has not been seen is still
//!   in flight when the next one is sent, its remaining replies are read
//!   and dropped first, without waiting (the kernel has queued them), so a
//!   new dump does not fail with `EBUSY`. Only its replies (and older
//!   left-overs) are dropped: events met on the way (data messages with
//!   sequence number 0) are kept, in order, and so is an error of the socket
//!   (`ENOBUFS`: events were lost); the next receive hands those events to
//!   its callback before anything else, then returns that error. This holds
//!   whatever the session knows of the socket's subscriptions. Should more
//!   than 1 MiB of events pile up, draining stops there (nothing is
//!   dropped) and the rest of the old replies are skipped as they arrive.

use super::attr::align;
use super::msg::{
    set_seq, Msg, Msgs, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NLM_F_ACK, NLM_F_DUMP,
    NLM_F_DUMP_INTR,
};
use super::socket::{RecvBuf, Socket, SLOT_SIZE};
use super::Errno;
use crate::fallible::TryVec;

/// Datagrams taken per `recvmmsg()` during a dump, by default: 4 x 32 KiB
/// (batches of 16 took no less system time and kept 512 KiB around).
pub const DEFAULT_BATCH: usize = 4;

/// Most bytes of events one drain keeps (see the module notes).
const HOLD_MAX: usize = 1 << 20;

/// What a callback tells the receive loop after one data message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on with the next message.
    Continue,
    /// Stop: the receive returns [`Outcome::Stopped`].
    Stop,
    /// Fail: the receive returns this errno.
    Error(i32),
}

/// How a receive loop ended, short of an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An `NLMSG_ERROR` with error 0: the kernel acknowledged a request.
    Acked,
    /// `NLMSG_DONE`: the dump is complete.
    Done,
    /// The callback returned [`Control::Stop`].
    Stopped,
}

/// Counters of a session's receive work (for tests and benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Receive syscalls made (`recvmsg` or `recvmmsg`).
    pub recv_calls: u64,
    /// Datagrams received.
    pub datagrams: u64,
    /// Messages looked at (an event kept while draining, twice).
    pub messages: u64,
    /// Messages skipped as left-overs of earlier requests.
    pub stale: u64,
}

/// The request whose end has not been seen yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InFlight {
    seq: u32,
    dump: bool,
}

/// Sequence tracking and counters: the part of the session that decides
/// what each received message means.
#[derive(Debug)]
struct Tracker {
    seq: u32,
    in_flight: Option<InFlight>,
    stats: Stats,
}

/// Position of the next unprocessed message in the receive buffer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cursor {
    datagram: usize,
    offset: usize,
}

/// The current time in seconds, as the reference seeds sequence numbers.
fn time_seed() -> u32 {
    super::socket::time_now() as u32
}

impl Tracker {
    fn new(seq: u32) -> Tracker {
        Tracker {
            seq,
            in_flight: None,
            stats: Stats::default(),
        }
    }

    /// Advances to the next sequence number, never 0.
    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        if self.seq == 0 {
            self.seq = time_seed().max(1);
        }
        self.seq
    }

    /// Handles one message. `None`: go on; `Some`: the receive ends so.
    fn handle<F>(&mut self, m: &Msg<'_>, port_id: u32, cb: &mut F) -> Option<Result<Outcome, Errno>>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        self.stats.messages += 1;
        let seq = m.seq();
        if seq != 0 {
            if seq != self.seq {
                self.stats.stale += 1;
                return None;
            }
            if m.pid() != port_id {
                return Some(Err(Errno(libc::ESRCH)));
            }
        }
        let ty = m.ty();
        if (ty == NLMSG_ERROR || ty == NLMSG_DONE) && self.in_flight.is_some_and(|f| f.seq == seq) {
            self.in_flight = None;
        }
        if seq != 0 && m.flags() & NLM_F_DUMP_INTR != 0 {
            return Some(Err(Errno(libc::EINTR)));
        }
        match ty {
            NLMSG_ERROR => Some(match m.error_code() {
                Ok(0) => Ok(Outcome::Acked),
                Ok(e) => Err(Errno(e)),
                Err(_) => Err(Errno(libc::EBADMSG)),
            }),
            NLMSG_DONE => Some(match m.done_code() {
                Ok(0) => Ok(Outcome::Done),
                Ok(e) => Err(Errno(e)),
                Err(_) => Err(Errno(libc::EBADMSG)),
            }),
            // NOOP, OVERRUN and reserved control types carry nothing for us.
            t if t < NLMSG_MIN_TYPE => None,
            _ => match cb(m) {
                Control::Continue => None,
                Control::Stop => Some(Ok(Outcome::Stopped)),
                Control::Error(e) => Some(Err(Errno(e))),
            },
        }
    }

    /// Processes the held datagrams from `cur` on, until one message ends
    /// the receive (`Some`) or all are processed (`None`, `cur` past them).
    fn process<F>(
        &mut self,
        rx: &RecvBuf,
        cur: &mut Cursor,
        port_id: u32,
        cb: &mut F,
    ) -> Option<Result<Outcome, Errno>>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        while let Some((bytes, info)) = rx.datagram(cur.datagram) {
            if info.truncated {
                *cur = Cursor {
                    datagram: cur.datagram + 1,
                    offset: 0,
                };
                return Some(Err(Errno(libc::ENOSPC)));
            }
            let rest = bytes.get(cur.offset..).unwrap_or(&[]);
            let mut msgs = Msgs::new(rest);
            loop {
                match msgs.next() {
                    None => break,
                    Some(Err(_)) => {
                        *cur = Cursor {
                            datagram: cur.datagram + 1,
                            offset: 0,
                        };
                        return Some(Err(Errno(libc::EBADMSG)));
                    }
                    Some(Ok(m)) => {
                        cur.offset = bytes.len() - msgs.remaining().len();
                        if let Some(end) = self.handle(&m, port_id, cb) {
                            return Some(end);
                        }
                    }
                }
            }
            *cur = Cursor {
                datagram: cur.datagram + 1,
                offset: 0,
            };
        }
        None
    }
}

/// Messages a drain kept for the next receive, back to back as in one
/// datagram (see the module notes).
#[derive(Debug)]
struct Held {
    msgs: RecvBuf,
    cur: Cursor,
}

/// A socket with sequence numbers and receive loops: one `nfct_handle`'s
/// conversation with the kernel.
#[derive(Debug)]
pub struct Session {
    sock: Socket,
    rx: RecvBuf,
    cur: Cursor,
    tr: Tracker,
    batch: usize,
    /// Events a drain kept, and the socket error it met.
    held: Option<Held>,
    held_err: Option<Errno>,
}

impl Session {
    /// A session on `sock`; the first sequence number is `time(NULL)`.
    /// Its receive buffer is allocated at the first receive (which fails
    /// with `ENOMEM` when the heap refuses it).
    pub fn new(sock: Socket) -> Session {
        Session::with_seq(sock, time_seed())
    }

    /// A session on `sock` whose last request had sequence number `seq`
    /// (the next is `seq + 1`): one that continues a libnfnetlink handle's
    /// count, as the reference's `nfct_open_nfnl` does.
    pub fn with_seq(sock: Socket, seq: u32) -> Session {
        Session {
            sock,
            rx: RecvBuf::new(SLOT_SIZE, 1),
            cur: Cursor::default(),
            tr: Tracker::new(seq),
            batch: DEFAULT_BATCH,
            held: None,
            held_err: None,
        }
    }

    /// The socket.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// The socket, to change its options or subscriptions.
    pub fn socket_mut(&mut self) -> &mut Socket {
        &mut self.sock
    }

    /// Ends the session, returning its socket.
    pub fn into_socket(self) -> Socket {
        self.sock
    }

    /// The sequence number of the last request sent (initially `time(NULL)`).
    pub fn seq(&self) -> u32 {
        self.tr.seq
    }

    /// Sets the sequence number; the next request gets `seq + 1`.
    pub fn set_seq(&mut self, seq: u32) {
        self.tr.seq = seq;
    }

    /// The most datagrams one receive syscall takes during a dump.
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// Sets how many datagrams one receive syscall may take during a dump
    /// (1..=64; 1 receives one datagram per `recvmsg()` like the reference).
    /// The receive storage is `batch` x 32 KiB, allocated at the first dump.
    pub fn set_batch(&mut self, batch: usize) {
        self.batch = batch.clamp(1, super::socket::MAX_BATCH);
    }

    /// Receive counters so far.
    pub fn stats(&self) -> Stats {
        self.tr.stats
    }

    /// Resets the receive counters.
    pub fn reset_stats(&mut self) {
        self.tr.stats = Stats::default();
    }

    /// Whether received messages (or an error) wait to be processed by the
    /// next receive.
    pub fn has_pending(&self) -> bool {
        self.held.is_some() || self.held_err.is_some() || self.rx_pending()
    }

    /// Whether received datagrams wait in the receive buffer.
    fn rx_pending(&self) -> bool {
        self.rx.datagram(self.cur.datagram).is_some()
    }

    /// Allocates the receive buffer now rather than at the first request or
    /// receive (`ENOMEM` when the heap refuses it): for sockets that receive
    /// events, whose first receive should not be the first to fail.
    pub fn allocate_rx(&mut self) -> Result<(), Errno> {
        self.rx.allocate()
    }

    /// Gives back the storage of a batched receive, keeping one slot, once
    /// every received datagram has been processed (a long-lived handle then
    /// holds 32 KiB, not a whole batch).
    pub fn release_batch(&mut self) {
        if self.rx.slots() > 1 && !self.rx_pending() {
            self.rx = RecvBuf::new(SLOT_SIZE, 1);
            self.cur = Cursor::default();
        }
    }

    /// Whether a request's end (`NLMSG_DONE` or acknowledgement) is still
    /// to come.
    pub fn in_flight(&self) -> bool {
        self.tr.in_flight.is_some()
    }

    /// Sends one request. Its header must say its own length; the session
    /// writes the next sequence number into it and returns that number.
    ///
    /// A dump (both bits of `NLM_F_DUMP` set) or a request flagged
    /// `NLM_F_ACK` is in flight until its end is received; if the previous
    /// one still is, its replies are read and dropped first (see the module
    /// notes). Fails with `EINVAL` if `msg` is not one whole message, and
    /// with `ENOMEM`, before sending, when the heap refuses the receive
    /// buffer (allocated at the first request).
    pub fn send(&mut self, msg: &mut [u8]) -> Result<u32, Errno> {
        let (flags, ok) = match Msg::parse(msg) {
            Ok(m) => (m.flags(), m.len() == msg.len()),
            Err(_) => (0, false),
        };
        if !ok {
            return Err(Errno(libc::EINVAL));
        }
        // Both bits: NEW requests reuse 0x200 as NLM_F_EXCL.
        let dump = flags & NLM_F_DUMP == NLM_F_DUMP;
        if dump && self.batch > 1 {
            // Whether its replies may be batched (see the module notes). On
            // failure the last known state stands.
            let _ = self.sock.refresh_subscriptions();
        }
        self.finish_in_flight();
        // Room for the reply before the request goes: short of memory, fail
        // with nothing sent rather than with a request done and unheard.
        self.rx.allocate()?;
        let seq = self.tr.next_seq();
        set_seq(msg, seq);
        self.tr.in_flight = None;
        self.sock.send(msg)?;
        if dump || flags & NLM_F_ACK != 0 {
            self.tr.in_flight = Some(InFlight { seq, dump });
        }
        Ok(seq)
    }

    /// Sends a datagram of length 0 to the kernel: what the reference sends
    /// for a request it could not build (its zeroed buffer says length 0).
    /// Nothing is in flight after it: no kernel answers it. Current kernels
    /// refuse it with `ENODATA`; a kernel that takes it drops it.
    pub fn send_empty(&mut self) -> Result<(), Errno> {
        self.sock.send(&[]).map(|_| ())
    }

    /// Sends `msg` and receives its replies, handing each data message to
    /// `cb` (`nfct_query()`).
    pub fn query<F>(&mut self, msg: &mut [u8], cb: F) -> Result<Outcome, Errno>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        self.send(msg)?;
        self.receive(cb)
    }

    /// Receives and processes messages until the request's end, the
    /// callback's stop, or an error (`nfct_catch()`): on an event socket
    /// that is until the callback stops, or `EAGAIN` if the socket does not
    /// block.
    pub fn receive<F>(&mut self, mut cb: F) -> Result<Outcome, Errno>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        if let Some(end) = self.process_held(&mut cb) {
            return end;
        }
        loop {
            if let Some(end) =
                self.tr
                    .process(&self.rx, &mut self.cur, self.sock.port_id(), &mut cb)
            {
                return end;
            }
            self.fill(false)?;
        }
    }

    /// Processes what is held, or else makes one receive syscall and
    /// processes what it brought. `Ok(None)`: nothing ended the receive; call
    /// again (e.g. when `poll()` says the socket is readable).
    pub fn receive_once<F>(&mut self, mut cb: F) -> Result<Option<Outcome>, Errno>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        let had_pending = self.has_pending();
        if let Some(end) = self.process_held(&mut cb) {
            return end.map(Some);
        }
        if !had_pending {
            self.fill(false)?;
        }
        let port = self.sock.port_id();
        self.tr
            .process(&self.rx, &mut self.cur, port, &mut cb)
            .transpose()
    }

    /// Processes what a drain kept: its events, then its error.
    fn process_held<F>(&mut self, cb: &mut F) -> Option<Result<Outcome, Errno>>
    where
        F: FnMut(&Msg<'_>) -> Control,
    {
        if let Some(h) = &mut self.held {
            let end = self
                .tr
                .process(&h.msgs, &mut h.cur, self.sock.port_id(), cb);
            if end.is_some() {
                return end;
            }
            self.held = None;
        }
        self.held_err.take().map(Err)
    }

    /// Reads what is left of an unfinished request, without waiting,
    /// dropping its replies and keeping the events met on the way; see the
    /// module notes.
    fn finish_in_flight(&mut self) {
        if self.tr.in_flight.is_none() {
            return;
        }
        let port = self.sock.port_id();
        // Events kept by an earlier drain and not processed yet come first.
        // Short of memory, the events that do not fit are dropped and the
        // next receive says so, as the kernel does (ENOBUFS).
        let mut kept = TryVec::new();
        if let Some(h) = self.held.take() {
            let rest = h
                .msgs
                .datagram(h.cur.datagram)
                .and_then(|(b, _)| b.get(h.cur.offset..))
                .unwrap_or(&[]);
            kept.extend_from_slice(rest);
        }
        while self.tr.in_flight.is_some() && kept.len() < HOLD_MAX {
            if !self.rx_pending() {
                match self.fill(true) {
                    Ok(()) => {}
                    // Reported once, and the data is still there: keep the
                    // error for the next receive and go on.
                    Err(e @ Errno(libc::ENOBUFS)) => {
                        self.held_err.get_or_insert(e);
                        continue;
                    }
                    Err(_) => break,
                }
            }
            // Only data messages reach the callback: those of the request
            // in flight are dropped, events kept. Whatever ends this round
            // (the request's end, a stale error), the loop only stops once
            // the request is no longer in flight.
            let _ = self
                .tr
                .process(&self.rx, &mut self.cur, port, &mut |m: &Msg<'_>| {
                    if m.seq() == 0 {
                        let bytes = m.as_bytes();
                        kept.extend_from_slice(bytes);
                        kept.extend_from_slice(&[0; 3][..align(bytes.len()) - bytes.len()]);
                    }
                    Control::Continue
                });
        }
        self.tr.in_flight = None;
        let (kept, dropped) = kept.into_parts();
        if dropped {
            self.held_err.get_or_insert(Errno(libc::ENOBUFS));
        }
        if !kept.is_empty() {
            match RecvBuf::holding(&kept) {
                Ok(msgs) => {
                    self.held = Some(Held {
                        msgs,
                        cur: Cursor::default(),
                    })
                }
                // The events are lost: say so as the kernel does.
                Err(_) => {
                    self.held_err.get_or_insert(Errno(libc::ENOBUFS));
                }
            }
        }
    }

    /// Receives the next datagram(s): a batch during a dump on a socket
    /// without subscriptions, else one. Retries `EINTR`.
    fn fill(&mut self, dontwait: bool) -> Result<(), Errno> {
        let dump = self.tr.in_flight.is_some_and(|f| f.dump);
        let want = if dump && !self.sock.is_subscribed() {
            self.batch
        } else {
            1
        };
        if want > self.rx.slots() {
            // Short of memory, receive into the slots there are.
            let mut rx = RecvBuf::new(SLOT_SIZE, want);
            if rx.allocate().is_ok() {
                self.rx = rx;
            }
        }
        self.cur = Cursor::default();
        self.rx.clear();
        loop {
            self.tr.stats.recv_calls += 1;
            let r = if want == 1 {
                self.rx.recv_one(&self.sock, dontwait)
            } else {
                self.sock.recv_batch(&mut self.rx, want, dontwait)
            };
            match r {
                Ok(n) => {
                    self.tr.stats.datagrams += n as u64;
                    return Ok(());
                }
                Err(Errno(libc::EINTR)) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::msg::tests::{error, raw};
    use crate::netlink::msg::{nfnl_type, NLMSG_NOOP, NLM_F_MULTI};

    const PORT: u32 = 4242;
    const CT_NEW: u16 = 0x100;

    fn data(seq: u32, pid: u32, tag: u8) -> Vec<u8> {
        raw(
            CT_NEW,
            NLM_F_MULTI,
            seq,
            pid,
            &[2, 0, 0, 0, 5, 0, 1, 0, tag],
        )
    }

    fn done(seq: u32, code: i32) -> Vec<u8> {
        raw(NLMSG_DONE, NLM_F_MULTI, seq, PORT, &code.to_ne_bytes())
    }

    /// Runs the receive loop over `datagrams` and returns its end and the
    /// tags of the data messages the callback saw.
    fn run(
        tr: &mut Tracker,
        datagrams: &[Vec<u8>],
        mut verdict: impl FnMut(u8) -> Control,
    ) -> (Option<Result<Outcome, Errno>>, Vec<u8>, Cursor) {
        let mut rx = RecvBuf::new(4096, datagrams.len().max(1));
        for d in datagrams {
            rx.push_for_test(d, false);
        }
        let mut cur = Cursor::default();
        let mut seen = Vec::new();
        let end = tr.process(&rx, &mut cur, PORT, &mut |m: &Msg<'_>| {
            let tag = m.attrs().unwrap().next().unwrap().unwrap().u8().unwrap();
            seen.push(tag);
            verdict(tag)
        });
        (end, seen, cur)
    }

    fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn dump_until_done() {
        let mut tr = Tracker::new(10);
        tr.in_flight = Some(InFlight {
            seq: 10,
            dump: true,
        });
        let dgs = [
            cat(&[data(10, PORT, 1), data(10, PORT, 2)]),
            cat(&[data(10, PORT, 3), done(10, 0)]),
        ];
        let (end, seen, _) = run(&mut tr, &dgs, |_| Control::Continue);
        assert_eq!(end, Some(Ok(Outcome::Done)));
        assert_eq!(seen, [1, 2, 3]);
        assert_eq!(tr.in_flight, None);
        assert_eq!(tr.stats.messages, 4);
    }

    #[test]
    fn ack_and_errors() {
        let mut tr = Tracker::new(7);
        tr.in_flight = Some(InFlight {
            seq: 7,
            dump: false,
        });
        let (end, seen, _) = run(&mut tr, &[data(7, PORT, 1), error(0, 7, PORT)], |_| {
            Control::Continue
        });
        assert_eq!((end, seen), (Some(Ok(Outcome::Acked)), vec![1]));
        assert_eq!(tr.in_flight, None);
        let (end, _, _) = run(&mut tr, &[error(-libc::EEXIST, 7, PORT)], |_| {
            Control::Continue
        });
        assert_eq!(end, Some(Err(Errno(libc::EEXIST))));
        // An error message too short for its code.
        let (end, _, _) = run(&mut tr, &[raw(NLMSG_ERROR, 0, 7, PORT, &[0, 0])], |_| {
            Control::Continue
        });
        assert_eq!(end, Some(Err(Errno(libc::EBADMSG))));
        // A dump that failed in the kernel.
        let (end, _, _) = run(&mut tr, &[done(7, -libc::ENOMEM)], |_| Control::Continue);
        assert_eq!(end, Some(Err(Errno(libc::ENOMEM))));
    }

    #[test]
    fn callback_verdicts_and_resume() {
        let mut tr = Tracker::new(3);
        let dgs = [
            cat(&[data(3, PORT, 1), data(3, PORT, 2), data(3, PORT, 3)]),
            cat(&[data(3, PORT, 4), done(3, 0)]),
        ];
        let mut rx = RecvBuf::new(4096, 2);
        for d in &dgs {
            rx.push_for_test(d, false);
        }
        let mut cur = Cursor::default();
        let mut seen = Vec::new();
        let mut cb = |m: &Msg<'_>| {
            let tag = m.attrs().unwrap().next().unwrap().unwrap().u8().unwrap();
            seen.push(tag);
            if tag == 2 {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        assert_eq!(
            tr.process(&rx, &mut cur, PORT, &mut cb),
            Some(Ok(Outcome::Stopped))
        );
        // The next receive resumes right after the message that stopped.
        assert_eq!(
            tr.process(&rx, &mut cur, PORT, &mut cb),
            Some(Ok(Outcome::Done))
        );
        assert_eq!(tr.process(&rx, &mut cur, PORT, &mut cb), None);
        assert_eq!(seen, [1, 2, 3, 4]);
        // A callback failure carries its errno.
        let (end, seen, _) = run(&mut tr, &[data(3, PORT, 9)], |_| {
            Control::Error(libc::ENOMEM)
        });
        assert_eq!((end, seen), (Some(Err(Errno(libc::ENOMEM))), vec![9]));
    }

    #[test]
    fn stale_events_and_foreign_replies() {
        let mut tr = Tracker::new(20);
        // Left-overs of request 19 are skipped; events (seq 0, any pid) are
        // delivered; our own replies end the receive.
        let dgs = [
            cat(&[data(19, PORT, 1), done(19, 0)]),
            data(0, 777, 2),
            error(-libc::ENOENT, 19, PORT),
            cat(&[data(20, PORT, 3), error(0, 20, PORT)]),
        ];
        let (end, seen, _) = run(&mut tr, &dgs, |_| Control::Continue);
        assert_eq!((end, seen), (Some(Ok(Outcome::Acked)), vec![2, 3]));
        assert_eq!(tr.stats.stale, 3);
        // Our sequence number with another port id.
        let (end, _, _) = run(&mut tr, &[data(20, PORT + 1, 1)], |_| Control::Continue);
        assert_eq!(end, Some(Err(Errno(libc::ESRCH))));
        // Control messages that carry nothing are skipped.
        let (end, seen, _) = run(
            &mut tr,
            &[
                raw(NLMSG_NOOP, 0, 0, 0, &[]),
                raw(4, 0, 0, 0, &[]),
                data(0, 0, 5),
            ],
            |_| Control::Stop,
        );
        assert_eq!((end, seen), (Some(Ok(Outcome::Stopped)), vec![5]));
    }

    #[test]
    fn interrupted_dump() {
        let mut tr = Tracker::new(5);
        tr.in_flight = Some(InFlight { seq: 5, dump: true });
        let intr = raw(
            CT_NEW,
            NLM_F_MULTI | NLM_F_DUMP_INTR,
            5,
            PORT,
            &[2, 0, 0, 0, 5, 0, 1, 0, 1],
        );
        let (end, seen, _) = run(&mut tr, &[intr], |_| Control::Continue);
        assert_eq!((end, seen), (Some(Err(Errno(libc::EINTR))), vec![]));
        // Still in flight: the rest of the dump will come.
        assert!(tr.in_flight.is_some());
        // An interrupted DONE ends the dump all the same.
        let d = raw(
            NLMSG_DONE,
            NLM_F_MULTI | NLM_F_DUMP_INTR,
            5,
            PORT,
            &0i32.to_ne_bytes(),
        );
        let (end, _, _) = run(&mut tr, &[d], |_| Control::Continue);
        assert_eq!(end, Some(Err(Errno(libc::EINTR))));
        assert_eq!(tr.in_flight, None);
    }

    #[test]
    fn malformed_and_truncated_datagrams() {
        let mut tr = Tracker::new(1);
        let mut bad = data(0, 0, 1);
        bad.extend(data(0, 0, 2));
        let n = bad.len();
        bad[n - 28..n - 24].copy_from_slice(&9999u32.to_ne_bytes()); // second message lies
        let dgs = [bad, data(0, 0, 3)];
        let mut rx = RecvBuf::new(4096, 2);
        for d in &dgs {
            rx.push_for_test(d, false);
        }
        let mut cur = Cursor::default();
        let mut seen = Vec::new();
        let mut cb = |m: &Msg<'_>| {
            seen.push(m.attrs().unwrap().next().unwrap().unwrap().u8().unwrap());
            Control::Continue
        };
        assert_eq!(
            tr.process(&rx, &mut cur, PORT, &mut cb),
            Some(Err(Errno(libc::EBADMSG)))
        );
        // The next datagram is still processed afterwards.
        assert_eq!(tr.process(&rx, &mut cur, PORT, &mut cb), None);
        assert_eq!(seen, [1, 3]);

        let mut rx = RecvBuf::new(64, 2);
        rx.push_for_test(&[0u8; 100], false);
        rx.push_for_test(&data(0, 0, 4), false);
        let mut cur = Cursor::default();
        let mut seen = Vec::new();
        let mut cb = |m: &Msg<'_>| {
            seen.push(m.attrs().unwrap().next().unwrap().unwrap().u8().unwrap());
            Control::Continue
        };
        assert_eq!(
            tr.process(&rx, &mut cur, PORT, &mut cb),
            Some(Err(Errno(libc::ENOSPC)))
        );
        assert_eq!(tr.process(&rx, &mut cur, PORT, &mut cb), None);
        assert_eq!(seen, [4]);
    }

    #[test]
    fn sequence_numbers() {
        let mut tr = Tracker::new(u32::MAX - 1);
        assert_eq!(tr.next_seq(), u32::MAX);
        let s = tr.next_seq();
        assert_ne!(s, 0);
        assert!(s > 1_600_000_000, "wrapped to time(NULL), got {s}");
        assert_eq!(tr.next_seq(), s + 1);
        assert_eq!(nfnl_type(1, 2), 0x102);
    }
}
