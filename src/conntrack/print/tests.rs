//! Printer tests: exact output for hand-checked objects (the strings follow
//! the reference library's output), and the truncation contract at every
//! buffer size.

use super::*;
use crate::bitmask::Bitmask;
use crate::conntrack::layout;
use crate::conntrack::object::{Labels, AF_INET, AF_INET6};
use crate::conntrack::{Attr::*, Conntrack, Head};
use crate::ctnetlink::status::{IPS_ASSURED, IPS_HW_OFFLOAD, IPS_OFFLOAD, IPS_SEEN_REPLY};
use crate::ffi::bitmask_pool::BitmaskBox;

const CLOCK: FixedClock = FixedClock(1_700_000_000);

fn opts(msg_type: u32, flags: u32) -> Options<'static> {
    Options {
        msg_type,
        flags,
        labels: None,
        clock: &CLOCK,
    }
}

fn render(ct: CtRef<'_>, format: Format, o: &Options<'_>) -> Result<String, PrintError> {
    let mut buf = [0u8; 4096];
    let n = print(&mut buf, ct, format, o)?;
    assert_eq!(buf[n], 0, "NUL-terminated");
    Ok(String::from_utf8(buf[..n].to_vec()).unwrap())
}

fn plain(ct: &Conntrack, msg_type: u32, flags: u32) -> String {
    render(ct.view(), Format::Plain, &opts(msg_type, flags)).unwrap()
}

fn xml(ct: &Conntrack, msg_type: u32, flags: u32) -> String {
    render(ct.view(), Format::Xml, &opts(msg_type, flags)).unwrap()
}

fn ip4(a: [u8; 4]) -> u32 {
    u32::from_ne_bytes(a)
}

fn port(p: u16) -> u16 {
    p.to_be()
}

/// A typical established TCP entry as `conntrack -L` receives it.
fn tcp_entry() -> Conntrack {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET);
    ct.set_u8(ATTR_REPL_L3PROTO, AF_INET);
    ct.set_u8(ATTR_ORIG_L4PROTO, 6);
    ct.set_u8(ATTR_REPL_L4PROTO, 6);
    ct.set_u32(ATTR_ORIG_IPV4_SRC, ip4([192, 168, 1, 10]));
    ct.set_u32(ATTR_ORIG_IPV4_DST, ip4([10, 0, 0, 1]));
    ct.set_u32(ATTR_REPL_IPV4_SRC, ip4([10, 0, 0, 1]));
    ct.set_u32(ATTR_REPL_IPV4_DST, ip4([192, 168, 1, 10]));
    ct.set_u16(ATTR_ORIG_PORT_SRC, port(51234));
    ct.set_u16(ATTR_ORIG_PORT_DST, port(443));
    ct.set_u16(ATTR_REPL_PORT_SRC, port(443));
    ct.set_u16(ATTR_REPL_PORT_DST, port(51234));
    ct.set_u8(ATTR_TCP_STATE, 3);
    ct.set_u32(ATTR_TIMEOUT, 431999);
    ct.set_u32(ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED);
    ct.set_u32(ATTR_MARK, 7);
    ct.set_u32(ATTR_ID, 123456789);
    ct.mark(ATTR_USE);
    ct
}

#[test]
fn plain_tcp_entry() {
    let ct = tcp_entry();
    assert_eq!(
        plain(&ct, 0, 0),
        "tcp      6 431999 ESTABLISHED src=192.168.1.10 dst=10.0.0.1 sport=51234 dport=443 \
         src=10.0.0.1 dst=192.168.1.10 sport=443 dport=51234 [ASSURED] mark=7 use=0"
    );
    assert_eq!(
        plain(&ct, MSG_NEW, OF_SHOW_LAYER3 | OF_ID),
        "    [NEW] ipv4     2 tcp      6 431999 ESTABLISHED src=192.168.1.10 dst=10.0.0.1 \
         sport=51234 dport=443 src=10.0.0.1 dst=192.168.1.10 sport=443 dport=51234 [ASSURED] \
         mark=7 use=0 id=123456789"
    );
    assert!(plain(&ct, MSG_UPDATE, 0).starts_with(" [UPDATE] tcp "));
    assert!(plain(&ct, MSG_DESTROY, 0).starts_with("[DESTROY] tcp "));
    assert!(plain(&ct, 7, 0).starts_with("tcp "));
    assert!(plain(&ct, 0x8000_0000, 0).starts_with("tcp "));
}

