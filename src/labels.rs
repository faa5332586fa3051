//! Connection label names: the label map file and name <-> bit lookups.
//!
//! A label map file (by default [`DEFAULT_PATH`], shared with iptables'
//! `connlabel` match) gives names to connection label bits, one per line:
//!
//! ```text
//! # comment
//! 0 eth0-in
//! 1 eth0-out
//! ```
//!
//! The reader follows the reference library exactly, including its quirks:
//!
//! - The file is read in pieces of at most [`PIECE_LEN`] bytes, each ending at a
//!   newline or at that limit (how `fgets` with a 1024-byte buffer reads).
//!   Every piece is parsed as a line of its own, so the rest of an overlong
//!   line is parsed as a new line (and can define a label), and a name longer
//!   than a piece is cut short.
//! - A piece is a C string: it ends at its first NUL byte.
//! - A piece that starts with `#` is a comment. Any other piece starts with a
//!   bit number read as `strtoul(.., 0)` does: leading white space, an
//!   optional sign, then decimal, octal (`0` prefix) or hexadecimal (`0x`
//!   prefix). A piece without digits (blank lines, indented comments, ...) is
//!   skipped, and so is a number of [`MAX_BITS`] or more (a negative number
//!   other than `-0` wraps around to a huge one). No separator is needed after
//!   the number: `0x` not followed by a hex digit reads as `0`, and an octal
//!   number stops at its first `8` or `9`; what follows is the name.
//! - The name is the rest of the piece, up to a newline, with spaces, tabs,
//!   `\f`, `\r` and `\v` trimmed from both ends. An empty name is skipped.
//!   A name may hold only ASCII letters, digits, spaces and `-`; any other byte
//!   makes the line invalid.
//! - The first valid line for a bit wins, and so does the first valid line
//!   for a name: later lines with a bit or a name already taken are skipped.
//!   A line that was skipped takes nothing: its bit stays free.
//! - A file without any valid line gives no map at all.
//! - A read error ends the file: what was read before it counts.

use std::collections::TryReserveError;
use std::ffi::CStr;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// Where the label map is read from when no file is named (the same file as
/// iptables' `connlabel` match).
pub const DEFAULT_PATH: &str = "/etc/xtables/connlabel.conf";

/// [`DEFAULT_PATH`] as a C string, for `nfct_labels_get_path()`.
pub fn default_path() -> &'static CStr {
    c"/etc/xtables/connlabel.conf"
}

/// Bit numbers must be below this (the kernel uses only the first 128).
pub const MAX_BITS: u32 = 1024;

/// The longest piece of a line that is parsed as one line.
pub const PIECE_LEN: usize = 1023;

/// Why a label map could not be made.
#[derive(Debug)]
pub enum LabelMapError {
    /// The file could not be opened.
    Open(io::Error),
    /// The file holds no valid label line.
    NoLabels,
    /// The heap could not hold the map.
    OutOfMemory,
}

impl LabelMapError {
    /// The `errno` the C API reports: the open error, or 0 for a map without
    /// labels (as the reference does).
    pub fn errno(&self) -> i32 {
        match self {
            LabelMapError::Open(e) => e.raw_os_error().unwrap_or(libc::EIO),
            LabelMapError::NoLabels => 0,
            LabelMapError::OutOfMemory => libc::ENOMEM,
        }
    }
}

impl fmt::Display for LabelMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelMapError::Open(e) => write!(f, "cannot open the label map: {e}"),
            LabelMapError::NoLabels => f.write_str("the label map holds no valid label"),
            LabelMapError::OutOfMemory => f.write_str("out of memory for the label map"),
        }
    }
}

impl std::error::Error for LabelMapError {}

/// A parsed label map: names of connection label bits, both ways.
///
/// Four allocations whatever the number of names (the reference makes two
/// per name): the names back to back, an index by bit, and a hash table
/// by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelMap {
    /// Every name followed by a NUL; offset 0 holds a lone NUL, the name of
    /// bits without one.
    text: Box<[u8]>,
    /// By bit, up to the highest named one: where its name starts in
    /// `text` (0 for none).
    by_bit: Box<[u32]>,
    /// The names, by hash (see [`Slot`]).
    slots: Box<[Slot]>,
}

/// One name in the hash table (open addressing, linear probing, at most
/// half full): its [`key`] (0 for a free slot: names are never empty),
/// where it is in the text, and its bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    key: u64,
    start: u32,
    bit: u32,
}

