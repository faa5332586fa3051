"""The scenarios of the kernel differential suite, as data.

Each scenario is one `conntrack` argument list. `run` executes it once per
conntrack binary with library A and with library B and compares exit status,
stdout and stderr after masking (see README.md). Kinds:

  RO     read-only: all RO scenarios share one table state; after every run
         the table is compared with the state before it (a run that changes
         it fails, and the state is rebuilt).
  MOD    modifies the table: each run gets a fresh namespace built the same
         way; the table after the command (dumped with the setup tool) is
         compared too. Dump order differs between namespaces, so stdout and
         the table are compared as sorted lines; ids are masked.
  EVENT  `conntrack -E ...`: all listeners (every scenario x binary x library)
         run at the same time in one fresh state while GENERATOR changes the
         table, then get SIGINT. Ids and event timestamps are masked.

Addresses: loopback traffic made by netns.py (127.0.0.1..5, ::1) and entries
from entries.txt (documentation ranges, table entries only).
"""

RO, MOD, EVENT = "ro", "mod", "event"


class Scenario:
    """One row: NAME, ARGS (a string split on blanks, or a list), and optional
    OPTS: stdin ("@file" or text), pre (setup-tool argument lists run before
    the command, MOD only), only (conntrack versions that run it; default all)."""

    def __init__(self, name, args, kind, stdin=None, pre=(), only=None):
        self.name = name
        self.args = args.split() if isinstance(args, str) else list(args)
        self.kind = kind
        self.stdin = stdin
        self.pre = [p.split() if isinstance(p, str) else list(p) for p in pre]
        self.only = only


def table(kind, rows):
    return [Scenario(r[0], r[1], kind, **(r[2] if len(r) > 2 else {})) for r in rows]


# A real entry and an expectation used by several scenarios.
TCP5001 = "-p tcp -s 127.0.0.1 -d 127.0.0.1 --sport 40001 --dport 5001"
EXP51211 = ("-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 51211 "
            "--reply-port-src 0 --reply-port-dst 0")
NEW_EXP = ("-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 40021 --dport 21 "
           "--tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --tuple-port-src 0 "
           "--tuple-port-dst 51299 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 "
           "--mask-port-src 0 --mask-port-dst 0xffff -t 200")
NEW_TCP = "-p tcp -s 203.0.113.50 -d 203.0.113.51 --sport 3000 --dport 80 --state ESTABLISHED -t 500"

LIST_OUTPUT = table(RO, [
    ("list", "-L"),
    ("list-extended", "-L -o extended"),
    ("list-xml", "-L -o xml"),
    ("list-id", "-L -o id"),
    ("list-timestamp", "-L -o timestamp"),
    ("list-ktimestamp", "-L -o ktimestamp"),
    ("list-labels", "-L -o labels"),
    ("list-save", "-L -o save"),
    ("list-userspace", "-L -o userspace"),
    ("list-ext-id-labels", "-L -o extended,id,labels"),
    ("list-ext-all", "-L -o extended,timestamp,ktimestamp,id,labels"),
    ("list-xml-id", "-L -o xml,id"),
    ("list-xml-timestamp", "-L -o xml,timestamp"),
    ("list-xml-ktimestamp", "-L -o xml,ktimestamp"),
    ("list-xml-labels", "-L -o xml,labels"),
    ("list-xml-extended", "-L -o xml,extended"),
    ("list-ipv4", "-L -f ipv4 -o extended"),
    ("list-ipv6", "-L -f ipv6 -o extended"),
    ("list-ipv6-xml", "-L -f ipv6 -o xml"),
    ("list-dying", "-L dying"),
    ("list-unconfirmed", "-L unconfirmed"),
])

