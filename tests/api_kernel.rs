//! The Rust API against the real kernel: every operation, each test in a
//! network namespace of its own (see `common`). Only the public API is used.

mod common;

use std::collections::BTreeSet;
use std::net::{IpAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::Duration;

use common::{private_netns, sysctl, track_loopback};
use netfilter_conntrack::{
    Conntrack, DumpFilter, Event, EventFilter, EventGroups, EventKind, Events, Expectation, Family,
    FilterField, Flow, Helper, Icmp, LabelMap, Labels, Nat, Ports, Proto, ProtoInfo, Status,
    TcpState, Tuple, TupleFilter,
};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn open() -> Conntrack {
    let mut ct = Conntrack::open().expect("open");
    // No test may hang: a receive that waits 10 s fails.
    ct.set_timeout(Some(Duration::from_secs(10))).unwrap();
    ct
}

fn tcp(src: &str, dst: &str, sport: u16, dport: u16) -> Tuple {
    Tuple::new(
        ip(src),
        ip(dst),
        Proto::Tcp(Ports {
            src: sport,
            dst: dport,
        }),
    )
}

fn udp(src: &str, dst: &str, sport: u16, dport: u16) -> Tuple {
    Tuple::new(
        ip(src),
        ip(dst),
        Proto::Udp(Ports {
            src: sport,
            dst: dport,
        }),
    )
}

/// A complete entry of tuple `orig` that the kernel accepts.
fn entry(orig: Tuple) -> Flow {
    let mut f = Flow::new(orig);
    f.reply = Some(orig.reversed());
    f.timeout = Some(300);
    if let Proto::Tcp(_) = orig.proto {
        f.protoinfo = Some(ProtoInfo::tcp_state(TcpState::ESTABLISHED));
    }
    f
}

fn sports(ct: &mut Conntrack, filter: Option<&DumpFilter>) -> BTreeSet<u16> {
    let dump = match filter {
        Some(f) => ct.dump_filtered(f).unwrap(),
        None => ct.dump().unwrap(),
    };
    dump.map(|f| f.unwrap().orig.proto.ports().unwrap().src)
        .collect()
}

#[test]
fn create_get_update_delete() {
    private_netns();
    let mut ct = open();
    let orig = tcp("192.0.2.1", "192.0.2.2", 40000, 80);
    let mut flow = entry(orig);
    flow.mark = Some(7);
    ct.create(&flow).unwrap();
    assert!(ct.create(&flow).unwrap_err().is_already_exists());

    let got = ct.get(&Flow::new(orig)).unwrap();
    assert_eq!(got.orig, orig);
    assert_eq!(got.reply, Some(orig.reversed()));
    assert_eq!(got.mark, Some(7));
    assert!(got.timeout.unwrap() <= 300 && got.timeout.unwrap() > 250);
    assert!(got.status.unwrap().contains(Status::CONFIRMED));
    assert!(got.id.is_some() && got.use_count.is_some());
    match got.protoinfo {
        Some(ProtoInfo::Tcp(t)) => assert_eq!(t.state, Some(TcpState::ESTABLISHED)),
        other => panic!("TCP information expected, got {other:?}"),
    }
    // Found by its reply tuple too.
    assert_eq!(ct.get(&Flow::new(orig.reversed())).unwrap().id, got.id);

    // Update: what the flow sets replaces what the entry has.
    let mut change = Flow::new(orig);
    change.mark = Some(9);
    change.timeout = Some(1000);
    ct.update(&change).unwrap();
    let got = ct.get(&Flow::new(orig)).unwrap();
    assert_eq!(got.mark, Some(9));
    assert!(got.timeout.unwrap() > 900);

    // Create-or-update on an existing entry updates it, on a new one creates.
    change.mark = Some(10);
    ct.create_or_update(&change).unwrap();
    assert_eq!(ct.get(&Flow::new(orig)).unwrap().mark, Some(10));
    let other = entry(udp("2001:db8::1", "2001:db8::2", 5353, 53));
    ct.create_or_update(&other).unwrap();
    let got = ct.get(&Flow::new(other.orig)).unwrap();
    assert_eq!(got.orig, other.orig);
    assert_eq!(got.orig.family(), Family::Ipv6);

    // Delete by a dumped flow, then by a bare tuple.
    ct.delete(&got).unwrap();
    ct.delete(&Flow::new(orig)).unwrap();
    assert!(ct.get(&Flow::new(orig)).unwrap_err().is_not_found());
    assert!(ct.delete(&Flow::new(orig)).unwrap_err().is_not_found());
    let missing = Flow::new(tcp("192.0.2.9", "192.0.2.2", 1, 2));
    assert!(ct.update(&missing).unwrap_err().is_not_found());
    assert_eq!(ct.dump().unwrap().count(), 0);
}

#[test]
fn icmp_zones_and_helper() {
    private_netns();
    let mut ct = open();
    let ping = Tuple::new(
        ip("10.0.0.1"),
        ip("10.0.0.2"),
        Proto::Icmp(Icmp {
            kind: 8,
            code: 0,
            id: 4321,
        }),
    );
    ct.create(&entry(ping)).unwrap();
    let got = ct.get(&Flow::new(ping)).unwrap();
    assert_eq!(got.orig, ping);
    assert_eq!(got.reply.unwrap().proto.icmp().unwrap().kind, 0);

    // The same tuple in two zones is two entries.
    let t = udp("10.0.0.1", "10.0.0.2", 1000, 2000);
    for zone in [3, 4] {
        let mut f = entry(t);
        f.zone = Some(zone);
        ct.create(&f).unwrap();
    }
    let zones: BTreeSet<_> = ct.dump().unwrap().filter_map(|f| f.unwrap().zone).collect();
    assert_eq!(zones, BTreeSet::from([3, 4]));
    let mut key = Flow::new(t);
    key.zone = Some(4);
    assert_eq!(ct.get(&key).unwrap().zone, Some(4));

    // A helper assigned on creation.
    let mut ftp = entry(tcp("10.0.0.1", "10.0.0.2", 40021, 21));
    ftp.helper = Some(Helper {
        name: "ftp".into(),
        info: None,
    });
    ct.create(&ftp).unwrap();
    let got = ct.get(&Flow::new(ftp.orig)).unwrap();
    assert_eq!(got.helper.map(|h| h.name), Some("ftp".to_string()));
}

#[test]
fn create_with_nat() {
    private_netns();
    let mut ct = open();
    let orig = tcp("10.5.0.1", "10.5.0.2", 3333, 80);
    let mut f = Flow::new(orig);
    f.timeout = Some(100);
    f.protoinfo = Some(ProtoInfo::tcp_state(TcpState::ESTABLISHED));
    f.dnat = Some(Nat {
        addr: Some(ip("10.5.0.9")),
        port: Some(8080),
    });
    f.snat = Some(Nat {
        addr: Some(ip("10.5.0.7")),
        port: None,
    });
    ct.create(&f).unwrap();
    let got = ct.get(&Flow::new(orig)).unwrap();
    // The reply comes from the new destination, to the new source.
    let reply = got.reply.unwrap();
    assert_eq!((reply.src, reply.dst), (ip("10.5.0.9"), ip("10.5.0.7")));
    assert_eq!(reply.proto.ports().unwrap().src, 8080);
    let status = got.status.unwrap();
    assert!(
        status.contains(Status::DST_NAT | Status::SRC_NAT),
        "{status:?}"
    );
}

#[test]
fn streaming_dump_of_many_entries() {
    private_netns();
    let mut ct = open();
    let n = 3000u16;
    for p in 1..=n {
        ct.create(&entry(udp("10.1.0.1", "10.1.0.2", p, 53)))
            .unwrap();
    }
    let all = sports(&mut ct, None);
    assert_eq!(all, (1..=n).collect());
    // Stop early: the rest of the dump is discarded before the next request.
    let first: Vec<_> = ct.dump().unwrap().take(10).collect();
    assert_eq!(first.len(), 10);
    assert_eq!(ct.stats().unwrap().entries, u32::from(n));
    assert_eq!(ct.dump_family(Family::Ipv6).unwrap().count(), 0);
    assert_eq!(ct.dump_family(Family::Ipv4).unwrap().count(), n as usize);
}

#[test]
fn dump_filters_and_filtered_flush() {
    private_netns();
    let mut ct = open();
    for p in 1..=8u16 {
        let mut f = entry(tcp("10.2.0.1", "10.2.0.2", p, 80 + p % 2));
        f.mark = Some(u32::from(p) << 4);
        f.zone = Some(p % 3);
        ct.create(&f).unwrap();
    }
    ct.create(&entry(udp("2001:db8::1", "2001:db8::2", 100, 53)))
        .unwrap();
    let f = DumpFilter::new().mark(0x20, 0x20);
    assert_eq!(sports(&mut ct, Some(&f)), BTreeSet::from([2, 3, 6, 7]));
    let f = DumpFilter::new().zone(2);
    assert_eq!(sports(&mut ct, Some(&f)), BTreeSet::from([2, 5, 8]));
    let f = DumpFilter::new().family(Family::Ipv6);
    assert_eq!(sports(&mut ct, Some(&f)), BTreeSet::from([100]));
    let f = DumpFilter::new().tuple(TupleFilter::new(Family::Ipv4).protocol(6).dst_port(81));
    assert_eq!(sports(&mut ct, Some(&f)), BTreeSet::from([1, 3, 5, 7]));
    // Status: nothing created is ASSURED; set it on one.
    let mut assured = Flow::new(tcp("10.2.0.1", "10.2.0.2", 4, 80));
    assured.zone = Some(4 % 3);
    assured.status = Some(Status::ASSURED);
    ct.update(&assured).unwrap();
    let f = DumpFilter::new().status(Status::ASSURED, Status::ASSURED);
    assert_eq!(sports(&mut ct, Some(&f)), BTreeSet::from([4]));

    // Filtered flushes take only what the filter selects.
    ct.flush_filtered(&DumpFilter::new().mark(0x10, 0x10))
        .unwrap();
    assert_eq!(sports(&mut ct, None), BTreeSet::from([2, 4, 6, 8, 100]));
    let tuple_flush = DumpFilter::new().tuple(TupleFilter::new(Family::Ipv4).protocol(6));
    assert_eq!(
        ct.flush_filtered(&tuple_flush).unwrap_err().errno(),
        libc::ENOTSUP
    );
    ct.flush_filtered(&DumpFilter::new().family(Family::Ipv6))
        .unwrap();
    assert_eq!(sports(&mut ct, None), BTreeSet::from([2, 4, 6, 8]));
    ct.flush().unwrap();
    assert_eq!(ct.dump().unwrap().count(), 0);
}

#[test]
fn counters_zeroed_by_a_dump_and_labels() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_acct", "1");
    track_loopback();
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    for _ in 0..3 {
        client
            .send_to(b"hello", server.local_addr().unwrap())
            .unwrap();
    }
    let mut ct = open();
    let key = udp(
        "127.0.0.1",
        "127.0.0.1",
        client.local_addr().unwrap().port(),
        server.local_addr().unwrap().port(),
    );
    let flows: Vec<Flow> = ct
        .dump_and_zero_counters()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let flow = flows.iter().find(|f| f.orig == key).expect("the UDP entry");
    let c = flow.counters_orig.unwrap();
    assert_eq!((c.packets, c.bytes), (3, 3 * (20 + 8 + 5)));
    let flow = ct.get(&Flow::new(key)).unwrap();
    assert_eq!(flow.counters_orig.unwrap().packets, 0);
    let f = DumpFilter::new().family(Family::Ipv4);
    client
        .send_to(b"again", server.local_addr().unwrap())
        .unwrap();
    let zeroed: Vec<Flow> = ct
        .dump_filtered_and_zero_counters(&f)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        zeroed
            .iter()
            .find(|f| f.orig == key)
            .unwrap()
            .counters_orig
            .unwrap()
            .packets,
        1
    );
    assert_eq!(
        ct.get(&Flow::new(key))
            .unwrap()
            .counters_orig
            .unwrap()
            .packets,
        0
    );

    // Labels: set two, read them back, name them.
    let mut change = Flow::new(key);
    change.labels = Some(Labels::EMPTY.with(1).with(100));
    ct.update(&change).unwrap();
    let labels = ct.get(&Flow::new(key)).unwrap().labels.unwrap();
    assert_eq!(labels.iter().collect::<Vec<_>>(), [1, 100]);
    let map = LabelMap::parse("1 blue\n100 green\n").unwrap();
    assert_eq!(map.names(&labels).collect::<Vec<_>>(), ["blue", "green"]);
    let flow = ct.get(&Flow::new(key)).unwrap();
    let text = flow
        .display(netfilter_conntrack::OutputFormat::Plain)
        .labels(&map)
        .to_string();
    assert!(text.contains("labels=blue,green"), "{text}");
    // Only the masked labels change.
    change.labels = Some(Labels::EMPTY.with(2));
    change.labels_mask = Some(Labels::EMPTY.with(2).with(100));
    ct.update(&change).unwrap();
    let labels = ct.get(&Flow::new(key)).unwrap().labels.unwrap();
    assert_eq!(labels.iter().collect::<Vec<_>>(), [1, 2]);
}

