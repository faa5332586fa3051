//! C API of `struct nf_expect`: life cycle, attributes and comparison.
//!
//! Expectations are allocated with `malloc` and freed with `free`: the
//! object is plain bytes, so a client's `memcpy` of it into another
//! expectation (as `conntrackd` does) yields a working object.

use std::mem::size_of;
use std::os::raw::{c_int, c_uint, c_void};
use std::ptr;
use std::slice;

use super::{
    attr_is_set, attr_unset, einval, fail, get_typed, guard, nf_expect, set_uint, AttrObject,
    ExpAttrRaw,
};
use crate::conntrack::object::C_HEAD_LEN;
use crate::conntrack::Head;
use crate::expect::attr::{bit, ExpAttr, ExpSlot, EXP_ATTR_COUNT, FAST};
use crate::expect::{compare, Expect};

/// The expectation attribute with C value `v`, if there is one: a range
/// check, without the table lookup of `ExpAttr::from_raw` (the accessors
/// are that hot).
#[inline(always)]
pub(crate) fn exp_attr(v: u32) -> Option<ExpAttr> {
    if v < EXP_ATTR_COUNT as u32 {
        // SAFETY: `ExpAttr` is `repr(C)` (a C `int`) with the discriminants
        // 0..=ATTR_EXP_MAX, each in use (the attribute table's test checks
        // that row i holds attribute i), so every value below
        // EXP_ATTR_COUNT is one.
        Some(unsafe { std::mem::transmute::<u32, ExpAttr>(v) })
    } else {
        None
    }
}

/// The expectation behind `p`, read-only.
///
/// # Safety
/// `p` is NULL or points to an expectation made by this library (or a byte
/// copy of one), valid for `'a` and not changed while the reference lives.
pub(crate) unsafe fn exp_ref<'a>(p: *const nf_expect) -> Option<&'a Expect> {
    // SAFETY: per the contract, a non-NULL `p` points to a live `Expect`;
    // every bit pattern of its bytes is a valid `Expect`.
    unsafe { (p as *const Expect).as_ref() }
}

/// The expectation behind `p`, for changing it.
///
/// # Safety
/// As for [`exp_ref`], and no other reference to the object is live.
pub(crate) unsafe fn exp_mut<'a>(p: *mut nf_expect) -> Option<&'a mut Expect> {
    // SAFETY: forwarded contract; the caller holds the only reference.
    unsafe { (p as *mut Expect).as_mut() }
}

impl AttrObject for Expect {
    type C = nf_expect;
    type Attr = ExpAttr;
    type View<'a> = &'a Expect;

    #[inline(always)]
    unsafe fn view<'a>(p: *const nf_expect) -> Option<&'a Expect> {
        // SAFETY: forwarded contract.
        unsafe { exp_ref(p) }
    }

    #[inline(always)]
    unsafe fn view_mut<'a>(p: *mut nf_expect) -> Option<&'a mut Expect> {
        // SAFETY: forwarded contract.
        unsafe { exp_mut(p) }
    }

    #[inline(always)]
    fn attr(v: u32) -> Option<ExpAttr> {
        exp_attr(v)
    }

    #[inline(always)]
    fn is_set(e: &Expect, a: ExpAttr) -> bool {
        e.is_set(a)
    }

    #[inline(always)]
    fn uint_fast<const N: usize>(e: &Expect, a: ExpAttr) -> Option<[u8; N]> {
        e.uint_fast(a)
    }

    fn uint<const N: usize>(e: &Expect, a: ExpAttr) -> Option<[u8; N]> {
        e.is_set(a).then(|| e.typed(a))
    }

    #[inline(always)]
    fn set_uint_fast<const N: usize>(&mut self, a: ExpAttr, bytes: [u8; N]) -> bool {
        Expect::set_uint_fast(self, a, bytes)
    }

    fn set_uint<const N: usize>(&mut self, a: ExpAttr, bytes: [u8; N]) -> bool {
        Expect::set_uint(self, a, bytes).is_ok()
    }

    #[inline(always)]
    fn unset(&mut self, a: ExpAttr) {
        Expect::unset(self, a)
    }
}

/// Hands a new expectation to C, allocated with `malloc` (NULL with `errno`
/// set by `malloc` when memory is short, as the reference).
pub(crate) fn exp_into_raw(exp: Expect) -> *mut nf_expect {
    // SAFETY: plain allocation of the object's size; checked for NULL below.
    let p = unsafe { libc::malloc(size_of::<Expect>()) } as *mut Expect;
    if p.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `p` is a fresh allocation of the right size, and malloc aligns
    // for any fundamental type (more than `Expect` needs).
    unsafe { p.write(exp) };
    p as *mut nf_expect
}

