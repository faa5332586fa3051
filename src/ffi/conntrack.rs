//! C API of the conntrack object: life cycle, attributes, groups, options,
//! copy and compare.

use std::mem::size_of;
use std::os::raw::{c_int, c_uint, c_void};
use std::slice;

use super::{
    attr_is_set, attr_unset, bitmask, clone_ct, ct_attr, ct_mut, ct_ref, distinct_full, einval,
    einval_tail, fail, fail_tail, free_ct, get_typed, guard, lookup, new_ct, nf_conntrack,
    nfct_bitmask, set_errno, set_uint, AttrObject, AttrRaw, GroupRaw,
};
use crate::conntrack::attr::{Attr, FastSet, SetRule, Slot, FAST};
use crate::conntrack::group::{self, Group};
use crate::conntrack::object::Labels;
use crate::conntrack::{build, compare, copy, objopt, Conntrack, CtRef, Head, Value};

impl AttrObject for Conntrack {
    type C = nf_conntrack;
    type Attr = Attr;
    type View<'a> = CtRef<'a>;

    unsafe fn view<'a>(p: *const nf_conntrack) -> Option<CtRef<'a>> {
        // SAFETY: forwarded contract.
        unsafe { ct_ref(p) }
    }

    unsafe fn view_mut<'a>(p: *mut nf_conntrack) -> Option<&'a mut Conntrack> {
        // SAFETY: forwarded contract.
        unsafe { ct_mut(p) }
    }

    fn attr(v: u32) -> Option<Attr> {
        ct_attr(v)
    }

    #[inline(always)]
    fn is_set(ct: CtRef<'_>, a: Attr) -> bool {
        ct.bit(a)
    }

    #[inline(always)]
    fn uint_fast<const N: usize>(ct: CtRef<'_>, a: Attr) -> Option<[u8; N]> {
        let CtRef::Full(c) = ct else {
            return None;
        };
        if !c.readable::<N>(a) {
            return None;
        }
        let at = usize::from(FAST.read::<N>(a));
        // SAFETY: an attribute readable at width N lies at an offset at
        // most STORAGE_LEN - N, as FastPaths asserts when it is built: the
        // N bytes are inside the storage.
        Some(unsafe { c.storage().as_ptr().add(at).cast::<[u8; N]>().read() })
    }

    fn uint<const N: usize>(ct: CtRef<'_>, a: Attr) -> Option<[u8; N]> {
        ct.uint(a)
    }

    #[inline(always)]
    fn set_uint_fast<const N: usize>(&mut self, a: Attr, bytes: [u8; N]) -> bool {
        Conntrack::set_uint_fast(self, a, bytes)
    }

    fn set_uint<const N: usize>(&mut self, a: Attr, bytes: [u8; N]) -> bool {
        Conntrack::set_uint(self, a, bytes).is_ok()
    }

    fn unset(&mut self, a: Attr) {
        Conntrack::unset(self, a)
    }
}

/// `nfct_new`: a new, empty conntrack object.
#[no_mangle]
pub extern "C" fn nfct_new() -> *mut nf_conntrack {
    guard(std::ptr::null_mut(), new_ct)
}

/// `nfct_destroy`: frees an object made by `nfct_new` or `nfct_clone`.
#[no_mangle]
pub unsafe extern "C" fn nfct_destroy(ct: *mut nf_conntrack) {
    guard((), || {
        // SAFETY: caller passes an object from nfct_new() (or NULL).
        if unsafe { ct_mut(ct) }.is_none() {
            return einval(());
        }
        // SAFETY: a whole object made by new_ct/clone_ct;
        // ownership ends here.
        unsafe { free_ct(ct as *mut Conntrack) };
    })
}

/// `nfct_clone`: a new object equal to `ct`.
#[no_mangle]
pub unsafe extern "C" fn nfct_clone(ct: *const nf_conntrack) -> *mut nf_conntrack {
    guard(std::ptr::null_mut(), || {
        // SAFETY: caller passes a valid object or NULL.
        let Some(src) = (unsafe { ct_ref(ct) }) else {
            return einval(std::ptr::null_mut());
        };
        clone_ct(src)
    })
}

