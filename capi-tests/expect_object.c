/*
 * Expectation objects: every ATTR_EXP_* through nfexp_set_attr, the typed
 * setters and every typed getter, is_set and unset; the four tuples set from
 * conntracks (IPv4 and IPv6, TCP and UDP ports, ICMP and ICMPv6, zones, an
 * empty one) and read back through the nfct_* getters, groups and nfct_cmp
 * on the pointer nfexp_get_attr() returns; nfexp_clone; a byte copy made with
 * memcpy(nfexp_maxsize()); nfexp_cmp with flags 0, NFCT_CMP_MASK and
 * NFCT_CMP_STRICT over objects that differ in each attribute.
 *
 * Left out (the reference reads memory it does not own there; see
 * bad_expect.c): tuples set from conntracks that have non-tuple attributes,
 * typed setters narrower than the attribute or without a NUL for a string,
 * typed setters on tuples, nfct getters wider than the attribute on a tuple.
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define CAPI_CT_HELPERS
#include "common.h"

static const char *exp_names[ATTR_EXP_MAX] = {
	"MASTER", "EXPECTED", "MASK", "TIMEOUT", "ZONE", "FLAGS",
	"HELPER_NAME", "CLASS", "NAT_TUPLE", "NAT_DIR", "FN",
};

enum { K_TUPLE, K_U16, K_U32, K_STR };

static int exp_kind(int a)
{
	switch (a) {
	case ATTR_EXP_MASTER:
	case ATTR_EXP_EXPECTED:
	case ATTR_EXP_MASK:
	case ATTR_EXP_NAT_TUPLE:
		return K_TUPLE;
	case ATTR_EXP_ZONE:
		return K_U16;
	case ATTR_EXP_HELPER_NAME:
	case ATTR_EXP_FN:
		return K_STR;
	default:
		return K_U32;
	}
}

static const char *err(int e)
{
	return e ? strerror(e) : "0";
}

/* `len` bytes as hex after a label, on the current line. */
static void print_hex(const char *label, const void *p, size_t len)
{
	const unsigned char *b = p;

	printf("%s", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", b[i]);
}

/* The three typed getters of attribute `a`, with errno after each. */
static void show_typed(const struct nf_expect *exp, int a)
{
	unsigned v8, v16, v32;
	int e8, e16, e32;

	errno = 0;
	v8 = nfexp_get_attr_u8(exp, (enum nf_expect_attr)a);
	e8 = errno;
	errno = 0;
	v16 = nfexp_get_attr_u16(exp, (enum nf_expect_attr)a);
	e16 = errno;
	errno = 0;
	v32 = nfexp_get_attr_u32(exp, (enum nf_expect_attr)a);
	e32 = errno;
	printf(" u8=%#x(%s) u16=%#x(%s) u32=%#x(%s)", v8, err(e8), v16,
	       err(e16), v32, err(e32));
}

/* The groups of a conntrack (or a tuple of an expectation). */
static void show_groups(const struct nf_conntrack *ct)
{
	static const size_t size[ATTR_GRP_MAX] = {
		[ATTR_GRP_ORIG_IPV4] = sizeof(struct nfct_attr_grp_ipv4),
		[ATTR_GRP_REPL_IPV4] = sizeof(struct nfct_attr_grp_ipv4),
		[ATTR_GRP_ORIG_IPV6] = sizeof(struct nfct_attr_grp_ipv6),
		[ATTR_GRP_REPL_IPV6] = sizeof(struct nfct_attr_grp_ipv6),
		[ATTR_GRP_ORIG_PORT] = sizeof(struct nfct_attr_grp_port),
		[ATTR_GRP_REPL_PORT] = sizeof(struct nfct_attr_grp_port),
		[ATTR_GRP_ICMP] = sizeof(struct nfct_attr_grp_icmp),
		[ATTR_GRP_MASTER_IPV4] = sizeof(struct nfct_attr_grp_ipv4),
		[ATTR_GRP_MASTER_IPV6] = sizeof(struct nfct_attr_grp_ipv6),
		[ATTR_GRP_MASTER_PORT] = sizeof(struct nfct_attr_grp_port),
		[ATTR_GRP_ORIG_COUNTERS] = sizeof(struct nfct_attr_grp_ctrs),
		[ATTR_GRP_REPL_COUNTERS] = sizeof(struct nfct_attr_grp_ctrs),
		[ATTR_GRP_ORIG_ADDR_SRC] = sizeof(union nfct_attr_grp_addr),
		[ATTR_GRP_ORIG_ADDR_DST] = sizeof(union nfct_attr_grp_addr),
		[ATTR_GRP_REPL_ADDR_SRC] = sizeof(union nfct_attr_grp_addr),
		[ATTR_GRP_REPL_ADDR_DST] = sizeof(union nfct_attr_grp_addr),
	};

	printf("  groups:");
	for (int g = 0; g < ATTR_GRP_MAX; g++) {
		unsigned char buf[64];
		int set, r, e;

		set = nfct_attr_grp_is_set(ct, (enum nf_conntrack_attr_grp)g);
		memset(buf, 0, sizeof(buf));
		errno = 0;
		r = nfct_get_attr_grp(ct, (enum nf_conntrack_attr_grp)g, buf);
		e = errno;
		printf(" %d:%d", g, set);
		if (r == 0) {
			printf("=");
			for (size_t i = 0; i < size[g]; i++)
				printf("%02x", buf[i]);
		} else {
			printf("(%d %s)", r, err(e));
		}
	}
	printf("\n");
}

/* Each set attribute of a conntrack through the getter of its width. */
static void show_ct_typed(const struct nf_conntrack *ct)
{
	printf("  typed:");
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		enum nf_conntrack_attr t = (enum nf_conntrack_attr)a;

		if (nfct_attr_is_set(ct, t) != 1)
			continue;
		switch (capi_ct_attrs[a].kind) {
		case CAPI_U8:
			printf(" %d=%#x", a, nfct_get_attr_u8(ct, t));
			break;
		case CAPI_U16:
			printf(" %d=%#x", a, nfct_get_attr_u16(ct, t));
			break;
		case CAPI_U32:
			printf(" %d=%#x", a, nfct_get_attr_u32(ct, t));
			break;
		default:
			break;
		}
	}
	printf("\n");
}

