//! Where every bitmask lives: 32-byte slots in regions mapped from the
//! kernel, each a state word and a [`Bitmask`].
//!
//! C passes label pointers that may be anything: a bitmask of ours it holds
//! (from `nfct_bitmask_new`), one an object owns, one already freed, or a
//! pointer of its own. The slot layout tells them apart without reading
//! anything but our own memory: a pointer is ours when it lies on a slot's
//! value inside one of the regions, and then the slot's state says who
//! holds the bitmask. So recognising a pointer is a few comparisons, and
//! making or freeing a bitmask is a pop or a push on a free list, where
//! `malloc` and `free` cost five times as much.
//!
//! Regions are never unmapped: a freed slot goes on the free list, as a
//! freed chunk stays in `malloc`'s arena. Each region is twice the size of
//! the one before, so a few serve any number of bitmasks.
//!
//! The lock is held for a few dozen instructions at a time (an `mmap` for a
//! new region aside), never while the caller's code runs. As with any lock
//! that is not reset at `fork()`, a child forked while another thread of the
//! parent held it must not make or free a bitmask (POSIX allows only
//! async-signal-safe calls there anyway).

use std::cell::UnsafeCell;
use std::mem::{size_of, MaybeUninit};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::bitmask::Bitmask;
use crate::fallible::NoMemory;

/// Who holds a slot's bitmask.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nobody: never used (mapped memory is zero), or freed.
    Free = 0,
    /// C, from `nfct_bitmask_new` or `nfct_bitmask_clone`, until it frees
    /// it or gives it to an object.
    Loose = 1,
    /// A [`BitmaskBox`]: an object's labels, or Rust's own.
    Owned = 2,
}

/// A slot: its state, then the bitmask, whose address is what C sees. A
/// free slot's value holds the address of the next free slot.
#[repr(C)]
struct Slot {
    state: State,
    value: MaybeUninit<Bitmask>,
}

/// Bytes of a slot.
const SLOT: usize = 32;
const _: () = assert!(size_of::<Slot>() == SLOT && size_of::<Bitmask>() >= size_of::<usize>());

/// Where a slot's value starts.
const VALUE: usize = std::mem::offset_of!(Slot, value);

/// Bytes of the first region (2048 slots); each next one is twice as big.
const FIRST_REGION: usize = 64 << 10;

/// The most regions: together, far more bitmasks than memory can hold.
const MAX_REGIONS: usize = 32;

/// The regions and the slots free in them.
struct Pool {
    /// Each region's first byte and length, in the order mapped.
    regions: [(usize, usize); MAX_REGIONS],
    mapped: usize,
    /// The first slot never used, in the newest region, and that region's
    /// end.
    bump: usize,
    end: usize,
    /// The first freed slot (0 for none).
    free: usize,
}

/// The pool, behind a spin lock: every hold is a few dozen instructions
/// (a region's `mmap` aside), where a `Mutex` would cost as much again as
/// the work it guards, in its poison checks.
struct Locked {
    held: AtomicBool,
    pool: UnsafeCell<Pool>,
}

// SAFETY: the pool is reached only through `PoolGuard`, one at a time.
unsafe impl Sync for Locked {}

static POOL: Locked = Locked {
    held: AtomicBool::new(false),
    pool: UnsafeCell::new(Pool {
        regions: [(0, 0); MAX_REGIONS],
        mapped: 0,
        bump: 0,
        end: 0,
        free: 0,
    }),
};

