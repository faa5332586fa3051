//! C API of `struct nfct_bitmask`.
//!
//! A bitmask that `nfct_bitmask_new` or `nfct_bitmask_clone` hands out is
//! *loose* until `nfct_bitmask_destroy` frees it or `nfct_set_attr` gives it
//! to an object. Every bitmask lives in the pool of [`super::bitmask_pool`],
//! which recognises a pointer C passes as a loose bitmask of ours without
//! reading it: anything else is kept as a foreign pointer, never read, never
//! freed (see `conntrack::object::Labels`).

use std::os::raw::{c_int, c_uint};

use super::bitmask_pool::{self, BitmaskBox};
use super::{einval, fail, guard, nfct_bitmask};
use crate::bitmask::{Bitmask, BitmaskError};

/// Takes the loose bitmask at `p` back from C, for an object to own;
/// `None` when `p` is no loose bitmask of ours (NULL, foreign, freed, or
/// owned by an object). `p` is not read.
pub(crate) fn take_back(p: *const nfct_bitmask) -> Option<BitmaskBox> {
    bitmask_pool::take_back(p.cast())
}

/// # Safety
/// `b` is NULL or a live bitmask of ours (loose or in an object).
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
#[inline]
fn from_result(made: Result<Bitmask, BitmaskError>) -> *mut nfct_bitmask {
    match made {
        Ok(b) => match bitmask_pool::hand_out(b) {
            Some(p) => p.cast(),
            None => fail(libc::ENOMEM, std::ptr::null_mut()),
        },
        Err(BitmaskError::TooLarge) => einval(std::ptr::null_mut()),
        Err(BitmaskError::OutOfMemory) => fail(libc::ENOMEM, std::ptr::null_mut()),
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

/// `nfct_bitmask_destroy`: frees a loose bitmask. NULL, and
/// pointers that are no loose bitmask of ours (one an object owns, a
/// foreign pointer, one already freed), are left alone: freeing those is
/// what makes the reference crash later.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_destroy(b: *mut nfct_bitmask) {
    guard((), || bitmask_pool::destroy(b.cast()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_bitmasks_are_handed_out_taken_back_and_reused() {
        let a = nfct_bitmask_new(127);
        let b = nfct_bitmask_new(1000);
        assert!(!a.is_null() && !b.is_null());
        // SAFETY: live bitmasks of ours.
        unsafe {
            nfct_bitmask_set_bit(a, 100);
            nfct_bitmask_set_bit(b, 999);
            assert_eq!(nfct_bitmask_maxbit(b), 1023);
        }
        // An object takes `a`: it is no longer loose.
        let owned = take_back(a).expect("loose");
        assert!(owned.test(100));
        assert!(take_back(a).is_none());
        // SAFETY: `a` is owned by `owned` now: destroy leaves it alone.
        unsafe { nfct_bitmask_destroy(a) };
        assert!(owned.test(100));
        // Foreign and NULL pointers are ignored.
        let foreign = [0u64; 4];
        assert!(take_back(foreign.as_ptr() as *const nfct_bitmask).is_none());
        // SAFETY: destroy never reads a pointer that is no slot of ours.
        unsafe {
            nfct_bitmask_destroy(foreign.as_ptr() as *mut nfct_bitmask);
            nfct_bitmask_destroy(std::ptr::null_mut());
            nfct_bitmask_destroy(b);
        }
        // A new bitmask may reuse b's allocation: it starts clear.
        let c = nfct_bitmask_new(63);
        // SAFETY: a live bitmask of ours.
        unsafe {
            assert_eq!(nfct_bitmask_maxbit(c), 63);
            assert_eq!(nfct_bitmask_test_bit(c, 31), 0);
            nfct_bitmask_destroy(c);
        }
    }
}
