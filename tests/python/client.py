#!/usr/bin/env python3
"""A Python client of libnetfilter_conntrack.so.3 through ctypes, the way
dynamic-language users load the library: no header, no compiler, only the
prototypes written here. Run by tests/python/run inside a private network
namespace, once per library (LD_LIBRARY_PATH); the transcripts it prints on
stdout must be identical.

It creates entries, lists them (a dump with a callback), gets one, updates
one, watches the events of all that on a second handle (nfct_open with
NFCT_ALL_CT_GROUPS, a non-blocking socket, poll() and nfct_catch()), and
deletes one entry from a half-built object: reply-tuple addresses set
without ATTR_REPL_L3PROTO, as a real ctypes package does. The reference
sends that request cut before the reply tuple, and the kernel deletes the
entry by its original tuple.

Anything that varies by itself (timeouts counting down, ids) is never
printed: entries are shown through the getters of their tuple and mark.
"""

import ctypes
import ctypes.util
import os
import select
import socket
import struct
import sys

lib = ctypes.CDLL("libnetfilter_conntrack.so.3", use_errno=True)

# enum values (libnetfilter_conntrack.h)
CONNTRACK = 1
NFCT_ALL_CT_GROUPS = 7
ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST = 0, 1
ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST = 2, 3
ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST = 8, 9
ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST = 10, 11
ATTR_ORIG_L3PROTO, ATTR_REPL_L3PROTO = 15, 16
ATTR_ORIG_L4PROTO, ATTR_REPL_L4PROTO = 17, 18
ATTR_TIMEOUT, ATTR_MARK = 24, 25
NFCT_SOPT_SETUP_REPLY = 5
NFCT_Q_CREATE, NFCT_Q_UPDATE, NFCT_Q_DESTROY, NFCT_Q_GET = 0, 1, 2, 3
NFCT_Q_DUMP = 5
NFCT_T_NEW, NFCT_T_UPDATE, NFCT_T_DESTROY, NFCT_T_ALL = 1, 2, 4, 7
NFCT_CB_CONTINUE = 1
AF_INET = socket.AF_INET
IPPROTO_UDP = socket.IPPROTO_UDP

# prototypes
c_handle = ctypes.c_void_p
c_ct = ctypes.c_void_p
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, c_ct, ctypes.c_void_p)


def proto(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


nfct_open = proto("nfct_open", c_handle, ctypes.c_uint8, ctypes.c_uint)
nfct_close = proto("nfct_close", ctypes.c_int, c_handle)
nfct_fd = proto("nfct_fd", ctypes.c_int, c_handle)
nfct_new = proto("nfct_new", c_ct)
nfct_destroy = proto("nfct_destroy", None, c_ct)
nfct_set_attr_u8 = proto("nfct_set_attr_u8", None, c_ct, ctypes.c_int, ctypes.c_uint8)
nfct_set_attr_u16 = proto("nfct_set_attr_u16", None, c_ct, ctypes.c_int, ctypes.c_uint16)
nfct_set_attr_u32 = proto("nfct_set_attr_u32", None, c_ct, ctypes.c_int, ctypes.c_uint32)
nfct_get_attr_u8 = proto("nfct_get_attr_u8", ctypes.c_uint8, c_ct, ctypes.c_int)
nfct_get_attr_u16 = proto("nfct_get_attr_u16", ctypes.c_uint16, c_ct, ctypes.c_int)
nfct_get_attr_u32 = proto("nfct_get_attr_u32", ctypes.c_uint32, c_ct, ctypes.c_int)
nfct_attr_is_set = proto("nfct_attr_is_set", ctypes.c_int, c_ct, ctypes.c_int)
nfct_setobjopt = proto("nfct_setobjopt", ctypes.c_int, c_ct, ctypes.c_uint)
nfct_query = proto("nfct_query", ctypes.c_int, c_handle, ctypes.c_int, ctypes.c_void_p)
nfct_catch = proto("nfct_catch", ctypes.c_int, c_handle)
nfct_callback_register = proto("nfct_callback_register", ctypes.c_int, c_handle,
                               ctypes.c_int, CALLBACK, ctypes.c_void_p)
nfct_callback_unregister = proto("nfct_callback_unregister", None, c_handle)


def loaded_library():
    """The path of the libnetfilter_conntrack this process mapped."""
    with open("/proc/self/maps") as f:
        for line in f:
            if "libnetfilter_conntrack" in line:
                return os.path.realpath(line.split()[-1])
    return "?"


def addr(dotted):
    """An IPv4 address as the library stores it (network byte order)."""
    return struct.unpack("=I", socket.inet_aton(dotted))[0]


def dotted(value):
    return socket.inet_ntoa(struct.pack("=I", value))


def port(p):
    return socket.htons(p)


def errno_name():
    e = ctypes.get_errno()
    return os.strerror(e) if e else "0"


def say(*words):
    print(*words, flush=True)


def describe(ct):
    """An entry as text, from its getters."""
    if not nfct_attr_is_set(ct, ATTR_ORIG_L3PROTO):
        return "(no layer 3)"
    return "udp=%d %s:%d -> %s:%d | %s:%d -> %s:%d mark=%d" % (
        nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) == IPPROTO_UDP,
        dotted(nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC)),
        socket.ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC)),
        dotted(nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_DST)),
        socket.ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST)),
        dotted(nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC)),
        socket.ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC)),
        dotted(nfct_get_attr_u32(ct, ATTR_REPL_IPV4_DST)),
        socket.ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST)),
        nfct_get_attr_u32(ct, ATTR_MARK),
    )


