//! The netlink layer against the real kernel: create, get, dump, delete and
//! flush conntrack entries with hand-built ctnetlink requests, and receive
//! events.
//!
//! Every test first moves its own thread into a new network namespace
//! (`unshare(CLONE_NEWNET)` acts on the calling thread only, and libtest runs
//! each test on its own thread), so sockets, entries and sysctls are private
//! to it: the host's conntrack table is never touched. Entries are created
//! over netlink only; no packet is sent.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use netfilter_conntrack::internals::ctnetlink::group::{
    CONNTRACK_DESTROY as NFNLGRP_CONNTRACK_DESTROY, CONNTRACK_NEW as NFNLGRP_CONNTRACK_NEW,
};
use netfilter_conntrack::internals::ctnetlink::msg::{
    CT_DELETE as IPCTNL_MSG_CT_DELETE, CT_GET as IPCTNL_MSG_CT_GET, CT_NEW as IPCTNL_MSG_CT_NEW,
};
use netfilter_conntrack::internals::ctnetlink::NFNL_SUBSYS_CTNETLINK;
use netfilter_conntrack::internals::netlink::attr::{AttrWriter, Attrs};
use netfilter_conntrack::internals::netlink::frame::PutAttr;
use netfilter_conntrack::internals::netlink::msg::*;
use netfilter_conntrack::internals::netlink::session::{Control, Outcome, Session};
use netfilter_conntrack::internals::netlink::socket::Socket;
use netfilter_conntrack::internals::netlink::Errno;

// The few ctnetlink attributes these tests need (nfnetlink_conntrack.h).
const CTA_TUPLE_ORIG: u16 = 1;
const CTA_TUPLE_REPLY: u16 = 2;
const CTA_PROTOINFO: u16 = 4;
const CTA_TIMEOUT: u16 = 7;
const CTA_TUPLE_IP: u16 = 1;
const CTA_TUPLE_PROTO: u16 = 2;
const CTA_IP_V4_SRC: u16 = 1;
const CTA_IP_V4_DST: u16 = 2;
const CTA_PROTO_NUM: u16 = 1;
const CTA_PROTO_SRC_PORT: u16 = 2;
const CTA_PROTO_DST_PORT: u16 = 3;
const CTA_PROTOINFO_TCP: u16 = 1;
const CTA_PROTOINFO_TCP_STATE: u16 = 1;
const TCP_CONNTRACK_ESTABLISHED: u8 = 3;

const AF_INET: u8 = libc::AF_INET as u8;
const SRC: [u8; 4] = [127, 0, 0, 1];
const DST: [u8; 4] = [127, 0, 0, 2];
const DPORT: u16 = 80;

/// Moves the calling thread into a fresh network namespace, or panics: a
/// kernel test never runs in the host's namespace.
fn private_netns() {
    // SAFETY: unshare() takes no pointers; it changes only this thread's
    // namespaces.
    let r = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        r,
        0,
        "unshare(CLONE_NEWNET) failed ({}): kernel tests need root and never run in the host namespace",
        std::io::Error::last_os_error()
    );
}

/// Writes a sysctl of this thread's network namespace.
fn sysctl(path: &str, value: &str) {
    std::fs::write(format!("/proc/sys/{path}"), value)
        .unwrap_or_else(|e| panic!("sysctl {path}: {e}"));
}

fn session() -> Session {
    let s = Socket::open().expect("netlink socket");
    // No test may hang: a receive that waits 10 s fails with EAGAIN.
    s.set_recv_timeout(Some(Duration::from_secs(10))).unwrap();
    Session::new(s)
}

fn tuple(w: &mut AttrWriter<'_>, ty: u16, src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) {
    w.nested(ty, |w| {
        w.nested(CTA_TUPLE_IP, |w| {
            w.put(CTA_IP_V4_SRC, &src);
            w.put(CTA_IP_V4_DST, &dst);
        });
        w.nested(CTA_TUPLE_PROTO, |w| {
            w.put_u8(CTA_PROTO_NUM, libc::IPPROTO_TCP as u8);
            w.put_be16(CTA_PROTO_SRC_PORT, sport);
            w.put_be16(CTA_PROTO_DST_PORT, dport);
        });
    });
}