impl Slot {
    fn len(&self) -> usize {
        (self.key >> 32) as usize
    }
}

/// A name's hash and length in one number, compared at once.
#[inline(always)]
fn key(name: &[u8], hash: u32) -> u64 {
    u64::from(hash) | (name.len() as u64) << 32
}

/// A hash of a name, eight bytes at a time: a multiplication per word, and
/// the last (partial) word read in at most three loads. The length is mixed
/// in, so the overlapping reads of the tail cannot make two names alike.
#[inline]
fn hash(name: &[u8]) -> u32 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = name.len() as u64;
    let mut rest = name;
    while let Some((word, more)) = rest.split_first_chunk::<8>() {
        h = (h ^ u64::from_le_bytes(*word)).wrapping_mul(K);
        rest = more;
    }
    h = (h ^ tail(rest)).wrapping_mul(K);
    (h >> 32) as u32
}

/// Whether `name` is in `text` at `start`, compared eight bytes at a time
/// as [`hash`] reads them (the last word overlapping the one before): for
/// names, a few loads rather than a call to `memcmp`.
#[inline(never)]
fn name_at(text: &[u8], start: u32, name: &[u8]) -> bool {
    let start = start as usize;
    let Some(t) = text.get(start..start + name.len()) else {
        return false;
    };
    match (t.last_chunk::<8>(), name.last_chunk::<8>()) {
        (Some(x), Some(y)) => {
            x == y
                && t.chunks_exact(8)
                    .zip(name.chunks_exact(8))
                    .all(|(x, y)| x == y)
        }
        _ => tail(t) == tail(name),
    }
}

/// Up to seven bytes as a number: the first and last four (which overlap),
/// or the first, middle and last one.
#[inline(always)]
fn tail(b: &[u8]) -> u64 {
    let n = b.len();
    if let (Some(first), Some(last)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        return u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
    }
    match (b.first(), b.get(n / 2), b.last()) {
        (Some(&x), Some(&y), Some(&z)) => u64::from(x) | u64::from(y) << 8 | u64::from(z) << 16,
        _ => 0,
    }
}

/// Where `name` (hashed to `h`) is in `slots` (a power-of-two table with a
/// free slot), or the free slot where it would go: `(index, found)`.
#[inline]
fn probe(slots: &[Slot], text: &[u8], name: &[u8], h: u32) -> (usize, bool) {
    let k = key(name, h);
    let mask = slots.len().wrapping_sub(1);
    let mut i = h as usize & mask;
    while let Some(s) = slots.get(i) {
        if s.key == 0 {
            return (i, false);
        }
        if s.key == k && name_at(text, s.start, name) {
            return (i, true);
        }
        i = (i + 1) & mask;
    }
    (0, false)
}

