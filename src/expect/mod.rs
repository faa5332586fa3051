//! The expectation object (`struct nf_expect`) and everything done to it.

pub mod attr;
pub mod compare;
/// cbindgen:ignore
pub mod layout;
/// cbindgen:ignore
pub mod object;

pub use attr::ExpAttr;
pub use object::{ExpValue, Expect};
