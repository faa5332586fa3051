#!/usr/bin/env python3
"""conntrack -L on our library against the reference (run through bench/run).

Runs inside a private network namespace (bench/run starts it with
`unshare -n`). Steps:

1. Turns on counters and timestamps, raises the namespace's conntrack
   timeouts so that nothing expires during the run, loads a generated table
   with `conntrack -R` and adds flows made by real loopback traffic (so that
   counters are not all zero), and checks the table holds exactly the
   number of entries asked for.
2. For each mode -- `conntrack -L` (plain), `-L -o xml`, `-L -o extended`,
   and "query", bench/dump.c, which lists through nfct_query() (conntrack
   1.4.6+ dumps with libmnl and never calls nfct_query, so only this mode
   exercises the library's own netlink engine) -- runs the same client once
   per library and checks that every run listed all entries and that the
   outputs are identical to the reference 1.1.0's after masking the
   timeouts and delta-times (they count by themselves).
3. Counts instructions with callgrind: the whole process, and the part
   spent inside libnetfilter_conntrack (inclusive cost of the client's calls
   into the library, its libnfnetlink/libmnl and libc calls included, minus
   the time the library spends in the client's callbacks).
4. Times each (mode, library) several times, interleaved, with output to
   /dev/null: wall time (monotonic clock), user and system CPU time (wait4)
   and max RSS (/usr/bin/time), and prints medians and the ratio
   ours/reference.

With --exec CMD it stops after step 1 (and building bench/dump.c) and runs
CMD in the namespace instead, for ad-hoc profiling (strace, perf, callgrind
with other options).
"""

import argparse
import collections
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time

from callgrind import parse_callgrind

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF110 = os.path.join(TOP, "ref/trixie/usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3")
SYS109 = "/usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3"

