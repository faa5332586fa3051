//! Netlink messages: building a request and reading what the kernel sent.
//!
//! Layout of one nfnetlink message (all header fields in host byte order,
//! except `res_id`):
//!
//! ```text
//! nlmsghdr  u32 len | u16 type | u16 flags | u32 seq | u32 pid     16 bytes
//! nfgenmsg  u8 family | u8 version | be16 res_id                   4 bytes
//! attributes (see attr.rs), each padded to 4 bytes
//! ```
//!
//! The nfnetlink `type` is `subsystem << 8 | message type`. Messages in one
//! receive buffer follow each other at 4-byte aligned offsets.

use super::attr::{align, AttrWriter, Attrs, Malformed};
use super::Errno;

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Size of `struct nfgenmsg`.
pub const NFGENMSG_LEN: usize = 4;
/// Size of `struct nlmsgerr` (an errno and the offending request's header).
pub const NLMSGERR_LEN: usize = 4 + NLMSG_HDRLEN;

// Message flags: `nlmsg_flags`.
/// A request (every message to the kernel carries it).
pub const NLM_F_REQUEST: u16 = 0x01;
/// Part of a multi-part reply, which `NLMSG_DONE` ends.
pub const NLM_F_MULTI: u16 = 0x02;
/// Ask for an acknowledgement (an `NLMSG_ERROR` with error 0) on success.
pub const NLM_F_ACK: u16 = 0x04;
/// Echo the request back (as the resulting event).
pub const NLM_F_ECHO: u16 = 0x08;
/// The dump was inconsistent: the table changed while it was being dumped.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// The dump was filtered as asked.
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// GET modifier: the whole table.
pub const NLM_F_ROOT: u16 = 0x100;
/// GET modifier: every matching entry.
pub const NLM_F_MATCH: u16 = 0x200;
/// GET modifier: atomic snapshot.
pub const NLM_F_ATOMIC: u16 = 0x400;
/// GET modifier: a dump (`NLM_F_ROOT | NLM_F_MATCH`).
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// NEW modifier: replace an existing object.
pub const NLM_F_REPLACE: u16 = 0x100;
/// NEW modifier: fail if the object exists.
pub const NLM_F_EXCL: u16 = 0x200;
/// NEW modifier: create the object if it does not exist.
pub const NLM_F_CREATE: u16 = 0x400;
/// NEW modifier: append to the end of a list.
pub const NLM_F_APPEND: u16 = 0x800;
/// Flag of an `NLMSG_ERROR`: the echoed request was cut to its header.
pub const NLM_F_CAPPED: u16 = 0x100;
/// Flag of an `NLMSG_ERROR`: extended-ack attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

// Control message types (below `NLMSG_MIN_TYPE`).
/// Nothing: to be skipped.
pub const NLMSG_NOOP: u16 = 0x1;
/// An error or (with error 0) an acknowledgement.
pub const NLMSG_ERROR: u16 = 0x2;
/// End of a multi-part reply (a dump).
pub const NLMSG_DONE: u16 = 0x3;
/// Data lost.
pub const NLMSG_OVERRUN: u16 = 0x4;
/// Types below this are control messages.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

// nfnetlink.
/// Version 0 of nfnetlink (`nfgenmsg.version`).
pub const NFNETLINK_V0: u8 = 0;
/// Version 1 of nfnetlink: the kernel reads a flush request's filter.
pub const NFNETLINK_V1: u8 = 1;
// Subsystems, message types and multicast groups of ctnetlink are in
// crate::ctnetlink: this layer knows nothing about conntrack.

/// The bind() mask bit of multicast group `group` (1..=32), 0 otherwise.
pub const fn group_mask(group: u32) -> u32 {
    match group {
        1..=32 => 1 << (group - 1),
        _ => 0,
    }
}

/// The nfnetlink message type: `subsys << 8 | msg_type`.
pub const fn nfnl_type(subsys: u8, msg_type: u8) -> u16 {
    (subsys as u16) << 8 | msg_type as u16
}

/// The nfnetlink header (`struct nfgenmsg`), with `res_id` in host order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NfGenMsg {
    /// Address family (`AF_INET`, `AF_INET6`, `AF_UNSPEC`, ...).
    pub family: u8,
    /// nfnetlink version (`NFNETLINK_V0`, or `NFNETLINK_V1` for a filtered flush).
    pub version: u8,
    /// Resource id (a queue number, a CPU, ...); big-endian on the wire.
    pub res_id: u16,
}