def orig_tuple(src, dst, sport, dport):
    """A new object with the original tuple of a UDP flow."""
    ct = nfct_new()
    nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET)
    nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, addr(src))
    nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, addr(dst))
    nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP)
    nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, port(sport))
    nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, port(dport))
    return ct


def udp_entry(src, dst, sport, dport, mark=None):
    """A whole entry: original tuple, the reply tuple made from it, a
    timeout."""
    ct = orig_tuple(src, dst, sport, dport)
    nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY)
    nfct_set_attr_u32(ct, ATTR_TIMEOUT, 300)
    if mark is not None:
        nfct_set_attr_u32(ct, ATTR_MARK, mark)
    return ct


def half_built(src, dst, sport, dport):
    """What a real ctypes package hands to DESTROY: the original tuple and
    the reply addresses, but no ATTR_REPL_L3PROTO (nor reply protocol and
    ports)."""
    ct = orig_tuple(src, dst, sport, dport)
    nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, addr(dst))
    nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, addr(src))
    return ct


class Collector:
    """A callback that records what it is handed."""

    NAMES = {NFCT_T_NEW: "new", NFCT_T_UPDATE: "update", NFCT_T_DESTROY: "destroy"}

    def __init__(self):
        self.seen = []
        self.cb = CALLBACK(self.call)  # kept alive as long as the collector

    def call(self, kind, ct, data):
        self.seen.append("%s %s" % (self.NAMES.get(kind, kind), describe(ct)))
        return NFCT_CB_CONTINUE


def query(h, what, q, ct, collector=None):
    if collector:
        collector.seen.clear()
    ctypes.set_errno(0)
    r = nfct_query(h, q, ct)
    say("%s: %d%s" % (what, r, "" if r == 0 else " errno=" + errno_name()))
    if collector:
        for s in sorted(collector.seen):
            say("  " + s)


def listing(h, collector, what):
    family = ctypes.c_uint32(AF_INET)
    query(h, what, NFCT_Q_DUMP, ctypes.byref(family), collector)


def catch_events(h, collector, want):
    """Reads events until `want` have arrived or 2 s pass without one."""
    fd = nfct_fd(h)
    while len(collector.seen) < want:
        ready, _, _ = select.select([fd], [], [], 2.0)
        if not ready:
            break
        ctypes.set_errno(0)
        r = nfct_catch(h)
        if r == -1 and ctypes.get_errno() != 11:  # EAGAIN: all read
            say("catch: %d errno=%s" % (r, errno_name()))
            break


def main():
    print("library: " + loaded_library(), file=sys.stderr)
    with open("/proc/sys/net/netfilter/nf_conntrack_events", "w") as f:
        f.write("1")

    h = nfct_open(CONNTRACK, 0)
    events = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS)
    say("open:", h is not None, events is not None)
    fd = nfct_fd(events)
    os.set_blocking(fd, False)
    seen = Collector()
    say("register:", nfct_callback_register(h, NFCT_T_ALL, seen.cb, None))
    watched = Collector()
    say("register events:",
        nfct_callback_register(events, NFCT_T_ALL, watched.cb, None))

    a = udp_entry("10.9.0.1", "10.9.0.2", 4000, 53)
    b = udp_entry("10.9.0.3", "10.9.0.4", 4001, 123, mark=5)
    query(h, "create a", NFCT_Q_CREATE, a)
    query(h, "create b", NFCT_Q_CREATE, b)
    query(h, "create a again", NFCT_Q_CREATE, a)
    listing(h, seen, "list")
    query(h, "get b", NFCT_Q_GET, b, seen)

    nfct_set_attr_u32(a, ATTR_MARK, 77)
    query(h, "update a (mark 77)", NFCT_Q_UPDATE, a)
    query(h, "get a", NFCT_Q_GET, a, seen)

    half = half_built("10.9.0.1", "10.9.0.2", 4000, 53)
    query(h, "destroy a, half-built", NFCT_Q_DESTROY, half)
    query(h, "get a after", NFCT_Q_GET, a, seen)
    query(h, "destroy a again, half-built", NFCT_Q_DESTROY, half)
    query(h, "destroy b", NFCT_Q_DESTROY, b)

    empty = nfct_new()
    query(h, "destroy, empty object", NFCT_Q_DESTROY, empty)
    listing(h, seen, "list at the end")

    # create a, create b, update a, destroy a, destroy b
    catch_events(events, watched, 5)
    say("events: %d" % len(watched.seen))
    for s in watched.seen:
        say("  " + s)

    nfct_callback_unregister(h)
    for ct in (a, b, half, empty):
        nfct_destroy(ct)
    say("close:", nfct_close(h), nfct_close(events))


if __name__ == "__main__":
    main()