LIST_FILTERS = table(RO, [
    ("filter-p-tcp", "-L -p tcp"),
    ("filter-p-udp", "-L -p udp -o extended"),
    ("filter-p-icmp", "-L -p icmp"),
    ("filter-p-icmpv6", "-L -f ipv6 -p icmpv6"),
    ("filter-p-sctp", "-L -p sctp"),
    ("filter-p-gre", "-L -p gre"),
    ("filter-p-udplite", "-L -p udplite"),
    ("filter-p-number", "-L -p 132"),
    ("filter-state-est", "-L -p tcp --state ESTABLISHED"),
    ("filter-state-tw", "-L -p tcp --state TIME_WAIT"),
    ("filter-state-synsent", "-L -p tcp --state SYN_SENT -o xml"),
    ("filter-state-sctp", "-L -p sctp --state CLOSED"),
    ("filter-dport", "-L -p tcp --dport 5001"),
    ("filter-sport-dport", "-L -p tcp --sport 40001 --dport 5001"),
    ("filter-reply-port", "-L -p udp --reply-port-src 53"),
    ("filter-icmp-type", "-L -p icmp --icmp-type 8"),
    ("filter-s", "-L -s 127.0.0.1"),
    ("filter-s-doc", "-L -s 192.0.2.1"),
    ("filter-d", "-L -d 127.0.0.3"),
    ("filter-r", "-L -r 127.0.0.2"),
    ("filter-q", "-L -q 127.0.0.5"),
    ("filter-s-cidr", "-L -s 192.0.2.0/24"),
    ("filter-s-cidr28", "-L -s 192.0.2.0/28 -o extended"),
    ("filter-s-mask", "-L -s 192.0.2.0 --mask-src 255.255.255.0"),
    ("filter-d-mask", "-L -d 192.0.2.0 --mask-dst 255.255.255.240"),
    ("filter-d-cidr", "-L -d 198.51.100.0/24"),
    ("filter-v6-s-cidr", "-L -f ipv6 -s 2001:db8::/32"),
    ("filter-v6-s", "-L -f ipv6 -s ::1"),
    ("filter-v6-d-cidr", "-L -f ipv6 -d 2001:db8:1::/48"),
    ("filter-v6-implicit", "-L -s 2001:db8::1"),
    ("filter-v6-mask", "-L -f ipv6 -s 2001:db8:: --mask-src ffff:ffff::"),
    ("filter-mark", "-L -m 17"),
    ("filter-mark-mask", "-L -m 0x20/0xf0"),
    ("filter-mark-highbit", "-L -m 0x80000000/0x80000000"),
    ("filter-mark-zero", "-L -m 0/0xffffffff -p tcp"),
    ("filter-zone7", "-L -w 7"),
    ("filter-zone9", "-L -w 9"),
    ("filter-zone9-v6", "-L -f ipv6 -w 9"),
    ("filter-orig-zone", "-L --orig-zone 9"),
    ("filter-status-assured", "-L -u ASSURED"),
    ("filter-status-seen", "-L -u SEEN_REPLY -p udp"),
    ("filter-status-expected", "-L -u EXPECTED"),
    ("filter-status-unset", "-L -u UNSET"),
    ("filter-src-nat", "-L --src-nat"),
    ("filter-dst-nat", "-L --dst-nat"),
    ("filter-any-nat", "-L --any-nat"),
    ("filter-src-nat-ip", "-L --src-nat 127.0.0.5"),
    ("filter-dst-nat-ip", "-L --dst-nat 127.0.0.2"),
    ("filter-dst-nat-port", "-L --dst-nat 127.0.0.2:5010"),
    ("filter-any-nat-ip", "-L --any-nat 203.0.113.9"),
    ("filter-nat-v6", "-L -f ipv6 --dst-nat"),
    ("filter-label", "-L -l one"),
    ("filter-labels-2", "-L -l one -l seven -o labels"),
    ("filter-label-answer", "-L -l answer -o labels,extended"),
    ("filter-label-unknown", "-L -l nosuchlabel"),
    ("filter-combo", "-L -p tcp -s 127.0.0.1 -m 17 -u ASSURED -o extended"),
    ("filter-combo-xml", "-L -p udp -d 127.0.0.0/8 -u SEEN_REPLY -o xml,id"),
])

EXPECT_RO = table(RO, [
    ("expect-list", "-L expect"),
    ("expect-list-v6", "-L expect -f ipv6"),
    ("expect-list-xml", "-L expect -o xml"),
    ("expect-list-xml-v6", "-L expect -f ipv6 -o xml"),
    ("expect-list-ext", "-L expect -o extended"),
    ("expect-list-ts", "-L expect -o timestamp"),
    ("expect-get", "-G expect " + EXP51211),
    ("expect-get-missing", "-G expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 1 "
                           "--reply-port-src 0 --reply-port-dst 0"),
    ("expect-delete-missing", "-D expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 1 "
                              "--reply-port-src 0 --reply-port-dst 0"),
    ("expect-count", "-C expect"),
])

