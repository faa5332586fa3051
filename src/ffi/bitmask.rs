//! C API of `struct nfct_bitmask`.
//!
//! A bitmask that `nfct_bitmask_new` or `nfct_bitmask_clone` hands out is
//! *free-standing* until `nfct_bitmask_destroy` frees it or `nfct_set_attr`
//! gives it to an object. The free-standing ones are kept in a registry, so
//! that a pointer C passes as labels can be recognised as ours without
//! reading it: anything else is kept as a foreign pointer, never read, never
//! freed (see `conntrack::object::Labels`).

use std::os::raw::{c_int, c_uint};
use std::sync::{Mutex, MutexGuard};

use super::{einval, guard, nfct_bitmask, set_errno, try_box};
use crate::bitmask::{Bitmask, BitmaskError};
use crate::fallible::HeapBox;

/// A set of addresses: open addressing with linear probing in a table of a
/// power-of-two size, at most half used (addresses and tombstones), so that
/// probes are short and every one ends at an empty slot.
///
/// Made for the registry's pattern, an address added when a bitmask is made
/// and removed when it is freed or given to an object: one multiplication
/// and, almost always, one slot per operation (a freed address is usually
/// the next one made, and finds its tombstone first).
struct AddrSet {
    /// [`EMPTY`], [`GONE`] or an address.
    slots: Vec<usize>,
    /// `64 - log2(slots.len())`: the hash's bits that index the table.
    shift: u32,
    /// Slots used (addresses and tombstones) and how many may be.
    used: usize,
    limit: usize,
    /// Addresses held.
    live: usize,
}

/// A slot never used.
const EMPTY: usize = 0;
/// A slot whose address was removed (probes go on past it).
const GONE: usize = 1;

impl AddrSet {
    const fn new() -> AddrSet {
        AddrSet {
            slots: Vec::new(),
            shift: 63,
            used: 0,
            limit: 0,
            live: 0,
        }
    }

