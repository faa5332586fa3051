//! The conntrack object and everything done to it.

pub mod attr;
/// cbindgen:ignore
pub mod build;
pub mod compare;
pub mod copy;
pub mod dump_filter;
/// cbindgen:ignore
pub mod filter;
pub mod group;
/// cbindgen:ignore
pub mod layout;
/// cbindgen:ignore
pub mod object;
pub mod objopt;
/// cbindgen:ignore
pub mod parse;
/// cbindgen:ignore
pub mod print;
/// cbindgen:ignore
pub mod request;
/// cbindgen:ignore
pub mod tuple;

pub use attr::Attr;
pub use object::{Conntrack, CtRef, Head, Value};
