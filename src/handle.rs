//! `struct nfct_handle`: one ctnetlink socket, the subsystems it serves
//! (conntrack entries, expectations or both) and the receive loops of
//! `nfct_query`, `nfct_send` + `nfct_catch` (and their `nfexp_` twins).
//!
//! The reference builds this on libnfnetlink, whose receive loop decides
//! which messages reach a callback and what a receive returns. This module
//! does what that loop does, as follows:
//!
//! - **Subsystems.** `nfct_open(0, ..)` serves both subsystems, `CONNTRACK`
//!   (1) or `EXPECT` (2) one of them, any other id none at all: the handle
//!   opens, but every message it receives is refused with `ENOENT`, as the
//!   reference's would be. Event groups are bound when a subsystem opens.
//! - **Which messages reach a callback** ([`route`]). A data message shorter
//!   than its `nfgenmsg` fails with `ENOSPC`; one of a subsystem the handle
//!   did not open, or of a message type past the subsystem's table
//!   (`IPCTNL_MSG_MAX` = 8, `IPCTNL_MSG_EXP_MAX` = 4), fails with `ENOENT`.
//!   Only `NEW` and `DELETE` messages can reach a callback, and only while
//!   one is registered for their subsystem and its type mask has the
//!   message's kind (`NFCT_T_NEW` for a `NEW` flagged `NLM_F_CREATE` or
//!   `NLM_F_EXCL`, `NFCT_T_UPDATE` for another `NEW`, `NFCT_T_DESTROY` for a
//!   `DELETE`); the rest pass silently. The object handed over holds what
//!   its message's attributes say, as far as they parse: an attribute the
//!   parser refuses (say, of a size a newer kernel sends) ends the parsing,
//!   not the receive. The reference's callback ignores its parser's result
//!   the same way (though that parser ends the process with `exit()` on an
//!   attribute of unexpected size).
//! - **Verdicts.** A callback's value above 0 (`NFCT_CB_CONTINUE`, and
//!   `NFCT_CB_STOLEN`, which the C layer turns into `CONTINUE`) goes on; 0
//!   (`NFCT_CB_STOP`) or below (`NFCT_CB_FAILURE`, or any negative value)
//!   ends the receive, which returns that value as is.
//! - **How a receive ends** otherwise: 0 at the end of a dump or at the
//!   kernel's acknowledgement, -1 with the kernel's errno (`EEXIST`,
//!   `ENOENT`, ...) or the socket's (`ENOBUFS` when events were lost,
//!   `EAGAIN` on a non-blocking socket with nothing to read).
//!
//! Sequence numbers, skipping of stale replies and `recvmmsg()` batching are
//! the [`Session`]'s. Batching is used only inside [`Handle::query`], a
//! whole exchange; [`Handle::catch`] receives one datagram per syscall so
//! that a `poll()`-driven caller never has data waiting in our buffers that
//! its descriptor does not show.

use std::os::fd::RawFd;

use crate::conntrack::request::message_kind;
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::netlink::msg::{Msg, NFGENMSG_LEN, NLMSG_HDRLEN};
use crate::netlink::session::{Control, Outcome, Session, DEFAULT_BATCH};
use crate::netlink::socket::Socket;
use crate::netlink::Errno;

/// A ctnetlink subsystem a handle can serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subsys {
    /// Conntrack entries (`NFNL_SUBSYS_CTNETLINK`, `CONNTRACK`).
    Conntrack,
    /// Expectations (`NFNL_SUBSYS_CTNETLINK_EXP`, `EXPECT`).
    Expect,
}

impl Subsys {
    /// Both subsystems.
    pub const ALL: [Subsys; 2] = [Subsys::Conntrack, Subsys::Expect];

    /// The nfnetlink subsystem id.
    pub fn id(self) -> u8 {
        match self {
            Subsys::Conntrack => NFNL_SUBSYS_CTNETLINK,
            Subsys::Expect => NFNL_SUBSYS_CTNETLINK_EXP,
        }
    }

