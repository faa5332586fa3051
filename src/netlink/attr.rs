//! Netlink attributes (type-length-value): a writer that appends them to a
//! byte buffer, and a validating iterator that reads them back.
//!
//! Layout of one attribute: `u16 len` (header + payload, unpadded), `u16 type`
//! (bit 15 `NLA_F_NESTED`, bit 14 `NLA_F_NET_BYTEORDER`), payload, then zero
//! padding to a multiple of 4 bytes. Integers of ctnetlink are big-endian.

/// Size of an attribute header.
pub const NLA_HDRLEN: usize = 4;
/// Flag in the type field: the payload is a nest of attributes.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// Flag in the type field: the payload is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// Mask of the type field's type bits.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// The largest payload an attribute can carry (its length field is 16 bits).
pub const NLA_MAX_PAYLOAD: usize = u16::MAX as usize - NLA_HDRLEN;

/// The bytes of an attribute header: length (header and payload,
/// unpadded), then type, in host order.
#[inline(always)]
pub const fn nla_header(len: u16, ty: u16) -> [u8; NLA_HDRLEN] {
    let [l0, l1] = len.to_ne_bytes();
    let [t0, t1] = ty.to_ne_bytes();
    [l0, l1, t0, t1]
}

/// Rounds `len` up to netlink's 4-byte alignment.
#[inline]
pub const fn align(len: usize) -> usize {
    (len + 3) & !3
}

/// Appends attributes to a byte vector.
///
/// The vector may already hold a message header; attributes go at its end,
/// which is kept 4-byte aligned.
///
/// The writer never aborts when memory runs out: it reserves room before
/// each attribute, and when the heap refuses it stops writing (every later
/// write is dropped too, so the buffer holds whole attributes only) and
/// remembers it; [`AttrWriter::out_of_memory`] tells the caller.
pub struct AttrWriter<'a> {
    buf: &'a mut Vec<u8>,
    oom: bool,
}

/// An open nest: where its header is, to fix its length on close.
#[must_use = "a nest must be closed with AttrWriter::nest_end"]
pub struct Nest(usize);

impl<'a> AttrWriter<'a> {
    /// A writer appending to `buf` (padded to alignment first).
    #[inline]
    pub fn new(buf: &'a mut Vec<u8>) -> Self {
        let mut w = AttrWriter { buf, oom: false };
        let pad = align(w.buf.len()) - w.buf.len();
        if pad != 0 && w.room(pad) {
            w.buf.resize(align(w.buf.len()), 0);
        }
        w
    }

    /// Reserves `n` more bytes; `false` (and nothing is written from then
    /// on) when the heap refuses.
    #[inline(always)]
    fn room(&mut self, n: usize) -> bool {
        if !self.oom && self.buf.try_reserve(n).is_err() {
            self.oom = true;
        }
        !self.oom
    }

    /// Whether a write was dropped because memory ran out.
    pub fn out_of_memory(&self) -> bool {
        self.oom
    }

    /// Bytes written so far, including anything that was in the buffer.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the buffer is empty.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends the header of an attribute whose payload `parts` hold, then
    /// the parts and the padding, if there is room.
    fn put_parts(&mut self, ty: u16, parts: &[&[u8]]) {
        let len = NLA_HDRLEN + parts.iter().map(|p| p.len()).sum::<usize>();
        assert!(
            len <= u16::MAX as usize,
            "netlink attribute payload too long"
        );
        if !self.room(align(len)) {
            return;
        }
        self.buf.extend_from_slice(&nla_header(len as u16, ty));
        for p in parts {
            self.buf.extend_from_slice(p);
        }
        self.buf.resize(align(self.buf.len()), 0);
    }

    /// Appends an attribute with a payload of `N` bytes (at most 16), built
    /// whole on the stack and appended with one copy (see [`fixed_attr`]).
    #[inline(always)]
    pub fn put_array<const N: usize>(&mut self, ty: u16, payload: [u8; N]) {
        let (attr, total) = fixed_attr(ty, payload);
        if !self.room(total) {
            return;
        }
        self.buf.extend_from_slice(&attr[..total]);
    }

    /// Appends an attribute with `payload`, which must be at most
    /// [`NLA_MAX_PAYLOAD`] bytes (callers check lengths that come from C).
    #[inline]
    pub fn put(&mut self, ty: u16, payload: &[u8]) {
        self.put_parts(ty, &[payload]);
    }

