/* capi: min-ref 1.1 */
/*
 * Event filters (nfct_filter_*): builds filters through the API, attaches
 * each to a fresh NETLINK_NETFILTER socket, reads the program back from the
 * kernel (SO_GET_FILTER) and prints it instruction by instruction, with every
 * return value and errno.
 *
 * Left out (the reference does not do what it documents, and ours differs
 * on purpose; see src/conntrack/filter/bpf.rs and bad_filter.c):
 * - states of more than one protocol in one filter (the reference writes
 *   each protocol's block over the previous one);
 * - lists whose jumps exceed 255 instructions (more than 81 IPv4
 *   addresses of one direction, 85 marks, 244 protocols or 243 with
 *   negative logic): the reference wraps the jump offsets; their limits are
 *   checked here by comparing programs, not by printing them;
 * - a logic other than positive or negative on an attribute with entries
 *   (the first six) when another condition block follows it: the
 *   reference builds jumps one instruction past its block, into the next
 *   one, and attaches a program that filters the wrong events; ours fails
 *   to attach with EINVAL, as the reference does when no block follows
 *   (the kernel refuses its program then), which is tested here;
 * - nfct_filter_add_attr_u32 for attributes wider than 32 bits (the
 *   reference reads past the value).
 *
 * filter_program_common.c includes this file with FILTER_COMMON_ONLY to run
 * the cases that 1.0.9 shares (no IPv6 address, whose program 1.1.0 fixed,
 * and no zone, which 1.0.9 lacks) against both references.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

#define MAX_PROG 4096

static int nl_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	return fd;
}

/* Reads the program of `fd` into `buf`; returns its length, 0 if none. */
static unsigned read_prog(int fd, struct sock_filter *buf)
{
	socklen_t n = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, NULL, &n) < 0) {
		perror("SO_GET_FILTER");
		exit(2);
	}
	if (n == 0)
		return 0;
	if (n > MAX_PROG) {
		fprintf(stderr, "program of %u instructions\n", (unsigned)n);
		exit(2);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, buf, &n) < 0) {
		perror("SO_GET_FILTER");
		exit(2);
	}
	return n;
}

static void print_prog(int fd)
{
	static struct sock_filter p[MAX_PROG];
	unsigned n = read_prog(fd, p);
	printf("  program: %u instructions\n", n);
	for (unsigned i = 0; i < n; i++)
		printf("  %4u: code=%04x jt=%3u jf=%3u k=%08x\n", i, p[i].code,
		       p[i].jt, p[i].jf, p[i].k);
}

/* Attaches `f` to a fresh socket; prints the result, errno, the program. */
static void show(const char *name, struct nfct_filter *f)
{
	int fd = nl_socket();
	printf("%s:\n", name);
	errno = 0;
	int r = nfct_filter_attach(fd, f);
	int e = errno;
	printf("  attach = %d errno=%s\n", r, e ? strerror(e) : "0");
	print_prog(fd);
	close(fd);
}

/* Whether `a` and `b` attach the same program; prints attach results. */
static void same_program(const char *name, struct nfct_filter *a,
			 struct nfct_filter *b)
{
	static struct sock_filter pa[MAX_PROG], pb[MAX_PROG];
	int fa = nl_socket(), fb = nl_socket();
	int ra = nfct_filter_attach(fa, a);
	int rb = nfct_filter_attach(fb, b);
	unsigned na = read_prog(fa, pa), nb = read_prog(fb, pb);
	int same = na == nb && memcmp(pa, pb, na * sizeof(pa[0])) == 0;
	printf("%s: attach %d %d, same program: %s\n", name, ra, rb,
	       same ? "yes" : "no");
	close(fa);
	close(fb);
}

static void logic(struct nfct_filter *f, int attr, int l)
{
	char label[64];
	snprintf(label, sizeof(label), "  set_logic(%d, %d)", attr, l);
	SHOW_RET(label, nfct_filter_set_logic(f, (enum nfct_filter_attr)attr,
					      (enum nfct_filter_logic)l));
}

