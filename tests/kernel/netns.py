#!/usr/bin/env python3
"""The table-state holder of the kernel differential suite.

Started by `run` as

    unshare --net --mount --propagation private python3 netns.py WORKDIR SETUP_CONNTRACK SETUP_LIBDIR

so it lives in a brand-new network namespace and a private mount namespace.
It builds the environment (sysctls, nft ruleset, label map, real traffic on
loopback, a few `conntrack -R` entries), prints `READY`, then serves one-line
commands read from stdin:

    traffic NAME   run the traffic step NAME (see TRAFFIC) and print DONE
    (end of input) close every socket and exit: the namespaces die with us

Every socket of the initial traffic stays open for the life of the holder so
that TCP entries keep their state. Every client binds a fixed source port and
every ICMP echo a fixed id, so that two fresh namespaces hold the same tuples.
Nothing here ever leaves the namespace: all addresses are loopback ones
(127.0.0.0/8, ::1); the `conntrack -R` entries use documentation ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) and are only
table entries: no packet is sent to them.
"""

import os
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

SYSCTLS = {
    "net/netfilter/nf_conntrack_events": "1",
    "net/netfilter/nf_conntrack_acct": "1",
    "net/netfilter/nf_conntrack_timestamp": "1",
}
# Every nf_conntrack_*timeout* sysctl below this is raised to it, so that no
# entry made by the setup expires while a state is in use (UDP and ICMP
# default to 30 s, TCP CLOSE to 10 s).
MIN_TIMEOUT = 3600

KEEP = []  # sockets that must stay open


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, **kw)


def setup_env(work):
    # /etc is overlaid (private mount namespace) so the label map can be
    # written to /etc/xtables/connlabel.conf without touching the host's /etc.
    ov = os.path.join(work, "etc-overlay")
    os.makedirs(ov, exist_ok=True)
    sh("mount", "-t", "tmpfs", "h8-etc", ov)
    for d in ("upper", "work"):
        os.makedirs(os.path.join(ov, d))
    sh("mount", "-t", "overlay", "h8-etc", "-o",
       f"lowerdir=/etc,upperdir={ov}/upper,workdir={ov}/work", "/etc")
    os.makedirs("/etc/xtables", exist_ok=True)
    with open(os.path.join(HERE, "connlabel.conf")) as f, \
            open("/etc/xtables/connlabel.conf", "w") as g:
        g.write(f.read())

    sh("ip", "link", "set", "lo", "up")
    for k, v in SYSCTLS.items():
        with open("/proc/sys/" + k, "w") as f:
            f.write(v)
    d = "/proc/sys/net/netfilter"
    for name in sorted(os.listdir(d)):
        if name.startswith("nf_conntrack_") and "timeout" in name:
            p = os.path.join(d, name)
            try:
                with open(p) as f:
                    cur = int(f.read().split()[0])
                if 0 < cur < MIN_TIMEOUT:
                    with open(p, "w") as f:
                        f.write(str(MIN_TIMEOUT))
            except (OSError, ValueError):
                pass
    sh("nft", "-f", os.path.join(HERE, "ruleset.nft"))


