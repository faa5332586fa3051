//! `struct nfct_bitmask`: a fixed-size set of bits, used for connection labels.

/// Words kept in place, without an allocation of their own: 128 bits, the
/// size of the kernel's connection labels.
const INLINE_WORDS: usize = 4;

/// A bitmask of `maxbit + 1` bits, stored in 32-bit words as the kernel sends
/// connection labels (bit `n` lives in word `n / 32`, at position `n % 32`).
///
/// Up to 128 bits live in the value itself, so that a bitmask handed to C
/// is one allocation of 24 bytes (the reference's is one of 20); larger
/// ones keep their words on the heap.
#[derive(Clone, Debug)]
pub struct Bitmask {
    words: Words,
}

/// Where a bitmask's words are. Both variants keep `maxbit` (a multiple of
/// 32, minus 1) in the same place, so that reading it needs no branch.
#[derive(Clone, Debug)]
enum Words {
    /// `maxbit / 32 + 1` (1..=4) words at the start of `words`; the others
    /// stay zero, so that two bitmasks of the same size compare as whole
    /// arrays, and testing or clearing a bit there needs no size check.
    Inline {
        maxbit: u32,
        words: [u32; INLINE_WORDS],
    },
    /// More than [`INLINE_WORDS`] words.
    Heap { maxbit: u32, words: Box<[u32]> },
}

/// Why no bitmask was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitmaskError {
    /// More bits than [`Bitmask::MAXBIT_LIMIT`] allows.
    TooLarge,
    /// The heap could not supply the words.
    OutOfMemory,
}

/// The `maxbit` of `len` words.
fn maxbit_of(len: usize) -> u32 {
    (len as u32).wrapping_mul(32).wrapping_sub(1)
}

impl Bitmask {
    /// A bitmask that can hold bits `0..=maxbit`, all clear.
    ///
    /// Fails past [`Bitmask::MAXBIT_LIMIT`], the reference's limit, and
    /// when the heap cannot supply the words.
    #[inline]
    pub fn new(maxbit: u32) -> Result<Self, BitmaskError> {
        if maxbit > Self::MAXBIT_LIMIT {
            return Err(BitmaskError::TooLarge);
        }
        let len = maxbit as usize / 32 + 1;
        if len <= INLINE_WORDS {
            return Ok(Bitmask {
                words: Words::Inline {
                    maxbit: maxbit_of(len),
                    words: [0; INLINE_WORDS],
                },
            });
        }
        Self::on_heap(len, |v| v.resize(len, 0))
    }

    /// A bitmask of `len` words on the heap, filled by `fill`.
    fn on_heap(len: usize, fill: impl FnOnce(&mut Vec<u32>)) -> Result<Self, BitmaskError> {
        let mut words = Vec::new();
        words
            .try_reserve_exact(len)
            .map_err(|_| BitmaskError::OutOfMemory)?;
        fill(&mut words);
        Ok(Bitmask {
            words: Words::Heap {
                maxbit: maxbit_of(len),
                words: words.into_boxed_slice(),
            },
        })
    }

    /// A copy, or [`BitmaskError::OutOfMemory`] when the heap cannot supply
    /// it (where `clone()` would abort the process).
    #[inline]
    pub fn try_clone(&self) -> Result<Self, BitmaskError> {
        match &self.words {
            Words::Inline { .. } => Ok(self.clone()),
            Words::Heap { words, .. } => Self::on_heap(words.len(), |v| v.extend_from_slice(words)),
        }
    }

    /// A one-word bitmask, all clear: a placeholder that owns no memory.
    pub const EMPTY: Bitmask = Bitmask {
        words: Words::Inline {
            maxbit: 31,
            words: [0; INLINE_WORDS],
        },
    };

    /// The largest `maxbit` that [`Bitmask::new`] accepts.
    pub const MAXBIT_LIMIT: u32 = 0xffff;

    /// A bitmask holding exactly the given words (at least one).
    pub fn from_words(words: &[u32]) -> Self {
        let maxbit = maxbit_of(words.len());
        match words.len() {
            len @ 1..=INLINE_WORDS => {
                let mut inline = [0; INLINE_WORDS];
                inline[..len].copy_from_slice(words);
                Bitmask {
                    words: Words::Inline {
                        maxbit,
                        words: inline,
                    },
                }
            }
            _ => Bitmask {
                words: Words::Heap {
                    maxbit,
                    words: words.into(),
                },
            },
        }
    }

    /// Fills the words from `bytes`, the label bytes as the kernel sends
    /// them (byte `i` is byte `i % 4` of word `i / 4` in memory); bytes past
    /// the words are ignored.
    pub fn fill_from_bytes(&mut self, bytes: &[u8]) {
        for (w, chunk) in self.words_mut().iter_mut().zip(bytes.chunks(4)) {
            let mut b = w.to_ne_bytes();
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u32::from_ne_bytes(b);
        }
    }

    /// The highest bit number this bitmask can hold.
    #[inline]
    pub fn maxbit(&self) -> u32 {
        let (Words::Inline { maxbit, .. } | Words::Heap { maxbit, .. }) = &self.words;
        *maxbit
    }

    /// The words, least significant bits first.
    #[inline]
    pub fn words(&self) -> &[u32] {
        match &self.words {
            Words::Inline { maxbit, words } => {
                &words[..(*maxbit as usize / 32 + 1).min(INLINE_WORDS)]
            }
            Words::Heap { words, .. } => words,
        }
    }