static void add_v4(struct nfct_filter *f, int attr, const char *a, uint32_t mask)
{
	struct in_addr in;
	inet_pton(AF_INET, a, &in);
	struct nfct_filter_ipv4 v = { .addr = ntohl(in.s_addr), .mask = mask };
	nfct_filter_add_attr(f, (enum nfct_filter_attr)attr, &v);
}

static void add_mark(struct nfct_filter *f, uint32_t val, uint32_t mask)
{
	struct nfct_filter_dump_mark m = { .val = val, .mask = mask };
	nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
}

static void add_state(struct nfct_filter *f, uint16_t proto, uint16_t state)
{
	struct nfct_filter_proto p = { .proto = proto, .state = state };
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &p);
}

#ifndef FILTER_COMMON_ONLY
static void add_v6(struct nfct_filter *f, int attr, const uint32_t a[4],
		   const uint32_t m[4])
{
	struct nfct_filter_ipv6 v;
	memcpy(v.addr, a, sizeof(v.addr));
	memcpy(v.mask, m, sizeof(v.mask));
	nfct_filter_add_attr(f, (enum nfct_filter_attr)attr, &v);
}

static void add_zone(struct nfct_filter *f, uint16_t z)
{
	nfct_filter_add_attr(f, NFCT_FILTER_ZONE, &z);
}
#endif

static void protocols(void)
{
	struct nfct_filter *f = nfct_filter_create();
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	show("l4proto tcp", f);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_ICMP);
	int sctp = IPPROTO_SCTP;
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO, &sctp);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	show("l4proto tcp udp icmp sctp (tcp twice)", f);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE);
	show("l4proto negative", f);
	nfct_filter_destroy(f);

	/* Protocol numbers at the edges of the reference's range (< 263). */
	f = nfct_filter_create();
	unsigned edges[] = { 0, 255, 256, 262 };
	for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, edges[i]);
	show("l4proto 0 255 256 262", f);
#ifndef FILTER_COMMON_ONLY
	/* 1.0.9 writes out of its object for these; 1.1.0 ignores them. */
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, 263);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, 1000);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, 0x7fffffff);
	show("l4proto 263 1000 INT_MAX ignored", f);
#endif
	nfct_filter_destroy(f);

	/* 255 adds, duplicates included, use up the attribute. */
	f = nfct_filter_create();
	for (int i = 0; i < 255; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	show("l4proto tcp x255 then udp (ignored)", f);
	nfct_filter_destroy(f);

	/* 244 protocols (243 negative): the longest lists whose jumps fit. */
	f = nfct_filter_create();
	for (int i = 0; i < 244; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, i);
	show("l4proto 0..243", f);
	nfct_filter_destroy(f);
	f = nfct_filter_create();
	for (int i = 0; i < 243; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, i);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE);
	show("l4proto 0..242 negative", f);
	nfct_filter_destroy(f);
}

static void states(void)
{
	struct nfct_filter *f = nfct_filter_create();
	add_state(f, IPPROTO_TCP, 3);
	show("state tcp 3", f);
	add_state(f, IPPROTO_TCP, 1);
	add_state(f, IPPROTO_TCP, 15);
	add_state(f, IPPROTO_TCP, 16);
	add_state(f, IPPROTO_TCP, 3);
	show("state tcp 1 3 15 (16 ignored, 3 twice)", f);
	logic(f, NFCT_FILTER_L4PROTO_STATE, NFCT_FILTER_LOGIC_NEGATIVE);
	show("state tcp negative", f);
	nfct_filter_destroy(f);

	f = nfct_filter_create();
	add_state(f, IPPROTO_SCTP, 2);
	add_state(f, IPPROTO_SCTP, 4);
	show("state sctp 2 4", f);
	nfct_filter_destroy(f);

	f = nfct_filter_create();
	/* proto in the low half, state in the high half (little endian) */
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO_STATE,
				 IPPROTO_DCCP | 5u << 16);
	show("state dccp 5 via add_attr_u32", f);
	nfct_filter_destroy(f);

