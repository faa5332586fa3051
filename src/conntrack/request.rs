//! Queries to requests: the netlink message that each `NFCT_Q_*` sends, and
//! the message type (`NFCT_T_*`) of what the kernel sends back.

use super::attr::Attr;
use super::build::build;
use super::dump_filter::DumpFilter;
use super::object::{CtRef, ObjError, AF_UNSPEC};
use crate::api::{nf_conntrack_msg_type, nf_conntrack_query};
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK};
use crate::netlink::msg::{
    family_request, MsgBuilder, NfGenMsg, NFGENMSG_LEN, NFNETLINK_V0, NFNETLINK_V1, NLMSG_HDRLEN,
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};
use crate::netlink::Errno;

/// What `data` points to for query `q` on conntracks (every query has a
/// kind; compare `expect::request::data_kind`).
pub fn data_kind(q: nf_conntrack_query) -> DataKind {
    use nf_conntrack_query::*;
    match q {
        NFCT_Q_CREATE | NFCT_Q_UPDATE | NFCT_Q_DESTROY | NFCT_Q_GET | NFCT_Q_CREATE_UPDATE => {
            DataKind::Conntrack
        }
        NFCT_Q_FLUSH | NFCT_Q_DUMP | NFCT_Q_DUMP_RESET => DataKind::Family,
        NFCT_Q_DUMP_FILTER | NFCT_Q_DUMP_FILTER_RESET | NFCT_Q_FLUSH_FILTER => DataKind::Filter,
    }
}

/// The kind of object a query's `data` argument points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    /// A `struct nf_conntrack`.
    Conntrack,
    /// A `uint32_t` address family.
    Family,
    /// A `struct nfct_filter_dump`.
    Filter,
}

/// A query with its data.
#[derive(Clone, Copy, Debug)]
pub enum QueryData<'a> {
    /// Create, update, delete, get, create-or-update one entry.
    Conntrack(nf_conntrack_query, CtRef<'a>),
    /// Flush or dump (with or without counter reset) one family.
    Family(nf_conntrack_query, u8),
    /// Dump or flush what a filter selects.
    Filter(nf_conntrack_query, &'a DumpFilter),
}

/// Why a request cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// The data cannot be expressed (a dump filter that does not build, data
    /// of the wrong kind for the query).
    Invalid,
    /// The combination is not supported (a tuple in a flush filter).
    NotSupported,
    /// The heap refused memory for the message.
    NoMemory,
}

impl RequestError {
    /// The `errno` the C API reports.
    pub fn errno(self) -> i32 {
        match self {
            RequestError::Invalid => libc::EINVAL,
            RequestError::NotSupported => libc::ENOTSUP,
            RequestError::NoMemory => libc::ENOMEM,
        }
    }
}

impl From<ObjError> for RequestError {
    fn from(_: ObjError) -> Self {
        RequestError::Invalid
    }
}

impl From<Errno> for RequestError {
    fn from(e: Errno) -> Self {
        match e.0 {
            libc::ENOMEM => RequestError::NoMemory,
            _ => RequestError::Invalid,
        }
    }
}

/// How far the builder of a request from an object got (the reference's
/// builder result, which its queries ignore: they send what was built).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Built {
    /// Every attribute was built.
    Whole,
    /// The object has no family to head the message with (no
    /// `ATTR_ORIG_L3PROTO`; for an expectation, neither tuple's): the
    /// request is empty, as the reference's zeroed buffer is, and a query
    /// sends a message of length 0.
    NoFamily,
    /// A tuple of a family other than IPv4 and IPv6 stopped the builder:
    /// the request ends with the attribute before it.
    Cut,
}

/// A request: the message to send, and how far its builder got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The message; empty when [`Built::NoFamily`].
    pub bytes: Vec<u8>,
    /// How far the builder got.
    pub built: Built,
}

impl Request {
    fn whole(bytes: Vec<u8>) -> Request {
        Request {
            bytes,
            built: Built::Whole,
        }
    }

