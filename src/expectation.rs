//! The typed model of an expectation: a connection a helper (FTP, SIP, ...)
//! expects to see, related to its master connection.

use std::fmt;

use bitflags::bitflags;

use crate::conntrack::print::{Format, Options};
use crate::conntrack::tuple::ORIG_TUPLE;
use crate::conntrack::{CtRef, Head};
use crate::expect::print::print;
use crate::expect::{ExpAttr, ExpAttr::*, Expect};
use crate::ffi::print::SystemClock;
use crate::flow::convert::{put_tuple, tuple_of};
use crate::flow::display::OutputFormat;
use crate::flow::tuple::Tuple;

bitflags! {
    /// Flags of an expectation (`NF_CT_EXPECT_*`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct ExpectFlags: u32 {
        /// It stays after a connection matched it.
        const PERMANENT = 1 << 0;
        /// It matches no connection yet.
        const INACTIVE = 1 << 1;
        /// Created from user space.
        const USERSPACE = 1 << 2;
    }
}

/// The NAT of an expected connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExpectationNat {
    /// Direction of the master connection the NAT follows (0 original, 1 reply).
    pub dir: u32,
    /// The tuple to translate to.
    pub tuple: Tuple,
}

/// An expectation: the kernel lets a connection matching `expected` under
/// `mask` through as related to the `master` connection.
///
/// ```
/// use netfilter_conntrack::{Expectation, Ports, Proto, Tuple};
///
/// let lo = "127.0.0.1".parse().unwrap();
/// let all = "255.255.255.255".parse().unwrap();
/// let exp = Expectation {
///     master: Some(Tuple::new(lo, lo, Proto::Tcp(Ports { src: 40021, dst: 21 }))),
///     expected: Some(Tuple::new(lo, lo, Proto::Tcp(Ports { src: 0, dst: 51299 }))),
///     mask: Some(Tuple::new(all, all, Proto::Tcp(Ports { src: 0, dst: 0xffff }))),
///     timeout: Some(200),
///     ..Expectation::default()
/// };
/// assert_eq!(
///     exp.to_string(),
///     "200 proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=51299 \
///      mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 \
///      master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 dport=21"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectation {
    /// The original tuple of the master connection.
    pub master: Option<Tuple>,
    /// The expected connection's tuple.
    pub expected: Option<Tuple>,
    /// Which bits of the expected tuple must match.
    pub mask: Option<Tuple>,
    /// Seconds until it expires.
    pub timeout: Option<u32>,
    /// Its zone.
    pub zone: Option<u16>,
    /// Its flags.
    pub flags: Option<ExpectFlags>,
    /// The helper that made it.
    pub helper: Option<String>,
    /// The helper's class of expectation.
    pub class: Option<u32>,
    /// NAT of the expected connection.
    pub nat: Option<ExpectationNat>,
    /// The kernel function run on the expected connection
    /// (`"nf_nat_follow_master"`).
    pub function: Option<String>,
}

fn head_tuple(e: &Expect, a: ExpAttr) -> Option<Tuple> {
    if !e.is_set(a) {
        return None;
    }
    tuple_of(CtRef::Head(e.head(a)?), &ORIG_TUPLE)
}