fn ftp_master(ct: &mut Conntrack) -> Tuple {
    let mut m = entry(tcp("127.0.0.1", "127.0.0.1", 40021, 21));
    m.helper = Some(Helper {
        name: "ftp".into(),
        info: None,
    });
    ct.create(&m).unwrap();
    m.orig
}

fn expectation(master: Tuple, port: u16) -> Expectation {
    let all = ip("255.255.255.255");
    Expectation {
        master: Some(master),
        expected: Some(tcp("127.0.0.1", "127.0.0.1", 0, port)),
        mask: Some(Tuple::new(
            all,
            all,
            Proto::Tcp(Ports {
                src: 0,
                dst: 0xffff,
            }),
        )),
        timeout: Some(200),
        ..Expectation::default()
    }
}

#[test]
fn expectations() {
    private_netns();
    let mut ct = open();
    let master = ftp_master(&mut ct);
    let before = ct.expectation_cpu_stats().unwrap();
    assert!(!before.is_empty());
    ct.create_expectation(&expectation(master, 51001)).unwrap();
    assert_eq!(ct.dump_expectations().unwrap().count(), 1);
    // The FTP helper allows one expectation per master: a second one
    // takes the place of the first.
    ct.create_expectation(&expectation(master, 51002)).unwrap();
    let after = ct.expectation_cpu_stats().unwrap();
    let created = |s: &[netfilter_conntrack::ExpectationCpuStats]| -> u32 {
        s.iter().map(|c| c.create).sum()
    };
    assert_eq!(created(&after) - created(&before), 2);

    let all: Vec<Expectation> = ct
        .dump_expectations()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(all.len(), 1);
    let e = &all[0];
    assert_eq!(e.expected.unwrap().proto.ports().unwrap().dst, 51002);
    assert_eq!(e.master, Some(master));
    assert_eq!(e.helper.as_deref(), Some("ftp"));
    assert!(e.flags.is_some());
    // The helper's policy sets the timeout (5 minutes for FTP).
    assert!(e.timeout.unwrap() <= 300);
    assert!(e.to_string().contains("dport=51002"), "{e}");

    assert!(ct
        .get_expectation(&expectation(master, 51001))
        .unwrap_err()
        .is_not_found());
    let got = ct.get_expectation(&expectation(master, 51002)).unwrap();
    assert_eq!(got.expected, e.expected);
    ct.delete_expectation(&got).unwrap();
    assert!(ct.delete_expectation(&got).unwrap_err().is_not_found());
    assert_eq!(ct.dump_expectations().unwrap().count(), 0);
    ct.create_expectation(&expectation(master, 51003)).unwrap();
    assert_eq!(ct.dump_expectations().unwrap().count(), 1);
    ct.flush_expectations().unwrap();
    assert_eq!(ct.dump_expectations().unwrap().count(), 0);
}