/// A ctnetlink request about the TCP entry 127.0.0.1:`sport` -> 127.0.0.2:80.
fn ct_request(msg_type: u8, flags: u16, sport: u16, full: bool) -> Vec<u8> {
    let nfg = NfGenMsg {
        family: AF_INET,
        version: NFNETLINK_V0,
        res_id: 0,
    };
    let mut b = MsgBuilder::nfnl(NFNL_SUBSYS_CTNETLINK, msg_type, NLM_F_REQUEST | flags, nfg);
    b.attrs(|w| {
        tuple(w, CTA_TUPLE_ORIG, SRC, DST, sport, DPORT);
        if full {
            tuple(w, CTA_TUPLE_REPLY, DST, SRC, DPORT, sport);
            w.nested(CTA_PROTOINFO, |w| {
                w.nested(CTA_PROTOINFO_TCP, |w| {
                    w.put_u8(CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED)
                });
            });
            w.put_be32(CTA_TIMEOUT, 600);
        }
    });
    b.into_bytes().unwrap()
}

/// A request without attributes (dump, flush).
fn bare_request(msg_type: u8, flags: u16) -> Vec<u8> {
    let nfg = NfGenMsg {
        family: AF_INET,
        version: NFNETLINK_V0,
        res_id: 0,
    };
    MsgBuilder::nfnl(NFNL_SUBSYS_CTNETLINK, msg_type, NLM_F_REQUEST | flags, nfg)
        .into_bytes()
        .unwrap()
}

fn create(s: &mut Session, sport: u16) -> Result<Outcome, Errno> {
    let mut req = ct_request(
        IPCTNL_MSG_CT_NEW,
        NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
        sport,
        true,
    );
    s.query(&mut req, |_| Control::Continue)
}

fn create_range(s: &mut Session, ports: std::ops::Range<u16>) {
    for p in ports {
        assert_eq!(create(s, p), Ok(Outcome::Acked), "create port {p}");
    }
}

fn find<'a>(
    attrs: Attrs<'a>,
    ty: u16,
) -> Option<netfilter_conntrack::internals::netlink::attr::Attr<'a>> {
    attrs.map(Result::unwrap).find(|a| a.ty == ty)
}

/// The original source address and port of a conntrack message.
fn orig_key(m: &Msg<'_>) -> ([u8; 4], u16) {
    let orig = find(m.attrs().unwrap(), CTA_TUPLE_ORIG).expect("orig tuple");
    let ip = find(orig.nested(), CTA_TUPLE_IP).expect("ip");
    let src = find(ip.nested(), CTA_IP_V4_SRC)
        .unwrap()
        .fixed::<4>()
        .unwrap();
    let proto = find(orig.nested(), CTA_TUPLE_PROTO).expect("proto");
    let port = find(proto.nested(), CTA_PROTO_SRC_PORT)
        .unwrap()
        .be16()
        .unwrap();
    (src, port)
}

/// Dumps the table: the source ports seen (each must come once) and the end.
fn dump(s: &mut Session) -> (Vec<u16>, Result<Outcome, Errno>) {
    let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
    let mut ports = Vec::new();
    let end = s.query(&mut req, |m| {
        assert_eq!(
            (m.subsys(), m.msg_type()),
            (NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW)
        );
        assert_eq!(m.flags() & NLM_F_MULTI, NLM_F_MULTI);
        ports.push(orig_key(m).1);
        Control::Continue
    });
    (ports, end)
}

fn assert_each_once(ports: &[u16], expected: std::ops::Range<u16>) {
    let set: HashSet<u16> = ports.iter().copied().collect();
    assert_eq!(set.len(), ports.len(), "an entry came twice");
    assert_eq!(set, expected.collect::<HashSet<u16>>());
}

