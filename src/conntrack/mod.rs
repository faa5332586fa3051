//! The conntrack object and everything done to it.

pub mod attr;
pub mod compare;
pub mod copy;
pub mod group;
/// cbindgen:ignore
pub mod layout;
/// cbindgen:ignore
pub mod object;
pub mod objopt;

pub use attr::Attr;
pub use object::{Conntrack, CtRef, Head, Value};
