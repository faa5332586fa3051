//! Printer tests: exact output for objects whose output was taken from the
//! reference library (capi-tests/expect_print.c and expect_msg.c compare
//! every case against it), and the truncation contract at every size.

use super::*;
use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::conntrack::print::{FixedClock, Tm, MEASURE_START, MSG_DESTROY, MSG_NEW, OF_TIME};
use crate::conntrack::{Attr, Conntrack, Head};
use crate::expect::ExpAttr::*;

const CLOCK: FixedClock = FixedClock(1_700_000_000);

fn opts(msg_type: u32, flags: u32) -> Options<'static> {
    Options {
        msg_type,
        flags,
        labels: None,
        clock: &CLOCK,
    }
}

fn render(e: &Expect, format: Format, o: &Options<'_>) -> String {
    let mut buf = [b'X'; 4096];
    let n = print(&mut buf, e, format, o);
    assert_eq!(buf[n], 0, "NUL-terminated");
    String::from_utf8(buf[..n].to_vec()).unwrap()
}

fn tuple(l3: u8, l4: u8, src: &[u8], dst: &[u8], sport: u16, dport: u16) -> Head {
    let mut ct = Conntrack::new();
    ct.set_u8(Attr::ATTR_ORIG_L3PROTO, l3);
    ct.set_u8(Attr::ATTR_ORIG_L4PROTO, l4);
    let (s, d) = if l3 == AF_INET6 {
        (Attr::ATTR_ORIG_IPV6_SRC, Attr::ATTR_ORIG_IPV6_DST)
    } else {
        (Attr::ATTR_ORIG_IPV4_SRC, Attr::ATTR_ORIG_IPV4_DST)
    };
    ct.set_bytes(s, src).unwrap();
    ct.set_bytes(d, dst).unwrap();
    ct.set_u16(Attr::ATTR_ORIG_PORT_SRC, sport.to_be());
    ct.set_u16(Attr::ATTR_ORIG_PORT_DST, dport.to_be());
    Head::of(ct.view())
}

/// The expectation of the kernel event in capi-tests/expect_msg.c.
fn kernel_event() -> Expect {
    let (a, b) = (&[10, 1, 1, 1][..], &[10, 2, 2, 2][..]);
    let ones = &[255; 4][..];
    let mut e = Expect::new();
    e.set_tuple(ATTR_EXP_MASTER, tuple(AF_INET, 6, a, b, 40000, 21))
        .unwrap();
    e.set_tuple(ATTR_EXP_EXPECTED, tuple(AF_INET, 6, a, b, 0, 50000))
        .unwrap();
    e.set_tuple(ATTR_EXP_MASK, tuple(AF_INET, 6, ones, ones, 0, 0xffff))
        .unwrap();
    e.set_tuple(ATTR_EXP_NAT_TUPLE, tuple(AF_INET, 6, b, a, 1, 2))
        .unwrap();
    e.set_uint(ATTR_EXP_TIMEOUT, 299u32.to_ne_bytes()).unwrap();
    e.set_bytes(ATTR_EXP_HELPER_NAME, b"ftp").unwrap();
    e.set_uint(ATTR_EXP_ZONE, 42u16.to_ne_bytes()).unwrap();
    e.set_uint(ATTR_EXP_FLAGS, 6u32.to_ne_bytes()).unwrap();
    e.set_uint(ATTR_EXP_CLASS, 1u32.to_ne_bytes()).unwrap();
    e.set_uint(ATTR_EXP_NAT_DIR, 1u32.to_ne_bytes()).unwrap();
    e.set_bytes(ATTR_EXP_FN, b"nat-follow-master").unwrap();
    e
}

#[test]
fn plain_output_is_the_references() {
    assert_eq!(
        render(&kernel_event(), Format::Plain, &opts(0, 0)),
        "299 proto=6 src=10.1.1.1 dst=10.2.2.2 sport=0 dport=50000 \
         mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 \
         master-src=10.1.1.1 master-dst=10.2.2.2 sport=40000 dport=21 zone=42 \
         INACTIVE,USERSPACE class=1 helper=ftp"
    );
    // The output flags change nothing; message types add a prefix.
    let e = Expect::new();
    assert_eq!(render(&e, Format::Plain, &opts(0, !0)), "proto=0");
    assert_eq!(
        render(&e, Format::Plain, &opts(MSG_NEW, 0)),
        "    [NEW] proto=0"
    );
    assert_eq!(render(&e, Format::Plain, &opts(7, 0)), "proto=0");
}

#[test]
fn xml_output_is_the_references() {
    assert_eq!(
        render(&Expect::new(), Format::Xml, &opts(0, 0)),
        "<flow><layer3 protonum=\"0\" protoname=\"unknown\"><expected><src></src><dst></dst>\
         </expected><mask><src></src><dst></dst></mask><master><src></src><dst></dst>\
         </master></layer3><layer4 protonum=\"0\" protoname=\"unknown\"><expected>\
         </expected><mask></mask><master></master></layer4><meta></meta></flow>"
    );
    let mut e = kernel_event();
    e.set_uint(ATTR_EXP_FLAGS, 7u32.to_ne_bytes()).unwrap();
    assert_eq!(
        render(&e, Format::Xml, &opts(MSG_DESTROY, OF_TIME)),
        "<flow type=\"destroy\"><layer3 protonum=\"2\" protoname=\"ipv4\"><expected>\
         <src>10.1.1.1</src><dst>10.2.2.2</dst></expected><mask><src>255.255.255.255</src>\
         <dst>255.255.255.255</dst></mask><master><src>10.1.1.1</src><dst>10.2.2.2</dst>\
         </master></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><expected><sport>0</sport>\
         <dport>50000</dport></expected><mask><sport>0</sport><dport>65535</dport></mask>\
         <master><sport>40000</sport><dport>21</dport></master></layer4><meta>\
         <helper-name>ftp</helper-name><timeout>299</timeout><class>1</class><zone>42</zone>\
         <when><hour>22</hour><min>13</min><sec>20</sec><wday>3</wday><day>14</day>\
         <month>11</month><year>2023</year></when><permanent/><inactive/><userspace/>\
         </meta></flow>"
    );
}

