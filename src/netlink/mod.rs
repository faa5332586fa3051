//! Our own netlink layer: sockets, message headers, attributes. Knows nothing about conntrack.
