//! The typed model of a connection-tracking entry.

pub(crate) mod convert;
pub(crate) mod display;
pub(crate) mod labels;
pub(crate) mod protoinfo;
pub(crate) mod status;
pub(crate) mod tuple;

use std::net::IpAddr;

use labels::Labels;
use protoinfo::ProtoInfo;
use status::Status;
use tuple::Tuple;

/// Packet and byte counters of one direction (with
/// `net.netfilter.nf_conntrack_acct=1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counters {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// Timestamps of an entry, in nanoseconds since the epoch (with
/// `net.netfilter.nf_conntrack_timestamp=1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Timestamps {
    /// When the entry was created.
    pub start: Option<u64>,
    /// When it was destroyed (in destroy events).
    pub stop: Option<u64>,
    /// When the event was generated (`CTA_TIMESTAMP_EVENT`, in events of
    /// kernels that send it).
    pub event: Option<u64>,
}

/// The helper of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Helper {
    /// Its name (`"ftp"`, ...), at most 15 bytes.
    pub name: String,
    /// Helper-private data, if any.
    pub info: Option<Vec<u8>>,
}

/// A NAT mapping to set up when creating an entry: the address and/or port
/// to translate to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Nat {
    /// The address.
    pub addr: Option<IpAddr>,
    /// The port (TCP and UDP only).
    pub port: Option<u16>,
}

/// Sequence-number adjustment of one direction (NAT of a helper's payload).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SeqAdj {
    /// Position of the last correction.
    pub correction_pos: u32,
    /// Offset before that position.
    pub offset_before: u32,
    /// Offset after it.
    pub offset_after: u32,
}

/// SYN proxy state of an entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Synproxy {
    /// Initial sequence number.
    pub isn: u32,
    /// Initial timestamp.
    pub its: u32,
    /// Timestamp offset.
    pub tsoff: u32,
}

/// A connection-tracking entry: what a dump, a get or an event returns, and
/// what create, update and delete take.
///
/// Every field but [`Flow::orig`] is optional: `None` means the kernel did
/// not send it (or, in a request, that it is left out).
///
/// Displayed with `{}`, a flow reads as `conntrack -L` prints it; see
/// [`Flow::xml`] and [`Flow::display`] for other formats.
///
/// ```
/// use netfilter_conntrack::{Flow, Ports, Proto, ProtoInfo, TcpState, Tuple};
///
/// let orig = Tuple::new(
///     "192.0.2.1".parse().unwrap(),
///     "192.0.2.2".parse().unwrap(),
///     Proto::Tcp(Ports { src: 40000, dst: 80 }),
/// );
/// let mut flow = Flow::new(orig);
/// flow.reply = Some(orig.reversed());
/// flow.protoinfo = Some(ProtoInfo::tcp_state(TcpState::ESTABLISHED));
/// flow.timeout = Some(120);
/// flow.mark = Some(7);
/// assert_eq!(
///     flow.to_string(),
///     "tcp      6 120 ESTABLISHED src=192.0.2.1 dst=192.0.2.2 sport=40000 dport=80 \
///      src=192.0.2.2 dst=192.0.2.1 sport=80 dport=40000 mark=7"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    /// The original direction.
    pub orig: Tuple,
    /// The reply direction.
    pub reply: Option<Tuple>,
    /// The tuple of the master connection (for an expected connection).
    pub master: Option<Tuple>,
    /// Status bits.
    pub status: Option<Status>,
    /// Protocol information (TCP state, ...).
    pub protoinfo: Option<ProtoInfo>,
    /// Seconds until the entry expires.
    pub timeout: Option<u32>,
    /// The mark.
    pub mark: Option<u32>,
    /// The security mark.
    pub secmark: Option<u32>,
    /// The zone (`CTA_ZONE`); the zones of each direction are in the tuples.
    pub zone: Option<u16>,
    /// Counters of the original direction.
    pub counters_orig: Option<Counters>,
    /// Counters of the reply direction.
    pub counters_reply: Option<Counters>,
    /// Timestamps.
    pub timestamps: Timestamps,
    /// The entry's id.
    pub id: Option<u32>,
    /// Its reference count.
    pub use_count: Option<u32>,
    /// The helper.
    pub helper: Option<Helper>,
    /// Connection labels.
    pub labels: Option<Labels>,
    /// In an update: the labels to change (only those in the mask).
    pub labels_mask: Option<Labels>,
    /// The security context.
    pub secctx: Option<String>,
    /// Sequence adjustment of the original direction.
    pub seq_adj_orig: Option<SeqAdj>,
    /// Sequence adjustment of the reply direction.
    pub seq_adj_reply: Option<SeqAdj>,
    /// SYN proxy state.
    pub synproxy: Option<Synproxy>,
    /// Source NAT to set up (create only; the kernel never reports it).
    pub snat: Option<Nat>,
    /// Destination NAT to set up (create only).
    pub dnat: Option<Nat>,
}

impl Flow {
    /// A flow of tuple `orig` and nothing else: enough to get or delete an
    /// entry; create needs at least a reply tuple or a timeout, and for TCP
    /// a state.
    pub fn new(orig: Tuple) -> Flow {
        Flow {
            orig,
            ..Flow::default()
        }
    }
}
