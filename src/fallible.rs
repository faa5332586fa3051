//! Allocation that reports an exhausted heap instead of ending the process.
//!
//! Rust's `Box::new`, `Vec::push` and `clone()` abort when the heap refuses
//! them; a C library must return an error instead (the reference's callers
//! expect `NULL` with `ENOMEM`, or the value simply missing). Every
//! allocation on a C call path goes through these helpers: [`TryVec`] for
//! what is built step by step (it stops growing once the heap refused, and
//! says so at the end), the copying helpers and [`HeapBox`] for the rest.

use std::ffi::{CStr, CString};
use std::fmt;
use std::ops::{Deref, DerefMut};

/// The heap refused memory (`ENOMEM`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoMemory;

/// A vector that drops what it cannot store and says so at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TryVec<T> {
    items: Vec<T>,
    oom: bool,
}

impl<T> Default for TryVec<T> {
    fn default() -> Self {
        TryVec {
            items: Vec::new(),
            oom: false,
        }
    }
}

impl<T> TryVec<T> {
    /// An empty vector (allocates nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty vector with room for `n` items, if the heap gives it.
    pub fn with_capacity(n: usize) -> Self {
        let mut v = Self::new();
        v.room(n);
        v
    }

    /// Makes room for `extra` more items; `false` once the heap refused.
    fn room(&mut self, extra: usize) -> bool {
        if !self.oom && self.items.try_reserve(extra).is_err() {
            self.oom = true;
        }
        !self.oom
    }

    /// Appends `v`, or drops it when there is no memory for it.
    pub fn push(&mut self, v: T) {
        if self.room(1) {
            self.items.push(v);
        }
    }

    /// Appends the items of `vs`, or none of them when there is no memory.
    pub fn extend_from_slice(&mut self, vs: &[T])
    where
        T: Clone,
    {
        if self.room(vs.len()) {
            self.items.extend_from_slice(vs);
        }
    }

    /// The items stored.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// How many items are stored.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether an item was dropped because memory ran out.
    pub fn out_of_memory(&self) -> bool {
        self.oom
    }

    /// The items stored, and whether any was dropped for want of memory.
    pub fn into_parts(self) -> (Vec<T>, bool) {
        (self.items, self.oom)
    }

    /// The items, or [`NoMemory`] if any was dropped.
    pub fn into_vec(self) -> Result<Vec<T>, NoMemory> {
        if self.oom {
            Err(NoMemory)
        } else {
            Ok(self.items)
        }
    }
}

/// A vector with room for exactly `n` elements, or [`NoMemory`].
pub fn vec_with_capacity<T>(n: usize) -> Result<Vec<T>, NoMemory> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| NoMemory)?;
    Ok(v)
}

/// A heap copy of `items`. The vector is reserved exactly, so turning it
/// into a boxed slice never reallocates.
pub fn boxed_slice<T: Clone>(items: &[T]) -> Result<Box<[T]>, NoMemory> {
    let mut v = vec_with_capacity(items.len())?;
    v.extend_from_slice(items);
    Ok(v.into_boxed_slice())
}

/// A heap copy of a C string.
pub fn boxed_cstr(s: &CStr) -> Result<Box<CStr>, NoMemory> {
    let bytes = boxed_slice(s.to_bytes_with_nul())?;
    // The bytes are a C string's, with exactly one NUL, at the end.
    let s = CString::from_vec_with_nul(bytes.into_vec()).map_err(|_| NoMemory)?;
    Ok(s.into_boxed_c_str())
}

/// A heap C string of `bytes` (which hold no NUL) and a terminating NUL.
pub fn cstr_from_bytes(bytes: &[u8]) -> Result<Box<CStr>, NoMemory> {
    let mut v = vec_with_capacity(bytes.len() + 1)?;
    v.extend_from_slice(bytes);
    v.push(0);
    let s = CString::from_vec_with_nul(v).map_err(|_| NoMemory)?;
    Ok(s.into_boxed_c_str())
}

/// A heap copy of the first `len` bytes of `data`, followed by zeros when
/// `data` is shorter.
pub fn padded(data: &[u8], len: usize) -> Result<Box<[u8]>, NoMemory> {
    let mut v = vec_with_capacity(len)?;
    v.extend_from_slice(&data[..len.min(data.len())]);
    v.resize(len, 0);
    Ok(v.into_boxed_slice())
}

/// A value on the heap at a stable address, like `Box<T>`, but made by
/// [`HeapBox::new`], which reports an exhausted heap instead of aborting.
///
/// (Stable Rust has no fallible `Box::new`; a one-element array allocated
/// through a vector is the same allocation, reached without `unsafe`.)
pub struct HeapBox<T>(Box<[T; 1]>);

impl<T> HeapBox<T> {
    /// Moves `value` to the heap, or gives it back inside the error when the
    /// heap refuses.
    pub fn new(value: T) -> Result<Self, NoMemory> {
        let mut v = vec_with_capacity(1)?;
        v.push(value);
        let one: Box<[T; 1]> = v.into_boxed_slice().try_into().map_err(|_| NoMemory)?;
        Ok(HeapBox(one))
    }
}

impl<T> Deref for HeapBox<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0[0]
    }
}

impl<T> DerefMut for HeapBox<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0[0]
    }
}

impl<T: Clone> Clone for HeapBox<T> {
    /// An infallible copy, for Rust callers (aborts when the heap refuses,
    /// as `Box::clone` does); C paths use [`HeapBox::try_clone_with`].
    fn clone(&self) -> Self {
        HeapBox(self.0.clone())
    }
}

impl<T: fmt::Debug> fmt::Debug for HeapBox<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: PartialEq> PartialEq for HeapBox<T> {
    fn eq(&self, o: &Self) -> bool {
        **self == **o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_like_a_vec() {
        let mut v = TryVec::with_capacity(2);
        for i in 0..100 {
            v.push(i);
        }
        v.extend_from_slice(&[7, 8]);
        assert_eq!(v.len(), 102);
        assert!(!v.out_of_memory() && !v.is_empty());
        assert_eq!(&v.as_slice()[98..], [98, 99, 7, 8]);
        assert_eq!(v.into_vec().unwrap().len(), 102);
    }

    /// A request the heap cannot meet (more than `isize::MAX` bytes) is
    /// refused without aborting, and everything after it is dropped.
    #[test]
    fn refusal_is_sticky() {
        let mut v = TryVec::<u64>::new();
        v.push(1);
        v.extend_from_slice(&[2]);
        let mut big = TryVec::<u64>::with_capacity(usize::MAX / 4);
        assert!(big.out_of_memory());
        big.push(3);
        assert!(big.is_empty());
        assert_eq!(big.into_vec(), Err(NoMemory));
        assert_eq!(v.into_vec(), Ok(vec![1, 2]));
    }

    #[test]
    fn copies_are_equal_and_separate() {
        let b = HeapBox::new([1u32, 2, 3]).unwrap();
        let c = b.clone();
        assert_eq!(*b, *c);
        assert!(!std::ptr::eq(&*b, &*c));
        assert_eq!(&*boxed_slice(&[4u8, 5]).unwrap(), &[4, 5]);
        assert_eq!(&*boxed_cstr(c"abc").unwrap(), c"abc");
        assert_eq!(&*cstr_from_bytes(b"abc").unwrap(), c"abc");
        assert_eq!(&*padded(b"abcd", 2).unwrap(), b"ab");
        assert_eq!(&*padded(b"ab", 4).unwrap(), b"ab\0\0");
    }
}
