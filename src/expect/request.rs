//! Queries to requests: the netlink message that each `NFCT_Q_*` sends for
//! expectations (the reference's `__build_query_exp`), and the message that
//! `nfexp_build_expect` writes.
//!
//! Expectations know fewer queries than conntracks: create, create-or-update,
//! get and destroy one expectation, flush and dump a family. Every other
//! query (update, dump with counter reset, the filtered ones) is not
//! supported (`ENOTSUP`), as in the reference.

use super::build::build;
use super::object::Expect;
use crate::api::nf_conntrack_query;
use crate::conntrack::request::{Built, Request, RequestError};
use crate::conntrack::{Attr, CtRef};
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::expect::ExpAttr;
use crate::netlink::msg::{
    family_request, MsgBuilder, NfGenMsg, NFGENMSG_LEN, NFNETLINK_V0, NLMSG_HDRLEN, NLM_F_ACK,
    NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};

/// A query on expectations with its data.
#[derive(Clone, Copy, Debug)]
pub enum ExpQueryData<'a> {
    /// Create (`NFCT_Q_CREATE`), create or update (`NFCT_Q_CREATE_UPDATE`),
    /// get (`NFCT_Q_GET`) or delete (`NFCT_Q_DESTROY`) one expectation.
    Expect(nf_conntrack_query, &'a Expect),
    /// Flush (`NFCT_Q_FLUSH`) or dump (`NFCT_Q_DUMP`) the expectations of
    /// one family (`AF_UNSPEC` for all).
    Family(nf_conntrack_query, u8),
}

/// What a query's `data` argument is for expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpDataKind {
    /// A `struct nf_expect`.
    Expect,
    /// A family: the first byte of what `data` points to.
    Family,
}

/// What `data` points to for query `q` on expectations; `None` for queries
/// the reference refuses with `ENOTSUP` (compare
/// `conntrack::request::data_kind`).
pub fn data_kind(q: nf_conntrack_query) -> Option<ExpDataKind> {
    use nf_conntrack_query::*;
    match q {
        NFCT_Q_CREATE | NFCT_Q_CREATE_UPDATE | NFCT_Q_GET | NFCT_Q_DESTROY => {
            Some(ExpDataKind::Expect)
        }
        NFCT_Q_FLUSH | NFCT_Q_DUMP => Some(ExpDataKind::Family),
        _ => None,
    }
}

/// The family of an expectation request: the master tuple's layer-3
/// protocol, else the expected tuple's. The reference reads the tuple heads'
/// own bits, so a tuple that was unset still counts.
fn family(e: &Expect) -> Option<u8> {
    [ExpAttr::ATTR_EXP_MASTER, ExpAttr::ATTR_EXP_EXPECTED]
        .into_iter()
        .filter_map(|a| e.head(a).map(CtRef::Head))
        .find(|h| h.is_set(Attr::ATTR_ORIG_L3PROTO))
        .map(|h| h.u8(Attr::ATTR_ORIG_L3PROTO))
}

/// An expectation request of `msg_type` with exactly `flags`, describing
/// `e` (`nfexp_build_expect`): its type is `NFNL_SUBSYS_CTNETLINK_EXP << 8 |
/// msg_type` (a `msg_type` above 255 is or-ed in whole, as the reference
/// does), its family the master's or else the expected tuple's layer-3
/// protocol. Without either the request is empty ([`Built::NoFamily`]), as
/// the reference's zeroed buffer is. Sequence number 0. Fails only when
/// memory runs out. Built in `buf` (its content discarded, its allocation
/// reused).
pub fn expect_message_in(
    buf: Vec<u8>,
    e: &Expect,
    msg_type: u16,
    flags: u16,
) -> Result<Request, RequestError> {
    let Some(family) = family(e) else {
        return Ok(Request::no_family());
    };
    let ty = (u16::from(NFNL_SUBSYS_CTNETLINK_EXP) << 8) | msg_type;
    let mut b = MsgBuilder::reuse(buf, ty, flags);
    b.put_nfgenmsg(NfGenMsg {
        family,
        version: NFNETLINK_V0,
        res_id: 0,
    });
    b.attrs(|w| build(w, e));
    Request::finish(b, Built::Whole)
}

