#!/usr/bin/env python3
"""Compares our public headers with the reference's, as a C compiler sees them.

Usage: check-header.py REF_INCLUDE_DIR OUR_INCLUDE_DIR [PUBLIC_SYMBOLS]

Both directories hold a `libnetfilter_conntrack/` folder with the main header,
the protocol headers and the two ctnetlink constants headers. The names are
read from the preprocessor (`gcc -E -dD`) and the prototypes from
`gcc -aux-info`; only what the headers of that folder define counts (not what
they pull in from the system). Checks, each printing what differs:

  names       every name (macro, enumerator, tag, function) of the reference
              exists in ours, with the same kind, and ours has no name the
              reference lacks, except the allowlists below;
  values      every constant (object-like macro with a body, enumerator) has
              the reference's value, except the documented 1.1.1 changes;
  prototypes  every function has the reference's prototype, after removing
              parameter names, top-level `const` of by-value parameters and
              whitespace; deprecated functions are the same ones;
  symbols     (with PUBLIC_SYMBOLS) the reference header declares exactly
              the functions of that list, which abi/check-symbols compares
              with the library's exports;
  layouts     size and alignment of every struct and union, offset and size
              of every field, and the size of every named enum are the same.

Exits 1 when a check fails.
"""

import os
import re
import subprocess
import sys
import tempfile

# The headers under test, in the order a client would include them.
HEADERS = [
    "libnetfilter_conntrack.h",
    "libnetfilter_conntrack_tcp.h",
    "libnetfilter_conntrack_udp.h",
    "libnetfilter_conntrack_icmp.h",
    "libnetfilter_conntrack_sctp.h",
    "libnetfilter_conntrack_dccp.h",
    "libnetfilter_conntrack_ipv4.h",
    "libnetfilter_conntrack_ipv6.h",
    "linux_nfnetlink_conntrack.h",
    "linux_nf_conntrack_common.h",
]

# What 1.1.1 adds to the 1.1.0 reference: new names and their values ...
ADDED_1_1_1 = {
    "ATTR_TIMESTAMP_EVENT": 75,
    "CTA_TIMESTAMP_EVENT": 27,
}
# ... and the values that move because of them.
CHANGED_1_1_1 = {
    "ATTR_MAX": 76,
    "__CTA_MAX": 28,
    "CTA_MAX": 27,
}

# Names only ours has. The reference declares these enums without a tag;
# ours names them so that Rust (and cbindgen) can define them.
EXTRA_NAMES = {
    "enum nfct_subsystem",
    "enum nfct_setobjopt_option",
    "enum nfct_getobjopt_option",
    "enum nfct_callback_verdict",
    "enum nfct_output_type",
    "enum nfct_output_flags",
    "enum nfct_cmp_flags",
    "enum nfct_copy_flags",
} | set(ADDED_1_1_1)
# libnfnetlink's handles: the reference gets them by including libnfnetlink,
# which ours includes only where it is installed, so ours declares them.
EXTRA_NAMES |= {"struct nfnl_handle", "struct nfnl_subsys_handle"}

# Names that are enumerators in the reference and object-like macros in ours:
# a Rust enum cannot give one value two names, so aliases and bit numbers are
# #define constants. Their values are checked like every other constant.
# (Aliases of enum nf_conntrack_attr expand to the enumerator they alias, so
# C++ callers still pass an `enum nf_conntrack_attr`.)
ENUMERATOR_TO_MACRO = {
    "ATTR_IPV4_SRC",
    "ATTR_IPV4_DST",
    "ATTR_IPV6_SRC",
    "ATTR_IPV6_DST",
    "ATTR_PORT_SRC",
    "ATTR_PORT_DST",
    "ATTR_L3PROTO",
    "ATTR_L4PROTO",
    "NFCT_T_NEW_BIT",
    "NFCT_T_UPDATE_BIT",
    "NFCT_T_DESTROY_BIT",
    "NFCT_T_ERROR_BIT",
    "NFCT_O_DEFAULT",
    "NFCT_OF_SHOW_LAYER3_BIT",
    "NFCT_OF_TIME_BIT",
    "NFCT_OF_ID_BIT",
    "NFCT_OF_TIMESTAMP_BIT",
}

