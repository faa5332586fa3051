//! Bodies of the fuzz targets, shared by the libFuzzer binaries
//! (`fuzz_targets/`) and the replay test (`tests/replay.rs`).
//!
//! Each target feeds one input to a parser through the library's C ABI, then
//! drives everything that consumes the parsed object: printing (plain and
//! XML, with a message type, flags and label names that the input's hash
//! picks, into buffers of many sizes), cloning, copying and comparing, and
//! building it back into a message. Besides "no crash, no panic" it checks
//! properties that must hold for any input:
//!
//! - a parse returns 0, or -1 with `errno` `EBADMSG`; the deprecated
//!   `nfct_parse_conntrack`/`nfexp_parse_expect` agree with it; parsing the
//!   same message again over the result changes nothing;
//! - printing never writes past the size it was given, always NUL-terminates,
//!   and a truncated output is a prefix of the whole output;
//! - an object equals its clone, and its copy (`nfct_copy`);
//! - what the builder writes, the parser reads back without error, and the
//!   object read back builds into the same bytes (a fixed point; for an
//!   expectation, when the message has all three tuples: see
//!   [`rebuild_exp`]).
//!
//! The library runs every C entry point under `catch_unwind` (a panic becomes
//! -1 with `EINVAL`), so a panic would go unseen: [`install_panic_hook`]
//! records every panic, and the targets fail on one.

#![deny(unsafe_op_in_unsafe_fn)]
// The deprecated parsers are fuzzed on purpose.
#![allow(deprecated)]

use std::cell::Cell;
use std::os::raw::{c_char, c_int, c_uint, c_void};
use std::ptr;
use std::sync::Once;

use netfilter_conntrack::internals::conntrack::build as ct_build;
use netfilter_conntrack::internals::conntrack::print::{self as ct_print, FixedClock, Format, Options};
use netfilter_conntrack::internals::conntrack::{Attr, Conntrack};
use netfilter_conntrack::internals::ctnetlink::exp;
use netfilter_conntrack::internals::expect::print as exp_print;
use netfilter_conntrack::internals::expect::Expect;
use netfilter_conntrack::internals::ffi::conntrack::{
    nfct_clone, nfct_cmp, nfct_copy, nfct_destroy, nfct_new,
};
use netfilter_conntrack::internals::ffi::expect::{nfexp_clone, nfexp_cmp, nfexp_destroy, nfexp_new};
use netfilter_conntrack::internals::ffi::expect_lowlevel::{
    nfexp_nlmsg_build, nfexp_nlmsg_parse, nfexp_parse_expect, nfexp_snprintf,
};
use netfilter_conntrack::internals::ffi::labels::nfct_labelmap_new;
use netfilter_conntrack::internals::ffi::lowlevel::{
    nfct_nlmsg_build, nfct_nlmsg_parse, nfct_parse_conntrack, nfct_payload_parse,
};
use netfilter_conntrack::internals::ffi::print::{nfct_snprintf, nfct_snprintf_labels};
use netfilter_conntrack::internals::ffi::{nf_conntrack, nf_expect, nfct_labelmap, nlmsghdr, MsgTypeRaw};
use netfilter_conntrack::internals::labels::LabelMap;
use netfilter_conntrack::internals::netlink::attr::{AttrWriter, Attrs};

/// Size of `struct nlmsghdr`.
const NLMSG_HDRLEN: usize = 16;
/// Header plus `struct nfgenmsg`.
const HEADERS: usize = NLMSG_HDRLEN + 4;
/// Bytes of canary after every output buffer.
const CANARY: usize = 16;
/// The canary's byte.
const POISON: u8 = 0xa5;
/// `NFCT_O_PLAIN`, `NFCT_O_XML`.
const OUT_TYPES: [c_uint; 2] = [0, 1];
/// `NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID | NFCT_OF_TIMESTAMP`: every flag whose
/// output does not depend on the time of day.
const STEADY_FLAGS: c_uint = 1 | 4 | 8;
/// `NFCT_OF_TIME`.
const OF_TIME: c_uint = 2;
/// Message types printed: unknown, new, update, destroy, and one out of range
/// (one per input, see [`Variant`]).
const MSG_TYPES: [c_uint; 5] = [0, 1, 2, 4, 0x8000_0000];
/// Label names for printing (`NFCT_O_XML` and plain print them).
const LABEL_CONF: &str = "0 zero\n1 one\n2 two\n31 thirty-one\n63 sixty-three\n\
                          64 sixty-four\n127 last\n";