#[test]
fn plain_status_flags() {
    let mut ct = tcp_entry();
    ct.set_u32(ATTR_STATUS, 0);
    let s = plain(&ct, 0, 0);
    assert!(s.contains("dport=443 [UNREPLIED] src=10.0.0.1"), "{s}");
    assert!(!s.contains("ASSURED"));
    ct.set_u32(ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED | IPS_OFFLOAD);
    assert!(plain(&ct, 0, 0).contains(" [OFFLOAD] mark"));
    ct.set_u32(ATTR_STATUS, IPS_SEEN_REPLY | IPS_OFFLOAD | IPS_HW_OFFLOAD);
    assert!(plain(&ct, 0, 0).contains(" [HW_OFFLOAD] mark"));
}

#[test]
fn plain_without_protocol_fails() {
    let mut ct = tcp_entry();
    ct.unset(ATTR_ORIG_L3PROTO);
    assert!(render(ct.view(), Format::Plain, &opts(0, 0)).is_ok());
    assert_eq!(
        render(ct.view(), Format::Plain, &opts(0, OF_SHOW_LAYER3)),
        Err(PrintError::NoProtocol)
    );
    ct.unset(ATTR_ORIG_L4PROTO);
    assert_eq!(
        render(ct.view(), Format::Plain, &opts(0, 0)),
        Err(PrintError::NoProtocol)
    );
    // XML prints whatever is there.
    assert!(render(ct.view(), Format::Xml, &opts(0, 0)).is_ok());
    // The header already printed stays, NUL-terminated.
    let mut buf = [b'X'; 32];
    assert!(print(&mut buf, ct.view(), Format::Plain, &opts(MSG_NEW, 0)).is_err());
    assert_eq!(&buf[..11], b"    [NEW] \0");
    assert_eq!(buf[11], b'X');
}

#[test]
fn plain_protocols() {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L3PROTO, AF_INET6);
    ct.set_u8(ATTR_REPL_L3PROTO, AF_INET6);
    let mut a = [0u8; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = 1;
    ct.set_bytes(ATTR_ORIG_IPV6_SRC, &a).unwrap();
    ct.set_bytes(ATTR_ORIG_IPV6_DST, &[0; 16]).unwrap();
    ct.set_u8(ATTR_ORIG_L4PROTO, 58);
    ct.set_u8(ATTR_ICMP_TYPE, 128);
    ct.set_u8(ATTR_ICMP_CODE, 0);
    ct.set_u16(ATTR_ICMP_ID, port(77));
    ct.set_u8(ATTR_REPL_L4PROTO, 58);
    assert_eq!(
        plain(&ct, 0, OF_SHOW_LAYER3),
        "ipv6     10 icmpv6   58 src=2001:db8::1 dst=:: type=128 code=0 id=77 src=:: dst=:: type=129 code=0 id=77"
    );
    ct.set_u8(ATTR_ORIG_L4PROTO, 47);
    ct.set_u8(ATTR_REPL_L4PROTO, 47);
    ct.set_u16(ATTR_ORIG_PORT_SRC, port(0xabc));
    ct.set_u16(ATTR_ORIG_PORT_DST, port(0));
    assert!(plain(&ct, 0, 0)
        .contains("gre      47 src=2001:db8::1 dst=:: srckey=0xabc dstkey=0x0 src=::"));
    ct.set_u8(ATTR_ORIG_L4PROTO, 200);
    assert!(
        plain(&ct, 0, 0).starts_with("unknown  200 src=2001:db8::1 dst=:: src=:: dst=:: srckey")
    );
    ct.set_u8(ATTR_ORIG_L3PROTO, 7);
    assert!(plain(&ct, 0, OF_SHOW_LAYER3).starts_with("unknown  7 unknown  200 src=::"));
}