/// The pool, held until dropped.
struct PoolGuard(&'static Locked);

/// Takes the pool's lock: spins while another thread holds it, giving the
/// processor away after a while (the holder may have been preempted).
#[inline]
fn pool() -> PoolGuard {
    while POOL.held.swap(true, Ordering::Acquire) {
        wait_for(&POOL.held);
    }
    PoolGuard(&POOL)
}

#[cold]
#[inline(never)]
fn wait_for(held: &AtomicBool) {
    let mut spins = 0u32;
    while held.load(Ordering::Relaxed) {
        if spins < 64 {
            std::hint::spin_loop();
            spins += 1;
        } else {
            std::thread::yield_now();
        }
    }
}

impl Deref for PoolGuard {
    type Target = Pool;

    fn deref(&self) -> &Pool {
        // SAFETY: the lock is held: no other reference to the pool exists.
        unsafe { &*self.0.pool.get() }
    }
}

impl DerefMut for PoolGuard {
    fn deref_mut(&mut self) -> &mut Pool {
        // SAFETY: as in deref().
        unsafe { &mut *self.0.pool.get() }
    }
}

impl Drop for PoolGuard {
    #[inline]
    fn drop(&mut self) {
        self.0.held.store(false, Ordering::Release);
    }
}

impl Pool {
    /// A slot for a new bitmask, marked `state`; `None` when no memory can
    /// be mapped. Its value is uninitialised.
    #[inline]
    fn take(&mut self, state: State) -> Option<NonNull<Slot>> {
        let slot = if self.free != 0 {
            let slot = self.free as *mut Slot;
            // SAFETY: a free slot in a live region, holding the next free
            // slot's address in its value (see `give`).
            let next = unsafe { (*slot).value.as_ptr().cast::<usize>().read() };
            // C may have written to a freed bitmask: a link that is no freed
            // slot of ours (never-used ones past `bump` are the bump's to
            // hand out) ends the list; its slots are lost, nothing else.
            let unused = (self.bump..self.end).contains(&next);
            let valid = next == 0
                || !unused
                    && self
                        .slot_at(next.wrapping_add(VALUE), State::Free)
                        .is_some();
            self.free = if valid { next } else { 0 };
            slot
        } else {
            if self.bump == self.end && !self.map_region() {
                return None;
            }
            let slot = self.bump as *mut Slot;
            self.bump += SLOT;
            slot
        };
        // SAFETY: a slot of a live region that nothing else refers to.
        unsafe { (*slot).state = state };
        NonNull::new(slot)
    }

    /// Frees `slot`, whose value has been dropped.
    ///
    /// # Safety
    /// `slot` is a slot of this pool that nothing refers to any more.
    #[inline]
    unsafe fn give(&mut self, slot: *mut Slot) {
        // SAFETY: forwarded contract; a slot's value has room for a usize.
        unsafe {
            (*slot).state = State::Free;
            (*slot).value.as_mut_ptr().cast::<usize>().write(self.free);
        }
        self.free = slot as usize;
    }

    /// The slot whose value is at `addr`, when that is a slot of ours
    /// marked `state`. Only our own memory is read.
    #[inline]
    fn slot_at(&self, addr: usize, state: State) -> Option<*mut Slot> {
        let regions = self.regions.get(..self.mapped)?;
        let &(base, _) = regions
            .iter()
            .find(|&&(base, len)| addr.wrapping_sub(base) < len)?;
        let at = addr.wrapping_sub(base);
        if at % SLOT != VALUE {
            return None;
        }
        let slot = (addr - VALUE) as *mut Slot;
        // SAFETY: a slot of a live region (possibly never used: zero, Free).
        (unsafe { (*slot).state } == state).then_some(slot)
    }

    /// Maps the next region; `false` when the kernel refuses it.
    #[cold]
    #[inline(never)]
    fn map_region(&mut self) -> bool {
        let Some(len) = (self.mapped < MAX_REGIONS)
            .then(|| FIRST_REGION.checked_mul(1 << self.mapped))
            .flatten()
        else {
            return false;
        };
        // SAFETY: a fresh anonymous private mapping: no other memory is
        // touched.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return false;
        }
        self.regions[self.mapped] = (base as usize, len);
        self.mapped += 1;
        self.bump = base as usize;
        self.end = base as usize + len;
        true
    }
}

