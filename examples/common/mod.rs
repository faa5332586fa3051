//! Argument parsing shared by the examples (not an example itself).

/// A number, decimal or `0x` hexadecimal.
pub fn number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// `VALUE[/MASK]` (the mask defaults to all bits), as `conntrack --mark`.
pub fn value_mask(s: &str) -> Option<(u32, u32)> {
    match s.split_once('/') {
        Some((v, m)) => Some((number(v)?, number(m)?)),
        None => Some((number(s)?, u32::MAX)),
    }
}