#[test]
fn plain_states_share_one_byte() {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L4PROTO, 132);
    ct.set_u8(ATTR_SCTP_STATE, 4);
    assert_eq!(plain(&ct, 0, 0), "sctp     132 ESTABLISHED sport=0 dport=0");
    ct.mark(ATTR_TCP_STATE);
    ct.mark(ATTR_DCCP_STATE);
    assert_eq!(
        plain(&ct, 0, 0),
        "sctp     132 FIN_WAIT ESTABLISHED OPEN sport=0 dport=0"
    );
    ct.set_u8(ATTR_DCCP_STATE, 200);
    assert_eq!(
        plain(&ct, 0, 0),
        "sctp     132 NONE NONE NONE sport=0 dport=0"
    );
}

#[test]
fn plain_optional_fields_in_order() {
    let mut ct = tcp_entry();
    ct.set_u16(ATTR_ORIG_ZONE, 1);
    ct.set_u16(ATTR_REPL_ZONE, 2);
    ct.set_u16(ATTR_ZONE, 3);
    ct.set_u32(ATTR_SECMARK, 4);
    ct.set_secctx(b"system_u:object_r:x");
    ct.set_bytes(ATTR_HELPER_NAME, b"ftp").unwrap();
    for a in [
        ATTR_ORIG_COUNTER_PACKETS,
        ATTR_ORIG_COUNTER_BYTES,
        ATTR_REPL_COUNTER_PACKETS,
        ATTR_REPL_COUNTER_BYTES,
    ] {
        ct.mark(a);
    }
    ct.store(layout::ORIG_PACKETS, &5u64.to_ne_bytes());
    ct.store(layout::REPL_BYTES, &u64::MAX.to_ne_bytes());
    assert_eq!(
        plain(&ct, 0, 0),
        "tcp      6 431999 ESTABLISHED src=192.168.1.10 dst=10.0.0.1 sport=51234 dport=443 \
         zone-orig=1 packets=5 bytes=0 src=10.0.0.1 dst=192.168.1.10 sport=443 dport=51234 \
         zone-reply=2 packets=0 bytes=18446744073709551615 [ASSURED] mark=7 secmark=4 \
         secctx=system_u:object_r:x zone=3 helper=ftp use=0"
    );
}

#[test]
fn plain_secctx_without_value_prints_null() {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L4PROTO, 17);
    ct.mark(ATTR_SECCTX);
    assert_eq!(
        plain(&ct, 0, 0),
        "udp      17 sport=0 dport=0 secctx=(null)"
    );
}

#[test]
fn plain_timestamps() {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L4PROTO, 17);
    ct.mark(ATTR_TIMESTAMP_START);
    ct.store(
        layout::TIMESTAMP_START,
        &1_699_999_000_123_456_789u64.to_ne_bytes(),
    );
    // Not stopped: aged against the clock.
    assert_eq!(
        plain(&ct, 0, 0),
        "udp      17 sport=0 dport=0 delta-time=1000"
    );
    assert_eq!(
        plain(&ct, 0, OF_TIMESTAMP),
        "udp      17 sport=0 dport=0 delta-time=1000 [start=Tue Nov 14 21:56:40 2023]"
    );
    ct.mark(ATTR_TIMESTAMP_STOP);
    ct.store(
        layout::TIMESTAMP_STOP,
        &1_699_999_061_000_000_000u64.to_ne_bytes(),
    );
    assert_eq!(
        plain(&ct, 0, OF_TIMESTAMP),
        "udp      17 sport=0 dport=0 delta-time=61 [start=Tue Nov 14 21:56:40 2023] \
         [stop=Tue Nov 14 21:57:41 2023]"
    );
    // A stop before the start wraps, as the reference's unsigned print does.
    ct.store(layout::TIMESTAMP_STOP, &1_000_000_000u64.to_ne_bytes());
    assert!(plain(&ct, 0, 0).ends_with(&format!("delta-time={}", (1i64 - 1_699_999_000) as u64)));
    // A stop bit alone shows only with the flag.
    ct.unset(ATTR_TIMESTAMP_START);
    assert_eq!(plain(&ct, 0, 0), "udp      17 sport=0 dport=0");
    assert_eq!(
        plain(&ct, 0, OF_TIMESTAMP),
        "udp      17 sport=0 dport=0 [stop=Thu Jan  1 00:00:01 1970]"
    );
}