/// Puts `b` in a new slot marked `state`; its value's address, or `None`
/// with `b` dropped when memory is short.
fn place(b: Bitmask, state: State) -> Option<NonNull<Bitmask>> {
    // The value is written under the lock: a stale pointer C passes to
    // `destroy` meanwhile must not find the slot marked and its value unset.
    let mut pool = pool();
    let slot = pool.take(state)?;
    // SAFETY: the slot is ours alone until its address is handed out.
    unsafe {
        let value = &mut (*slot.as_ptr()).value;
        value.write(b);
        Some(NonNull::from(value.assume_init_mut()))
    }
}

/// The slot of a value handed out by [`place`].
#[inline]
fn slot_of(value: NonNull<Bitmask>) -> *mut Slot {
    (value.as_ptr() as usize - VALUE) as *mut Slot
}

/// A bitmask in the pool, owned like a `Box<Bitmask>`: an object's labels.
/// Transparent, so that all-zero bytes are a valid `Option<BitmaskBox>`
/// (`None`), as zeroed objects need.
///
/// cbindgen:ignore
#[repr(transparent)]
pub struct BitmaskBox(NonNull<Bitmask>);

// SAFETY: a BitmaskBox owns its bitmask alone, as a Box does; the pool's
// shared state is behind its lock.
unsafe impl Send for BitmaskBox {}
// SAFETY: as above; `&BitmaskBox` gives only `&Bitmask`.
unsafe impl Sync for BitmaskBox {}

impl BitmaskBox {
    /// Puts `b` in the pool, or [`NoMemory`] when no memory can be mapped.
    pub fn new(b: Bitmask) -> Result<BitmaskBox, NoMemory> {
        place(b, State::Owned).map(BitmaskBox).ok_or(NoMemory)
    }

    /// A copy in a slot of its own.
    pub fn try_clone(&self) -> Result<BitmaskBox, NoMemory> {
        BitmaskBox::new((**self).try_clone().map_err(|_| NoMemory)?)
    }

    /// Where the bitmask is: what C is given as the labels' pointer.
    pub fn as_ptr(&self) -> *const Bitmask {
        self.0.as_ptr()
    }
}

impl Deref for BitmaskBox {
    type Target = Bitmask;

    #[inline]
    fn deref(&self) -> &Bitmask {
        // SAFETY: the value lives until this box is dropped.
        unsafe { self.0.as_ref() }
    }
}

impl DerefMut for BitmaskBox {
    #[inline]
    fn deref_mut(&mut self) -> &mut Bitmask {
        // SAFETY: as in deref(), and this box is its only owner.
        unsafe { self.0.as_mut() }
    }
}

impl Drop for BitmaskBox {
    fn drop(&mut self) {
        // SAFETY: the value is live and owned by this box alone; once it is
        // dropped the slot is referred to by nothing.
        unsafe {
            self.0.as_ptr().drop_in_place();
            pool().give(slot_of(self.0));
        }
    }
}

impl Clone for BitmaskBox {
    /// An infallible copy, for Rust callers (aborts when memory is short, as
    /// `Box::clone` does); C paths use [`BitmaskBox::try_clone`].
    fn clone(&self) -> Self {
        self.try_clone()
            .unwrap_or_else(|_| std::alloc::handle_alloc_error(std::alloc::Layout::new::<Slot>()))
    }
}

impl PartialEq for BitmaskBox {
    fn eq(&self, o: &Self) -> bool {
        **self == **o
    }
}

impl std::fmt::Debug for BitmaskBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// Hands `b` to C as a loose bitmask (`nfct_bitmask_new`); `None` when
/// memory is short.
pub(crate) fn hand_out(b: Bitmask) -> Option<*mut Bitmask> {
    place(b, State::Loose).map(NonNull::as_ptr)
}

/// Takes the loose bitmask at `p` back from C; `None` when `p` is no loose
/// bitmask of ours (NULL, foreign, freed, or owned by an object). Nothing
/// at `p` is read unless it is a slot of ours.
pub(crate) fn take_back(p: *const Bitmask) -> Option<BitmaskBox> {
    let pool = pool();
    let slot = pool.slot_at(p as usize, State::Loose)?;
    // SAFETY: the slot is ours and marked Loose, and the lock is held: its
    // value is live and nothing else owns it.
    unsafe { (*slot).state = State::Owned };
    drop(pool);
    NonNull::new(p as *mut Bitmask).map(BitmaskBox)
}