GET_COUNT_ERRORS = table(RO, [
    ("get", "-G " + TCP5001),
    ("get-xml", "-G -o xml " + TCP5001),
    ("get-ext-id-labels", "-G -o extended,id,labels " + TCP5001),
    ("get-v6", "-G -p tcp -s ::1 -d ::1 --sport 40601 --dport 6001"),
    ("get-icmp", "-G -p icmp -s 127.0.0.1 -d 127.0.0.1 --icmp-type 8 --icmp-code 0 --icmp-id 4660"),
    ("get-sctp", "-G -p sctp -s 192.0.2.12 -d 192.0.2.13 --sport 2905 --dport 2905"),
    ("get-gre", "-G -p gre -s 192.0.2.14 -d 192.0.2.15 --srckey 0x10 --dstkey 0x20"),
    # -G takes no zone: the zone-9 entry cannot be got.
    ("get-zone-missing", "-G -p tcp -s 192.0.2.4 -d 192.0.2.5 --sport 1004 --dport 443"),
    ("get-reply", "-G -p tcp -r 127.0.0.2 -q 127.0.0.1 --reply-port-src 5010 --reply-port-dst 40010"),
    ("get-missing", "-G -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport 1 --dport 2"),
    ("get-no-tuple", "-G -p tcp"),
    ("count", "-C"),
    ("stats", "-S"),
    ("err-create-dup", "-I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1001 --dport 80 --state ESTABLISHED -t 50"),
    ("err-create-no-timeout", "-I -p tcp -s 192.0.2.100 -d 192.0.2.101 --sport 1 --dport 2 --state ESTABLISHED"),
    ("err-create-dccp", "-I -p dccp -s 192.0.2.100 -d 192.0.2.101 --sport 1 --dport 2 --state OPEN -t 50"),
    ("err-create-bad-family", "-I -f ipv7 -p tcp -s 192.0.2.100 -d 192.0.2.101 --sport 1 --dport 2 -t 50"),
    ("err-create-mixed-family", "-I -p udp -s 192.0.2.100 -d 2001:db8::1 --sport 1 --dport 2 -t 50"),
    ("err-create-expect-no-master", "-I expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 1 --dport 2 "
                                    "--tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --tuple-port-src 0 "
                                    "--tuple-port-dst 51299 --mask-src 255.255.255.255 "
                                    "--mask-dst 255.255.255.255 --mask-port-src 0 --mask-port-dst 0xffff -t 200"),
    ("err-delete-missing", "-D -p tcp -s 192.0.2.200 -d 192.0.2.201 --sport 1 --dport 2"),
    ("err-delete-nomatch", "-D -s 192.0.2.222"),
    ("err-update-missing", "-U -p tcp -s 192.0.2.200 -d 192.0.2.201 --sport 1 --dport 2 -m 1"),
    ("err-update-nomatch", "-U -s 192.0.2.222 -m 1"),
    ("err-bad-family", "-L -f ipv7"),
    ("err-bad-proto", "-L -p nosuchproto"),
    ("err-bad-addr", "-L -s 999.1.1.1"),
    ("err-bad-cidr", "-L -s 192.0.2.0/33"),
    ("err-bad-output", "-L -o nosuchformat"),
    ("err-bad-option", "-L --nosuchoption"),
    ("err-two-commands", "-L -D"),
    ("err-bad-state", "-L -p tcp --state NOSUCHSTATE"),
    ("err-bad-mark", "-L -m nomark"),
    ("err-bad-port", "-L -p tcp --dport 70000"),
    ("err-bad-table", "-L nosuchtable"),
    ("err-bad-event-mask", "-E -e NOSUCHEVENT"),
    # Rejected by conntrack's own argument checks (no library call): they
    # prove both sides print the same usage errors.
    ("err-save-combined", "-L -o save,labels"),
    ("err-reply-src-cidr", "-L -r 203.0.113.0/24"),
    ("err-reply-dst-cidr", "-L -q 203.0.113.0/24"),
    ("err-expect-get-output", "-G expect -o xml " + EXP51211),
    ("err-get-zone", "-G -w 9 -p tcp -s 192.0.2.4 -d 192.0.2.5 --sport 1004 --dport 443"),
    ("err-zero-filter", "-L -z -p tcp"),
    ("err-events-status", "-E -u ASSURED"),
    ("err-load-missing-file", "-R /nonexistent/h8-entries"),
])