/// `NFCT_CP_OVERRIDE`: `nfct_copy` of the whole object.
const NFCT_CP_OVERRIDE: c_uint = 8;
/// `NFCT_T_ALL`: every message type, for the deprecated parsers.
const NFCT_T_ALL: u32 = 7;
/// The clock of the printing checks: a fixed time, so that two calls print
/// the same text.
const CLOCK: FixedClock = FixedClock(1_700_000_000);

thread_local! {
    static PANICKED: Cell<bool> = const { Cell::new(false) };
}
static HOOK: Once = Once::new();

/// Whether the environment has `NFCT_FUZZ_STEADY` (`fuzz/run smoke` sets
/// it): then the C printers, which read the real clock (for `NFCT_OF_TIME`,
/// and for the XML `deltatime` of an entry that has a start time), are left
/// out, so that two runs with the same seed take the same paths. The core
/// printer, with a fixed clock, is checked either way.
fn steady() -> bool {
    static STEADY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *STEADY.get_or_init(|| std::env::var_os("NFCT_FUZZ_STEADY").is_some())
}

/// Makes every panic visible, even one the library's `catch_unwind` turns
/// into an error return: the hook prints it (as the default hook does) and
/// records it for [`take_panic`]. libFuzzer's own hook (installed before the
/// first input) aborts on top of that.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            previous(info);
        }));
    });
}

/// Whether a panic happened on this thread since the last call.
pub fn take_panic() -> bool {
    PANICKED.with(|p| p.replace(false))
}

fn errno() -> c_int {
    // SAFETY: errno is the calling thread's.
    unsafe { *libc::__errno_location() }
}

fn set_errno(e: c_int) {
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = e }
}

/// The label map used by the printing checks, read once from a file.
fn labelmap() -> *mut nfct_labelmap {
    static MAP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MAP.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("nfct-fuzz-labels-{}", std::process::id()));
        std::fs::write(&path, LABEL_CONF).expect("temporary label file");
        let cpath = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path.
        let map = unsafe { nfct_labelmap_new(cpath.as_ptr()) };
        let _ = std::fs::remove_file(&path);
        assert!(!map.is_null(), "the label map loads");
        map as usize
    }) as *mut nfct_labelmap
}