/// Frees an expectation made by [`exp_into_raw`].
///
/// # Safety
/// `p` is NULL or came from [`exp_into_raw`] (`nfexp_new`/`nfexp_clone`) and
/// is not used afterwards.
pub(crate) unsafe fn exp_free(p: *mut nf_expect) {
    // SAFETY: per the contract; `Expect` owns nothing, so freeing the bytes
    // is all there is to do.
    unsafe { libc::free(p as *mut c_void) }
}

/// `nfexp_new`: a new, empty expectation.
#[no_mangle]
pub extern "C" fn nfexp_new() -> *mut nf_expect {
    guard(ptr::null_mut(), || exp_into_raw(Expect::new()))
}

/// `nfexp_destroy`: frees an expectation made by `nfexp_new` or `nfexp_clone`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_destroy(exp: *mut nf_expect) {
    guard((), || {
        if exp.is_null() {
            return einval(());
        }
        // SAFETY: the caller passes an object from nfexp_new()/nfexp_clone().
        unsafe { exp_free(exp) }
    })
}

/// `nfexp_clone`: a new expectation equal to `exp`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_clone(exp: *const nf_expect) -> *mut nf_expect {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes a valid object or NULL.
        match unsafe { exp_ref(exp) } {
            Some(e) => exp_into_raw(*e),
            None => einval(ptr::null_mut()),
        }
    })
}

/// `nfexp_sizeof`: the object's size (0 with `EINVAL` for NULL).
#[no_mangle]
pub unsafe extern "C" fn nfexp_sizeof(exp: *const nf_expect) -> usize {
    guard(0, || {
        if exp.is_null() {
            return einval(0);
        }
        size_of::<Expect>()
    })
}

/// `nfexp_maxsize`: the size of every expectation object (what a client
/// `memcpy`s to copy one).
#[no_mangle]
pub extern "C" fn nfexp_maxsize() -> usize {
    guard(size_of::<Expect>(), size_of::<Expect>)
}

/// The largest value a scalar attribute reads: the longest string buffer.
const MAX_SCALAR: usize = 24;

/// A value read from C memory before the expectation is borrowed mutably,
/// so that a value pointing into the same expectation (a tuple or string
/// that `nfexp_get_attr` returned) is copied out first.
enum Input {
    Tuple(Head),
    Bytes([u8; MAX_SCALAR], usize),
}

/// Reads attribute `a`'s value from C memory at `value`.
///
/// # Safety
/// `value` is non-NULL and points to what the attribute takes: a conntrack
/// (or a tuple that `nfexp_get_attr` returned), an integer of the
/// attribute's width, or a C string.
unsafe fn read_value(a: ExpAttr, value: *const c_void) -> Option<Input> {
    let mut buf = [0u8; MAX_SCALAR];
    let n = match a.desc().slot {
        ExpSlot::Tuple(_) => {
            // As the reference copies a tuple head from the value, byte for
            // byte: a conntrack's first bytes (its bitmap and original
            // tuple), or a head that nfexp_get_attr() handed out.
            let mut bytes = [0u8; C_HEAD_LEN];
            // SAFETY: the caller passes at least a tuple head's bytes.
            bytes.copy_from_slice(unsafe { slice::from_raw_parts(value as *const u8, C_HEAD_LEN) });
            return Some(Input::Tuple(Head::from_bytes(&bytes)));
        }
        ExpSlot::Int { len, .. } => len as usize,
        ExpSlot::Str { cap, .. } => {
            // Never read more than the buffer keeps: `cap - 1` characters.
            // SAFETY: a C string; strnlen stops at its NUL or the limit.
            unsafe { libc::strnlen(value as *const libc::c_char, cap as usize - 1) }
        }
    };
    // SAFETY: `n` readable bytes at `value` (the integer's width, or the
    // characters strnlen just scanned); `n <= MAX_SCALAR`.
    buf[..n].copy_from_slice(unsafe { slice::from_raw_parts(value as *const u8, n) });
    Some(Input::Bytes(buf, n))
}

