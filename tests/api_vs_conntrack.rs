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
use netfilter_conntrack::OutputFormat::Plain;
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

/// A plain line with its timeout (field `at`, from 0) replaced by `T`, and
/// the age of an entry (`delta-time=`) by `D`; the spacing stays as
/// printed.
fn mask_plain(line: &str, at: usize) -> String {
    let mut starts = line
        .char_indices()
        .filter(|&(i, c)| c != ' ' && (i == 0 || line.as_bytes()[i - 1] == b' '))
        .map(|(i, _)| i);
    let from = starts
        .nth(at)
        .unwrap_or_else(|| panic!("no timeout in {line}"));
    let end = line[from..].find(' ').map_or(line.len(), |n| from + n);
    let masked = format!("{}T{}", &line[..from], &line[end..]);
    mask_between(&masked, "delta-time=", " ", "D")
}

/// `text` with what follows each `open` up to `close` replaced by `with`.
fn mask_between(text: &str, open: &str, close: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(a) = rest.find(open) {
        let after = &rest[a + open.len()..];
        let b = after.find(close).unwrap_or(after.len());
        out.push_str(&rest[..a + open.len()]);
        out.push_str(with);
        rest = &after[b..];
    }
    out.push_str(rest);
    out
}

/// An XML flow with its timeout and age masked.
fn mask_xml(line: &str) -> String {
    let t = mask_between(line, "<timeout>", "</timeout>", "T");
    mask_between(&t, "<deltatime>", "</deltatime>", "D")
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
    sysctl("net/netfilter/nf_conntrack_timestamp", "1");
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
        mask_plain("tcp      6 431999 ESTABLISHED src=1 delta-time=5 use=1", 2),
        "tcp      6 T ESTABLISHED src=1 delta-time=D use=1"
    );
    private_netns();
    load_table();
    let mut ct = Conntrack::open().unwrap();
    let flows: Vec<Flow> = ct.dump().unwrap().map(Result::unwrap).collect();
    assert!(flows.len() > 310, "{} entries", flows.len());
    // Each output form of conntrack -L, the same form of ours, and the
    // field that holds the timeout.
    type Form = fn(&Flow) -> String;
    let forms: [(&[&str], Form, usize); 5] = [
        (&["-L"], |f| f.to_string(), 2),
        (
            &["-L", "-o", "extended"],
            |f| f.display(Plain).layer3().to_string(),
            4,
        ),
        (
            &["-L", "-o", "id"],
            |f| f.display(Plain).id().to_string(),
            2,
        ),
        (
            &["-L", "-o", "ktimestamp"],
            |f| f.display(Plain).kernel_timestamps().to_string(),
            2,
        ),
        (
            &["-L", "-o", "extended,id,ktimestamp"],
            |f| {
                f.display(Plain)
                    .layer3()
                    .id()
                    .kernel_timestamps()
                    .to_string()
            },
            4,
        ),
    ];
    let xml_forms: [(&[&str], Form); 2] = [
        (&["-L", "-o", "xml"], |f| f.xml().to_string()),
        (&["-L", "-o", "xml,id,ktimestamp"], |f| {
            f.xml().id().kernel_timestamps().to_string()
        }),
    ];
    let exps: Vec<String> = ct
        .dump_expectations()
        .unwrap()
        .map(|e| e.unwrap().to_string())
        .collect();
    assert_eq!(exps.len(), 1);

    for client in clients() {
        for (args, form, at) in &forms {
            let ours = sorted(flows.iter().map(|f| mask_plain(&form(f), *at)).collect());
            let out = conntrack(&client, args);
            let theirs = sorted(out.lines().map(|l| mask_plain(l, *at)).collect());
            assert_eq!(ours.len(), theirs.len(), "{} {args:?}", client.0);
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a, b, "{} {args:?}", client.0);
            }
        }
        for (args, form) in &xml_forms {
            let ours = sorted(flows.iter().map(|f| mask_xml(&form(f))).collect());
            let out = conntrack(&client, args);
            let theirs: Vec<String> = out
                .lines()
                .filter(|l| l.starts_with("<flow>"))
                .map(mask_xml)
                .collect();
            assert_eq!(ours, sorted(theirs), "{} {args:?}", client.0);
        }

        // The expectation's timeout counts down too: compare the rest.
        let rest = |l: &str| l.split_once(' ').map(|(_, r)| r.to_string());
        let theirs = conntrack(&client, &["-L", "expect"]);
        let theirs: Vec<_> = theirs.lines().map(rest).collect();
        let ours: Vec<_> = exps.iter().map(|l| rest(l)).collect();
        assert_eq!(ours, theirs, "{} -L expect", client.0);
    }
}
