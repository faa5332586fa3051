//! The C ABI: every exported function of libnetfilter_conntrack.
//!
//! Each function checks its pointers, converts raw enum values, calls the
//! safe core and maps errors to `errno` plus the reference's return value.
//! No panic crosses the boundary: the body of every exported function runs
//! under [`guard`], trivial ones included, so that the rule needs no
//! judgement; the helpers they call do not guard again.

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

use std::alloc::{self, Layout};
use std::mem::size_of;
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::conntrack::attr::ATTR_COUNT;
use crate::conntrack::layout::zero_extended;
use crate::conntrack::{Attr, Conntrack, CtRef, Head};

pub mod bitmask;
pub mod bitmask_pool;
pub mod conntrack;
pub mod dump_filter;
pub mod expect;
pub mod expect_lowlevel;
pub mod filter;
pub mod handle;
pub mod labels;
pub mod lowlevel;
pub mod msgbuf;
pub mod nfnl;
pub mod print;

macro_rules! opaque {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub struct $name {
            _private: [u8; 0],
        }
    )*};
}

opaque! {
    /// Opaque `struct nf_conntrack`.
    nf_conntrack;
    /// Opaque `struct nf_expect`.
    nf_expect;
    /// Opaque `struct nfct_bitmask`.
    nfct_bitmask;
    /// Opaque `struct nfct_labelmap`.
    nfct_labelmap;
    /// Opaque `struct nfct_handle`.
    nfct_handle;
    /// Opaque `struct nfct_filter` (event filter).
    nfct_filter;
    /// Opaque `struct nfct_filter_dump` (dump filter).
    nfct_filter_dump;
    /// libnfnetlink's `struct nfnl_handle` (declared, not defined, by our header).
    nfnl_handle;
    /// libnfnetlink's `struct nfnl_subsys_handle`.
    nfnl_subsys_handle;
    /// The kernel's `struct nlmsghdr` (from `<linux/netlink.h>`).
    nlmsghdr;
}

macro_rules! raw_enum {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub u32);
    )*};
}

raw_enum! {
    /// `enum nf_conntrack_attr` as C passes it: any `int`, checked before use.
    AttrRaw;
    /// `enum nf_conntrack_attr_grp` as C passes it.
    GroupRaw;
    /// `enum nf_expect_attr` as C passes it.
    ExpAttrRaw;
    /// `enum nf_conntrack_msg_type` as C passes it.
    MsgTypeRaw;
    /// `enum nf_conntrack_query` as C passes it.
    QueryRaw;
    /// `enum nfct_filter_attr` as C passes it.
    FilterAttrRaw;
    /// `enum nfct_filter_logic` as C passes it.
    FilterLogicRaw;
    /// `enum nfct_filter_dump_attr` as C passes it.
    FilterDumpAttrRaw;
}

/// The conntrack attribute with C value `v`, if there is one: a range check,
/// without the table lookup of `Attr::from_raw` (the getters are that hot).
#[inline(always)]
pub(crate) fn ct_attr(v: u32) -> Option<Attr> {
    if v < ATTR_COUNT as u32 {
        // SAFETY: `Attr` is `repr(C)` (a C `int`) with the discriminants
        // 0..=ATTR_MAX, each in use (the attribute table's test checks that
        // row i holds attribute i), so every value below ATTR_COUNT is one.
        Some(unsafe { std::mem::transmute::<u32, Attr>(v) })
    } else {
        None
    }
}

/// Sets the calling thread's `errno`.
#[inline]
pub(crate) fn set_errno(e: c_int) {
    // SAFETY: __errno_location() returns a valid pointer to this thread's errno.
    unsafe { *libc::__errno_location() = e };
}

/// Sets `errno` on an error path: kept out of line and marked cold, so
/// that the fast paths around it need no stack frame.
#[cold]
#[inline(never)]
fn set_errno_cold(e: c_int) {
    set_errno(e);
}

/// Fails with `errno = e`: returns `value` after setting it.
#[inline(always)]
pub(crate) fn fail<R>(e: c_int, value: R) -> R {
    set_errno_cold(e);
    value
}

