//! bench/peers: the whole table dumped through the Rust API into typed
//! flows (`Conntrack::dump`), counted per family. Prints `flows N` (and
//! `ipv4 N ipv6 N`) so the runner can check that every entry arrived.
//!
//! Built as the example `peers_dump` (see Cargo.toml); run by bench/peers/run.

use netfilter_conntrack::{Conntrack, Family, Result};

fn main() -> Result<()> {
    let mut ct = Conntrack::open()?;
    let (mut v4, mut v6, mut ports) = (0u64, 0u64, 0u64);
    for flow in ct.dump()? {
        let flow = flow?;
        match flow.orig.family() {
            Family::Ipv4 => v4 += 1,
            Family::Ipv6 => v6 += 1,
        }
        // Touch the typed data, as a client would.
        ports += flow.orig.proto.ports().map_or(0, |p| u64::from(p.dst));
    }
    println!("flows {} ipv4 {v4} ipv6 {v6} ports {ports}", v4 + v6);
    Ok(())
}
