//! Queries to requests: the netlink message that each `NFCT_Q_*` sends, and
//! the message type (`NFCT_T_*`) of what the kernel sends back.

use super::attr::Attr;
use super::build::build;
use super::dump_filter::DumpFilter;
use super::object::{CtRef, ObjError, AF_UNSPEC};
use crate::api::{nf_conntrack_msg_type, nf_conntrack_query};
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK};
use crate::netlink::msg::{
    MsgBuilder, NfGenMsg, NFNETLINK_V0, NFNETLINK_V1, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP,
    NLM_F_EXCL, NLM_F_REQUEST,
};

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
    /// The object or filter cannot be expressed (e.g. no layer-3 protocol).
    Invalid,
    /// The combination is not supported (a tuple in a flush filter).
    NotSupported,
}

impl RequestError {
    /// The `errno` the C API reports.
    pub fn errno(self) -> i32 {
        match self {
            RequestError::Invalid => libc::EINVAL,
            RequestError::NotSupported => libc::ENOTSUP,
        }
    }
}

impl From<ObjError> for RequestError {
    fn from(_: ObjError) -> Self {
        RequestError::Invalid
    }
}

fn finish(b: MsgBuilder) -> Result<Vec<u8>, RequestError> {
    b.into_bytes().map_err(|_| RequestError::Invalid)
}

/// A conntrack request of `msg_type` with `flags`, describing `ct`
/// (`nfct_build_conntrack`). Its family is the original layer-3 protocol,
/// which must be set. `msg_type` is or-ed whole into the subsystem's type,
/// as the reference does.
pub fn conntrack_message(
    ct: CtRef<'_>,
    msg_type: u16,
    flags: u16,
) -> Result<Vec<u8>, RequestError> {
    if !ct.is_set(Attr::ATTR_ORIG_L3PROTO) {
        return Err(RequestError::Invalid);
    }
    let mut b = MsgBuilder::new(u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | msg_type, flags);
    b.put_nfgenmsg(NfGenMsg {
        family: ct.u8(Attr::ATTR_ORIG_L3PROTO),
        version: NFNETLINK_V0,
        res_id: 0,
    });
    build(&mut b.attrs(), ct)?;
    finish(b)
}

fn header(msg_type: u8, flags: u16, family: u8, version: u8) -> MsgBuilder {
    let nfg = NfGenMsg {
        family,
        version,
        res_id: 0,
    };
    MsgBuilder::nfnl(NFNL_SUBSYS_CTNETLINK, msg_type, NLM_F_REQUEST | flags, nfg)
}

/// The request a conntrack query sends (`nfct_query`, `nfct_send`,
/// `nfct_build_query`). Its sequence number is 0, as the reference sends it.
pub fn conntrack_query(q: QueryData<'_>) -> Result<Vec<u8>, RequestError> {
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
            conntrack_message(ct, ty.into(), flags)
        }
        QueryData::Family(query, family) => {
            let (ty, flags) = match query {
                NFCT_Q_FLUSH => (msg::CT_DELETE, NLM_F_ACK),
                NFCT_Q_DUMP => (msg::CT_GET, NLM_F_DUMP),
                NFCT_Q_DUMP_RESET => (msg::CT_GET_CTRZERO, NLM_F_DUMP),
                _ => return Err(RequestError::Invalid),
            };
            finish(header(ty, flags, family, NFNETLINK_V0))
        }
        QueryData::Filter(query, filter) => {
            let mut b = match query {
                NFCT_Q_DUMP_FILTER => header(msg::CT_GET, NLM_F_DUMP, AF_UNSPEC, NFNETLINK_V0),
                NFCT_Q_DUMP_FILTER_RESET => {
                    header(msg::CT_GET_CTRZERO, NLM_F_DUMP, AF_UNSPEC, NFNETLINK_V0)
                }
                NFCT_Q_FLUSH_FILTER => {
                    // A filtered flush takes no tuple.
                    if filter.has(crate::api::nfct_filter_dump_attr::NFCT_FILTER_DUMP_TUPLE) {
                        return Err(RequestError::NotSupported);
                    }
                    // The kernel reads the family of a filtered flush from the
                    // filter; version 1 tells it so.
                    header(msg::CT_DELETE, NLM_F_ACK, AF_UNSPEC, NFNETLINK_V1)
                }
                _ => return Err(RequestError::Invalid),
            };
            let family = filter.build(&mut b.attrs(), AF_UNSPEC)?;
            let mut bytes = finish(b)?;
            bytes[crate::netlink::msg::NLMSG_HDRLEN] = family;
            Ok(bytes)
        }
    }
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