/// Frees the loose bitmask at `p`; nothing for any other pointer (which is
/// not read).
pub(crate) fn destroy(p: *mut Bitmask) {
    let mut pool = pool();
    let Some(slot) = pool.slot_at(p as usize, State::Loose) else {
        return;
    };
    // SAFETY: a loose slot's value is live and owned by nobody else: it is
    // moved out, and then nothing refers to the slot.
    let value = unsafe {
        let value = p.read();
        pool.give(slot);
        value
    };
    // Dropped (its heap words freed) once the lock is released.
    drop(pool);
    drop(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(n: u32) -> Bitmask {
        let mut b = Bitmask::new(127).unwrap();
        b.set(n);
        b
    }

    #[test]
    fn a_free_list_link_that_c_overwrote_is_not_followed() {
        // A pool of the test's own, so that no other test shares its slots.
        let mut pool = Pool {
            regions: [(0, 0); MAX_REGIONS],
            mapped: 0,
            bump: 0,
            end: 0,
            free: 0,
        };
        let a = pool.take(State::Owned).unwrap().as_ptr();
        let b = pool.take(State::Owned).unwrap().as_ptr();
        // SAFETY: slots of this pool that nothing refers to; writing into a
        // freed one's value is the use after free a C program may do.
        unsafe {
            pool.give(b);
            pool.give(a);
            // Links to: a never-used slot (the bump's), a foreign address,
            // a slot's header rather than its value.
            for link in [pool.bump, 0x1000, b as usize + VALUE] {
                let head = pool.free as *mut Slot;
                (*head).value.as_mut_ptr().cast::<usize>().write(link);
                let taken = pool.take(State::Owned).unwrap().as_ptr();
                assert_eq!(taken, head, "{link:#x}");
                assert_eq!(pool.free, 0, "{link:#x} was followed");
                pool.give(taken);
            }
        }
        let bumped = pool.bump;
        let fresh = pool.take(State::Owned).unwrap().as_ptr();
        assert_eq!(fresh as usize, a as usize, "the freed slot first");
        assert_eq!(pool.take(State::Owned).unwrap().as_ptr() as usize, bumped);
    }

    #[test]
    fn loose_bitmasks_are_taken_back_once() {
        let p = hand_out(bits(3)).unwrap();
        let b = take_back(p).expect("loose");
        assert!(b.test(3));
        assert!(take_back(p).is_none(), "owned now");
        destroy(p);
        assert!(b.test(3), "an owned bitmask is not destroyed");
        drop(b);
    }

    #[test]
    fn foreign_and_misaligned_pointers_are_not_ours() {
        let mine = hand_out(bits(1)).unwrap();
        let local = bits(1);
        for p in [
            std::ptr::null(),
            &local as *const Bitmask,
            (mine as usize + 4) as *const Bitmask,
            (mine as usize - VALUE) as *const Bitmask,
            usize::MAX as *const Bitmask,
        ] {
            assert!(take_back(p).is_none(), "{p:?}");
            destroy(p as *mut Bitmask);
        }
        assert!(take_back(mine).is_some());
    }

    #[test]
    fn freed_slots_are_reused_and_regions_grow() {
        // More than the first region holds, alive at once.
        let boxes: Vec<BitmaskBox> = (0..5000)
            .map(|i| BitmaskBox::new(bits(i % 128)).unwrap())
            .collect();
        for (i, b) in boxes.iter().enumerate() {
            assert!(b.test(i as u32 % 128));
        }
        let c = boxes[10].try_clone().unwrap();
        assert_eq!(c, boxes[10]);
        drop(boxes);
        // A large bitmask owns heap words, dropped with its slot.
        let big = BitmaskBox::new(Bitmask::new(4000).unwrap()).unwrap();
        assert_eq!(big.maxbit(), 4031);
        drop(big);
        let again = hand_out(bits(5)).unwrap();
        assert!(take_back(again).is_some());
    }
}
