//! Statistics of the connection-tracking table: the global entry count and
//! the per-CPU counters of entries and expectations (ctnetlink's
//! `IPCTNL_MSG_CT_GET_STATS`, `IPCTNL_MSG_CT_GET_STATS_CPU` and
//! `IPCTNL_MSG_EXP_GET_STATS_CPU`, which the C library has no call for).

use super::Conntrack;
use crate::ctnetlink::{msg, NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::error::{Error, Result};
use crate::netlink::attr::Attrs;
use crate::netlink::msg::{Msg, MsgBuilder, NfGenMsg, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use crate::netlink::session::Control;

/// `CTA_STATS_GLOBAL_*` (`enum ctattr_stats_global`).
mod global {
    pub const ENTRIES: u16 = 1;
    pub const MAX_ENTRIES: u16 = 2;
}

/// `CTA_STATS_*` (`enum ctattr_stats_cpu`), the counters kernels still keep.
mod cpu {
    pub const FOUND: u16 = 2;
    pub const INVALID: u16 = 4;
    pub const INSERT: u16 = 8;
    pub const INSERT_FAILED: u16 = 9;
    pub const DROP: u16 = 10;
    pub const EARLY_DROP: u16 = 11;
    pub const ERROR: u16 = 12;
    pub const SEARCH_RESTART: u16 = 13;
    pub const CLASH_RESOLVE: u16 = 14;
    pub const CHAIN_TOOLONG: u16 = 15;
}

/// `CTA_STATS_EXP_*` (`enum ctattr_expect_stats`).
mod exp {
    pub const NEW: u16 = 1;
    pub const CREATE: u16 = 2;
    pub const DELETE: u16 = 3;
}

/// The table as a whole (`conntrack -C` and `net.netfilter.nf_conntrack_max`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Stats {
    /// Entries in the table.
    pub entries: u32,
    /// The most entries the table takes (`nf_conntrack_max`), when the
    /// kernel reports it.
    pub max_entries: Option<u32>,
}

/// Counters of one CPU (`conntrack -S`). A counter the kernel did not send
/// is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CpuStats {
    /// The CPU.
    pub cpu: u16,
    /// Lookups that found an entry.
    pub found: u32,
    /// Packets that could not be tracked.
    pub invalid: u32,
    /// Entries inserted.
    pub insert: u32,
    /// Insertions that failed (a clash).
    pub insert_failed: u32,
    /// Packets dropped for lack of an entry (the table was full, ...).
    pub drop: u32,
    /// Entries dropped early to make room.
    pub early_drop: u32,
    /// Errors.
    pub error: u32,
    /// Lookups restarted because the table changed.
    pub search_restart: u32,
    /// Clashes resolved.
    pub clash_resolve: u32,
    /// Hash chains found too long.
    pub chain_toolong: u32,
}

/// Expectation counters of one CPU (`conntrack -S expect`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ExpectationCpuStats {
    /// The CPU.
    pub cpu: u16,
    /// Expected connections that arrived.
    pub new: u32,
    /// Expectations created.
    pub create: u32,
    /// Expectations deleted.
    pub delete: u32,
}

fn bad() -> Error {
    Error::new(libc::EBADMSG, "parse")
}

/// The `(type, u32 value)` attributes of a statistics message and its CPU.
fn counters(m: &Msg<'_>) -> Result<(u16, Vec<(u16, u32)>)> {
    let (nfg, attrs) = m.split_nfgenmsg().map_err(|_| bad())?;
    let mut out = Vec::new();
    for a in Attrs::new(attrs) {
        let a = a.map_err(|_| bad())?;
        out.push((a.ty, a.be32().map_err(|_| bad())?));
    }
    Ok((nfg.res_id, out))
}

fn request(subsys: u8, ty: u8, flags: u16) -> Result<Vec<u8>> {
    let nfg = NfGenMsg {
        family: libc::AF_UNSPEC as u8,
        version: 0,
        res_id: 0,
    };
    MsgBuilder::nfnl(subsys, ty, NLM_F_REQUEST | flags, nfg)
        .into_bytes()
        .map_err(|_| Error::new(libc::EINVAL, "stats"))
}