/// `nfct_sizeof` (deprecated): the object's size.
#[no_mangle]
#[deprecated]
pub unsafe extern "C" fn nfct_sizeof(ct: *const nf_conntrack) -> usize {
    guard(0, || {
        if ct.is_null() {
            return einval(0);
        }
        size_of::<Conntrack>()
    })
}

/// `nfct_maxsize` (deprecated): the largest object size.
#[no_mangle]
#[deprecated]
pub extern "C" fn nfct_maxsize() -> usize {
    guard(size_of::<Conntrack>(), size_of::<Conntrack>)
}

/// `nfct_setobjopt`: applies an `NFCT_SOPT_*` option.
#[no_mangle]
pub unsafe extern "C" fn nfct_setobjopt(ct: *mut nf_conntrack, option: c_uint) -> c_int {
    guard(-1, || {
        // SAFETY: caller passes a valid object or NULL.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(-1);
        };
        if objopt::set(ct, option) {
            0
        } else {
            set_errno(libc::EOPNOTSUPP);
            -1
        }
    })
}

/// `nfct_getobjopt`: evaluates an `NFCT_GOPT_*` option (1 or 0).
#[no_mangle]
pub unsafe extern "C" fn nfct_getobjopt(ct: *const nf_conntrack, option: c_uint) -> c_int {
    guard(-1, || {
        // SAFETY: caller passes a valid object or NULL.
        let Some(ct) = (unsafe { ct_ref(ct) }) else {
            return einval_tail(-1);
        };
        match objopt::get(ct, option) {
            Some(yes) => c_int::from(yes),
            None => fail_tail(libc::EOPNOTSUPP, -1),
        }
    })
}

/// Sets `attr` from C memory at `value` (`nfct_set_attr`, and
/// `nfct_set_attr_l` with the caller's `len`).
///
/// As in the reference, an attribute number out of range is ignored without
/// a word (`errno` untouched), and `len` only counts for helper information:
/// a fixed-width attribute takes its own width from `value`, a string up to
/// its NUL.
///
/// # Safety
/// `value` points to at least as many readable bytes as the attribute takes
/// (`len` for helper information).
unsafe fn set_from_c(ct: *mut nf_conntrack, attr: AttrRaw, value: *const c_void, len: usize) {
    if ct.is_null() || value.is_null() {
        return einval(());
    }
    let Some(a) = ct_attr(attr.0) else {
        return;
    };
    // Read the value before borrowing the object: it may point into it
    // (`nfct_set_attr(ct, X, nfct_get_attr(ct, Y))`).
    // SAFETY: forwarded contract.
    let Some(input) = (unsafe { read_input(a, value as *const u8, len) }) else {
        return einval(());
    };
    // SAFETY: caller passes a valid object or NULL.
    let Some(ct) = (unsafe { ct_mut(ct) }) else {
        return einval(());
    };
    match input {
        Input::Nothing => {}
        Input::Mark => ct.mark(a),
        Input::Bytes(buf, n) => {
            let _ = ct.set_bytes(a, &buf[..n]);
        }
        Input::HelperInfo(bytes) => {
            let _ = ct.set_bytes(a, bytes);
        }
        Input::Labels(given) => take_labels(ct, a, given),
    }
}

/// A value read from C memory, ready to be set.
enum Input<'a> {
    /// Nothing to do: the attribute has no setter.
    Nothing,
    /// Only mark the attribute set (the reference keeps the old value).
    Mark,
    /// A fixed-width value or a string, of `.1` bytes.
    Bytes([u8; 16], usize),
    /// Helper information, still in the caller's memory.
    HelperInfo(&'a [u8]),
    /// A labels pointer, not read.
    Labels(*const nfct_bitmask),
}

