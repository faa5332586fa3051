//! The event filter as a classic BPF program (`struct sock_filter`), the way
//! the reference lays it out, so that the program a socket holds is the same
//! instruction for instruction whichever library attached it.
//!
//! The program runs on each netlink message the kernel is about to queue on
//! the socket and returns 0 (drop) or `~0` (deliver). Its parts, in order:
//!
//! 1. messages of another netfilter subsystem than conntrack (expectations)
//!    are delivered at once;
//! 2. one block per condition: layer-4 protocol, IPv4 source, IPv4
//!    destination, IPv6 source, IPv6 destination, protocol states (one block
//!    per protocol: TCP, DCCP, SCTP), mark, zone;
//! 3. a final "deliver".
//!
//! A block finds its attribute with the kernel's netlink-attribute search
//! (`SKF_AD_NLATTR`, and `SKF_AD_NLATTR_NEST` for IPv6), compares the value
//! with each entry, and either falls through to the next block or returns 0.
//! An event that lacks the attribute falls through to the next block. The
//! mark and zone blocks read a missing attribute as the value 0.
//!
//! Two things differ from the reference on purpose, both where its program
//! does not do what its documentation says:
//!
//! - States of more than one protocol: the reference writes each protocol's
//!   block over the previous one (keeping the instruction count of all of
//!   them, so the space after the last block holds leftovers of longer
//!   earlier blocks and zeroed `A = 0` instructions), which drops the
//!   earlier protocols' conditions and can make the leftovers drop every
//!   event. This compiler emits one block per protocol, in protocol order
//!   (TCP, DCCP, SCTP). With one protocol the program is the reference's.
//! - Long jumps, below.
//!
//! Classic BPF conditional jumps reach at most 255 instructions ahead. The
//! reference stores longer distances modulo 256, so that with more than 81
//! IPv4 addresses of one direction, 85 marks or 244 protocols (243 with
//! negative logic) its program jumps into the middle of its compare list and
//! delivers the wrong events. This compiler emits exactly the reference's
//! layout whenever every jump fits (every filter the reference handles
//! correctly); when one does not, it places small "islands" of unconditional
//! jumps (`BPF_JA`, 32-bit offsets) between entries, so the program stays
//! correct up to the documented limits. With every attribute at its limit the
//! program has about 2200 instructions: more than the reference's
//! 2048-instruction buffer (which it then overruns), well within the
//! kernel's limit of 4096.

use super::{Dir, EventFilter, IPPROTO_MAX};
use crate::api::nfct_filter_attr::{self, *};
use crate::ctnetlink::{cta, ip, ipproto, proto, protoinfo, tuple, NFNL_SUBSYS_CTNETLINK};
use crate::fallible::{NoMemory, TryVec};

/// One classic BPF instruction, laid out as the kernel's `struct sock_filter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Insn {
    /// Operation.
    pub code: u16,
    /// Jump offset when the condition holds.
    pub jt: u8,
    /// Jump offset when it does not.
    pub jf: u8,
    /// Operand.
    pub k: u32,
}

/// Operation codes (`<linux/filter.h>`, `<linux/bpf_common.h>`) of the
/// instructions this compiler emits.
pub mod op {
    /// `A = k`.
    pub const LD_IMM: u16 = 0x00;
    /// `X = k`.
    pub const LDX_IMM: u16 = 0x01;
    /// `A = byte at k` (with `k` an ancillary offset: a kernel helper).
    pub const LD_B_ABS: u16 = 0x30;
    /// `A = big-endian u32 at X + k`.
    pub const LD_W_IND: u16 = 0x40;
    /// `A = big-endian u16 at X + k`.
    pub const LD_H_IND: u16 = 0x48;
    /// `A = byte at X + k`.
    pub const LD_B_IND: u16 = 0x50;
    /// `A += k`.
    pub const ADD_K: u16 = 0x04;
    /// `A &= k`.
    pub const AND_K: u16 = 0x54;
    /// Jump `k` instructions ahead.
    pub const JA: u16 = 0x05;
    /// Jump `jt` ahead if `A == k`, else `jf`.
    pub const JEQ_K: u16 = 0x15;
    /// Return `k`.
    pub const RET_K: u16 = 0x06;
    /// `X = A`.
    pub const TAX: u16 = 0x07;
    /// `A = X`.
    pub const TXA: u16 = 0x87;
}

