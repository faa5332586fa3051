//! C API of `struct nfct_bitmask`.
//!
//! A bitmask that `nfct_bitmask_new` or `nfct_bitmask_clone` hands out is
//! *free-standing* until `nfct_bitmask_destroy` frees it or `nfct_set_attr`
//! gives it to an object. The free-standing ones are kept in a registry, so
//! that a pointer C passes as labels can be recognised as ours without
//! reading it: anything else is kept as a foreign pointer, never read, never
//! freed (see `conntrack::object::Labels`).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::os::raw::{c_int, c_uint};
use std::sync::{Mutex, MutexGuard};

use super::{einval, guard, nfct_bitmask, set_errno};
use crate::bitmask::{Bitmask, BitmaskError};
use crate::fallible::HeapBox;

/// Hashes a pointer: its address, mixed (allocations share low bits).
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64 >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Addresses of the free-standing bitmasks.
static FREE_STANDING: Mutex<Option<HashSet<usize, BuildHasherDefault<AddrHasher>>>> =
    Mutex::new(None);

fn registry() -> MutexGuard<'static, Option<HashSet<usize, BuildHasherDefault<AddrHasher>>>> {
    // A panic never happens while the lock is held; if one did, the set is
    // still consistent (every update is one call).
    FREE_STANDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands `b` to C as a free-standing bitmask; NULL with `ENOMEM` when the
/// registry cannot grow.
fn hand_out(b: HeapBox<Bitmask>) -> *mut nfct_bitmask {
    let mut reg = registry();
    let set = reg.get_or_insert_with(Default::default);
    if set.try_reserve(1).is_err() {
        set_errno(libc::ENOMEM);
        return std::ptr::null_mut();
    }
    let p = Box::into_raw(b.into_box()) as *mut nfct_bitmask;
    set.insert(p as usize);
    p
}

/// Takes the free-standing bitmask at `p` back from C; `None` when `p` is
/// no free-standing bitmask of ours (NULL, foreign, freed, or owned by an
/// object). `p` is not read.
pub(crate) fn take_back(p: *const nfct_bitmask) -> Option<HeapBox<Bitmask>> {
    let mut reg = registry();
    if !reg.as_mut()?.remove(&(p as usize)) {
        return None;
    }
    // SAFETY: the registry holds only pointers made by `hand_out` from
    // `HeapBox::into_box` and not yet taken back, so this one is such an
    // allocation and nothing else owns it now.
    Some(HeapBox::from_box(unsafe {
        Box::from_raw(p as *mut [Bitmask; 1])
    }))
}

/// # Safety
/// `b` is NULL or a live bitmask of ours (free-standing or in an object).
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
    let boxed = match made {
        Ok(b) => HeapBox::new(b).map_err(|_| BitmaskError::OutOfMemory),
        Err(e) => Err(e),
    };
    match boxed {
        Ok(b) => hand_out(b),
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

/// `nfct_bitmask_destroy`: frees a free-standing bitmask. NULL, and
/// pointers that are no free-standing bitmask of ours (one an object owns, a
/// foreign pointer, one already freed), are left alone: freeing those is
/// what makes the reference crash later.
#[no_mangle]
pub unsafe extern "C" fn nfct_bitmask_destroy(b: *mut nfct_bitmask) {
    guard((), || drop(take_back(b)))
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