    /// The subsystem of nfnetlink id `id`, if it is one of ours.
    pub fn from_id(id: u8) -> Option<Subsys> {
        match id {
            NFNL_SUBSYS_CTNETLINK => Some(Subsys::Conntrack),
            NFNL_SUBSYS_CTNETLINK_EXP => Some(Subsys::Expect),
            _ => None,
        }
    }

    /// How many message types the subsystem's table covers: the reference
    /// opens conntrack with `IPCTNL_MSG_MAX` (8) and expectations with
    /// `IPCTNL_MSG_EXP_MAX` (4); a message type past it fails with `ENOENT`.
    pub fn msg_count(self) -> u8 {
        match self {
            Subsys::Conntrack => msg::CT_MAX,
            Subsys::Expect => msg::EXP_MAX,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The set of subsystems a handle serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Subsystems {
    open: [bool; 2],
}

impl Subsystems {
    /// What `nfct_open(subsys_id, ..)` opens: 0 both, `CONNTRACK` (1) or
    /// `EXPECT` (2) one, any other id none (the reference's handle then
    /// opens all the same, serving no subsystem).
    pub fn from_open_id(subsys_id: u8) -> Subsystems {
        let both = subsys_id == 0;
        Subsystems {
            open: [
                both || subsys_id == NFNL_SUBSYS_CTNETLINK,
                both || subsys_id == NFNL_SUBSYS_CTNETLINK_EXP,
            ],
        }
    }

    /// Whether `s` is served.
    pub fn has(self, s: Subsys) -> bool {
        self.open[s.index()]
    }

    /// The served subsystems.
    pub fn iter(self) -> impl Iterator<Item = Subsys> {
        Subsys::ALL.into_iter().filter(move |s| self.has(*s))
    }
}

/// What the receive loop does with one data message (see [`route`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Fail the receive with this errno.
    Fail(Errno),
    /// Nothing to do: go on with the next message.
    Pass,
    /// A `NEW` or `DELETE` message of a served subsystem, of this kind
    /// (`NFCT_T_NEW`, `NFCT_T_UPDATE` or `NFCT_T_DESTROY`): for its
    /// callback, if one wants that kind.
    Deliver(Subsys, u32),
}

/// Decides what becomes of data message `m` on a handle serving `subs`
/// (libnfnetlink's per-message step, as the reference sees it).
pub fn route(subs: Subsystems, m: &Msg<'_>) -> Route {
    if m.len() < NLMSG_HDRLEN + NFGENMSG_LEN {
        return Route::Fail(Errno(libc::ENOSPC));
    }
    let sub = match Subsys::from_id(m.subsys()) {
        Some(s) if subs.has(s) => s,
        _ => return Route::Fail(Errno(libc::ENOENT)),
    };
    let ty = m.msg_type();
    if ty >= sub.msg_count() {
        return Route::Fail(Errno(libc::ENOENT));
    }
    // The same numbers serve both subsystems (IPCTNL_MSG_EXP_NEW/_DELETE).
    if ty != msg::CT_NEW && ty != msg::CT_DELETE {
        return Route::Pass;
    }
    Route::Deliver(sub, message_kind(m.ty(), m.flags()) as u32)
}

/// Where the receive loops hand messages: the callbacks registered on a
/// handle. The C layer implements it with the C function pointers; tests
/// with closures.
pub trait Deliver {
    /// The kinds (`NFCT_T_*` bits) the callback of `sub` wants, or `None`
    /// while no callback is registered for `sub`.
    fn mask(&self, sub: Subsys) -> Option<u32>;

    /// Builds the object of message `m` (of subsystem `sub` and kind `kind`)
    /// and hands it to the callback. Returns the verdict the receive loop
    /// acts on (see the module notes), or an error that fails the receive
    /// (`ENOMEM` when there is no memory for the object). Attributes that do
    /// not parse are no error (see the module notes).
    fn deliver(&mut self, sub: Subsys, kind: u32, m: &Msg<'_>) -> Result<i32, Errno>;
}

/// No callback at all: every message passes.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCallbacks;

impl Deliver for NoCallbacks {
    fn mask(&self, _: Subsys) -> Option<u32> {
        None
    }

    fn deliver(&mut self, _: Subsys, _: u32, _: &Msg<'_>) -> Result<i32, Errno> {
        Ok(1)
    }
}

/// One message through [`route`] and the callbacks; `end` keeps the verdict
/// that stopped the receive.
fn step<D: Deliver + ?Sized>(subs: Subsystems, d: &mut D, m: &Msg<'_>, end: &mut i32) -> Control {
    let (sub, kind) = match route(subs, m) {
        Route::Fail(e) => return Control::Error(e.0),
        Route::Pass => return Control::Continue,
        Route::Deliver(sub, kind) => (sub, kind),
    };
    match d.mask(sub) {
        Some(mask) if mask & kind != 0 => {}
        _ => return Control::Continue,
    }
    match d.deliver(sub, kind, m) {
        Ok(v) if v > 0 => Control::Continue,
        Ok(v) => {
            *end = v;
            Control::Stop
        }
        Err(e) => Control::Error(e.0),
    }
}

/// The value a receive returns: 0 when it ended at a dump's end or an
/// acknowledgement, the callback's verdict when that stopped it.
fn finish(r: Result<Outcome, Errno>, end: i32) -> Result<i32, Errno> {
    match r? {
        Outcome::Done | Outcome::Acked => Ok(0),
        Outcome::Stopped => Ok(end),
    }
}

/// A ctnetlink handle: a socket with its session, and the subsystems it
/// serves. Callbacks are not stored here: each receive takes a [`Deliver`].
#[derive(Debug)]
pub struct Handle {
    session: Session,
    subs: Subsystems,
}

impl Handle {
    /// A handle serving `subs` over `sock` (as bound: see
    /// [`Handle::bind_groups`]). Its receives take one datagram per syscall.
    /// Its receive buffer is allocated at the first receive.
    pub fn with_socket(sock: Socket, subs: Subsystems) -> Handle {
        Handle::with_session(Session::new(sock), subs)
    }

    /// A handle serving `subs` over `session`'s socket; its receives take
    /// one datagram per syscall.
    pub fn with_session(mut session: Session, subs: Subsystems) -> Handle {
        session.set_batch(1);
        Handle { session, subs }
    }

    /// The subsystems served.
    pub fn subsystems(&self) -> Subsystems {
        self.subs
    }

    /// The socket's descriptor (`nfct_fd`).
    pub fn fd(&self) -> RawFd {
        self.session.socket().fd()
    }

    /// The socket's port id (`nl_pid`).
    pub fn port_id(&self) -> u32 {
        self.session.socket().port_id()
    }

    /// The event groups the socket is bound to.
    pub fn groups(&self) -> u32 {
        self.session.socket().groups()
    }

    /// The sequence number of the last request sent (initially `time(NULL)`).
    pub fn seq(&self) -> u32 {
        self.session.seq()
    }

    /// The session, e.g. for its receive counters.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Re-binds the socket to the event groups `groups` (a bind mask).
    pub fn bind_groups(&mut self, groups: u32) -> Result<(), Errno> {
        self.session.socket_mut().bind_groups(groups)
    }

    /// On a socket bound to event groups, or about to be bound to `groups`,
    /// allocates the receive buffer now (`ENOMEM` when the heap refuses
    /// it), so that an event handle that could not receive fails at open
    /// rather than at its first receive, which would leave the event queued.
    /// Other handles allocate it at their first request.
    pub fn prepare_for_events(&mut self, groups: u32) -> Result<(), Errno> {
        if groups | self.groups() != 0 {
            self.session.allocate_rx()?;
        }
        Ok(())
    }

    /// Sends request `req` (one whole message) and processes its replies
    /// (`nfct_query`): returns 0 at the end of a dump or at the
    /// acknowledgement, or the verdict of the callback that stopped it.
    /// Receives up to [`DEFAULT_BATCH`] datagrams per syscall during a dump.
    ///
    /// An empty `req` (what the reference sends for an object without a
    /// family) is sent as a datagram of length 0. Current kernels (6.18
    /// here) refuse it with `ENODATA`; a kernel that takes it never answers
    /// it, and the reference then waits forever: we fail with `ENODATA` at
    /// once, as a current kernel would have.
    pub fn query<D: Deliver + ?Sized>(&mut self, req: &mut [u8], d: &mut D) -> Result<i32, Errno> {
        if req.is_empty() {
            self.session.send_empty()?;
            return Err(Errno(libc::ENODATA));
        }
        let subs = self.subs;
        let mut end = 0;
        self.session.set_batch(DEFAULT_BATCH);
        let r = self
            .session
            .query(req, |m: &Msg<'_>| step(subs, d, m, &mut end));
        self.session.set_batch(1);
        self.session.release_batch();
        finish(r, end)
    }

    /// Sends request `req` without waiting for its replies (`nfct_send`);
    /// returns the bytes sent. An empty `req` is sent as a datagram of
    /// length 0, as the reference sends it (see [`Handle::query`]).
    pub fn send(&mut self, req: &mut [u8]) -> Result<usize, Errno> {
        if req.is_empty() {
            self.session.send_empty()?;
            return Ok(0);
        }
        self.session.send(req)?;
        Ok(req.len())
    }

    /// Receives and processes messages one datagram per syscall until a
    /// request's end, a callback's stop or an error (`nfct_catch`); the
    /// value is [`Handle::query`]'s.
    pub fn catch<D: Deliver + ?Sized>(&mut self, d: &mut D) -> Result<i32, Errno> {
        let subs = self.subs;
        let mut end = 0;
        let r = self
            .session
            .receive(|m: &Msg<'_>| step(subs, d, m, &mut end));
        finish(r, end)
    }

    /// Closes the handle, reporting `close()`'s error (`nfct_close`). A
    /// borrowed socket is left open for its owner.
    pub fn close(mut self) -> Result<(), Errno> {
        self.close_in_place()
    }

    /// [`Handle::close`] without giving the value up (the C handle is freed
    /// where it lies): an owned socket is closed, and from then on only
    /// forgotten.
    pub fn close_in_place(&mut self) -> Result<(), Errno> {
        self.session.socket_mut().close_in_place()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::nf_conntrack_msg_type;
    use crate::netlink::msg::{nfnl_type, NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI};

    fn msg(subsys: u8, ty: u8, flags: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((NLMSG_HDRLEN + payload.len()) as u32).to_ne_bytes());
        v.extend_from_slice(&nfnl_type(subsys, ty).to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(payload);
        v
    }

    fn routed(subs: Subsystems, subsys: u8, ty: u8, flags: u16) -> Route {
        let m = msg(subsys, ty, flags, &[2, 0, 0, 0]);
        route(subs, &Msg::parse(&m).unwrap())
    }

    const T_NEW: u32 = 1;
    const T_UPDATE: u32 = 2;
    const T_DESTROY: u32 = 4;

    #[test]
    fn open_ids() {
        let both = Subsystems::from_open_id(0);
        assert!(both.has(Subsys::Conntrack) && both.has(Subsys::Expect));
        let ct = Subsystems::from_open_id(1);
        assert_eq!(ct.iter().collect::<Vec<_>>(), [Subsys::Conntrack]);
        let exp = Subsystems::from_open_id(2);
        assert_eq!(exp.iter().collect::<Vec<_>>(), [Subsys::Expect]);
        for id in [3, 16, 255] {
            assert_eq!(Subsystems::from_open_id(id).iter().count(), 0);
        }
    }

    #[test]
    fn routes() {
        let ct = Subsystems::from_open_id(1);
        let both = Subsystems::from_open_id(0);
        use Route::*;
        assert_eq!(
            routed(ct, 1, 0, NLM_F_CREATE),
            Deliver(Subsys::Conntrack, T_NEW)
        );
        assert_eq!(
            routed(ct, 1, 0, NLM_F_EXCL),
            Deliver(Subsys::Conntrack, T_NEW)
        );
        assert_eq!(
            routed(ct, 1, 0, NLM_F_MULTI),
            Deliver(Subsys::Conntrack, T_UPDATE)
        );
        assert_eq!(routed(ct, 1, 2, 0), Deliver(Subsys::Conntrack, T_DESTROY));
        // Other types of the table pass; past the table: ENOENT.
        assert_eq!(routed(ct, 1, 1, 0), Pass);
        assert_eq!(routed(ct, 1, 7, 0), Pass);
        assert_eq!(routed(ct, 1, 8, 0), Fail(Errno(libc::ENOENT)));
        assert_eq!(routed(both, 2, 3, 0), Pass);
        assert_eq!(routed(both, 2, 4, 0), Fail(Errno(libc::ENOENT)));
        assert_eq!(routed(both, 2, 2, 0), Deliver(Subsys::Expect, T_DESTROY));
        // A subsystem not served, or not ours.
        assert_eq!(routed(ct, 2, 0, 0), Fail(Errno(libc::ENOENT)));
        assert_eq!(routed(both, 3, 0, 0), Fail(Errno(libc::ENOENT)));
        assert_eq!(
            routed(Subsystems::from_open_id(9), 1, 0, 0),
            Fail(Errno(libc::ENOENT))
        );
        // Shorter than an nfgenmsg.
        let m = msg(1, 0, 0, &[2, 0]);
        assert_eq!(
            route(both, &Msg::parse(&m).unwrap()),
            Fail(Errno(libc::ENOSPC))
        );
    }

    /// Records deliveries and answers with scripted verdicts.
    struct Script {
        mask: Option<u32>,
        verdicts: Vec<Result<i32, Errno>>,
        seen: Vec<(Subsys, u32)>,
    }

    impl Deliver for Script {
        fn mask(&self, _: Subsys) -> Option<u32> {
            self.mask
        }
        fn deliver(&mut self, sub: Subsys, kind: u32, _: &Msg<'_>) -> Result<i32, Errno> {
            self.seen.push((sub, kind));
            self.verdicts.remove(0)
        }
    }

    #[test]
    fn steps_and_verdicts() {
        let subs = Subsystems::from_open_id(0);
        let new = msg(1, 0, NLM_F_CREATE, &[2, 0, 0, 0]);
        let upd = msg(1, 0, 0, &[2, 0, 0, 0]);
        let new = Msg::parse(&new).unwrap();
        let upd = Msg::parse(&upd).unwrap();
        let mut end = 99;
        // No callback, or one that does not want the kind: pass.
        let mut s = Script {
            mask: None,
            verdicts: vec![],
            seen: vec![],
        };
        assert_eq!(step(subs, &mut s, &new, &mut end), Control::Continue);
        s.mask = Some(T_UPDATE | T_DESTROY);
        assert_eq!(step(subs, &mut s, &new, &mut end), Control::Continue);
        assert!(s.seen.is_empty());
        // NFCT_T_ERROR alone selects nothing.
        s.mask = Some(nf_conntrack_msg_type::NFCT_T_ERROR as i32 as u32);
        assert_eq!(step(subs, &mut s, &new, &mut end), Control::Continue);
        // Verdicts: > 0 goes on, <= 0 stops with the value, errors fail.
        s.mask = Some(nf_conntrack_msg_type::NFCT_T_ALL as u32);
        s.verdicts = vec![
            Ok(1),
            Ok(2),
            Ok(77),
            Ok(0),
            Ok(-1),
            Ok(-5),
            Err(Errno(libc::EBADMSG)),
        ];
        for _ in 0..3 {
            assert_eq!(step(subs, &mut s, &upd, &mut end), Control::Continue);
        }
        assert_eq!(end, 99);
        for v in [0, -1, -5] {
            assert_eq!(step(subs, &mut s, &new, &mut end), Control::Stop);
            assert_eq!(end, v);
        }
        assert_eq!(
            step(subs, &mut s, &new, &mut end),
            Control::Error(libc::EBADMSG)
        );
        assert_eq!(s.seen[0], (Subsys::Conntrack, T_UPDATE));
        assert_eq!(s.seen[3], (Subsys::Conntrack, T_NEW));
        // Outcomes.
        assert_eq!(finish(Ok(Outcome::Done), 5), Ok(0));
        assert_eq!(finish(Ok(Outcome::Acked), 5), Ok(0));
        assert_eq!(finish(Ok(Outcome::Stopped), -5), Ok(-5));
        assert_eq!(
            finish(Err(Errno(libc::EEXIST)), 0),
            Err(Errno(libc::EEXIST))
        );
    }
}