    fn words_mut(&mut self) -> &mut [u32] {
        match &mut self.words {
            Words::Inline { maxbit, words } => {
                &mut words[..(*maxbit as usize / 32 + 1).min(INLINE_WORDS)]
            }
            Words::Heap { words, .. } => words,
        }
    }

    /// Sets `bit`; bits past `maxbit` are ignored.
    #[inline]
    pub fn set(&mut self, bit: u32) {
        match &mut self.words {
            // bit <= maxbit < 128: the mask changes nothing, and spares the
            // index check.
            Words::Inline { maxbit, words } if bit <= *maxbit => {
                words[(bit / 32) as usize & (INLINE_WORDS - 1)] |= 1 << (bit % 32)
            }
            Words::Inline { .. } => {}
            Words::Heap { words, .. } => heap_set(words, bit, true),
        }
    }

    /// Clears `bit`; bits past `maxbit` are ignored.
    #[inline]
    pub fn unset(&mut self, bit: u32) {
        match &mut self.words {
            // An unused inline word is zero: clearing a bit there changes
            // nothing, so only the array's size is checked.
            Words::Inline { words, .. } => {
                if let Some(w) = words.get_mut((bit / 32) as usize) {
                    *w &= !(1 << (bit % 32));
                }
            }
            Words::Heap { words, .. } => heap_set(words, bit, false),
        }
    }

    /// Whether `bit` is set; bits past `maxbit` are never set.
    #[inline]
    pub fn test(&self, bit: u32) -> bool {
        match &self.words {
            // An unused inline word is zero: only the array's size is
            // checked.
            Words::Inline { words, .. } => words
                .get((bit / 32) as usize)
                .is_some_and(|w| w & (1 << (bit % 32)) != 0),
            Words::Heap { words, .. } => words
                .get((bit / 32) as usize)
                .is_some_and(|w| w & (1 << (bit % 32)) != 0),
        }
    }

    /// Clears every bit.
    #[inline]
    pub fn clear(&mut self) {
        match &mut self.words {
            Words::Inline { words, .. } => *words = [0; INLINE_WORDS],
            Words::Heap { words, .. } => words.fill(0),
        }
    }

    /// Whether both hold the same bits; sizes must match too (as in the C API).
    #[inline]
    pub fn equal(&self, other: &Bitmask) -> bool {
        match (&self.words, &other.words) {
            (
                Words::Inline {
                    maxbit: a,
                    words: x,
                },
                Words::Inline {
                    maxbit: b,
                    words: y,
                },
            ) => a == b && x == y,
            _ => self.words() == other.words(),
        }
    }

    /// Whether both hold the same bits, where bits past the smaller one's end
    /// count as clear (how conntrack objects compare their labels).
    pub fn same_bits(&self, other: &Bitmask) -> bool {
        let (short, long) = if self.words().len() <= other.words().len() {
            (self.words(), other.words())
        } else {
            (other.words(), self.words())
        };
        long[short.len()..].iter().all(|&w| w == 0) && long[..short.len()] == short[..]
    }
}

/// Sets (`on`) or clears `bit` in heap words; bits past them are ignored.
/// Out of line: the inline case is the one to keep short.
#[cold]
#[inline(never)]
fn heap_set(words: &mut [u32], bit: u32, on: bool) {
    if let Some(w) = words.get_mut((bit / 32) as usize) {
        if on {
            *w |= 1 << (bit % 32);
        } else {
            *w &= !(1 << (bit % 32));
        }
    }
}

impl PartialEq for Bitmask {
    fn eq(&self, other: &Bitmask) -> bool {
        self.equal(other)
    }
}

impl Eq for Bitmask {}

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
    fn large_bitmasks_live_on_the_heap() {
        let mut b = Bitmask::new(200).unwrap();
        assert_eq!((b.maxbit(), b.words().len()), (223, 7));
        assert!(matches!(b.words, Words::Heap { .. }));
        b.set(0);
        b.set(130);
        b.set(223);
        b.set(224); // out of range: ignored
        assert_eq!(b.words(), &[1, 0, 0, 0, 4, 0, 1 << 31]);
        let c = b.try_clone().unwrap();
        assert!(c.equal(&b) && c == b);
        assert_eq!(Bitmask::from_words(b.words()), b);
        b.unset(130);
        assert!(!b.test(130) && !c.equal(&b));
        b.clear();
        assert_eq!(b.words(), &[0; 7]);
        // Inline and heap bitmasks of different lengths differ.
        assert!(!Bitmask::new(127)
            .unwrap()
            .equal(&Bitmask::new(128).unwrap()));
        assert!(Bitmask::new(127)
            .unwrap()
            .same_bits(&Bitmask::new(128).unwrap()));
    }

    #[test]
    fn inline_sizes_and_bytes() {
        for (maxbit, len) in [(0, 1), (63, 2), (95, 3), (127, 4)] {
            let b = Bitmask::new(maxbit).unwrap();
            assert!(matches!(b.words, Words::Inline { .. }));
            assert_eq!(b.words().len(), len);
        }
        let mut b = Bitmask::new(63).unwrap();
        b.fill_from_bytes(&[1, 0, 0, 0x80, 2, 0, 0, 0, 0xff]);
        assert_eq!(b.words(), &[u32::from_ne_bytes([1, 0, 0, 0x80]), 2]);
        // Same words, different lengths: not equal.
        assert!(!Bitmask::from_words(&[1]).equal(&Bitmask::from_words(&[1, 0])));
        assert_eq!(Bitmask::from_words(&[1, 2]), Bitmask::from_words(&[1, 2]));
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
