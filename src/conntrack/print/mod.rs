//! Text and XML output of a conntrack object (`nfct_snprintf`,
//! `nfct_snprintf_labels`), byte for byte that of the reference library.
//!
//! The printers append straight into the caller's buffer through a
//! [`Writer`], which formats numbers and addresses itself and keeps the
//! reference's truncation contract: the result is the length the whole
//! output would have, and the buffer holds as much of it as fits, always
//! NUL-terminated. Nothing allocates and nothing calls into libc on the way,
//! except the optional parts that need the local time zone, which go through
//! a [`Clock`] that the caller provides.

pub mod names;
pub mod text;
pub mod writer;
pub mod xml;

use std::ffi::CStr;

pub use writer::Writer;

use super::layout::*;
use super::object::CtRef;
use crate::api::{c_enum_from_raw, nf_conntrack_msg_type, nfct_output_flags, nfct_output_type};
use crate::labels::LabelMap;

/// `NFCT_T_NEW`, as [`Options::msg_type`] holds it.
pub const MSG_NEW: u32 = nf_conntrack_msg_type::NFCT_T_NEW as u32;
/// `NFCT_T_UPDATE`.
pub const MSG_UPDATE: u32 = nf_conntrack_msg_type::NFCT_T_UPDATE as u32;
/// `NFCT_T_DESTROY`.
pub const MSG_DESTROY: u32 = nf_conntrack_msg_type::NFCT_T_DESTROY as u32;

/// `NFCT_OF_SHOW_LAYER3`, as [`Options::flags`] holds it.
pub const OF_SHOW_LAYER3: u32 = nfct_output_flags::NFCT_OF_SHOW_LAYER3 as u32;
/// `NFCT_OF_TIME`.
pub const OF_TIME: u32 = nfct_output_flags::NFCT_OF_TIME as u32;
/// `NFCT_OF_ID`.
pub const OF_ID: u32 = nfct_output_flags::NFCT_OF_ID as u32;
/// `NFCT_OF_TIMESTAMP`.
pub const OF_TIMESTAMP: u32 = nfct_output_flags::NFCT_OF_TIMESTAMP as u32;

const NSEC_PER_SEC: u64 = 1_000_000_000;

/// Output formats (`enum nfct_output_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `NFCT_O_PLAIN`: one line, as `/proc/net/nf_conntrack` shows it.
    Plain = nfct_output_type::NFCT_O_PLAIN as isize,
    /// `NFCT_O_XML`.
    Xml = nfct_output_type::NFCT_O_XML as isize,
}

c_enum_from_raw!(Format { Plain, Xml });

/// Why nothing could be printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintError {
    /// Plain output of an object without its layer-4 protocol (or, with
    /// `NFCT_OF_SHOW_LAYER3`, its layer-3 protocol): the reference returns -1
    /// and leaves `errno` alone.
    NoProtocol,
}

/// A broken-down time (`struct tm`, the fields the printers use).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tm {
    /// Seconds, 0..=60.
    pub sec: i32,
    /// Minutes, 0..=59.
    pub min: i32,
    /// Hours, 0..=23.
    pub hour: i32,
    /// Day of the month, 1..=31.
    pub mday: i32,
    /// Month, 0..=11.
    pub mon: i32,
    /// Years since 1900.
    pub year: i32,
    /// Day of the week, 0 (Sunday) ..= 6.
    pub wday: i32,
}

impl Tm {
    /// `t` (seconds since the epoch) in UTC.
    pub fn utc(t: i64) -> Tm {
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400);
        // Civil date from a day count (proleptic Gregorian calendar).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let mday = doy - (153 * mp + 2) / 5 + 1;
        let mon = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(mon <= 2);
        Tm {
            sec: (secs % 60) as i32,
            min: (secs / 60 % 60) as i32,
            hour: (secs / 3600) as i32,
            mday: mday as i32,
            mon: (mon - 1) as i32,
            year: (year - 1900) as i32,
            wday: (days + 4).rem_euclid(7) as i32,
        }
    }
}

/// The clock and time zone that the time-dependent parts of the output read:
/// the age of an entry that has not stopped (`delta-time`), the XML `<when>`
/// element (`NFCT_OF_TIME`) and the start and stop dates (`NFCT_OF_TIMESTAMP`).
pub trait Clock {
    /// Seconds since the epoch (`time(NULL)`).
    fn now(&self) -> i64;
    /// `t` in the local time zone (`localtime_r()`); `reload_zone` asks to
    /// read the zone settings again first, as `ctime()` does.
    fn local(&self, t: i64, reload_zone: bool) -> Option<Tm>;
}

/// A fixed clock in UTC, for tests and for callers that want
/// reproducible output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0
    }
    fn local(&self, t: i64, _reload_zone: bool) -> Option<Tm> {
        Some(Tm::utc(t))
    }
}

/// Names of connection label bits (a label map).
pub trait LabelNames {
    /// The name of label bit `bit`; `None` or an empty name when it has none.
    fn name(&self, bit: u32) -> Option<&CStr>;
}

impl LabelNames for LabelMap {
    fn name(&self, bit: u32) -> Option<&CStr> {
        LabelMap::name(self, bit)
    }
}

/// What the printers need besides the object.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// `enum nf_conntrack_msg_type` value (any number).
    pub msg_type: u32,
    /// `NFCT_OF_*` flags.
    pub flags: u32,
    /// Label names for `labels=`; labels are not printed without.
    pub labels: Option<&'a dyn LabelNames>,
    /// Time source.
    pub clock: &'a dyn Clock,
}

