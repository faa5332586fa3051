"""Two conntrackd nodes in private network namespaces, for tests/conntrackd/run
and bench/conntrackd.

Namespaces A and B joined by a veth pair, one conntrackd each (FTFW over
unicast UDP, its files in a work directory), the reference conntrack 1.4.8
on the reference 1.1.0 to load and list flows, polling, the statistics of
`conntrackd -s`, and cleanup that survives failures and signals: everything
started here is registered and removed by cleanup().
"""

import os
import re
import subprocess
import time

TOP = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REF_DIR = os.path.join(TOP, "ref/trixie/usr/lib/x86_64-linux-gnu")
# The tool that loads and lists flows: the reference conntrack 1.4.8 on the
# reference 1.1.0 in every run, never the library under test.
SETUP_CONNTRACK = os.path.join(TOP, "ref/trixie/usr/sbin/conntrack")
CONNTRACKD = "/usr/sbin/conntrackd"

LINK_A, LINK_B = "172.31.213.1", "172.31.213.2"
POLL_TIMEOUT = 30.0  # seconds for any one condition


class Fail(Exception):
    """A check failed: the message says what was expected and what was seen."""


# ---------------------------------------------------------------------------
# Processes and namespaces, with cleanup that survives failures and signals.

NAMESPACES = []  # names we created
DAEMONS = []  # Daemon objects started
HOLDERS = []  # other helpers started (anything with a stop() method)