/// An object type with numbered attributes (`nf_conntrack`, `nf_expect`):
/// what the attribute accessors that both APIs share need to know of it.
pub(crate) trait AttrObject: Sized {
    /// The opaque C type.
    type C;
    /// The attribute enum.
    type Attr: Copy;
    /// A read-only view of an object.
    type View<'a>: Copy;

    /// The object behind `p`, read-only; `None` for NULL.
    ///
    /// # Safety
    /// `p` is NULL or an object made by this library, live for `'a`.
    unsafe fn view<'a>(p: *const Self::C) -> Option<Self::View<'a>>;

    /// The object behind `p`, for changing it; `None` for NULL or an object
    /// that cannot be changed.
    ///
    /// # Safety
    /// As for [`AttrObject::view`], and no other reference to it is live.
    unsafe fn view_mut<'a>(p: *mut Self::C) -> Option<&'a mut Self>;

    /// The attribute with C value `v`, if there is one.
    fn attr(v: u32) -> Option<Self::Attr>;

    /// Whether `a` is set.
    fn is_set(view: Self::View<'_>, a: Self::Attr) -> bool;

    /// What an `N`-byte typed getter returns for `a` when that is a plain
    /// load (a set value in plain storage); `None` leaves it to
    /// [`AttrObject::is_set`] and [`AttrObject::uint`].
    fn uint_fast<const N: usize>(view: Self::View<'_>, a: Self::Attr) -> Option<[u8; N]>;

    /// What an `N`-byte typed getter returns for `a` in every case; `None`
    /// when it is not set.
    fn uint<const N: usize>(view: Self::View<'_>, a: Self::Attr) -> Option<[u8; N]>;

    /// Sets integer attribute `a` from its host-order bytes when the fast
    /// path can (a plain stored value of that width); `false` leaves it to
    /// [`AttrObject::set_uint`].
    fn set_uint_fast<const N: usize>(&mut self, a: Self::Attr, bytes: [u8; N]) -> bool;

    /// Sets integer attribute `a` from its host-order bytes; `false` when it
    /// takes no integer.
    fn set_uint<const N: usize>(&mut self, a: Self::Attr, bytes: [u8; N]) -> bool;

    /// Unsets `a`.
    fn unset(&mut self, a: Self::Attr);
}

/// The object and attribute behind a getter's arguments, or `None` with
/// `errno = EINVAL`.
///
/// # Safety
/// `p` is NULL or a valid object, live for `'a`.
#[inline(always)]
pub(crate) unsafe fn lookup<'a, O: AttrObject>(
    p: *const O::C,
    attr: u32,
) -> Option<(O::View<'a>, O::Attr)> {
    // SAFETY: forwarded contract.
    match (unsafe { O::view(p) }, O::attr(attr)) {
        (Some(o), Some(a)) => Some((o, a)),
        _ => einval(None),
    }
}

/// A typed getter (`nfct_get_attr_u32`, ...): the value's `N` bytes, or
/// zeros when the attribute is not set (`errno = ENODATA`) or on bad
/// arguments (`EINVAL`).
///
/// # Safety
/// `p` is NULL or a valid object.
#[inline(always)]
pub(crate) unsafe fn get_typed<O: AttrObject, const N: usize>(
    p: *const O::C,
    attr: u32,
) -> [u8; N] {
    // SAFETY: the caller passes NULL or a valid object.
    let Some(o) = (unsafe { O::view(p) }) else {
        return fail_tail(libc::EINVAL, [0; N]);
    };
    if let Some(a) = O::attr(attr) {
        if let Some(v) = O::uint_fast::<N>(o, a) {
            return v;
        }
        if !O::is_set(o, a) {
            return fail_tail(libc::ENODATA, [0; N]);
        }
    }
    get_typed_slow::<O, N>(p, attr)
}

/// [`get_typed`] past its fast path, a jump away from it: everything but
/// a set value in plain storage, through [`get_typed_general`].
#[cold]
#[inline(never)]
fn get_typed_slow<O: AttrObject, const N: usize>(p: *const O::C, attr: u32) -> [u8; N] {
    zero_extended(&get_typed_general::<O, N>(p, attr).to_ne_bytes())
}

/// [`get_typed`] in every case, its `N` bytes in the first bytes of a
/// `u64`. Out of line and `extern "C"` (so it never unwinds: it catches its
/// own panics), which keeps the fast path free of a stack frame.
#[cold]
#[inline(never)]
extern "C" fn get_typed_general<O: AttrObject, const N: usize>(p: *const O::C, attr: u32) -> u64 {
    guard(0, || {
        // SAFETY: forwarded from get_typed's contract.
        let Some((o, a)) = (unsafe { lookup::<O>(p, attr) }) else {
            return 0;
        };
        let Some(v) = O::uint::<N>(o, a) else {
            return fail(libc::ENODATA, 0);
        };
        u64::from_ne_bytes(zero_extended(&v))
    })
}

/// A typed setter (`nfct_set_attr_u32`, ...): sets `attr` from an integer's
/// bytes. As in the reference, an attribute number out of range is ignored
/// without a word (`errno` untouched); `EINVAL` for a NULL object or an
/// attribute that takes no integer.
///
/// # Safety
/// `p` is NULL or a valid object.
#[inline(always)]
pub(crate) unsafe fn set_uint<O: AttrObject, const N: usize>(
    p: *mut O::C,
    attr: u32,
    bytes: [u8; N],
) {
    // SAFETY: forwarded contract.
    if let (Some(o), Some(a)) = (unsafe { O::view_mut(p) }, O::attr(attr)) {
        if o.set_uint_fast(a, bytes) {
            return;
        }
    }
    set_uint_general::<O, N>(p, attr, u64::from_ne_bytes(zero_extended(&bytes)));
}

/// [`set_uint`] in every case, the value's `N` bytes in the first bytes of
/// `value`. Out of line and `extern "C"`, as [`get_typed_general`].
#[cold]
#[inline(never)]
extern "C" fn set_uint_general<O: AttrObject, const N: usize>(p: *mut O::C, attr: u32, value: u64) {
    guard((), || {
        // SAFETY: forwarded from set_uint's contract.
        let Some(o) = (unsafe { O::view_mut(p) }) else {
            return einval(());
        };
        let Some(a) = O::attr(attr) else {
            return;
        };
        if !o.set_uint(a, zero_extended::<N>(&value.to_ne_bytes())) {
            set_errno(libc::EINVAL);
        }
    })
}

/// `nfct_attr_is_set`, `nfexp_attr_is_set`: 1 if set, 0 if not, -1
/// (`EINVAL`) on bad arguments.
///
/// # Safety
/// `p` is NULL or a valid object.
#[inline(always)]
pub(crate) unsafe fn attr_is_set<O: AttrObject>(p: *const O::C, attr: u32) -> c_int {
    // SAFETY: forwarded contract.
    match unsafe { lookup::<O>(p, attr) } {
        Some((o, a)) => c_int::from(O::is_set(o, a)),
        None => -1,
    }
}

/// `nfct_attr_unset`, `nfexp_attr_unset`: 0, or -1 (`EINVAL`) on bad
/// arguments.
///
/// # Safety
/// `p` is NULL or a valid object, not otherwise borrowed.
#[inline(always)]
pub(crate) unsafe fn attr_unset<O: AttrObject>(p: *mut O::C, attr: u32) -> c_int {
    // SAFETY: forwarded contract.
    let Some(o) = (unsafe { O::view_mut(p) }) else {
        return einval_tail(-1);
    };
    let Some(a) = O::attr(attr) else {
        return einval_tail(-1);
    };
    o.unset(a);
    0
}

/// Runs `f`, turning a panic (a bug) into `fallback` with `errno = EINVAL`
/// instead of an abort.
#[inline(always)]
pub(crate) fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| fail(libc::EINVAL, fallback))
}

