//! Linux connection tracking (conntrack) over ctnetlink: list, get, create,
//! update, delete, flush and watch the kernel's connection-tracking entries
//! and expectations, from safe Rust.
//!
//! The same crate builds `libnetfilter_conntrack.so.3`, a drop-in
//! replacement for the C library libnetfilter_conntrack 1.1.1; the Rust API
//! runs on the very engine that the C ABI uses (one netlink layer, one
//! parser, one builder, one printer).
//!
//! # Overview
//!
//! - [`Conntrack`]: a ctnetlink socket for requests: [`Conntrack::dump`]
//!   streams the table as [`Flow`]s in bounded memory, [`Conntrack::get`],
//!   [`Conntrack::create`], [`Conntrack::update`], [`Conntrack::delete`],
//!   [`Conntrack::flush`], dump filters ([`DumpFilter`]), expectations
//!   ([`Expectation`]) and statistics ([`Stats`], [`CpuStats`]).
//! - [`Events`]: a socket subscribed to event groups ([`EventGroups`]), an
//!   iterator of [`Event`]s; an overrun of its receive buffer is a distinct,
//!   recoverable error ([`Error::is_overrun`]); [`EventFilter`] has the
//!   kernel drop unwanted events before they are queued.
//! - [`Flow`], [`Tuple`], [`Proto`], [`Status`], [`ProtoInfo`], ...: the
//!   typed model of an entry. A flow displays as `conntrack -L` prints it
//!   (`{}`), and as XML ([`Flow::xml`]).
//! - [`Error`]: one error type, carrying the `errno`.
//!
//! ```no_run
//! use netfilter_conntrack::{Conntrack, Proto};
//!
//! let mut ct = Conntrack::open()?;
//! for flow in ct.dump()? {
//!     let flow = flow?;
//!     if let Proto::Tcp(ports) = flow.orig.proto {
//!         println!("{} -> {}:{}", flow.orig.src, flow.orig.dst, ports.dst);
//!     }
//! }
//! # Ok::<(), netfilter_conntrack::Error>(())
//! ```
//!
//! Every operation needs `CAP_NET_ADMIN` in the network namespace of the
//! socket.
//!
//! # Layout of the crate
//!
//! The public API (this page) lives in `error.rs`, `flow/` (the typed
//! model), `expectation.rs` and `client/` (sockets, requests, dumps, events,
//! filters, statistics). Everything else is the engine shared with the C ABI
//! and is private to the crate: `netlink/` (sockets, messages, attributes),
//! `conntrack/` and `expect/` (objects, parsers, builders, printers,
//! filters), `handle.rs`, `labels.rs`, `bitmask.rs`, and `ffi/` (the only
//! code that sees C pointers).

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

// The Rust API (no C in here: cbindgen skips it).
/// cbindgen:ignore
mod client;
/// cbindgen:ignore
mod error;
/// cbindgen:ignore
mod expectation;
/// cbindgen:ignore
mod flow;

pub use client::dump::Dump;
pub use client::events::{Event, EventGroups, EventKind, Events};
pub use client::filter::{DumpFilter, EventFilter, FilterField, TupleFilter};
pub use client::stats::{CpuStats, ExpectationCpuStats, Stats};
pub use client::Conntrack;
pub use error::{Error, Result};
pub use expectation::{ExpectFlags, Expectation, ExpectationNat};
pub use flow::display::{FlowDisplay, OutputFormat};
pub use flow::labels::{LabelMap, Labels};
pub use flow::protoinfo::{DccpInfo, ProtoInfo, SctpInfo, TcpFlags, TcpInfo, TcpState};
pub use flow::status::Status;
pub use flow::tuple::{Family, Icmp, Ports, Proto, Tuple};
pub use flow::{Counters, Flow, Helper, Nat, SeqAdj, Synproxy, Timestamps};

/// The README's Rust examples compile (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

// The engine, shared with the C ABI. Before the Rust API existed every
// module was public, so the compiler never looked for dead code in them;
// code that only the tests and fuzz targets use (through `internals`) is
// allowed to look unused in a build without that feature.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod api;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod bitmask;
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod conntrack;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod ctnetlink;
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod expect;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod fallible;
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod ffi;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod handle;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod labels;
/// cbindgen:ignore
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub(crate) mod netlink;

/// The engine's modules, for this crate's own integration tests and fuzz
/// targets (cargo feature `internals`, off by default). Not an API: it
/// changes without notice.
///
/// cbindgen:ignore
#[cfg(feature = "internals")]
#[doc(hidden)]
#[allow(missing_docs)]
pub mod internals {
    /// `pub mod m { pub use crate::m::*; }` for each engine module `m`.
    macro_rules! reexport {
        ($($m:ident),*) => {$(
            pub mod $m {
                pub use crate::$m::*;
            }
        )*};
    }
    reexport!(api, bitmask, conntrack, ctnetlink, expect, fallible, ffi, handle, labels, netlink);
}
