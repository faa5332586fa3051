//! C API of the conntrack object: life cycle, attributes, groups, options,
//! copy and compare.

use std::mem::size_of;
use std::os::raw::{c_int, c_uint, c_void};
use std::slice;

use super::{
    attr_is_set, attr_unset, ct_into_raw, ct_mut, ct_ref, einval, get_typed, guard, lookup,
    nf_conntrack, set_errno, set_uint, AttrObject, AttrRaw, GroupRaw,
};
use crate::bitmask::Bitmask;
use crate::conntrack::attr::{Attr, SetRule, Slot};
use crate::conntrack::group::{self, Group};
use crate::conntrack::{compare, copy, objopt, Conntrack, CtRef, Value};

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
        Attr::from_raw(v)
    }

    fn is_set(ct: CtRef<'_>, a: Attr) -> bool {
        ct.is_set(a)
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
    guard(std::ptr::null_mut(), || ct_into_raw(Conntrack::new()))
}

/// `nfct_destroy`: frees an object made by `nfct_new` or `nfct_clone`.
#[no_mangle]
pub unsafe extern "C" fn nfct_destroy(ct: *mut nf_conntrack) {
    guard((), || {
        // SAFETY: caller passes an object from nfct_new() (or NULL).
        if unsafe { ct_mut(ct) }.is_none() {
            return einval(());
        }
        // SAFETY: a whole object allocated by ct_into_raw(); ownership ends here.
        drop(unsafe { Box::from_raw(ct as *mut Conntrack) });
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
        let mut clone = Conntrack::new();
        clone.clone_from_view(src);
        ct_into_raw(clone)
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
            return einval(-1);
        };
        match objopt::get(ct, option) {
            Some(yes) => c_int::from(yes),
            None => {
                set_errno(libc::EOPNOTSUPP);
                -1
            }
        }
    })
}

/// Sets `attr` from C memory at `value`; `len` is the caller's length when
/// it gave one (`nfct_set_attr_l`), else 0.
///
/// # Safety
/// `value` points to at least as many readable bytes as the attribute takes
/// (`len` bytes when `len` is non-zero and smaller).
unsafe fn set_from_c(ct: *mut nf_conntrack, attr: AttrRaw, value: *const c_void, len: usize) {
    let Some(a) = Attr::from_raw(attr.0) else {
        return einval(());
    };
    if value.is_null() {
        return einval(());
    }
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
        Input::Mark => ct.mark(a),
        Input::Bytes(buf, n) => {
            let _ = ct.set_bytes(a, &buf[..n]);
        }
        Input::Owned(bytes) => {
            let _ = ct.set_bytes(a, &bytes);
        }
        Input::Bitmask(given) => take_labels(ct, a, given),
    }
}

/// A value copied out of C memory, ready to be set.
enum Input {
    /// Only mark the attribute set (the reference keeps the old value).
    Mark,
    /// A fixed-width value or a string, of `.1` bytes.
    Bytes([u8; 16], usize),
    /// Helper information.
    Owned(Box<[u8]>),
    /// A bitmask the object takes over.
    Bitmask(*mut Bitmask),
}