/// Prints `ct` into `buf` in `format`; returns the length of the whole
/// output (what `nfct_snprintf` returns), of which as much as fits is in
/// `buf`, NUL-terminated, when `buf` is not empty.
pub fn print(
    buf: &mut [u8],
    ct: CtRef<'_>,
    format: Format,
    opts: &Options<'_>,
) -> Result<usize, PrintError> {
    let mut w = Writer::new(buf);
    match format {
        Format::Plain => text::conntrack(&mut w, ct, opts),
        Format::Xml => xml::conntrack(&mut w, ct, opts),
    }
}

/// The whole length of an output, for a C caller that passes no buffer
/// (`size` 0): what `print` returns with a buffer that holds all of it.
///
/// A cut output can report less than its whole length (the reference counts
/// only what fit of some XML elements, stops listing labels at the end of
/// the buffer, and leaves out a plain expectation's trailing space only when
/// it fits), so `print` runs on a scratch buffer that grows until it holds
/// everything.
pub fn measure<E>(mut print: impl FnMut(&mut [u8]) -> Result<usize, E>) -> Result<usize, E> {
    let mut scratch = vec![0u8; MEASURE_START];
    loop {
        let n = print(&mut scratch)?;
        if n + 1 < scratch.len() {
            return Ok(n);
        }
        scratch.resize(scratch.len() * 4, 0);
    }
}

/// The size of [`measure`]'s first scratch buffer.
pub(crate) const MEASURE_START: usize = 4096;

/// One direction's tuple, read from the object's storage.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tuple {
    pub l3: u8,
    pub l4: u8,
    pub zone: u16,
    pub src: [u8; 16],
    pub dst: [u8; 16],
    /// Source port or ICMP id, network order.
    pub l4src: [u8; 2],
    /// Destination port, or ICMP type and code.
    pub l4dst: [u8; 2],
}

/// `N` bytes of fixed storage at `at`; zeros outside it (a detached head
/// holds its original tuple only).
#[inline]
pub(crate) fn raw<const N: usize>(ct: CtRef<'_>, at: u16) -> [u8; N] {
    let at = at as usize;
    match ct.fixed().get(at..at + N) {
        Some(b) => b.try_into().unwrap_or([0; N]),
        None => [0; N],
    }
}

#[inline]
pub(crate) fn raw_u32(ct: CtRef<'_>, at: u16) -> u32 {
    u32::from_ne_bytes(raw(ct, at))
}

#[inline]
pub(crate) fn raw_u64(ct: CtRef<'_>, at: u16) -> u64 {
    u64::from_ne_bytes(raw(ct, at))
}

impl Tuple {
    /// The tuple stored at `base` (`ORIG` or `REPL`).
    #[inline]
    pub fn read(ct: CtRef<'_>, base: u16) -> Tuple {
        let t: [u8; TUPLE_LEN] = raw(ct, base);
        let two = |at: u16| [t[at as usize], t[at as usize + 1]];
        let mut src = [0u8; 16];
        let mut dst = [0u8; 16];
        src.copy_from_slice(&t[T_SRC as usize..T_SRC as usize + 16]);
        dst.copy_from_slice(&t[T_DST as usize..T_DST as usize + 16]);
        Tuple {
            l3: t[T_L3 as usize],
            l4: t[T_L4 as usize],
            zone: u16::from_ne_bytes(two(T_ZONE)),
            src,
            dst,
            l4src: two(T_L4SRC),
            l4dst: two(T_L4DST),
        }
    }

    pub fn src4(&self) -> [u8; 4] {
        [self.src[0], self.src[1], self.src[2], self.src[3]]
    }

    pub fn dst4(&self) -> [u8; 4] {
        [self.dst[0], self.dst[1], self.dst[2], self.dst[3]]
    }
}

/// The security context string as the reference prints it with `%s`:
/// `(null)` when the attribute is set without a value.
pub(crate) fn secctx(ct: CtRef<'_>) -> &[u8] {
    match ct.secctx() {
        Some(s) => s.to_bytes(),
        None => b"(null)",
    }
}

/// The helper name up to its NUL.
pub(crate) fn helper_name(ct: CtRef<'_>) -> &[u8] {
    ct.helper_name().map_or(&[][..], |s| s.to_bytes())
}

/// Prints the names of the labels set in `ct` that `names` knows, each as
/// `pre name post`, stopping once the buffer is full as the reference does
/// (so a cut output's length leaves out the names after the cut).
pub(crate) fn label_names(
    w: &mut Writer<'_>,
    ct: CtRef<'_>,
    names: &dyn LabelNames,
    pre: &[u8],
    post: &[u8],
) {
    let Some(bits) = ct.labels(super::Attr::ATTR_CONNLABELS) else {
        return;
    };
    for (wi, &word) in bits.words().iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            if w.room() == 0 {
                return;
            }
            let bit = wi as u32 * 32 + rest.trailing_zeros();
            rest &= rest - 1;
            match names.name(bit) {
                Some(name) if !name.to_bytes().is_empty() => {
                    w.bytes(pre);
                    w.bytes(name.to_bytes());
                    w.bytes(post);
                }
                _ => {}
            }
        }
    }
}

/// Seconds of a nanosecond timestamp, as the reference converts it.
#[inline]
pub(crate) fn secs(ns: u64) -> i64 {
    (ns / NSEC_PER_SEC) as i64
}

#[cfg(test)]
mod tests;
