//! The Rust API's dump, printed with `Display` and `Flow::xml()`, against
//! the unmodified `conntrack -L` (and `-L -o xml`, `-L expect`) on the same
//! table, in a private network namespace. `conntrack` runs on the reference
//! C libraries (1.0.9 system-wide; 1.1.0 from `ref/` when fetched), so the
//! oracle is never our own code. Only what changes by itself between the two
//! reads is masked: the timeouts counting down.

mod common;

use std::net::UdpSocket;
use std::path::Path;
use std::process::Command;

use common::{private_netns, run, sysctl, track_loopback};
use netfilter_conntrack::{Conntrack, Flow, Helper, Ports, Proto, ProtoInfo, TcpState, Tuple};

/// The `conntrack` binaries to compare with, and the library directory each
/// runs on (`None`: the system's).
fn clients() -> Vec<(String, Option<String>)> {
    let mut v = vec![("/usr/sbin/conntrack".to_string(), None)];
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = format!("{root}/ref/trixie/usr/sbin/conntrack");
    let lib = format!("{root}/ref/trixie/usr/lib/x86_64-linux-gnu");
    if Path::new(&bin).exists() && Path::new(&lib).join("libnetfilter_conntrack.so.3").exists() {
        v.push((bin, Some(lib)));
    }
    v
}

fn conntrack(client: &(String, Option<String>), args: &[&str]) -> String {
    let mut cmd = Command::new(&client.0);
    cmd.args(args);
    if let Some(lib) = &client.1 {
        cmd.env("LD_LIBRARY_PATH", lib);
    }
    let out = cmd.output().expect("conntrack runs");
    assert!(
        out.status.success(),
        "{} {args:?}: {}",
        client.0,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A plain line with its timeout (the third field) replaced by `T`; the
/// spacing stays as printed.
fn mask_plain(line: &str) -> String {
    let mut starts = line
        .char_indices()
        .filter(|&(i, c)| c != ' ' && (i == 0 || line.as_bytes()[i - 1] == b' '))
        .map(|(i, _)| i);
    let at = starts
        .nth(2)
        .unwrap_or_else(|| panic!("no timeout in {line}"));
    let end = line[at..].find(' ').map_or(line.len(), |n| at + n);
    format!("{}T{}", &line[..at], &line[end..])
}

/// An XML flow with its timeout masked.
fn mask_xml(line: &str) -> String {
    match (line.find("<timeout>"), line.find("</timeout>")) {
        (Some(a), Some(b)) => format!("{}<timeout>T{}", &line[..a], &line[b..]),
        _ => line.to_string(),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// A table with every kind of entry: the kernel suite's entries, real
/// loopback traffic with counters, an FTP master with a helper and an
/// expectation, and a few hundred more.
fn load_table() {
    sysctl("net/netfilter/nf_conntrack_acct", "1");
    track_loopback();
    let entries = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/kernel/entries.txt");
    run(&["conntrack", "-R", entries], "");
    let bulk: String = (1..=300)
        .map(|i| {
            format!(
                "-I -p udp -s 10.9.{}.{} -d 10.8.0.1 --sport {} --dport 53 -t 600 -m {i}\n",
                i / 250,
                i % 250 + 1,
                1000 + i
            )
        })
        .collect();
    run(&["conntrack", "-R", "-"], &bulk);
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .send_to(b"ping", server.local_addr().unwrap())
        .unwrap();
    let (_, from) = server.recv_from(&mut [0; 8]).unwrap();
    server.send_to(b"pong", from).unwrap();
    let mut ct = Conntrack::open().unwrap();
    let orig = Tuple::new(
        "127.0.0.1".parse().unwrap(),
        "127.0.0.1".parse().unwrap(),
        Proto::Tcp(Ports {
            src: 40021,
            dst: 21,
        }),
    );
    let mut master = Flow::new(orig);
    master.reply = Some(orig.reversed());
    master.timeout = Some(600);
    master.protoinfo = Some(ProtoInfo::tcp_state(TcpState::ESTABLISHED));
    master.helper = Some(Helper {
        name: "ftp".into(),
        info: None,
    });
    ct.create(&master).unwrap();
    run(
        &[
            "conntrack",
            "-I",
            "expect",
            "-s",
            "127.0.0.1",
            "-d",
            "127.0.0.1",
            "-p",
            "tcp",
            "--sport",
            "40021",
            "--dport",
            "21",
            "--tuple-src",
            "127.0.0.1",
            "--tuple-dst",
            "127.0.0.1",
            "--tuple-port-src",
            "0",
            "--tuple-port-dst",
            "51299",
            "--mask-src",
            "255.255.255.255",
            "--mask-dst",
            "255.255.255.255",
            "--mask-port-src",
            "0",
            "--mask-port-dst",
            "0xffff",
            "-t",
            "200",
        ],
        "",
    );
}

#[test]
fn display_equals_conntrack_list() {
    assert_eq!(
        mask_plain("tcp      6 431999 ESTABLISHED src=1"),
        "tcp      6 T ESTABLISHED src=1"
    );
    private_netns();
    load_table();
    let mut ct = Conntrack::open().unwrap();
    let flows: Vec<Flow> = ct.dump().unwrap().map(Result::unwrap).collect();
    assert!(flows.len() > 310, "{} entries", flows.len());
    let ours_plain = sorted(flows.iter().map(|f| mask_plain(&f.to_string())).collect());
    let ours_xml = sorted(
        flows
            .iter()
            .map(|f| mask_xml(&f.xml().to_string()))
            .collect(),
    );
    let exps: Vec<String> = ct
        .dump_expectations()
        .unwrap()
        .map(|e| e.unwrap().to_string())
        .collect();
    assert_eq!(exps.len(), 1);

    for client in clients() {
        let theirs = conntrack(&client, &["-L"]);
        let theirs = sorted(theirs.lines().map(mask_plain).collect());
        assert_eq!(ours_plain.len(), theirs.len(), "{}", client.0);
        for (a, b) in ours_plain.iter().zip(&theirs) {
            assert_eq!(a, b, "{}", client.0);
        }

        let xml = conntrack(&client, &["-L", "-o", "xml"]);
        let theirs: Vec<String> = xml
            .lines()
            .filter(|l| l.starts_with("<flow>"))
            .map(mask_xml)
            .collect();
        assert_eq!(ours_xml, sorted(theirs), "{} -o xml", client.0);

        // The expectation's timeout counts down too: compare the rest.
        let rest = |l: &str| l.split_once(' ').map(|(_, r)| r.to_string());
        let theirs = conntrack(&client, &["-L", "expect"]);
        let theirs: Vec<_> = theirs.lines().map(rest).collect();
        let ours: Vec<_> = exps.iter().map(|l| rest(l)).collect();
        assert_eq!(ours, theirs, "{} -L expect", client.0);
    }
}