/// Reads attribute `a`'s value at `value`: its width, a string up to its
/// NUL or its buffer's end, `len` bytes of helper information, or a labels
/// pointer (not read). `None` for helper information too large to send.
///
/// # Safety
/// `value` points to the value, readable for as many bytes as it takes,
/// and stays valid for `'a`.
unsafe fn read_input<'a>(a: Attr, value: *const u8, len: usize) -> Option<Input<'a>> {
    let d = a.desc();
    match d.set {
        SetRule::Unsettable => return Some(Input::Nothing),
        SetRule::MarkOnly => return Some(Input::Mark),
        _ => {}
    }
    let mut buf = [0u8; 16];
    Some(match d.slot {
        Slot::Fixed { len: width, .. } => {
            let n = width as usize;
            // SAFETY: the caller provides the attribute's width in bytes.
            buf[..n].copy_from_slice(unsafe { slice::from_raw_parts(value, n) });
            Input::Bytes(buf, n)
        }
        Slot::Str { cap, .. } => {
            // Never read past the buffer we would keep: at most `cap` bytes.
            // SAFETY: a C string; strnlen stops at its NUL or after `cap` bytes.
            let n = unsafe { libc::strnlen(value as *const libc::c_char, cap as usize) };
            // SAFETY: `n` bytes were just scanned.
            buf[..n].copy_from_slice(unsafe { slice::from_raw_parts(value, n) });
            Input::Bytes(buf, n)
        }
        Slot::HelperInfo if len > build::MAX_HELPER_INFO => return None,
        // SAFETY: the caller provides `len` readable bytes.
        Slot::HelperInfo => Input::HelperInfo(unsafe { slice::from_raw_parts(value, len) }),
        Slot::Labels | Slot::LabelsMask => Input::Labels(value as *const nfct_bitmask),
        Slot::SecCtx => Input::Mark,
    })
}

/// Sets a labels attribute to the pointer `given`, without reading it.
///
/// A loose bitmask of ours (from `nfct_bitmask_new`/`clone`) is
/// taken over, as the C API documents; the pointer the slot already holds
/// is kept; the other labels slot's bitmask is copied, so that no bitmask is
/// ever owned twice. Any other pointer is kept as a foreign pointer.
fn take_labels(ct: &mut Conntrack, a: Attr, given: *const nfct_bitmask) {
    let addr = given as usize;
    let other = match a {
        Attr::ATTR_CONNLABELS => Attr::ATTR_CONNLABELS_MASK,
        _ => Attr::ATTR_CONNLABELS,
    };
    let held = |ct: &mut Conntrack, a| ct.labels_place(a).map(|l| l.addr());
    if held(ct, a) == Some(addr) {
        return ct.mark(a);
    }
    let value = if held(ct, other) == Some(addr) {
        match ct.labels_place(other) {
            Some(l) => l.try_clone().unwrap_or_default(),
            None => Labels::NONE,
        }
    } else if let Some(b) = bitmask::take_back(given) {
        Labels::owned(b)
    } else {
        Labels::foreign(addr)
    };
    let _ = ct.set_labels(a, value);
}

/// `nfct_set_attr`: sets an attribute from a pointer to its value.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr(
    ct: *mut nf_conntrack,
    type_: AttrRaw,
    value: *const c_void,
) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe { set_from_c_any(ct, type_, value, 0) })
}

/// `nfct_set_attr_l`: sets an attribute from a pointer and a length.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_l(
    ct: *mut nf_conntrack,
    type_: AttrRaw,
    value: *const c_void,
    len: usize,
) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe { set_from_c_any(ct, type_, value, len) })
}