impl LabelMap {
    /// Reads the label map file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<LabelMap, LabelMapError> {
        let file = File::open(path).map_err(LabelMapError::Open)?;
        Self::from_open_file(file)
    }

    /// Reads the label map from a file already open (the C API opens the
    /// caller's path itself: `File::open` copies a long path to the heap).
    pub fn from_open_file(file: File) -> Result<LabelMap, LabelMapError> {
        Self::from_reader(InlineBuf::new(file))
    }

    /// Reads the label map at [`DEFAULT_PATH`].
    pub fn from_default_file() -> Result<LabelMap, LabelMapError> {
        Self::from_file(DEFAULT_PATH)
    }

    /// Parses the contents of a label map file; `None` when no line is valid.
    pub fn parse(text: &[u8]) -> Option<LabelMap> {
        Self::from_reader(text).ok()
    }

    /// Parses a label map from `r`, stopping at its end or at a read error.
    /// Fails with [`LabelMapError::NoLabels`] when no line is valid, and
    /// with [`LabelMapError::OutOfMemory`] (rather than aborting) when the
    /// heap refuses an allocation.
    pub fn from_reader(mut r: impl BufRead) -> Result<LabelMap, LabelMapError> {
        let mut builder = Builder::new()?;
        let mut piece = [0; PIECE_LEN];
        while let Some(len) = next_piece(&mut r, &mut piece) {
            builder.line(&piece[..len])?;
        }
        builder.finish()
    }

    /// The name of `bit` and its NUL (just the NUL for a bit without a name
    /// below the highest named bit); `None` past it.
    #[inline]
    pub fn name_with_nul(&self, bit: u32) -> Option<&[u8]> {
        let start = *self.by_bit.get(usize::try_from(bit).ok()?)?;
        self.text.get(start as usize..)
    }

    /// The name of `bit`: `Some("")` for a bit without a name below the
    /// highest named bit, `None` past it.
    pub fn name(&self, bit: u32) -> Option<&CStr> {
        CStr::from_bytes_until_nul(self.name_with_nul(bit)?).ok()
    }

    /// The bit named exactly `name`.
    #[inline]
    pub fn bit(&self, name: &[u8]) -> Option<u32> {
        let h = hash(name);
        let k = key(name, h);
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = h as usize & mask;
        loop {
            let s = self.slots.get(i)?;
            if s.key == 0 {
                return None;
            }
            if s.key == k && name_at(&self.text, s.start, name) {
                return Some(s.bit);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Collects valid lines: each takes a free bit and a free name.
struct Builder {
    /// The names so far, as in [`LabelMap::text`].
    text: Vec<u8>,
    /// The hash table so far; `names` of its slots are used.
    slots: Vec<Slot>,
    names: usize,
    /// The bits taken, and the highest.
    taken: [u32; MAX_BITS as usize / 32],
    max: Option<u32>,
}

impl Builder {
    /// Room for a typical file's names (a few) without growing.
    fn new() -> Result<Builder, TryReserveError> {
        let mut text = Vec::new();
        text.try_reserve_exact(256)?;
        text.push(0);
        Ok(Builder {
            text,
            slots: slots(16)?,
            names: 0,
            taken: [0; MAX_BITS as usize / 32],
            max: None,
        })
    }

    /// Takes one piece of the file (see the module documentation).
    fn line(&mut self, piece: &[u8]) -> Result<(), TryReserveError> {
        let line = piece.split(|&b| b == 0).next().unwrap_or_default();
        if line.first() == Some(&b'#') {
            return Ok(());
        }
        let Some((bit, rest)) = parse_bit(line) else {
            return Ok(());
        };
        let word = &mut self.taken[bit as usize / 32];
        if *word & (1 << (bit % 32)) != 0 {
            return Ok(());
        }
        let name = trim_name(rest);
        if name.is_empty() || !name_is_sane(name) {
            return Ok(());
        }
        let h = hash(name);
        let (i, found) = probe(&self.slots, &self.text, name, h);
        if found {
            return Ok(());
        }
        self.text.try_reserve(name.len() + 1)?;
        let slot = Slot {
            key: key(name, h),
            start: self.text.len() as u32,
            bit,
        };
        self.text.extend_from_slice(name);
        self.text.push(0);
        *word |= 1 << (bit % 32);
        self.max = self.max.max(Some(bit));
        self.slots[i] = slot;
        self.names += 1;
        if self.names * 2 > self.slots.len() {
            self.grow()?;
        }
        Ok(())
    }

    /// Doubles the hash table.
    fn grow(&mut self) -> Result<(), TryReserveError> {
        let mut bigger = slots(self.slots.len() * 2)?;
        for s in self.slots.iter().filter(|s| s.key != 0) {
            let at = s.start as usize..s.start as usize + s.len();
            let name = self.text.get(at).unwrap_or_default();
            let (i, _) = probe(&bigger, &self.text, name, s.key as u32);
            bigger[i] = *s;
        }
        self.slots = bigger;
        Ok(())
    }

    fn finish(self) -> Result<LabelMap, LabelMapError> {
        let max = self.max.ok_or(LabelMapError::NoLabels)?;
        let mut by_bit = Vec::new();
        by_bit.try_reserve_exact(max as usize + 1)?;
        by_bit.resize(max as usize + 1, 0);
        for s in self.slots.iter().filter(|s| s.key != 0) {
            by_bit[s.bit as usize] = s.start;
        }
        Ok(LabelMap {
            text: fallible_boxed(self.text)?,
            by_bit: by_bit.into_boxed_slice(),
            slots: self.slots.into_boxed_slice(),
        })
    }
}

/// `n` free slots, or an error when the heap refuses them.
fn slots(n: usize) -> Result<Vec<Slot>, TryReserveError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)?;
    v.resize(n, Slot::default());
    Ok(v)
}

/// `v` as a boxed slice: shrunk to fit (a reallocation that may fail,
/// unlike `into_boxed_slice`, which would abort), or kept as it is when
/// the heap refuses.
fn fallible_boxed(v: Vec<u8>) -> Result<Box<[u8]>, TryReserveError> {
    if v.len() == v.capacity() {
        return Ok(v.into_boxed_slice());
    }
    let mut exact = Vec::new();
    exact.try_reserve_exact(v.len())?;
    exact.extend_from_slice(&v);
    Ok(exact.into_boxed_slice())
}

impl From<TryReserveError> for LabelMapError {
    fn from(_: TryReserveError) -> Self {
        LabelMapError::OutOfMemory
    }
}

/// A buffered reader whose buffer (one piece long) lives inline, so reading
/// a file allocates nothing, unlike `BufReader`.
struct InlineBuf<R> {
    inner: R,
    buf: [u8; PIECE_LEN],
    start: usize,
    end: usize,
}

impl<R: Read> InlineBuf<R> {
    fn new(inner: R) -> Self {
        InlineBuf {
            inner,
            buf: [0; PIECE_LEN],
            start: 0,
            end: 0,
        }
    }
}

impl<R: Read> Read for InlineBuf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for InlineBuf<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.end = self.inner.read(&mut self.buf)?;
            self.start = 0;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }
}