    /// The request of an object without a family: nothing.
    pub fn no_family() -> Request {
        Request {
            bytes: Vec::new(),
            built: Built::NoFamily,
        }
    }

    /// A whole request of exactly `bytes`, in `buf`'s allocation.
    pub fn fixed(mut buf: Vec<u8>, bytes: &[u8]) -> Result<Request, RequestError> {
        buf.clear();
        buf.try_reserve(bytes.len())
            .map_err(|_| RequestError::NoMemory)?;
        buf.extend_from_slice(bytes);
        Ok(Request::whole(buf))
    }

    /// The message of `b`, built as far as `built` says.
    pub fn finish(b: MsgBuilder, built: Built) -> Result<Request, RequestError> {
        Ok(Request {
            bytes: b.into_bytes()?,
            built,
        })
    }
}

fn finish(b: MsgBuilder) -> Result<Vec<u8>, RequestError> {
    Ok(b.into_bytes()?)
}

/// A conntrack request of `msg_type` with `flags`, describing `ct`
/// (`nfct_build_conntrack`, and the queries on one entry). Its family is
/// the original layer-3 protocol; without one the request is empty
/// ([`Built::NoFamily`]). A tuple that does not build cuts the request
/// there ([`Built::Cut`]). `msg_type` is or-ed whole into the subsystem's
/// type, as the reference does. Fails only when memory runs out. Built in
/// `buf` (its content discarded, its allocation reused).
pub fn conntrack_message_in(
    buf: Vec<u8>,
    ct: CtRef<'_>,
    msg_type: u16,
    flags: u16,
) -> Result<Request, RequestError> {
    if !ct.is_set(Attr::ATTR_ORIG_L3PROTO) {
        return Ok(Request::no_family());
    }
    let ty = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | msg_type;
    let mut b = MsgBuilder::reuse(buf, ty, flags);
    b.put_nfgenmsg(NfGenMsg {
        family: ct.u8(Attr::ATTR_ORIG_L3PROTO),
        version: NFNETLINK_V0,
        res_id: 0,
    });
    let built = match b.attrs(|w| build(w, ct)) {
        Ok(()) => Built::Whole,
        Err(_) => Built::Cut,
    };
    Request::finish(b, built)
}

fn header(buf: Vec<u8>, msg_type: u8, flags: u16, family: u8, version: u8) -> MsgBuilder {
    let nfg = NfGenMsg {
        family,
        version,
        res_id: 0,
    };
    MsgBuilder::nfnl_in(
        buf,
        NFNL_SUBSYS_CTNETLINK,
        msg_type,
        NLM_F_REQUEST | flags,
        nfg,
    )
}

/// The request a conntrack query sends (`nfct_query`, `nfct_send`,
/// `nfct_build_query`). Its sequence number is 0, as the reference sends it.
/// A query on one entry is built as [`conntrack_message_in`] builds it, whole
/// or not.
pub fn conntrack_query(q: QueryData<'_>) -> Result<Request, RequestError> {
    conntrack_query_in(Vec::new(), q)
}