/* A tuple as the nfct_* functions see it. */
static void show_tuple(const char *label, const struct nf_conntrack *ct)
{
	capi_ct_dump(label, ct, 0);
	show_ct_typed(ct);
	show_groups(ct);
}

/* One attribute: is_set, what nfexp_get_attr points to, the typed getters. */
static void show_attr(const struct nf_expect *exp, int a, int tuples)
{
	const void *p;
	int set, e;

	errno = 0;
	set = nfexp_attr_is_set(exp, (enum nf_expect_attr)a);
	errno = 0;
	p = nfexp_get_attr(exp, (enum nf_expect_attr)a);
	e = errno;
	printf("  %2d %s: is_set=%d", a, exp_names[a], set);
	if (p == NULL) {
		printf(" get=NULL(%s)", err(e));
	} else {
		switch (exp_kind(a)) {
		case K_TUPLE:
			printf(" get=tuple");
			break;
		case K_U16:
			print_hex(" get=", p, 2);
			break;
		case K_U32:
			print_hex(" get=", p, 4);
			break;
		case K_STR:
			printf(" get=\"%s\"", (const char *)p);
			break;
		}
	}
	show_typed(exp, a);
	printf("\n");
	if (p != NULL && exp_kind(a) == K_TUPLE && tuples)
		show_tuple(exp_names[a], p);
}

static void dump(const char *label, const struct nf_expect *exp, int tuples)
{
	printf("%s:\n", label);
	for (int a = 0; a < ATTR_EXP_MAX; a++)
		show_attr(exp, a, tuples);
}

/* --- conntracks for the tuples --------------------------------------------- */

static struct nf_conntrack *ct_tcp4(uint16_t sport, uint16_t zone)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("192.168.1.10"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("10.0.0.21"));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(21));
	if (zone)
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, zone);
	return ct;
}

static struct nf_conntrack *ct_udp6(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct in6_addr src, dst;

	inet_pton(AF_INET6, "2001:db8::1", &src);
	inet_pton(AF_INET6, "2001:db8:ffff::abcd", &dst);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, &src);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, &dst);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(40000));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(69));
	return ct;
}

