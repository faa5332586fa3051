//! Deletes the entries a filter selects, one by one, printing each.
//!
//! ```text
//! delete [--mark VALUE[/MASK]] [--zone ZONE] [--proto NUMBER] [--dport PORT]
//! ```
//!
//! The kernel selects the entries (a filtered dump); each is then deleted
//! by its tuple and zone. One that is gone meanwhile is skipped.

mod common;

use netfilter_conntrack::{Conntrack, DumpFilter, Family, Result, TupleFilter};

fn number(s: &str) -> u32 {
    common::number(s).unwrap_or_else(|| usage())
}

fn usage() -> ! {
    eprintln!("usage: delete [--mark VALUE[/MASK]] [--zone ZONE] [--proto NUMBER] [--dport PORT]");
    std::process::exit(2)
}

fn main() -> Result<()> {
    let mut filter = DumpFilter::new();
    let mut tuple = None::<TupleFilter>;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--mark" => {
                let (v, m) = common::value_mask(&value).unwrap_or_else(|| usage());
                filter = filter.mark(v, m);
            }
            "--zone" => filter = filter.zone(number(&value) as u16),
            "--proto" => {
                let t = tuple.unwrap_or_else(|| TupleFilter::new(Family::Ipv4));
                tuple = Some(t.protocol(number(&value) as u8));
            }
            "--dport" => {
                let t = tuple.unwrap_or_else(|| TupleFilter::new(Family::Ipv4));
                tuple = Some(t.dst_port(number(&value) as u16));
            }
            _ => usage(),
        }
    }
    if let Some(t) = tuple {
        filter = filter.tuple(t);
    }
    let mut ct = Conntrack::open()?;
    // Collect first: a dump and requests cannot share one socket at once.
    let selected: Vec<_> = ct.dump_filtered(&filter)?.collect::<Result<_>>()?;
    let mut deleted = 0;
    for flow in &selected {
        match ct.delete(flow) {
            Ok(()) => {
                println!("deleted {flow}");
                deleted += 1;
            }
            // Gone meanwhile (timed out, or deleted by someone else).
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    eprintln!("{deleted} flow entries deleted.");
    Ok(())
}