#[test]
fn utc_breakdown_matches_libc() {
    for t in [
        0i64,
        1,
        59,
        86_399,
        86_400,
        951_782_400,
        1_700_000_000,
        4_102_444_800,
        18_446_744_073,
        -1,
        -86_401,
    ] {
        // SAFETY: gmtime_r with valid pointers.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        let tt = t as libc::time_t;
        assert!(!unsafe { libc::gmtime_r(&tt, &mut tm) }.is_null());
        let ours = Tm::utc(t);
        assert_eq!(
            (ours.sec, ours.min, ours.hour, ours.mday, ours.mon, ours.year, ours.wday),
            (tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon, tm.tm_year, tm.tm_wday),
            "t = {t}"
        );
    }
}

struct Names(Vec<&'static CStr>);

impl LabelNames for Names {
    fn name(&self, bit: u32) -> Option<&CStr> {
        self.0.get(bit as usize).copied()
    }
}

fn with_labels(bits: &[u32]) -> Conntrack {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L4PROTO, 17);
    let mut b = Bitmask::new(127).unwrap();
    for &bit in bits {
        b.set(bit);
    }
    ct.set_labels(ATTR_CONNLABELS, Labels::owned(BitmaskBox::new(b).unwrap()))
        .unwrap();
    ct
}

fn label_opts(names: &Names) -> Options<'_> {
    Options {
        msg_type: 0,
        flags: 0,
        labels: Some(names),
        clock: &CLOCK,
    }
}

#[test]
fn labels_plain_and_xml() {
    let names = Names(vec![c"zero", c"", c"two", c"three"]);
    let ct = with_labels(&[0, 1, 2, 5, 100]);
    let o = label_opts(&names);
    assert_eq!(
        render(ct.view(), Format::Plain, &o).unwrap(),
        "udp      17 sport=0 dport=0 labels=zero,two"
    );
    assert!(render(ct.view(), Format::Xml, &o)
        .unwrap()
        .contains("<meta direction=\"independent\"><labels><label>zero</label><label>two</label></labels></meta>"));
    // No known name: the '=' is replaced.
    let ct = with_labels(&[1, 9]);
    assert_eq!(
        render(ct.view(), Format::Plain, &o).unwrap(),
        "udp      17 sport=0 dport=0 labels"
    );
    // Without a map, labels are not printed.
    assert_eq!(plain(&ct, 0, 0), "udp      17 sport=0 dport=0");
    assert!(xml(&ct, 0, 0).contains("<meta direction=\"independent\"></meta>"));
}

#[test]
fn xml_tcp_entry() {
    let ct = tcp_entry();
    assert_eq!(
        xml(&ct, MSG_NEW, OF_ID | OF_SHOW_LAYER3),
        "<flow type=\"new\"><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\">\
         <src>192.168.1.10</src><dst>10.0.0.1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\">\
         <sport>51234</sport><dport>443</dport></layer4></meta><meta direction=\"reply\">\
         <layer3 protonum=\"2\" protoname=\"ipv4\"><src>10.0.0.1</src><dst>192.168.1.10</dst></layer3>\
         <layer4 protonum=\"6\" protoname=\"tcp\"><sport>443</sport><dport>51234</dport></layer4></meta>\
         <meta direction=\"independent\"><state>ESTABLISHED</state><timeout>431999</timeout><mark>7</mark>\
         <use>0</use><id>123456789</id><assured/></meta></flow>"
    );
    assert!(xml(&ct, MSG_UPDATE, 0).starts_with("<flow type=\"update\"><meta"));
    assert!(xml(&ct, MSG_DESTROY, 0).starts_with("<flow type=\"destroy\"><meta"));
    assert!(xml(&ct, 0, 0).starts_with("<flow><meta"));
}

#[test]
fn xml_empty_object() {
    let ct = Conntrack::new();
    assert_eq!(
        xml(&ct, 0, 0),
        "<flow><meta direction=\"original\"><layer3 protonum=\"0\" protoname=\"unknown\"><src></src><dst></dst>\
         </layer3><layer4 protonum=\"0\" protoname=\"unknown\"></layer4></meta><meta direction=\"reply\">\
         <layer3 protonum=\"0\" protoname=\"unknown\"><src></src><dst></dst></layer3><layer4 protonum=\"0\" \
         protoname=\"unknown\"></layer4></meta></flow>"
    );
}