def sh(args, env=None, check=True, timeout=60, input=None):
    r = subprocess.run(args, env=env, input=input, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise Fail(f"`{' '.join(args)}` exited {r.returncode}: {r.stderr.strip()}")
    return r


def netns_add(name):
    sh(["ip", "netns", "add", name])
    NAMESPACES.append(name)


def netns_del(name):
    subprocess.run(["ip", "netns", "del", name], capture_output=True)
    if name in NAMESPACES:
        NAMESPACES.remove(name)


def cleanup():
    for t in list(HOLDERS):
        t.stop()
    for d in list(DAEMONS):
        d.stop_hard()
    for ns in list(NAMESPACES):
        netns_del(ns)


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def wait_for(what, cond, timeout=POLL_TIMEOUT, interval=0.05):
    """Polls cond(), which returns (done, what it saw), until done; fails
    after `timeout` seconds, saying what it saw last."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = cond()
        if last[0]:
            return last
        if time.monotonic() > deadline:
            raise Fail(f"timed out after {timeout:.0f}s waiting for {what} (last seen: {last[1]})")
        time.sleep(interval)


ENTRY_RE = re.compile(r"^(?P<proto>[a-z0-9-]+)\s+(?P<num>\d+)\s")


def entry_lines(text):
    return [ln for ln in text.splitlines() if ENTRY_RE.match(ln)]


def parse_stats(text, moving=()):
    """conntrackd -s: {section: {name: value}} of every counter, plus the
    text with the counters that move by themselves masked: traffic, uptime
    and the (section, counter) pairs in `moving`."""
    stats, section, prev = {}, "", ""
    masked = []
    for ln in text.splitlines():
        s = ln.strip()
        if s.endswith(":") and ":" not in s[:-1]:
            section = s[:-1]
            stats.setdefault(section, {})
            masked.append(re.sub(r"active device=[^)]*", "active device=DEV", ln))
            continue
        if section.startswith("UDP traffic") and re.search(r"(Bytes|Pckts) (sent|recv)", s):
            masked.append(re.sub(r" *\d+", " N", ln))  # the padding too
        elif s.startswith("daemon uptime"):
            masked.append("daemon uptime: N")
        else:
            for sec, name in moving:
                if sec == section:
                    ln = re.sub(rf"^({re.escape(name)}:)\s+\d+", r"\1 N", ln)
            masked.append(ln)
        # "name:\t value" and "name: value  failed: value"
        for name, val in re.findall(r"([A-Za-z][A-Za-z ()]*?):\s+(\d+)", s):
            key = name.strip()
            if key == "failed":
                key = prev + " failed"
            stats.setdefault(section, {})[key] = int(val)
            prev = key
        # "N Bytes sent   N Bytes recv", "N Malformed msgs  N Lost msgs"
        for val, name in re.findall(r"(\d+) ([A-Za-z]+ [A-Za-z]+)", s):
            stats.setdefault(section, {})[name] = int(val)
    return stats, "\n".join(masked)


# ---------------------------------------------------------------------------
# One node: a namespace with a conntrackd.

CONF = """Sync {{
	Mode FTFW {{
	}}
	UDP {{
		IPv4_address {me}
		IPv4_Destination_Address {peer}
		Port 3780
		Interface {dev}
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}}
{options}}}
General {{
	# More buckets than the commit does per step (8192): a commit that
	# ends in its first step leaves conntrackd 1.4.7 "still committing"
	# for good (it never resets its client descriptor), refusing -f, and
	# `-c` then never commits the expectations after the flows.
	HashSize 32768
	HashLimit 65536
	LogFile {dir}/{name}.log
	Syslog off
	LockFile {dir}/{name}.lock
	UNIX {{
		Path {dir}/{name}.ctl
	}}
	NetlinkBufferSize {nl_size}
	NetlinkBufferSizeMaxGrowth {nl_max}
	Filter From {where} {{
		Protocol Accept {{
			TCP
			UDP
		}}
		Address Ignore {{
			IPv4_address 127.0.0.1
			IPv4_address {link_a}
			IPv4_address {link_b}
			IPv4_address 10.66.0.7
			IPv4_address 10.77.0.0/24
			IPv6_address ::1
			IPv6_address fd00:66::7
			IPv6_address fd00:77::/64
		}}
	}}
}}
"""


class Daemon:
    """One conntrackd: its configuration (CONF; `options` goes into Sync,
    `netlink_buffer` is (NetlinkBufferSize, NetlinkBufferSizeMaxGrowth)),
    its process and its client commands, all with the library in `libdir`."""

    def __init__(self, name, ns, dev, me, peer, where, libdir, workdir, options="",
                 netlink_buffer=(2097152, 8388608)):
        self.name, self.ns, self.libdir, self.dir = name, ns, libdir, workdir
        self.conf = os.path.join(workdir, f"{name}.conf")
        self.logfile = os.path.join(workdir, f"{name}.log")
        self.ctl = os.path.join(workdir, f"{name}.ctl")
        with open(self.conf, "w") as f:
            f.write(CONF.format(me=me, peer=peer, dev=dev, dir=workdir, name=name,
                                where=where, link_a=LINK_A, link_b=LINK_B, options=options,
                                nl_size=netlink_buffer[0], nl_max=netlink_buffer[1]))
        self.env = dict(os.environ, LD_LIBRARY_PATH=libdir)
        self.env.pop("NOTIFY_SOCKET", None)
        self.proc = None

    def start(self, wrapper=(), timeout=POLL_TIMEOUT):
        """Starts the daemon (under `wrapper`, a command prefix such as
        valgrind's) and waits until it answers on its UNIX socket."""
        self.out = open(os.path.join(self.dir, f"{self.name}.stdout"), "w")
        self.err = open(os.path.join(self.dir, f"{self.name}.stderr"), "w")
        # `ip netns exec` execs conntrackd (or the wrapper, which runs it in
        # its own process, as valgrind does): the pid is the daemon's.
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns, *wrapper, CONNTRACKD, "-C", self.conf],
                                     env=self.env, stdout=self.out, stderr=self.err,
                                     stdin=subprocess.DEVNULL)
        DAEMONS.append(self)

        def up():
            if self.proc.poll() is not None:
                raise Fail(f"conntrackd {self.name} exited {self.proc.returncode} at start: {self.read('stderr')}")
            if not os.path.exists(self.ctl):
                return (False, "no UNIX socket yet")
            r = self.client("-s", check=False)
            return (r.returncode == 0, r.stderr.strip())
        wait_for(f"conntrackd {self.name} to answer", up, timeout=timeout)

    def read(self, what):
        path = {"stdout": f"{self.name}.stdout", "stderr": f"{self.name}.stderr", "log": f"{self.name}.log"}[what]
        try:
            with open(os.path.join(self.dir, path)) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def loaded_library(self):
        """The libnetfilter_conntrack file mapped into the daemon."""
        with open(f"/proc/{self.proc.pid}/maps") as f:
            for ln in f:
                if "libnetfilter_conntrack" in ln:
                    return os.path.realpath(ln.split()[-1])
        return None

    def client(self, *args, check=True, timeout=30):
        """conntrackd -C CONF ARGS in the namespace (same library)."""
        return sh(["ip", "netns", "exec", self.ns, CONNTRACKD, "-C", self.conf, *args],
                  env=self.env, check=check, timeout=timeout)

    def count(self, opt):
        return len(entry_lines(self.client(opt).stdout))

    def stop(self, timeout=10):
        """conntrackd -k, then the daemon must exit 0 by itself."""
        self.client("-k")
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Fail(f"conntrackd {self.name} still running {timeout}s after -k")
        finally:
            self.stop_hard()
        if rc != 0:
            raise Fail(f"conntrackd {self.name} exited {rc} after -k")

    def stop_hard(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in ("out", "err"):
            if hasattr(self, f):
                getattr(self, f).close()
        if self in DAEMONS:
            DAEMONS.remove(self)


def setup_ct(ns, *args, input=None, check=True):
    env = dict(os.environ, LD_LIBRARY_PATH=REF_DIR)
    return sh(["ip", "netns", "exec", ns, SETUP_CONNTRACK, *args], env=env, input=input, timeout=60, check=check)


def events_sysctl(ns):
    """net.netfilter.nf_conntrack_events=1 in namespace ns (without procps'
    sysctl). The file exists once nf_conntrack is loaded: a ctnetlink
    request (conntrack -L) makes the kernel load it if it is not."""
    path = "/proc/sys/net/netfilter/nf_conntrack_events"
    cmd = ["ip", "netns", "exec", ns, "sh", "-c", f"test -e {path} && echo 1 >{path}"]
    if sh(cmd, check=False).returncode != 0:
        setup_ct(ns, "-L")
        if sh(cmd, check=False).returncode != 0:
            raise Fail(f"cannot write {path} in the namespace (is nf_conntrack available?)")


def load(ns, lines, path):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    setup_ct(ns, "-R", path)


# ---------------------------------------------------------------------------
# The pair of nodes.


def make_nodes(tag, mode, libdir, workdir, options_a="", options_b="", **daemon_options):
    """Namespaces A and B joined by a veth pair, each with a conntrackd
    configured (not started yet; `daemon_options` go to Daemon). Returns
    (ns_a, ns_b, a, b)."""
    tag = f"{os.getpid()}{tag}"
    ns_a, ns_b = f"ctdtest-{tag}-a", f"ctdtest-{tag}-b"
    dev_a, dev_b = f"ctd{tag}a"[-15:], f"ctd{tag}b"[-15:]
    for ns in (ns_a, ns_b):
        netns_add(ns)
        sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        events_sysctl(ns)
    sh(["ip", "link", "add", dev_a, "netns", ns_a, "type", "veth", "peer", "name", dev_b, "netns", ns_b])
    sh(["ip", "-n", ns_a, "addr", "add", f"{LINK_A}/24", "dev", dev_a])
    sh(["ip", "-n", ns_b, "addr", "add", f"{LINK_B}/24", "dev", dev_b])
    sh(["ip", "-n", ns_a, "link", "set", dev_a, "up"])
    sh(["ip", "-n", ns_b, "link", "set", dev_b, "up"])

    where = {"user": "Userspace", "kernel": "Kernelspace"}[mode]
    a = Daemon("a", ns_a, dev_a, LINK_A, LINK_B, where, libdir, workdir, options_a, **daemon_options)
    b = Daemon("b", ns_b, dev_b, LINK_B, LINK_A, where, libdir, workdir, options_b, **daemon_options)
    return ns_a, ns_b, a, b


def start_nodes(a, b, libfile):
    """Starts both daemons; each must have mapped the library under test."""
    a.start()
    b.start()
    for d in (a, b):
        got = d.loaded_library()
        if got != os.path.realpath(libfile):
            raise Fail(f"conntrackd {d.name} loaded {got}, not {libfile}")