#ifndef FILTER_COMMON_ONLY
	/*
	 * No state attribute for UDP: no block, errno ENOTSUP left behind
	 * (1.0.9 instead overwrote the previous instruction and failed).
	 */
	f = nfct_filter_create();
	add_state(f, IPPROTO_UDP, 1);
	show("state udp 1", f);
	add_mark(f, 1, 1);
	show("state udp 1 and a mark", f);
	nfct_filter_destroy(f);
#endif

	/* All 16 states. */
	f = nfct_filter_create();
	for (int s = 0; s < 16; s++)
		add_state(f, IPPROTO_TCP, s);
	show("state tcp 0..15", f);
	nfct_filter_destroy(f);
}

static void ipv4(void)
{
	struct nfct_filter *f = nfct_filter_create();
	add_v4(f, NFCT_FILTER_SRC_IPV4, "127.0.0.1", 0xffffffff);
	show("src ipv4 127.0.0.1/32", f);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "10.1.2.3", 0xff000000);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "192.168.77.1", 0xffffff00);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "172.16.0.0", 0xfff00000);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "1.2.3.4", 0);
	show("src ipv4 several masks (address bits outside the mask)", f);
	logic(f, NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	show("src ipv4 negative", f);
	nfct_filter_destroy(f);

	f = nfct_filter_create();
	add_v4(f, NFCT_FILTER_DST_IPV4, "10.0.0.0", 0xff000000);
	show("dst ipv4 10/8", f);
	logic(f, NFCT_FILTER_DST_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "127.0.0.1", 0xffffffff);
	show("src ipv4 positive, dst ipv4 negative", f);
	nfct_filter_destroy(f);

	/* 81 addresses: the longest list whose jumps fit, either logic. */
	f = nfct_filter_create();
	for (int i = 0; i < 81; i++) {
		struct nfct_filter_ipv4 v = { 0x0a000000 + (i << 8), 0xffffff00 };
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV4, &v);
	}
	show("dst ipv4 x81", f);
	logic(f, NFCT_FILTER_DST_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	show("dst ipv4 x81 negative", f);
	nfct_filter_destroy(f);

	/* The limit: 127 per direction, later adds ignored. */
	struct nfct_filter *a = nfct_filter_create(), *b = nfct_filter_create();
	for (int i = 0; i < 140; i++) {
		struct nfct_filter_ipv4 v = { 0x0a000000 + i, 0xffffffff };
		nfct_filter_add_attr(a, NFCT_FILTER_SRC_IPV4, &v);
		if (i < 127)
			nfct_filter_add_attr(b, NFCT_FILTER_SRC_IPV4, &v);
	}
	same_program("src ipv4 x140 vs x127", a, b);
	struct nfct_filter_ipv4 v = { 0x0b000000, 0xffffffff };
	nfct_filter_add_attr(b, NFCT_FILTER_SRC_IPV4, &v);
	same_program("src ipv4 x140 vs x127 plus another", a, b);
	nfct_filter_destroy(a);
	nfct_filter_destroy(b);
	a = nfct_filter_create();
	b = nfct_filter_create();
	for (int i = 0; i < 126; i++) {
		struct nfct_filter_ipv4 w = { 0x0a000000 + i, 0xffffffff };
		nfct_filter_add_attr(a, NFCT_FILTER_DST_IPV4, &w);
		nfct_filter_add_attr(b, NFCT_FILTER_DST_IPV4, &w);
	}
	nfct_filter_add_attr(b, NFCT_FILTER_DST_IPV4, &v);
	same_program("dst ipv4 x126 vs x127", a, b);
	nfct_filter_destroy(a);
	nfct_filter_destroy(b);
}