MOD_SCENARIOS = table(MOD, [
    ("delete-tuple", "-D " + TCP5001),
    ("delete-tuple-zone", "-D -w 9 -p tcp -s 192.0.2.4 -d 192.0.2.5 --sport 1004 --dport 443"),
    ("delete-tcp-dport", "-D -p tcp --dport 5001"),
    ("delete-src-cidr", "-D -s 192.0.2.0/24"),
    ("delete-udp", "-D -p udp"),
    ("delete-ipv6", "-D -f ipv6"),
    ("delete-mark", "-D -m 0x20"),
    ("delete-mark-mask", "-D -m 0x1/0x1"),
    ("delete-zone", "-D -w 9"),
    ("delete-label", "-D -l one"),
    ("delete-status", "-D -u SEEN_REPLY -p udp"),
    ("delete-state", "-D -p tcp --state TIME_WAIT"),
    ("delete-icmp-xml", "-D -p icmp -o xml"),
    ("delete-nat", "-D --dst-nat"),
    ("delete-all", "-D"),
    ("update-mark", "-U " + TCP5001 + " -m 0x42"),
    ("update-mark-filter", "-U -p tcp --dport 5001 -m 0x42"),
    ("update-mark-mask", "-U -p udp -m 0x1/0x1"),
    # conntrack 1.4.7 -U prints only the first entry it updated, in dump
    # order, which differs between two namespaces: multi-entry updates run on
    # 1.4.8 only; the single-entry ones above and below cover 1.4.7. And no
    # zone-9 entry in them: -U does not carry the zone, so updating such an
    # entry fails with ENOENT, and what happens next depends on dump order too.
    ("update-mark-cidr-xml", "-U -s 192.0.2.8/29 -m 5 -o xml", {"only": ["1.4.8"]}),
    ("update-mark-v6", "-U -f ipv6 -p tcp -m 9", {"only": ["1.4.8"]}),
    ("update-one-xml", "-U -p gre -m 5 -o xml"),
    ("update-zone", "-U -w 9 -m 5"),
    ("update-label-add", "-U -p tcp --dport 5001 --label-add answer"),
    ("update-label-del", "-U -p tcp --dport 5001 --label-del one"),
    ("update-label-del-all", "-U -p tcp --sport 1008 --label-del"),
    ("update-label-filter", "-U -l seven -m 0x77"),
    ("update-timeout", "-U " + TCP5001 + " -t 50"),
    ("update-status", "-U -p tcp --sport 1002 --dport 80 -s 192.0.2.1 -d 198.51.100.7 -u ASSURED"),
    ("flush", "-F"),
    ("flush-conntrack", "-F conntrack"),
    ("flush-ipv6", "-F -f ipv6"),
    ("flush-expect", "-F expect"),
    ("create-tcp", "-I " + NEW_TCP),
    ("create-tcp-extras", "-I " + NEW_TCP + " -m 0x99 -w 5 -u ASSURED --label-add answer"),
    ("create-v6", "-I -p udp -s 2001:db8::50 -d 2001:db8::51 --sport 3001 --dport 53 -t 500 -m 1 -w 3"),
    ("create-nat", "-I -p tcp -s 203.0.113.60 -d 203.0.113.61 -r 198.51.100.62 -q 203.0.113.60 "
                   "--sport 3002 --dport 80 --reply-port-src 8080 --reply-port-dst 3002 "
                   "--state ESTABLISHED -t 500"),
    ("create-sctp", "-I -p sctp -s 203.0.113.70 -d 203.0.113.71 --sport 36412 --dport 36412 "
                    "--state ESTABLISHED --orig-vtag 10 --reply-vtag 11 -t 500"),
    ("create-icmp", "-I -p icmp -s 203.0.113.72 -d 203.0.113.73 --icmp-type 8 --icmp-code 0 "
                    "--icmp-id 3 -t 500"),
    ("create-gre", "-I -p gre -s 203.0.113.74 -d 203.0.113.75 --srckey 1 --dstkey 2 -t 500"),
    ("create-xml", "-I " + NEW_TCP + " -o xml"),
    ("add-new", "-A " + NEW_TCP),
    ("add-existing", "-A -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1001 --dport 80 "
                     "--state ESTABLISHED -t 50"),
    # The kernel zeroes an entry's counters as it puts it in a dump message;
    # the entry that does not fit in a message any more is sent again in the
    # next one, now with zero counters. Where that boundary falls depends on
    # the dump order (per namespace) and the reader's buffer size, so the
    # table is first cut down to 7 entries, far less than one message.
    ("list-zero", "-L -z", {"pre": ["-D -p udp", "-D -p sctp", "-D -p gre", "-D -p udplite",
                                    "-D -f ipv6", "-D -s 192.0.2.0/24", "-D -p tcp --dport 21"]}),
    ("load-file", ["-R", "@entries"]),
    ("load-stdin", ["-R", "-"], {"stdin": "@entries"}),
    ("load-bad-line", ["-R", "-"], {"stdin": "@entries_bad"}),
    ("load-save-format", ["-R", "-"], {"stdin": "@entries_save"}),
    ("expect-create", "-I expect " + NEW_EXP),
    ("expect-create-dup", "-I expect " + NEW_EXP, {"pre": ["-I expect " + NEW_EXP]}),
    ("expect-delete", "-D expect " + EXP51211),
    ("expect-get-after-delete", "-G expect " + EXP51211, {"pre": ["-D expect " + EXP51211]}),
])

