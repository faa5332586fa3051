//! A drop-in replacement for libnetfilter_conntrack, written in Rust.
//!
//! The crate builds `libnetfilter_conntrack.so.3` (a C ABI compatible with
//! libnetfilter_conntrack 1.1.1) and an rlib for Rust users and tests.
//! The safe core lives in the object modules; `ffi/` is the only place that
//! sees C pointers.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod api;
/// cbindgen:ignore
pub mod bitmask;
pub mod conntrack;
/// cbindgen:ignore
pub mod ctnetlink;
pub mod expect;
/// cbindgen:ignore
pub mod fallible;
pub mod ffi;
/// cbindgen:ignore
pub mod handle;
/// cbindgen:ignore
pub mod labels;
/// cbindgen:ignore
pub mod netlink;
