//! Lists the connection-tracking table as `conntrack -L` does.
//!
//! ```text
//! list [--xml] [--family ipv4|ipv6] [--mark VALUE[/MASK]]
//! ```
//!
//! Each entry is printed on its own line (or as one XML `<flow>` element);
//! the number of entries goes to standard error.

mod common;

use netfilter_conntrack::{Conntrack, DumpFilter, Family, Result};

fn usage() -> ! {
    eprintln!("usage: list [--xml] [--family ipv4|ipv6] [--mark VALUE[/MASK]]");
    std::process::exit(2)
}

fn main() -> Result<()> {
    let mut xml = false;
    let mut filter = None::<DumpFilter>;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--xml" => xml = true,
            "--family" => {
                let family = match args.next().as_deref() {
                    Some("ipv4") => Family::Ipv4,
                    Some("ipv6") => Family::Ipv6,
                    _ => usage(),
                };
                filter = Some(filter.unwrap_or_default().family(family));
            }
            "--mark" => {
                let spec = args.next().unwrap_or_else(|| usage());
                let (value, mask) = common::value_mask(&spec).unwrap_or_else(|| usage());
                filter = Some(filter.unwrap_or_default().mark(value, mask));
            }
            _ => usage(),
        }
    }
    let mut ct = Conntrack::open()?;
    let dump = match &filter {
        Some(f) => ct.dump_filtered(f)?,
        None => ct.dump()?,
    };
    let mut n = 0;
    for flow in dump {
        let flow = flow?;
        if xml {
            println!("{}", flow.xml());
        } else {
            println!("{flow}");
        }
        n += 1;
    }
    eprintln!("{n} flow entries have been shown.");
    Ok(())
}
