//! Our own netlink layer: sockets, message headers, attributes. Knows nothing
//! about conntrack. (It replaces libmnl and libnfnetlink.)

pub mod attr;