#[test]
fn create_get_delete_flush() {
    private_netns();
    let mut s = session();
    let port_id = s.socket().port_id();
    assert_ne!(port_id, 0);

    assert_eq!(create(&mut s, 1000), Ok(Outcome::Acked));
    assert_eq!(create(&mut s, 1000), Err(Errno(libc::EEXIST)));

    // GET: one reply carrying our sequence number and port id, then the ack.
    let mut req = ct_request(IPCTNL_MSG_CT_GET, NLM_F_ACK, 1000, false);
    let mut got = Vec::new();
    let end = s.query(&mut req, |m| {
        got.push((orig_key(m), m.seq(), m.pid(), m.nfgenmsg().unwrap().family));
        Control::Continue
    });
    assert_eq!(end, Ok(Outcome::Acked));
    assert_eq!(got, [((SRC, 1000), s.seq(), port_id, AF_INET)]);

    // Sequence numbers go up by one per request.
    let before = s.seq();
    let mut req = ct_request(IPCTNL_MSG_CT_GET, NLM_F_ACK, 1000, false);
    assert_eq!(s.query(&mut req, |_| Control::Continue), Ok(Outcome::Acked));
    assert_eq!(s.seq(), before.wrapping_add(1));

    // DELETE, then the entry is gone.
    let mut req = ct_request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK, 1000, false);
    assert_eq!(s.query(&mut req, |_| Control::Continue), Ok(Outcome::Acked));
    let mut req = ct_request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK, 1000, false);
    assert_eq!(
        s.query(&mut req, |_| Control::Continue),
        Err(Errno(libc::ENOENT))
    );
    let mut req = ct_request(IPCTNL_MSG_CT_GET, NLM_F_ACK, 1000, false);
    assert_eq!(
        s.query(&mut req, |_| panic!("no reply expected")),
        Err(Errno(libc::ENOENT))
    );

    // A request the kernel rejects: creating without a timeout.
    let mut req = ct_request(IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_ACK, 1001, false);
    assert_eq!(
        s.query(&mut req, |_| Control::Continue),
        Err(Errno(libc::EINVAL))
    );

    // FLUSH empties the table.
    create_range(&mut s, 2000..2010);
    let (ports, end) = dump(&mut s);
    assert_eq!(end, Ok(Outcome::Done));
    assert_each_once(&ports, 2000..2010);
    let mut req = bare_request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK);
    assert_eq!(s.query(&mut req, |_| Control::Continue), Ok(Outcome::Acked));
    let (ports, end) = dump(&mut s);
    assert_eq!((ports.len(), end), (0, Ok(Outcome::Done)));
    assert_eq!(s.stats().stale, 0);
}

#[test]
fn dump_5000_entries() {
    private_netns();
    let mut s = session();
    create_range(&mut s, 10_000..15_000);
    for batch in [1, 16] {
        s.set_batch(batch);
        s.reset_stats();
        let (ports, end) = dump(&mut s);
        assert_eq!(end, Ok(Outcome::Done));
        assert_each_once(&ports, 10_000..15_000);
        let st = s.stats();
        println!(
            "dump 5000, batch {batch}: {} receive syscalls, {} datagrams, {} messages",
            st.recv_calls, st.datagrams, st.messages
        );
        // Datagrams of up to 32 KiB: a few dozen for 5000 entries, but
        // the kernel falls back to one page when memory is fragmented, so
        // only bound it by that (about 13 entries per 4 KiB).
        assert!(st.datagrams <= 450, "{st:?}");
        if batch > 1 {
            assert!(
                st.recv_calls <= st.datagrams.div_ceil(batch as u64) + 2,
                "{st:?}"
            );
        }
    }
}

/// The number of `recvmsg()` calls a libnfnetlink-style reader with an
/// `buf_size` buffer makes to dump the table (and the entries it saw).
fn dump_with_plain_recv(sock: &Socket, buf_size: usize) -> (u64, usize) {
    let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
    set_seq(&mut req, 1);
    sock.send(&req).unwrap();
    let mut buf = vec![0u8; buf_size];
    let (mut calls, mut entries) = (0, 0);
    loop {
        calls += 1;
        let r = sock.recv(&mut buf, false).unwrap();
        assert!(!r.truncated);
        for m in Msgs::new(&buf[..r.len]) {
            let m = m.unwrap();
            if m.ty() == NLMSG_DONE {
                return (calls, entries);
            }
            entries += 1;
        }
    }
}