/// Fails with `EINVAL`: returns `value` after setting `errno`.
#[inline(always)]
pub(crate) fn einval<R>(value: R) -> R {
    fail(libc::EINVAL, value)
}

/// [`fail`] out of line, for the last call of a fast path: as it returns
/// what it is given, the call is a jump and the fast path needs no stack
/// frame.
#[cold]
#[inline(never)]
pub(crate) fn fail_tail<R>(e: c_int, value: R) -> R {
    set_errno(e);
    // Opaque to the optimizer, which would otherwise have the caller
    // return the constant it passes, after the call.
    std::hint::black_box(value)
}

/// [`einval`] as [`fail_tail`].
#[inline(always)]
pub(crate) fn einval_tail<R>(value: R) -> R {
    fail_tail(libc::EINVAL, value)
}

/// A read-only view of the conntrack behind `p`: a whole object, or a tuple
/// head that an expectation handed out.
///
/// # Safety
/// `p` is NULL or points to an object made by this library (or to a head
/// returned by `nfexp_get_attr`), valid for `'a`.
#[inline(always)]
pub(crate) unsafe fn ct_ref<'a>(p: *const nf_conntrack) -> Option<CtRef<'a>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: every conntrack pointer we hand out starts with a `Head`
    // (original tuple, bitmap, kind word), so reading that prefix is always
    // valid.
    let head = unsafe { &*(p as *const Head) };
    if Head::is_detached(head) {
        Some(CtRef::Head(head))
    } else {
        // SAFETY: not a detached head, so a whole object made by nfct_new().
        Some(CtRef::Full(unsafe { &*(p as *const Conntrack) }))
    }
}