fn head_of(t: &Tuple) -> Head {
    let mut h = Head::default();
    put_tuple(&mut h, &ORIG_TUPLE, t);
    h
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Expectation {
    /// The expectation an object describes.
    pub(crate) fn from_object(e: &Expect) -> Expectation {
        let u32_if = |a| e.is_set(a).then(|| e.u32(a));
        Expectation {
            master: head_tuple(e, ATTR_EXP_MASTER),
            expected: head_tuple(e, ATTR_EXP_EXPECTED),
            mask: head_tuple(e, ATTR_EXP_MASK),
            timeout: u32_if(ATTR_EXP_TIMEOUT),
            zone: e.is_set(ATTR_EXP_ZONE).then(|| e.zone()),
            flags: u32_if(ATTR_EXP_FLAGS).map(ExpectFlags::from_bits_retain),
            helper: e
                .is_set(ATTR_EXP_HELPER_NAME)
                .then(|| text(e.helper_name())),
            class: u32_if(ATTR_EXP_CLASS),
            nat: head_tuple(e, ATTR_EXP_NAT_TUPLE).map(|tuple| ExpectationNat {
                dir: e.nat_dir(),
                tuple,
            }),
            function: e.is_set(ATTR_EXP_FN).then(|| text(e.expectfn())),
        }
    }

    /// The object describing this expectation, for the builder and the
    /// printers.
    pub(crate) fn to_object(&self) -> Expect {
        let mut e = Expect::new();
        for (a, t) in [
            (ATTR_EXP_MASTER, &self.master),
            (ATTR_EXP_EXPECTED, &self.expected),
            (ATTR_EXP_MASK, &self.mask),
        ] {
            if let Some(t) = t {
                let _ = e.set_tuple(a, head_of(t));
            }
        }
        for (a, v) in [
            (ATTR_EXP_TIMEOUT, self.timeout),
            (ATTR_EXP_FLAGS, self.flags.map(|f| f.bits())),
            (ATTR_EXP_CLASS, self.class),
        ] {
            if let Some(v) = v {
                let _ = e.set_uint(a, v.to_ne_bytes());
            }
        }
        if let Some(z) = self.zone {
            let _ = e.set_uint(ATTR_EXP_ZONE, z.to_ne_bytes());
        }
        if let Some(h) = &self.helper {
            let _ = e.set_bytes(ATTR_EXP_HELPER_NAME, h.as_bytes());
        }
        if let Some(f) = &self.function {
            let _ = e.set_bytes(ATTR_EXP_FN, f.as_bytes());
        }
        if let Some(n) = &self.nat {
            let _ = e.set_tuple(ATTR_EXP_NAT_TUPLE, head_of(&n.tuple));
            let _ = e.set_uint(ATTR_EXP_NAT_DIR, n.dir.to_ne_bytes());
        }
        e
    }

    /// This expectation as `conntrack -L expect` prints it in `format`.
    pub fn display(&self, format: OutputFormat) -> impl fmt::Display + '_ {
        ExpectationDisplay { exp: self, format }
    }
}

struct ExpectationDisplay<'a> {
    exp: &'a Expectation,
    format: OutputFormat,
}

impl fmt::Display for ExpectationDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opts = Options {
            msg_type: 0,
            flags: 0,
            labels: None,
            clock: &SystemClock,
        };
        let format = match self.format {
            OutputFormat::Plain => Format::Plain,
            OutputFormat::Xml => Format::Xml,
        };
        let obj = self.exp.to_object();
        // Into a buffer that holds all of it, as `conntrack` prints it (the
        // length of a cut output would not be the whole length).
        let mut buf = vec![0u8; 1024];
        loop {
            let n = print(&mut buf, &obj, format, &opts);
            if n + 1 < buf.len() {
                return f.write_str(&String::from_utf8_lossy(&buf[..n]));
            }
            buf.resize(buf.len() * 4, 0);
        }
    }
}

impl fmt::Display for Expectation {
    /// One line, as `conntrack -L expect` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.display(OutputFormat::Plain), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expect::build::build;
    use crate::expect::parse::parse_payload;
    use crate::flow::tuple::{Ports, Proto};
    use crate::netlink::attr::AttrWriter;

    #[test]
    fn builder_and_parser_round_trip() {
        let a = "10.0.0.1".parse().unwrap();
        let b = "10.0.0.2".parse().unwrap();
        let all = "255.255.255.255".parse().unwrap();
        let exp = Expectation {
            master: Some(Tuple::new(a, b, Proto::Tcp(Ports { src: 4000, dst: 21 }))),
            expected: Some(Tuple::new(a, b, Proto::Tcp(Ports { src: 0, dst: 5000 }))),
            mask: Some(Tuple::new(
                all,
                all,
                Proto::Tcp(Ports {
                    src: 0,
                    dst: 0xffff,
                }),
            )),
            timeout: Some(30),
            zone: Some(2),
            flags: Some(ExpectFlags::PERMANENT),
            helper: Some("ftp".into()),
            class: Some(1),
            nat: None,
            function: Some("nf_nat_follow_master".into()),
        };
        assert_eq!(Expectation::from_object(&exp.to_object()), exp);
        let mut buf = Vec::new();
        build(&mut AttrWriter::new(&mut buf), &exp.to_object());
        let mut back = Expect::new();
        parse_payload(&mut back, &buf, libc::AF_INET as u8).unwrap();
        // The builder sends what the C library's sends: the tuples, the
        // timeout, the flags, the zone and the helper name.
        let want = Expectation {
            class: None,
            nat: None,
            function: None,
            ..exp
        };
        let got = Expectation::from_object(&back);
        assert_eq!(got, want);
    }
}