/// `nfct_set_attr`/`_l`. Inline, an attribute whose setting stores its
/// bytes as they are (its width, whatever the length says) or only marks
/// it; a jump away, labels ([`set_labels_c`]) and everything else
/// ([`set_from_c_general`]). So no path needs a stack frame here.
///
/// # Safety
/// As for [`set_from_c`].
#[inline(always)]
unsafe fn set_from_c_any(ct: *mut nf_conntrack, attr: AttrRaw, value: *const c_void, len: usize) {
    let (Some(a), false) = (ct_attr(attr.0), value.is_null()) else {
        // SAFETY: forwarded contract.
        return unsafe { set_from_c_general(ct, attr, value, len) };
    };
    let v = FAST.value(a);
    let (at, p) = (v.at as usize, value as *const u8);
    // SAFETY (every arm): C passes the attribute's width in bytes at `value`.
    let stored = unsafe {
        match v.set {
            FastSet::Store1 => store(ct, at, p.cast::<u8>().read().to_ne_bytes()),
            FastSet::Store2 => store(ct, at, p.cast::<u16>().read_unaligned().to_ne_bytes()),
            FastSet::Store4 => store(ct, at, p.cast::<u32>().read_unaligned().to_ne_bytes()),
            FastSet::Store8 => store(ct, at, p.cast::<u64>().read_unaligned().to_ne_bytes()),
            FastSet::Store16 => store(ct, at, p.cast::<u128>().read_unaligned().to_ne_bytes()),
            FastSet::Mark => store(ct, at, []),
            FastSet::Mirror1 => store_twice(ct, [at, v.also as usize], [p.read()]),
            FastSet::Mirror2 => store_twice(
                ct,
                [at, v.also as usize],
                p.cast::<u16>().read_unaligned().to_ne_bytes(),
            ),
            FastSet::Labels => return set_labels_c(ct, attr, value),
            FastSet::General => None,
        }
    };
    match stored {
        Some(obj) => obj.mark(a),
        // SAFETY: forwarded contract.
        None => unsafe { set_from_c_general(ct, attr, value, len) },
    }
}

/// `nfct_set_attr` of a labels attribute: [`take_labels`], or `EINVAL`
/// for a tuple head. Out of line and `extern "C"`, as [`set_from_c_general`].
#[inline(never)]
unsafe extern "C" fn set_labels_c(ct: *mut nf_conntrack, attr: AttrRaw, value: *const c_void) {
    guard((), || {
        // SAFETY: forwarded C contract: NULL, a head or a whole object.
        match (unsafe { ct_mut(ct) }, ct_attr(attr.0)) {
            (Some(obj), Some(a)) => take_labels(obj, a, value.cast()),
            _ => einval(()),
        }
    })
}

/// Stores `bytes` (already read from C memory, which may be the object's
/// own) at offset `at` of the object behind `ct`; the object, or `None`
/// when there is none to change.
///
/// # Safety
/// As for [`ct_mut`].
#[inline(always)]
unsafe fn store<'a, const N: usize>(
    ct: *mut nf_conntrack,
    at: usize,
    bytes: [u8; N],
) -> Option<&'a mut Conntrack> {
    // SAFETY: forwarded contract.
    let obj = unsafe { ct_mut(ct) }?;
    obj.put_at(at, bytes);
    Some(obj)
}

/// [`store`] at two offsets (a mirrored value).
///
/// # Safety
/// As for [`ct_mut`].
#[inline(always)]
unsafe fn store_twice<'a, const N: usize>(
    ct: *mut nf_conntrack,
    at: [usize; 2],
    bytes: [u8; N],
) -> Option<&'a mut Conntrack> {
    // SAFETY: forwarded contract.
    let obj = unsafe { store(ct, at[0], bytes) }?;
    obj.put_at(at[1], bytes);
    Some(obj)
}

/// `nfct_set_attr`/`_l` in every case, out of line under its own guard
/// (see `ffi::get_typed_general`).
///
/// # Safety
/// As for [`set_from_c`].
#[cold]
#[inline(never)]
unsafe extern "C" fn set_from_c_general(
    ct: *mut nf_conntrack,
    attr: AttrRaw,
    value: *const c_void,
    len: usize,
) {
    // SAFETY: forwarded contract.
    guard((), || unsafe { set_from_c(ct, attr, value, len) })
}

/// `nfct_set_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u8(ct: *mut nf_conntrack, type_: AttrRaw, value: u8) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe {
        set_uint::<Conntrack, _>(ct, type_.0, [value])
    })
}

/// `nfct_set_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u16(ct: *mut nf_conntrack, type_: AttrRaw, value: u16) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe {
        set_uint::<Conntrack, _>(ct, type_.0, value.to_ne_bytes())
    })
}

/// `nfct_set_attr_u32`.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u32(ct: *mut nf_conntrack, type_: AttrRaw, value: u32) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe {
        set_uint::<Conntrack, _>(ct, type_.0, value.to_ne_bytes())
    })
}

/// `nfct_set_attr_u64`.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_u64(ct: *mut nf_conntrack, type_: AttrRaw, value: u64) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe {
        set_uint::<Conntrack, _>(ct, type_.0, value.to_ne_bytes())
    })
}

