//! The status bits of an entry (`enum ip_conntrack_status`, `IPS_*`).

use bitflags::bitflags;

bitflags! {
    /// Status bits of an entry (`IPS_*` of `<linux/netfilter/nf_conntrack_common.h>`).
    ///
    /// Bits this version does not name are kept as they are
    /// ([`Status::from_bits_retain`]).
    ///
    /// ```
    /// use netfilter_conntrack::Status;
    ///
    /// let s = Status::from_bits_retain(0x0e);
    /// assert!(s.contains(Status::SEEN_REPLY | Status::ASSURED | Status::CONFIRMED));
    /// ```
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Status: u32 {
        /// An expected connection (of a helper's expectation).
        const EXPECTED = 1 << 0;
        /// Packets have been seen in both directions.
        const SEEN_REPLY = 1 << 1;
        /// The entry is assured: it will not be dropped early.
        const ASSURED = 1 << 2;
        /// The entry is in the table (set by the kernel and on created entries).
        const CONFIRMED = 1 << 3;
        /// Source NAT is needed.
        const SRC_NAT = 1 << 4;
        /// Destination NAT is needed.
        const DST_NAT = 1 << 5;
        /// Sequence numbers are adjusted (NAT of a helper's payload).
        const SEQ_ADJUST = 1 << 6;
        /// Source NAT was set up.
        const SRC_NAT_DONE = 1 << 7;
        /// Destination NAT was set up.
        const DST_NAT_DONE = 1 << 8;
        /// The entry is being destroyed.
        const DYING = 1 << 9;
        /// The timeout does not change with the protocol state.
        const FIXED_TIMEOUT = 1 << 10;
        /// A template (set by the `CT` target), not a real entry.
        const TEMPLATE = 1 << 11;
        /// The entry lost a NAT clash and was not inserted.
        const NAT_CLASH = 1 << 12;
        /// A helper was assigned explicitly.
        const HELPER = 1 << 13;
        /// The entry is offloaded to the flow table.
        const OFFLOAD = 1 << 14;
        /// The entry is offloaded to hardware.
        const HW_OFFLOAD = 1 << 15;
    }
}