/// Reads attribute `a`'s value at `value`: its width (or `len` bytes when
/// `len` is smaller), a string up to its NUL or its buffer's end, `len`
/// bytes of helper information, or a bitmask pointer. `None` for helper
/// information too large to send.
///
/// # Safety
/// `value` points to the value, readable for as many bytes as it takes.
unsafe fn read_input(a: Attr, value: *const u8, len: usize) -> Option<Input> {
    let d = a.desc();
    if d.set == SetRule::MarkOnly {
        return Some(Input::Mark);
    }
    let mut buf = [0u8; 16];
    Some(match d.slot {
        Slot::Fixed { len: width, .. } => {
            let n = match len {
                0 => width as usize,
                n => n.min(width as usize),
            };
            // SAFETY: the caller provides `n` readable bytes.
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
        Slot::HelperInfo if len > MAX_HELPER_INFO => return None,
        // SAFETY: the caller provides `len` readable bytes.
        Slot::HelperInfo => Input::Owned(unsafe { slice::from_raw_parts(value, len) }.into()),
        Slot::Labels | Slot::LabelsMask => Input::Bitmask(value as *mut Bitmask),
        Slot::SecCtx => Input::Mark,
    })
}

/// Sets a labels attribute to `given`, a bitmask from `nfct_bitmask_new` or
/// `nfct_bitmask_clone` that the object takes over (as the C API documents).
/// The bitmask the slot already holds is kept; one the other labels slot
/// holds is copied, so that no bitmask is ever owned twice.
fn take_labels(ct: &mut Conntrack, a: Attr, given: *mut Bitmask) {
    let other = match a {
        Attr::ATTR_CONNLABELS => Attr::ATTR_CONNLABELS_MASK,
        _ => Attr::ATTR_CONNLABELS,
    };
    let shared = ct
        .labels_place(other)
        .and_then(|o| o.as_deref())
        .filter(|b| std::ptr::eq(*b, given))
        .cloned();
    let Some(place) = ct.labels_place(a) else {
        return einval(());
    };
    if let Some(copy) = shared {
        *place = Some(Box::new(copy));
    } else if !place.as_deref().is_some_and(|b| std::ptr::eq(b, given)) {
        // SAFETY: a bitmask from nfct_bitmask_new/clone (a Box) that no
        // slot of this object owns; the object takes ownership of it.
        *place = Some(unsafe { Box::from_raw(given) });
    }
    ct.mark(a);
}

/// The largest helper information accepted: what fits, with the longest
/// helper name, in the `CTA_HELP` nest of a netlink message.
const MAX_HELPER_INFO: usize = crate::netlink::attr::NLA_MAX_PAYLOAD - 32;

/// `nfct_set_attr`: sets an attribute from a pointer to its value.
#[no_mangle]
pub unsafe extern "C" fn nfct_set_attr(
    ct: *mut nf_conntrack,
    type_: AttrRaw,
    value: *const c_void,
) {
    // SAFETY: forwarded C contract.
    guard((), || unsafe { set_from_c(ct, type_, value, 0) })
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
    guard((), || unsafe { set_from_c(ct, type_, value, len) })
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
    let ct_ptr = ct;
    guard(std::ptr::null(), || {
        // SAFETY: forwarded C contract.
        let Some((ct, a)) = (unsafe { lookup::<Conntrack>(ct, type_.0) }) else {
            return std::ptr::null();
        };
        let null = std::ptr::null::<c_void>();
        match ct.get(a) {
            None => {
                set_errno(libc::ENODATA);
                null
            }
            Some(Value::Bytes(b)) => b.as_ptr() as *const c_void,
            Some(Value::SecCtx(s)) => s.map_or(null, |s| s.as_ptr() as *const c_void),
            // Empty helper data still gets a real address (the reference's
            // comes from calloc(1, 0)): C callers copy from it.
            Some(Value::HelperInfo(Some([]))) => NO_HELPER_INFO.as_ptr() as *const c_void,
            Some(Value::HelperInfo(h)) => h.map_or(null, |h| h.as_ptr() as *const c_void),
            // C programs change labels through this pointer (conntrack does):
            // derive it from the object as a mutable place.
            // SAFETY: labels exist only in whole objects, made by nfct_new()
            // in writable memory; the shared view is no longer used.
            Some(Value::Labels(_)) => unsafe { (*(ct_ptr as *mut Conntrack)).labels_place(a) }
                .and_then(|l| l.as_deref_mut())
                .map_or(null, |b| b as *mut Bitmask as *const c_void),
        }
    })
}

/// What `nfct_get_attr` returns for helper data of length 0.
static NO_HELPER_INFO: [u8; 64] = [0; 64];

/// `nfct_get_attr_u8`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u8(ct: *const nf_conntrack, type_: AttrRaw) -> u8 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        get_typed::<Conntrack, _>(ct, type_.0, |c, a| c.u8(a))
    })
}

/// `nfct_get_attr_u16`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u16(ct: *const nf_conntrack, type_: AttrRaw) -> u16 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        get_typed::<Conntrack, _>(ct, type_.0, |c, a| c.u16(a))
    })
}

/// `nfct_get_attr_u32`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u32(ct: *const nf_conntrack, type_: AttrRaw) -> u32 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        get_typed::<Conntrack, _>(ct, type_.0, |c, a| c.u32(a))
    })
}

/// `nfct_get_attr_u64`.
#[no_mangle]
pub unsafe extern "C" fn nfct_get_attr_u64(ct: *const nf_conntrack, type_: AttrRaw) -> u64 {
    // SAFETY: forwarded C contract.
    guard(0, || unsafe {
        get_typed::<Conntrack, _>(ct, type_.0, |c, a| c.u64(a))
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
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_ref(ct) }) else {
            return einval(-1);
        };
        if size <= 0 {
            return 1;
        }
        if type_array.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes `size` attribute values.
        let types = unsafe { slice::from_raw_parts(type_array, size as usize) };
        for t in types {
            match Attr::from_raw(t.0) {
                None => return einval(-1),
                Some(a) if !ct.is_set(a) => return 0,
                Some(_) => {}
            }
        }
        1
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
        let Some(g) = Group::from_raw(type_.0) else {
            return einval(());
        };
        if value.is_null() {
            return einval(());
        }
        // Copy the value before borrowing the object: it may point into it.
        let mut bytes = [0u8; 32];
        let bytes = &mut bytes[..g.size()];
        // SAFETY: `value` points to the group's C struct.
        bytes.copy_from_slice(unsafe { slice::from_raw_parts(value as *const u8, g.size()) });
        // SAFETY: forwarded C contract.
        let Some(ct) = (unsafe { ct_mut(ct) }) else {
            return einval(());
        };
        group::set(ct, g, bytes);
    })
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
            set_errno(libc::ENODATA);
            return -1;
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
        match (unsafe { ct_mut(ct) }, Group::from_raw(type_.0)) {
            (Some(ct), Some(g)) => {
                group::unset(ct, g);
                0
            }
            _ => einval(-1),
        }
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
    guard((), || {
        if std::ptr::eq(ct1, ct2) && !ct1.is_null() {
            return;
        }
        // SAFETY: forwarded C contract; the objects are distinct.
        match unsafe { (ct_mut(ct1), ct_ref(ct2)) } {
            (Some(dst), Some(src)) => match Attr::from_raw(type_.0) {
                Some(a) => copy::copy_attr(dst, src, a),
                None => einval(()),
            },
            _ => einval(()),
        }
    })
}