/// `nfct_get_attr`: a pointer to the attribute's value, or NULL with
/// `errno = ENODATA` when it is not set.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr(ct: *const nf_conntrack, type_: AttrRaw) -> *const c_void {
    // SAFETY: forwarded C contract.
    if let (Some(c @ CtRef::Full(_)), Some(a)) = (unsafe { ct_ref(ct) }, ct_attr(type_.0)) {
        if !c.bit(a) {
            return fail_tail(libc::ENODATA, std::ptr::null());
        }
        if let Some(value) = c.place(a) {
            return value.as_ptr() as *const c_void;
        }
        if let Some(addr) = c.labels_addr(a) {
            return addr as *const c_void;
        }
    }
    get_attr_slow(ct, type_)
}

/// `nfct_get_attr` past its fast path (a set value in a whole object's
/// fixed storage): bad arguments, unset attributes, heads, heap values.
/// Out of line and `extern "C"`, which keeps the fast path free of a stack
/// frame and of the panic guard.
#[cold]
#[inline(never)]
extern "C" fn get_attr_slow(ct: *const nf_conntrack, type_: AttrRaw) -> *const c_void {
    guard(std::ptr::null(), || {
        // SAFETY: forwarded C contract.
        let Some((ct, a)) = (unsafe { lookup::<Conntrack>(ct, type_.0) }) else {
            return std::ptr::null();
        };
        if !ct.bit(a) {
            return fail(libc::ENODATA, std::ptr::null());
        }
        get_attr_general(ct, a)
    })
}

/// `nfct_get_attr` for what [`CtRef::place`] leaves, labels apart: heads,
/// strings and heap values.
#[inline(never)]
fn get_attr_general(ct: CtRef<'_>, a: Attr) -> *const c_void {
    let null = std::ptr::null::<c_void>();
    match ct.get(a) {
        None => fail(libc::ENODATA, null),
        Some(Value::Bytes(b)) => b.as_ptr() as *const c_void,
        Some(Value::SecCtx(s)) => s.map_or(null, |s| s.as_ptr() as *const c_void),
        // Empty helper data still gets a real address (the reference's
        // comes from calloc(1, 0)): C callers copy from it.
        Some(Value::HelperInfo(Some([]))) => NO_HELPER_INFO.as_ptr() as *const c_void,
        Some(Value::HelperInfo(h)) => h.map_or(null, |h| h.as_ptr() as *const c_void),
        // Labels exist only in whole objects, which nfct_get_attr answers
        // itself (CtRef::labels_addr).
        Some(Value::Labels(_)) => null,
    }
}

/// What `nfct_get_attr` returns for helper data of length 0.
static NO_HELPER_INFO: [u8; 64] = [0; 64];

/// `nfct_get_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u8(ct: *const nf_conntrack, type_: AttrRaw) -> u8 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u8::from_ne_bytes(get_typed::<Conntrack, 1>(ct, type_.0))
    })
}

/// `nfct_get_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u16(ct: *const nf_conntrack, type_: AttrRaw) -> u16 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u16::from_ne_bytes(get_typed::<Conntrack, 2>(ct, type_.0))
    })
}

/// `nfct_get_attr_u32`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u32(ct: *const nf_conntrack, type_: AttrRaw) -> u32 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u32::from_ne_bytes(get_typed::<Conntrack, 4>(ct, type_.0))
    })
}

/// `nfct_get_attr_u64`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u64(ct: *const nf_conntrack, type_: AttrRaw) -> u64 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        u64::from_ne_bytes(get_typed::<Conntrack, 8>(ct, type_.0))
    })
}

/// `nfct_attr_is_set`: 1 if set, 0 if not, -1 (`EINVAL`) on bad arguments.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_is_set(ct: *const nf_conntrack, type_: AttrRaw) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe { attr_is_set::<Conntrack>(ct, type_.0) })
}