/// Offset of the kernel's ancillary data in a `BPF_ABS` load (`SKF_AD_OFF`).
pub const SKF_AD_OFF: u32 = 0xffff_f000;
/// Ancillary load: `A` = offset of the netlink attribute of type `X`, found
/// among the attributes that start at offset `A` and run to the end of the
/// message; 0 if none.
pub const SKF_AD_NLATTR: u32 = 12;
/// Ancillary load: `A` = offset of the attribute of type `X` nested in the
/// attribute at offset `A`; 0 if none.
pub const SKF_AD_NLATTR_NEST: u32 = 16;
/// Return value: deliver the message.
pub const ACCEPT: u32 = !0;
/// Return value: drop the message.
pub const REJECT: u32 = 0;

/// Netlink header plus `struct nfgenmsg`: where the attributes start.
const PAYLOAD_OFFSET: u32 = 16 + 4;
/// Size of an attribute header.
const NLA_HDRLEN: u32 = 4;
/// Offset of `nlmsg_type` in the netlink header.
const NLMSG_TYPE_OFFSET: u32 = 4;

/// Instructions between two islands when islands are needed. Any jump then
/// reaches the next island: an entry is at most 12 instructions and an
/// island 3, so no distance exceeds 192 + 12 + 3.
const ISLAND_SPACING: usize = 192;

/// Why a filter has no program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// The heap refused memory (`ENOMEM`).
    NoMemory,
    /// An attribute with entries has a logic other than positive or
    /// negative (`EINVAL`). The reference stores any number as the logic,
    /// then builds that attribute's block with its jumps one instruction
    /// past the block: the kernel refuses the program when nothing follows,
    /// and it filters the wrong events when another block does. The mark
    /// and zone blocks treat such a logic as positive, as the reference's.
    BadLogic,
}

impl CompileError {
    /// The `errno` the C API reports.
    pub fn errno(self) -> i32 {
        match self {
            CompileError::NoMemory => libc::ENOMEM,
            CompileError::BadLogic => libc::EINVAL,
        }
    }
}

impl From<NoMemory> for CompileError {
    fn from(_: NoMemory) -> Self {
        CompileError::NoMemory
    }
}

/// A compiled filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The instructions.
    pub insns: Vec<Insn>,
    /// The `errno` the reference leaves behind when it builds this program
    /// (`EINVAL` once any condition block was built, `EOPNOTSUPP` when the
    /// last thing it did was to skip states of a protocol it has no state
    /// attribute for), even when attaching it then succeeds; `None` when it
    /// leaves `errno` alone.
    pub errno: Option<i32>,
}

impl Program {
    /// The instructions as the kernel's `struct sock_filter`s, for
    /// `SO_ATTACH_FILTER`; [`NoMemory`] when the heap refuses them.
    pub fn sock_filters(&self) -> Result<Vec<libc::sock_filter>, NoMemory> {
        let mut insns = TryVec::with_capacity(self.insns.len());
        for i in &self.insns {
            insns.push(libc::sock_filter {
                code: i.code,
                jt: i.jt,
                jf: i.jf,
                k: i.k,
            });
        }
        insns.into_vec()
    }
}

/// Where a conditional jump goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Jump {
    /// A fixed number of instructions ahead.
    Lit(u8),
    /// To the next block: this condition is passed.
    End,
    /// Where a matching entry goes: the next block for positive logic, the
    /// block's "drop" for negative logic.
    Hit,
}

/// A block before layout.
#[derive(Clone, Copy, Debug)]
enum Item {
    /// An instruction; `jt`/`jf` matter for conditional jumps only.
    Op {
        code: u16,
        k: u32,
        jt: Jump,
        jf: Jump,
    },
    /// The start of an entry: an island may go here.
    Entry,
}

