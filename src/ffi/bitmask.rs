//! C API of `struct nfct_bitmask`.

use std::os::raw::{c_int, c_uint};

use super::{einval, guard, into_heap, nfct_bitmask, set_errno};
use crate::bitmask::{Bitmask, BitmaskError};

/// # Safety
/// `b` is NULL or a bitmask from `nfct_bitmask_new`/`clone`, live for `'a`.
unsafe fn bm<'a>(b: *const nfct_bitmask) -> Option<&'a Bitmask> {
    // SAFETY: forwarded contract.
    unsafe { (b as *const Bitmask).as_ref() }
}

/// # Safety
/// As for [`bm`], with no other reference live.
unsafe fn bm_mut<'a>(b: *mut nfct_bitmask) -> Option<&'a mut Bitmask> {
    // SAFETY: forwarded contract.
    unsafe { (b as *mut Bitmask).as_mut() }
}

/// Hands a new bitmask to C, or NULL with `errno`: `EINVAL` when too large,
/// `ENOMEM` when memory is short.
fn from_result(made: Result<Bitmask, BitmaskError>) -> *mut nfct_bitmask {
    match made {
        Ok(b) => into_heap(b) as *mut nfct_bitmask,
        Err(BitmaskError::TooLarge) => einval(std::ptr::null_mut()),
        Err(BitmaskError::OutOfMemory) => {
            set_errno(libc::ENOMEM);
            std::ptr::null_mut()
        }
    }
}

/// `nfct_bitmask_new`: a bitmask for bits `0..=maxbit`; NULL (`EINVAL`)
/// past 65535.
#[no_mangle]
pub extern "C" fn nfct_bitmask_new(maxbit: c_uint) -> *mut nfct_bitmask {
    guard(std::ptr::null_mut(), || from_result(Bitmask::new(maxbit)))
}

/// `nfct_bitmask_clone`.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_clone(b: *const nfct_bitmask) -> *mut nfct_bitmask {
    guard(std::ptr::null_mut(), || {
        // SAFETY: forwarded C contract.
        match unsafe { bm(b) } {
            Some(b) => from_result(b.try_clone()),
            None => einval(std::ptr::null_mut()),
        }
    })
}

/// `nfct_bitmask_maxbit`: the highest bit number (0 for NULL, `EINVAL`).
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_maxbit(b: *const nfct_bitmask) -> c_uint {
    // SAFETY: forwarded C contract.
    guard(0, || {
        unsafe { bm(b) }.map_or_else(|| einval(0), Bitmask::maxbit)
    })
}

/// `nfct_bitmask_set_bit`.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_set_bit(b: *mut nfct_bitmask, bit: c_uint) {
    // SAFETY: forwarded C contract.
    guard((), || {
        unsafe { bm_mut(b) }.map_or_else(|| einval(()), |b| b.set(bit))
    })
}

/// `nfct_bitmask_test_bit`: 1 if set, else 0.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_test_bit(b: *const nfct_bitmask, bit: c_uint) -> c_int {
    // SAFETY: forwarded C contract.
    guard(0, || {
        unsafe { bm(b) }.map_or_else(|| einval(0), |b| c_int::from(b.test(bit)))
    })
}

/// `nfct_bitmask_unset_bit`.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_unset_bit(b: *mut nfct_bitmask, bit: c_uint) {
    // SAFETY: forwarded C contract.
    guard((), || {
        unsafe { bm_mut(b) }.map_or_else(|| einval(()), |b| b.unset(bit))
    })
}

/// `nfct_bitmask_destroy`: frees a bitmask (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_destroy(b: *mut nfct_bitmask) {
    guard((), || {
        if !b.is_null() {
            // SAFETY: a bitmask from nfct_bitmask_new/clone; ownership ends here.
            drop(unsafe { Box::from_raw(b as *mut Bitmask) })
        }
    })
}

/// `nfct_bitmask_clear`.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_clear(b: *mut nfct_bitmask) {
    // SAFETY: forwarded C contract.
    guard((), || {
        unsafe { bm_mut(b) }.map_or_else(|| einval(()), Bitmask::clear)
    })
}

/// `nfct_bitmask_equal`: same size and same bits.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_equal(
    b1: *const nfct_bitmask,
    b2: *const nfct_bitmask,
) -> bool {
    guard(false, || {
        // SAFETY: forwarded C contract.
        match unsafe { (bm(b1), bm(b2)) } {
            (Some(a), Some(b)) => a.equal(b),
            _ => einval(false),
        }
    })
}
