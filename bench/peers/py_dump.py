"""bench/peers: the whole table dumped with pyroute2's NFCTSocket.dump(),
once per family (a socket dumps the family it was made for, IPv4 by
default).

Prints "flows N ipv4 N ipv6 N ports N". Runs in the virtual environment
that .ci/install-deps --bench-peers makes (pyroute2 from PyPI).
"""
import socket

from pyroute2 import NFCTSocket

v4 = v6 = ports = 0
for family in (socket.AF_INET, socket.AF_INET6):
    with NFCTSocket(nfgen_family=family) as s:
        for msg in s.dump():
            if msg["nfgen_family"] == socket.AF_INET:
                v4 += 1
            else:
                v6 += 1
            orig = msg.get_attr("CTA_TUPLE_ORIG")
            proto = orig.get_attr("CTA_TUPLE_PROTO") if orig else None
            port = proto.get_attr("CTA_PROTO_DST_PORT") if proto else None
            ports += port or 0
print(f"flows {v4 + v6} ipv4 {v4} ipv6 {v6} ports {ports}")
