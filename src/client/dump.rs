//! Streaming dumps: an iterator that takes the kernel's answer one message
//! at a time from the session's receive buffer and parses each entry with
//! the engine's parser.

use crate::conntrack::parse::parse_payload;
use crate::conntrack::Conntrack as Object;
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::error::{Error, Result};
use crate::expect::parse::parse_payload as parse_exp_payload;
use crate::expect::Expect;
use crate::expectation::Expectation;
use crate::flow::Flow;
use crate::netlink::msg::Msg;
use crate::netlink::session::{Control, Outcome, Session};

/// Turns one data message into an item: `None` for a message that is not
/// one (of another subsystem or type).
pub(crate) type ParseFn<T> = fn(&Msg<'_>) -> Option<Result<T>>;

/// The entry of a conntrack message (`NEW`, or `DELETE` in events).
pub(crate) fn parse_flow(m: &Msg<'_>) -> Option<Result<Flow>> {
    if m.subsys() != NFNL_SUBSYS_CTNETLINK || !matches!(m.msg_type(), msg::CT_NEW | msg::CT_DELETE)
    {
        return None;
    }
    Some(parse_object(m).map(|o| Flow::from_object(&o)))
}

/// The engine's object of a conntrack message.
pub(crate) fn parse_object(m: &Msg<'_>) -> Result<Object> {
    let bad = || Error::new(libc::EBADMSG, "parse");
    let (nfg, attrs) = m.split_nfgenmsg().map_err(|_| bad())?;
    let mut obj = Object::new();
    parse_payload(&mut obj, attrs, nfg.family).map_err(|_| bad())?;
    Ok(obj)
}

/// The expectation of an expectation message.
pub(crate) fn parse_expectation(m: &Msg<'_>) -> Option<Result<Expectation>> {
    if m.subsys() != NFNL_SUBSYS_CTNETLINK_EXP
        || !matches!(m.msg_type(), msg::EXP_NEW | msg::EXP_DELETE)
    {
        return None;
    }
    let bad = || Error::new(libc::EBADMSG, "parse");
    let parsed = m
        .split_nfgenmsg()
        .map_err(|_| bad())
        .and_then(|(nfg, attrs)| {
            let mut e = Expect::new();
            parse_exp_payload(&mut e, attrs, nfg.family).map_err(|_| bad())?;
            Ok(Expectation::from_object(&e))
        });
    Some(parsed)
}

/// A dump in progress: an iterator of entries ([`crate::Flow`]) or
/// expectations ([`crate::Expectation`]), parsed one at a time as they are
/// taken from the receive buffer. Memory stays bounded whatever the size of
/// the table: one receive batch (4 datagrams of 32 KiB) and one item.
///
/// An item that does not parse is an `Err` (`EBADMSG`) and the dump goes
/// on; an error of the kernel or of the socket ends it. Dropping the
/// iterator early is fine: the rest of the dump is read and discarded
/// before the socket's next request.
#[derive(Debug)]
pub struct Dump<'a, T> {
    session: &'a mut Session,
    op: &'static str,
    parse: ParseFn<T>,
    done: bool,
}

impl<'a, T> Dump<'a, T> {
    /// Sends dump request `req` on `session`.
    pub(crate) fn start(
        session: &'a mut Session,
        mut req: Vec<u8>,
        op: &'static str,
        parse: ParseFn<T>,
    ) -> Result<Dump<'a, T>> {
        session
            .send(&mut req)
            .map_err(|e| Error::from(e).during(op))?;
        Ok(Dump {
            session,
            op,
            parse,
            done: false,
        })
    }
}

impl<T> Iterator for Dump<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let parse = self.parse;
        let mut item = None;
        let r = self.session.receive(|m: &Msg<'_>| match parse(m) {
            Some(parsed) => {
                item = Some(parsed);
                Control::Stop
            }
            None => Control::Continue,
        });
        match r {
            Ok(Outcome::Stopped) => item.map(|i| i.map_err(|e| e.during(self.op))),
            Ok(Outcome::Done | Outcome::Acked) => {
                self.done = true;
                None
            }
            Err(e) => {
                // A message that does not parse (EBADMSG), a datagram cut
                // short (ENOSPC) or a part of a dump that changed while it
                // was taken (EINTR) leave the rest of the dump to come.
                let recoverable = matches!(e.0, libc::EBADMSG | libc::ENOSPC | libc::EINTR);
                self.done = !(recoverable && self.session.in_flight());
                Some(Err(Error::from(e).during(self.op)))
            }
        }
    }
}

impl<T> Drop for Dump<'_, T> {
    fn drop(&mut self) {
        // A finished dump gives its batch storage back (32 KiB stay).
        self.session.release_batch();
    }
}