static struct nf_conntrack *ct_icmp(int family)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, family);
	if (family == AF_INET) {
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("172.16.0.1"));
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("172.16.0.2"));
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
	} else {
		struct in6_addr a;

		inet_pton(AF_INET6, "fe80::1", &a);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMPV6);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, &a);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 128);
	}
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(0x1234));
	return ct;
}

static struct nf_conntrack *ct_mask4(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, 0xffffffff);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, 0xffffffff);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, 0);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, 0xffff);
	return ct;
}

/* An expectation with every attribute set. */
static struct nf_expect *full(void)
{
	struct nf_expect *exp = nfexp_new();
	struct nf_conntrack *m = ct_tcp4(1025, 0), *x = ct_tcp4(2000, 0);
	struct nf_conntrack *k = ct_mask4(), *n = ct_tcp4(3000, 0);
	uint32_t v32;
	uint16_t v16;

	nfexp_set_attr(exp, ATTR_EXP_MASTER, m);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, x);
	nfexp_set_attr(exp, ATTR_EXP_MASK, k);
	nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, n);
	v32 = 60;
	nfexp_set_attr(exp, ATTR_EXP_TIMEOUT, &v32);
	v16 = 7;
	nfexp_set_attr(exp, ATTR_EXP_ZONE, &v16);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 3);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 1);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr(exp, ATTR_EXP_FN, "nat-follow-master");
	nfct_destroy(m);
	nfct_destroy(x);
	nfct_destroy(k);
	nfct_destroy(n);
	return exp;
}

/* --- sections --------------------------------------------------------------- */

static void test_empty(void)
{
	struct nf_expect *exp = nfexp_new();

	printf("== empty\n");
	printf("sizeof == maxsize: %d\n", nfexp_sizeof(exp) == nfexp_maxsize());
	dump("new", exp, 1);
	nfexp_destroy(exp);
}

static void test_scalars(void)
{
	struct nf_expect *exp = nfexp_new();
	uint32_t v32;
	uint16_t v16;

	printf("== scalars through nfexp_set_attr\n");
	v32 = 0x11223344;
	nfexp_set_attr(exp, ATTR_EXP_TIMEOUT, &v32);
	v16 = 0xabcd;
	nfexp_set_attr(exp, ATTR_EXP_ZONE, &v16);
	v32 = 0x80000007;
	nfexp_set_attr(exp, ATTR_EXP_FLAGS, &v32);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	v32 = 0xfffffffe;
	nfexp_set_attr(exp, ATTR_EXP_CLASS, &v32);
	v32 = 1;
	nfexp_set_attr(exp, ATTR_EXP_NAT_DIR, &v32);
	nfexp_set_attr(exp, ATTR_EXP_FN, "nf_nat_follow_master");
	dump("set", exp, 0);

	printf("== strings: truncation and what stays after the NUL\n");
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "a-very-long-helper-name");
	nfexp_set_attr(exp, ATTR_EXP_FN, "an-expectation-function-name-too-long");
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);
	show_attr(exp, ATTR_EXP_FN, 0);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ab");
	nfexp_set_attr(exp, ATTR_EXP_FN, "xyz");
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);
	show_attr(exp, ATTR_EXP_FN, 0);
	show_bytes("helper buffer", nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME), 16);
	show_bytes("fn buffer", nfexp_get_attr(exp, ATTR_EXP_FN), 24);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "");
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "0123456789abcde");
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);

	printf("== typed setters\n");
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 0xdeadbeef);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 0x12345678);
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 0);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 0x01020304);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 0x4321);
	dump("u32 and u16", exp, 0);
	nfexp_set_attr_u32(exp, ATTR_EXP_ZONE, 0x00ab00cd);
	show_attr(exp, ATTR_EXP_ZONE, 0);
	/* Integers as strings: only values with a NUL within their width. */
	nfexp_set_attr_u32(exp, ATTR_EXP_HELPER_NAME, 0x00636261);
	nfexp_set_attr_u16(exp, ATTR_EXP_FN, 0x0061);
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);
	show_attr(exp, ATTR_EXP_FN, 0);
	nfexp_set_attr_u8(exp, ATTR_EXP_HELPER_NAME, 0);
	nfexp_set_attr_u32(exp, ATTR_EXP_FN, 0);
	show_attr(exp, ATTR_EXP_HELPER_NAME, 0);
	show_attr(exp, ATTR_EXP_FN, 0);

	printf("== unset\n");
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		SHOW_RET(exp_names[a], nfexp_attr_unset(exp, (enum nf_expect_attr)a));
		show_attr(exp, a, 0);
	}
	/* Unsetting twice is fine; setting again shows the new value. */
	SHOW_RET("unset again", nfexp_attr_unset(exp, ATTR_EXP_TIMEOUT));
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 5);
	show_attr(exp, ATTR_EXP_TIMEOUT, 0);
	nfexp_destroy(exp);
}