/// The request an expectation query sends (`nfexp_query`, `nfexp_send`,
/// `nfexp_build_query`), with sequence number 0 as the reference sends it.
///
/// Fails with `NotSupported` (`ENOTSUP`) for a query expectations do not
/// have, with `Invalid` (`EINVAL`) for data of the wrong kind for the
/// query, and with `NoMemory`. An expectation whose master and expected
/// tuples both lack a layer-3 protocol gives an empty request (see
/// [`expect_message_in`]).
pub fn expect_query(q: ExpQueryData<'_>) -> Result<Request, RequestError> {
    expect_query_in(Vec::new(), q)
}

/// [`expect_query`], built in `buf` (its content discarded, its allocation
/// reused).
pub fn expect_query_in(buf: Vec<u8>, q: ExpQueryData<'_>) -> Result<Request, RequestError> {
    use nf_conntrack_query::*;
    const ONE: u16 = NLM_F_REQUEST | NLM_F_ACK;
    let query = match q {
        ExpQueryData::Expect(query, _) | ExpQueryData::Family(query, _) => query,
    };
    let kind = data_kind(query).ok_or(RequestError::NotSupported)?;
    match (q, kind) {
        (ExpQueryData::Expect(query, e), ExpDataKind::Expect) => {
            let (ty, flags) = match query {
                NFCT_Q_CREATE => (msg::EXP_NEW, ONE | NLM_F_CREATE | NLM_F_EXCL),
                NFCT_Q_CREATE_UPDATE => (msg::EXP_NEW, ONE | NLM_F_CREATE),
                NFCT_Q_GET => (msg::EXP_GET, ONE),
                _ => (msg::EXP_DELETE, ONE),
            };
            expect_message_in(buf, e, u16::from(ty), flags)
        }
        (ExpQueryData::Family(query, family), ExpDataKind::Family) => {
            Request::fixed(buf, &family_query(query, family)?)
        }
        _ => Err(RequestError::Invalid),
    }
}