/// A block after island placement.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Op {
        code: u16,
        k: u32,
        jt: Jump,
        jf: Jump,
    },
    /// First instruction of an island: jumps over the rest of it.
    IslandSkip(u32),
    /// An island's jump to the block's end (or to its "drop").
    IslandTo(Jump),
}

/// Builds the instructions of one condition block.
struct Block {
    items: TryVec<Item>,
}

impl Block {
    fn new() -> Self {
        Block {
            items: TryVec::new(),
        }
    }

    fn op(&mut self, code: u16, k: u32) {
        self.items.push(Item::Op {
            code,
            k,
            jt: Jump::Lit(0),
            jf: Jump::Lit(0),
        });
    }

    fn jeq(&mut self, k: u32, jt: Jump, jf: Jump) {
        self.items.push(Item::Op {
            code: op::JEQ_K,
            k,
            jt,
            jf,
        });
    }

    fn entry(&mut self) {
        self.items.push(Item::Entry);
    }

    /// `A` = offset of the attribute of type `ty` at or after offset `A`.
    fn find_attr(&mut self, ty: u16) {
        self.op(op::LDX_IMM, u32::from(ty));
        self.op(op::LD_B_ABS, SKF_AD_OFF + SKF_AD_NLATTR);
    }

    /// `A` = offset of the attribute of type `ty` in the nest at offset `A`.
    fn find_nested(&mut self, ty: u16) {
        self.op(op::LDX_IMM, u32::from(ty));
        self.op(op::LD_B_ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST);
    }

    /// Leaves the block when the last search found nothing.
    fn end_if_missing(&mut self) {
        self.jeq(0, Jump::End, Jump::Lit(0));
    }

    /// Walks the nests `path` from the start of the attributes, the way the
    /// reference does for IPv4 addresses, protocols and states: each search
    /// runs from the start of the previous attribute's payload.
    fn walk(&mut self, path: [u16; 3]) {
        self.op(op::LD_IMM, PAYLOAD_OFFSET);
        for (i, ty) in path.into_iter().enumerate() {
            if i > 0 {
                self.op(op::ADD_K, NLA_HDRLEN);
            }
            self.find_attr(ty);
            self.end_if_missing();
        }
        self.op(op::TAX, 0);
    }

    /// Appends the block's exit ("drop", preceded for negative logic by a
    /// jump over it) and resolves every jump.
    fn finish(self, negative: bool) -> Result<Vec<Insn>, NoMemory> {
        let items = self.items.into_vec()?;
        if let Some(insns) = layout(&items, negative, None)? {
            return Ok(insns);
        }
        match layout(&items, negative, Some(ISLAND_SPACING))? {
            Some(insns) => Ok(insns),
            None => wrapped(&items, negative),
        }
    }
}

