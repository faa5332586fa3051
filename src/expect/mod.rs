//! The expectation object (`struct nf_expect`) and everything done to it.

pub mod attr;
/// cbindgen:ignore
pub mod build;
pub mod compare;
/// cbindgen:ignore
pub mod layout;
/// cbindgen:ignore
pub mod object;
/// cbindgen:ignore
pub mod parse;
/// cbindgen:ignore
pub mod print;
/// cbindgen:ignore
pub mod request;

pub use attr::ExpAttr;
pub use object::Expect;