static void marks(void)
{
	struct nfct_filter *f = nfct_filter_create();
	add_mark(f, 0x10, 0xf0);
	show("mark 0x10/0xf0", f);
	add_mark(f, 0x12345678, 0xffff0000);
	add_mark(f, 0, 0xffffffff);
	show("mark 0x10/0xf0 0x1234xxxx/0xffff0000 0/0xffffffff", f);
	logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE);
	show("mark negative", f);
	nfct_filter_destroy(f);

	/* 85 marks: the longest list whose jumps fit, either logic. */
	f = nfct_filter_create();
	for (int i = 0; i < 85; i++)
		add_mark(f, i, 0xff);
	show("mark x85", f);
	logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE);
	show("mark x85 negative", f);
	nfct_filter_destroy(f);

	struct nfct_filter *a = nfct_filter_create(), *b = nfct_filter_create();
	for (int i = 0; i < 130; i++) {
		add_mark(a, i, 0xffff);
		if (i < 127)
			add_mark(b, i, 0xffff);
	}
	same_program("mark x130 vs x127", a, b);
	nfct_filter_destroy(a);
	nfct_filter_destroy(b);
}

#ifndef FILTER_COMMON_ONLY
static void ipv6(void)
{
	static const uint32_t db8[4] = { 0x20010db8, 0, 0, 1 };
	static const uint32_t fd[4] = { 0xfd000000, 0x11, 0x22, 0x33 };
	static const uint32_t all[4] = { ~0u, ~0u, ~0u, ~0u };
	static const uint32_t m64[4] = { ~0u, ~0u, 0, 0 };
	static const uint32_t odd[4] = { 0xffff0000, 0, 0xff, 0x80000000 };
	struct nfct_filter *f = nfct_filter_create();
	add_v6(f, NFCT_FILTER_SRC_IPV6, db8, all);
	show("src ipv6 2001:db8::1/128", f);
	add_v6(f, NFCT_FILTER_SRC_IPV6, fd, m64);
	add_v6(f, NFCT_FILTER_SRC_IPV6, fd, odd);
	show("src ipv6 three entries", f);
	logic(f, NFCT_FILTER_SRC_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);
	show("src ipv6 negative", f);
	nfct_filter_destroy(f);

	f = nfct_filter_create();
	add_v6(f, NFCT_FILTER_DST_IPV6, fd, m64);
	add_v6(f, NFCT_FILTER_SRC_IPV6, db8, m64);
	logic(f, NFCT_FILTER_DST_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);
	show("src ipv6 positive, dst ipv6 negative", f);
	nfct_filter_destroy(f);

	/* The limit: 20 per direction, later adds ignored. */
	f = nfct_filter_create();
	for (int i = 0; i < 25; i++) {
		uint32_t a[4] = { 0xfd000000, 0, 0, i };
		add_v6(f, NFCT_FILTER_DST_IPV6, a, all);
	}
	logic(f, NFCT_FILTER_DST_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);
	show("dst ipv6 x25 (5 ignored), negative", f);
	nfct_filter_destroy(f);
}

static void zones(void)
{
	struct nfct_filter *f = nfct_filter_create();
	add_zone(f, 7);
	show("zone 7", f);
	add_zone(f, 0);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_ZONE, 0xabcd1234);
	add_zone(f, 0xffff);
	show("zone 7 0 0x1234 (via u32) 0xffff", f);
	logic(f, NFCT_FILTER_ZONE, NFCT_FILTER_LOGIC_NEGATIVE);
	show("zone negative", f);
	nfct_filter_destroy(f);

	/* The limit: 127 zones. */
	f = nfct_filter_create();
	for (int i = 0; i < 130; i++)
		add_zone(f, i + 1);
	show("zone x130 (3 ignored)", f);
	nfct_filter_destroy(f);
}
#endif

static void combinations(void)
{
	struct nfct_filter *f = nfct_filter_create();
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "127.0.0.0", 0xff000000);
	add_v4(f, NFCT_FILTER_DST_IPV4, "127.0.0.2", 0xffffffff);
	add_state(f, IPPROTO_TCP, 3);
	add_mark(f, 1, 0xff);