    /// Appends an attribute whose payload is `len` bytes: the first of
    /// `data`, then zeros when `data` is shorter. (`len` is at most
    /// [`NLA_MAX_PAYLOAD`], as for [`AttrWriter::put`].)
    pub fn put_len(&mut self, ty: u16, data: &[u8], len: usize) {
        let data = &data[..len.min(data.len())];
        let total = NLA_HDRLEN + len;
        assert!(
            total <= u16::MAX as usize,
            "netlink attribute payload too long"
        );
        if !self.room(align(total)) {
            return;
        }
        self.buf.extend_from_slice(&nla_header(total as u16, ty));
        self.buf.extend_from_slice(data);
        self.buf.resize(self.buf.len() + len - data.len(), 0);
        self.buf.resize(align(self.buf.len()), 0);
    }

    /// Appends an attribute whose payload is `words` in host byte order
    /// (a label bitmask), without copying them anywhere first.
    pub fn put_words(&mut self, ty: u16, words: &[u32]) {
        let len = NLA_HDRLEN + 4 * words.len();
        assert!(
            len <= u16::MAX as usize,
            "netlink attribute payload too long"
        );
        if !self.room(len) {
            return;
        }
        self.buf.extend_from_slice(&nla_header(len as u16, ty));
        for w in words {
            self.buf.extend_from_slice(&w.to_ne_bytes());
        }
    }

    /// Appends whole attributes already laid out (each padded to
    /// alignment), such as a [`super::frame::Frame`]'s.
    pub fn put_raw(&mut self, attrs: &[u8]) {
        if self.room(attrs.len()) {
            self.buf.extend_from_slice(attrs);
        }
    }

    /// Appends a string attribute with its terminating NUL.
    pub fn put_strz(&mut self, ty: u16, s: &[u8]) {
        self.put_parts(ty, &[s, &[0]]);
    }

    /// Opens a nest of type `ty` (`NLA_F_NESTED` is added).
    #[inline]
    pub fn nest_start(&mut self, ty: u16) -> Nest {
        let at = self.buf.len();
        self.put_array(ty | NLA_F_NESTED, []);
        Nest(at)
    }

    /// Closes a nest: its length now covers everything written since.
    #[inline]
    pub fn nest_end(&mut self, nest: Nest) {
        if self.oom {
            return;
        }
        let len = self.buf.len() - nest.0.min(self.buf.len());
        assert!(len <= u16::MAX as usize, "netlink nest too long");
        if let Some(l) = self.buf.get_mut(nest.0..nest.0 + 2) {
            l.copy_from_slice(&(len as u16).to_ne_bytes());
        }
    }

    /// Writes a nest whose content `f` writes. (Not left to
    /// [`PutAttr::nested`](super::frame::PutAttr::nested), whose
    /// `inline(always)` suits the stack frames: here it would inline the
    /// rare nests, such as the helper's, into the conntrack builder.)
    #[inline]
    pub fn nested(&mut self, ty: u16, f: impl FnOnce(&mut AttrWriter<'_>)) {
        let n = self.nest_start(ty);
        f(self);
        self.nest_end(n);
    }

    /// Abandons a nest: everything written since it opened is removed.
    pub fn nest_cancel(&mut self, nest: Nest) {
        self.buf.truncate(nest.0);
    }
}

/// An attribute with a payload of `N` bytes (at most 16), whole, in the
/// first bytes of an array, and how many they are (padding included):
/// every length is a constant, so it is a few stores.
#[inline(always)]
fn fixed_attr<const N: usize>(ty: u16, payload: [u8; N]) -> ([u8; NLA_HDRLEN + 16], usize) {
    const { assert!(N <= 16, "put_array takes payloads of up to 16 bytes") };
    let len = NLA_HDRLEN + N;
    let mut attr = [0u8; NLA_HDRLEN + 16];
    attr[..NLA_HDRLEN].copy_from_slice(&nla_header(len as u16, ty));
    attr[NLA_HDRLEN..len].copy_from_slice(&payload);
    (attr, align(len))
}

/// A malformed attribute stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed;

/// One attribute read from a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The type, without the nested and byte-order flags.
    pub ty: u16,
    /// The payload, without padding.
    pub payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The payload, which must be exactly `N` bytes long (a known attribute
    /// of another size is malformed).
    #[inline]
    pub fn fixed<const N: usize>(&self) -> Result<[u8; N], Malformed> {
        self.payload.try_into().map_err(|_| Malformed)
    }

    /// The payload as one byte; it must be exactly that long.
    #[inline]
    pub fn u8(&self) -> Result<u8, Malformed> {
        self.fixed().map(|[b]| b)
    }

    /// The payload as a big-endian 16-bit integer, exactly 2 bytes.
    #[inline]
    pub fn be16(&self) -> Result<u16, Malformed> {
        self.fixed().map(u16::from_be_bytes)
    }

    /// The payload as a big-endian 32-bit integer, exactly 4 bytes.
    #[inline]
    pub fn be32(&self) -> Result<u32, Malformed> {
        self.fixed().map(u32::from_be_bytes)
    }

    /// The payload as a big-endian 64-bit integer, exactly 8 bytes.
    #[inline]
    pub fn be64(&self) -> Result<u64, Malformed> {
        self.fixed().map(u64::from_be_bytes)
    }

    /// The payload as a string followed by exactly one NUL, which ends the
    /// payload (what [`AttrWriter::put_strz`] writes), without its NUL.
    pub fn strz(&self) -> Result<&'a [u8], Malformed> {
        std::ffi::CStr::from_bytes_with_nul(self.payload)
            .map(|s| s.to_bytes())
            .map_err(|_| Malformed)
    }