/// A small deterministic hash of the input: it picks the printing variant
/// and some of the buffer sizes tried.
fn mix(data: &[u8]) -> u32 {
    data.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The message a C caller would pass for `data`: at least a whole header
/// (the C prototype takes a `struct nlmsghdr *`), and exactly `nlmsg_len`
/// bytes when `data` holds that many, so that any read past `nlmsg_len` is a
/// read past the allocation (visible to ASan and valgrind). An `nlmsg_len`
/// larger than `data` would make the caller break the contract (`nlh` points
/// to `nlmsg_len` bytes), so it is cut to what `data` holds.
pub fn message(data: &[u8]) -> Box<[u8]> {
    let claimed = match data.get(..4) {
        Some(b) => u32::from_ne_bytes(b.try_into().unwrap()) as usize,
        None => data.len(),
    };
    let len = claimed.min(data.len());
    let mut buf = data[..len.max(NLMSG_HDRLEN).min(data.len())].to_vec();
    buf.resize(buf.len().max(NLMSG_HDRLEN), 0);
    buf[..4].copy_from_slice(&(len as u32).to_ne_bytes());
    buf.into_boxed_slice()
}

/// Checks a parser's return value: 0, or -1 with `EBADMSG`.
fn check_parse_result(what: &str, r: c_int) {
    match r {
        0 => {}
        -1 => assert_eq!(errno(), libc::EBADMSG, "{what}: -1 without EBADMSG"),
        r => panic!("{what} returned {r}"),
    }
}

/// Checks what a deprecated parse (`nfct_parse_conntrack`,
/// `nfexp_parse_expect`, asked for every message type) returned, given that
/// the plain parse of the same message returned `plain`: 0 for a message of
/// no known kind, else the kind (`NFCT_T_NEW`, `_UPDATE`, `_DESTROY`) when
/// the parse succeeded and -1 with `EBADMSG` when it did not.
fn check_parse_kind(what: &str, kind: c_int, plain: c_int) {
    match kind {
        0 => {}
        1 | 2 | 4 => assert_eq!(plain, 0, "{what} succeeded where the plain parse failed"),
        -1 => {
            assert_eq!(plain, -1, "{what} failed where the plain parse succeeded");
            assert_eq!(errno(), libc::EBADMSG, "{what}: -1 without EBADMSG");
        }
        k => panic!("{what} returned {k}"),
    }
}

/// A buffer of `size` bytes followed by a canary.
struct OutBuf(Vec<u8>, usize);

impl OutBuf {
    fn new(size: usize) -> OutBuf {
        OutBuf(vec![POISON; size + CANARY], size)
    }

    fn ptr(&mut self) -> *mut c_char {
        self.0.as_mut_ptr() as *mut c_char
    }

    /// Checks the canary, and the terminating NUL after a call that
    /// returned `r` >= 0; the text before the NUL.
    fn text(&self, what: &str, r: c_int) -> &[u8] {
        assert!(
            self.0[self.1..].iter().all(|&b| b == POISON),
            "{what}: wrote past the {} bytes it was given",
            self.1
        );
        if self.1 == 0 {
            return &[];
        }
        if r < 0 {
            // Like the reference, a failed plain print may leave its message
            // type prefix behind.
            return &[];
        }
        let nul = self.0[..self.1].iter().position(|&b| b == 0);
        let nul = nul.unwrap_or_else(|| panic!("{what}: no NUL in the {} bytes", self.1));
        &self.0[..nul]
    }
}

/// Printing properties, on a printer `print(buf, size) -> return value`
/// whose output is the same at every call.
///
/// `whole` is the text printed into a buffer large enough, `n` what that call
/// returned. For any smaller size, the call writes nothing past the size,
/// NUL-terminates, and what it wrote is a prefix of the whole text (or of the
/// whole text and one more space: like the reference, the plain printers drop
/// the trailing space only when everything fits). With room for the text, a
/// space and the NUL, the output and return value are the whole ones. (The
/// return value of a truncated print follows the reference's arithmetic,
/// which the C API tests compare; it is not checked here.)
fn check_printer(what: &str, seed: u32, mut print: impl FnMut(&mut [u8]) -> Option<usize>) {
    // Room for the whole text: 8 KiB, more when that was not enough.
    let mut big = vec![POISON; 8 << 10];
    let mut first = print(&mut big);
    if first.is_some_and(|n| n + 2 >= big.len()) {
        big = vec![POISON; 1 << 20];
        first = print(&mut big);
    }
    let Some(n) = first else {
        // No output at all (plain output of an object without protocols):
        // never any, at any size.
        for size in [0, 1, 100] {
            let mut b = vec![POISON; size];
            assert_eq!(print(&mut b), None, "{what}: fails at one size only");
        }
        return;
    };
    assert!(n + 2 < big.len(), "{what}: {n} bytes of output");
    let whole = &big[..big.iter().position(|&b| b == 0).expect("NUL-terminated")];
    assert_eq!(
        whole.len(),
        n,
        "{what}: returned {n} for {} bytes",
        whole.len()
    );
    assert!(!whole.contains(&0));
    let mut with_space = whole.to_vec();
    with_space.push(b' ');
    let sizes = [
        0,
        1,
        2,
        n / 2,
        n.saturating_sub(1),
        n,
        n + 1,
        n + 2,
        (seed as usize) % (n + 2),
    ];
    for size in sizes {
        let mut b = vec![POISON; size + CANARY];
        let r = print(&mut b[..size]);
        let r = r.unwrap_or_else(|| panic!("{what}: fails at size {size}"));
        assert!(
            b[size..].iter().all(|&x| x == POISON),
            "{what}: wrote past {size}"
        );
        // "Fits" means the whole text, its trailing space and the NUL.
        if size > n + 1 {
            let got = &b[..b[..size]
                .iter()
                .position(|&x| x == 0)
                .expect("NUL-terminated")];
            assert_eq!(
                (r, String::from_utf8_lossy(got)),
                (n, String::from_utf8_lossy(whole)),
                "{what}: size {size} (> {n} + 1) gives another output"
            );
        }
        if size == 0 {
            continue;
        }
        let got = &b[..b[..size]
            .iter()
            .position(|&x| x == 0)
            .expect("NUL-terminated")];
        assert!(
            got.len() <= r && with_space.starts_with(got),
            "{what}: size {size} printed {:?}, not a prefix of {:?}",
            String::from_utf8_lossy(got),
            String::from_utf8_lossy(whole)
        );
    }
}

/// The entry points that parse a whole message into an object of type `T`
/// (`nf_conntrack` or `nf_expect`), and those that check the result.
struct MsgParsers<T> {
    parse: unsafe extern "C" fn(*const nlmsghdr, *mut T) -> c_int,
    parse_name: &'static str,
    /// The deprecated libnfnetlink-era parser.
    old_parse: unsafe extern "C" fn(MsgTypeRaw, *const nlmsghdr, *mut T) -> c_int,
    old_parse_name: &'static str,
    new: extern "C" fn() -> *mut T,
    clone: unsafe extern "C" fn(*const T) -> *mut T,
    cmp: unsafe extern "C" fn(*const T, *const T, c_uint) -> c_int,
    destroy: unsafe extern "C" fn(*mut T),
}

const CONNTRACK_PARSERS: MsgParsers<nf_conntrack> = MsgParsers {
    parse: nfct_nlmsg_parse,
    parse_name: "nfct_nlmsg_parse",
    old_parse: nfct_parse_conntrack,
    old_parse_name: "nfct_parse_conntrack",
    new: nfct_new,
    clone: nfct_clone,
    cmp: nfct_cmp,
    destroy: nfct_destroy,
};

const EXPECT_PARSERS: MsgParsers<nf_expect> = MsgParsers {
    parse: nfexp_nlmsg_parse,
    parse_name: "nfexp_nlmsg_parse",
    old_parse: nfexp_parse_expect,
    old_parse_name: "nfexp_parse_expect",
    new: nfexp_new,
    clone: nfexp_clone,
    cmp: nfexp_cmp,
    destroy: nfexp_destroy,
};

/// Parses `msg` (a whole message, see [`message`]) into a new object and
/// checks the result: a clean error or success, the deprecated parser
/// agreeing, and a second parse over the result changing nothing. Returns
/// the object (the caller destroys it).
fn parse_message<T>(api: &MsgParsers<T>, msg: &[u8]) -> *mut T {
    let nlh = msg.as_ptr() as *const nlmsghdr;
    let obj = (api.new)();
    set_errno(0);
    // SAFETY: a whole message and a live object.
    let r = unsafe { (api.parse)(nlh, obj) };
    check_parse_result(api.parse_name, r);
    // The deprecated entry point: the same parse, when the message type is
    // among those asked for.
    let other = (api.new)();
    // SAFETY: as above.
    let kind = unsafe { (api.old_parse)(MsgTypeRaw(NFCT_T_ALL), nlh, other) };
    check_parse_kind(api.old_parse_name, kind, r);
    // SAFETY: live objects; `other` is not used afterwards.
    unsafe {
        if kind > 0 {
            assert_eq!((api.cmp)(obj, other, 0), 1, "both parses agree");
        }
        (api.destroy)(other);
    }
    // Parsing again over the result changes nothing.
    // SAFETY: a live object; a whole message.
    unsafe {
        let before = (api.clone)(obj);
        let again = (api.parse)(nlh, obj);
        assert_eq!(again, r, "a second parse returns what the first did");
        assert_eq!(
            (api.cmp)(before, obj, 0),
            1,
            "a second parse changes the object"
        );
        (api.destroy)(before);
    }
    obj
}

// ---------------------------------------------------------------------------
// Conntrack.

/// The object behind a pointer from `nfct_new`.
///
/// # Safety
/// `ct` came from `nfct_new` or `nfct_clone`, and is live.
unsafe fn ct_obj<'a>(ct: *const nf_conntrack) -> &'a Conntrack {
    // SAFETY: nfct_new hands out a boxed `Conntrack`.
    unsafe { &*(ct as *const Conntrack) }
}

/// Target `ct_nlmsg`: `nfct_nlmsg_parse` on `data` as a whole message.
pub fn ct_nlmsg(data: &[u8]) {
    install_panic_hook();
    let msg = message(data);
    let ct = parse_message(&CONNTRACK_PARSERS, &msg);
    drop(msg);
    // SAFETY: live object from nfct_new.
    unsafe { exercise_ct(ct, mix(data)) };
}

/// Target `ct_payload`: `nfct_payload_parse` on `data[1..]` as the
/// attributes of a message whose family is `data[0]`.
pub fn ct_payload(data: &[u8]) {
    install_panic_hook();
    let Some((&l3num, attrs)) = data.split_first() else {
        return;
    };
    // Exactly the payload, so that a read past it leaves the allocation.
    let payload = attrs.to_vec().into_boxed_slice();
    let ct = nfct_new();
    set_errno(0);
    let p = if payload.is_empty() {
        ptr::null()
    } else {
        payload.as_ptr() as *const c_void
    };
    // SAFETY: `payload.len()` readable bytes at `p`, and a live object.
    let r = unsafe { nfct_payload_parse(p, payload.len(), u16::from(l3num), ct) };
    check_parse_result("nfct_payload_parse", r);
    drop(payload);
    // SAFETY: live object from nfct_new.
    unsafe { exercise_ct(ct, mix(data)) };
}

/// Prints, clones, copies, compares and rebuilds a parsed conntrack, then
/// frees it.
///
/// # Safety
/// `ct` came from `nfct_new` and is not used afterwards.
unsafe fn exercise_ct(ct: *mut nf_conntrack, seed: u32) {
    // SAFETY: forwarded contract.
    let obj = unsafe { ct_obj(ct) };
    print_ct(ct, obj, seed);

    // SAFETY: a live object.
    let clone = unsafe { nfct_clone(ct) };
    assert!(!clone.is_null());
    // SAFETY: two live objects.
    assert_eq!(
        unsafe { nfct_cmp(ct, clone, 0) },
        1,
        "an object equals its clone"
    );
    // nfct_copy: everything into a fresh object gives an equal one; a part
    // (original, reply, meta: picked by the hash) over the clone, for the
    // copying of owned data over owned data.
    let copy = nfct_new();
    let all = if seed & 0x20_0000 != 0 {
        NFCT_CP_OVERRIDE
    } else {
        0
    };
    // SAFETY: live objects (distinct).
    unsafe { nfct_copy(copy, ct, all) };
    // SAFETY: two live objects.
    assert_eq!(
        unsafe { nfct_cmp(ct, copy, 0) },
        1,
        "an object equals its copy ({all})"
    );
    // SAFETY: live objects (distinct); both freed and not used afterwards.
    unsafe {
        nfct_copy(clone, copy, 1 + (seed >> 22) % 7);
        nfct_destroy(copy);
        nfct_destroy(clone);
    }

    rebuild_ct(ct, obj);
    // SAFETY: from nfct_new, not used afterwards.
    unsafe { nfct_destroy(ct) };
}

/// The printing variant of one input, chosen by its hash: a message type,
/// a set of steady flags, and (for conntracks) whether to name labels.
struct Variant {
    msg_type: c_uint,
    flags: c_uint,
    labels: bool,
}

impl Variant {
    fn of(seed: u32) -> Variant {
        Variant {
            msg_type: MSG_TYPES[(seed % MSG_TYPES.len() as u32) as usize],
            flags: (seed >> 4) & STEADY_FLAGS,
            labels: seed & 0x100 != 0,
        }
    }
}

fn print_ct(ct: *const nf_conntrack, obj: &Conntrack, seed: u32) {
    // SAFETY: the map is live for the whole process.
    let map = unsafe { &*(labelmap() as *const LabelMap) };
    let v = Variant::of(seed);
    for out in OUT_TYPES {
        let format = Format::from_raw(out).unwrap();
        let what = format!(
            "nfct print type {:#x} out {out} flags {} labels {}",
            v.msg_type, v.flags, v.labels
        );
        let opts = Options {
            msg_type: v.msg_type,
            flags: v.flags,
            labels: v.labels.then_some(map as _),
            clock: &CLOCK,
        };
        check_printer(&what, seed >> 9, |buf| {
            ct_print::print(buf, obj.view(), format, &opts).ok()
        });
        // The C entry points, with the real clock and every flag: the canary
        // and the NUL are checked.
        let map = if v.labels {
            labelmap()
        } else {
            ptr::null_mut()
        };
        let flags = STEADY_FLAGS | OF_TIME;
        let sizes = if steady() {
            &[][..]
        } else {
            &[0usize, 1 + (seed as usize >> 9) % 256, 4096][..]
        };
        for &size in sizes {
            let mut b = OutBuf::new(size);
            let p = if size == 0 { ptr::null_mut() } else { b.ptr() };
            // SAFETY: `size` writable bytes at `p`; a live object and label
            // map (or NULL).
            let r = unsafe {
                if map.is_null() {
                    nfct_snprintf(p, size as c_uint, ct, v.msg_type, out, flags)
                } else {
                    nfct_snprintf_labels(p, size as c_uint, ct, v.msg_type, out, flags, map)
                }
            };
            assert!(r >= -1, "nfct_snprintf returned {r}");
            let text = b.text("nfct_snprintf", r);
            assert!(r < 0 || text.len() <= r as usize);
        }
    }
}

/// Builds `ct` with `nfct_nlmsg_build` into a message buffer of exactly the
/// right size: the C function must write what the core writes, whole or
/// cut short where a tuple does not build (as the reference leaves it);
/// then a whole message must parse back, and build into the same
/// attributes again.
fn rebuild_ct(ct: *const nf_conntrack, obj: &Conntrack) {
    let mut attrs = Vec::new();
    let core = ct_build::build(&mut AttrWriter::new(&mut attrs), obj.view());
    let (r, first) = build_ct_msg(ct, attrs.len());
    assert_eq!(
        &first[HEADERS..],
        &attrs[..],
        "nfct_nlmsg_build differs from the core"
    );
    match (core, r) {
        (Err(_), -1) => return,
        (Ok(()), 0) => {}
        (core, r) => panic!("build: core {core:?}, C {r}"),
    }
    // The parser takes every tuple's family from the nfgenmsg.
    let family = obj.view().u8(Attr::ATTR_ORIG_L3PROTO);
    let mut msg = header(HEADERS + attrs.len(), family).to_vec();
    msg.extend_from_slice(&attrs);
    let back = nfct_new();
    // SAFETY: a whole message, a live object.
    let r = unsafe { nfct_nlmsg_parse(msg.as_ptr() as *const nlmsghdr, back) };
    assert_eq!(r, 0, "what nfct_nlmsg_build wrote does not parse back");
    // SAFETY: live object from nfct_new.
    let (r, again) = build_ct_msg(back, attrs.len() + 4096);
    assert_eq!(r, 0, "the parsed-back object builds");
    assert_eq!(
        &again[HEADERS..],
        &attrs[..],
        "build(parse(build(ct))) != build(ct)"
    );
    // SAFETY: from nfct_new, not used afterwards.
    unsafe { nfct_destroy(back) };
}

/// A message header and `nfgenmsg` for a conntrack message of `len` bytes.
fn header(len: usize, family: u8) -> [u8; HEADERS] {
    let mut h = [0u8; HEADERS];
    h[..4].copy_from_slice(&(len as u32).to_ne_bytes());
    h[4..6].copy_from_slice(&0x0100u16.to_ne_bytes()); // IPCTNL_MSG_CT_NEW
    h[16] = family;
    h
}

/// `nfct_nlmsg_build` of `ct` after a fresh header, in a buffer with room for
/// `room` bytes of attributes and a canary: its value and the message. A
/// failure is either an object without a layer-3 protocol (`EINVAL`, the
/// message left alone) or a tuple that does not build (`errno` untouched,
/// the attributes before it written), as in the reference.
fn build_ct_msg(ct: *const nf_conntrack, room: usize) -> (i32, Vec<u8>) {
    let mut buf = vec![POISON; HEADERS + room + CANARY];
    buf[..HEADERS].copy_from_slice(&header(HEADERS, 2));
    set_errno(0);
    // SAFETY: a message with `room` bytes to grow into; a live object.
    let r = unsafe { nfct_nlmsg_build(buf.as_mut_ptr() as *mut nlmsghdr, ct) };
    assert!(
        buf[HEADERS + room..].iter().all(|&b| b == POISON),
        "nfct_nlmsg_build wrote past the message"
    );
    let len = u32::from_ne_bytes(buf[..4].try_into().unwrap()) as usize;
    assert!(len <= HEADERS + room, "nlmsg_len {len} past the buffer");
    match (r, errno()) {
        (0, _) | (-1, 0) => {}
        (-1, libc::EINVAL) => assert_eq!(len, HEADERS, "a build without a family wrote"),
        (r, e) => panic!("nfct_nlmsg_build returned {r}, errno {e}"),
    }
    buf.truncate(len);
    (r, buf)
}

// ---------------------------------------------------------------------------
// Expectations.

/// The object behind a pointer from `nfexp_new`.
///
/// # Safety
/// `exp` came from `nfexp_new` or `nfexp_clone`, and is live.
unsafe fn exp_obj<'a>(exp: *const nf_expect) -> &'a Expect {
    // SAFETY: nfexp_new hands out a malloc'ed `Expect`.
    unsafe { &*(exp as *const Expect) }
}

/// Target `exp_nlmsg`: `nfexp_nlmsg_parse` on `data` as a whole message.
pub fn exp_nlmsg(data: &[u8]) {
    install_panic_hook();
    let msg = message(data);
    let exp = parse_message(&EXPECT_PARSERS, &msg);
    drop(msg);
    let seed = mix(data);
    // SAFETY: live object from nfexp_new.
    let obj = unsafe { exp_obj(exp) };

    let v = Variant::of(seed);
    for out in OUT_TYPES {
        let format = Format::from_raw(out).unwrap();
        let what = format!(
            "nfexp print type {:#x} out {out} flags {}",
            v.msg_type, v.flags
        );
        let opts = Options {
            msg_type: v.msg_type,
            flags: v.flags,
            labels: None,
            clock: &CLOCK,
        };
        check_printer(&what, seed >> 9, |buf| {
            Some(exp_print::print(buf, obj, format, &opts))
        });
        let sizes = if steady() {
            &[][..]
        } else {
            &[0usize, 1 + (seed as usize >> 9) % 256, 4096][..]
        };
        for &size in sizes {
            let mut b = OutBuf::new(size);
            let p = if size == 0 { ptr::null_mut() } else { b.ptr() };
            let flags = STEADY_FLAGS | OF_TIME;
            // SAFETY: `size` writable bytes at `p`; a live object.
            let r = unsafe { nfexp_snprintf(p, size as c_uint, exp, v.msg_type, out, flags) };
            assert!(r >= 0, "nfexp_snprintf returned {r}");
            let text = b.text("nfexp_snprintf", r);
            assert!(text.len() <= r as usize);
        }
    }

    // SAFETY: a live object.
    let clone = unsafe { nfexp_clone(exp) };
    assert!(!clone.is_null());
    for flags in [0, 1 << 6] {
        // SAFETY: two live objects.
        assert_eq!(
            unsafe { nfexp_cmp(exp, clone, flags) },
            1,
            "equals its clone"
        );
    }
    // SAFETY: from nfexp_clone, not used afterwards.
    unsafe { nfexp_destroy(clone) };

    // The family of the rebuilt message: the one this message gave the
    // tuples it parsed.
    let family = data.get(NLMSG_HDRLEN).copied().unwrap_or(0);
    rebuild_exp(exp, obj, family);
    // SAFETY: from nfexp_new, not used afterwards.
    unsafe { nfexp_destroy(exp) };
}

/// `nfexp_nlmsg_build` of `exp` after a fresh header, in a buffer with room
/// for `room` bytes of attributes and a canary.
fn build_exp_msg(exp: *const nf_expect, room: usize, family: u8) -> Vec<u8> {
    let mut buf = vec![POISON; HEADERS + room + CANARY];
    buf[..HEADERS].copy_from_slice(&header(HEADERS, family));
    buf[4..6].copy_from_slice(&0x0200u16.to_ne_bytes()); // IPCTNL_MSG_EXP_NEW
                                                         // SAFETY: a message with `room` bytes to grow into; a live object.
    let r = unsafe { nfexp_nlmsg_build(buf.as_mut_ptr() as *mut nlmsghdr, exp) };
    assert_eq!(r, 0, "nfexp_nlmsg_build failed");
    assert!(
        buf[HEADERS + room..].iter().all(|&b| b == POISON),
        "nfexp_nlmsg_build wrote past the message"
    );
    let len = u32::from_ne_bytes(buf[..4].try_into().unwrap()) as usize;
    assert!(len <= HEADERS + room, "nlmsg_len {len} past the buffer");
    buf.truncate(len);
    buf
}

fn rebuild_exp(exp: *const nf_expect, obj: &Expect, family: u8) {
    let mut attrs = Vec::new();
    netfilter_conntrack::internals::expect::build::build(&mut AttrWriter::new(&mut attrs), obj);
    let first = build_exp_msg(exp, attrs.len(), family);
    assert_eq!(
        &first[HEADERS..],
        &attrs[..],
        "nfexp_nlmsg_build differs from the core"
    );
    let back = nfexp_new();
    // SAFETY: a whole message, a live object.
    let r = unsafe { nfexp_nlmsg_parse(first.as_ptr() as *const nlmsghdr, back) };
    assert_eq!(r, 0, "what nfexp_nlmsg_build wrote does not parse back");
    // Like the reference, the parser gives each tuple's family to another
    // tuple (see expect/parse.rs): only a message with all three tuples, as
    // the kernel sends, gives every tuple its family and must come back the
    // same.
    let tops: Vec<u16> = Attrs::new(&attrs).flatten().map(|a| a.ty).collect();
    if [exp::MASTER, exp::TUPLE, exp::MASK]
        .iter()
        .all(|t| tops.contains(t))
    {
        let again = build_exp_msg(back, attrs.len() + 4096, family);
        assert_eq!(
            &again[HEADERS..],
            &attrs[..],
            "build(parse(build(exp))) != build(exp)"
        );
    }
    // SAFETY: from nfexp_new, not used afterwards.
    unsafe { nfexp_destroy(back) };
}
