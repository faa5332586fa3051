//! The handle layer (`netfilter_conntrack::internals::handle`) against the real kernel:
//! queries with every verdict, send + catch, events, and what this library
//! does better than the reference: a query after one that a callback
//! stopped, a query after a send whose replies were never read (without
//! losing the events queued among them), one receive per datagram outside
//! queries and batched receives inside them.
//!
//! Every test first moves its own thread into a new network namespace
//! (`unshare(CLONE_NEWNET)` acts on the calling thread only, and libtest runs
//! each test on its own thread), so the host's table is never touched.

use std::time::Duration;

use netfilter_conntrack::internals::api::nf_conntrack_msg_type::NFCT_T_ALL;
use netfilter_conntrack::internals::api::nf_conntrack_query::{self, *};
use netfilter_conntrack::internals::conntrack::parse::parse_payload;
use netfilter_conntrack::internals::conntrack::request::{conntrack_query, QueryData};
use netfilter_conntrack::internals::conntrack::{objopt, Attr, Conntrack};
use netfilter_conntrack::internals::ctnetlink::group::CONNTRACK_NEW as NFNLGRP_CONNTRACK_NEW;
use netfilter_conntrack::internals::handle::{Deliver, Handle, NoCallbacks, Subsys, Subsystems};
use netfilter_conntrack::internals::netlink::msg::Msg;
use netfilter_conntrack::internals::netlink::socket::Socket;
use netfilter_conntrack::internals::netlink::Errno;

const T_NEW: u32 = 1;
const T_UPDATE: u32 = 2;
const T_DESTROY: u32 = 4;
const KINDS: u32 = NFCT_T_ALL as u32;
const NFCT_SOPT_SETUP_REPLY: u32 = 5;

fn private_netns() {
    // SAFETY: unshare() takes no pointers; it changes this thread only.
    let r = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        r,
        0,
        "unshare(CLONE_NEWNET): {}",
        std::io::Error::last_os_error()
    );
}

fn sysctl(path: &str, value: &str) {
    std::fs::write(format!("/proc/sys/{path}"), value).unwrap();
}

/// A handle as `nfct_open(subsys, groups)` makes it (see `CHandle::open`).
fn open(subsys: u8, groups: u32) -> Handle {
    let sock = Socket::open().expect("socket");
    let mut h = Handle::with_socket(sock, Subsystems::from_open_id(subsys));
    if groups != 0 {
        h.bind_groups(groups).expect("bind");
    }
    // A test never hangs: a receive waiting 10 s fails with EAGAIN.
    let fd = h.fd();
    let tv = libc::timeval {
        tv_sec: 10,
        tv_usec: 0,
    };
    // SAFETY: tv is a valid timeval of the size given; fd is open.
    let r = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0);
    h
}

/// UDP 10.0.0.1:`sport` -> 10.0.0.2:53, with its reply tuple.
fn entry(sport: u16) -> Conntrack {
    let mut ct = Conntrack::new();
    ct.set_u8(Attr::ATTR_ORIG_L3PROTO, libc::AF_INET as u8);
    ct.set_u32(Attr::ATTR_ORIG_IPV4_SRC, u32::from_ne_bytes([10, 0, 0, 1]));
    ct.set_u32(Attr::ATTR_ORIG_IPV4_DST, u32::from_ne_bytes([10, 0, 0, 2]));
    ct.set_u8(Attr::ATTR_ORIG_L4PROTO, libc::IPPROTO_UDP as u8);
    ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, sport.to_be());
    ct.set_u16(Attr::ATTR_ORIG_PORT_DST, 53u16.to_be());
    assert!(objopt::set(&mut ct, NFCT_SOPT_SETUP_REPLY));
    ct.set_u32(Attr::ATTR_TIMEOUT, 600);
    ct
}

fn request(q: nf_conntrack_query, ct: &Conntrack) -> Vec<u8> {
    conntrack_query(QueryData::Conntrack(q, ct.view()))
        .unwrap()
        .bytes
}

fn family_request(q: nf_conntrack_query, family: u8) -> Vec<u8> {
    conntrack_query(QueryData::Family(q, family)).unwrap().bytes
}

fn create_range(h: &mut Handle, ports: std::ops::Range<u16>) {
    for p in ports {
        let mut req = request(NFCT_Q_CREATE, &entry(p));
        assert_eq!(h.query(&mut req, &mut NoCallbacks), Ok(0), "create {p}");
    }
}

/// Parses every delivered conntrack, records its source port and kind, and
/// answers with `verdict(n)` for the n-th (1-based).
struct Collect<F: FnMut(usize) -> i32> {
    mask: Option<u32>,
    ports: Vec<u16>,
    kinds: Vec<u32>,
    verdict: F,
}

impl<F: FnMut(usize) -> i32> Collect<F> {
    fn new(verdict: F) -> Self {
        Collect {
            mask: Some(KINDS),
            ports: Vec::new(),
            kinds: Vec::new(),
            verdict,
        }
    }
}

impl<F: FnMut(usize) -> i32> Deliver for Collect<F> {
    fn mask(&self, sub: Subsys) -> Option<u32> {
        assert_eq!(sub, Subsys::Conntrack);
        self.mask
    }