/// Places islands (every `spacing` instructions, at entry starts) or none,
/// resolves the jumps, and returns the instructions; `None` if a jump does
/// not fit in 8 bits.
fn layout(
    items: &[Item],
    negative: bool,
    spacing: Option<usize>,
) -> Result<Option<Vec<Insn>>, NoMemory> {
    let island_len = if negative { 3 } else { 2 };
    let mut slots = TryVec::with_capacity(items.len() + 8);
    let mut since = 0;
    for item in items {
        match *item {
            Item::Op { code, k, jt, jf } => {
                slots.push(Slot::Op { code, k, jt, jf });
                since += 1;
            }
            Item::Entry => {
                if spacing.is_some_and(|s| since >= s) {
                    slots.push(Slot::IslandSkip(island_len - 1));
                    slots.push(Slot::IslandTo(Jump::End));
                    if negative {
                        slots.push(Slot::IslandTo(Jump::Hit));
                    }
                    since = 0;
                }
            }
        }
    }
    let slots = slots.into_vec()?;
    // The exit: [ja +1 (negative only), ret 0]; `Hit` is the first
    // instruction after the jump.
    let n = slots.len();
    let (hit, end) = if negative {
        (n + 1, n + 2)
    } else {
        (n + 1, n + 1)
    };
    let target = |j: Jump| match j {
        Jump::End => end,
        _ => hit,
    };
    // Distance from `pos` to where `j` goes: straight there if it fits, else
    // to the first island after `pos` that jumps there.
    let resolve = |pos: usize, j: Jump| -> Option<u8> {
        let j = match j {
            Jump::Lit(v) => return Some(v),
            Jump::Hit if !negative => Jump::End,
            other => other,
        };
        if let Ok(d) = u8::try_from(target(j) - pos - 1) {
            return Some(d);
        }
        let island = (pos + 1..n).find(|&i| matches!(slots[i], Slot::IslandTo(t) if t == j))?;
        u8::try_from(island - pos - 1).ok()
    };
    let mut out = TryVec::with_capacity(n + 2);
    for (pos, slot) in slots.iter().enumerate() {
        out.push(match *slot {
            Slot::Op { code, k, jt, jf } => {
                let (Some(jt), Some(jf)) = (resolve(pos, jt), resolve(pos, jf)) else {
                    return Ok(None);
                };
                Insn { code, jt, jf, k }
            }
            Slot::IslandSkip(k) => ja(k),
            Slot::IslandTo(j) => {
                let j = if negative { j } else { Jump::End };
                ja((target(j) - pos - 1) as u32)
            }
        });
    }
    if negative {
        out.push(ja(1));
    }
    out.push(ret(REJECT));
    out.into_vec().map(Some)
}

/// The reference's layout with jump offsets kept modulo 256: only reached if
/// islands could not fix a jump, which the limits rule out.
fn wrapped(items: &[Item], negative: bool) -> Result<Vec<Insn>, NoMemory> {
    let mut ops = TryVec::with_capacity(items.len());
    for i in items {
        if let Item::Op { code, k, jt, jf } = *i {
            ops.push((code, k, jt, jf));
        }
    }
    let ops = ops.into_vec()?;
    let n = ops.len();
    let (hit, end) = if negative {
        (n + 1, n + 2)
    } else {
        (n + 1, n + 1)
    };
    let off = |pos: usize, j: Jump| match j {
        Jump::Lit(v) => v,
        Jump::End => (end - pos - 1) as u8,
        Jump::Hit => (hit - pos - 1) as u8,
    };
    let mut out = TryVec::with_capacity(n + 2);
    for (pos, &(code, k, jt, jf)) in ops.iter().enumerate() {
        out.push(Insn {
            code,
            jt: off(pos, jt),
            jf: off(pos, jf),
            k,
        });
    }
    if negative {
        out.push(ja(1));
    }
    out.push(ret(REJECT));
    out.into_vec()
}

fn ja(k: u32) -> Insn {
    Insn {
        code: op::JA,
        k,
        ..Insn::default()
    }
}

fn ret(k: u32) -> Insn {
    Insn {
        code: op::RET_K,
        k,
        ..Insn::default()
    }
}

/// Delivers at once what is not a conntrack message (expectations).
fn subsys_check(out: &mut TryVec<Insn>) {
    out.extend_from_slice(&[
        Insn {
            code: op::LDX_IMM,
            k: NLMSG_TYPE_OFFSET,
            ..Insn::default()
        },
        // The subsystem is the high byte of the little-endian nlmsg_type.
        Insn {
            code: op::LD_B_IND,
            k: 1,
            ..Insn::default()
        },
        Insn {
            code: op::JEQ_K,
            jt: 1,
            jf: 0,
            k: u32::from(NFNL_SUBSYS_CTNETLINK),
        },
        ret(ACCEPT),
    ]);
}

/// A condition block, or `None` when the filter has no such condition.
type MaybeBlock = Option<Result<Vec<Insn>, CompileError>>;