/// [`conntrack_query`], built in `buf` (its content discarded, its
/// allocation reused).
pub fn conntrack_query_in(buf: Vec<u8>, q: QueryData<'_>) -> Result<Request, RequestError> {
    use nf_conntrack_query::*;
    const ONE: u16 = NLM_F_REQUEST | NLM_F_ACK;
    match q {
        QueryData::Conntrack(query, ct) => {
            let (ty, flags) = match query {
                NFCT_Q_CREATE => (msg::CT_NEW, ONE | NLM_F_CREATE | NLM_F_EXCL),
                NFCT_Q_UPDATE => (msg::CT_NEW, ONE),
                NFCT_Q_DESTROY => (msg::CT_DELETE, ONE),
                NFCT_Q_GET => (msg::CT_GET, ONE),
                NFCT_Q_CREATE_UPDATE => (msg::CT_NEW, ONE | NLM_F_CREATE),
                _ => return Err(RequestError::Invalid),
            };
            conntrack_message_in(buf, ct, ty.into(), flags)
        }
        QueryData::Family(query, family) => Request::fixed(buf, &family_query(query, family)?),
        QueryData::Filter(query, filter) => {
            let mut b = match query {
                NFCT_Q_DUMP_FILTER => header(buf, msg::CT_GET, NLM_F_DUMP, AF_UNSPEC, NFNETLINK_V0),
                NFCT_Q_DUMP_FILTER_RESET => header(
                    buf,
                    msg::CT_GET_CTRZERO,
                    NLM_F_DUMP,
                    AF_UNSPEC,
                    NFNETLINK_V0,
                ),
                NFCT_Q_FLUSH_FILTER => {
                    // A filtered flush takes no tuple.
                    if filter.has(crate::api::nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE) {
                        return Err(RequestError::NotSupported);
                    }
                    // The kernel reads the family of a filtered flush from the
                    // filter; version 1 tells it so.
                    header(buf, msg::CT_DELETE, NLM_F_ACK, AF_UNSPEC, NFNETLINK_V1)
                }
                _ => return Err(RequestError::Invalid),
            };
            let family = b.attrs(|w| filter.build(w, AF_UNSPEC))?;
            let mut bytes = finish(b)?;
            bytes[crate::netlink::msg::NLMSG_HDRLEN] = family;
            Ok(Request::whole(bytes))
        }
    }
}

/// The whole request of a flush or dump of one family (no attributes):
/// `Invalid` for a query of another kind.
pub fn family_query(
    query: nf_conntrack_query,
    family: u8,
) -> Result<[u8; NLMSG_HDRLEN + NFGENMSG_LEN], RequestError> {
    use nf_conntrack_query::*;
    let (ty, flags) = match query {
        NFCT_Q_FLUSH => (msg::CT_DELETE, NLM_F_ACK),
        NFCT_Q_DUMP => (msg::CT_GET, NLM_F_DUMP),
        NFCT_Q_DUMP_RESET => (msg::CT_GET_CTRZERO, NLM_F_DUMP),
        _ => return Err(RequestError::Invalid),
    };
    Ok(family_request(NFNL_SUBSYS_CTNETLINK, ty, flags, family))
}