fn next_event(ev: &mut Events) -> Event {
    ev.recv().expect("an event within 10 s")
}

#[test]
fn events_of_every_kind_and_filters() {
    private_netns();
    sysctl("net/netfilter/nf_conntrack_events", "1");
    let mut ev = Events::subscribe(EventGroups::FLOWS | EventGroups::EXPECTATIONS).unwrap();
    ev.set_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut ct = open();
    let orig = tcp("10.3.0.1", "10.3.0.2", 1000, 80);
    ct.create(&entry(orig)).unwrap();
    let mut change = Flow::new(orig);
    change.mark = Some(5);
    ct.update(&change).unwrap();
    ct.delete(&Flow::new(orig)).unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        match next_event(&mut ev) {
            Event::Flow { kind, flow } => {
                assert_eq!(flow.orig, orig);
                seen.push((kind, flow.mark));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        seen,
        [
            (EventKind::New, Some(0)),
            (EventKind::Update, Some(5)),
            (EventKind::Destroy, Some(5)),
        ]
    );

    // Expectation events.
    let master = ftp_master(&mut ct);
    assert!(matches!(
        next_event(&mut ev),
        Event::Flow {
            kind: EventKind::New,
            ..
        }
    ));
    ct.create_expectation(&expectation(master, 52000)).unwrap();
    match next_event(&mut ev) {
        Event::Expectation { kind, expectation } => {
            assert_eq!(kind, EventKind::New);
            assert_eq!(expectation.master, Some(master));
        }
        other => panic!("unexpected {other:?}"),
    }
    ct.flush_expectations().unwrap();
    assert!(matches!(
        next_event(&mut ev),
        Event::Expectation {
            kind: EventKind::Destroy,
            ..
        }
    ));

    // A filter in the kernel: only UDP to 10.4.0.0/16 with mark 1 in the
    // low byte, except zone 9.
    ev.set_filter(
        &EventFilter::new()
            .protocol(17)
            .dst_ipv4("10.4.0.0".parse().unwrap(), 16)
            .mark(1, 0xff)
            .zone(9)
            .negate(FilterField::Zone),
    )
    .unwrap();
    let candidates = [
        (udp("10.3.0.1", "10.4.1.1", 1, 53), 1, 0, true),
        (udp("10.3.0.1", "10.5.1.1", 2, 53), 1, 0, false),
        (tcp("10.3.0.1", "10.4.1.1", 3, 53), 1, 0, false),
        (udp("10.3.0.1", "10.4.1.1", 4, 53), 2, 0, false),
        (udp("10.3.0.1", "10.4.1.1", 5, 53), 0x101, 9, false),
        (udp("10.3.0.1", "10.4.1.1", 6, 53), 0x201, 0, true),
    ];
    for (t, mark, zone, _) in candidates {
        let mut f = entry(t);
        f.mark = Some(mark);
        f.zone = (zone != 0).then_some(zone);
        ct.create(&f).unwrap();
    }
    let mut delivered = Vec::new();
    while let Some(e) = ev.try_recv().unwrap() {
        if let Event::Flow { flow, .. } = e {
            delivered.push(flow.orig.proto.ports().unwrap().src);
        }
    }
    let want: Vec<u16> = candidates
        .iter()
        .filter(|c| c.3)
        .map(|c| c.0.proto.ports().unwrap().src)
        .collect();
    assert_eq!(delivered, want);
    ev.clear_filter().unwrap();
    assert_eq!(ev.clear_filter().unwrap_err().errno(), libc::ENOENT);
}

#[test]
fn overrun_is_reported_and_recoverable() {
    private_netns();
    let mut ev = Events::subscribe(EventGroups::NEW).unwrap();
    ev.set_timeout(Some(Duration::from_secs(10))).unwrap();
    // The smallest buffer the kernel grants, and more events than fit.
    ev.set_recv_buffer_size(1).unwrap();
    let mut ct = open();
    let n = 300u16;
    for p in 1..=n {
        ct.create(&entry(udp("10.6.0.1", "10.6.0.2", p, 53)))
            .unwrap();
    }
    // poll() sees the descriptor readable.
    let mut pfd = libc::pollfd {
        fd: ev.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the call.
    assert_eq!(unsafe { libc::poll(&mut pfd, 1, 1000) }, 1);
    let mut got = 0;
    let mut overruns = 0;
    loop {
        match ev.try_recv() {
            Ok(Some(_)) => got += 1,
            Ok(None) => break,
            Err(e) if e.is_overrun() => overruns += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(overruns, 1, "one overrun reported");
    assert!(got < usize::from(n), "some events were lost ({got})");
    // The socket still works: new events arrive.
    ct.create(&entry(udp("10.6.0.1", "10.6.0.2", 999, 53)))
        .unwrap();
    match ev.recv().unwrap() {
        Event::Flow { kind, flow } => {
            assert_eq!(kind, EventKind::New);
            assert_eq!(flow.orig.proto.ports().unwrap().src, 999);
        }
        other => panic!("unexpected {other:?}"),
    }
    // Resync: the whole table again.
    let count = ev.resync().unwrap().count();
    assert_eq!(count, usize::from(n) + 1);
}

#[test]
fn statistics() {
    private_netns();
    let mut ct = open();
    assert_eq!(ct.stats().unwrap().entries, 0);
    for p in 1..=5u16 {
        ct.create(&entry(udp("10.7.0.1", "10.7.0.2", p, 53)))
            .unwrap();
    }
    let s = ct.stats().unwrap();
    assert_eq!(s.entries, 5);
    assert_eq!(s.max_entries, Some(262144));
    let cpus = ct.cpu_stats().unwrap();
    // SAFETY: sysconf takes no pointers.
    let ncpu = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) } as usize;
    assert!(
        !cpus.is_empty() && cpus.len() <= ncpu.max(1) * 2,
        "{cpus:?}"
    );
    let cpu_ids: BTreeSet<u16> = cpus.iter().map(|c| c.cpu).collect();
    assert_eq!(cpu_ids.len(), cpus.len());
    // Entries created over netlink are inserted by ctnetlink itself.
    let inserted: u32 = cpus.iter().map(|c| c.insert).sum();
    assert!(inserted <= 5, "{cpus:?}");
}