/// Whether the block of `attr` has negative logic; a logic other than
/// positive or negative gives no program (see [`CompileError::BadLogic`]).
fn negative(f: &EventFilter, attr: nfct_filter_attr) -> Result<bool, CompileError> {
    match f.raw_logic(attr) {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(CompileError::BadLogic),
    }
}

/// Finishes block `b` of `attr` (see [`negative`]).
fn finish(b: Block, f: &EventFilter, attr: nfct_filter_attr) -> Result<Vec<Insn>, CompileError> {
    let negative = negative(f, attr)?;
    Ok(b.finish(negative)?)
}

fn proto_block(f: &EventFilter) -> MaybeBlock {
    if f.l4proto_adds() == 0 {
        return None;
    }
    let mut b = Block::new();
    b.walk([cta::TUPLE_ORIG, tuple::PROTO, proto::NUM]);
    b.op(op::LD_B_IND, NLA_HDRLEN);
    for p in (0..IPPROTO_MAX).filter(|&p| f.has_l4proto(p)) {
        b.entry();
        b.jeq(p, Jump::Hit, Jump::Lit(0));
    }
    Some(finish(b, f, NFCT_FILTER_L4PROTO))
}

fn ipv4_block(f: &EventFilter, dir: Dir) -> MaybeBlock {
    let entries = f.ipv4(dir);
    if entries.is_empty() {
        return None;
    }
    let (ty, attr) = match dir {
        Dir::Src => (ip::V4_SRC, NFCT_FILTER_SRC_IPV4),
        Dir::Dst => (ip::V4_DST, NFCT_FILTER_DST_IPV4),
    };
    let mut b = Block::new();
    b.walk([cta::TUPLE_ORIG, tuple::IP, ty]);
    for e in entries {
        b.entry();
        b.op(op::LD_W_IND, NLA_HDRLEN);
        b.op(op::AND_K, e.mask);
        b.jeq(e.addr & e.mask, Jump::Hit, Jump::Lit(0));
    }
    Some(finish(b, f, attr))
}

fn ipv6_block(f: &EventFilter, dir: Dir) -> MaybeBlock {
    let entries = f.ipv6(dir);
    if entries.is_empty() {
        return None;
    }
    let (ty, attr) = match dir {
        Dir::Src => (ip::V6_SRC, NFCT_FILTER_SRC_IPV6),
        Dir::Dst => (ip::V6_DST, NFCT_FILTER_DST_IPV6),
    };
    let mut b = Block::new();
    b.op(op::LD_IMM, PAYLOAD_OFFSET);
    b.find_attr(cta::TUPLE_ORIG);
    b.end_if_missing();
    b.find_nested(tuple::IP);
    b.end_if_missing();
    b.find_nested(ty);
    b.end_if_missing();
    b.op(op::TAX, 0);
    for e in entries {
        b.entry();
        for w in 0..4 {
            let mask = e.mask[w];
            b.op(op::LD_W_IND, NLA_HDRLEN + 4 * w as u32);
            b.op(op::AND_K, mask);
            if w < 3 {
                // A word differs: skip this entry's remaining words.
                let rest = (3 - w as u8) * 3;
                b.jeq(e.addr[w] & mask, Jump::Lit(0), Jump::Lit(rest));
            } else {
                b.jeq(e.addr[w] & mask, Jump::Hit, Jump::Lit(0));
            }
        }
    }
    Some(finish(b, f, attr))
}

/// The protocol-info nest and state attribute of the protocols whose states
/// the kernel reports.
fn state_attrs(p: u32) -> Option<(u16, u16)> {
    match u8::try_from(p).ok()? {
        ipproto::TCP => Some((protoinfo::TCP, crate::ctnetlink::tcp::STATE)),
        ipproto::DCCP => Some((protoinfo::DCCP, crate::ctnetlink::dccp::STATE)),
        ipproto::SCTP => Some((protoinfo::SCTP, crate::ctnetlink::sctp::STATE)),
        _ => None,
    }
}