#[test]
fn xml_time_and_timestamps() {
    let mut ct = Conntrack::new();
    ct.mark(ATTR_TIMESTAMP_START);
    ct.store(
        layout::TIMESTAMP_START,
        &1_699_999_000_000_000_000u64.to_ne_bytes(),
    );
    ct.set_bytes(ATTR_HELPER_NAME, b"sip").unwrap();
    let s = xml(&ct, 0, OF_TIME | OF_TIMESTAMP);
    assert!(
        s.ends_with(
            "<meta direction=\"independent\"><timestamp><start>1699999000000000000</start></timestamp>\
             <deltatime>1000</deltatime></meta><when><hour>22</hour><min>13</min><sec>20</sec><wday>3</wday>\
             <day>14</day><month>11</month><year>2023</year></when><helper>sip</helper></flow>"
        ),
        "{s}"
    );
    ct.mark(ATTR_TIMESTAMP_STOP);
    ct.store(
        layout::TIMESTAMP_STOP,
        &1_699_999_090_500_000_000u64.to_ne_bytes(),
    );
    assert!(xml(&ct, 0, 0)
        .contains("<meta direction=\"independent\"><deltatime>90</deltatime></meta><helper>"));
}

#[test]
fn xml_states_use_the_tcp_names() {
    let mut ct = Conntrack::new();
    ct.set_u8(ATTR_ORIG_L4PROTO, 33);
    ct.set_u8(ATTR_DCCP_STATE, 4);
    assert!(xml(&ct, 0, 0).contains("<state>FIN_WAIT</state>"));
}

#[test]
fn detached_heads_print_their_tuple() {
    let ct = tcp_entry();
    let head = Head::of(ct.view());
    let got = render(CtRef::Head(&head), Format::Plain, &opts(0, 0)).unwrap();
    assert_eq!(
        got,
        "tcp      6 src=192.168.1.10 dst=10.0.0.1 sport=51234 dport=443"
    );
    assert!(render(CtRef::Head(&head), Format::Xml, &opts(0, 0)).is_ok());
}

/// Every buffer size: the same length, the longest prefix that fits, a NUL
/// after it, and nothing written past the buffer.
fn check_every_size(ct: CtRef<'_>, format: Format, o: &Options<'_>) {
    let mut full = [0u8; 4096];
    let len = print(&mut full, ct, format, o).unwrap();
    let mut zero: [u8; 0] = [];
    let at_zero = print(&mut zero, ct, format, o).unwrap();
    assert!(at_zero == len || format == Format::Xml);
    let mut last = 0;
    for size in 1..len + 4 {
        let mut buf = vec![b'X'; size + 8];
        let got = print(&mut buf[..size], ct, format, o).unwrap();
        match format {
            Format::Plain => assert_eq!(got, len, "size {size}"),
            // XML ports count only what fit of them (as the reference).
            Format::Xml => {
                assert!(got >= last && got <= len, "size {size}");
                assert!(size <= len || got == len, "size {size}");
                last = got;
            }
        }
        let kept = len.min(size - 1);
        assert_eq!(buf[..kept], full[..kept], "size {size}");
        assert_eq!(buf[kept], 0, "size {size}");
        assert!(buf[size..].iter().all(|&b| b == b'X'), "size {size}");
    }
}

#[test]
fn truncation_at_every_size() {
    let mut ct = tcp_entry();
    ct.set_u16(ATTR_ORIG_ZONE, 1);
    ct.mark(ATTR_ORIG_COUNTER_PACKETS);
    ct.mark(ATTR_ORIG_COUNTER_BYTES);
    for format in [Format::Plain, Format::Xml] {
        for flags in 0..16 {
            for msg in [0, MSG_NEW, MSG_DESTROY] {
                check_every_size(ct.view(), format, &opts(msg, flags));
            }
        }
    }
}

#[test]
fn truncated_labels_stop_counting() {
    let names = Names(vec![c"aaaa", c"bbbb", c"cccc"]);
    let ct = with_labels(&[0, 1, 2]);
    let o = label_opts(&names);
    let full = render(ct.view(), Format::Plain, &o).unwrap();
    assert_eq!(full, "udp      17 sport=0 dport=0 labels=aaaa,bbbb,cccc");
    let at = full.find("labels=").unwrap() + 7;
    // Room runs out inside "bbbb,": "cccc," is never counted.
    let size = at + 7;
    let mut buf = vec![b'X'; size];
    let n = print(&mut buf, ct.view(), Format::Plain, &o).unwrap();
    assert_eq!(n, at + 9);
    assert_eq!(&buf[..size], format!("{}\0", &full[..size - 1]).as_bytes());
    // With no room at all, no name is counted.
    let mut zero: [u8; 0] = [];
    assert_eq!(
        print(&mut zero, ct.view(), Format::Plain, &o).unwrap(),
        at - 1
    );
}

