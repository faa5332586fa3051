//! An append-only text writer over the caller's buffer with the truncation
//! contract of the reference printers.
//!
//! The reference builds its output from many `snprintf()` calls, each given
//! the room left and each advancing the offset by what it wrote, clamped to
//! the room (its `BUFFER_SIZE` macro). Seen from outside, that is one stream
//! of bytes of which every byte at index `< size - 1` lands in the buffer,
//! while the returned length counts every byte of the stream, written or not.
//! [`Writer`] is that stream: [`Writer::pos`] is the would-be length, and
//! bytes past the last usable index are counted and dropped.
//!
//! Three places where the reference's pieces show through are kept, so that
//! lengths and bytes stay identical at every buffer size: the label loop
//! stops once no room is left ([`Writer::room`]), plain output steps back
//! over a trailing comma ([`Writer::back`]), and the XML ports count only
//! what fit of them ([`Writer::count_only_written_since`]).
//!
//! Numbers and addresses are formatted here directly (no `format!`, no
//! allocation, no libc): decimal, lower-case hexadecimal, padded fields,
//! IPv4 dotted quads and IPv6 text exactly as glibc's `inet_ntop()` writes it.

/// Appends text to a caller's buffer, counting what does not fit.
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

/// Two ASCII digits for each value below 100.
const DIGITS2: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Each byte value in decimal followed by a dot, padded to four bytes, so
/// that an octet is one four-byte store: `"5.\0\0"`, `"192."`.
static OCTETS: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 100 {
            [b'0' + b / 100, b'0' + b / 10 % 10, b'0' + b % 10, b'.']
        } else if b >= 10 {
            [b'0' + b / 10, b'0' + b % 10, b'.', 0]
        } else {
            [b'0' + b, b'.', 0, 0]
        };
        i += 1;
    }
    t
};

/// Digits of a byte value.
#[inline]
fn octet_len(b: u8) -> usize {
    1 + usize::from(b >= 10) + usize::from(b >= 100)
}

/// Copies `src` into `dst` (same length). Short copies, the usual case here,
/// are done with a few overlapping fixed-size moves instead of a call to
/// `memcpy`; no byte outside `dst` is touched.
#[inline(always)]
fn copy_small(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match n {
        8..=16 => {
            dst[..8].copy_from_slice(&src[..8]);
            dst[n - 8..n].copy_from_slice(&src[n - 8..n]);
        }
        4..=7 => {
            dst[..4].copy_from_slice(&src[..4]);
            dst[n - 4..n].copy_from_slice(&src[n - 4..n]);
        }
        0..=3 => {
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
            }
        }
        _ => dst.copy_from_slice(src),
    }
}

/// Number of decimal digits of `v`.
#[inline]
fn decimal_len(v: u64) -> usize {
    match v.checked_ilog10() {
        Some(l) => l as usize + 1,
        None => 1,
    }
}

/// The digit pairs of [`DIGITS2`], one two-byte entry per value below 100.
static PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [DIGITS2[2 * i], DIGITS2[2 * i + 1]];
        i += 1;
    }
    t
};

/// [`decimal_into`] in 32-bit arithmetic, two digits per step.
#[inline]
fn decimal_into_u32(mut v: u32, out: &mut [u8]) {
    let mut i = out.len();
    while v >= 100 {
        let d = (v % 100) as usize;
        v /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&PAIRS[d]);
    }
    if v >= 10 {
        out[i - 2..i].copy_from_slice(&PAIRS[v as usize]);
    } else {
        out[i - 1] = b'0' + v as u8;
    }
}

/// Writes `v` in decimal filling `out` exactly (`out.len()` is its digit count).
#[inline]
fn decimal_into(mut v: u64, out: &mut [u8]) {
    let mut i = out.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        out[i] = DIGITS2[d];
        out[i + 1] = DIGITS2[d + 1];
    }
    if v >= 10 {
        let d = v as usize * 2;
        out[i - 2] = DIGITS2[d];
        out[i - 1] = DIGITS2[d + 1];
    } else {
        out[i - 1] = b'0' + v as u8;
    }
}

/// Writes `v` in decimal at the end of `out`; returns where the digits start.
#[inline]
fn decimal_tail(mut v: u64, out: &mut [u8; 20]) -> usize {
    let mut i = out.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGITS2[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGITS2[d..d + 2]);
    } else {
        i -= 1;
        out[i] = b'0' + v as u8;
    }
    i
}