/// Two distinct whole objects, `dst` to change and `src` to read: what the
/// fast paths of the copies work on. `None` for NULL, for the same object
/// twice and for detached heads (one test of both kind words).
///
/// # Safety
/// As for [`ct_ref`] and [`ct_mut`], for both.
#[inline(always)]
pub(crate) unsafe fn distinct_full<'a>(
    dst: *mut nf_conntrack,
    src: *const nf_conntrack,
) -> Option<(&'a mut Conntrack, &'a Conntrack)> {
    if dst.is_null() || src.is_null() || std::ptr::eq(dst, src) {
        return None;
    }
    // SAFETY: every conntrack pointer we hand out starts with a `Head`.
    let (d, s) = unsafe { (&*(dst as *const Head), &*(src as *const Head)) };
    if Head::kind_word(d) | Head::kind_word(s) != 0 {
        return None;
    }
    // SAFETY: whole objects made by nfct_new(), distinct; the caller owns
    // `dst` exclusively for the call.
    Some(unsafe { (&mut *(dst as *mut Conntrack), &*(src as *const Conntrack)) })
}

/// The whole conntrack object behind `p`, for changing it. `None` for NULL
/// and for a detached tuple head (which is read-only).
///
/// # Safety
/// As for [`ct_ref`], and no other reference to the object is live.
#[inline(always)]
pub(crate) unsafe fn ct_mut<'a>(p: *mut nf_conntrack) -> Option<&'a mut Conntrack> {
    // SAFETY: forwarded contract.
    match unsafe { ct_ref(p) }? {
        // SAFETY: a whole object; the caller owns it exclusively for the call.
        CtRef::Full(_) => Some(unsafe { &mut *(p as *mut Conntrack) }),
        CtRef::Head(_) => None,
    }
}

// Conntrack objects handed to C live in memory from the C library's
// allocator, as the reference's do (the objects are as cheap to make and
// free as its own): `new_ct` and `clone_ct` make them,
// `free_ct` ends them.

/// Uninitialised memory for one conntrack object, from the C library's
/// `malloc` (which aligns for any fundamental type: 8 bytes is all
/// `Conntrack` needs); NULL with `ENOMEM` when memory is short.
#[inline(always)]
fn alloc_ct() -> *mut Conntrack {
    // SAFETY: a plain allocation of the object's size.
    let p = unsafe { libc::malloc(size_of::<Conntrack>()) } as *mut Conntrack;
    if p.is_null() {
        set_errno(libc::ENOMEM);
    }
    p
}