/// `nfct_attr_is_set_array`: 1 if all `size` attributes are set, 0 if one
/// is not, -1 (`EINVAL`) on a bad attribute before that.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_is_set_array(
    ct: *const nf_conntrack,
    type_array: *const AttrRaw,
    size: c_int,
) -> c_int {
    guard(-1, || {
        if ct.is_null() {
            return einval(-1);
        }
        if size <= 0 {
            return 1;
        }
        if type_array.is_null() {
            return einval(-1);
        }
        // SAFETY: every conntrack pointer we hand out starts with a head,
        // whose bitmap is what this reports, whole object or not.
        let head = unsafe { &*(ct as *const Head) };
        // SAFETY: the caller passes `size` attribute values.
        let types = unsafe { slice::from_raw_parts(type_array, size as usize) };
        let mut i = 0;
        // A loop with its test at the end: `size` is at least 1.
        loop {
            match types.get(i).and_then(|t| ct_attr(t.0)) {
                None => return einval(-1),
                Some(a) if !head.bit(a) => return 0,
                Some(_) => {}
            }
            i += 1;
            if i == types.len() {
                return 1;
            }
        }
    })
}

/// `nfct_attr_unset`: 0, or -1 (`EINVAL`) on bad arguments.
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_unset(ct: *mut nf_conntrack, type_: AttrRaw) -> c_int {
    // SAFETY: forwarded C contract.
    guard(-1, || unsafe { attr_unset::<Conntrack>(ct, type_.0) })
}

/// `nfct_set_attr_grp`: sets a group from its C struct.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr_grp(
    ct: *mut nf_conntrack,
    type_: GroupRaw,
    value: *const c_void,
) {
    guard((), || {
        if ct.is_null() || value.is_null() {
            return einval(());
        }
        // As in the reference, a group number out of range is ignored
        // without a word.
        let Some(g) = Group::from_raw(type_.0) else {
            return;
        };
        let size = g.size();
        // A value inside the object (nfct_get_attr's pointer, say) is
        // copied out before the object is borrowed to change it.
        let (v, o) = (value as usize, ct as usize);
        if v < o + size_of::<Conntrack>() && o < v + size {
            // SAFETY: forwarded C contract.
            return unsafe { set_grp_from_inside(ct, g, value) };
        }
        // SAFETY: `value` points to the group's C struct, `size` bytes,
        // not inside the object.
        let bytes = unsafe { slice::from_raw_parts(value as *const u8, size) };
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(());
        };
        group::set(ct, g, bytes);
    })
}

/// `nfct_set_attr_grp` with a value that lies inside the object: copied out
/// first.
///
/// # Safety
/// As for `nfct_set_attr_grp`.
#[cold]
#[inline(never)]
unsafe fn set_grp_from_inside(ct: *mut nf_conntrack, g: Group, value: *const c_void) {
    let mut copy = [0u8; 32];
    let copy = &mut copy[..g.size()];
    // SAFETY: `value` points to the group's C struct.
    copy.copy_from_slice(unsafe { slice::from_raw_parts(value as *const u8, copy.len()) });
    // SAFETY: forwarded C contract; the value was copied out.
    match unsafe { ct_mut(ct) } {
        Some(ct) => group::set(ct, g, copy),
        None => einval(()),
    }
}

/// `nfct_get_attr_grp`: fills `data` (the group's C struct); -1 with
/// `ENODATA` when the group is not set.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_grp(
    ct: *const nf_conntrack,
    type_: GroupRaw,
    data: *mut c_void,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let (Some(ct), Some(g)) = (unsafe { ct_ref(ct) }, Group::from_raw(type_.0)) else {
            return einval(-1);
        };
        if !group::is_set(ct, g) {
            return fail(libc::ENODATA, -1);
        }
        if data.is_null() {
            return einval(-1);
        }
        // SAFETY: `data` points to room for the group's C struct.
        let out = unsafe { slice::from_raw_parts_mut(data as *mut u8, g.size()) };
        group::get(ct, g, out);
        0
    })
}

/// `nfct_attr_grp_is_set`: 1, 0, or -1 (`EINVAL`).
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_grp_is_set(ct: *const nf_conntrack, type_: GroupRaw) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        match (unsafe { ct_ref(ct) }, Group::from_raw(type_.0)) {
            (Some(ct), Some(g)) => c_int::from(group::is_set(ct, g)),
            _ => einval(-1),
        }
    })
}