/// Writes `v` in lower-case hexadecimal without leading zeros at `out[..]`;
/// returns the digit count.
#[inline]
fn hex_u16(v: u16, out: &mut [u8]) -> usize {
    let digits = if v == 0 {
        1
    } else {
        4 - (v.leading_zeros() as usize / 4)
    };
    for (i, o) in out[..digits].iter_mut().enumerate() {
        let shift = 4 * (digits - 1 - i);
        *o = HEX[((v >> shift) & 0xf) as usize];
    }
    digits
}

/// Writes the IPv4 address `a` (network order) as a dotted quad at the
/// start of `out`; returns its length (at most 15).
#[inline]
fn ipv4_text(a: [u8; 4], out: &mut [u8; 20]) -> usize {
    let mut n = 0;
    for b in a {
        out[n..n + 4].copy_from_slice(&OCTETS[b as usize]);
        n += octet_len(b) + 1;
    }
    // No dot after the last octet.
    n - 1
}

/// Longest IPv6 text: eight groups of four digits and seven colons, or six
/// groups followed by a dotted quad.
pub const IPV6_TEXT_MAX: usize = 45;

/// Writes the IPv6 address `a` at `out[..]` as glibc's `inet_ntop()` does:
/// lower-case groups without leading zeros, the first longest run of two or
/// more zero groups shortened to `::`, and an embedded IPv4 address in dotted
/// form for `::a.b.c.d` and `::ffff:a.b.c.d`. Returns the length.
pub fn ipv6_text(a: &[u8; 16], out: &mut [u8; IPV6_TEXT_MAX]) -> usize {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    // The first longest run of zero groups, if two groups or longer.
    let (mut best, mut best_len) = (8usize, 0usize);
    let mut i = 0;
    while i < 8 {
        if words[i] == 0 {
            let start = i;
            while i < 8 && words[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best = 8;
        best_len = 0;
    }
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        if i == best {
            out[n] = b':';
            n += 1;
            i += best_len;
            if i == 8 {
                out[n] = b':';
                n += 1;
            }
            continue;
        }
        if i != 0 {
            out[n] = b':';
            n += 1;
        }
        if i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            let mut quad = [0u8; 20];
            let q = ipv4_text([a[12], a[13], a[14], a[15]], &mut quad);
            out[n..n + q].copy_from_slice(&quad[..q]);
            n += q;
            break;
        }
        n += hex_u16(words[i], &mut out[n..]);
        i += 1;
    }
    n
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf` (which may be empty: then it only counts).
    #[inline]
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    /// Length of the output so far, written or not: what the reference
    /// would return at this point.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The room the reference would hand to its next `snprintf()`: the
    /// buffer size minus the output so far, zero once the output reached the
    /// end of the buffer.
    #[inline]
    pub fn room(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Appends `s`.
    #[inline]
    pub fn bytes(&mut self, s: &[u8]) {
        let end = self.pos + s.len();
        // Bytes land at indices below `len - 1`; the last one is for the NUL.
        if end < self.buf.len() {
            copy_small(&mut self.buf[self.pos..end], s);
        } else {
            self.bytes_cut(s);
        }
        self.pos = end;
    }

    /// The part of `s` that still fits before the last byte of the buffer.
    #[cold]
    #[inline(never)]
    fn bytes_cut(&mut self, s: &[u8]) {
        let last = self.buf.len().saturating_sub(1);
        if self.pos < last {
            let n = last - self.pos;
            self.buf[self.pos..last].copy_from_slice(&s[..n]);
        }
    }

    /// Appends one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        if self.pos + 1 < self.buf.len() {
            self.buf[self.pos] = b;
        }
        self.pos += 1;
    }

    /// Appends `v` in decimal (`%u`, `%llu`).
    #[inline]
    pub fn u64(&mut self, v: u64) {
        if let Ok(v) = u32::try_from(v) {
            return self.u32(v);
        }
        let end = self.pos + decimal_len(v);
        if end < self.buf.len() {
            decimal_into(v, &mut self.buf[self.pos..end]);
            self.pos = end;
        } else {
            self.number_cut(v);
        }
    }

    /// Appends `v` in decimal (`%u`).
    #[inline]
    pub fn u32(&mut self, v: u32) {
        let digits = 1
            + usize::from(v >= 10)
            + usize::from(v >= 100)
            + usize::from(v >= 1000)
            + usize::from(v >= 10_000)
            + usize::from(v >= 100_000)
            + usize::from(v >= 1_000_000)
            + usize::from(v >= 10_000_000)
            + usize::from(v >= 100_000_000)
            + usize::from(v >= 1_000_000_000);
        let end = self.pos + digits;
        if end < self.buf.len() {
            decimal_into_u32(v, &mut self.buf[self.pos..end]);
            self.pos = end;
        } else {
            self.number_cut(u64::from(v));
        }
    }

    /// A number that does not fit whole.
    #[cold]
    #[inline(never)]
    fn number_cut(&mut self, v: u64) {
        let mut tmp = [0u8; 20];
        let start = decimal_tail(v, &mut tmp);
        self.bytes(&tmp[start..]);
    }

    /// Appends `v` in decimal with a minus sign when negative (`%d`).
    pub fn i64(&mut self, v: i64) {
        if v < 0 {
            self.byte(b'-');
        }
        self.u64(v.unsigned_abs());
    }

    /// Appends `v` in decimal, zero-padded to two digits (`%02d`).
    pub fn i64_02(&mut self, v: i64) {
        // A negative number is two wide with its sign already ("-5").
        if (0..10).contains(&v) {
            self.byte(b'0');
        }
        self.i64(v);
    }

    /// Appends `v` in decimal, right-aligned in a field of `width` (`%3d`).
    pub fn i64_right(&mut self, v: i64, width: usize) {
        let mut tmp = [0u8; 20];
        let start = decimal_tail(v.unsigned_abs(), &mut tmp);
        let len = tmp.len() - start + usize::from(v < 0);
        for _ in len..width {
            self.byte(b' ');
        }
        if v < 0 {
            self.byte(b'-');
        }
        self.bytes(&tmp[start..]);
    }

    /// Appends `v` in lower-case hexadecimal (`%x`).
    #[inline]
    pub fn hex16(&mut self, v: u16) {
        let mut tmp = [0u8; 4];
        let n = hex_u16(v, &mut tmp);
        self.bytes(&tmp[..n]);
    }

    /// Appends `s` right-aligned in a field of `width` (`%9s`).
    pub fn right(&mut self, s: &[u8], width: usize) {
        for _ in s.len()..width {
            self.byte(b' ');
        }
        self.bytes(s);
    }

    /// Appends `s` left-aligned in a field of `width` (`%-8s`).
    #[inline]
    pub fn left(&mut self, s: &[u8], width: usize) {
        const SPACES: &[u8; 16] = b"                ";
        self.bytes(s);
        let mut pad = width.saturating_sub(s.len());
        while pad > SPACES.len() {
            self.bytes(SPACES);
            pad -= SPACES.len();
        }
        self.bytes(&SPACES[..pad]);
    }

    /// Appends an IPv4 address given in network order (`inet_ntoa()`).
    #[inline]
    pub fn ipv4(&mut self, a: [u8; 4]) {
        let mut tmp = [0u8; 20];
        let n = ipv4_text(a, &mut tmp);
        self.bytes(&tmp[..n]);
    }

    /// Appends an IPv6 address (`inet_ntop(AF_INET6, ...)`).
    pub fn ipv6(&mut self, a: &[u8; 16]) {
        let mut tmp = [0u8; IPV6_TEXT_MAX];
        let n = ipv6_text(a, &mut tmp);
        self.bytes(&tmp[..n]);
    }

    /// Steps back over the last byte, as the reference does to drop a
    /// trailing comma (`offset--; size--`): the next byte replaces it.
    pub fn back(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Counts what was appended since position `start` only as far as it
    /// fit: the reference has pieces that report the length they wrote
    /// rather than the length they wanted (the XML ports and GRE keys), so a
    /// cut there shortens the returned length too.
    #[inline]
    pub fn count_only_written_since(&mut self, start: usize) {
        let cap = self.buf.len();
        if self.pos > cap {
            self.pos = start.max(cap);
        }
    }

    /// Puts the NUL that the reference's last `snprintf()` leaves after its
    /// output: right after the stream, or in the last byte when cut.
    pub fn nul_after(&mut self) {
        if let Some(last) = self.buf.len().checked_sub(1) {
            self.buf[self.pos.min(last)] = 0;
        }
    }

    /// Terminates the string at `len` (or in the last byte when the output
    /// was cut), as the reference's final `buf[...] = '\0'` does.
    pub fn terminate_at(&mut self, len: usize) {
        if let Some(last) = self.buf.len().checked_sub(1) {
            self.buf[len.min(last)] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's way: each piece is an `snprintf(buf + offset, len)`
    /// followed by `BUFFER_SIZE`; returns the buffer and the summed length.
    fn model(pieces: &[&[u8]], size: usize) -> (Vec<u8>, usize) {
        let mut buf = vec![b'X'; size];
        let (mut offset, mut len, mut total) = (0usize, size, 0usize);
        for p in pieces {
            if len > 0 {
                let n = p.len().min(len - 1);
                buf[offset..offset + n].copy_from_slice(&p[..n]);
                buf[offset + n] = 0;
            }
            total += p.len();
            let ret = p.len().min(len);
            offset += ret;
            len -= ret;
        }
        (buf, total)
    }

    #[test]
    fn truncation_matches_per_piece_snprintf_at_every_size() {
        let pieces: [&[u8]; 6] = [
            b"tcp      6 ",
            b"",
            b"431999 ",
            b"ESTABLISHED ",
            b"src=1.2.3.4 ",
            b"x",
        ];
        let full: usize = pieces.iter().map(|p| p.len()).sum();
        for size in 0..full + 4 {
            let (want, want_len) = model(&pieces, size);
            let mut got = vec![b'X'; size];
            let mut w = Writer::new(&mut got);
            for p in &pieces {
                w.bytes(p);
            }
            assert_eq!(w.pos(), want_len);
            w.nul_after();
            assert_eq!(got, want, "size {size}");
        }
    }

    /// As [`model`], for pieces whose function returns the clamped length
    /// (`BUFFER_SIZE` leaves `ret` clamped, and some callers return it).
    fn model_clamped(pieces: &[(&[u8], bool)], size: usize) -> (Vec<u8>, usize) {
        let mut buf = vec![b'X'; size];
        let (mut offset, mut len, mut total) = (0usize, size, 0usize);
        for (p, clamped) in pieces {
            if len > 0 {
                let n = p.len().min(len - 1);
                buf[offset..offset + n].copy_from_slice(&p[..n]);
                buf[offset + n] = 0;
            }
            let ret = p.len().min(len);
            total += if *clamped { ret } else { p.len() };
            offset += ret;
            len -= ret;
        }
        (buf, total)
    }

    #[test]
    fn clamped_pieces_match_the_reference_at_every_size() {
        let pieces: [(&[u8], bool); 5] = [
            (b"<layer4>", false),
            (b"<sport>1025</sport>", true),
            (b"<dport>80</dport>", true),
            (b"</layer4>", false),
            (b"<dport>80</dport>", true),
        ];
        let full: usize = pieces.iter().map(|p| p.0.len()).sum();
        for size in 0..full + 4 {
            let (want, want_len) = model_clamped(&pieces, size);
            let mut got = vec![b'X'; size];
            let mut w = Writer::new(&mut got);
            for (p, clamped) in &pieces {
                let start = w.pos();
                w.bytes(p);
                if *clamped {
                    w.count_only_written_since(start);
                }
            }
            assert_eq!(w.pos(), want_len, "size {size}");
            w.nul_after();
            assert_eq!(got, want, "size {size}");
        }
    }

    #[test]
    fn room_is_what_the_reference_has_left() {
        let mut buf = [0u8; 8];
        let mut w = Writer::new(&mut buf);
        assert_eq!(w.room(), 8);
        w.bytes(b"1234567");
        assert_eq!(w.room(), 1);
        w.bytes(b"8");
        assert_eq!(w.room(), 0);
        w.bytes(b"9");
        assert_eq!(w.room(), 0);
        assert_eq!(&buf, b"1234567\0");
    }

    fn text(f: impl FnOnce(&mut Writer)) -> String {
        let mut buf = [0u8; 128];
        let mut w = Writer::new(&mut buf);
        f(&mut w);
        let n = w.pos();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    #[test]
    fn numbers_match_printf() {
        for v in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            65535,
            4294967295,
            u64::MAX,
            12345678901234,
        ] {
            assert_eq!(text(|w| w.u64(v)), format!("{v}"));
        }
        for v in [0i64, 5, 10, -1, -10, i64::MIN, i64::MAX] {
            assert_eq!(text(|w| w.i64(v)), format!("{v}"));
            assert_eq!(text(|w| w.i64_02(v)), format!("{v:02}"));
            assert_eq!(text(|w| w.i64_right(v, 3)), format!("{v:>3}"));
        }
        for v in [0u16, 1, 0xa, 0x10, 0xff, 0x100, 0xabc, 0x1000, 0xffff] {
            assert_eq!(text(|w| w.hex16(v)), format!("{v:x}"));
        }
        assert_eq!(text(|w| w.left(b"tcp", 8)), "tcp     ");
        assert_eq!(text(|w| w.left(b"a-long-name", 8)), "a-long-name");
        assert_eq!(text(|w| w.right(b"[NEW]", 9)), "    [NEW]");
    }

    #[test]
    fn ipv4_matches_inet_ntoa() {
        for a in [
            [0, 0, 0, 0],
            [255, 255, 255, 255],
            [10, 0, 99, 100],
            [1, 22, 133, 4],
        ] {
            let want = std::net::Ipv4Addr::from(a).to_string();
            assert_eq!(text(|w| w.ipv4(a)), want);
        }
    }

    extern "C" {
        fn inet_ntop(
            af: libc::c_int,
            src: *const libc::c_void,
            dst: *mut libc::c_char,
            size: libc::socklen_t,
        ) -> *const libc::c_char;
    }

    /// glibc's `inet_ntop()` for comparison.
    fn libc_ntop6(a: &[u8; 16]) -> String {
        let mut out = [0 as libc::c_char; 64];
        // SAFETY: a 16-byte address and a 64-byte output buffer.
        let p = unsafe {
            inet_ntop(
                libc::AF_INET6,
                a.as_ptr() as *const libc::c_void,
                out.as_mut_ptr(),
                out.len() as libc::socklen_t,
            )
        };
        assert!(!p.is_null());
        // SAFETY: inet_ntop wrote a NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(out.as_ptr()) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn ipv6_matches_inet_ntop_for_every_group_pattern() {
        // Each group one of: zero, one, 0xffff, a mixed value; all 4^8 patterns.
        let values = [0u16, 1, 0xffff, 0x0a0b];
        for pattern in 0..(1u32 << 16) {
            let mut a = [0u8; 16];
            for g in 0..8 {
                let v = values[((pattern >> (2 * g)) & 3) as usize];
                a[2 * g..2 * g + 2].copy_from_slice(&v.to_be_bytes());
            }
            assert_eq!(text(|w| w.ipv6(&a)), libc_ntop6(&a), "{a:?}");
        }
        // Embedded IPv4 forms with every byte pattern in the low 32 bits.
        for low in [
            [0u8, 0, 0, 0],
            [0, 0, 0, 1],
            [1, 2, 3, 4],
            [0, 1, 0, 0],
            [255, 255, 255, 255],
        ] {
            for prefix in [
                [0u8; 12],
                [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
                [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0],
            ] {
                let mut a = [0u8; 16];
                a[..12].copy_from_slice(&prefix);
                a[12..].copy_from_slice(&low);
                assert_eq!(text(|w| w.ipv6(&a)), libc_ntop6(&a), "{a:?}");
            }
        }
    }

    #[test]
    fn ipv6_matches_inet_ntop_for_random_addresses() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20000 {
            let mut a = [0u8; 16];
            for b in a.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Many zero bytes, so that zero runs are common.
                *b = if x % 3 == 0 { (x >> 8) as u8 } else { 0 };
            }
            assert_eq!(text(|w| w.ipv6(&a)), libc_ntop6(&a), "{a:?}");
        }
    }

    #[test]
    fn copies_of_every_length_are_exact() {
        let src: Vec<u8> = (1..=40).collect();
        for n in 0..=40 {
            let mut dst = [0u8; 48];
            copy_small(&mut dst[3..3 + n], &src[..n]);
            assert_eq!(&dst[3..3 + n], &src[..n]);
            assert!(
                dst[..3].iter().chain(&dst[3 + n..]).all(|&b| b == 0),
                "n = {n}"
            );
        }
    }

    #[test]
    fn every_octet_and_digit_count() {
        for b in 0..=255u8 {
            assert_eq!(text(|w| w.ipv4([b, 0, 255, b])), format!("{b}.0.255.{b}"));
        }
        let mut v = 1u64;
        for _ in 0..20 {
            for x in [v - 1, v, v + 1, v.saturating_mul(3)] {
                assert_eq!(text(|w| w.u64(x)), format!("{x}"));
            }
            v = v.saturating_mul(10);
        }
    }

    #[test]
    fn back_replaces_the_last_byte() {
        let mut buf = [b'X'; 16];
        let mut w = Writer::new(&mut buf);
        w.bytes(b"labels=a,");
        w.back();
        w.byte(b' ');
        assert_eq!(w.pos(), 9);
        assert_eq!(&buf[..9], b"labels=a ");
    }

    #[test]
    fn empty_buffer_only_counts() {
        let mut buf = [0u8; 0];
        let mut w = Writer::new(&mut buf);
        w.bytes(b"abc");
        w.u32(12345);
        w.ipv6(&[0; 16]);
        w.nul_after();
        w.terminate_at(3);
        assert_eq!(w.pos(), 10);
        assert_eq!(w.room(), 0);
    }
}
