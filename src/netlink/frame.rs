//! Attributes assembled in a fixed-size buffer on the stack, then appended
//! to a message in one piece.
//!
//! Appending to a growable buffer costs a capacity check and a length
//! update per attribute; a run of small attributes whose total size has a
//! known bound (the tuples, counters and NAT nests of a conntrack) is
//! cheaper written into a [`Frame`] first. [`PutAttr`] is what both
//! writers offer, so one function builds into either.

use super::attr::{align, nla_header, AttrWriter, Nest, NLA_F_NESTED, NLA_HDRLEN};

/// Writing attributes: what [`AttrWriter`] and [`Frame`] both do.
pub trait PutAttr {
    /// An open nest, to close or cancel.
    type Nest;

    /// Appends an attribute with a payload of `N` bytes (at most 16).
    fn put_array<const N: usize>(&mut self, ty: u16, payload: [u8; N]);

    /// Opens a nest of type `ty` (`NLA_F_NESTED` is added).
    fn nest_start(&mut self, ty: u16) -> Self::Nest;

    /// Closes a nest: its length now covers everything written since.
    fn nest_end(&mut self, nest: Self::Nest);

    /// Abandons a nest: everything written since it opened is removed.
    fn nest_cancel(&mut self, nest: Self::Nest);

    /// Appends a one-byte attribute.
    #[inline(always)]
    fn put_u8(&mut self, ty: u16, v: u8) {
        self.put_array(ty, [v]);
    }

    /// Appends a 16-bit big-endian attribute.
    #[inline(always)]
    fn put_be16(&mut self, ty: u16, v: u16) {
        self.put_array(ty, v.to_be_bytes());
    }

    /// Appends a 32-bit big-endian attribute.
    #[inline(always)]
    fn put_be32(&mut self, ty: u16, v: u32) {
        self.put_array(ty, v.to_be_bytes());
    }

    /// Appends a 64-bit big-endian attribute.
    #[inline(always)]
    fn put_be64(&mut self, ty: u16, v: u64) {
        self.put_array(ty, v.to_be_bytes());
    }

    /// Writes a nest whose content `f` writes.
    #[inline(always)]
    fn nested(&mut self, ty: u16, f: impl FnOnce(&mut Self)) {
        let n = self.nest_start(ty);
        f(self);
        self.nest_end(n);
    }
}

impl PutAttr for AttrWriter<'_> {
    type Nest = Nest;

    #[inline(always)]
    fn put_array<const N: usize>(&mut self, ty: u16, payload: [u8; N]) {
        AttrWriter::put_array(self, ty, payload);
    }

    #[inline(always)]
    fn nest_start(&mut self, ty: u16) -> Nest {
        AttrWriter::nest_start(self, ty)
    }

    #[inline(always)]
    fn nest_end(&mut self, nest: Nest) {
        AttrWriter::nest_end(self, nest);
    }

    #[inline(always)]
    fn nest_cancel(&mut self, nest: Nest) {
        AttrWriter::nest_cancel(self, nest);
    }
}

/// Up to `N` bytes of attributes on the stack.
///
/// A write that does not fit is dropped and remembered
/// ([`Frame::overflowed`]); the caller then writes the same attributes
/// with an [`AttrWriter`] instead, so a bound that turns out too small
/// costs speed, never bytes.
pub struct Frame<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflowed: bool,
}

impl<const N: usize> Default for Frame<N> {
    fn default() -> Self {
        Frame {
            buf: [0; N],
            len: 0,
            overflowed: false,
        }
    }
}

impl<const N: usize> Frame<N> {
    /// The attributes written, each padded to alignment.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len.min(N)]
    }

    /// Whether a write did not fit (what [`Frame::bytes`] holds is then
    /// incomplete).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }
}

impl<const N: usize> PutAttr for Frame<N> {
    type Nest = usize;

    #[inline(always)]
    fn put_array<const K: usize>(&mut self, ty: u16, payload: [u8; K]) {
        const { assert!(K <= 16, "put_array takes payloads of up to 16 bytes") };
        let len = NLA_HDRLEN + K;
        let total = align(len);
        let Some(dst) = self.buf.get_mut(self.len..self.len + total) else {
            self.overflowed = true;
            return;
        };
        let mut attr = [0u8; NLA_HDRLEN + 16];
        attr[..NLA_HDRLEN].copy_from_slice(&nla_header(len as u16, ty));
        attr[NLA_HDRLEN..len].copy_from_slice(&payload);
        dst.copy_from_slice(&attr[..total]);
        self.len += total;
    }

    #[inline(always)]
    fn nest_start(&mut self, ty: u16) -> usize {
        let at = self.len;
        self.put_array(ty | NLA_F_NESTED, []);
        at
    }

    #[inline(always)]
    fn nest_end(&mut self, nest: usize) {
        let len = self.len.saturating_sub(nest) as u16;
        if let Some(l) = self.buf.get_mut(nest..nest + 2) {
            l.copy_from_slice(&len.to_ne_bytes());
        }
    }

    #[inline(always)]
    fn nest_cancel(&mut self, nest: usize) {
        self.len = self.len.min(nest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same calls on both writers: the same bytes.
    fn sample<W: PutAttr>(w: &mut W) {
        w.nested(1, |w| {
            w.put_u8(2, 7);
            w.put_be16(3, 0x1234);
            let n = w.nest_start(4);
            w.put_be32(5, 9);
            w.nest_cancel(n);
            w.put_array(6, [1u8; 16]);
        });
        w.put_be64(7, 42);
    }

    #[test]
    fn a_frame_writes_what_a_writer_writes() {
        let mut v = Vec::new();
        sample(&mut AttrWriter::new(&mut v));
        let mut f = Frame::<128>::default();
        sample(&mut f);
        assert!(!f.overflowed());
        assert_eq!(f.bytes(), &v[..]);
    }

    #[test]
    fn a_write_that_does_not_fit_is_dropped_and_remembered() {
        let mut f = Frame::<40>::default();
        sample(&mut f);
        assert!(f.overflowed());
        assert!(f.bytes().len() <= 40);
    }
}