    fn deliver(&mut self, sub: Subsys, kind: u32, m: &Msg<'_>) -> Result<i32, Errno> {
        assert_eq!(sub, Subsys::Conntrack);
        let mut ct = Conntrack::new();
        let (nfg, attrs) = m.split_nfgenmsg().unwrap();
        parse_payload(&mut ct, attrs, nfg.family).map_err(|_| Errno(libc::EBADMSG))?;
        self.ports
            .push(u16::from_be(ct.view().u16(Attr::ATTR_ORIG_PORT_SRC)));
        self.kinds.push(kind);
        Ok((self.verdict)(self.ports.len()))
    }
}

fn sorted(mut v: Vec<u16>) -> Vec<u16> {
    v.sort_unstable();
    v
}

#[test]
fn queries_and_errors() {
    private_netns();
    let mut h = open(1, 0);
    assert_eq!(h.groups(), 0);
    assert_ne!(h.port_id(), 0);
    create_range(&mut h, 1000..1003);
    let mut req = request(NFCT_Q_CREATE, &entry(1000));
    assert_eq!(
        h.query(&mut req, &mut NoCallbacks),
        Err(Errno(libc::EEXIST))
    );

    let mut c = Collect::new(|_| 1);
    let mut req = request(NFCT_Q_GET, &entry(1001));
    assert_eq!(h.query(&mut req, &mut c), Ok(0));
    assert_eq!((c.ports, c.kinds), (vec![1001], vec![T_UPDATE]));

    let mut req = request(NFCT_Q_GET, &entry(999));
    assert_eq!(
        h.query(&mut req, &mut NoCallbacks),
        Err(Errno(libc::ENOENT))
    );
    let mut req = request(NFCT_Q_DESTROY, &entry(1002));
    assert_eq!(h.query(&mut req, &mut NoCallbacks), Ok(0));
    assert_eq!(
        h.query(&mut req, &mut NoCallbacks),
        Err(Errno(libc::ENOENT))
    );

    let mut c = Collect::new(|_| 1);
    let mut req = family_request(NFCT_Q_DUMP, libc::AF_INET as u8);
    assert_eq!(h.query(&mut req, &mut c), Ok(0));
    assert_eq!(sorted(c.ports), [1000, 1001]);

    // Masks: a dump's objects are updates.
    let mut c = Collect::new(|_| 1);
    c.mask = Some(T_NEW | T_DESTROY);
    assert_eq!(h.query(&mut req, &mut c), Ok(0));
    assert!(c.ports.is_empty());

    // Every request went out with a sequence number of its own.
    let before = h.seq();
    assert_eq!(h.query(&mut req, &mut NoCallbacks), Ok(0));
    assert_eq!(h.seq(), before.wrapping_add(1));
    assert_eq!(h.session().stats().stale, 0);
    h.close().unwrap();
}

#[test]
fn verdicts_end_a_dump_with_their_value() {
    private_netns();
    let mut h = open(1, 0);
    create_range(&mut h, 2000..2100);
    let mut req = family_request(NFCT_Q_DUMP, libc::AF_INET as u8);
    for (v, want, calls) in [
        (1, Ok(0), 100),
        (2, Ok(0), 100),
        (9, Ok(0), 100),
        (0, Ok(0), 5),
        (-1, Ok(-1), 5),
        (-9, Ok(-9), 5),
    ] {
        let mut c = Collect::new(|n| if n == 5 { v } else { 1 });
        assert_eq!(h.query(&mut req, &mut c), want, "verdict {v}");
        assert_eq!(c.ports.len(), calls, "verdict {v}");
        // Unlike the reference, the next query on the same handle works:
        // the rest of the stopped dump is skipped.
        let mut all = Collect::new(|_| 1);
        assert_eq!(h.query(&mut req, &mut all), Ok(0), "after verdict {v}");
        assert_eq!(sorted(all.ports), (2000..2100).collect::<Vec<_>>());
    }
    // A failed delivery (in the C layer: no memory for the object) ends
    // the query with its errno.
    struct Broken;
    impl Deliver for Broken {
        fn mask(&self, _: Subsys) -> Option<u32> {
            Some(KINDS)
        }
        fn deliver(&mut self, _: Subsys, _: u32, _: &Msg<'_>) -> Result<i32, Errno> {
            Err(Errno(libc::EBADMSG))
        }
    }
    assert_eq!(h.query(&mut req, &mut Broken), Err(Errno(libc::EBADMSG)));
    let mut req = request(NFCT_Q_CREATE, &entry(3000));
    assert_eq!(h.query(&mut req, &mut NoCallbacks), Ok(0));
}

