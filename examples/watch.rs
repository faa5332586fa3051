//! Prints connection-tracking events as `conntrack -E` does.
//!
//! ```text
//! watch [--count N] [--proto NUMBER]
//! ```
//!
//! Runs until N events were printed (for ever without `--count`). With
//! `--proto`, the kernel delivers only events of that layer-4 protocol.
//! When events are lost, says so and dumps the table again to
//! resynchronise.

use netfilter_conntrack::{EventFilter, EventGroups, Events, Result};

fn usage() -> ! {
    eprintln!("usage: watch [--count N] [--proto NUMBER]");
    std::process::exit(2)
}

fn main() -> Result<()> {
    let mut count = None::<usize>;
    let mut proto = None::<u8>;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--count", Some(n)) => count = Some(n),
            ("--proto", Some(p)) => proto = Some(u8::try_from(p).unwrap_or_else(|_| usage())),
            _ => usage(),
        }
    }
    let mut events = Events::subscribe(EventGroups::FLOWS | EventGroups::EXPECTATIONS)?;
    if let Some(p) = proto {
        events.set_filter(&EventFilter::new().protocol(p))?;
    }
    // Say when listening starts, for scripts that wait for it.
    eprintln!("watching");
    let mut printed = 0;
    while count.map_or(true, |c| printed < c) {
        match events.recv() {
            Ok(event) => {
                println!("{event}");
                printed += 1;
            }
            Err(e) if e.is_overrun() => {
                eprintln!("events were lost; the table now:");
                for flow in events.resync()? {
                    println!("{}", flow?);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