# Files handed to -R (written into the scenario's work dir; "@name" above).
FILES = {
    "entries": (
        "-I -p tcp -s 203.0.113.80 -d 203.0.113.81 --sport 4000 --dport 80 --state ESTABLISHED -t 500\n"
        "-I -p udp -s 203.0.113.82 -d 203.0.113.83 --sport 4001 --dport 53 -t 500 -m 7\n"
        "-I -p tcp -s 2001:db8::80 -d 2001:db8::81 --sport 4002 --dport 443 --state SYN_SENT -t 500 -w 4\n"
        "-I -p icmp -s 203.0.113.84 -d 203.0.113.85 --icmp-type 8 --icmp-code 0 --icmp-id 5 -t 500\n"
    ),
    "entries_bad": (
        "-I -p tcp -s 203.0.113.80 -d 203.0.113.81 --sport 4000 --dport 80 --state ESTABLISHED -t 500\n"
        "-I -p tcp -s 203.0.113.86 -d 203.0.113.87 --sport 4003 --dport 80 --state NOSUCH -t 500\n"
        "-I -p udp -s 203.0.113.82 -d 203.0.113.83 --sport 4001 --dport 53 -t 500 -m 7\n"
    ),
    "entries_save": (
        "-A -t 500 -u ASSURED -s 203.0.113.90 -d 203.0.113.91 -r 203.0.113.91 -q 203.0.113.90 "
        "-p tcp --sport 4010 --dport 22 --reply-port-src 22 --reply-port-dst 4010 --state ESTABLISHED\n"
        "-A -t 500 -u UNSET -s 203.0.113.92 -d 203.0.113.93 -r 203.0.113.93 -q 203.0.113.92 "
        "-p udp --sport 4011 --dport 123 --reply-port-src 123 --reply-port-dst 4011\n"
    ),
}