/// `nfexp_set_attr`: sets an attribute from a pointer to its value: a
/// `struct nf_conntrack *` for the tuples (its original tuple is copied), an
/// integer of the attribute's width, or a C string.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr(
    exp: *mut nf_expect,
    type_: ExpAttrRaw,
    value: *const c_void,
) {
    guard((), || {
        // SAFETY: forwarded C contract.
        if !unsafe { set_attr_fast(exp, type_.0, value) } {
            set_attr_general(exp, type_.0, value)
        }
    })
}

/// The fast path of [`nfexp_set_attr`]: a 32-bit integer or a tuple, into a
/// valid object; `false` leaves everything else undone.
///
/// # Safety
/// As for [`nfexp_set_attr`]: `exp` is NULL or a valid expectation, `value`
/// NULL or what the attribute takes.
#[inline(always)]
unsafe fn set_attr_fast(exp: *mut nf_expect, attr: u32, value: *const c_void) -> bool {
    let Some(a) = exp_attr(attr) else {
        return false;
    };
    if value.is_null() {
        return false;
    }
    // The value is read whole before the object is borrowed: it may point
    // into it.
    if FAST.writable::<4>() & bit(a) != 0 {
        // SAFETY: per the C contract, `value` points to the integer.
        let v = unsafe { value.cast::<[u8; 4]>().read_unaligned() };
        // SAFETY: the caller passes NULL or a valid object.
        return unsafe { exp_mut(exp) }.is_some_and(|e| e.set_uint_fast(a, v));
    }
    if FAST.tuples() & bit(a) != 0 {
        // As the reference copies a tuple head from the value, byte for
        // byte: a conntrack's first bytes (its original tuple and bitmap),
        // or a head that nfexp_get_attr() handed out.
        // SAFETY: per the C contract, `value` points to at least a head.
        let head = unsafe { value.cast::<[u8; C_HEAD_LEN]>().read_unaligned() };
        // SAFETY: the caller passes NULL or a valid object.
        return unsafe { exp_mut(exp) }
            .is_some_and(|e| e.set_tuple(a, Head::from_bytes(&head)).is_ok());
    }
    false
}

/// [`nfexp_set_attr`] in every case. Out of line and `extern "C"` (it
/// catches its own panics, so it never unwinds), which keeps the fast path
/// free of a stack frame.
#[cold]
#[inline(never)]
extern "C" fn set_attr_general(exp: *mut nf_expect, attr: u32, value: *const c_void) {
    guard((), || {
        if exp.is_null() || value.is_null() {
            return einval(());
        }
        // As in the reference, an attribute number out of range is ignored
        // without a word.
        let Some(a) = exp_attr(attr) else {
            return;
        };
        // SAFETY: `value` is non-NULL and, per the C contract of
        // nfexp_set_attr, holds what `a` takes.
        let Some(input) = (unsafe { read_value(a, value) }) else {
            return einval(());
        };
        // SAFETY: the caller passes a valid object; `value` was fully read above.
        let Some(e) = (unsafe { exp_mut(exp) }) else {
            return einval(());
        };
        let done = match input {
            Input::Tuple(h) => e.set_tuple(a, h),
            Input::Bytes(buf, n) => e.set_bytes(a, &buf[..n]),
        };
        if done.is_err() {
            einval(())
        }
    })
}

/// `nfexp_set_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u8(exp: *mut nf_expect, type_: ExpAttrRaw, value: u8) {
    // SAFETY: forwarded C contract; a tuple takes no integer (`EINVAL`).
    guard((), || unsafe {
        set_uint::<Expect, _>(exp, type_.0, [value])
    })
}

/// `nfexp_set_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u16(exp: *mut nf_expect, type_: ExpAttrRaw, value: u16) {
    // SAFETY: forwarded C contract; a tuple takes no integer (`EINVAL`).
    guard((), || unsafe {
        set_uint::<Expect, _>(exp, type_.0, value.to_ne_bytes())
    })
}

/// `nfexp_set_attr_u32`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_set_attr_u32(exp: *mut nf_expect, type_: ExpAttrRaw, value: u32) {
    // SAFETY: forwarded C contract; a tuple takes no integer (`EINVAL`).
    guard((), || unsafe {
        set_uint::<Expect, _>(exp, type_.0, value.to_ne_bytes())
    })
}