/// Reads the next piece of at most [`PIECE_LEN`] bytes, ending after a
/// newline, into `piece`; its length, or `None` at the end of input or on a
/// read error (a piece cut by an error is dropped, as `fgets` drops it).
fn next_piece(r: &mut impl BufRead, piece: &mut [u8; PIECE_LEN]) -> Option<usize> {
    let mut len = 0;
    loop {
        let buf = match r.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        if buf.is_empty() {
            return (len > 0).then_some(len);
        }
        let room = PIECE_LEN - len;
        let avail = &buf[..buf.len().min(room)];
        let (take, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(nl) => (nl + 1, true),
            None => (avail.len(), avail.len() == room),
        };
        piece[len..len + take].copy_from_slice(&avail[..take]);
        len += take;
        r.consume(take);
        if done {
            return Some(len);
        }
    }
}

/// White space as C's `isspace` sees it in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// White space that is trimmed around a name (no newline).
fn is_name_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c | b'\r')
}

/// Reads a bit number at the start of `line` the way `strtoul(.., 0)` reads
/// a number; returns the bit and the rest of the line after the number.
fn parse_bit(line: &[u8]) -> Option<(u32, &[u8])> {
    let mut i = line.iter().position(|&b| !is_c_space(b))?;
    let negative = match line[i] {
        b'-' => {
            i += 1;
            true
        }
        b'+' => {
            i += 1;
            false
        }
        _ => false,
    };
    let is_hex_digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
    let radix = if line.get(i) == Some(&b'0') {
        if matches!(line.get(i + 1), Some(b'x' | b'X')) && is_hex_digit(line.get(i + 2)) {
            i += 2;
            16
        } else {
            8
        }
    } else {
        10
    };
    let digits = line[i..]
        .iter()
        .take_while(|&&b| char::from(b).is_digit(radix))
        .count();
    if digits == 0 {
        return None;
    }
    let rest = &line[i + digits..];
    // Any value that does not fit below MAX_BITS is out of range, however
    // large (strtoul would saturate), so stop accumulating early.
    let mut value: u32 = 0;
    for &b in &line[i..i + digits] {
        let d = char::from(b).to_digit(radix).unwrap_or(0);
        value = value.saturating_mul(radix).saturating_add(d).min(MAX_BITS);
    }
    // strtoul negates in unsigned arithmetic: only -0 stays small.
    if value >= MAX_BITS || (negative && value != 0) {
        return None;
    }
    Some((value, rest))
}

/// The name in what follows the bit number: up to a newline, trimmed.
fn trim_name(rest: &[u8]) -> &[u8] {
    let start = rest
        .iter()
        .position(|&b| !is_name_space(b))
        .unwrap_or(rest.len());
    let rest = &rest[start..];
    let rest = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let end = rest
        .iter()
        .rposition(|&b| !is_name_space(b))
        .map_or(0, |p| p + 1);
    &rest[..end]
}