/// `nfct_attr_grp_unset`: 0, or -1 (`EINVAL`).
#[no_mangle]
pub unsafe extern "C" fn nfct_attr_grp_unset(ct: *mut nf_conntrack, type_: GroupRaw) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval_tail(-1);
        };
        let Some(g) = Group::from_raw(type_.0) else {
            return einval_tail(-1);
        };
        group::unset(ct, g);
        0
    })
}

/// `nfct_compare`: 1 if equal (`nfct_cmp` with `NFCT_CMP_ALL`), else 0.
#[no_mangle]
pub unsafe extern "C" fn nfct_compare(ct1: *const nf_conntrack, ct2: *const nf_conntrack) -> c_int {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe { nfct_cmp(ct1, ct2, compare::NFCT_CMP_ALL) })
}

/// `nfct_cmp`: 1 if equal under `flags`, else 0.
#[no_mangle]
pub unsafe extern "C" fn nfct_cmp(
    ct1: *const nf_conntrack,
    ct2: *const nf_conntrack,
    flags: c_uint,
) -> c_int {
    if compare::equal_whatever_the_objects(flags) && !ct1.is_null() && !ct2.is_null() {
        return 1;
    }
    guard(0, || {
        // SAFETY: forwarded C contract.
        match unsafe { (ct_ref(ct1), ct_ref(ct2)) } {
            (Some(a), Some(b)) => c_int::from(compare::cmp(a, b, flags)),
            _ => einval(0),
        }
    })
}

/// `nfct_copy`: copies part or all of `ct2` into `ct1`.
#[no_mangle]
pub unsafe extern "C" fn nfct_copy(
    ct1: *mut nf_conntrack,
    ct2: *const nf_conntrack,
    flags: c_uint,
) {
    // NFCT_CP_OVERRIDE between two distinct whole objects that own no
    // heap value: the destination becomes a byte copy of the source.
    if flags & copy::NFCT_CP_OVERRIDE != 0 {
        // SAFETY: forwarded C contract.
        if let Some((dst, src)) = unsafe { distinct_full(ct1, ct2) } {
            if dst.copy_plain_from(src) {
                return;
            }
        }
    }
    guard((), || {
        if std::ptr::eq(ct1, ct2) && !ct1.is_null() {
            return;
        }
        // SAFETY: forwarded C contract; the objects are distinct.
        match unsafe { (ct_mut(ct1), ct_ref(ct2)) } {
            (Some(dst), Some(src)) => copy::copy(dst, src, flags),
            _ => einval(()),
        }
    })
}

/// `nfct_copy_attr`: copies one attribute, if `ct2` sets it.
#[no_mangle]
pub unsafe extern "C" fn nfct_copy_attr(
    ct1: *mut nf_conntrack,
    ct2: *const nf_conntrack,
    type_: AttrRaw,
) {
    // The fast path: a fixed-width value between two distinct whole objects.
    // SAFETY: forwarded C contract.
    if let Some((dst, src)) = unsafe { distinct_full(ct1, ct2) } {
        if let Some(a) = ct_attr(type_.0) {
            let src = CtRef::Full(src);
            if !src.bit(a) || dst.copy_fixed_attr_from(src, a) {
                return;
            }
        }
    }
    copy_attr_slow(ct1, ct2, type_)
}

/// `nfct_copy_attr` past its fast path: bad arguments, heads, strings and
/// heap values. Out of line and `extern "C"` (see `ffi::get_typed_general`).
#[cold]
#[inline(never)]
extern "C" fn copy_attr_slow(ct1: *mut nf_conntrack, ct2: *const nf_conntrack, type_: AttrRaw) {
    guard((), || {
        if std::ptr::eq(ct1, ct2) && !ct1.is_null() {
            return;
        }
        // SAFETY: forwarded C contract; the objects are distinct.
        let (Some(dst), Some(src), Some(a)) = (
            unsafe { ct_mut(ct1) },
            unsafe { ct_ref(ct2) },
            ct_attr(type_.0),
        ) else {
            return einval(());
        };
        copy::copy_attr(dst, src, a);
    })
}
