//! `struct nfct_bitmask`: a fixed-size set of bits, used for connection labels.

/// A bitmask of `maxbit + 1` bits, stored in 32-bit words as the kernel sends
/// connection labels (bit `n` lives in word `n / 32`, at position `n % 32`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmask {
    words: Box<[u32]>,
}

/// Why no bitmask was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitmaskError {
    /// More bits than [`Bitmask::MAXBIT_LIMIT`] allows.
    TooLarge,
    /// The heap could not supply the words.
    OutOfMemory,
}

impl Bitmask {
    /// A bitmask that can hold bits `0..=maxbit`, all clear.
    ///
    /// Fails past [`Bitmask::MAXBIT_LIMIT`], the reference's limit, and
    /// when the heap cannot supply the words.
    pub fn new(maxbit: u32) -> Result<Self, BitmaskError> {
        if maxbit > Self::MAXBIT_LIMIT {
            return Err(BitmaskError::TooLarge);
        }
        let len = maxbit as usize / 32 + 1;
        let mut words = Vec::new();
        words
            .try_reserve_exact(len)
            .map_err(|_| BitmaskError::OutOfMemory)?;
        words.resize(len, 0);
        Ok(Bitmask {
            words: words.into_boxed_slice(),
        })
    }

    /// A copy, or [`BitmaskError::OutOfMemory`] when the heap cannot supply
    /// it (where `clone()` would abort the process).
    pub fn try_clone(&self) -> Result<Self, BitmaskError> {
        let mut words = Vec::new();
        words
            .try_reserve_exact(self.words.len())
            .map_err(|_| BitmaskError::OutOfMemory)?;
        words.extend_from_slice(&self.words);
        Ok(Bitmask {
            words: words.into_boxed_slice(),
        })
    }

    /// The largest `maxbit` that [`Bitmask::new`] accepts.
    pub const MAXBIT_LIMIT: u32 = 0xffff;

    /// A bitmask holding exactly the given words.
    pub fn from_words(words: &[u32]) -> Self {
        Bitmask {
            words: words.into(),
        }
    }

    /// Fills the words from `bytes`, the label bytes as the kernel sends
    /// them (byte `i` is byte `i % 4` of word `i / 4` in memory); bytes past
    /// the words are ignored.
    pub fn fill_from_bytes(&mut self, bytes: &[u8]) {
        for (w, chunk) in self.words.iter_mut().zip(bytes.chunks(4)) {
            let mut b = w.to_ne_bytes();
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u32::from_ne_bytes(b);
        }
    }

    /// The highest bit number this bitmask can hold.
    pub fn maxbit(&self) -> u32 {
        (self.words.len() as u32).wrapping_mul(32).wrapping_sub(1)
    }

    /// The words, least significant bits first.
    pub fn words(&self) -> &[u32] {
        &self.words
    }

    /// Sets `bit`; bits past `maxbit` are ignored.
    pub fn set(&mut self, bit: u32) {
        if let Some(w) = self.words.get_mut(bit as usize / 32) {
            *w |= 1 << (bit % 32);
        }
    }

    /// Clears `bit`; bits past `maxbit` are ignored.
    pub fn unset(&mut self, bit: u32) {
        if let Some(w) = self.words.get_mut(bit as usize / 32) {
            *w &= !(1 << (bit % 32));
        }
    }

    /// Whether `bit` is set; bits past `maxbit` are never set.
    pub fn test(&self, bit: u32) -> bool {
        self.words
            .get(bit as usize / 32)
            .is_some_and(|w| w & (1 << (bit % 32)) != 0)
    }

    /// Clears every bit.
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    /// Whether both hold the same bits; sizes must match too (as in the C API).
    pub fn equal(&self, other: &Bitmask) -> bool {
        self.words == other.words
    }

    /// Whether both hold the same bits, where bits past the smaller one's end
    /// count as clear (how conntrack objects compare their labels).
    pub fn same_bits(&self, other: &Bitmask) -> bool {
        let (short, long) = if self.words.len() <= other.words.len() {
            (&self.words, &other.words)
        } else {
            (&other.words, &self.words)
        };
        long[short.len()..].iter().all(|&w| w == 0) && long[..short.len()] == short[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_words() {
        assert_eq!(Bitmask::new(0).unwrap().maxbit(), 31);
        assert_eq!(Bitmask::new(31).unwrap().maxbit(), 31);
        assert_eq!(Bitmask::new(32).unwrap().maxbit(), 63);
        assert_eq!(Bitmask::new(127).unwrap().words().len(), 4);
        assert_eq!(Bitmask::new(0xffff).unwrap().maxbit(), 0xffff);
        assert_eq!(Bitmask::new(0x10000), Err(BitmaskError::TooLarge));
        let b = Bitmask::new(100).unwrap();
        assert_eq!(b.try_clone(), Ok(b));
    }

    #[test]
    fn set_test_unset_clear() {
        let mut b = Bitmask::new(127).unwrap();
        b.set(0);
        b.set(33);
        b.set(127);
        b.set(128); // out of range: ignored
        assert!(b.test(0) && b.test(33) && b.test(127));
        assert!(!b.test(1) && !b.test(128) && !b.test(u32::MAX));
        assert_eq!(b.words(), &[1, 2, 0, 1 << 31]);
        b.unset(33);
        assert!(!b.test(33));
        b.clear();
        assert_eq!(b.words(), &[0, 0, 0, 0]);
    }

    #[test]
    fn equality_rules() {
        let mut a = Bitmask::new(31).unwrap();
        let mut b = Bitmask::new(63).unwrap();
        assert!(!a.equal(&b));
        assert!(a.same_bits(&b));
        a.set(3);
        b.set(3);
        assert!(a.same_bits(&b) && b.same_bits(&a));
        b.set(40);
        assert!(!a.same_bits(&b) && !b.same_bits(&a));
        assert!(a.equal(&a.clone()));
    }
}