/// Names may hold only ASCII letters, digits, spaces and dashes, so that
/// output that lists them stays easy to parse.
fn name_is_sane(name: &[u8]) -> bool {
    name.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> LabelMap {
        LabelMap::parse(text.as_bytes()).expect("a map")
    }

    fn name(m: &LabelMap, bit: u32) -> Option<&str> {
        m.name(bit).map(|n| n.to_str().unwrap())
    }

    #[test]
    fn default_path() {
        assert_eq!(super::default_path().to_str().unwrap(), DEFAULT_PATH);
        assert_eq!(DEFAULT_PATH, "/etc/xtables/connlabel.conf");
    }

    #[test]
    fn simple_map_both_ways() {
        let m = map("0 eth0-in\n1 eth0-out\n5 bulk traffic\n");
        assert_eq!(name(&m, 0), Some("eth0-in"));
        assert_eq!(name(&m, 1), Some("eth0-out"));
        assert_eq!(name(&m, 5), Some("bulk traffic"));
        assert_eq!(m.bit(b"eth0-in"), Some(0));
        assert_eq!(m.bit(b"bulk traffic"), Some(5));
    }

    #[test]
    fn gaps_are_empty_and_past_the_highest_bit_is_none() {
        let m = map("3 three\n7 seven\n");
        assert_eq!(name(&m, 0), Some(""));
        assert_eq!(name(&m, 6), Some(""));
        assert_eq!(name(&m, 7), Some("seven"));
        assert_eq!(name(&m, 8), None);
        assert_eq!(name(&m, u32::MAX), None);
    }

    #[test]
    fn lookups_are_exact() {
        let m = map("1 foo\n");
        assert_eq!(m.bit(b"foo"), Some(1));
        for other in [&b""[..], b"fo", b"foo ", b"FOO", b" foo", b"foo\0"] {
            assert_eq!(m.bit(other), None, "{other:?}");
        }
    }

    #[test]
    fn lookups_of_every_length_and_many_names() {
        // 1000 names of 1 to 40 bytes, many alike but for one byte (at
        // every position: the hash and the comparison read the last bytes
        // twice), so the table grows several times.
        let mut text = String::new();
        let mut names = Vec::new();
        for bit in 0..1000u32 {
            let len = 1 + bit as usize % 40;
            let mut name = vec![b'a'; len];
            name[bit as usize / 40 % len] = b'b' + (bit / 400) as u8;
            let name = String::from_utf8(name).unwrap();
            if !names.contains(&name) {
                text.push_str(&format!("{bit} {name}\n"));
                names.push(name);
            }
        }
        let m = map(&text);
        let mut found = 0;
        for line in text.lines() {
            let (bit, label) = line.split_once(' ').unwrap();
            assert_eq!(m.bit(label.as_bytes()), bit.parse().ok(), "{label}");
            assert_eq!(name(&m, bit.parse().unwrap()), Some(label));
            found += 1;
        }
        assert_eq!(found, names.len());
        for other in [
            &b"b"[..],
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            b"ab",
            b"aaaaaaac",
        ] {
            if !names.iter().any(|n| n.as_bytes() == other) {
                assert_eq!(m.bit(other), None, "{other:?}");
            }
        }
        assert_eq!(m.bit(b""), None);
    }

    #[test]
    fn comments_and_blank_lines() {
        let m = map("# 1 nope\n\n   \n\t# 2 nope\n3 yes\n#4 nope\n");
        assert_eq!(m.bit(b"nope"), None);
        assert_eq!(name(&m, 3), Some("yes"));
        assert_eq!(name(&m, 4), None);
    }

    #[test]
    fn nothing_valid_is_no_map() {
        assert!(LabelMap::parse(b"").is_none());
        assert!(LabelMap::parse(b"# only a comment\n\n").is_none());
        assert!(LabelMap::parse(b"1\n2   \nx foo\n1024 big\n").is_none());
    }

    #[test]
    fn leading_white_space_and_trimming() {
        let m = map(" \t\x0b\x0c\r1 a\n2\t \x0b\x0cb c \t\r\x0b\x0c\r\n");
        assert_eq!(name(&m, 1), Some("a"));
        assert_eq!(name(&m, 2), Some("b c"));
    }

    #[test]
    fn number_forms() {
        let m = map("0x10 hex\n010 oct\n+3 plus\n-0 minuszero\n 0X1f upperhex\n");
        assert_eq!(m.bit(b"hex"), Some(16));
        assert_eq!(m.bit(b"oct"), Some(8));
        assert_eq!(m.bit(b"plus"), Some(3));
        assert_eq!(m.bit(b"minuszero"), Some(0));
        assert_eq!(m.bit(b"upperhex"), Some(31));
    }

    #[test]
    fn numbers_run_into_names() {
        // No separator is needed; 0x without a hex digit is 0 then "x..".
        let m = map("5foo\n0x zap\n09 nine\n0x1g gee\n");
        assert_eq!(m.bit(b"foo"), Some(5));
        assert_eq!(m.bit(b"x zap"), Some(0));
        assert_eq!(m.bit(b"9 nine"), None); // bit 0 already taken
        assert_eq!(m.bit(b"g gee"), Some(1));
        let m = map("09 nine\n");
        assert_eq!(m.bit(b"9 nine"), Some(0));
    }

    #[test]
    fn out_of_range_and_negative_bits() {
        let m =
            map("1023 last\n1024 over\n-1 neg\n99999999999999999999999999 huge\n0x400 hexover\n");
        assert_eq!(m.bit(b"last"), Some(1023));
        for n in [&b"over"[..], b"neg", b"huge", b"hexover"] {
            assert_eq!(m.bit(n), None);
        }
        assert_eq!(name(&m, 1023), Some("last"));
        assert_eq!(name(&m, 1024), None);
        assert!(LabelMap::parse(b"-5 neg\n- 5 sp\n+-5 x\n").is_none());
    }

    #[test]
    fn names_must_be_sane() {
        let m = map("1 ok-name 9\n2 semi;colon\n3 tab\tinside\n4 under_score\n5 caf\u{e9}\n6 hash#\n7 dot.\n8 end\n");
        assert_eq!(name(&m, 1), Some("ok-name 9"));
        for bit in 2..=7 {
            assert_eq!(name(&m, bit), Some(""));
        }
        assert_eq!(name(&m, 8), Some("end"));
        assert!(LabelMap::parse(b"1 bad\xff\n").is_none());
    }

    #[test]
    fn first_bit_and_first_name_win() {
        let m = map("1 one\n1 uno\n2 one\n3 three\n");
        assert_eq!(name(&m, 1), Some("one"));
        assert_eq!(m.bit(b"uno"), None);
        assert_eq!(name(&m, 2), Some("")); // "one" was taken: bit 2 stays unnamed
        assert_eq!(name(&m, 3), Some("three"));
        assert_eq!(m.bit(b"one"), Some(1));
    }

    #[test]
    fn a_skipped_line_does_not_take_its_bit() {
        let m = map("1 bad;name\n1\n1 good\n2 dup\n2 dup2\n");
        assert_eq!(name(&m, 1), Some("good"));
        assert_eq!(name(&m, 2), Some("dup"));
        assert_eq!(m.bit(b"dup2"), None);
    }

    #[test]
    fn nul_ends_a_line() {
        let m = map("1 foo\0bar\n2 x\0\n3 y\n\x004 z\n");
        assert_eq!(name(&m, 1), Some("foo"));
        assert_eq!(name(&m, 2), Some("x"));
        assert_eq!(name(&m, 3), Some("y"));
        assert_eq!(name(&m, 4), None);
    }

    #[test]
    fn last_line_without_newline() {
        let m = map("1 a\n2 b");
        assert_eq!(name(&m, 2), Some("b"));
    }

    #[test]
    fn crlf_lines() {
        let m = map("1 a\r\n2 b c\r\n");
        assert_eq!(m.bit(b"a"), Some(1));
        assert_eq!(m.bit(b"b c"), Some(2));
    }

    #[test]
    fn long_names_are_cut_to_the_piece() {
        // "1 " + 1021 letters fills a piece exactly: the whole name is kept.
        let fits = format!("1 {}\n", "a".repeat(1021));
        let m = map(&fits);
        assert_eq!(name(&m, 1).unwrap().len(), 1021);
        // One letter more: the piece is cut, the rest "b\n" is no line.
        let long = format!("1 {}b\n", "a".repeat(1021));
        let m = map(&long);
        assert_eq!(name(&m, 1).unwrap(), "a".repeat(1021));
        assert_eq!(m.bit(b"b"), None);
    }

    #[test]
    fn the_rest_of_a_long_line_is_a_line() {
        let text = format!(
            "1 {}2 second\n#{}3 sneaky\n",
            "a".repeat(1021),
            "x".repeat(1022)
        );
        let m = map(&text);
        assert_eq!(name(&m, 2), Some("second"));
        assert_eq!(name(&m, 3), Some("sneaky"));
        // Trailing white space before the cut is trimmed too.
        let text = format!("4 {}   {}\n", "c".repeat(1000), " ".repeat(100));
        let m = map(&text);
        assert_eq!(name(&m, 4).unwrap(), "c".repeat(1000));
    }

    #[test]
    fn pieces_follow_fgets() {
        let text = format!("{}\nabc", "z".repeat(2500));
        let mut r = text.as_bytes();
        let mut piece = [0; PIECE_LEN];
        let mut lens = Vec::new();
        while let Some(len) = next_piece(&mut r, &mut piece) {
            lens.push(len);
        }
        assert_eq!(lens, [1023, 1023, 455, 3]);
    }

    #[test]
    fn pieces_across_small_reads() {
        // A reader that returns a few bytes at a time still gives whole pieces.
        let text = format!("1 {}\n2 two\n", "q".repeat(1500));
        let r = io::BufReader::with_capacity(7, text.as_bytes());
        let m = LabelMap::from_reader(r).unwrap();
        assert_eq!(name(&m, 1).unwrap().len(), 1021);
        assert_eq!(name(&m, 2), Some("two"));
    }

    #[test]
    fn a_read_error_ends_the_file() {
        struct Failing<'a>(&'a [u8]);
        impl io::Read for Failing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::from_raw_os_error(libc::EIO));
                }
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let m = LabelMap::from_reader(InlineBuf::new(Failing(b"1 one\n2 two"))).unwrap();
        assert_eq!(name(&m, 1), Some("one"));
        assert_eq!(name(&m, 2), None); // cut by the error, dropped
        assert!(matches!(
            LabelMap::from_reader(InlineBuf::new(Failing(b""))),
            Err(LabelMapError::NoLabels)
        ));
    }

    #[test]
    fn files_read_like_text() {
        // Lines that straddle the reader's 1023-byte refills.
        let mut text = String::new();
        for bit in 0..200 {
            text.push_str(&format!(
                "{bit} name-{bit}-{}\n",
                "w".repeat(bit * 7 % 1500)
            ));
        }
        let file = std::env::temp_dir().join(format!("labels-long-{}", std::process::id()));
        std::fs::write(&file, &text).unwrap();
        let from_file = LabelMap::from_file(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        let from_text = LabelMap::parse(text.as_bytes()).unwrap();
        for bit in 0..1024 {
            assert_eq!(from_file.name(bit), from_text.name(bit), "bit {bit}");
        }
    }

    #[test]
    fn files_and_errors() {
        let dir = std::env::temp_dir().join(format!("labels-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("map.conf");
        std::fs::write(&file, "7 seven\n").unwrap();
        let m = LabelMap::from_file(&file).unwrap();
        assert_eq!(m.bit(b"seven"), Some(7));

        let e = LabelMap::from_file(dir.join("missing")).unwrap_err();
        assert_eq!(e.errno(), libc::ENOENT);
        // A directory opens but cannot be read: no labels, errno 0.
        let e = LabelMap::from_file(&dir).unwrap_err();
        assert!(matches!(e, LabelMapError::NoLabels));
        assert_eq!(e.errno(), 0);
        let e = LabelMap::from_file(file.join("x")).unwrap_err();
        assert_eq!(e.errno(), libc::ENOTDIR);
        std::fs::write(&file, "").unwrap();
        assert!(matches!(
            LabelMap::from_file(&file),
            Err(LabelMapError::NoLabels)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn parse_bit_rules() {
        assert_eq!(parse_bit(b"12 x"), Some((12, &b" x"[..])));
        assert_eq!(parse_bit(b"  \t\n+0x3ffz"), Some((1023, &b"z"[..])));
        assert_eq!(parse_bit(b"0"), Some((0, &b""[..])));
        assert_eq!(parse_bit(b"0x"), Some((0, &b"x"[..])));
        assert_eq!(parse_bit(b"0778"), Some((63, &b"8"[..])));
        assert_eq!(parse_bit(b""), None);
        assert_eq!(parse_bit(b"   "), None);
        assert_eq!(parse_bit(b"x1"), None);
        assert_eq!(parse_bit(b"-"), None);
        assert_eq!(parse_bit(b"--1"), None);
        assert_eq!(parse_bit(b"-0x0 a"), Some((0, &b" a"[..])));
        assert_eq!(parse_bit(b"-2"), None);
        assert_eq!(parse_bit(b"18446744073709551616"), None);
    }
}