#[test]
fn xml_ports_count_only_what_fit() {
    let ct = tcp_entry();
    let len = xml(&ct, 0, 0).len();
    let mut buf = [0u8; 1];
    let got = print(&mut buf, ct.view(), Format::Xml, &opts(0, 0)).unwrap();
    // "<sport>51234</sport>" + "<dport>443</dport>", in both directions.
    assert_eq!(got, len - 2 * 38);
    assert_eq!(buf, [0]);
}

#[test]
fn ctime_matches_libc_asctime() {
    let mut t: i64 = 0;
    // Dates from 1970 to past 2500, stepping by an odd amount of seconds.
    while t < 18_446_744_073 {
        let mut out = [0u8; 64];
        let mut w = Writer::new(&mut out);
        text::ctime(&mut w, &Tm::utc(t));
        let n = w.pos();
        // SAFETY: gmtime_r and asctime_r with valid pointers and a 26+ byte buffer.
        let want = unsafe {
            let tt = t as libc::time_t;
            let mut tm: libc::tm = std::mem::zeroed();
            assert!(!libc::gmtime_r(&tt, &mut tm).is_null());
            let mut buf = [0 as libc::c_char; 64];
            assert!(!asctime_r(&tm, buf.as_mut_ptr()).is_null());
            CStr::from_ptr(buf.as_ptr()).to_bytes().to_vec()
        };
        assert_eq!(&out[..n], want.strip_suffix(b"\n").unwrap(), "t = {t}");
        t += 7_777_777;
    }
}

extern "C" {
    fn asctime_r(tm: *const libc::tm, buf: *mut libc::c_char) -> *mut libc::c_char;
}

/// Central European winter time, as the C tests set it (enough for November).
struct Cet;

impl Clock for Cet {
    fn now(&self) -> i64 {
        1_700_000_000
    }
    fn local(&self, t: i64, _reload_zone: bool) -> Option<Tm> {
        Some(Tm::utc(t + 3600))
    }
}