/// The whole request of a flush or dump of the expectations of one family
/// (no attributes): `NotSupported` for a query expectations do not have,
/// `Invalid` for one of another kind.
pub fn family_query(
    query: nf_conntrack_query,
    family: u8,
) -> Result<[u8; NLMSG_HDRLEN + NFGENMSG_LEN], RequestError> {
    use nf_conntrack_query::*;
    match data_kind(query) {
        Some(ExpDataKind::Family) => {}
        Some(_) => return Err(RequestError::Invalid),
        None => return Err(RequestError::NotSupported),
    }
    let (ty, flags) = match query {
        NFCT_Q_FLUSH => (msg::EXP_DELETE, NLM_F_ACK),
        _ => (msg::EXP_GET, NLM_F_DUMP),
    };
    Ok(family_request(NFNL_SUBSYS_CTNETLINK_EXP, ty, flags, family))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Conntrack;
    use crate::conntrack::Head;
    use crate::netlink::msg::Msg;
    use nf_conntrack_query::*;

    fn sample(l3: u8) -> Expect {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ATTR_ORIG_L3PROTO, l3);
        ct.set_u8(Attr::ATTR_ORIG_L4PROTO, 17);
        let mut e = Expect::new();
        e.set_tuple(ExpAttr::ATTR_EXP_EXPECTED, Head::of(ct.view()))
            .unwrap();
        e.set_uint(ExpAttr::ATTR_EXP_TIMEOUT, 9u32.to_ne_bytes())
            .unwrap();
        e
    }

    /// [`expect_message_in`] into a new buffer.
    fn expect_message(e: &Expect, msg_type: u16, flags: u16) -> Result<Request, RequestError> {
        expect_message_in(Vec::new(), e, msg_type, flags)
    }

    fn header(bytes: &[u8]) -> (u16, u16, u32, u8, usize) {
        let m = Msg::parse(bytes).unwrap();
        let nfg = m.nfgenmsg().unwrap();
        assert_eq!((nfg.version, nfg.res_id, m.pid()), (0, 0, 0));
        (m.ty(), m.flags(), m.seq(), nfg.family, m.len())
    }

    #[test]
    fn queries_on_one_expectation() {
        let e = sample(10);
        for (q, ty, flags) in [
            (NFCT_Q_CREATE, 0x200, 0x605),
            (NFCT_Q_CREATE_UPDATE, 0x200, 0x405),
            (NFCT_Q_GET, 0x201, 0x5),
            (NFCT_Q_DESTROY, 0x202, 0x5),
        ] {
            let bytes = expect_query(ExpQueryData::Expect(q, &e)).unwrap().bytes;
            let (t, f, seq, family, len) = header(&bytes);
            assert_eq!((t, f, seq, family), (ty, flags, 0, 10), "{q:?}");
            assert_eq!(len, bytes.len());
            assert!(len > 20);
        }
    }

    #[test]
    fn flush_and_dump() {
        let bytes = expect_query(ExpQueryData::Family(NFCT_Q_FLUSH, 2))
            .unwrap()
            .bytes;
        assert_eq!(header(&bytes), (0x202, 0x5, 0, 2, 20));
        let bytes = expect_query(ExpQueryData::Family(NFCT_Q_DUMP, 0))
            .unwrap()
            .bytes;
        assert_eq!(header(&bytes), (0x201, 0x301, 0, 0, 20));
    }

    #[test]
    fn unsupported_and_invalid_queries() {
        let e = sample(2);
        for q in [
            NFCT_Q_UPDATE,
            NFCT_Q_DUMP_RESET,
            NFCT_Q_DUMP_FILTER,
            NFCT_Q_DUMP_FILTER_RESET,
            NFCT_Q_FLUSH_FILTER,
        ] {
            assert_eq!(
                expect_query(ExpQueryData::Expect(q, &e)),
                Err(RequestError::NotSupported)
            );
            assert_eq!(
                expect_query(ExpQueryData::Family(q, 2)),
                Err(RequestError::NotSupported)
            );
        }
        assert_eq!(
            expect_query(ExpQueryData::Family(NFCT_Q_GET, 2)),
            Err(RequestError::Invalid)
        );
        assert_eq!(
            expect_query(ExpQueryData::Expect(NFCT_Q_DUMP, &e)),
            Err(RequestError::Invalid)
        );
        // Without a family: an empty request, which the query sends.
        assert_eq!(
            expect_query(ExpQueryData::Expect(NFCT_Q_GET, &Expect::new())),
            Ok(Request::no_family())
        );
    }

    #[test]
    fn the_family_is_the_masters_then_the_expected() {
        let mut e = sample(10);
        let mut master = Conntrack::new();
        master.set_u8(Attr::ATTR_ORIG_L3PROTO, 2);
        e.set_tuple(ExpAttr::ATTR_EXP_MASTER, Head::of(master.view()))
            .unwrap();
        let bytes = expect_message(&e, 0, 0).unwrap().bytes;
        assert_eq!(header(&bytes).3, 2);
        // The head's bit counts, not whether the tuple attribute is set.
        e.unset(ExpAttr::ATTR_EXP_MASTER);
        let bytes = expect_message(&e, 0, 0).unwrap().bytes;
        assert_eq!(header(&bytes).3, 2);
        // A type above 255 is or-ed in; the flags are taken as they are.
        let bytes = expect_message(&e, 0x0301, 0).unwrap().bytes;
        assert_eq!(header(&bytes).0, 0x0301);
        assert_eq!(header(&bytes).1, 0);
    }
}