    /// Where the probe for `addr` starts: the high bits of a Fibonacci hash
    /// of the address without its low four bits (always zero: allocations
    /// are 16-byte aligned). Unshifted, the addresses malloc hands out one
    /// after the other, 32 bytes apart, clustered: 3.4 probes per lookup in
    /// a table 30% full; shifted, they spread evenly (one probe).
    #[inline(always)]
    fn home(&self, addr: usize) -> usize {
        ((addr as u64 >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Adds `addr` (not 0 or 1, not in the set); `false` when the table
    /// cannot grow.
    #[inline]
    fn insert(&mut self, addr: usize) -> bool {
        if self.used >= self.limit && !self.rebuild() {
            return false;
        }
        self.place(addr);
        true
    }

    /// Puts `addr` in the first free slot of its probe, in a table with
    /// room.
    #[inline(always)]
    fn place(&mut self, addr: usize) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(addr);
        while let Some(s) = self.slots.get_mut(i) {
            if *s <= GONE {
                self.used += usize::from(*s == EMPTY);
                *s = addr;
                self.live += 1;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Removes `addr`; whether it was there (never for 0 or 1, which mark
    /// slots).
    #[inline]
    fn remove(&mut self, addr: usize) -> bool {
        if addr <= GONE {
            return false;
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(addr);
        while let Some(s) = self.slots.get_mut(i) {
            if *s == addr {
                *s = GONE;
                self.live -= 1;
                return true;
            }
            if *s == EMPTY {
                break;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// Makes room for one more address: a table of four to eight times the
    /// live addresses (at least 16 slots), without tombstones, half of which
    /// may be used before the next rebuild. `false` when the heap refuses it
    /// (the set is unchanged then).
    #[cold]
    #[inline(never)]
    fn rebuild(&mut self) -> bool {
        let size = ((self.live + 1) * 4).next_power_of_two().max(16);
        let Some(slots) = zeroed_slots(size) else {
            return false;
        };
        let old = std::mem::replace(&mut self.slots, slots);
        self.shift = 64 - size.trailing_zeros();
        self.limit = size / 2;
        self.used = 0;
        self.live = 0;
        for &addr in old.iter().filter(|&&a| a > GONE) {
            self.place(addr);
        }
        true
    }
}

/// `size` slots, all [`EMPTY`], or `None` when the heap refuses them. Asked
/// of the allocator as zeroed memory: a large table then comes as fresh
/// pages that need no clearing, where filling it would touch every slot.
fn zeroed_slots(size: usize) -> Option<Vec<usize>> {
    const _: () = assert!(EMPTY == 0);
    let layout = std::alloc::Layout::array::<usize>(size).ok()?;
    if layout.size() == 0 {
        return Some(Vec::new());
    }
    // SAFETY: a layout of non-zero size.
    let p = unsafe { std::alloc::alloc_zeroed(layout) } as *mut usize;
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` is an allocation of the global allocator for `size`
    // usizes, all initialised (zero is a valid usize).
    Some(unsafe { Vec::from_raw_parts(p, size, size) })
}

/// The free-standing bitmasks, and allocations to make the next ones in.
struct Registry {
    /// Their addresses.
    set: AddrSet,
    /// Allocations of destroyed bitmasks (each holding an empty one), reused
    /// by the next made: a free and a malloc saved each time. At most
    /// [`SPARE_MAX`]; never more than the most bitmasks alive at once
    /// (a new allocation is made only when there is no spare). The boxes
    /// are the point: their allocations are what is reused.
    #[allow(clippy::vec_box)]
    spare: Vec<Box<[Bitmask; 1]>>,
}

/// The most spare allocations kept: 2 MiB of 32-byte heap chunks.
const SPARE_MAX: usize = 1 << 16;

impl Registry {
    /// Keeps `boxed`, a destroyed bitmask's allocation, as a spare if there
    /// is room, else gives it back to the heap.
    fn keep_spare(&mut self, mut boxed: Box<[Bitmask; 1]>) {
        if self.spare.len() < SPARE_MAX && self.spare.try_reserve(1).is_ok() {
            boxed[0] = Bitmask::EMPTY;
            self.spare.push(boxed);
        }
    }
}

/// The registry of free-standing bitmasks.
static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    set: AddrSet::new(),
    spare: Vec::new(),
});

#[inline]
fn registry() -> MutexGuard<'static, Registry> {
    // A panic never happens while the lock is held; if one did, the set is
    // still consistent (every update is one call).
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands `b` to C as a free-standing bitmask; NULL with `ENOMEM` when
/// memory is short.
#[inline]
fn hand_out(b: Bitmask) -> *mut nfct_bitmask {
    let mut reg = registry();
    let boxed = match reg.spare.pop() {
        Some(mut spare) => {
            spare[0] = b;
            spare
        }
        None => match try_box([b]) {
            Some(boxed) => boxed,
            None => return std::ptr::null_mut(),
        },
    };
    let p = Box::into_raw(boxed);
    if !reg.set.insert(p as usize) {
        drop(reg);
        // SAFETY: made by Box::into_raw() just above, and not handed out.
        drop(unsafe { Box::from_raw(p) });
        set_errno(libc::ENOMEM);
        return std::ptr::null_mut();
    }
    p as *mut nfct_bitmask
}

/// Takes the free-standing bitmask at `p` back from C; `None` when `p` is
/// no free-standing bitmask of ours (NULL, foreign, freed, or owned by an
/// object). `p` is not read.
pub(crate) fn take_back(p: *const nfct_bitmask) -> Option<HeapBox<Bitmask>> {
    if !registry().set.remove(p as usize) {
        return None;
    }
    // SAFETY: the registry holds only pointers made by `hand_out` from
    // `Box::into_raw` and not yet taken back, so this one is such an
    // allocation and nothing else owns it now.
    Some(HeapBox::from_box(unsafe {
        Box::from_raw(p as *mut [Bitmask; 1])
    }))
}

/// Frees the free-standing bitmask at `p` (nothing for any other pointer,
/// which is not read): its allocation is kept for the next bitmask made
/// while there is room among the spares.
#[inline]
fn destroy(p: *mut nfct_bitmask) {
    let mut reg = registry();
    if !reg.set.remove(p as usize) {
        return;
    }
    // SAFETY: as in take_back().
    reg.keep_spare(unsafe { Box::from_raw(p as *mut [Bitmask; 1]) });
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
#[inline]
fn from_result(made: Result<Bitmask, BitmaskError>) -> *mut nfct_bitmask {
    match made {
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
    guard((), || destroy(b))
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
    fn addr_set_insert_remove_and_growth() {
        let mut s = AddrSet::new();
        assert!(!s.remove(0x1000) && !s.remove(0) && !s.remove(GONE));
        // Addresses as malloc gives them: 32 bytes apart, many rebuilds.
        let addrs: Vec<usize> = (0..5000).map(|i| 0x5555_0000_0000 + i * 32).collect();
        for &a in &addrs {
            assert!(s.insert(a));
        }
        assert_eq!(s.live, addrs.len());
        assert!(s.used <= s.limit && s.limit < s.slots.len());
        // Marks are never members, whatever the slots hold.
        assert!(!s.remove(EMPTY) && !s.remove(GONE));
        for &a in addrs.iter().step_by(2) {
            assert!(s.remove(a));
            assert!(!s.remove(a), "removed twice");
        }
        for (i, &a) in addrs.iter().enumerate() {
            assert_eq!(s.remove(a), i % 2 == 1, "address {i}");
        }
        assert_eq!(s.live, 0);
        // Tombstones are reused, and a full table of them is rebuilt.
        for round in 0..4 {
            for &a in &addrs {
                assert!(s.insert(a + round));
            }
            for &a in &addrs {
                assert!(s.remove(a + round));
            }
        }
        assert_eq!(s.live, 0);
        assert!(s.used <= s.limit);
    }

    #[test]
    fn registry_hands_out_takes_back_and_reuses() {
        let a = nfct_bitmask_new(127);
        let b = nfct_bitmask_new(1000);
        assert!(!a.is_null() && !b.is_null());
        // SAFETY: live bitmasks of ours.
        unsafe {
            nfct_bitmask_set_bit(a, 100);
            nfct_bitmask_set_bit(b, 999);
            assert_eq!(nfct_bitmask_maxbit(b), 1023);
        }
        // An object takes `a`: it is no longer free-standing.
        let owned = take_back(a).expect("free-standing");
        assert!(owned.test(100));
        assert!(take_back(a).is_none());
        // SAFETY: `a` is owned by `owned` now: destroy leaves it alone.
        unsafe { nfct_bitmask_destroy(a) };
        assert!(owned.test(100));
        // Foreign and NULL pointers are ignored.
        let foreign = [0u64; 4];
        assert!(take_back(foreign.as_ptr() as *const nfct_bitmask).is_none());
        // SAFETY: destroy never reads a pointer that is not registered.
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
