//! Growing a vector without ending the process when the heap refuses.
//!
//! `Vec::push` aborts when memory runs out; a C library must return an error
//! instead. [`TryVec`] grows with `try_reserve`, and once the heap has
//! refused it stops growing and remembers it, so that code which builds
//! something step by step checks once, at the end.

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
}