static void test_tuples(void)
{
	struct nf_expect *exp = nfexp_new(), *exp2 = nfexp_new();
	struct nf_conntrack *tcp4 = ct_tcp4(1025, 9), *udp6 = ct_udp6();
	struct nf_conntrack *icmp4 = ct_icmp(AF_INET), *icmp6 = ct_icmp(AF_INET6);
	struct nf_conntrack *mask = ct_mask4(), *empty = nfct_new();
	struct nf_conntrack *l3only = nfct_new();
	const struct nf_conntrack *h;

	printf("== tuples\n");
	nfexp_set_attr(exp, ATTR_EXP_MASTER, tcp4);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, udp6);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, icmp4);
	dump("four tuples", exp, 1);

	/* The expectation keeps a copy: changing the conntrack changes nothing. */
	nfct_set_attr_u16(tcp4, ATTR_ORIG_PORT_SRC, htons(9999));
	nfct_attr_unset(udp6, ATTR_ORIG_PORT_DST);
	h = nfexp_get_attr(exp, ATTR_EXP_MASTER);
	printf("master sport after the conntrack changed: %#x\n",
	       nfct_get_attr_u16(h, ATTR_ORIG_PORT_SRC));
	h = nfexp_get_attr(exp, ATTR_EXP_EXPECTED);
	printf("expected dport set after the conntrack changed: %d\n",
	       nfct_attr_is_set(h, ATTR_ORIG_PORT_DST));

	/* Comparisons of a tuple with its conntrack and with other tuples. */
	h = nfexp_get_attr(exp, ATTR_EXP_MASTER);
	printf("nfct_cmp(master, tcp4): orig=%d all=%d\n",
	       nfct_cmp(h, tcp4, NFCT_CMP_ORIG), nfct_cmp(h, tcp4, NFCT_CMP_ALL));
	nfct_set_attr_u16(tcp4, ATTR_ORIG_PORT_SRC, htons(1025));
	printf("nfct_cmp(master, tcp4 again): orig=%d all=%d mask=%d strict=%d\n",
	       nfct_cmp(h, tcp4, NFCT_CMP_ORIG), nfct_cmp(h, tcp4, NFCT_CMP_ALL),
	       nfct_cmp(h, tcp4, NFCT_CMP_ORIG | NFCT_CMP_MASK),
	       nfct_cmp(h, tcp4, NFCT_CMP_ORIG | NFCT_CMP_STRICT));
	printf("nfct_cmp(master, expected): %d\n",
	       nfct_cmp(h, nfexp_get_attr(exp, ATTR_EXP_EXPECTED), NFCT_CMP_ORIG));

	/* Replacing tuples, and a tuple taken from another expectation. */
	nfexp_set_attr(exp2, ATTR_EXP_MASTER, icmp6);
	nfexp_set_attr(exp2, ATTR_EXP_EXPECTED, nfexp_get_attr(exp, ATTR_EXP_MASTER));
	nfct_set_attr_u8(l3only, ATTR_ORIG_L3PROTO, AF_INET6);
	nfexp_set_attr(exp2, ATTR_EXP_MASK, l3only);
	nfexp_set_attr(exp2, ATTR_EXP_NAT_TUPLE, empty);
	dump("second expectation", exp2, 1);
	printf("expected of 2nd == master of 1st: %d\n",
	       nfct_cmp(nfexp_get_attr(exp2, ATTR_EXP_EXPECTED),
			nfexp_get_attr(exp, ATTR_EXP_MASTER), NFCT_CMP_ALL));
	nfexp_set_attr(exp2, ATTR_EXP_MASTER, udp6);
	nfexp_set_attr(exp2, ATTR_EXP_NAT_TUPLE, icmp6);
	/* Within one object: a tuple copied over another. */
	nfexp_set_attr(exp2, ATTR_EXP_MASK, nfexp_get_attr(exp2, ATTR_EXP_NAT_TUPLE));
	nfexp_set_attr(exp2, ATTR_EXP_FN, "fn");
	nfexp_set_attr(exp2, ATTR_EXP_HELPER_NAME, nfexp_get_attr(exp2, ATTR_EXP_FN));
	dump("replaced", exp2, 1);

	nfct_destroy(tcp4);
	nfct_destroy(udp6);
	nfct_destroy(icmp4);
	nfct_destroy(icmp6);
	nfct_destroy(mask);
	nfct_destroy(empty);
	nfct_destroy(l3only);
	nfexp_destroy(exp);
	nfexp_destroy(exp2);
}

