#!/usr/bin/env bash
# Event filters in the kernel, both libraries at once: in one private network
# namespace, a listener process with our library and one with the reference
# 1.1.0 each attach the same filters (capi-tests/filter_events.c, one socket
# per filter) with their library's nfct_filter_attach(); conntrack entries are
# then created, updated and deleted over raw ctnetlink, and the events each
# listener got must be the same, filter by filter, in the same order.
#
# usage: tests/filter_kernel.sh [-k]     (-k keeps the work directory)
# environment: CARGO_TARGET_DIR (default ./target), FILTER_NO_BUILD=1 to use
# the .so already built. Needs root (unshare -n). Takes about a second.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
keep=0
[ "${1:-}" = -k ] && keep=1

die() { printf 'filter_kernel: %s\n' "$*" >&2; exit 2; }

target_dir=${CARGO_TARGET_DIR:-$top/target}
case $target_dir in /*) ;; *) target_dir=$top/$target_dir ;; esac
if [ "${FILTER_NO_BUILD:-0}" != 1 ]; then
	CARGO_TARGET_DIR=$target_dir cargo build --release --quiet || die "cargo build failed"
fi
our_so=$target_dir/release/libnetfilter_conntrack.so
ref_dir=$top/ref/trixie/usr/lib/x86_64-linux-gnu
[ -f "$our_so" ] || die "$our_so missing"
[ -e "$ref_dir/libnetfilter_conntrack.so.3" ] || die "reference 1.1.0 missing: run .ci/fetch-reference"
[ "$(id -u)" = 0 ] || die "needs root (unshare -n)"

work=$(mktemp -d "${TMPDIR:-/tmp}/filter_kernel.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/ours"
ln -s "$our_so" "$work/ours/libnetfilter_conntrack.so"
ln -s "$our_so" "$work/ours/libnetfilter_conntrack.so.3"

gcc -Wall -Wextra -Werror -g -I"$top/include" -I"$top/capi-tests" \
	-o "$work/filter_events" capi-tests/filter_events.c \
	-L"$work/ours" -lnetfilter_conntrack || die "cannot compile filter_events.c"

# Each listener must load the library it stands for.
for lib in "ours:$work/ours:$our_so" "ref:$ref_dir:$ref_dir/libnetfilter_conntrack.so.3"; do
	IFS=: read -r name dir file <<<"$lib"
	got=$(LD_LIBRARY_PATH=$dir ldd "$work/filter_events" |
		sed -n 's/.*libnetfilter_conntrack\.so\.3 => \([^ ]*\).*/\1/p')
	[ "$(readlink -f "$got")" = "$(readlink -f "$file")" ] ||
		die "$name listener would load $got, not $file"
done

# Inside the namespace: both listeners, wait until both are attached,
# generate, then let them print (end of file on their stdin).
inner() {
	set -euo pipefail
	cd "$work"
	echo 1 >/proc/sys/net/netfilter/nf_conntrack_events
	mkfifo go
	exec 3<>go
	LD_LIBRARY_PATH=$work/ours ./filter_events listen ready.ours <go >ours.out 2>ours.err 3>&- &
	p1=$!
	LD_LIBRARY_PATH=$ref_dir ./filter_events listen ready.ref <go >ref.out 2>ref.err 3>&- &
	p2=$!
	for _ in $(seq 100); do
		[ -e ready.ours ] && [ -e ready.ref ] && break
		sleep 0.05
	done
	[ -e ready.ours ] && [ -e ready.ref ] || { echo "listeners not ready" >&2; exit 1; }
	LD_LIBRARY_PATH=$work/ours ./filter_events generate
	exec 3>&-
	wait "$p1"
	wait "$p2"
}
export -f inner
export work ref_dir
timeout 60 unshare -n bash -c inner || {
	cat "$work"/*.err >&2 2>/dev/null || true
	die "the namespace run failed"
}

cases=$(grep -c ':$' "$work/ours.out" || true)
events=$(grep -c '^  ' "$work/ours.out" || true)
[ "$cases" -gt 0 ] && [ "$events" -gt 0 ] || die "no events recorded"
if ! diff -u --label "reference 1.1.0" --label ours "$work/ref.out" "$work/ours.out"; then
	echo "filter_kernel: FAIL: the listeners got different events"
	exit 1
fi
echo "filter_kernel: ok ($cases filters, $events events delivered, same for both libraries)"