# --- packet helpers -------------------------------------------------------

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def raw_tcp_syn(src, dst, sport, dport):
    """One TCP SYN from src:sport to dst:dport, sent once (no retransmits,
    so the entry's counters never move)."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, 5 << 4, 0x02, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.bind((src, 0))
    s.sendto(hdr, (dst, 0))
    s.close()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def raw_sctp_init(src, dst, sport, dport, tag):
    """One SCTP INIT chunk (the kernel has conntrack for SCTP but no SCTP
    sockets): gives a real SCTP entry in state COOKIE_WAIT."""
    init = struct.pack("!BBHIIHHI", 1, 0, 20, tag, 65535, 1, 1, 1)
    pkt = struct.pack("!HHII", sport, dport, 0, 0) + init
    c = crc32c(pkt)
    pkt = pkt[:8] + struct.pack("<I", c) + pkt[12:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)
    s.bind((src, 0))
    s.sendto(pkt, (dst, 0))
    s.close()


def icmp_echo(fam, dst, ident, seq):
    if fam == socket.AF_INET:
        s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        pkt = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"h8ping"
        pkt = pkt[:2] + struct.pack("!H", csum(pkt)) + pkt[4:]
    else:
        s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        pkt = struct.pack("!BBHHH", 128, 0, 0, ident, seq) + b"h8ping"  # kernel fills csum
    s.settimeout(2)
    s.sendto(pkt, (dst, 0))
    want = 0 if fam == socket.AF_INET else 129
    end = time.time() + 2
    while time.time() < end:  # wait for the kernel's echo reply
        data = s.recv(2048)
        off = (data[0] & 0xF) * 4 if fam == socket.AF_INET else 0
        if data[off] == want and struct.unpack("!H", data[off + 4:off + 6])[0] == ident:
            break
    s.close()


def bound(fam, typ, addr, port):
    s = socket.socket(fam, typ)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    return s


def listener(fam, addr, port):
    s = bound(fam, socket.SOCK_STREAM, addr, port)
    s.listen(8)
    KEEP.append(s)
    return s


def tcp_conn(fam, cli, cport, lst, dst, dport):
    """Connect cli:cport to dst:dport (accepted on lst), exchange one line each
    way; returns (client, server) sockets."""
    c = bound(fam, socket.SOCK_STREAM, cli, cport)
    c.connect((dst, dport))
    a, _ = lst.accept()
    c.sendall(b"ping\n")
    a.recv(100)
    a.sendall(b"pong\n")
    c.recv(100)
    KEEP.extend([c, a])
    return c, a


def udp_exchange(fam, cli, cport, srv, sport, dst=None, reply=True, count=1):
    s = bound(fam, socket.SOCK_DGRAM, srv, sport)
    c = bound(fam, socket.SOCK_DGRAM, cli, cport)
    s.settimeout(2)
    c.settimeout(2)
    for _ in range(count):
        c.sendto(b"q", (dst or srv, sport))
        data, peer = s.recvfrom(100)
        if reply:
            s.sendto(b"r", peer)
            c.recvfrom(100)
    KEEP.extend([s, c])


def ftp_control(fam, cli, cport, srv, command, reply):
    """An FTP control connection to srv:21: the server greets, the client
    sends COMMAND, the server answers REPLY. The kernel's ftp helper (set by
    the ruleset on port 21) parses PASV/EPSV replies and PORT commands and
    creates an expectation."""
    lst = FTP_LISTENERS[fam]
    c = bound(fam, socket.SOCK_STREAM, cli, cport)
    c.connect((srv, 21))
    a, _ = lst.accept()
    a.sendall(b"220 h8 ftp\r\n")
    c.recv(100)
    # The helper only parses a line that follows one it has seen in the same
    # direction: the client says USER first, as real clients do.
    c.sendall(b"USER h8\r\n")
    a.recv(100)
    a.sendall(b"331 go on\r\n")
    c.recv(100)
    c.sendall(command.encode() + b"\r\n")
    a.recv(100)
    a.sendall(reply.encode() + b"\r\n")
    c.recv(100)
    KEEP.extend([c, a])


FTP_LISTENERS = {}
V4, V6 = socket.AF_INET, socket.AF_INET6
LO4, LO6 = "127.0.0.1", "::1"


def initial_traffic():
    FTP_LISTENERS[V4] = listener(V4, LO4, 21)
    FTP_LISTENERS[V6] = listener(V6, LO6, 21)

    # TCP ESTABLISHED, ct mark 0x11 from the ruleset
    tcp_conn(V4, LO4, 40001, listener(V4, LO4, 5001), LO4, 5001)
    # TCP SYN_SENT [UNREPLIED]: one raw SYN, dropped on input by the ruleset
    raw_tcp_syn(LO4, LO4, 40002, 5002)
    # TCP TIME_WAIT: both sides close
    c, a = tcp_conn(V4, LO4, 40003, listener(V4, LO4, 5003), LO4, 5003)
    c.close()
    a.recv(10)
    a.close()
    # TCP CLOSE_WAIT: the client half-closes, the server stays open
    c, a = tcp_conn(V4, LO4, 40004, listener(V4, LO4, 5004), LO4, 5004)
    c.shutdown(socket.SHUT_WR)
    a.recv(10)
    # UDP with reply, UDP unreplied, UDP in zone 7 (ruleset)
    udp_exchange(V4, LO4, 40005, LO4, 5005, count=2)
    udp_exchange(V4, LO4, 40006, LO4, 5006, reply=False)
    udp_exchange(V4, LO4, 40007, LO4, 5007)
    # ICMP echo
    icmp_echo(V4, LO4, 0x1234, 1)
    # DNAT: 127.0.0.3:8080 -> 127.0.0.2:5010 (ruleset)
    tcp_conn(V4, LO4, 40010, listener(V4, "127.0.0.2", 5010), "127.0.0.3", 8080)
    # SNAT: 127.0.0.1 -> 127.0.0.5 towards 127.0.0.4:5011 (ruleset)
    udp_exchange(V4, LO4, 40011, "127.0.0.4", 5011)
    # SCTP INIT (no SCTP sockets in this kernel: raw packet)
    raw_sctp_init(LO4, LO4, 40012, 5012, 0xC0FFEE)
    # FTP: PASV with an expectation, PORT with an expectation, PASV whose
    # data connection is made (an EXPECTED entry; its expectation is gone)
    ftp_control(V4, LO4, 40021, LO4, "PASV", "227 Entering Passive Mode (127,0,0,1,200,10).")
    ftp_control(V4, LO4, 40022, LO4, "PORT 127,0,0,1,200,11", "200 PORT ok.")
    data_lst = listener(V4, LO4, 51212)
    ftp_control(V4, LO4, 40023, LO4, "PASV", "227 Entering Passive Mode (127,0,0,1,200,12).")
    tcp_conn(V4, LO4, 40024, data_lst, LO4, 51212)

    # IPv6: TCP ESTABLISHED, UDP with reply, ICMPv6 echo, FTP EPSV
    tcp_conn(V6, LO6, 40601, listener(V6, LO6, 6001), LO6, 6001)
    udp_exchange(V6, LO6, 40605, LO6, 6005)
    icmp_echo(V6, LO6, 0x5678, 1)
    ftp_control(V6, LO6, 40621, LO6, "EPSV", "229 Entering Extended Passive Mode (|||51220|)")
    time.sleep(0.1)  # let the last ACKs through before the state is read


def events_traffic():
    """Real traffic made while a listener is running (fresh tuples)."""
    lst = listener(V4, LO4, 7001)
    c, a = tcp_conn(V4, LO4, 47001, lst, LO4, 7001)
    c.close()
    a.recv(10)
    a.close()
    udp_exchange(V4, LO4, 47002, LO4, 7002)
    icmp_echo(V4, LO4, 0x4242, 1)
    udp_exchange(V6, LO6, 47003, LO6, 7003)
    ftp_control(V4, LO4, 47021, LO4, "PASV", "227 Entering Passive Mode (127,0,0,1,200,30).")
    time.sleep(0.1)


TRAFFIC = {"events": events_traffic}

LABEL_SETUP = [
    ["-U", "-p", "tcp", "--dport", "5001", "--label-add", "one", "--label-add", "seven"],
    ["-I", "-p", "tcp", "-s", "192.0.2.8", "-d", "192.0.2.9", "--sport", "1008",
     "--dport", "25", "--state", "FIN_WAIT", "-t", "7200", "--label-add", "zero",
     "--label-add", "answer"],
]


def main():
    work, setup_conntrack, setup_lib = sys.argv[1:4]
    setup_env(work)
    initial_traffic()
    env = dict(os.environ, LD_LIBRARY_PATH=setup_lib)
    sh(setup_conntrack, "-R", os.path.join(HERE, "entries.txt"), env=env,
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Labels: on a real entry, and on an entry of our own (not in
    # entries.txt: conntrack -R crashes on a --label-add line after others).
    for argv in LABEL_SETUP:
        sh(setup_conntrack, *argv, env=env, stdout=subprocess.DEVNULL,
           stderr=subprocess.DEVNULL)
    print("READY", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "traffic":
            TRAFFIC[words[1]]()
            print("DONE", flush=True)
    for s in KEEP:
        s.close()


if __name__ == "__main__":
    main()