# Prototype differences we accept, name -> reason. None today.
PROTOTYPE_DIFFERENCES = {}

CC = os.environ.get("CC", "gcc")
# Compiler messages in plain ASCII quotes.
os.environ["LC_ALL"] = "C"

failed = False


def fail(msg):
    global failed
    failed = True
    print("FAIL: " + msg)


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + res.stdout + res.stderr)
        raise SystemExit(2)
    return res


class Side:
    """One header set: its names, read through the preprocessor."""

    def __init__(self, label, incdir, work):
        self.label = label
        self.incdir = os.path.realpath(incdir)
        self.folder = os.path.join(self.incdir, "libnetfilter_conntrack") + os.sep
        self.work = work
        self.names = {}  # name -> kind
        self.macros = {}  # name -> (is_function_like, body)
        self.enumerators = []
        self.enums = []  # tags of named enums
        self.records = []  # (struct|union, tag, [field names])
        self.prototypes = {}  # function -> normalised prototype
        self.cflags = ["-I" + self.incdir, "-Wno-cpp"]
        self._read()

    def in_scope(self, path):
        """Whether `path` is one of the headers under test."""
        return os.path.realpath(path).startswith(self.folder)

    def _read(self):
        src = os.path.join(self.work, "all.c")
        with open(src, "w") as f:
            for h in HEADERS:
                f.write("#include <libnetfilter_conntrack/%s>\n" % h)
        out = run([CC, "-E", "-dD"] + self.cflags + [src]).stdout
        text = {}
        current = None
        for line in out.splitlines():
            m = re.match(r'# \d+ "([^"]*)"', line)
            if m:
                current = m.group(1) if self.in_scope(m.group(1)) else None
                continue
            if current is None:
                continue
            m = re.match(r"#define (\w+)(\(?)\s*(.*)$", line)
            if m:
                name, fn, body = m.groups()
                self.macros[name] = (fn == "(", body.strip())
                self.names[name] = "function-like macro" if fn else "macro"
                continue
            if line.startswith("#"):
                continue
            text.setdefault(current, []).append(line)
        code = re.sub(r"\s+", " ", " ".join(" ".join(v) for v in text.values()))
        for tag, body in re.findall(r"\benum\s*(\w*)\s*\{([^}]*)\}", code):
            if tag:
                self.enums.append(tag)
                self.names["enum " + tag] = "enum"
            for item in split_top(body):
                name = item.split("=")[0].strip()
                if name:
                    self.enumerators.append(name)
                    self.names[name] = "enumerator"
        for kind, tag, body in re.findall(r"\b(struct|union)\s+(\w+)\s*\{([^}]*)\}", code):
            fields = []
            for decl in body.split(";"):
                for d in split_top(decl):
                    m = re.search(r"(\w+)\s*(\[[^\]]*\]\s*)*$", d.strip())
                    if m:
                        fields.append(m.group(1))
            self.records.append((kind, tag, sorted(set(fields))))
            self.names[kind + " " + tag] = kind
        for kind, tag in re.findall(r"\b(struct|union|enum)\s+(\w+)\s*;", code):
            self.names.setdefault(kind + " " + tag, kind)
        for name in re.findall(r"\btypedef\b[^;]*?(\w+)\s*;", code):
            self.names[name] = "typedef"
        aux = os.path.join(self.work, "all.aux")
        run([CC, "-c", "-o", os.devnull, "-aux-info", aux] + self.cflags + [src])
        with open(aux) as f:
            for line in f:
                m = re.match(r"/\* (.*?):\d+:\w+ \*/ (.*);$", line.strip())
                if not m or not self.in_scope(m.group(1)):
                    continue
                name, proto = normalise(m.group(2))
                self.prototypes[name] = proto
                self.names[name] = "function"

    def compile_run(self, name, program):
        src = os.path.join(self.work, name + ".c")
        exe = os.path.join(self.work, name)
        with open(src, "w") as f:
            f.write(program)
        run([CC, "-o", exe] + self.cflags + [src])
        return run([exe]).stdout

    def deprecated(self, functions):
        src = os.path.join(self.work, "deprecated.c")
        with open(src, "w") as f:
            f.write(includes())
            f.write("typedef void (*any_fn)(void);\nany_fn all_functions[] = {\n")
            for fn in functions:
                f.write("\t(any_fn)%s,\n" % fn)
            f.write("};\n")
        res = subprocess.run(
            [CC, "-c", "-o", os.devnull, "-Wdeprecated-declarations"] + self.cflags + [src],
            capture_output=True,
            text=True,
        )
        return set(re.findall(r"'(\w+)' is deprecated", res.stderr))