static void test_copies(void)
{
	struct nf_expect *src = full(), *clone, *copy;
	const struct nf_conntrack *h;

	printf("== clone\n");
	clone = nfexp_clone(src);
	printf("clone: %s, cmp=%d/%d/%d\n", clone && clone != src ? "new object" : "?",
	       nfexp_cmp(src, clone, 0), nfexp_cmp(src, clone, NFCT_CMP_MASK),
	       nfexp_cmp(src, clone, NFCT_CMP_STRICT));
	nfexp_set_attr_u32(clone, ATTR_EXP_CLASS, 5);
	nfexp_attr_unset(clone, ATTR_EXP_ZONE);
	printf("after changing the clone: src class=%u zone set=%d, clone class=%u zone set=%d\n",
	       nfexp_get_attr_u32(src, ATTR_EXP_CLASS), nfexp_attr_is_set(src, ATTR_EXP_ZONE),
	       nfexp_get_attr_u32(clone, ATTR_EXP_CLASS), nfexp_attr_is_set(clone, ATTR_EXP_ZONE));
	h = nfexp_get_attr(clone, ATTR_EXP_MASTER);
	printf("clone's master is its own: %d\n",
	       (const void *)h != nfexp_get_attr(src, ATTR_EXP_MASTER));
	nfexp_destroy(clone);

	printf("== memcpy(nfexp_maxsize())\n");
	copy = nfexp_new();
	memcpy(copy, src, nfexp_maxsize());
	nfexp_destroy(src);
	h = nfexp_get_attr(copy, ATTR_EXP_MASTER);
	printf("master inside the copy: %d\n",
	       (const char *)h >= (const char *)copy &&
	       (const char *)h < (const char *)copy + nfexp_maxsize());
	dump("copy", copy, 1);
	nfexp_destroy(copy);
}

static void show_cmp(const char *label, const struct nf_expect *a,
		     const struct nf_expect *b)
{
	printf("  %-24s a,b: %d %d %d %d  b,a: %d %d %d %d\n", label,
	       nfexp_cmp(a, b, 0), nfexp_cmp(a, b, NFCT_CMP_MASK),
	       nfexp_cmp(a, b, NFCT_CMP_STRICT),
	       nfexp_cmp(a, b, NFCT_CMP_MASK | NFCT_CMP_STRICT),
	       nfexp_cmp(b, a, 0), nfexp_cmp(b, a, NFCT_CMP_MASK),
	       nfexp_cmp(b, a, NFCT_CMP_STRICT),
	       nfexp_cmp(b, a, NFCT_CMP_MASK | NFCT_CMP_STRICT));
}