#[test]
fn send_catch_and_unread_replies() {
    private_netns();
    let mut h = open(1, 0);
    create_range(&mut h, 4000..4400);

    // nfct_send: the bytes sent; nfct_catch: one datagram per receive.
    let mut req = family_request(NFCT_Q_DUMP, libc::AF_INET as u8);
    assert_eq!(h.send(&mut req), Ok(20));
    let before = h.session().stats();
    let mut c = Collect::new(|_| 1);
    assert_eq!(h.catch(&mut c), Ok(0));
    assert_eq!(c.ports.len(), 400);
    let st = h.session().stats();
    let (calls, datagrams) = (
        st.recv_calls - before.recv_calls,
        st.datagrams - before.datagrams,
    );
    assert_eq!(calls, datagrams, "catch receives one datagram per syscall");
    assert!(datagrams > 1);

    // A query batches its receives.
    let before = h.session().stats();
    let mut c = Collect::new(|_| 1);
    assert_eq!(h.query(&mut req, &mut c), Ok(0));
    assert_eq!(c.ports.len(), 400);
    let st = h.session().stats();
    assert!(
        st.recv_calls - before.recv_calls < st.datagrams - before.datagrams,
        "{st:?}"
    );

    // Replies never read (a send without catch) do not confuse the next
    // query: they are drained or skipped.
    assert!(h.send(&mut req).is_ok());
    let mut get = request(NFCT_Q_GET, &entry(4007));
    assert!(h.send(&mut get).is_ok());
    let mut c = Collect::new(|_| 1);
    let mut get2 = request(NFCT_Q_GET, &entry(4008));
    assert_eq!(h.query(&mut get2, &mut c), Ok(0));
    assert_eq!(c.ports, [4008]);

    // A catch after a stopped one goes on where it stopped.
    assert!(h.send(&mut req).is_ok());
    let mut first = Collect::new(|n| if n == 10 { 0 } else { 1 });
    assert_eq!(h.catch(&mut first), Ok(0));
    let mut rest = Collect::new(|_| 1);
    assert_eq!(h.catch(&mut rest), Ok(0));
    let mut all = first.ports;
    all.extend(rest.ports);
    assert_eq!(sorted(all), (4000..4400).collect::<Vec<_>>());
}

#[test]
fn events() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");
    let mut cmd = open(1, 0);
    let mut ev = open(0, 7);
    assert_eq!(ev.groups(), 7);
    ev.session()
        .socket()
        .set_recv_timeout(Some(Duration::from_millis(200)))
        .unwrap();

    create_range(&mut cmd, 5000..5003);
    let mut req = request(NFCT_Q_DESTROY, &entry(5001));
    assert_eq!(cmd.query(&mut req, &mut NoCallbacks), Ok(0));

    let mut c = Collect::new(|_| 1);
    assert_eq!(ev.catch(&mut c), Err(Errno(libc::EAGAIN)));
    assert_eq!(c.ports, [5000, 5001, 5002, 5001]);
    assert_eq!(c.kinds, [T_NEW, T_NEW, T_NEW, T_DESTROY]);
    // One datagram per event, one receive per datagram.
    let st = ev.session().stats();
    assert_eq!(st.datagrams, 4);

    // A handle serving expectations only refuses conntrack events.
    let mut exp = open(2, 0);
    exp.bind_groups(1).unwrap();
    create_range(&mut cmd, 5003..5004);
    assert_eq!(exp.catch(&mut NoCallbacks), Err(Errno(libc::ENOENT)));
}

/// An event queued behind the unread rest of a dump, on a socket that
/// joined the event group behind the handle's back (libnfnetlink's
/// `nfnl_join()`, or a client's `setsockopt()` on `nfct_fd()`), reaches the
/// next request's callback: draining the rest of the dump before that
/// request drops the dump's replies only.
#[test]
fn events_behind_unread_replies_are_kept() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");
    let mut cmd = open(1, 0);
    let mut h = open(1, 0);
    create_range(&mut cmd, 6000..6400);
    let g = NFNLGRP_CONNTRACK_NEW as libc::c_int;
    // SAFETY: g is a valid c_int of the size given; the descriptor is open.
    let r = unsafe {
        libc::setsockopt(
            h.fd(),
            libc::SOL_NETLINK,
            libc::NETLINK_ADD_MEMBERSHIP,
            (&g as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0);
    assert!(!h.session().socket().is_subscribed());

    // A dump whose callback stops at its first entry (one datagram read:
    // the kernel has queued the next part), then an event behind it.
    let mut dump = family_request(NFCT_Q_DUMP, libc::AF_INET as u8);
    assert!(h.send(&mut dump).is_ok());
    let mut first = Collect::new(|_| 0);
    assert_eq!(h.catch(&mut first), Ok(0));
    assert_eq!(first.ports.len(), 1);
    create_range(&mut cmd, 6400..6401);

    // The next query drains the dump and still delivers the event, first.
    let mut c = Collect::new(|_| 1);
    let mut get = request(NFCT_Q_GET, &entry(6007));
    assert_eq!(h.query(&mut get, &mut c), Ok(0));
    assert_eq!(
        (c.ports, c.kinds),
        (vec![6400, 6007], vec![T_NEW, T_UPDATE])
    );

    // The old dump is over: a new one is not refused (EBUSY).
    let mut all = Collect::new(|_| 1);
    assert_eq!(h.query(&mut dump, &mut all), Ok(0));
    assert_eq!(sorted(all.ports), (6000..6401).collect::<Vec<_>>());
}