#[test]
fn dump_20000_entries_recv_counts() {
    private_netns();
    let mut s = session();
    let t = Instant::now();
    create_range(&mut s, 20_000..40_000);
    println!("created 20000 entries in {:?}", t.elapsed());
    for batch in [1, 16, 64] {
        s.set_batch(batch);
        s.reset_stats();
        let t = Instant::now();
        let (ports, end) = dump(&mut s);
        let el = t.elapsed();
        assert_eq!(end, Ok(Outcome::Done));
        assert_each_once(&ports, 20_000..40_000);
        let st = s.stats();
        println!(
            "dump 20000, batch {batch:2}: {:3} receive syscalls, {:3} datagrams, {:?}",
            st.recv_calls, st.datagrams, el
        );
        if batch == 64 {
            assert!(st.recv_calls <= st.datagrams.div_ceil(64) + 2, "{st:?}");
        }
    }
    // For comparison: a reader with libnfnetlink's default 8 KiB buffer, and
    // one with a 32 KiB buffer (the kernel sizes dump datagrams by the
    // reader's buffer, up to 32 KiB).
    for size in [8192, 32768] {
        let sock = Socket::open().unwrap();
        sock.set_recv_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let (calls, entries) = dump_with_plain_recv(&sock, size);
        assert_eq!(entries, 20_000);
        println!("dump 20000, plain recvmsg with a {size}-byte buffer: {calls} calls");
    }
}

#[test]
fn stopped_dump_then_next_requests() {
    for batch in [1, 16] {
        // A fresh namespace (so a fresh table) for each round.
        private_netns();
        let mut s = session();
        s.set_batch(batch);
        create_range(&mut s, 3000..5000);

        // Stop a dump early; the next dump still sees every entry (the rest
        // of the first is drained, so the kernel does not answer EBUSY).
        let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
        let mut n = 0;
        let end = s.query(&mut req, |_| {
            n += 1;
            if n == 10 {
                Control::Stop
            } else {
                Control::Continue
            }
        });
        assert_eq!((end, n), (Ok(Outcome::Stopped), 10));
        assert!(s.in_flight());
        let (ports, end) = dump(&mut s);
        assert_eq!(end, Ok(Outcome::Done), "batch {batch}");
        assert_each_once(&ports, 3000..5000);

        // A stopped dump resumes where it stopped on the next receive
        // (nfct_send + repeated nfct_catch).
        let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
        s.send(&mut req).unwrap();
        let mut ports = Vec::new();
        let mut rounds = 0;
        let end = loop {
            rounds += 1;
            let mut k = 0;
            let r = s.receive(|m| {
                ports.push(orig_key(m).1);
                k += 1;
                if k == 700 {
                    Control::Stop
                } else {
                    Control::Continue
                }
            });
            if r != Ok(Outcome::Stopped) {
                break r;
            }
        };
        assert_eq!(end, Ok(Outcome::Done));
        assert_eq!(rounds, 3);
        assert_each_once(&ports, 3000..5000);

        // A GET after a dump stopped early gets its own answer.
        let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
        assert_eq!(s.query(&mut req, |_| Control::Stop), Ok(Outcome::Stopped));
        let mut req = ct_request(IPCTNL_MSG_CT_GET, NLM_F_ACK, 4321, false);
        let mut got = Vec::new();
        let end = s.query(&mut req, |m| {
            got.push(orig_key(m).1);
            Control::Continue
        });
        assert_eq!((end, got), (Ok(Outcome::Acked), vec![4321]));
        assert!(!s.in_flight());
    }
}