/* Gives attribute `a` of `exp` a value other than full()'s. */
static void change(struct nf_expect *exp, int a)
{
	struct nf_conntrack *ct;

	switch (a) {
	case ATTR_EXP_MASTER:
	case ATTR_EXP_EXPECTED:
	case ATTR_EXP_NAT_TUPLE:
		ct = ct_tcp4(4444, 0);
		nfexp_set_attr(exp, (enum nf_expect_attr)a, ct);
		nfct_destroy(ct);
		break;
	case ATTR_EXP_MASK:
		ct = ct_mask4();
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0xffffff00));
		nfexp_set_attr(exp, ATTR_EXP_MASK, ct);
		nfct_destroy(ct);
		break;
	case ATTR_EXP_ZONE:
		nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 8);
		break;
	case ATTR_EXP_HELPER_NAME:
		nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp2");
		break;
	case ATTR_EXP_FN:
		nfexp_set_attr(exp, ATTR_EXP_FN, "nat-follow-maste");
		break;
	default:
		nfexp_set_attr_u32(exp, (enum nf_expect_attr)a,
				   nfexp_get_attr_u32(exp, (enum nf_expect_attr)a) + 1);
		break;
	}
}

static void test_cmp(void)
{
	struct nf_expect *base = full(), *e = nfexp_new();
	struct nf_conntrack *ct;
	char label[64];

	printf("== nfexp_cmp (flags: 0 MASK STRICT MASK|STRICT)\n");
	show_cmp("same", base, base);
	show_cmp("empty", base, e);
	show_cmp("both empty", e, e);
	nfexp_destroy(e);
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		e = full();
		change(e, a);
		snprintf(label, sizeof(label), "%s differs", exp_names[a]);
		show_cmp(label, base, e);
		nfexp_attr_unset(e, (enum nf_expect_attr)a);
		snprintf(label, sizeof(label), "%s unset", exp_names[a]);
		show_cmp(label, base, e);
		nfexp_destroy(e);
	}

	/* Equal strings with different bytes after the NUL. */
	e = full();
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "ftp-longer-name");
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "ftp");
	show_cmp("helper tail", base, e);
	nfexp_destroy(e);

	/* Tuples compare with the same flags: a missing port. */
	e = full();
	ct = ct_tcp4(1025, 0);
	nfct_attr_unset(ct, ATTR_ORIG_PORT_SRC);
	nfexp_set_attr(e, ATTR_EXP_MASTER, ct);
	show_cmp("master without sport", base, e);
	/* ... an extra zone, and other flags passed down. */
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1025));
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 0);
	nfexp_set_attr(e, ATTR_EXP_MASTER, ct);
	show_cmp("master with zone 0", base, e);
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 3);
	nfexp_set_attr(e, ATTR_EXP_MASTER, ct);
	show_cmp("master with zone 3", base, e);
	printf("  other flags: %d %d %d\n", nfexp_cmp(base, base, NFCT_CMP_ORIG),
	       nfexp_cmp(base, e, NFCT_CMP_REPL | NFCT_CMP_TIMEOUT_GT),
	       nfexp_cmp(base, base, 0xffffffff));
	nfct_destroy(ct);
	nfexp_destroy(e);

	/* Different families in the master tuple. */
	e = full();
	ct = ct_udp6();
	nfexp_set_attr(e, ATTR_EXP_MASTER, ct);
	show_cmp("master ipv6", base, e);
	nfct_destroy(ct);
	nfexp_destroy(e);
	nfexp_destroy(base);
}

static void test_range(void)
{
	struct nf_expect *exp = full();
	static const int bad[] = { ATTR_EXP_MAX, ATTR_EXP_MAX + 1, 100, -1 };

	printf("== out-of-range attributes\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum nf_expect_attr t = (enum nf_expect_attr)bad[i];
		const void *p;
		int e;

		printf("attr %d:\n", bad[i]);
		errno = 0;
		p = nfexp_get_attr(exp, t);
		e = errno;
		printf("  get=%s(%s)", p ? "non-NULL" : "NULL", err(e));
		show_typed(exp, bad[i]);
		printf("\n");
		SHOW_RET("  is_set", nfexp_attr_is_set(exp, t));
		SHOW_RET("  unset", nfexp_attr_unset(exp, t));
		/* The reference ignores these silently; ours sets EINVAL too. */
		nfexp_set_attr_u32(exp, t, 1);
		nfexp_set_attr(exp, t, "x");
	}
	dump("unchanged", exp, 0);
	nfexp_destroy(exp);
}

int main(void)
{
	test_empty();
	test_scalars();
	test_tuples();
	test_copies();
	test_cmp();
	test_range();
	return 0;
}
