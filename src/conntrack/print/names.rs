//! Names the printers show for protocol numbers and protocol states.

use crate::conntrack::object::{AF_INET, AF_INET6};
use crate::ctnetlink::ipproto::*;

/// Layer-3 protocol (address family) name; `"unknown"` for any other number.
pub fn l3proto(num: u8) -> &'static [u8] {
    match num {
        AF_INET => b"ipv4",
        AF_INET6 => b"ipv6",
        _ => b"unknown",
    }
}

/// Layer-4 protocol name; `"unknown"` for protocols without a printer.
pub fn l4proto(num: u8) -> &'static [u8] {
    match num {
        TCP => b"tcp",
        UDP => b"udp",
        UDPLITE => b"udplite",
        ICMP => b"icmp",
        ICMPV6 => b"icmpv6",
        SCTP => b"sctp",
        GRE => b"gre",
        DCCP => b"dccp",
        _ => b"unknown",
    }
}

/// TCP states (`enum tcp_state`), up to `TCP_CONNTRACK_MAX`.
const TCP_STATES: [&[u8]; 10] = [
    b"NONE",
    b"SYN_SENT",
    b"SYN_RECV",
    b"ESTABLISHED",
    b"FIN_WAIT",
    b"CLOSE_WAIT",
    b"LAST_ACK",
    b"TIME_WAIT",
    b"CLOSE",
    b"SYN_SENT2",
];

/// SCTP states (`enum sctp_state`), up to `SCTP_CONNTRACK_MAX`.
const SCTP_STATES: [&[u8]; 10] = [
    b"NONE",
    b"CLOSED",
    b"COOKIE_WAIT",
    b"COOKIE_ECHOED",
    b"ESTABLISHED",
    b"SHUTDOWN_SENT",
    b"SHUTDOWN_RECD",
    b"SHUTDOWN_ACK_SENT",
    b"HEARTBEAT_SENT",
    b"HEARTBEAT_ACKED",
];

/// DCCP states (`enum dccp_state`), up to `DCCP_CONNTRACK_MAX`.
const DCCP_STATES: [&[u8]; 10] = [
    b"NONE",
    b"REQUEST",
    b"RESPOND",
    b"PARTOPEN",
    b"OPEN",
    b"CLOSEREQ",
    b"CLOSING",
    b"TIMEWAIT",
    b"IGNORE",
    b"INVALID",
];

fn state_in(table: &[&'static [u8]; 10], state: u8) -> &'static [u8] {
    table.get(state as usize).copied().unwrap_or(table[0])
}

/// TCP state name; `"NONE"` when out of range.
pub fn tcp_state(state: u8) -> &'static [u8] {
    state_in(&TCP_STATES, state)
}

/// SCTP state name; `"NONE"` when out of range.
pub fn sctp_state(state: u8) -> &'static [u8] {
    state_in(&SCTP_STATES, state)
}

/// DCCP state name; `"NONE"` when out of range.
pub fn dccp_state(state: u8) -> &'static [u8] {
    state_in(&DCCP_STATES, state)
}

/// The XML printer names every protocol's state from the TCP table (SCTP
/// state 4 prints as `FIN_WAIT`): the reference does, and output must match.
pub fn xml_state(state: u8) -> &'static [u8] {
    tcp_state(state)
}

/// Abbreviated weekday names, Sunday first (`asctime()`).
pub const WEEKDAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];

/// Abbreviated month names, January first (`asctime()`).
pub const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_states_are_none() {
        assert_eq!(tcp_state(3), b"ESTABLISHED");
        assert_eq!(tcp_state(10), b"NONE");
        assert_eq!(sctp_state(9), b"HEARTBEAT_ACKED");
        assert_eq!(sctp_state(255), b"NONE");
        assert_eq!(dccp_state(9), b"INVALID");
        assert_eq!(dccp_state(10), b"NONE");
        assert_eq!(xml_state(4), b"FIN_WAIT");
    }

    #[test]
    fn protocol_names() {
        assert_eq!(l3proto(2), b"ipv4");
        assert_eq!(l3proto(0), b"unknown");
        assert_eq!(l4proto(136), b"udplite");
        assert_eq!(l4proto(255), b"unknown");
    }
}