/// Receives messages until `want` of them matched, with a deadline.
fn collect_events(
    s: &mut Session,
    want: usize,
    mut keep: impl FnMut(&Msg<'_>) -> bool,
) -> Vec<(u8, u16, u16)> {
    let mut got = Vec::new();
    while got.len() < want {
        let end = s.receive(|m| {
            if keep(m) {
                got.push((m.msg_type(), m.flags(), orig_key(m).1));
            }
            if got.len() == want {
                Control::Stop
            } else {
                Control::Continue
            }
        });
        assert_eq!(end, Ok(Outcome::Stopped));
    }
    got
}

#[test]
fn new_and_destroy_events() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");

    // One listener bound to the NEW and DESTROY groups, one that joined
    // DESTROY with NETLINK_ADD_MEMBERSHIP.
    let mut ev = session();
    ev.socket_mut()
        .bind_groups(group_mask(NFNLGRP_CONNTRACK_NEW) | group_mask(NFNLGRP_CONNTRACK_DESTROY))
        .unwrap();
    assert!(ev.socket().is_subscribed());
    let mut ev2 = session();
    ev2.socket_mut()
        .join_group(NFNLGRP_CONNTRACK_DESTROY)
        .unwrap();
    assert_eq!(
        ev2.socket().set_rcvbuf(1 << 20).map(|n| n >= 1 << 20),
        Ok(true)
    );

    let mut s = session();
    create_range(&mut s, 7000..7003);
    let mut req = ct_request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK, 7001, false);
    assert_eq!(s.query(&mut req, |_| Control::Continue), Ok(Outcome::Acked));

    let ours = |m: &Msg<'_>| m.seq() == 0 && m.subsys() == NFNL_SUBSYS_CTNETLINK;
    let got = collect_events(&mut ev, 4, ours);
    let new = NLM_F_CREATE | NLM_F_EXCL;
    assert_eq!(
        got.iter()
            .map(|&(t, f, p)| (t, f & new, p))
            .collect::<Vec<_>>(),
        [
            (IPCTNL_MSG_CT_NEW, new, 7000),
            (IPCTNL_MSG_CT_NEW, new, 7001),
            (IPCTNL_MSG_CT_NEW, new, 7002),
            (IPCTNL_MSG_CT_DELETE, 0, 7001),
        ]
    );
    // Events carry the port id of the socket that caused them.
    let got = collect_events(&mut ev2, 1, ours);
    assert_eq!(got, [(IPCTNL_MSG_CT_DELETE, 0, 7001)]);

    // Flushing destroys the rest; a non-blocking catch then ends with EAGAIN.
    let mut req = bare_request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK);
    assert_eq!(s.query(&mut req, |_| Control::Continue), Ok(Outcome::Acked));
    let mut ports: Vec<u16> = collect_events(&mut ev, 2, ours)
        .iter()
        .map(|e| e.2)
        .collect();
    ports.sort();
    assert_eq!(ports, [7000, 7002]);
    ev.socket().set_nonblocking(true).unwrap();
    assert_eq!(ev.receive(|_| Control::Continue), Err(Errno(libc::EAGAIN)));
    assert_eq!(
        ev.receive_once(|_| Control::Continue),
        Err(Errno(libc::EAGAIN))
    );

    // The socket reports which group an event was sent to.
    ev.socket().set_nonblocking(false).unwrap();
    create_range(&mut s, 7100..7101);
    let mut buf = vec![0u8; 8192];
    let r = ev.socket().recv(&mut buf, false).unwrap();
    assert_eq!(
        (r.truncated, r.groups),
        (false, group_mask(NFNLGRP_CONNTRACK_NEW))
    );
    let m = Msg::parse(&buf[..r.len]).unwrap();
    assert_eq!((m.msg_type(), orig_key(&m).1), (IPCTNL_MSG_CT_NEW, 7100));
}

#[test]
fn enobufs_when_events_are_lost() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");
    let mask = group_mask(NFNLGRP_CONNTRACK_NEW);
    let mut lossy = session();
    lossy.socket_mut().bind_groups(mask).unwrap();
    lossy.socket().set_rcvbuf(4096).unwrap();
    let mut quiet = session();
    quiet.socket_mut().bind_groups(mask).unwrap();
    quiet.socket().set_rcvbuf(4096).unwrap();
    quiet.socket().set_no_enobufs(true).unwrap();

    let mut s = session();
    create_range(&mut s, 100..1100);

    // The kernel dropped events for the small buffer: the receive says so.
    let mut seen = 0;
    let r = lossy.receive(|_| {
        seen += 1;
        Control::Continue
    });
    assert_eq!(r, Err(Errno(libc::ENOBUFS)), "after {seen} events");
    // With NETLINK_NO_ENOBUFS the loss is silent: what was kept is read,
    // then a non-blocking receive finds the socket empty.
    quiet.socket().set_nonblocking(true).unwrap();
    let mut kept = 0;
    let r = quiet.receive(|_| {
        kept += 1;
        Control::Continue
    });
    assert_eq!(r, Err(Errno(libc::EAGAIN)));
    assert!(kept > 0 && kept < 1000, "kept {kept}");
}