def split_top(s):
    """Splits at commas outside parentheses and brackets."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def normalise(decl):
    """`extern int f (const int , char *)` -> ("f", "int f(int, char *)")."""
    decl = re.sub(r"\s+", " ", decl.replace("extern ", "")).strip()
    m = re.match(r"(.*?)(\w+) \((.*)\)$", decl)
    ret, name, params = m.groups()
    out = []
    for p in split_top(params):
        p = p.strip()
        # A by-value parameter's own `const` is not part of the function type.
        if "*" not in p and "(" not in p:
            p = re.sub(r"\bconst\b", "", p)
        p = re.sub(r"\*\s*const\s*$", "*", p)
        p = re.sub(r"\s+", " ", p).strip()
        p = re.sub(r"\s*\*\s*", " *", p).replace("* *", "**")
        p = re.sub(r"\s*\(\s*", "(", p).replace(" )", ")")
        out.append(p)
    ret = re.sub(r"\s*\*\s*", " *", ret.strip())
    return name, "%s %s(%s)" % (ret, name, ", ".join(out))


def includes():
    return "".join("#include <libnetfilter_conntrack/%s>\n" % h for h in HEADERS)


def value_program(names):
    lines = [includes(), "#include <stdio.h>\n", "int main(void)\n{\n"]
    for n in names:
        lines.append('\tprintf("%%s %%lld\\n", "%s", (long long)(%s));\n' % (n, n))
    lines.append("\treturn 0;\n}\n")
    return "".join(lines)


def layout_program(records, enums):
    lines = [includes(), "#include <stdio.h>\n#include <stddef.h>\n", "int main(void)\n{\n"]
    for kind, tag, fields in records:
        t = "%s %s" % (kind, tag)
        lines.append('\tprintf("%s size %%zu align %%zu\\n", sizeof(%s), _Alignof(%s));\n' % (t, t, t))
        for f in fields:
            lines.append(
                '\tprintf("%s.%s offset %%zu size %%zu\\n", offsetof(%s, %s), sizeof(((%s *)0)->%s));\n'
                % (t, f, t, f, t, f)
            )
    for e in enums:
        lines.append('\tprintf("enum %s size %%zu\\n", sizeof(enum %s));\n' % (e, e))
    lines.append("\treturn 0;\n}\n")
    return "".join(lines)


def parse_values(out):
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "ref"))
        os.mkdir(os.path.join(work, "ours"))
        ref = Side("reference", sys.argv[1], os.path.join(work, "ref"))
        ours = Side("ours", sys.argv[2], os.path.join(work, "ours"))
        for side in (ref, ours):
            if len(side.prototypes) == 0 or len(side.enumerators) == 0:
                fail("%s: found no declarations in %s" % (side.label, side.folder))
                return

        # names
        missing = sorted(set(ref.names) - set(ours.names))
        extra = sorted(set(ours.names) - set(ref.names) - EXTRA_NAMES)
        for n in missing:
            fail("names: %s (%s) is missing" % (n, ref.names[n]))
        for n in extra:
            fail("names: %s (%s) is not in the reference" % (n, ours.names[n]))
        for n in sorted(EXTRA_NAMES - set(ours.names)):
            fail("names: %s is allowlisted but ours lacks it" % n)
        for n in sorted(set(ref.names) & set(ours.names)):
            kinds = (ref.names[n], ours.names[n])
            if kinds[0] != kinds[1] and not (n in ENUMERATOR_TO_MACRO and kinds == ("enumerator", "macro")):
                fail("names: %s is a %s in the reference, a %s in ours" % ((n,) + kinds))
        print(
            "names: %d in the reference, %d in ours (%d allowlisted extras)"
            % (len(ref.names), len(ours.names), len(EXTRA_NAMES))
        )

        # values
        consts = [n for n in ref.enumerators]
        consts += [n for n, (fn, body) in ref.macros.items() if not fn and body]
        consts = [n for n in dict.fromkeys(consts) if n in ours.names]
        expect = parse_values(ref.compile_run("values", value_program(consts)))
        expect.update(CHANGED_1_1_1)
        got = parse_values(ours.compile_run("values", value_program(consts)))
        for n in consts:
            if got[n] != expect[n]:
                fail("values: %s is %d, expected %d" % (n, got[n], expect[n]))
        added = parse_values(ours.compile_run("added", value_program(sorted(ADDED_1_1_1))))
        for n, v in ADDED_1_1_1.items():
            if added[n] != v:
                fail("values: %s is %d, expected %d (1.1.1)" % (n, added[n], v))
        empty = sorted(n for n, (fn, body) in ref.macros.items() if not fn and not body)
        for n in empty:
            if ours.macros.get(n, (False, "?")) != (False, ""):
                fail("values: %s must be defined empty (an include guard)" % n)
        print("values: %d constants, %d include guards, %d 1.1.1 additions" % (len(consts), len(empty), len(ADDED_1_1_1)))

        # prototypes
        for fn in sorted(set(ref.prototypes) & set(ours.prototypes)):
            a, b = ref.prototypes[fn], ours.prototypes[fn]
            if a != b and fn not in PROTOTYPE_DIFFERENCES:
                fail("prototypes: %s\n  reference: %s\n  ours:      %s" % (fn, a, b))
        for fn, why in PROTOTYPE_DIFFERENCES.items():
            print("prototypes: %s differs on purpose: %s" % (fn, why))
        functions = sorted(ref.prototypes)
        dep_ref = ref.deprecated(functions)
        dep_ours = ours.deprecated([f for f in functions if f in ours.prototypes])
        for fn in sorted(dep_ref ^ dep_ours):
            fail(
                "prototypes: %s is deprecated in %s only"
                % (fn, "the reference" if fn in dep_ref else "ours")
            )
        print("prototypes: %d functions, %d deprecated" % (len(functions), len(dep_ref)))

        # symbols
        if len(sys.argv) == 4:
            with open(sys.argv[3]) as f:
                public = set(f.read().split())
            for fn in sorted(public ^ set(functions)):
                fail(
                    "symbols: %s is %s"
                    % (fn, "not declared by the reference" if fn in public else "not in " + sys.argv[3])
                )
            print("symbols: %d public functions" % len(public))

        # layouts
        prog = layout_program(ref.records, [e for e in ref.enums if "enum " + e in ours.names])
        a = ref.compile_run("layout", prog).splitlines()
        b = ours.compile_run("layout", prog).splitlines()
        for x, y in zip(a, b):
            if x != y:
                fail("layouts: reference '%s', ours '%s'" % (x, y))
        print("layouts: %d structs/unions, %d lines compared" % (len(ref.records), len(a)))


if __name__ == "__main__":
    main()
    if failed:
        print("check-header: FAILED")
        sys.exit(1)
    print("check-header: ok")
