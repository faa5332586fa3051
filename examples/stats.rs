//! Prints the table's statistics: the entry count and limit, then the
//! per-CPU counters of entries and of expectations (what `conntrack -C`
//! and `conntrack -S` show).

use netfilter_conntrack::{Conntrack, Result};

fn main() -> Result<()> {
    let mut ct = Conntrack::open()?;
    let s = ct.stats()?;
    match s.max_entries {
        Some(max) => println!("entries {} of {max}", s.entries),
        None => println!("entries {}", s.entries),
    }
    for c in ct.cpu_stats()? {
        println!(
            "cpu={} found={} invalid={} insert={} insert_failed={} drop={} early_drop={} \
             error={} search_restart={} clash_resolve={} chaintoolong={}",
            c.cpu,
            c.found,
            c.invalid,
            c.insert,
            c.insert_failed,
            c.drop,
            c.early_drop,
            c.error,
            c.search_restart,
            c.clash_resolve,
            c.chain_toolong
        );
    }
    for c in ct.expectation_cpu_stats()? {
        println!(
            "expect cpu={} new={} created={} deleted={}",
            c.cpu, c.new, c.create, c.delete
        );
    }
    Ok(())
}