#[test]
fn wrapped_descriptor() {
    private_netns();
    let own = Socket::open().unwrap();
    let port = own.port_id();
    let fd = own.into_raw_fd();
    {
        // SAFETY: fd stays open for the borrowed wrapper's life.
        let mut b = unsafe { Socket::from_raw_fd(fd, false) }.unwrap();
        assert_eq!((b.port_id(), b.is_owned()), (port, false));
        b.bind_groups(group_mask(NFNLGRP_CONNTRACK_NEW)).unwrap();
        assert_eq!(b.port_id(), port);
        b.set_recv_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut s = Session::new(b);
        assert_eq!(create(&mut s, 9), Ok(Outcome::Acked));
    }
    // The borrowed wrapper left the descriptor open; an owning one closes it.
    // SAFETY: fd is still open (nobody closed it) and is handed over here.
    let owned = unsafe { Socket::from_raw_fd(fd, true) }.unwrap();
    assert_eq!(owned.groups(), group_mask(NFNLGRP_CONNTRACK_NEW));
    owned.close().unwrap();
}

/// Joins (or leaves) multicast group `group` with a `setsockopt()` on `fd`,
/// behind the back of the `Socket` that wraps it.
fn set_membership(fd: std::os::fd::RawFd, group: u32, join: bool) {
    let opt = if join {
        libc::NETLINK_ADD_MEMBERSHIP
    } else {
        libc::NETLINK_DROP_MEMBERSHIP
    };
    let g = group as libc::c_int;
    // SAFETY: g is a valid c_int of the size given; fd is open.
    let r = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_NETLINK,
            opt,
            (&g as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
}

#[test]
fn subscriptions_made_behind_the_sessions_back() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");
    let mut s = session();
    create_range(&mut s, 100..1100);
    let fd = s.socket().fd();

    // The kernel is asked: memberships show after a refresh, and go.
    set_membership(fd, NFNLGRP_CONNTRACK_NEW, true);
    assert!(!s.socket().is_subscribed());
    assert_eq!(s.socket_mut().refresh_subscriptions(), Ok(true));
    assert!(s.socket().is_subscribed());
    set_membership(fd, NFNLGRP_CONNTRACK_NEW, false);
    assert_eq!(s.socket_mut().refresh_subscriptions(), Ok(false));

    // A session asks before it batches a dump: on a socket that receives
    // events, it takes one datagram per syscall.
    set_membership(fd, NFNLGRP_CONNTRACK_DESTROY, true);
    s.set_batch(16);
    s.reset_stats();
    let (ports, end) = dump(&mut s);
    assert_eq!(end, Ok(Outcome::Done));
    assert_each_once(&ports, 100..1100);
    let st = s.stats();
    assert!(st.datagrams > 1, "{st:?}");
    assert_eq!(st.recv_calls, st.datagrams);
    assert!(s.socket().is_subscribed());

    // Draining a dump left unread keeps the socket's error for the next
    // receive: events were lost (the unread dump filled the small buffer),
    // so the next request's receive says ENOBUFS, and the one after gets
    // its reply. (Batch 1: the session never asks the kernel here.)
    let mut u = session();
    u.set_batch(1);
    set_membership(u.socket().fd(), NFNLGRP_CONNTRACK_NEW, true);
    assert!(!u.socket().is_subscribed());
    u.socket().set_rcvbuf(4096).unwrap();
    let mut req = bare_request(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
    assert_eq!(u.query(&mut req, |_| Control::Stop), Ok(Outcome::Stopped));
    create_range(&mut s, 1100..1150);
    let mut req = ct_request(IPCTNL_MSG_CT_GET, NLM_F_ACK, 150, false);
    let mut got = Vec::new();
    let end = u.query(&mut req, |m| {
        got.push(orig_key(m).1);
        Control::Continue
    });
    assert_eq!((end, &got), (Err(Errno(libc::ENOBUFS)), &vec![]));
    let end = u.receive(|m| {
        got.push(orig_key(m).1);
        Control::Continue
    });
    assert_eq!((end, got), (Ok(Outcome::Acked), vec![150]));
}