/// A new, empty conntrack object for C: `calloc`, whose all-zero bytes are
/// an empty object (see the object's tests). NULL with `ENOMEM` when memory
/// is short.
pub(crate) fn new_ct() -> *mut nf_conntrack {
    // SAFETY: a plain allocation, zeroed when it succeeded: malloc and
    // memset, as glibc's calloc costs more for a block this small (the hint
    // keeps the compiler from fusing the two into calloc). Not through
    // `alloc_ct`: its NULL test before the hint costs instructions.
    let p = std::hint::black_box(unsafe { libc::malloc(size_of::<Conntrack>()) });
    if p.is_null() {
        set_errno(libc::ENOMEM);
    } else {
        // SAFETY: `p` is fresh memory of that size.
        unsafe { std::ptr::write_bytes(p as *mut u8, 0, size_of::<Conntrack>()) };
    }
    p as *mut nf_conntrack
}

/// A copy of `src` for C (`nfct_clone`): a copy of its bytes when it owns
/// no heap value (nothing is then owned twice), else a new object made a
/// copy of it where it lies (heap values that find no memory are left out,
/// with their bits set, as the reference does).
pub(crate) fn clone_ct(src: CtRef<'_>) -> *mut nf_conntrack {
    if let CtRef::Full(c) = src {
        if c.owns_nothing() {
            let p = alloc_ct();
            if !p.is_null() {
                // SAFETY: `p` is fresh memory for one object; the source owns
                // no heap value, so its bytes are a whole, independent object.
                unsafe { std::ptr::copy_nonoverlapping(c as *const Conntrack, p, 1) };
            }
            return p as *mut nf_conntrack;
        }
    }
    let p = new_ct();
    // SAFETY: NULL, or a fresh empty object that nothing else refers to.
    if let Some(dst) = unsafe { (p as *mut Conntrack).as_mut() } {
        dst.clone_from_view(src);
    }
    p
}

/// A conntrack object for C that Rust holds for now (a handle's spare
/// object): freed with [`free_ct`] when dropped.
pub(crate) struct HeldCt(std::ptr::NonNull<nf_conntrack>);

impl HeldCt {
    /// Takes over `p`, an object made by [`new_ct`] or [`clone_ct`]
    /// (`None` for NULL).
    ///
    /// # Safety
    /// Nothing else uses `p` from now on.
    pub(crate) unsafe fn from_raw(p: *mut nf_conntrack) -> Option<HeldCt> {
        std::ptr::NonNull::new(p).map(HeldCt)
    }

    /// Gives the object back as a pointer, no longer held.
    pub(crate) fn into_raw(self) -> *mut nf_conntrack {
        let p = self.0.as_ptr();
        std::mem::forget(self);
        p
    }
}

impl Drop for HeldCt {
    fn drop(&mut self) {
        // SAFETY: per from_raw's contract, a whole object of ours that
        // nothing else uses.
        unsafe { free_ct(self.0.as_ptr() as *mut Conntrack) }
    }
}

/// Ends a conntrack object made by [`new_ct`] or [`clone_ct`]: drops the heap values it owns and frees its memory.
///
/// # Safety
/// `p` came from one of those and is not used afterwards.
pub(crate) unsafe fn free_ct(p: *mut Conntrack) {
    // SAFETY: per the contract, a whole live object in malloc'd memory.
    unsafe {
        if !(*p).owns_nothing() {
            std::ptr::drop_in_place(p);
        }
        libc::free(p as *mut libc::c_void);
    }
}

/// `Box::new(value)`, except that an exhausted heap gives `None` with
/// `errno = ENOMEM` (what `malloc` failing means to the reference's callers)
/// instead of aborting the process.
pub(crate) fn try_box<T>(value: T) -> Option<Box<T>> {
    let layout = Layout::new::<T>();
    if layout.size() == 0 {
        return Some(Box::new(value));
    }
    // SAFETY: the layout's size is not zero.
    let p = unsafe { alloc::alloc(layout) } as *mut T;
    if p.is_null() {
        return fail(libc::ENOMEM, None);
    }
    // SAFETY: `p` is a fresh allocation from the global allocator with the
    // layout of `T`, which is what `Box` owns and frees.
    unsafe {
        p.write(value);
        Some(Box::from_raw(p))
    }
}

/// Moves `value` to the heap for C: the pointer `Box::into_raw` would give,
/// or NULL with `errno = ENOMEM` (see [`try_box`]).
pub(crate) fn into_heap<T>(value: T) -> *mut T {
    try_box(value).map_or(std::ptr::null_mut(), Box::into_raw)
}