# Output mode: (client, its arguments). "conntrack" is the unmodified
# binary; "dump" is bench/dump.c (nfct_query, as conntrack <= 1.4.5 did it).
MODES = {
    "plain": ("conntrack", ["-L"]),
    "xml": ("conntrack", ["-L", "-o", "xml"]),
    "extended": ("conntrack", ["-L", "-o", "extended"]),
    "query": ("dump", ["plain"]),
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def die(msg):
    log("bench: " + msg)
    sys.exit(2)


def sysctl(name, value):
    with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
        f.write(str(value))


def read_int(path):
    with open(path) as f:
        return int(f.read())


# ---------------------------------------------------------------- the table


def gen_table(n, seed):
    """`conntrack -R` lines for n entries: mostly TCP in various states,
    UDP, some ICMP, IPv4 and some IPv6, some NAT, some marks."""
    rnd = random.Random(seed)
    seen = set()
    lines = []
    nat_port = collections.Counter()

    def v4_client():
        return "192.168.%d.%d" % (rnd.randrange(0, 16), rnd.randrange(2, 255))

    def v4_server():
        return "%d.%d.%d.%d" % (
            rnd.choice([8, 23, 31, 52, 104, 142, 151, 172, 185, 216]),
            rnd.randrange(0, 256), rnd.randrange(0, 256), rnd.randrange(1, 255))

    def v6_client():
        return "2001:db8:%x:%x::%x" % (rnd.randrange(1, 8), rnd.randrange(0, 0x10000),
                                       rnd.randrange(1, 0x10000))

    def v6_server():
        return "2a00:%x:%x:%x::%x" % (rnd.randrange(0x1000, 0x2000), rnd.randrange(0, 0x10000),
                                      rnd.randrange(0, 0x100), rnd.randrange(1, 0x200))

    wan = ["203.0.113.%d" % i for i in range(1, 5)]

    def mark():
        if rnd.random() < 0.3:
            return " -m %d" % rnd.choice([1, 2, 16, 256, 0xff00, rnd.randrange(1, 1 << 32)])
        return ""

    tcp_states = [("ESTABLISHED", 65), ("TIME_WAIT", 15), ("SYN_SENT", 5), ("SYN_RECV", 3),
                  ("FIN_WAIT", 3), ("CLOSE_WAIT", 4), ("LAST_ACK", 2), ("CLOSE", 3)]
    names, weights = zip(*tcp_states)

    def flow(proto, v6):
        """One unique flow: its tuple options."""
        while True:
            src = v6_client() if v6 else v4_client()
            dst = v6_server() if v6 else v4_server()
            if proto == "tcp":
                dport = rnd.choice([443, 443, 443, 80, 22, 993, 5222, 8080, rnd.randrange(1024, 65536)])
            else:
                dport = rnd.choice([53, 53, 123, 443, 5353, 3478, rnd.randrange(1024, 65536)])
            sport = rnd.randrange(32768, 61000)
            key = (proto, src, dst, sport, dport)
            if key in seen:
                continue
            opts = "-p %s -s %s -d %s --sport %d --dport %d" % (proto, src, dst, sport, dport)
            r = rnd.random()
            if not v6 and r < 0.25:
                # Masquerade: the reply goes to a WAN address and port.
                w = rnd.choice(wan)
                nat_port[w] += 1
                rport = 1024 + nat_port[w]
                rkey = (proto, dst, w, dport, rport)
                if rkey in seen:
                    continue
                seen.add(rkey)
                opts += " -r %s -q %s --reply-port-src %d --reply-port-dst %d" % (dst, w, dport, rport)
            else:
                rkey = (proto, dst, src, dport, sport)
                if rkey in seen:
                    continue
                seen.add(rkey)
            seen.add(key)
            return opts

    def tcp(v6):
        state = rnd.choices(names, weights)[0]
        if state == "SYN_SENT":
            status, t = "", rnd.randrange(3600, 7200)
        elif state in ("ESTABLISHED",):
            status, t = " -u SEEN_REPLY,ASSURED", rnd.randrange(1800, 432000)
        else:
            status, t = " -u SEEN_REPLY" + (",ASSURED" if state != "SYN_RECV" else ""), \
                rnd.randrange(3600, 7200)
        return "-I %s --state %s%s -t %d%s" % (flow("tcp", v6), state, status, t, mark())

    def udp(v6):
        r = rnd.random()
        status = " -u SEEN_REPLY,ASSURED" if r < 0.5 else " -u SEEN_REPLY" if r < 0.8 else ""
        return "-I %s%s -t %d%s" % (flow("udp", v6), status, rnd.randrange(3600, 7200), mark())

    icmp_ids = set()

    def icmp(v6):
        while True:
            src = v6_client() if v6 else v4_client()
            dst = v6_server() if v6 else v4_server()
            ident = rnd.randrange(1, 65536)
            if (src, dst, ident) not in icmp_ids:
                icmp_ids.add((src, dst, ident))
                break
        p = "icmpv6" if v6 else "icmp"
        ty = 128 if v6 else 8
        status = " -u SEEN_REPLY" if rnd.random() < 0.7 else ""
        return "-I -p %s -s %s -d %s --%s-type %d --%s-code 0 --%s-id %d%s -t %d%s" % (
            p, src, dst, p, ty, p, p, ident, status, rnd.randrange(3600, 7200), mark())

    mix = [(tcp, False, 0.605), (udp, False, 0.21), (icmp, False, 0.027),
           (tcp, True, 0.105), (udp, True, 0.037), (icmp, True, 0.016)]
    counts = [int(n * w) for _, _, w in mix]
    counts[0] += n - sum(counts)
    for (fn, v6, _), c in zip(mix, counts):
        lines.extend(fn(v6) for _ in range(c))
    rnd.shuffle(lines)
    return lines


def real_traffic(n):
    """n flows made by real loopback traffic (their counters are not zero):
    TCP connections left open (ESTABLISHED) or closed (TIME_WAIT), IPv4 and
    IPv6, and UDP request/replies. Returns the sockets to keep open."""
    if n <= 0:
        return []
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    rnd = random.Random(7)
    keep = []
    n_tcp4_open = n * 25 // 100
    n_tcp4_closed = n * 20 // 100
    n_tcp6_open = n * 5 // 100
    n_udp6 = n * 10 // 100
    n_udp4 = n - n_tcp4_open - n_tcp4_closed - n_tcp6_open - n_udp6

    def server(fam, addr):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, 0))
        s.listen(1024)
        keep.append(s)
        return s

    def recv_all(s, k):
        got = 0
        while got < k:
            b = s.recv(k - got)
            if not b:
                raise RuntimeError("connection closed early")
            got += len(b)

    def tcp(srv, close):
        c = socket.create_connection(srv.getsockname()[:2])
        a, _ = srv.accept()
        q, r = rnd.randrange(40, 600), rnd.randrange(100, 30000)
        c.sendall(b"q" * q)
        recv_all(a, q)
        a.sendall(b"r" * r)
        recv_all(c, r)
        if close:
            c.shutdown(socket.SHUT_WR)
            if a.recv(1) != b"":
                raise RuntimeError("expected end of stream")
            a.close()
            if c.recv(1) != b"":
                raise RuntimeError("expected end of stream")
            c.close()
        else:
            keep.extend([a, c])

    def udp(fam, addr, count):
        srv = socket.socket(fam, socket.SOCK_DGRAM)
        srv.bind((addr, 0))
        clients = []  # open until the end: a closed one's port could come again
        for _ in range(count):
            c = socket.socket(fam, socket.SOCK_DGRAM)
            clients.append(c)
            for _ in range(rnd.choice([1, 1, 2, 3])):
                c.sendto(b"q" * rnd.randrange(30, 500), srv.getsockname()[:2])
                _, peer = srv.recvfrom(2048)
                srv.sendto(b"r" * rnd.randrange(30, 1400), peer)
                c.recv(2048)
        for c in clients:
            c.close()
        srv.close()

    s4 = server(socket.AF_INET, "127.0.0.1")
    s6 = server(socket.AF_INET6, "::1")
    for i in range(n_tcp4_open + n_tcp4_closed):
        tcp(s4, close=i % (n_tcp4_open + n_tcp4_closed) < n_tcp4_closed)
    for _ in range(n_tcp6_open):
        tcp(s6, close=False)
    udp(socket.AF_INET, "127.0.0.1", n_udp4)
    udp(socket.AF_INET6, "::1", n_udp6)
    return keep


