//! Text and XML output of an expectation (`nfexp_snprintf`), byte for byte
//! that of the reference library.
//!
//! The conntrack printer's [`Writer`] does the work: it appends straight into
//! the caller's buffer, formats numbers and addresses itself and keeps the
//! reference's truncation contract (the result is the length of the whole
//! output; the buffer holds what fits, NUL-terminated). The tuples are read
//! with the conntrack printer's tuple reader and printed with its address and
//! layer-4 helpers.

pub mod text;
pub mod xml;

use std::convert::Infallible;

use super::object::Expect;
use crate::conntrack::layout::ORIG;
use crate::conntrack::print::{measure, Format, Options, Tuple, Writer};
use crate::conntrack::CtRef;
use crate::expect::ExpAttr;

/// `NF_CT_EXPECT_PERMANENT`.
pub const EXPECT_PERMANENT: u32 = 1 << 0;
/// `NF_CT_EXPECT_INACTIVE`.
pub const EXPECT_INACTIVE: u32 = 1 << 1;
/// `NF_CT_EXPECT_USERSPACE`.
pub const EXPECT_USERSPACE: u32 = 1 << 2;

/// Prints `e` into `buf` in `format`; returns what `nfexp_snprintf` returns:
/// the length of the output (see the format's printer for the reference's
/// exact rule), of which as much as fits is in `buf`, NUL-terminated, when
/// `buf` is not empty. `opts.labels` is not used.
///
/// An empty `buf` (which the reference does not allow) asks for the length
/// only: the result is then what a large enough buffer gets.
pub fn print(buf: &mut [u8], e: &Expect, format: Format, opts: &Options<'_>) -> usize {
    if buf.is_empty() {
        // The reference's length depends on the buffer (the plain output's
        // trailing space, the XML ports): measure with one that holds it all.
        return measure(|scratch| Ok(print(scratch, e, format, opts)))
            .unwrap_or_else(|never: Infallible| match never {});
    }
    let mut w = Writer::new(buf);
    match format {
        Format::Plain => text::expect(&mut w, e, opts),
        Format::Xml => xml::expect(&mut w, e, opts),
    }
}

/// The original tuple stored in the head of tuple attribute `a`, set or not
/// (the reference prints the tuples whatever their bits say).
pub(crate) fn tuple(e: &Expect, a: ExpAttr) -> Tuple {
    match e.head(a) {
        Some(h) => Tuple::read(CtRef::Head(h), ORIG),
        // Only tuple attributes are asked for; an empty tuple otherwise.
        None => Tuple::read(CtRef::Head(&Default::default()), ORIG),
    }
}

#[cfg(test)]
mod tests;