/// `nfexp_get_attr`: a pointer to the attribute's value (for a tuple, a
/// `const struct nf_conntrack *` that the `nfct_*` getters read), or NULL
/// with `errno = ENODATA` when it is not set.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr(exp: *const nf_expect, type_: ExpAttrRaw) -> *const c_void {
    guard(ptr::null(), || {
        // SAFETY: forwarded C contract.
        match unsafe { place_fast(exp, type_.0) } {
            Some(v) => v,
            None => get_attr_general(exp, type_.0),
        }
    })
}

/// The fast path of [`nfexp_get_attr`]: where a set attribute of a valid
/// object is; `None` for everything else.
///
/// # Safety
/// `exp` is NULL or a valid expectation.
#[inline(always)]
unsafe fn place_fast(exp: *const nf_expect, attr: u32) -> Option<*const c_void> {
    // SAFETY: forwarded contract.
    let e = unsafe { exp_ref(exp) }?;
    let a = exp_attr(attr)?;
    let p = e.value_addr(a)?;
    // A head whose mark a client scribbled over would be taken for a whole
    // conntrack: never hand one out (the general path answers ENODATA).
    // SAFETY: the word at mark_at lies inside the object.
    let mark = unsafe {
        (exp as *const u8)
            .add(Expect::mark_at(a))
            .cast::<u32>()
            .read_unaligned()
    };
    (mark != 0).then_some(p.cast())
}

/// [`nfexp_get_attr`] for what its fast path leaves: unset attributes, bad
/// arguments, scribbled heads. Out of line and `extern "C"`, as
/// [`set_attr_general`].
#[cold]
#[inline(never)]
extern "C" fn get_attr_general(exp: *const nf_expect, attr: u32) -> *const c_void {
    guard(ptr::null(), || {
        // SAFETY: forwarded from nfexp_get_attr's contract.
        let (Some(e), Some(a)) = (unsafe { exp_ref(exp) }, exp_attr(attr)) else {
            return einval(ptr::null());
        };
        // A head always carries its mark unless a client scribbled over the
        // object; never hand out a pointer that `ct_ref` would take for a
        // whole conntrack.
        match e.tuple(a) {
            Some(h) if Head::is_detached(h) => (h as *const Head).cast(),
            _ => fail(libc::ENODATA, ptr::null()),
        }
    })
}

/// `nfexp_get_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u8(exp: *const nf_expect, type_: ExpAttrRaw) -> u8 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u8::from_ne_bytes(get_typed::<Expect, 1>(exp, type_.0))
    })
}

/// `nfexp_get_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u16(exp: *const nf_expect, type_: ExpAttrRaw) -> u16 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u16::from_ne_bytes(get_typed::<Expect, 2>(exp, type_.0))
    })
}

/// `nfexp_get_attr_u32`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_get_attr_u32(exp: *const nf_expect, type_: ExpAttrRaw) -> u32 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u32::from_ne_bytes(get_typed::<Expect, 4>(exp, type_.0))
    })
}

/// `nfexp_attr_is_set`: 1 if set, 0 if not, -1 (`EINVAL`) on bad arguments.
#[no_mangle]
pub unsafe extern "C" fn nfexp_attr_is_set(exp: *const nf_expect, type_: ExpAttrRaw) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe { attr_is_set::<Expect>(exp, type_.0) })
}

/// `nfexp_attr_unset`: 0, or -1 (`EINVAL`) on bad arguments. The value stays
/// stored but is no longer set.
#[no_mangle]
pub unsafe extern "C" fn nfexp_attr_unset(exp: *mut nf_expect, type_: ExpAttrRaw) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe { attr_unset::<Expect>(exp, type_.0) })
}