/// What kind of event or reply a conntrack or expectation message is:
/// `NFCT_T_NEW` for a new-message that creates, `NFCT_T_UPDATE` for one that
/// does not, `NFCT_T_DESTROY` for a delete-message.
pub fn message_kind(nlmsg_type: u16, flags: u16) -> nf_conntrack_msg_type {
    use nf_conntrack_msg_type::*;
    match (nlmsg_type & 0xff) as u8 {
        msg::CT_NEW if flags & (NLM_F_CREATE | NLM_F_EXCL) != 0 => NFCT_T_NEW,
        msg::CT_NEW => NFCT_T_UPDATE,
        msg::CT_DELETE => NFCT_T_DESTROY,
        _ => NFCT_T_UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Conntrack;
    use crate::ctnetlink::cta;
    use crate::netlink::msg::Msg;
    use nf_conntrack_query::*;
    use Attr::*;

    /// UDP 10.0.0.1:1000 -> 10.0.0.2:53, timeout 100, mark 7.
    fn udp() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(ATTR_ORIG_L3PROTO, libc::AF_INET as u8);
        ct.set_u32(ATTR_ORIG_IPV4_SRC, u32::from_ne_bytes([10, 0, 0, 1]));
        ct.set_u32(ATTR_ORIG_IPV4_DST, u32::from_ne_bytes([10, 0, 0, 2]));
        ct.set_u8(ATTR_ORIG_L4PROTO, libc::IPPROTO_UDP as u8);
        ct.set_u16(ATTR_ORIG_PORT_SRC, 1000u16.to_be());
        ct.set_u16(ATTR_ORIG_PORT_DST, 53u16.to_be());
        ct.set_u32(ATTR_TIMEOUT, 100);
        ct.set_u32(ATTR_MARK, 7);
        ct
    }

    /// The types of the top-level attributes of a request, and its family.
    fn shape(req: &Request) -> (u8, Vec<u16>) {
        let m = Msg::parse(&req.bytes).unwrap();
        assert_eq!(m.len(), req.bytes.len());
        let family = m.nfgenmsg().unwrap().family;
        (family, m.attrs().unwrap().map(|a| a.unwrap().ty).collect())
    }

    fn destroy(ct: &Conntrack) -> Request {
        conntrack_query(QueryData::Conntrack(NFCT_Q_DESTROY, ct.view())).unwrap()
    }

    #[test]
    fn whole_objects_build_whole() {
        let r = destroy(&udp());
        assert_eq!(r.built, Built::Whole);
        assert_eq!(
            shape(&r),
            (
                libc::AF_INET as u8,
                vec![cta::TUPLE_ORIG, cta::TIMEOUT, cta::MARK]
            )
        );
    }

    /// Without a layer-3 protocol the request is empty, whatever else is set.
    #[test]
    fn no_family_gives_an_empty_request() {
        assert_eq!(destroy(&Conntrack::new()), Request::no_family());
        let mut ct = udp();
        ct.unset(ATTR_ORIG_L3PROTO);
        ct.set_u8(ATTR_REPL_L3PROTO, libc::AF_INET as u8);
        for q in [
            NFCT_Q_CREATE,
            NFCT_Q_UPDATE,
            NFCT_Q_DESTROY,
            NFCT_Q_GET,
            NFCT_Q_CREATE_UPDATE,
        ] {
            let r = conntrack_query(QueryData::Conntrack(q, ct.view())).unwrap();
            assert_eq!(r, Request::no_family(), "{q:?}");
        }
    }

    /// Reply addresses without `ATTR_REPL_L3PROTO` (what a real ctypes
    /// client sends): the request stops before the reply tuple, so the
    /// kernel gets the original tuple alone, and nothing after it.
    #[test]
    fn a_reply_tuple_without_family_cuts_the_request() {
        let mut ct = udp();
        ct.set_u32(ATTR_REPL_IPV4_SRC, u32::from_ne_bytes([10, 0, 0, 2]));
        ct.set_u32(ATTR_REPL_IPV4_DST, u32::from_ne_bytes([10, 0, 0, 1]));
        let r = destroy(&ct);
        assert_eq!(r.built, Built::Cut);
        assert_eq!(shape(&r), (libc::AF_INET as u8, vec![cta::TUPLE_ORIG]));
        // With its family the reply tuple builds, and the rest follows.
        ct.set_u8(ATTR_REPL_L3PROTO, libc::AF_INET as u8);
        let r = destroy(&ct);
        assert_eq!(r.built, Built::Whole);
        assert_eq!(
            shape(&r).1,
            [cta::TUPLE_ORIG, cta::TUPLE_REPLY, cta::TIMEOUT, cta::MARK]
        );
    }

    /// An original tuple of a family other than IPv4 or IPv6 leaves the
    /// header alone, with that family.
    #[test]
    fn an_unknown_family_leaves_the_header() {
        let mut ct = udp();
        ct.set_u8(ATTR_ORIG_L3PROTO, 7);
        let r = destroy(&ct);
        assert_eq!(r.built, Built::Cut);
        assert_eq!(shape(&r), (7, vec![]));
    }

    /// A master tuple that does not build is left out; the rest is built.
    #[test]
    fn a_bad_master_tuple_is_skipped() {
        let mut ct = udp();
        ct.set_u16(ATTR_MASTER_PORT_SRC, 21u16.to_be());
        let r = destroy(&ct);
        assert_eq!(r.built, Built::Whole);
        assert_eq!(shape(&r).1, [cta::TUPLE_ORIG, cta::TIMEOUT, cta::MARK]);
    }
}