fn state_block(map: u16, nest: u16, state: u16, negative: bool) -> Result<Vec<Insn>, NoMemory> {
    let mut b = Block::new();
    b.walk([cta::PROTOINFO, nest, state]);
    b.op(op::LD_B_IND, NLA_HDRLEN);
    for s in (0..16).filter(|s| map & (1 << s) != 0) {
        b.entry();
        b.jeq(s, Jump::Hit, Jump::Lit(0));
    }
    b.finish(negative)
}

fn mark_block(f: &EventFilter) -> MaybeBlock {
    if f.marks().is_empty() {
        return None;
    }
    let mut b = Block::new();
    b.op(op::LD_IMM, PAYLOAD_OFFSET);
    b.find_attr(cta::MARK);
    // No mark: skip the load, compare 0.
    b.jeq(0, Jump::Lit(2), Jump::Lit(0));
    b.op(op::TAX, 0);
    b.op(op::LD_W_IND, NLA_HDRLEN);
    b.op(op::TAX, 0);
    for m in f.marks() {
        b.entry();
        b.op(op::AND_K, m.mask);
        b.jeq(m.val & m.mask, Jump::Hit, Jump::Lit(0));
        b.op(op::TXA, 0);
    }
    Some(
        b.finish(f.is_negative(NFCT_FILTER_MARK))
            .map_err(Into::into),
    )
}

fn zone_block(f: &EventFilter) -> MaybeBlock {
    if f.zones().is_empty() {
        return None;
    }
    let mut b = Block::new();
    b.op(op::LD_IMM, PAYLOAD_OFFSET);
    b.find_attr(cta::ZONE);
    // No zone: skip the load, compare 0.
    b.jeq(0, Jump::Lit(2), Jump::Lit(0));
    b.op(op::TAX, 0);
    b.op(op::LD_H_IND, NLA_HDRLEN);
    for &z in f.zones() {
        b.entry();
        b.jeq(u32::from(z), Jump::Hit, Jump::Lit(0));
    }
    Some(
        b.finish(f.is_negative(NFCT_FILTER_ZONE))
            .map_err(Into::into),
    )
}

/// Appends a condition block, if there is one, and notes the `errno` the
/// reference leaves behind once it built one.
fn add(
    insns: &mut TryVec<Insn>,
    block: MaybeBlock,
    errno: &mut Option<i32>,
) -> Result<(), CompileError> {
    if let Some(b) = block {
        insns.extend_from_slice(&b?);
        *errno = Some(libc::EINVAL);
    }
    Ok(())
}

/// Compiles `f` (what `nfct_filter_attach` installs on the socket).
pub fn compile(f: &EventFilter) -> Result<Program, CompileError> {
    let mut insns = TryVec::with_capacity(64);
    let mut errno = None;
    subsys_check(&mut insns);
    add(&mut insns, proto_block(f), &mut errno)?;
    add(&mut insns, ipv4_block(f, Dir::Src), &mut errno)?;
    add(&mut insns, ipv4_block(f, Dir::Dst), &mut errno)?;
    add(&mut insns, ipv6_block(f, Dir::Src), &mut errno)?;
    add(&mut insns, ipv6_block(f, Dir::Dst), &mut errno)?;
    for p in 0..IPPROTO_MAX {
        let s = f.states(p);
        if s.map == 0 || s.adds == 0 {
            continue;
        }
        match state_attrs(p) {
            Some((nest, state)) => {
                let negative = negative(f, nfct_filter_attr::NFCT_FILTER_L4PROTO_STATE)?;
                let block = state_block(s.map, nest, state, negative)?;
                add(&mut insns, Some(Ok(block)), &mut errno)?;
            }
            None => errno = Some(libc::EOPNOTSUPP),
        }
    }
    add(&mut insns, mark_block(f), &mut errno)?;
    add(&mut insns, zone_block(f), &mut errno)?;
    insns.push(ret(ACCEPT));
    Ok(Program {
        insns: insns.into_vec()?,
        errno,
    })
}

#[cfg(test)]
mod golden;
#[cfg(test)]
mod tests;