impl Conntrack {
    /// Sends a statistics request and parses each reply of type `(subsys,
    /// ty)` with `each`.
    fn stats_query(
        &mut self,
        subsys: u8,
        ty: u8,
        flags: u16,
        op: &'static str,
        mut each: impl FnMut(u16, &[(u16, u32)]),
    ) -> Result<()> {
        let mut req = request(subsys, ty, flags)?;
        let mut failed = None;
        self.session()
            .query(&mut req, |m: &Msg<'_>| {
                // The kernel answers an expectation statistics request
                // with messages of the conntrack subsystem.
                let ours = m.subsys() == subsys || m.subsys() == NFNL_SUBSYS_CTNETLINK;
                if !ours || m.msg_type() != ty {
                    return Control::Continue;
                }
                match counters(m) {
                    Ok((cpu, values)) => {
                        each(cpu, &values);
                        Control::Continue
                    }
                    Err(e) => {
                        failed = Some(e);
                        Control::Stop
                    }
                }
            })
            .map_err(|e| Error::from(e).during(op))?;
        failed.map_or(Ok(()), |e| Err(e.during(op)))
    }

    /// The number of entries, and the table's limit.
    ///
    /// ```no_run
    /// let mut ct = netfilter_conntrack::Conntrack::open()?;
    /// let s = ct.stats()?;
    /// println!("{} of {:?} entries", s.entries, s.max_entries);
    /// # Ok::<(), netfilter_conntrack::Error>(())
    /// ```
    pub fn stats(&mut self) -> Result<Stats> {
        let mut stats = None;
        self.stats_query(
            NFNL_SUBSYS_CTNETLINK,
            msg::CT_GET_STATS,
            NLM_F_ACK,
            "stats",
            |_, values| {
                let mut s = Stats::default();
                for &(ty, v) in values {
                    match ty {
                        global::ENTRIES => s.entries = v,
                        global::MAX_ENTRIES => s.max_entries = Some(v),
                        _ => {}
                    }
                }
                stats = Some(s);
            },
        )?;
        stats.ok_or(Error::new(libc::EBADMSG, "stats"))
    }

    /// The per-CPU counters of the table, one item per possible CPU.
    pub fn cpu_stats(&mut self) -> Result<Vec<CpuStats>> {
        let mut all = Vec::new();
        self.stats_query(
            NFNL_SUBSYS_CTNETLINK,
            msg::CT_GET_STATS_CPU,
            NLM_F_DUMP,
            "cpu stats",
            |cpu_id, values| {
                let mut s = CpuStats {
                    cpu: cpu_id,
                    ..CpuStats::default()
                };
                for &(ty, v) in values {
                    let field = match ty {
                        cpu::FOUND => &mut s.found,
                        cpu::INVALID => &mut s.invalid,
                        cpu::INSERT => &mut s.insert,
                        cpu::INSERT_FAILED => &mut s.insert_failed,
                        cpu::DROP => &mut s.drop,
                        cpu::EARLY_DROP => &mut s.early_drop,
                        cpu::ERROR => &mut s.error,
                        cpu::SEARCH_RESTART => &mut s.search_restart,
                        cpu::CLASH_RESOLVE => &mut s.clash_resolve,
                        cpu::CHAIN_TOOLONG => &mut s.chain_toolong,
                        _ => continue,
                    };
                    *field = v;
                }
                all.push(s);
            },
        )?;
        Ok(all)
    }

    /// The per-CPU counters of expectations.
    pub fn expectation_cpu_stats(&mut self) -> Result<Vec<ExpectationCpuStats>> {
        let mut all = Vec::new();
        self.stats_query(
            NFNL_SUBSYS_CTNETLINK_EXP,
            msg::EXP_GET_STATS_CPU,
            NLM_F_DUMP,
            "expectation stats",
            |cpu_id, values| {
                let mut s = ExpectationCpuStats {
                    cpu: cpu_id,
                    ..ExpectationCpuStats::default()
                };
                for &(ty, v) in values {
                    match ty {
                        exp::NEW => s.new = v,
                        exp::CREATE => s.create = v,
                        exp::DELETE => s.delete = v,
                        _ => {}
                    }
                }
                all.push(s);
            },
        )?;
        Ok(all)
    }
}