/// `nfexp_cmp`: 1 if the expectations are equal under `flags`
/// (`NFCT_CMP_MASK`, `NFCT_CMP_STRICT`), else 0; 0 with `EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn nfexp_cmp(
    exp1: *const nf_expect,
    exp2: *const nf_expect,
    flags: c_uint,
) -> c_int {
    guard(0, || {
        // SAFETY: forwarded C contract; both are only read.
        match unsafe { (exp_ref(exp1), exp_ref(exp2)) } {
            (Some(a), Some(b)) => c_int::from(compare::cmp(a, b, flags)),
            _ => einval(0),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Attr;
    use crate::ffi::conntrack::{
        nfct_destroy, nfct_get_attr_u16, nfct_get_attr_u32, nfct_new, nfct_set_attr_u16,
        nfct_set_attr_u32, nfct_set_attr_u8,
    };
    use crate::ffi::{nf_conntrack, set_errno, AttrRaw};
    use ExpAttr::*;

    fn raw(a: ExpAttr) -> ExpAttrRaw {
        ExpAttrRaw(a as u32)
    }

    fn errno() -> c_int {
        // SAFETY: this thread's errno.
        unsafe { *libc::__errno_location() }
    }

    /// A new expectation whose master tuple is a UDP conntrack.
    fn sample() -> *mut nf_expect {
        // SAFETY: objects made here, used single-threaded and freed by the tests.
        unsafe {
            let ct = nfct_new();
            nfct_set_attr_u8(ct, AttrRaw(Attr::ATTR_ORIG_L3PROTO as u32), 2);
            nfct_set_attr_u8(ct, AttrRaw(Attr::ATTR_ORIG_L4PROTO as u32), 17);
            nfct_set_attr_u32(ct, AttrRaw(Attr::ATTR_ORIG_IPV4_SRC as u32), 0x0100_000a);
            nfct_set_attr_u16(ct, AttrRaw(Attr::ATTR_ORIG_PORT_DST as u32), 69u16.to_be());
            let exp = nfexp_new();
            nfexp_set_attr(exp, raw(ATTR_EXP_MASTER), ct as *const c_void);
            nfct_destroy(ct);
            nfexp_set_attr_u32(exp, raw(ATTR_EXP_TIMEOUT), 300);
            nfexp_set_attr(
                exp,
                raw(ATTR_EXP_HELPER_NAME),
                c"tftp".as_ptr() as *const c_void,
            );
            exp
        }
    }

    #[test]
    fn memcpy_with_maxsize_gives_a_working_copy() {
        let src = sample();
        // SAFETY: both objects come from nfexp_new(); nfexp_maxsize() is their size.
        unsafe {
            let dst = nfexp_new();
            libc::memcpy(dst as *mut c_void, src as *const c_void, nfexp_maxsize());
            nfexp_destroy(src);
            assert_eq!(nfexp_get_attr_u32(dst, raw(ATTR_EXP_TIMEOUT)), 300);
            let name = nfexp_get_attr(dst, raw(ATTR_EXP_HELPER_NAME)) as *const libc::c_char;
            assert_eq!(std::ffi::CStr::from_ptr(name).to_bytes(), b"tftp");
            let master = nfexp_get_attr(dst, raw(ATTR_EXP_MASTER)) as *const nf_conntrack;
            assert!(
                (master as usize) >= dst as usize
                    && (master as usize) < dst as usize + nfexp_maxsize()
            );
            assert_eq!(
                nfct_get_attr_u16(master, AttrRaw(Attr::ATTR_ORIG_PORT_DST as u32)),
                69u16.to_be()
            );
            assert_eq!(
                nfct_get_attr_u32(master, AttrRaw(Attr::ATTR_MARK as u32)),
                0
            );
            assert_eq!(errno(), libc::ENODATA);
            nfexp_destroy(dst);
        }
    }

    #[test]
    fn values_may_point_into_the_same_expectation() {
        let exp = sample();
        // SAFETY: `exp` is live; the values point into it, as a C client may do.
        unsafe {
            let master = nfexp_get_attr(exp, raw(ATTR_EXP_MASTER));
            nfexp_set_attr(exp, raw(ATTR_EXP_EXPECTED), master);
            let name = nfexp_get_attr(exp, raw(ATTR_EXP_HELPER_NAME));
            nfexp_set_attr(exp, raw(ATTR_EXP_FN), name);
            nfexp_set_attr(exp, raw(ATTR_EXP_HELPER_NAME), name);
            let e = exp_ref(exp).unwrap();
            assert_eq!(e.head(ATTR_EXP_EXPECTED), e.head(ATTR_EXP_MASTER));
            assert_eq!(e.expectfn(), b"tftp");
            assert_eq!(e.helper_name(), b"tftp");
            nfexp_destroy(exp);
        }
    }

    #[test]
    fn a_scribbled_head_is_not_handed_out() {
        let exp = sample();
        // SAFETY: `exp` is live; its first head's kind word (bytes 52..56,
        // after the 52 bytes C sees) is cleared as a careless memcpy might.
        unsafe {
            assert!(!nfexp_get_attr(exp, raw(ATTR_EXP_MASTER)).is_null());
            (exp as *mut u8).add(C_HEAD_LEN).write_bytes(0, 4);
            set_errno(0);
            assert!(nfexp_get_attr(exp, raw(ATTR_EXP_MASTER)).is_null());
            assert_eq!(errno(), libc::ENODATA);
            // Setting it again restores the mark.
            let master = exp_ref(exp).unwrap().head(ATTR_EXP_MASTER).unwrap();
            let copy = *master;
            nfexp_set_attr(
                exp,
                raw(ATTR_EXP_MASTER),
                &copy as *const Head as *const c_void,
            );
            assert!(!nfexp_get_attr(exp, raw(ATTR_EXP_MASTER)).is_null());
            nfexp_destroy(exp);
        }
    }

    #[test]
    fn typed_getters_of_unset_attributes_say_enodata() {
        let exp = sample();
        // SAFETY: `exp` is live.
        unsafe {
            for a in [ATTR_EXP_ZONE, ATTR_EXP_MASK, ATTR_EXP_FN] {
                set_errno(0);
                assert_eq!(nfexp_get_attr_u8(exp, raw(a)), 0);
                assert_eq!(errno(), libc::ENODATA);
                set_errno(0);
                assert_eq!(nfexp_get_attr_u16(exp, raw(a)), 0);
                assert_eq!(errno(), libc::ENODATA);
                set_errno(0);
                assert_eq!(nfexp_get_attr_u32(exp, raw(a)), 0);
                assert_eq!(errno(), libc::ENODATA);
            }
            set_errno(0);
            assert_eq!(nfexp_get_attr_u32(exp, raw(ATTR_EXP_TIMEOUT)), 300);
            assert_eq!(errno(), 0);
            nfexp_destroy(exp);
        }
    }

    #[test]
    fn bad_arguments_fail_cleanly() {
        let exp = sample();
        // SAFETY: `exp` is a live object from sample(); the copy is taken at once.
        let before = *unsafe { exp_ref(exp) }.unwrap();
        let max = ExpAttrRaw(ATTR_EXP_MAX as u32);
        // SAFETY: `exp` is live; the other pointers are NULL on purpose.
        unsafe {
            assert_eq!(nfexp_get_attr(exp, max), ptr::null());
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(
                nfexp_get_attr(ptr::null(), raw(ATTR_EXP_TIMEOUT)),
                ptr::null()
            );
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_get_attr(exp, raw(ATTR_EXP_ZONE)), ptr::null());
            assert_eq!(errno(), libc::ENODATA);
            assert_eq!(nfexp_get_attr_u32(exp, ExpAttrRaw(u32::MAX)), 0);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_attr_is_set(exp, max), -1);
            assert_eq!(nfexp_attr_unset(exp, max), -1);
            assert_eq!(nfexp_attr_unset(ptr::null_mut(), raw(ATTR_EXP_ZONE)), -1);
            assert_eq!(nfexp_cmp(exp, ptr::null(), 0), 0);
            assert_eq!(errno(), libc::EINVAL);
            assert_eq!(nfexp_sizeof(ptr::null()), 0);
            assert_eq!(nfexp_clone(ptr::null()), ptr::null_mut());
            nfexp_destroy(ptr::null_mut());
            assert_eq!(errno(), libc::EINVAL);
            nfexp_set_attr(exp, raw(ATTR_EXP_TIMEOUT), ptr::null());
            nfexp_set_attr(
                ptr::null_mut(),
                raw(ATTR_EXP_TIMEOUT),
                &7u32 as *const u32 as *const c_void,
            );
            // Out of range: ignored without a word, as the reference does.
            set_errno(0);
            nfexp_set_attr_u8(exp, ExpAttrRaw(-1i32 as u32), 7);
            nfexp_set_attr(exp, max, &7u32 as *const u32 as *const c_void);
            assert_eq!(errno(), 0);
            assert_eq!(*exp_ref(exp).unwrap(), before);
            // A tuple set from an integer is marked set, holding the
            // integer's bytes at the start of its tuple.
            nfexp_set_attr_u32(exp, raw(ATTR_EXP_MASK), 7);
            assert_eq!(nfexp_attr_is_set(exp, raw(ATTR_EXP_MASK)), 1);
            assert_eq!(nfexp_get_attr_u32(exp, raw(ATTR_EXP_MASK)), 7);
            nfexp_attr_unset(exp, raw(ATTR_EXP_MASK));
            let clone = nfexp_clone(exp);
            assert_eq!(nfexp_cmp(exp, clone, 0), 1);
            assert_eq!(nfexp_sizeof(clone), nfexp_maxsize());
            nfexp_destroy(clone);
            nfexp_destroy(exp);
        }
    }
}
