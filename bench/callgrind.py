"""Reading callgrind output files (bench/list.py, bench/api, bench/conntrackd).

parse_callgrind: the costs of one profile (events: Ir), per object, per
function, and the part spent inside libnetfilter_conntrack on behalf of
the client. parse_parts: the totals of each part of a file written with
--combine-dumps=yes, by the name of the client request that dumped it.
"""

import collections
import os
import re

LIB = "libnetfilter_conntrack.so"
STACK = (LIB, "libnfnetlink.so", "libmnl.so")


def in_lib(ob):
    return os.path.basename(ob).startswith(LIB)


def in_stack(ob):
    return os.path.basename(ob).startswith(STACK)


def parse_callgrind(path, client):
    """Totals of a callgrind.out file (events: Ir): the whole process, self
    cost per object and per (object, function), and the instructions spent
    inside libnetfilter_conntrack on behalf of the client (as bench/list.py
    explains), with the inclusive cost per entry point.

    The library part is the inclusive cost of every call from the client's
    side into libnetfilter_conntrack, minus the inclusive cost of the calls
    that the library (or libnfnetlink, on its behalf) makes back into the
    client (callbacks). Calls into libnetfilter_conntrack from libmnl and
    libnfnetlink are the library's own (the reference parses with libmnl's
    attribute walker and receives with libnfnetlink). Code valgrind cannot
    place in an object ("???": the .plt.sec stubs of binaries built with
    CET) belongs to the side of whoever calls it."""
    names = {"ob": {}, "fl": {}, "fn": {}}
    space = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl",
             "cfl": "fl", "fn": "fn", "cfn": "fn"}

    def name(kind, v):
        table = names[space[kind]]
        m = re.match(r"\((\d+)\)(?: (.*))?$", v)
        if not m:
            return v
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), "?")

    total = None
    ob = fn = ""
    cob = cfn = None
    in_call = False
    by_obj = collections.Counter()
    by_fn = collections.Counter()
    arcs = collections.Counter()
    with open(path) as f:
        for line in f:
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if in_call:
                    arcs[(ob, fn, cob if cob is not None else ob, cfn)] += cost
                    in_call = False
                    cob = cfn = None
                else:
                    by_obj[ob] += cost
                    by_fn[(ob, fn)] += cost
                continue
            key, _, val = line.rstrip("\n").partition("=")
            if key == "ob":
                ob = name(key, val)
            elif key == "fn":
                fn = name(key, val)
            elif key == "cob":
                cob = name(key, val)
            elif key == "cfn":
                cfn = name(key, val)
            elif key in ("fl", "fi", "fe", "cfi", "cfl"):
                name(key, val)
            elif key == "calls":
                in_call = True
            elif line.startswith(("summary:", "totals:")):
                total = int(line.split()[1])
    if total is None:
        total = sum(by_obj.values())

    callers = collections.defaultdict(set)
    for (ob, fn, cob, cfn) in arcs:
        callers[(cob, cfn)].add((ob, fn))

    def base(ob):
        return os.path.basename(ob)

    def unplaced(ob):
        return ob in ("", "???") or base(ob) == "???"

    def lib_side(ob, fn, depth=0):
        """Whether code of (ob, fn) runs on the library's side."""
        if not unplaced(ob):
            return in_stack(ob)
        if depth > 4:
            return False
        return any(lib_side(o, f, depth + 1) for o, f in callers[(ob, fn)])

    entry = collections.Counter()
    callbacks = 0
    for (ob, fn, cob, cfn), cost in arcs.items():
        if in_lib(cob) and not lib_side(ob, fn):
            entry[cfn] += cost
        elif base(cob) == client and (in_lib(ob) or base(ob).startswith("libnfnetlink.so")
                                      or (unplaced(ob) and lib_side(ob, fn))):
            callbacks += cost
    return {
        "total": total,
        "lib": sum(entry.values()) - callbacks,
        "entry": dict(entry),
        "callbacks": callbacks,
        "by_obj": {base(k): v for k, v in by_obj.items()},
        "by_fn": by_fn,
    }


def parse_parts(path):
    """{trigger name: Ir} of every part of a callgrind file written with
    --combine-dumps=yes, where each part was dumped by a client request
    (CALLGRIND_DUMP_STATS_AT(name))."""
    parts = {}
    name = None
    with open(path) as f:
        for line in f:
            if line.startswith("desc: Trigger: Client Request: "):
                name = line[len("desc: Trigger: Client Request: "):].strip()
            elif line.startswith("totals: ") and name is not None:
                parts[name] = int(line.split()[1])
                name = None
    return parts