/// A netlink header of a message of `len` bytes, type `ty`, `flags`,
/// sequence number and port id 0.
#[inline(always)]
fn header(len: usize, ty: u16, flags: u16) -> [u8; NLMSG_HDRLEN] {
    let mut h = [0u8; NLMSG_HDRLEN];
    h[..4].copy_from_slice(&(len as u32).to_ne_bytes());
    h[4..6].copy_from_slice(&ty.to_ne_bytes());
    h[6..8].copy_from_slice(&flags.to_ne_bytes());
    h
}

/// The whole of an nfnetlink message without attributes (a dump or flush
/// request): header of type `subsys << 8 | msg_type` and the `nfgenmsg`.
/// Sequence number and port id 0.
#[inline]
pub fn nfnl_message(
    subsys: u8,
    msg_type: u8,
    flags: u16,
    nfg: NfGenMsg,
) -> [u8; NLMSG_HDRLEN + NFGENMSG_LEN] {
    let mut m = [0u8; NLMSG_HDRLEN + NFGENMSG_LEN];
    let len = NLMSG_HDRLEN + NFGENMSG_LEN;
    m[..NLMSG_HDRLEN].copy_from_slice(&header(len, nfnl_type(subsys, msg_type), flags));
    let [r0, r1] = nfg.res_id.to_be_bytes();
    m[NLMSG_HDRLEN..].copy_from_slice(&[nfg.family, nfg.version, r0, r1]);
    m
}

/// [`nfnl_message`] of a request (`NLM_F_REQUEST` added to `flags`) for
/// `family`, `nfgenmsg` version 0: a flush or dump of one family.
#[inline]
pub fn family_request(
    subsys: u8,
    msg_type: u8,
    flags: u16,
    family: u8,
) -> [u8; NLMSG_HDRLEN + NFGENMSG_LEN] {
    let nfg = NfGenMsg {
        family,
        version: NFNETLINK_V0,
        res_id: 0,
    };
    nfnl_message(subsys, msg_type, NLM_F_REQUEST | flags, nfg)
}

/// A netlink request being built in a byte vector: header, optional
/// `nfgenmsg`, then attributes. `nlmsg_len` is set by [`MsgBuilder::finish`].
///
/// The sequence number is left 0 (and the port id is always 0: the kernel
/// fills in the sender): [`super::session::Session::send`] stamps the
/// sequence number when it sends.
///
/// Building never aborts when memory runs out: what cannot be written is
/// dropped, and [`MsgBuilder::finish`] then fails with `ENOMEM`.
#[derive(Clone, Debug)]
pub struct MsgBuilder {
    buf: Vec<u8>,
    oom: bool,
}

impl MsgBuilder {
    /// A plain netlink message of type `ty` with `flags`.
    pub fn new(ty: u16, flags: u16) -> MsgBuilder {
        MsgBuilder::reuse(Vec::new(), ty, flags)
    }

    /// Like [`MsgBuilder::new`], reusing `buf`'s allocation (its content is
    /// discarded).
    pub fn reuse(buf: Vec<u8>, ty: u16, flags: u16) -> MsgBuilder {
        MsgBuilder::start(buf, &header(NLMSG_HDRLEN, ty, flags))
    }

    /// A message starting with `bytes` (a header, and maybe more), in
    /// `buf`'s allocation (its content discarded).
    #[inline(always)]
    fn start(mut buf: Vec<u8>, bytes: &[u8]) -> MsgBuilder {
        buf.clear();
        // Room for a small request at once; more is reserved as it grows.
        let oom = buf.try_reserve(256).is_err();
        let mut b = MsgBuilder { buf, oom };
        b.put_bytes(bytes);
        b
    }