/// A clock without a local time: the XML skips `<when>`, nothing else.
struct NoLocalTime;

impl crate::conntrack::print::Clock for NoLocalTime {
    fn now(&self) -> i64 {
        0
    }
    fn local(&self, _t: i64, _reload_zone: bool) -> Option<Tm> {
        None
    }
}

#[test]
fn no_local_time_skips_only_the_time() {
    let e = kernel_event();
    let o = Options {
        msg_type: 0,
        flags: OF_TIME,
        labels: None,
        clock: &NoLocalTime,
    };
    let without = render(&e, Format::Xml, &o);
    assert_eq!(without, render(&e, Format::Xml, &opts(0, 0)));
    assert!(without.ends_with("<inactive/><userspace/></meta></flow>"));
}

#[test]
fn the_trailing_space_goes_only_when_everything_fits() {
    let mut e = kernel_event();
    e.unset(ATTR_EXP_HELPER_NAME);
    let full = render(&e, Format::Plain, &opts(0, 0));
    assert!(full.ends_with("class=1"));
    let n = full.len();
    // Room for the whole output and its NUL, trailing space included.
    let mut buf = vec![b'X'; n + 2];
    assert_eq!(print(&mut buf, &e, Format::Plain, &opts(0, 0)), n);
    assert_eq!(&buf[..=n], format!("{full}\0").as_bytes());
    // One byte less: the space is the last thing counted, not dropped.
    let mut buf = vec![b'X'; n + 1];
    assert_eq!(print(&mut buf, &e, Format::Plain, &opts(0, 0)), n + 1);
    assert_eq!(&buf[..], format!("{full}\0").as_bytes());
    // A helper name ending with a space loses it the same way.
    e.set_bytes(ATTR_EXP_HELPER_NAME, b"ab ").unwrap();
    assert!(render(&e, Format::Plain, &opts(0, 0)).ends_with(" helper=ab"));
    e.set_bytes(ATTR_EXP_HELPER_NAME, b"").unwrap();
    assert!(render(&e, Format::Plain, &opts(0, 0)).ends_with(" helper="));
}

#[test]
fn every_size_keeps_the_contract() {
    let mut samples = vec![kernel_event(), Expect::new()];
    let mut v6 = Expect::new();
    let ip6 = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    v6.set_tuple(
        ATTR_EXP_EXPECTED,
        tuple(AF_INET6, 47, &ip6, &ip6, 0x1234, 0xabcd),
    )
    .unwrap();
    samples.push(v6);
    for e in &samples {
        for format in [Format::Plain, Format::Xml] {
            for msg in [0, MSG_NEW] {
                let o = opts(msg, 0);
                let full = render(e, format, &o);
                let mut measured = [0u8; 0];
                assert_eq!(print(&mut measured, e, format, &o), full.len());
                for size in 1..full.len() + 4 {
                    let mut buf = vec![b'X'; size + 8];
                    let r = print(&mut buf[..size], e, format, &o);
                    let cut = r.min(size - 1);
                    assert_eq!(&buf[..cut], &full.as_bytes()[..cut], "size {size}");
                    assert_eq!(buf[cut], 0, "size {size}");
                    assert!(buf[size..].iter().all(|&b| b == b'X'), "size {size}");
                    // With exactly room for the text and its NUL, the
                    // plain output's dropped space still counts.
                    if size > full.len() + 1 {
                        assert_eq!(r, full.len(), "size {size}");
                    } else if size == full.len() + 1 {
                        assert!(r == full.len() || r == size, "size {size}: {r}");
                    } else {
                        assert!(r >= size - 1, "size {size}: {r}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_longest_output_fits_the_measuring_buffer() {
    let ip6 = [0xff; 16];
    let mut e = kernel_event();
    for a in [ATTR_EXP_MASTER, ATTR_EXP_EXPECTED, ATTR_EXP_MASK] {
        e.set_tuple(a, tuple(AF_INET6, 47, &ip6, &ip6, 0xffff, 0xffff))
            .unwrap();
    }
    e.set_bytes(ATTR_EXP_HELPER_NAME, b"a-very-long-helper-name")
        .unwrap();
    e.set_uint(ATTR_EXP_TIMEOUT, u32::MAX.to_ne_bytes())
        .unwrap();
    e.set_uint(ATTR_EXP_CLASS, u32::MAX.to_ne_bytes()).unwrap();
    e.set_uint(ATTR_EXP_FLAGS, u32::MAX.to_ne_bytes()).unwrap();
    for format in [Format::Plain, Format::Xml] {
        // Measuring takes one pass: the output is far below the first
        // scratch buffer.
        let n = render(&e, format, &opts(MSG_DESTROY, OF_TIME)).len();
        assert!(n < 1024 && n + 1 < MEASURE_START, "{n}");
    }
}