def setup_namespace(args, out):
    """Loads the table; returns what must stay alive while benchmarking."""
    if read_int("/proc/sys/net/netfilter/nf_conntrack_count") != 0:
        die("the conntrack table is not empty: not in a fresh namespace?")
    sysctl("net.netfilter.nf_conntrack_acct", 1)
    sysctl("net.netfilter.nf_conntrack_timestamp", 1)
    # Nothing may expire or change state during the run.
    for t in ["tcp_timeout_established", "tcp_timeout_time_wait", "tcp_timeout_close",
              "tcp_timeout_close_wait", "tcp_timeout_fin_wait", "tcp_timeout_last_ack",
              "tcp_timeout_syn_sent", "tcp_timeout_syn_recv", "udp_timeout", "udp_timeout_stream",
              "icmp_timeout", "icmpv6_timeout"]:
        sysctl("net.netfilter.nf_conntrack_" + t, 86400)
    real = min(args.real, args.entries)
    if real:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        # A rule that uses conntrack turns the hooks on in this namespace.
        rules = ("table inet bench {\n chain out {\n  type filter hook output priority 0;\n"
                 "  ct state new counter\n }\n}\n")
        subprocess.run(["nft", "-f", "-"], input=rules.encode(), check=True)
    lines = gen_table(args.entries - real, args.seed)
    table = os.path.join(out, "table.txt")
    with open(table, "w") as f:
        f.write("\n".join(lines) + "\n")
    t0 = time.monotonic()
    r = subprocess.run([args.conntrack, "-R", table], capture_output=True, text=True)
    if r.returncode != 0:
        die("conntrack -R failed: " + r.stderr.strip()[-500:])
    keep = real_traffic(real)
    count = read_int("/proc/sys/net/netfilter/nf_conntrack_count")
    log("loaded %d entries (%d by conntrack -R, %d by loopback traffic) in %.1f s"
        % (count, len(lines), real, time.monotonic() - t0))
    if count != args.entries:
        die("the table holds %d entries, not %d" % (count, args.entries))
    return keep


# ---------------------------------------------------------------- libraries


def lib_dirs(args, out):
    """{name: directory holding a libnetfilter_conntrack.so.3} for each library."""
    libs = [("ours", args.our_so), ("1.1.0", REF110)]
    if not args.no_109 and os.path.exists(SYS109):
        libs.append(("1.0.9", SYS109))
    dirs = {}
    for name, so in libs:
        d = os.path.join(out, "lib-" + name)
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, "libnetfilter_conntrack.so.3")
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.realpath(so), link)
        # The binary must load this very file.
        r = subprocess.run(["ldd", args.conntrack], env=env_for(d), capture_output=True, text=True)
        m = re.search(r"libnetfilter_conntrack\.so\.3 => (\S+)", r.stdout)
        if not m or os.path.realpath(m.group(1)) != os.path.realpath(so):
            die("%s: %s would load %s, not %s" % (name, args.conntrack, m and m.group(1), so))
        dirs[name] = d
    # Ours with symbols, for callgrind: the same code as the release build.
    prof = args.profiling_so or args.our_so
    d = os.path.join(out, "lib-ours-profiling")
    os.makedirs(d, exist_ok=True)
    link = os.path.join(d, "libnetfilter_conntrack.so.3")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.realpath(prof), link)
    args.profiling_dir = d
    # bench/dump.c, built against the reference header, linked by soname.
    if "query" in args.modes:
        dump = os.path.join(out, "dump")
        subprocess.run(["cc", "-O2", "-Wall", "-Werror", "-I",
                        os.path.join(TOP, "ref/trixie/usr/include"), "-o", dump,
                        os.path.join(TOP, "bench/dump.c"), "-L", dirs["1.1.0"],
                        "-l:libnetfilter_conntrack.so.3"], check=True)
    return dirs