    /// The attributes nested in the payload.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
}

/// Iterates the attributes of a buffer, validating each header: a length
/// shorter than a header or running past the buffer ends the iteration with
/// one `Err(Malformed)`.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Attributes in `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Attrs { rest: buf }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, Malformed>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // Fewer bytes than a header at the end is padding the kernel may leave.
        if self.rest.len() < NLA_HDRLEN {
            self.rest = &[];
            return None;
        }
        let len = u16::from_ne_bytes([self.rest[0], self.rest[1]]) as usize;
        let ty = u16::from_ne_bytes([self.rest[2], self.rest[3]]);
        if len < NLA_HDRLEN || len > self.rest.len() {
            self.rest = &[];
            return Some(Err(Malformed));
        }
        let payload = &self.rest[NLA_HDRLEN..len];
        // The last attribute's padding may be missing: never step past the end.
        let advance = align(len).min(self.rest.len());
        self.rest = &self.rest[advance..];
        Some(Ok(Attr {
            ty: ty & NLA_TYPE_MASK,
            payload,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::PutAttr;
    use super::*;

    #[test]
    fn write_then_read() {
        let mut buf = vec![0xee; 3];
        let mut w = AttrWriter::new(&mut buf);
        w.put_u8(1, 7);
        w.put_be16(2, 0x1234);
        let n = w.nest_start(3);
        w.put_be32(4, 0xdead_beef);
        w.put_strz(5, b"ftp");
        w.nest_end(n);
        w.put_be64(6, 1 << 40);
        assert_eq!(buf.len() % 4, 0);
        let attrs: Vec<_> = Attrs::new(&buf[4..]).map(Result::unwrap).collect();
        assert_eq!(attrs.len(), 4);
        assert_eq!(attrs[0].u8(), Ok(7));
        assert_eq!(attrs[1].be16(), Ok(0x1234));
        assert_eq!(attrs[2].ty, 3);
        let inner: Vec<_> = attrs[2].nested().map(Result::unwrap).collect();
        assert_eq!(inner[0].be32(), Ok(0xdead_beef));
        assert_eq!(inner[1].strz(), Ok(&b"ftp"[..]));
        assert_eq!(attrs[3].be64(), Ok(1 << 40));
        // The nest header carries NLA_F_NESTED on the wire.
        assert_eq!(
            u16::from_ne_bytes([buf[4 + 8 + 8 + 2], buf[4 + 8 + 8 + 3]]),
            3 | NLA_F_NESTED
        );
    }

    #[test]
    fn malformed_lengths_stop_iteration() {
        // Length 2 (< header).
        let bad = [2u8, 0, 1, 0, 0, 0, 0, 0];
        let mut it = Attrs::new(&bad);
        assert_eq!(it.next(), Some(Err(Malformed)));
        assert_eq!(it.next(), None);
        // Length past the buffer.
        let bad = [12u8, 0, 1, 0, 0, 0];
        assert_eq!(Attrs::new(&bad).next(), Some(Err(Malformed)));
        // Short payloads are reported by the typed readers.
        let short = [5u8, 0, 1, 0, 9, 0, 0, 0];
        let a = Attrs::new(&short).next().unwrap().unwrap();
        assert_eq!(a.be16(), Err(Malformed));
        assert_eq!(a.u8(), Ok(9));
        assert_eq!(a.strz(), Err(Malformed));
        // Longer payloads too: every reader wants its exact size.
        let long = [6u8, 0, 1, 0, 9, 0, 0, 0];
        let a = Attrs::new(&long).next().unwrap().unwrap();
        assert_eq!(a.u8(), Err(Malformed));
        assert_eq!(a.be16(), Ok(0x0900));
        assert_eq!(a.be32(), Err(Malformed));
        assert_eq!(a.fixed::<1>(), Err(Malformed));
        let nul_inside = [8u8, 0, 1, 0, b'a', 0, b'b', 0];
        let a = Attrs::new(&nul_inside).next().unwrap().unwrap();
        assert_eq!(a.strz(), Err(Malformed));
        // Trailing bytes shorter than a header are ignored.
        assert_eq!(Attrs::new(&[1, 2]).next(), None);
    }
}
