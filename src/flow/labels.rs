//! Connection labels (a set of up to 128 bits) and label maps (names of the
//! bits, as in `/etc/xtables/connlabel.conf`).

use std::path::Path;

use crate::bitmask::Bitmask;
use crate::error::{Error, Result};
use crate::labels::{self, LabelMap as Map};

/// The connection labels of an entry: bits 0 to 127 (the kernel's limit).
///
/// ```
/// use netfilter_conntrack::Labels;
///
/// let l = Labels::EMPTY.with(3).with(100);
/// assert!(l.contains(3) && l.contains(100) && !l.contains(4));
/// assert_eq!(l.iter().collect::<Vec<_>>(), [3, 100]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Labels(pub u128);

impl Labels {
    /// No label.
    pub const EMPTY: Labels = Labels(0);

    /// Whether label `bit` is set (`false` past bit 127).
    pub fn contains(&self, bit: u32) -> bool {
        bit < 128 && self.0 & (1 << bit) != 0
    }

    /// These labels and label `bit` (ignored past bit 127).
    pub fn with(self, bit: u32) -> Labels {
        if bit < 128 {
            Labels(self.0 | 1 << bit)
        } else {
            self
        }
    }

    /// The set bits, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..128).filter(|b| self.contains(*b))
    }

    /// The labels of a bitmask (bits past 127 are dropped).
    pub(crate) fn from_bitmask(b: &Bitmask) -> Labels {
        let mut v = 0u128;
        for (i, w) in b.words().iter().take(4).enumerate() {
            v |= u128::from(*w) << (32 * i);
        }
        Labels(v)
    }

    /// The 128-bit bitmask of these labels.
    pub(crate) fn to_bitmask(self) -> Bitmask {
        let w = |i: u32| (self.0 >> (32 * i)) as u32;
        Bitmask::from_words(&[w(0), w(1), w(2), w(3)])
    }
}

/// Names of connection label bits, read from a label map file
/// (`/etc/xtables/connlabel.conf` by default): lines of `bit name`.
#[derive(Clone, Debug)]
pub struct LabelMap(pub(crate) Map);

impl LabelMap {
    /// Reads the default file (`/etc/xtables/connlabel.conf`).
    pub fn from_default_file() -> Result<LabelMap> {
        Map::from_default_file()
            .map(LabelMap)
            .map_err(|e| Error::new(e.errno(), "label map"))
    }

    /// Reads the label map file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<LabelMap> {
        Map::from_file(path)
            .map(LabelMap)
            .map_err(|e| Error::new(e.errno(), "label map"))
    }

    /// Parses the contents of a label map file (`EINVAL` when no line is
    /// valid).
    ///
    /// ```
    /// use netfilter_conntrack::LabelMap;
    ///
    /// let map = LabelMap::parse("0 eth0-in\n1 eth1-in\n").unwrap();
    /// assert_eq!(map.name(1), Some("eth1-in"));
    /// assert_eq!(map.bit("eth0-in"), Some(0));
    /// ```
    pub fn parse(text: &str) -> Result<LabelMap> {
        Map::parse(text.as_bytes())
            .map(LabelMap)
            .ok_or(Error::new(libc::EINVAL, "label map"))
    }

    /// The path of the default file.
    pub fn default_path() -> &'static Path {
        Path::new(labels::DEFAULT_PATH)
    }

    /// The name of label `bit`, if it has one.
    pub fn name(&self, bit: u32) -> Option<&str> {
        self.0
            .name(bit)
            .and_then(|n| n.to_str().ok())
            .filter(|n| !n.is_empty())
    }

    /// The bit named `name`.
    pub fn bit(&self, name: &str) -> Option<u32> {
        self.0.bit(name.as_bytes())
    }

    /// The names of the labels in `labels` that have one.
    pub fn names<'a>(&'a self, labels: &'a Labels) -> impl Iterator<Item = &'a str> + 'a {
        labels.iter().filter_map(|b| self.name(b))
    }
}