EVENT_SCENARIOS = table(EVENT, [
    ("events", "-E"),
    ("events-xml", "-E -o xml"),
    ("events-timestamp", "-E -o timestamp"),
    ("events-ext-id", "-E -o extended,id"),
    ("events-labels", "-E -o labels"),
    ("events-xml-ts-id", "-E -o xml,timestamp,id"),
    ("events-mask-new-destroy", "-E -e NEW,DESTROY"),
    ("events-mask-updates", "-E -e UPDATES"),
    ("events-mask-all", "-E -e ALL"),
    ("events-p-tcp", "-E -p tcp"),
    ("events-p-udp", "-E -p udp -o xml"),
    ("events-src", "-E -s 198.51.100.1"),
    ("events-dst-cidr", "-E -d 127.0.0.0/8"),
    ("events-dport", "-E -p tcp --dport 7001"),
    ("events-mark", "-E -m 2"),
    ("events-mark-mask", "-E -m 0x2/0x2"),
    ("events-zone", "-E -w 7"),
    ("events-label", "-E -l one"),
    ("events-ipv6", "-E -f ipv6"),
    ("events-v6-src", "-E -s 2001:db8::10"),
    ("events-v6-dst", "-E -d 2001:db8::11 -o extended"),
    ("events-v6-cidr", "-E -s 2001:db8::/64"),
    ("events-v6-mask", "-E -f ipv6 -s 2001:db8:: --mask-src ffff:ffff:ffff:ffff:ffff::"),
    ("events-nat", "-E --any-nat"),
    ("events-expect", "-E expect"),
    ("events-expect-xml", "-E expect -o xml"),
    ("events-expect-mask", "-E expect -e NEW"),
    ("events-expect-ts", "-E expect -o timestamp"),
])

# What changes the table while the EVENT listeners run: ("ct", argv) runs the
# setup tool (reference conntrack and library), ("traffic", name) asks the
# holder for real traffic (netns.py TRAFFIC).
GENERATOR = [
    ("ct", "-I -p tcp -s 198.51.100.1 -d 198.51.100.2 --sport 2001 --dport 80 --state SYN_SENT -t 100 -m 1"),
    ("ct", "-U -p tcp -s 198.51.100.1 -d 198.51.100.2 --sport 2001 --dport 80 -m 2"),
    ("ct", "-U -p tcp -s 198.51.100.1 -d 198.51.100.2 --sport 2001 --dport 80 --label-add one"),
    ("ct", "-I -p udp -s 198.51.100.3 -d 198.51.100.4 --sport 2002 --dport 53 -t 100 -w 7 -u ASSURED"),
    ("ct", "-I -p udp -s 2001:db8::10 -d 2001:db8::11 --sport 2003 --dport 53 -t 100"),
    # IPv6 neighbours of 2001:db8::10 that differ in one 32-bit word each:
    # the event filter must match all 128 bits (fixed in the reference 1.1.0).
    ("ct", "-I -p udp -s 2001:db8::20 -d 2001:db8::11 --sport 2003 --dport 53 -t 100"),
    ("ct", "-I -p udp -s 2001:db8:0:1::10 -d 2001:db8::11 --sport 2003 --dport 53 -t 100"),
    ("ct", "-I -p udp -s 2001:db8:0:0:1::10 -d 2001:db8::11 --sport 2003 --dport 53 -t 100"),
    ("ct", "-I -p udp -s 2001:db9::10 -d 2001:db8::11 --sport 2003 --dport 53 -t 100"),
    ("ct", "-I -p tcp -s 198.51.100.5 -d 198.51.100.6 -r 203.0.113.6 -q 198.51.100.5 --sport 2004 "
           "--dport 80 --reply-port-src 80 --reply-port-dst 2004 --state ESTABLISHED -t 100"),
    ("traffic", "events"),
    ("ct", "-D -p tcp -s 198.51.100.1"),
    ("ct", "-D -p udp -s 198.51.100.3 -w 7"),
    ("ct", "-D -f ipv6 -s 2001:db8::10"),
    ("ct", "-D -f ipv6 -d 2001:db8::11"),
    ("ct", "-D -s 198.51.100.5"),
    ("ct", "-D expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 51230 "
           "--reply-port-src 0 --reply-port-dst 0"),
    ("ct", "-I expect " + NEW_EXP),
    ("ct", "-F expect"),
]

ALL = LIST_OUTPUT + LIST_FILTERS + EXPECT_RO + GET_COUNT_ERRORS + MOD_SCENARIOS + EVENT_SCENARIOS


def _check():
    names = [s.name for s in ALL]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, dup


_check()
