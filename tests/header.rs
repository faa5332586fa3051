//! The committed public header is the one the Rust sources generate.
//!
//! build.rs writes the cbindgen output to `$OUT_DIR`; `make header` copies it
//! to `include/`, where C programs, `make install` and the ABI checks find it.
//! This test fails while that copy is stale.

/// The header generated from the sources of this build.
const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/libnetfilter_conntrack.h"));

/// The header committed in `include/`.
const COMMITTED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/include/libnetfilter_conntrack/libnetfilter_conntrack.h"
));

#[test]
fn committed_header_is_current() {
    if GENERATED == COMMITTED {
        return;
    }
    let (mut gen, mut com) = (GENERATED.lines(), COMMITTED.lines());
    let mut line = 1;
    let (g, c) = loop {
        match (gen.next(), com.next()) {
            (Some(g), Some(c)) if g == c => line += 1,
            (g, c) => break (g.unwrap_or("<end of file>"), c.unwrap_or("<end of file>")),
        }
    };
    panic!(
        "include/libnetfilter_conntrack/libnetfilter_conntrack.h is stale: \
         run `make header` and commit the result.\n\
         First difference at line {line}:\n  generated: {g}\n  committed: {c}"
    );
}