/// The stopped entry of capi-tests/print_parsed.c, built from raw values;
/// the expected texts and lengths are the reference library's.
#[test]
fn kernel_values_as_the_reference_prints_them() {
    let mut ct = Conntrack::new();
    for (a, v) in [
        (ATTR_ORIG_L3PROTO, AF_INET),
        (ATTR_REPL_L3PROTO, AF_INET),
        (ATTR_ORIG_L4PROTO, 6),
        (ATTR_REPL_L4PROTO, 6),
    ] {
        ct.set_u8(a, v);
    }
    ct.set_u32(ATTR_ORIG_IPV4_SRC, ip4([10, 1, 2, 3]));
    ct.set_u32(ATTR_ORIG_IPV4_DST, ip4([10, 9, 8, 7]));
    ct.set_u32(ATTR_REPL_IPV4_SRC, ip4([10, 9, 8, 7]));
    ct.set_u32(ATTR_REPL_IPV4_DST, ip4([10, 1, 2, 3]));
    ct.set_u16(ATTR_ORIG_PORT_SRC, port(40000));
    ct.set_u16(ATTR_ORIG_PORT_DST, port(22));
    ct.set_u16(ATTR_REPL_PORT_SRC, port(22));
    ct.set_u16(ATTR_REPL_PORT_DST, port(40000));
    ct.set_u16(ATTR_ORIG_ZONE, 1);
    ct.set_u16(ATTR_REPL_ZONE, 2);
    ct.set_u8(ATTR_TCP_STATE, 7);
    ct.set_u32(ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED | 8);
    ct.set_u32(ATTR_TIMEOUT, 117);
    ct.set_u32(ATTR_MARK, 0x8000_0001);
    ct.set_u32(ATTR_ID, 4_000_000_000);
    ct.set_u16(ATTR_ZONE, 77);
    ct.set_secctx(b"system_u:object_r:ssh_t:s0");
    ct.set_bytes(ATTR_HELPER_NAME, b"ftp").unwrap();
    let raw: [(crate::conntrack::Attr, u16, u64); 7] = [
        (ATTR_ORIG_COUNTER_PACKETS, layout::ORIG_PACKETS, 1_234_567),
        (ATTR_ORIG_COUNTER_BYTES, layout::ORIG_BYTES, 9_876_543_210),
        (ATTR_REPL_COUNTER_PACKETS, layout::REPL_PACKETS, u64::MAX),
        (ATTR_REPL_COUNTER_BYTES, layout::REPL_BYTES, 0),
        (ATTR_USE, layout::USE, 3),
        (
            ATTR_TIMESTAMP_START,
            layout::TIMESTAMP_START,
            1_700_000_000_123_456_789,
        ),
        (
            ATTR_TIMESTAMP_STOP,
            layout::TIMESTAMP_STOP,
            1_700_003_723_987_654_321,
        ),
    ];
    for (a, at, v) in raw {
        ct.mark(a);
        if a == ATTR_USE {
            ct.store(at, &(v as u32).to_ne_bytes());
        } else {
            ct.store(at, &v.to_ne_bytes());
        }
    }
    let b = Bitmask::from_words(&[1 | 8 | 1 << 31, 1, 0, 1 << 4]);
    ct.set_labels(ATTR_CONNLABELS, Labels::owned(BitmaskBox::new(b).unwrap()))
        .unwrap();
    let mut names = vec![c""; 101];
    for (bit, name) in [
        (0, c"zero"),
        (1, c"one"),
        (3, c"three-with-a-longer-name"),
        (31, c"thirtyone"),
        (32, c"thirtytwo"),
        (100, c"hundred"),
    ] {
        names[bit] = name;
    }
    let names = Names(names);
    let o = |msg_type, flags, labels: bool| Options {
        msg_type,
        flags,
        labels: if labels {
            Some(&names as &dyn LabelNames)
        } else {
            None
        },
        clock: &Cet,
    };
    let plain = render(ct.view(), Format::Plain, &o(MSG_DESTROY, 0xd, true)).unwrap();
    assert_eq!(plain.len(), 479);
    assert_eq!(
        plain,
        "[DESTROY] ipv4     2 tcp      6 117 TIME_WAIT src=10.1.2.3 dst=10.9.8.7 sport=40000 dport=22 \
         zone-orig=1 packets=1234567 bytes=9876543210 src=10.9.8.7 dst=10.1.2.3 sport=22 dport=40000 \
         zone-reply=2 packets=18446744073709551615 bytes=0 [ASSURED] mark=2147483649 \
         secctx=system_u:object_r:ssh_t:s0 zone=77 delta-time=3723 [start=Tue Nov 14 23:13:20 2023] \
         [stop=Wed Nov 15 00:15:23 2023] helper=ftp use=3 id=4000000000 \
         labels=zero,three-with-a-longer-name,thirtyone,thirtytwo,hundred"
    );
    let xml = render(ct.view(), Format::Xml, &o(MSG_DESTROY, 0xd, true)).unwrap();
    assert_eq!(xml.len(), 1091);
    assert!(xml.ends_with(
        "<meta direction=\"independent\"><state>TIME_WAIT</state><timeout>117</timeout><mark>2147483649</mark>\
         <labels><label>zero</label><label>three-with-a-longer-name</label><label>thirtyone</label>\
         <label>thirtytwo</label><label>hundred</label></labels><secctx>system_u:object_r:ssh_t:s0</secctx>\
         <zone>77</zone><use>3</use><id>4000000000</id><assured/><timestamp><start>1700000000123456789</start>\
         <stop>1700003723987654321</stop></timestamp><deltatime>3723</deltatime></meta><helper>ftp</helper></flow>"
    ));
    // Lengths of a one-byte print, with and without label names.
    for (format, labels, want) in [
        (Format::Plain, true, 396),
        (Format::Plain, false, 389),
        (Format::Xml, true, 885),
        (Format::Xml, false, 868),
    ] {
        let mut one = [0u8; 1];
        assert_eq!(
            print(
                &mut one,
                ct.view(),
                format,
                &o(MSG_NEW, OF_TIMESTAMP, labels)
            ),
            Ok(want)
        );
    }
}