def client(args, mode):
    """The command line of mode `mode`."""
    prog, argv = MODES[mode]
    return [args.conntrack if prog == "conntrack" else os.path.join(args.out, "dump")] + argv


def env_for(libdir):
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = libdir
    env["LC_ALL"] = "C"
    return env


# ---------------------------------------------------------------- checks


def mask(mode, text):
    if mode == "xml":
        text = re.sub(r"<timeout>\d+</timeout>", "<timeout>T</timeout>", text)
        text = re.sub(r"<deltatime>\d+</deltatime>", "<deltatime>D</deltatime>", text)
        return text
    skip = r"^(\S+\s+\d+\s+)" if mode in ("plain", "query") else r"^(\S+\s+\d+\s+\S+\s+\d+\s+)"
    text = re.sub(skip + r"\d+", r"\1T", text, flags=re.M)
    return re.sub(r"delta-time=\d+", "delta-time=D", text)


def listed(mode, stdout, stderr):
    """Entries in the output, and the count conntrack reports."""
    n = stdout.count("<flow>") if mode == "xml" else stdout.count("\n")
    m = re.search(r"(\d+) flow entries have been shown", stderr)
    return n, int(m.group(1)) if m else -1


def check_outputs(args, dirs, out):
    ok = True
    for mode in args.modes:
        texts = {}
        for name, d in dirs.items():
            r = subprocess.run(client(args, mode), env=env_for(d), capture_output=True,
                               text=True)
            with open(os.path.join(out, "%s-%s.out" % (mode, name)), "w") as f:
                f.write(r.stdout)
            n, said = listed(mode, r.stdout, r.stderr)
            if r.returncode != 0 or n != args.entries or said != args.entries:
                log("FAIL %s %s: exit %d, %d entries in the output, conntrack says %d"
                    % (mode, name, r.returncode, n, said))
                ok = False
            texts[name] = mask(mode, r.stdout)
        for name, text in texts.items():
            if name == "1.1.0":
                continue
            same = text == texts["1.1.0"]
            if not same:
                a, b = texts["1.1.0"].splitlines(), text.splitlines()
                diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                what = "FAIL" if name == "ours" else "note"
                log("%s %s: %s differs from 1.1.0 (masked), first at line %d:\n  1.1.0: %s\n  %s: %s"
                    % (what, mode, name, diff + 1, a[diff] if diff < len(a) else "<end>",
                       name, b[diff] if diff < len(b) else "<end>"))
                if name == "ours":
                    ok = False
        log("checked %-8s: %s" % (mode, ", ".join(
            "%s %s" % (n, "identical" if texts[n] == texts["1.1.0"] else "DIFFERENT")
            for n in texts if n != "1.1.0")))
    return ok


# ---------------------------------------------------------------- callgrind

def run_callgrind(args, dirs, out):
    res = {}
    for mode in args.modes:
        argv = client(args, mode)
        for name, d in dirs.items():
            if name == "ours":
                d = args.profiling_dir
            path = os.path.join(out, "callgrind.%s.%s" % (mode, name))
            cmd = ["valgrind", "--tool=callgrind", "-q", "--callgrind-out-file=" + path] + argv
            with open(os.devnull, "w") as null:
                r = subprocess.run(cmd, env=env_for(d), stdout=null, stderr=subprocess.PIPE,
                                   text=True)
            if r.returncode != 0:
                die("callgrind %s %s failed: %s" % (mode, name, r.stderr[-500:]))
            res[(mode, name)] = parse_callgrind(path, os.path.basename(argv[0]))
            log("callgrind %-8s %-5s: %13d Ir total, %13d in the library"
                % (mode, name, res[(mode, name)]["total"], res[(mode, name)]["lib"]))
    return res