#ifndef FILTER_COMMON_ONLY
	static const uint32_t a[4] = { 0, 0, 0, 1 };
	static const uint32_t m[4] = { ~0u, ~0u, ~0u, ~0u };
	add_v6(f, NFCT_FILTER_SRC_IPV6, a, m);
	add_v6(f, NFCT_FILTER_DST_IPV6, a, m);
	add_zone(f, 3);
#endif
	show("every attribute, positive", f);
	for (int attr = 0; attr < NFCT_FILTER_MAX; attr++) {
#ifdef FILTER_COMMON_ONLY
		if (attr == NFCT_FILTER_SRC_IPV6 || attr == NFCT_FILTER_DST_IPV6 ||
		    attr == NFCT_FILTER_ZONE)
			continue;
#endif
		logic(f, attr, NFCT_FILTER_LOGIC_NEGATIVE);
	}
	show("every attribute, negative", f);
	nfct_filter_destroy(f);

	f = nfct_filter_create();
	logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE);
	add_mark(f, 5, 0xf);
	add_state(f, IPPROTO_TCP, 2);
	add_state(f, IPPROTO_TCP, 4);
	add_v4(f, NFCT_FILTER_SRC_IPV4, "10.0.0.1", 0xffffffff);
	logic(f, NFCT_FILTER_DST_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	show("negative mark, tcp states, src ipv4, negative dst (no entry)", f);
	nfct_filter_destroy(f);
}

static void logic_rules(void)
{
	struct nfct_filter *f = nfct_filter_create();
	printf("set_logic:\n");
	logic(f, NFCT_FILTER_MAX, NFCT_FILTER_LOGIC_POSITIVE);
	logic(f, 100, NFCT_FILTER_LOGIC_NEGATIVE);
	logic(f, -1, NFCT_FILTER_LOGIC_NEGATIVE);
	/* positive any number of times, negative once, then EBUSY */
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_POSITIVE);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_POSITIVE);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_NEGATIVE);
	logic(f, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_POSITIVE);
	logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE);
	logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_POSITIVE);
	/* logic of attributes without entries changes nothing */
	show("logic set, no entries", f);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	show("logic set before the entry", f);
	nfct_filter_destroy(f);
}

#ifndef FILTER_COMMON_ONLY
/*
 * nfct_filter_set_logic for every attribute (and numbers out of range) and
 * every logic (and numbers out of range), on a fresh filter and after each
 * earlier set_logic: only positive may be replaced. Then the filter with
 * one entry of that attribute is attached: a logic other than positive or
 * negative leaves the first six attributes' programs unattachable and
 * makes the mark and zone conditions positive.
 */