    /// Appends `bytes` if the heap gives room for them (and for padding).
    /// Given as one slice, whose size is usually a constant: the copy is
    /// then a few moves.
    #[inline]
    fn put_bytes(&mut self, bytes: &[u8]) {
        if self.oom || self.buf.try_reserve(bytes.len() + 3).is_err() {
            self.oom = true;
            return;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// An nfnetlink request: header of type `subsys << 8 | msg_type`, then
    /// the `nfgenmsg`.
    pub fn nfnl(subsys: u8, msg_type: u8, flags: u16, nfg: NfGenMsg) -> MsgBuilder {
        MsgBuilder::nfnl_in(Vec::new(), subsys, msg_type, flags, nfg)
    }

    /// [`MsgBuilder::nfnl`], reusing `buf`'s allocation.
    pub fn nfnl_in(
        buf: Vec<u8>,
        subsys: u8,
        msg_type: u8,
        flags: u16,
        nfg: NfGenMsg,
    ) -> MsgBuilder {
        MsgBuilder::start(buf, &nfnl_message(subsys, msg_type, flags, nfg))
    }

    /// Appends an `nfgenmsg` (right after the header, before any attribute).
    pub fn put_nfgenmsg(&mut self, nfg: NfGenMsg) {
        let [r0, r1] = nfg.res_id.to_be_bytes();
        self.put_bytes(&[nfg.family, nfg.version, r0, r1]);
    }

    /// Appends raw bytes (an extra header), padded to 4 bytes.
    pub fn put_extra(&mut self, bytes: &[u8]) {
        self.put_bytes(bytes);
        if !self.oom {
            self.buf.resize(align(self.buf.len()), 0);
        }
    }

    /// Appends attributes at the end of the message with the writer that
    /// `f` gets; returns what `f` returns.
    pub fn attrs<R>(&mut self, f: impl FnOnce(&mut AttrWriter<'_>) -> R) -> R {
        if self.oom {
            // Nothing more can be written: a writer on an empty buffer,
            // whose output is dropped, keeps `f`'s view consistent.
            let mut none = Vec::new();
            return f(&mut AttrWriter::new(&mut none));
        }
        let mut w = AttrWriter::new(&mut self.buf);
        let r = f(&mut w);
        self.oom = w.out_of_memory();
        r
    }

    /// Whether a write was dropped because memory ran out.
    pub fn out_of_memory(&self) -> bool {
        self.oom
    }

    /// The message's flags (0 when memory ran out before the header).
    pub fn flags(&self) -> u16 {
        self.buf
            .get(6..8)
            .map_or(0, |b| u16::from_ne_bytes([b[0], b[1]]))
    }

    /// Replaces the message's flags.
    pub fn set_flags(&mut self, flags: u16) {
        if let Some(b) = self.buf.get_mut(6..8) {
            b.copy_from_slice(&flags.to_ne_bytes());
        }
    }

    /// Sets the sequence number (normally left to the session).
    pub fn set_seq(&mut self, seq: u32) {
        if self.buf.len() >= NLMSG_HDRLEN {
            set_seq(&mut self.buf, seq);
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Never true: a message has at least its header.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Sets `nlmsg_len` and returns the finished message. Fails with
    /// `ENOMEM` if memory ran out while it was built, `EMSGSIZE` if it is
    /// longer than `nlmsg_len` can say.
    pub fn finish(&mut self) -> Result<&mut [u8], Errno> {
        if self.oom {
            return Err(Errno(libc::ENOMEM));
        }
        let len = u32::try_from(self.buf.len()).map_err(|_| Errno(libc::EMSGSIZE))?;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        Ok(&mut self.buf)
    }

    /// Finishes the message and returns its bytes (errors as
    /// [`MsgBuilder::finish`]).
    pub fn into_bytes(mut self) -> Result<Vec<u8>, Errno> {
        self.finish()?;
        Ok(self.buf)
    }
}

/// Writes `seq` into the header of the message at the start of `buf`
/// (which must hold at least a header).
pub fn set_seq(buf: &mut [u8], seq: u32) {
    buf[8..12].copy_from_slice(&seq.to_ne_bytes());
}

#[inline]
fn ne_u16(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}

#[inline]
fn ne_u32(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// One netlink message inside a buffer, already checked: its header is
/// complete and `nlmsg_len` covers exactly [`Msg::as_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg<'a> {
    bytes: &'a [u8],
}

impl<'a> Msg<'a> {
    /// The message at the start of `buf`: its `nlmsg_len` must be at least a
    /// header and at most `buf.len()`.
    pub fn parse(buf: &'a [u8]) -> Result<Msg<'a>, Malformed> {
        if buf.len() < NLMSG_HDRLEN {
            return Err(Malformed);
        }
        let len = ne_u32(buf, 0) as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            return Err(Malformed);
        }
        Ok(Msg { bytes: &buf[..len] })
    }

    /// The whole message: header, payload (no trailing padding).
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// `nlmsg_len`.
    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Never true: a message has at least its header.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// `nlmsg_type`.
    #[inline]
    pub fn ty(&self) -> u16 {
        ne_u16(self.bytes, 4)
    }

    /// `nlmsg_flags`.
    #[inline]
    pub fn flags(&self) -> u16 {
        ne_u16(self.bytes, 6)
    }

    /// `nlmsg_seq`.
    #[inline]
    pub fn seq(&self) -> u32 {
        ne_u32(self.bytes, 8)
    }

    /// `nlmsg_pid`: for a reply, the requester's port id; for an event, the
    /// port id of whoever caused it (0 for the kernel itself).
    #[inline]
    pub fn pid(&self) -> u32 {
        ne_u32(self.bytes, 12)
    }

    /// The nfnetlink subsystem: the high byte of the type.
    #[inline]
    pub fn subsys(&self) -> u8 {
        (self.ty() >> 8) as u8
    }

    /// The nfnetlink message type: the low byte of the type.
    #[inline]
    pub fn msg_type(&self) -> u8 {
        self.ty() as u8
    }

    /// Whether this is a control message (`NLMSG_ERROR`, `NLMSG_DONE`, ...).
    #[inline]
    pub fn is_control(&self) -> bool {
        self.ty() < NLMSG_MIN_TYPE
    }

    /// Everything after the netlink header.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        &self.bytes[NLMSG_HDRLEN..]
    }

    /// The `nfgenmsg` at the start of the payload and the bytes of the
    /// attributes after it; the message must hold a whole `nfgenmsg`. (The
    /// one place where a message is split so.)
    pub fn split_nfgenmsg(&self) -> Result<(NfGenMsg, &'a [u8]), Malformed> {
        let p = self.payload();
        match (p, p.get(align(NFGENMSG_LEN)..)) {
            ([family, version, r0, r1, ..], Some(attrs)) => Ok((
                NfGenMsg {
                    family: *family,
                    version: *version,
                    res_id: u16::from_be_bytes([*r0, *r1]),
                },
                attrs,
            )),
            _ => Err(Malformed),
        }
    }

    /// The `nfgenmsg` at the start of the payload.
    pub fn nfgenmsg(&self) -> Result<NfGenMsg, Malformed> {
        self.split_nfgenmsg().map(|(nfg, _)| nfg)
    }

    /// The attributes after the `nfgenmsg`; the message must hold a whole
    /// `nfgenmsg`.
    pub fn attrs(&self) -> Result<Attrs<'a>, Malformed> {
        self.split_nfgenmsg().map(|(_, attrs)| Attrs::new(attrs))
    }

    /// For an `NLMSG_ERROR`: 0 for an acknowledgement, else the (positive)
    /// errno the kernel reported. The payload must hold the error code; a
    /// code that is no errno (`0 < |code| < 4096`) is malformed.
    pub fn error_code(&self) -> Result<i32, Malformed> {
        let p = self.payload();
        if p.len() < 4 {
            return Err(Malformed);
        }
        errno_of(i32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
    }

    /// For an `NLMSG_DONE`: the status the kernel put after the header (0 or
    /// a positive errno when the dump failed); 0 when there is none.
    pub fn done_code(&self) -> Result<i32, Malformed> {
        let p = self.payload();
        if p.len() < 4 {
            return Ok(0);
        }
        errno_of(i32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
    }
}

/// The errno of a kernel status: negative errnos (the kernel's way) and
/// positive ones (some subsystems') both count.
fn errno_of(code: i32) -> Result<i32, Malformed> {
    const MAX_ERRNO: u32 = 4095;
    match code.unsigned_abs() {
        0 => Ok(0),
        e if e <= MAX_ERRNO => Ok(e as i32),
        _ => Err(Malformed),
    }
}

/// Iterates the messages of a receive buffer. A message whose `nlmsg_len` is
/// shorter than a header or runs past the buffer, or trailing bytes too
/// short for a header, end the iteration with one `Err(Malformed)`: nothing
/// past the buffer is ever read.
#[derive(Clone, Debug)]
pub struct Msgs<'a> {
    rest: &'a [u8],
}

impl<'a> Msgs<'a> {
    /// The messages in `buf`.
    pub fn new(buf: &'a [u8]) -> Msgs<'a> {
        Msgs { rest: buf }
    }

    /// The bytes not yet iterated.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }
}

impl<'a> Iterator for Msgs<'a> {
    type Item = Result<Msg<'a>, Malformed>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Msg::parse(self.rest) {
            Ok(m) => {
                self.rest = self.rest.get(align(m.len())..).unwrap_or(&[]);
                Some(Ok(m))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::frame::PutAttr;
    use super::*;
    use crate::ctnetlink::group::{CONNTRACK_DESTROY, CONNTRACK_NEW, EXP_DESTROY};
    use crate::ctnetlink::msg::CT_NEW as IPCTNL_MSG_CT_NEW;
    use crate::ctnetlink::NFNL_SUBSYS_CTNETLINK;

    /// A message with `ty`, `flags`, `seq`, `pid` and `payload` (test helper).
    pub(crate) fn raw(ty: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((NLMSG_HDRLEN + payload.len()) as u32).to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&pid.to_ne_bytes());
        v.extend_from_slice(payload);
        v.resize(align(v.len()), 0);
        v
    }

    /// An `NLMSG_ERROR` carrying `code` and a copy of a request header.
    pub(crate) fn error(code: i32, seq: u32, pid: u32) -> Vec<u8> {
        let mut p = code.to_ne_bytes().to_vec();
        p.extend_from_slice(&raw(nfnl_type(1, 0), NLM_F_REQUEST, seq, 0, &[])[..NLMSG_HDRLEN]);
        raw(NLMSG_ERROR, 0, seq, pid, &p)
    }

    #[test]
    fn build_request() {
        let nfg = NfGenMsg {
            family: libc::AF_INET as u8,
            version: NFNETLINK_V0,
            res_id: 0x1234,
        };
        let mut b = MsgBuilder::nfnl(
            NFNL_SUBSYS_CTNETLINK,
            IPCTNL_MSG_CT_NEW,
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
            nfg,
        );
        b.attrs(|w| {
            w.put_be32(7, 120);
            w.put_u8(9, 1);
        });
        b.set_seq(42);
        let bytes = b.finish().unwrap().to_vec();
        assert_eq!(bytes.len(), 16 + 4 + 8 + 8);
        assert_eq!(
            u32::from_ne_bytes(bytes[0..4].try_into().unwrap()) as usize,
            bytes.len()
        );
        assert_eq!(u16::from_ne_bytes([bytes[4], bytes[5]]), 0x0100);
        assert_eq!(u16::from_ne_bytes([bytes[6], bytes[7]]), 0x0605);
        assert_eq!(&bytes[16..20], &[2, 0, 0x12, 0x34]);

        let m = Msg::parse(&bytes).unwrap();
        assert_eq!(m.len(), bytes.len());
        assert_eq!(
            (m.subsys(), m.msg_type()),
            (NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW)
        );
        assert_eq!(
            m.flags(),
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK
        );
        assert_eq!((m.seq(), m.pid()), (42, 0));
        assert_eq!(m.nfgenmsg(), Ok(nfg));
        assert_eq!(m.split_nfgenmsg(), Ok((nfg, &bytes[20..])));
        assert!(!m.is_control());
        let attrs: Vec<_> = m.attrs().unwrap().map(Result::unwrap).collect();
        assert_eq!(attrs.len(), 2);
        assert_eq!((attrs[0].ty, attrs[0].be32()), (7, Ok(120)));
        assert_eq!((attrs[1].ty, attrs[1].u8()), (9, Ok(1)));
    }

    #[test]
    fn builder_reuse_and_flags() {
        let mut b = MsgBuilder::new(NLMSG_NOOP, NLM_F_REQUEST);
        b.put_extra(&[1, 2, 3]);
        assert_eq!(b.len(), 20);
        b.set_flags(NLM_F_REQUEST | NLM_F_DUMP);
        assert_eq!(b.flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let v = b.into_bytes().unwrap();
        let b = MsgBuilder::reuse(v, nfnl_type(2, 1), 0);
        assert_eq!(b.len(), NLMSG_HDRLEN);
        assert_eq!(b.flags(), 0);
    }

    #[test]
    fn iterate_messages() {
        let mut buf = raw(
            nfnl_type(1, 0),
            NLM_F_MULTI,
            7,
            99,
            &[2, 0, 0, 0, 5, 0, 1, 0, 9],
        );
        buf.extend(raw(NLMSG_DONE, NLM_F_MULTI, 7, 99, &0i32.to_ne_bytes()));
        let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].len(), 16 + 9);
        assert_eq!(
            msgs[0].attrs().unwrap().next().unwrap().unwrap().u8(),
            Ok(9)
        );
        assert_eq!(msgs[1].ty(), NLMSG_DONE);
        assert_eq!(msgs[1].done_code(), Ok(0));
        // A message without an nfgenmsg has no attributes to read.
        let short = raw(nfnl_type(1, 0), 0, 0, 0, &[2, 0]);
        let m = Msg::parse(&short).unwrap();
        assert_eq!(m.nfgenmsg(), Err(Malformed));
        assert!(m.attrs().is_err());
        assert_eq!(m.split_nfgenmsg(), Err(Malformed));
        // Just an nfgenmsg: no attributes.
        let bare = raw(nfnl_type(1, 0), 0, 0, 0, &[10, 0, 0, 0]);
        let (nfg, attrs) = Msg::parse(&bare).unwrap().split_nfgenmsg().unwrap();
        assert_eq!((nfg.family, attrs), (10, &[][..]));
    }

    #[test]
    fn lying_lengths_end_iteration() {
        let good = raw(nfnl_type(1, 2), 0, 1, 0, &[2, 0, 0, 0]);
        // nlmsg_len past the end of the buffer.
        let mut buf = good.clone();
        let mut bad = raw(nfnl_type(1, 2), 0, 1, 0, &[2, 0, 0, 0]);
        bad[0..4].copy_from_slice(&1000u32.to_ne_bytes());
        buf.extend(&bad);
        let mut it = Msgs::new(&buf);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(it.next(), Some(Err(Malformed)));
        assert_eq!(it.next(), None);
        // nlmsg_len shorter than a header (would loop forever if trusted).
        let mut zero = good.clone();
        zero[0..4].copy_from_slice(&0u32.to_ne_bytes());
        assert_eq!(Msgs::new(&zero).collect::<Vec<_>>(), vec![Err(Malformed)]);
        // A truncated header.
        assert_eq!(
            Msgs::new(&good[..10]).collect::<Vec<_>>(),
            vec![Err(Malformed)]
        );
        // Trailing bytes after a good message.
        let mut tail = good.clone();
        tail.extend([0u8; 4]);
        let v: Vec<_> = Msgs::new(&tail).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1], Err(Malformed));
        // Every prefix of a valid buffer is handled without panicking.
        let mut two = good.clone();
        two.extend(error(-libc::EEXIST, 1, 0));
        for cut in 0..=two.len() {
            for m in Msgs::new(&two[..cut]).flatten() {
                let _ = (m.attrs().map(|a| a.count()), m.error_code(), m.done_code());
            }
        }
        // An unaligned final message without its padding is still whole.
        let odd = raw(nfnl_type(1, 0), 0, 0, 0, &[2, 0, 0, 0, 1]);
        assert_eq!(Msgs::new(&odd[..21]).count(), 1);
    }

    #[test]
    fn decode_errors() {
        let ack = error(0, 5, 1);
        assert_eq!(Msg::parse(&ack).unwrap().error_code(), Ok(0));
        let e = error(-libc::ENOENT, 5, 1);
        assert_eq!(Msg::parse(&e).unwrap().error_code(), Ok(libc::ENOENT));
        // Positive codes count too (libmnl accepts both signs).
        let e = error(libc::EEXIST, 5, 1);
        assert_eq!(Msg::parse(&e).unwrap().error_code(), Ok(libc::EEXIST));
        // Out-of-range codes and a missing code are malformed.
        let e = error(i32::MIN, 5, 1);
        assert_eq!(Msg::parse(&e).unwrap().error_code(), Err(Malformed));
        let e = error(-5000, 5, 1);
        assert_eq!(Msg::parse(&e).unwrap().error_code(), Err(Malformed));
        let e = raw(NLMSG_ERROR, 0, 5, 1, &[1, 2]);
        assert_eq!(Msg::parse(&e).unwrap().error_code(), Err(Malformed));
        // DONE: a status, or none.
        let d = raw(NLMSG_DONE, NLM_F_MULTI, 5, 1, &(-libc::EINTR).to_ne_bytes());
        assert_eq!(Msg::parse(&d).unwrap().done_code(), Ok(libc::EINTR));
        let d = raw(NLMSG_DONE, NLM_F_MULTI, 5, 1, &[]);
        assert_eq!(Msg::parse(&d).unwrap().done_code(), Ok(0));
    }

    #[test]
    fn groups() {
        assert_eq!(group_mask(CONNTRACK_NEW), 1);
        assert_eq!(group_mask(CONNTRACK_DESTROY), 4);
        assert_eq!(group_mask(EXP_DESTROY), 32);
        assert_eq!(group_mask(0), 0);
        assert_eq!(group_mask(33), 0);
        assert_eq!(group_mask(32), 1 << 31);
    }
}