# ---------------------------------------------------------------- timing


def run_once(argv, env, rss_file):
    """Wall time, user and system CPU time (s) and max RSS (KiB) of one run.

    The client runs under /usr/bin/time, which reports its max RSS: a child
    spawned straight from Python would report Python's (Linux keeps the
    high-water mark of the address space it was cloned from across exec).
    Wall and CPU time come from wait4() on time, whose own cost is a few
    hundred microseconds, the same for every library."""
    null = os.open(os.devnull, os.O_WRONLY)
    argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + argv
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(null)
    if os.waitstatus_to_exitcode(status) != 0:
        die("%s failed with status %d" % (" ".join(argv), status))
    with open(rss_file) as f:
        rss = int(f.read().split()[-1])
    return wall, ru.ru_utime, ru.ru_stime, rss


def run_timing(args, dirs):
    samples = collections.defaultdict(list)
    rss_file = os.path.join(args.out, "rss")
    for i in range(args.runs):
        for mode in args.modes:
            names = list(dirs)
            if i % 2:
                names.reverse()
            for name in names:
                samples[(mode, name)].append(
                    run_once(client(args, mode), env_for(dirs[name]), rss_file))
    return samples


# ---------------------------------------------------------------- report


def report(args, dirs, cg, samples, loadavg):
    rows = []
    med = {}
    for key, s in samples.items():
        walls, users, syss, rss = zip(*s)
        med[key] = {
            "wall_ms": statistics.median(walls) * 1e3,
            "wall_min_ms": min(walls) * 1e3,
            "wall_spread": (max(walls) - min(walls)) / statistics.median(walls),
            "user_ms": statistics.median(users) * 1e3,
            "sys_ms": statistics.median(syss) * 1e3,
            "rss_kib": statistics.median(rss),
        }
    fmt = "%-9s %-11s %13s %13s %8s %8s %8s %8s %8s"
    hdr = fmt % ("mode", "library", "Ir total", "Ir in lib", "wall ms", "wall min", "user ms",
                 "sys ms", "RSS KiB")
    rows.append(hdr)
    rows.append("-" * len(hdr))

    def cell(d, k, fmt):
        return fmt % d[k] if d and k in d else "-"

    for mode in args.modes:
        for name in dirs:
            c = cg.get((mode, name), {})
            m = med.get((mode, name), {})
            rows.append(fmt % (
                mode, name, cell(c, "total", "%d"), cell(c, "lib", "%d"),
                cell(m, "wall_ms", "%.1f"), cell(m, "wall_min_ms", "%.1f"),
                cell(m, "user_ms", "%.1f"), cell(m, "sys_ms", "%.1f"), cell(m, "rss_kib", "%d")))
        for ref in [n for n in dirs if n != "ours"]:
            def ratio(src, k):
                a, b = src.get((mode, "ours"), {}), src.get((mode, ref), {})
                return "%.3f" % (a[k] / b[k]) if k in a and k in b and b[k] else "-"
            rows.append(fmt % (
                mode, "ours/" + ref, ratio(cg, "total"), ratio(cg, "lib"),
                ratio(med, "wall_ms"), ratio(med, "wall_min_ms"), ratio(med, "user_ms"),
                ratio(med, "sys_ms"), ratio(med, "rss_kib")))
        rows.append("")
    ver = subprocess.run([args.conntrack, "--version"], capture_output=True, text=True).stdout.strip()
    print("conntrack -L of %d entries, %s (query: bench/dump.c, nfct_query), %d timed runs "
          "per cell (medians, interleaved), load average before: %s"
          % (args.entries, ver, args.runs, loadavg))
    print("\n".join(rows).rstrip())
    noisy = [(k, v["wall_spread"]) for k, v in med.items() if v["wall_spread"] > 0.25]
    if noisy:
        print("noisy: wall time spread (max-min)/median over 25%% for %s"
              % ", ".join("%s/%s %.0f%%" % (k[0], k[1], 100 * s) for k, s in sorted(noisy)))
    if ("plain", "ours") in cg and args.top:
        c = cg[("plain", "ours")]
        print("\nours, plain: where the instructions go (self cost, top %d functions; "
              "library entry points inclusive below)" % args.top)
        for (ob, fn), v in c["by_fn"].most_common(args.top):
            print("  %5.1f%% %12d  %s [%s]" % (100 * v / c["total"], v, fn, os.path.basename(ob)))
        print("  per object (self): " + ", ".join(
            "%s %.1f%%" % (k, 100 * v / c["total"])
            for k, v in sorted(c["by_obj"].items(), key=lambda kv: -kv[1])[:6]))
        print("  entry points (inclusive): " + ", ".join(
            "%s %d" % (k, v) for k, v in sorted(c["entry"].items(), key=lambda kv: -kv[1])[:6])
            + "; minus callbacks %d" % c["callbacks"])
    return med


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 usage="bench/run [options]   (runs this inside unshare -n)")
    ap.add_argument("--our-so", required=True, help="our libnetfilter_conntrack.so")
    ap.add_argument("--entries", type=int, default=20000, help="table size (default 20000)")
    ap.add_argument("--real", type=int, default=1000,
                    help="of which flows made by loopback traffic (default 1000)")
    ap.add_argument("--runs", type=int, default=11, help="timed runs per cell (default 11)")
    ap.add_argument("--modes", default="plain,xml,extended,query",
                    help="default plain,xml,extended,query (query: bench/dump.c, nfct_query)")
    ap.add_argument("--conntrack", default="/usr/sbin/conntrack",
                    help="client binary (default 1.4.7, /usr/sbin/conntrack)")
    ap.add_argument("--no-109", action="store_true", help="leave out the system's 1.0.9")
    ap.add_argument("--no-callgrind", action="store_true", help="skip instruction counts")
    ap.add_argument("--profiling-so",
                    help="ours with symbols (cargo --profile profiling), used for callgrind only; "
                         "default: --our-so")
    ap.add_argument("--top", type=int, default=15, help="top functions of ours to show")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated table")
    ap.add_argument("--exec", metavar="CMD",
                    help="after loading the table, run CMD (sh -c) in the namespace instead of "
                         "measuring; it sees BENCH_OUT, BENCH_CONNTRACK, BENCH_DUMP and "
                         "BENCH_LIB_OURS, BENCH_LIB_1_1_0, BENCH_LIB_1_0_9 (dirs for "
                         "LD_LIBRARY_PATH)")
    ap.add_argument("--out", default="/tmp/nfct-bench",
                    help="where outputs and callgrind files go (default /tmp/nfct-bench)")
    args = ap.parse_args()
    args.modes = args.modes.split(",")
    for m in args.modes:
        if m not in MODES:
            die("unknown mode %s (%s)" % (m, ",".join(MODES)))
    args.out = os.path.abspath(args.out)
    if os.getuid() != 0:
        die("needs root, in a private network namespace (use bench/run)")
    if not args.no_callgrind and not shutil.which("valgrind"):
        die("valgrind missing (apt-get install valgrind), or use --no-callgrind")
    # A namespace of our own: the init namespace's table is never touched.
    outer = os.environ.get("BENCH_OUTER_NETNS")
    if not outer or os.stat("/proc/self/ns/net").st_ino == int(outer):
        die("not in a private network namespace (use bench/run)")
    os.makedirs(args.out, exist_ok=True)
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])

    keep = setup_namespace(args, args.out)
    dirs = lib_dirs(args, args.out)
    if args.exec:
        env = dict(os.environ, BENCH_OUT=args.out, BENCH_CONNTRACK=args.conntrack,
                   BENCH_DUMP=os.path.join(args.out, "dump"))
        for name, d in dirs.items():
            env["BENCH_LIB_" + name.replace(".", "_").upper()] = d
        r = subprocess.run(["sh", "-c", args.exec], env=env)
        for s in keep:
            s.close()
        sys.exit(r.returncode)
    if not check_outputs(args, dirs, args.out):
        die("output check failed (outputs in %s)" % args.out)
    cg = {} if args.no_callgrind else run_callgrind(args, dirs, args.out)
    samples = run_timing(args, dirs)
    med = report(args, dirs, cg, samples, loadavg)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"entries": args.entries, "runs": args.runs, "loadavg": loadavg,
                   "callgrind": {"%s/%s" % k: {x: v[x] for x in ("total", "lib", "entry",
                                                                 "callbacks", "by_obj")}
                                 for k, v in cg.items()},
                   "timing": {"%s/%s" % k: v for k, v in med.items()},
                   "samples": {"%s/%s" % k: v for k, v in samples.items()}}, f, indent=1)
    log("outputs, callgrind files and results.json in " + args.out)
    for s in keep:
        s.close()


if __name__ == "__main__":
    main()