static void logic_matrix(void)
{
	static const int logics[] = { 0, 1, 2, 3, -1, 0x7fffffff };
	const int nlogics = sizeof(logics) / sizeof(logics[0]);
	static const int attrs_out[] = { NFCT_FILTER_MAX, 9, 100, -1, 0x7fffffff };
	struct nfct_filter_ipv4 v4 = { 0x0a000001, 0xffffffff };
	struct nfct_filter_ipv6 v6 = { { 0xfd000000, 0, 0, 1 }, { ~0u, ~0u, ~0u, ~0u } };
	struct nfct_filter_dump_mark mark = { 1, 0xffffffff };
	struct nfct_filter_proto state = { IPPROTO_TCP, 3 };
	uint16_t zone = 1;
	int proto = IPPROTO_UDP;
	const void *values[NFCT_FILTER_MAX] = {
		[NFCT_FILTER_L4PROTO] = &proto,
		[NFCT_FILTER_L4PROTO_STATE] = &state,
		[NFCT_FILTER_SRC_IPV4] = &v4,
		[NFCT_FILTER_DST_IPV4] = &v4,
		[NFCT_FILTER_SRC_IPV6] = &v6,
		[NFCT_FILTER_DST_IPV6] = &v6,
		[NFCT_FILTER_MARK] = &mark,
		[NFCT_FILTER_ZONE] = &zone,
	};
	char name[64];

	printf("set_logic matrix:\n");
	for (size_t i = 0; i < sizeof(attrs_out) / sizeof(attrs_out[0]); i++) {
		struct nfct_filter *f = nfct_filter_create();
		for (int l = 0; l < nlogics; l++)
			logic(f, attrs_out[i], logics[l]);
		nfct_filter_destroy(f);
	}
	for (int a = 0; a < NFCT_FILTER_MAX; a++)
		for (int first = 0; first < nlogics; first++)
			for (int then = 0; then < nlogics; then++) {
				struct nfct_filter *f = nfct_filter_create();
				logic(f, a, logics[first]);
				logic(f, a, logics[then]);
				nfct_filter_destroy(f);
			}
	for (int a = 0; a < NFCT_FILTER_MAX; a++)
		for (int l = 0; l < nlogics; l++) {
			struct nfct_filter *f = nfct_filter_create();
			logic(f, a, logics[l]);
			nfct_filter_add_attr(f, (enum nfct_filter_attr)a, values[a]);
			snprintf(name, sizeof(name), "attribute %d, logic %d, one entry", a, logics[l]);
			show(name, f);
			nfct_filter_destroy(f);
		}
}
#endif

static void api_edges(void)
{
	struct nfct_filter *f = nfct_filter_create();
	printf("create: %s\n", f ? "non-NULL" : "NULL");
	show("empty filter", f);

	/* attribute numbers out of range are ignored */
	int v = IPPROTO_TCP;
	errno = 0;
	nfct_filter_add_attr(f, NFCT_FILTER_MAX, &v);
	nfct_filter_add_attr(f, (enum nfct_filter_attr)100, &v);
	nfct_filter_add_attr_u32(f, (enum nfct_filter_attr)-1, 6);
	printf("add out of range: errno=%s\n", errno ? strerror(errno) : "0");
	/* so are entries beyond the limits */
	errno = 0;
	for (int i = 0; i < 300; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	printf("adds beyond the limit: errno=%s\n", errno ? strerror(errno) : "0");
	show("after out-of-range adds", f);

	/* attach: replaces the program; bad descriptors */
	int fd = nl_socket();
	SHOW_RET("attach", nfct_filter_attach(fd, f));
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	struct nfct_filter *g = nfct_filter_create();
	add_mark(g, 3, 3);
	SHOW_RET("attach another", nfct_filter_attach(fd, g));
	print_prog(fd);
	/* destroying the filter leaves the program attached */
	nfct_filter_destroy(g);
	print_prog(fd);
	SHOW_RET("detach", nfct_filter_detach(fd));
	print_prog(fd);
	SHOW_RET("detach again", nfct_filter_detach(fd));
	close(fd);

	SHOW_RET("attach to -1", nfct_filter_attach(-1, f));
	SHOW_RET("attach to closed fd", nfct_filter_attach(fd, f));
	SHOW_RET("detach -1", nfct_filter_detach(-1));
	int file = open("/dev/null", O_RDONLY);
	SHOW_RET("attach to a file", nfct_filter_attach(file, f));
	SHOW_RET("detach a file", nfct_filter_detach(file));
	close(file);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	SHOW_RET("attach to a udp socket", nfct_filter_attach(udp, f));
	SHOW_RET("detach a udp socket", nfct_filter_detach(udp));
	close(udp);
	nfct_filter_destroy(f);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	api_edges();
	logic_rules();
#ifndef FILTER_COMMON_ONLY
	logic_matrix();
#endif
	protocols();
	states();
	ipv4();
	marks();
#ifndef FILTER_COMMON_ONLY
	ipv6();
	zones();
#endif
	combinations();
	return 0;
}
