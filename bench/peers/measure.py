"""bench/peers, inside a private network namespace: load one table, dump it
with every contender several times, check each got every entry, and print
wall time, CPU time and max RSS side by side (a Markdown table).

Started by bench/peers/run (which builds the contenders and makes the
namespace); not meant to be run by hand in the host's namespace.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def table_lines(n, v6_share):
    """`conntrack -I` lines for n distinct entries, v6_share of them IPv6."""
    n6 = int(n * v6_share)
    for i in range(n - n6):
        a, b, c = i >> 16, (i >> 8) & 255, i & 255
        if i % 3:
            yield (f"-I -p tcp -s 10.{a}.{b}.{c} -d 172.16.{i % 200}.1 --sport {1024 + i % 60000} "
                   f"--dport {80 + i % 7} --state ESTABLISHED -t 3600 -m {i % 16}\n")
        else:
            yield (f"-I -p udp -s 10.{a}.{b}.{c} -d 172.16.{i % 200}.2 --sport {1024 + i % 60000} "
                   f"--dport 53 -t 3600\n")
    for i in range(n6):
        yield (f"-I -p tcp -s 2001:db8::{i >> 16:x}:{i & 0xffff:x} -d 2001:db8:1::1 "
               f"--sport {1024 + i % 60000} --dport 443 --state ESTABLISHED -t 3600\n")


def load(n, v6_share):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.writelines(table_lines(n, v6_share))
        path = f.name
    try:
        subprocess.run(["conntrack", "-R", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.unlink(path)
    count = int(subprocess.run(["conntrack", "-C"], check=True, capture_output=True,
                               text=True).stdout)
    return count


def run_once(argv, env):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M"] + argv,
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise SystemExit(f"{argv[0]} failed: {p.stderr.strip()}")
        wall, user, system, rss = t.read().split()
    return p.stdout.strip(), float(wall), float(user) + float(system), int(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=200_000)
    ap.add_argument("--v6-share", type=float, default=0.16)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--slow-runs", type=int, default=2, help="runs of contenders slower than 5 s")
    ap.add_argument("--contender", action="append", nargs=3, metavar=("NAME", "LIBDIR", "CMD"),
                    required=True, help="LIBDIR: '-' for none; CMD: the command line")
    args = ap.parse_args()

    if os.environ.get("BENCH_OUTER_NETNS") == str(os.stat("/proc/self/ns/net").st_ino):
        raise SystemExit("refusing to run in the namespace bench/peers/run started from")
    with open("/proc/sys/net/netfilter/nf_conntrack_max") as f:
        if int(f.read()) < args.entries:
            raise SystemExit("nf_conntrack_max is below --entries")
    log(f"loading {args.entries} entries ({args.v6_share:.0%} IPv6) with conntrack -R ...")
    count = load(args.entries, args.v6_share)
    if count != args.entries:
        raise SystemExit(f"the table holds {count} entries, not {args.entries}")

    results = {name: [] for name, _, _ in args.contender}
    outputs = {}
    slow = set()
    for r in range(max(args.runs, 1)):
        for name, libdir, cmd in args.contender:
            if name in slow and r >= args.slow_runs:
                continue
            env = dict(os.environ)
            if libdir != "-":
                env["LD_LIBRARY_PATH"] = libdir
            out, wall, cpu, rss = run_once(cmd.split(), env)
            log(f"run {r + 1}: {name}: {wall:.2f} s, {out}")
            results[name].append((wall, cpu, rss))
            outputs.setdefault(name, out)
            if out != outputs[name]:
                raise SystemExit(f"{name}: output changed between runs: {out}")
            if wall > 5:
                slow.add(name)

    first = next(iter(outputs.values()))
    for name, out in outputs.items():
        if not out.startswith(f"flows {count} "):
            raise SystemExit(f"{name} did not see every entry: {out}")
        if out != first:
            raise SystemExit(f"{name} disagrees: {out} against {first}")

    base_name = args.contender[1][0] if len(args.contender) > 1 else args.contender[0][0]
    base = statistics.median(w for w, _, _ in results[base_name])
    print(f"{count} entries ({args.v6_share:.0%} IPv6); medians of {args.runs} runs "
          f"({args.slow_runs} for contenders slower than 5 s); every contender saw: {first}")
    print()
    print(f"| contender | wall (s) | CPU user+sys (s) | max RSS (MiB) | wall / {base_name} |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, _, _ in args.contender:
        rs = results[name]
        wall = statistics.median(w for w, _, _ in rs)
        cpu = statistics.median(c for _, c, _ in rs)
        rss = max(m for _, _, m in rs) / 1024
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {rss:.1f} | {wall / base:.2f} |")


if __name__ == "__main__":
    main()
