//! Protocol information of an entry: TCP state, window scales and flags;
//! SCTP state and verification tags; DCCP state, role and handshake
//! sequence.

use std::fmt;

use bitflags::bitflags;

use crate::conntrack::print::names;

/// A TCP connection-tracking state (`enum tcp_conntrack`).
///
/// Displays as `conntrack` prints it:
///
/// ```
/// use netfilter_conntrack::TcpState;
///
/// assert_eq!(TcpState::ESTABLISHED.to_string(), "ESTABLISHED");
/// assert_eq!(TcpState(3), TcpState::ESTABLISHED);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TcpState(pub u8);

impl TcpState {
    /// No state.
    pub const NONE: TcpState = TcpState(0);
    /// SYN sent.
    pub const SYN_SENT: TcpState = TcpState(1);
    /// SYN received.
    pub const SYN_RECV: TcpState = TcpState(2);
    /// Established.
    pub const ESTABLISHED: TcpState = TcpState(3);
    /// FIN wait.
    pub const FIN_WAIT: TcpState = TcpState(4);
    /// Close wait.
    pub const CLOSE_WAIT: TcpState = TcpState(5);
    /// Last ACK.
    pub const LAST_ACK: TcpState = TcpState(6);
    /// Time wait.
    pub const TIME_WAIT: TcpState = TcpState(7);
    /// Closed.
    pub const CLOSE: TcpState = TcpState(8);
    /// Simultaneous open (printed `SYN_SENT2`).
    pub const SYN_SENT2: TcpState = TcpState(9);
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::str::from_utf8(names::tcp_state(self.0)).unwrap_or("UNKNOWN"))
    }
}

bitflags! {
    /// TCP flags of one direction (`IP_CT_TCP_FLAG_*`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct TcpFlags: u8 {
        /// Window scaling was advertised.
        const WINDOW_SCALE = 0x01;
        /// SACK is permitted.
        const SACK_PERM = 0x02;
        /// This side sent the first FIN.
        const CLOSE_INIT = 0x04;
        /// Liberal window checking.
        const BE_LIBERAL = 0x08;
        /// Data was sent that has not been acknowledged.
        const DATA_UNACKNOWLEDGED = 0x10;
        /// The maximum ACK was set.
        const MAXACK_SET = 0x20;
        /// A challenge ACK was sent.
        const CHALLENGE_ACK = 0x40;
        /// Simultaneous open.
        const SIMULTANEOUS_OPEN = 0x80;
    }
}

/// TCP protocol information. Each field is what the kernel sent (or what
/// will be sent), `None` when absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpInfo {
    /// The state.
    pub state: Option<TcpState>,
    /// Window scale of the original direction.
    pub wscale_orig: Option<u8>,
    /// Window scale of the reply direction.
    pub wscale_reply: Option<u8>,
    /// Flags of the original direction, and the mask of the flags to change
    /// (an update changes only the flags in the mask).
    pub flags_orig: Option<(TcpFlags, TcpFlags)>,
    /// Flags and mask of the reply direction.
    pub flags_reply: Option<(TcpFlags, TcpFlags)>,
}

/// SCTP protocol information.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SctpInfo {
    /// The state (`enum sctp_conntrack`: 3 is `COOKIE_ECHOED`, 4 `ESTABLISHED`, ...).
    pub state: Option<u8>,
    /// Verification tag of the original direction.
    pub vtag_orig: Option<u32>,
    /// Verification tag of the reply direction.
    pub vtag_reply: Option<u32>,
}

/// DCCP protocol information.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DccpInfo {
    /// The state (`enum ct_dccp_states`).
    pub state: Option<u8>,
    /// The role (0 client, 1 server).
    pub role: Option<u8>,
    /// The handshake sequence number.
    pub handshake_seq: Option<u64>,
}

/// Protocol information of an entry, by protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtoInfo {
    /// TCP.
    Tcp(TcpInfo),
    /// SCTP.
    Sctp(SctpInfo),
    /// DCCP.
    Dccp(DccpInfo),
}

impl ProtoInfo {
    /// TCP information with only a state.
    pub fn tcp_state(state: TcpState) -> ProtoInfo {
        ProtoInfo::Tcp(TcpInfo {
            state: Some(state),
            ..TcpInfo::default()
        })
    }
}
