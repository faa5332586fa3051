/*
 * nfct_cmp with every combination of the NFCT_CMP_* flags (all 128 values of
 * the seven flag bits: ALL, ORIG, REPL, TIMEOUT_EQ/GT/LT and their GE/LE
 * unions, MASK, STRICT) and nfct_compare, in both orders, over pairs of
 * objects that differ in exactly one attribute (a different value, or set in
 * one object only), for every attribute, on several base objects; plus the
 * per-protocol layer-4 comparisons, lenient attributes (mark, zones: unset
 * reads as 0), the status subset rule, timeouts and labels of different sizes.
 *
 * Each case shows the 128 results of nfct_cmp(a, b, flags) for flags = 0..127
 * (one digit per value), then the same for nfct_cmp(b, a, flags), then both
 * orders for a few flag values with bits above NFCT_CMP_STRICT set.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

#define A(n) ((enum nf_conntrack_attr)(n))

/* Flags with bits above NFCT_CMP_STRICT. */
static const unsigned int high_flags[] = {
	0x80, 0x81, 0x82, 0x83, 0xa0, 0xc0, 0x100, 0x80000000u, 0xffffffffu,
	0xffffff9fu,
};

static void cmp_line(const char *what, const struct nf_conntrack *a,
		     const struct nf_conntrack *b)
{
	char ab[129], ba[129];

	for (unsigned int f = 0; f < 128; f++) {
		int r1 = nfct_cmp(a, b, f), r2 = nfct_cmp(b, a, f);
		ab[f] = r1 == 0 ? '0' : r1 == 1 ? '1' : 'x';
		ba[f] = r2 == 0 ? '0' : r2 == 1 ? '1' : 'x';
	}
	ab[128] = ba[128] = 0;
	printf("%s: compare=%d%d\n  ab %s\n  ba %s\n  high bits:", what,
	       nfct_compare(a, b), nfct_compare(b, a), ab, ba);
	for (size_t i = 0; i < sizeof(high_flags) / sizeof(high_flags[0]); i++)
		printf(" %d%d", nfct_cmp(a, b, high_flags[i]), nfct_cmp(b, a, high_flags[i]));
	printf("\n");
}

static struct nfct_bitmask *labels(unsigned int max, unsigned int a, unsigned int b)
{
	struct nfct_bitmask *m = nfct_bitmask_new(max);
	nfct_bitmask_set_bit(m, a);
	nfct_bitmask_set_bit(m, b);
	return m;
}

static struct nf_conntrack *tcp4(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0xc0a80001));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, htonl(0x08080808));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, htonl(0x08080808));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, htonl(0xc0a80001));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(40000));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(40000));
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 3);
	nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 4);
	nfct_set_attr_u16(ct, ATTR_ZONE, 5);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_MARK, 7);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x0e);
	nfct_set_attr_u32(ct, ATTR_ID, 0x12345678);
	nfct_set_attr_u32(ct, ATTR_SECMARK, 9);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	nfct_set_attr(ct, ATTR_CONNLABELS, labels(127, 1, 100));
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, labels(127, 1, 2));
	nfct_set_attr(ct, ATTR_SECCTX, "x");
	return ct;
}

static struct nf_conntrack *icmp(uint8_t family, uint8_t proto, uint8_t type)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char a[16], b[16];

	capi_pattern(a, 16, 1, 1);
	capi_pattern(b, 16, 2, 1);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, family);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, family);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, proto);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, proto);
	if (family == AF_INET6) {
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, a);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, b);
		nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, b);
		nfct_set_attr(ct, ATTR_REPL_IPV6_DST, a);
	} else {
		nfct_set_attr(ct, ATTR_ORIG_IPV4_SRC, a);
		nfct_set_attr(ct, ATTR_ORIG_IPV4_DST, b);
		nfct_set_attr(ct, ATTR_REPL_IPV4_SRC, b);
		nfct_set_attr(ct, ATTR_REPL_IPV4_DST, a);
	}
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, type);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(99));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 30);
	return ct;
}

static struct nf_conntrack *icmp4(void)
{
	return icmp(AF_INET, IPPROTO_ICMP, 8);
}

static struct nf_conntrack *icmp6(void)
{
	return icmp(AF_INET6, IPPROTO_ICMPV6, 128);
}

static struct nf_conntrack *udp6(void)
{
	struct nf_conntrack *ct = icmp(AF_INET6, IPPROTO_UDP, 0);
	nfct_attr_unset(ct, ATTR_ICMP_TYPE);
	nfct_attr_unset(ct, ATTR_ICMP_CODE);
	nfct_attr_unset(ct, ATTR_ICMP_ID);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(5353));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(5353));
	nfct_set_attr_u32(ct, ATTR_MARK, 0);
	nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 1);
	nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 1);
	return ct;
}

/* Gives attribute `a` of `ct` a value different from the base objects'. */
static void change(struct nf_conntrack *ct, int a)
{
	unsigned char buf[32];

	capi_pattern(buf, sizeof(buf), a, 9);
	switch (capi_ct_attrs[a].kind) {
	case CAPI_STR:
		nfct_set_attr(ct, A(a), "other");
		break;
	case CAPI_HELPINFO:
		nfct_set_attr_l(ct, A(a), buf, 8);
		break;
	case CAPI_LABELS:
		nfct_set_attr(ct, A(a), labels(127, 1, 101));
		break;
	default:
		nfct_set_attr(ct, A(a), buf);
	}
}

static const struct {
	const char *name;
	struct nf_conntrack *(*make)(void);
} bases[] = {
	{ "tcp4", tcp4 },
	{ "icmp4", icmp4 },
	{ "icmp6", icmp6 },
	{ "udp6", udp6 },
};

static void one_attribute_apart(void)
{
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		struct nf_conntrack *a = bases[i].make();
		char what[128];

		printf("== base %s\n", bases[i].name);
		cmp_line("same object", a, a);
		{
			struct nf_conntrack *c = nfct_clone(a);
			cmp_line("clone", a, c);
			nfct_destroy(c);
		}
		{
			struct nf_conntrack *e = nfct_new();
			cmp_line("empty", a, e);
			nfct_destroy(e);
		}
		for (int attr = 0; attr < CAPI_CT_NATTRS; attr++) {
			struct nf_conntrack *b = nfct_clone(a);
			int was_set = nfct_attr_is_set(a, A(attr));

			change(b, attr);
			snprintf(what, sizeof(what), "%s %d %s %s", bases[i].name, attr,
				 capi_ct_attrs[attr].name, was_set ? "differs" : "only in b");
			cmp_line(what, a, b);
			if (was_set) {
				nfct_attr_unset(b, A(attr));
				snprintf(what, sizeof(what), "%s %d %s unset in b",
					 bases[i].name, attr, capi_ct_attrs[attr].name);
				cmp_line(what, a, b);
				nfct_destroy(b);
				b = nfct_clone(a);
				nfct_attr_unset(b, A(attr));
				snprintf(what, sizeof(what), "%s %d %s unset in b, same value",
					 bases[i].name, attr, capi_ct_attrs[attr].name);
				cmp_line(what, a, b);
			}
			nfct_destroy(b);
		}
		nfct_destroy(a);
	}
}

/* Which protocols compare ports, which ICMP fields, which neither. */
static void layer4(void)
{
	static const uint8_t protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_DCCP,
		IPPROTO_SCTP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_GRE, 0, 255,
	};
	static const int fields[] = {
		ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST, ATTR_REPL_PORT_SRC,
		ATTR_REPL_PORT_DST, ATTR_ICMP_TYPE, ATTR_ICMP_CODE, ATTR_ICMP_ID,
	};

	printf("== layer 4\n");
	for (size_t p = 0; p < sizeof(protos); p++) {
		struct nf_conntrack *a = tcp4();
		nfct_set_attr_u8(a, ATTR_ORIG_L4PROTO, protos[p]);
		nfct_set_attr_u8(a, ATTR_REPL_L4PROTO, protos[p]);
		nfct_set_attr_u8(a, ATTR_ICMP_CODE, 1);
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			struct nf_conntrack *b = nfct_clone(a);
			char what[128];
			change(b, fields[f]);
			snprintf(what, sizeof(what), "proto %u: %s differs", protos[p],
				 capi_ct_attrs[fields[f]].name);
			cmp_line(what, a, b);
			nfct_attr_unset(b, A(fields[f]));
			snprintf(what, sizeof(what), "proto %u: %s unset in b", protos[p],
				 capi_ct_attrs[fields[f]].name);
			cmp_line(what, a, b);
			nfct_destroy(b);
		}
		{
			/* Only the reply direction's protocol differs. */
			struct nf_conntrack *b = nfct_clone(a);
			char what[64];
			nfct_set_attr_u8(b, ATTR_REPL_L4PROTO, IPPROTO_ICMP);
			nfct_set_attr_u16(b, ATTR_REPL_PORT_SRC, 1);
			snprintf(what, sizeof(what), "proto %u: repl proto icmp", protos[p]);
			cmp_line(what, a, b);
			nfct_destroy(b);
		}
		nfct_destroy(a);
	}
}

static void special_values(void)
{
	struct nf_conntrack *a = nfct_new(), *b = nfct_new();

	printf("== lenient attributes: unset reads as 0\n");
	nfct_set_attr_u32(b, ATTR_MARK, 0);
	cmp_line("mark 0 vs unset", a, b);
	nfct_set_attr_u32(b, ATTR_MARK, 1);
	cmp_line("mark 1 vs unset", a, b);
	nfct_attr_unset(b, ATTR_MARK);
	nfct_set_attr_u16(b, ATTR_ZONE, 0);
	cmp_line("zone 0 vs unset", a, b);
	nfct_set_attr_u16(b, ATTR_ZONE, 2);
	cmp_line("zone 2 vs unset", a, b);
	nfct_attr_unset(b, ATTR_ZONE);
	nfct_set_attr_u16(b, ATTR_ORIG_ZONE, 0);
	cmp_line("orig zone 0 vs unset", a, b);
	nfct_set_attr_u16(b, ATTR_ORIG_ZONE, 2);
	cmp_line("orig zone 2 vs unset", a, b);
	nfct_attr_unset(b, ATTR_ORIG_ZONE);
	nfct_set_attr_u16(b, ATTR_REPL_ZONE, 0);
	cmp_line("repl zone 0 vs unset", a, b);
	nfct_set_attr_u16(b, ATTR_REPL_ZONE, 2);
	cmp_line("repl zone 2 vs unset", a, b);
	nfct_attr_unset(b, ATTR_REPL_ZONE);
	/* The stored value of an unset attribute does not count. */
	nfct_set_attr_u32(a, ATTR_MARK, 5);
	nfct_attr_unset(a, ATTR_MARK);
	nfct_set_attr_u32(b, ATTR_MARK, 0);
	cmp_line("mark 0 vs unset (stored 5)", a, b);
	nfct_destroy(a);
	nfct_destroy(b);

	printf("== status: the first object's bits must be in the second's\n");
	{
		static const uint32_t st[][2] = {
			{ 0x2, 0x6 }, { 0x6, 0x2 }, { 0, 0xffffffff }, { 0x8, 0x8 },
			{ 0x1, 0x2 },
		};
		for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
			char what[64];
			a = nfct_new();
			b = nfct_new();
			nfct_set_attr_u32(a, ATTR_STATUS, st[i][0]);
			nfct_set_attr_u32(b, ATTR_STATUS, st[i][1]);
			snprintf(what, sizeof(what), "status %#x vs %#x", st[i][0], st[i][1]);
			cmp_line(what, a, b);
			nfct_destroy(a);
			nfct_destroy(b);
		}
	}

	printf("== timeouts\n");
	{
		static const uint32_t to[][2] = { { 10, 5 }, { 5, 10 }, { 7, 7 }, { 0, 0xffffffff } };
		for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
			char what[64];
			a = tcp4();
			b = tcp4();
			nfct_set_attr_u32(a, ATTR_TIMEOUT, to[i][0]);
			nfct_set_attr_u32(b, ATTR_TIMEOUT, to[i][1]);
			snprintf(what, sizeof(what), "timeout %u vs %u", to[i][0], to[i][1]);
			cmp_line(what, a, b);
			nfct_destroy(a);
			nfct_destroy(b);
		}
	}

	printf("== labels of different sizes\n");
	{
		static const struct {
			unsigned int max1, bit1a, bit1b, max2, bit2a, bit2b;
		} l[] = {
			{ 127, 1, 2, 31, 1, 2 },
			{ 127, 1, 100, 31, 1, 2 },
			{ 255, 1, 200, 127, 1, 1 },
			{ 63, 1, 2, 63, 1, 3 },
			{ 0, 0, 0, 1023, 0, 0 },
			{ 0, 0, 0, 1023, 0, 1000 },
		};
		for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
			char what[96];
			for (int attr = ATTR_CONNLABELS; attr <= ATTR_CONNLABELS_MASK; attr++) {
				a = nfct_new();
				b = nfct_new();
				nfct_set_attr(a, A(attr), labels(l[i].max1, l[i].bit1a, l[i].bit1b));
				nfct_set_attr(b, A(attr), labels(l[i].max2, l[i].bit2a, l[i].bit2b));
				snprintf(what, sizeof(what), "%s %u{%u,%u} vs %u{%u,%u}",
					 capi_ct_attrs[attr].name, l[i].max1, l[i].bit1a,
					 l[i].bit1b, l[i].max2, l[i].bit2a, l[i].bit2b);
				cmp_line(what, a, b);
				nfct_destroy(a);
				nfct_destroy(b);
			}
		}
	}

	printf("== security context bits\n");
	a = nfct_new();
	b = nfct_new();
	nfct_set_attr(a, ATTR_SECCTX, "a");
	cmp_line("secctx set in a only", a, b);
	nfct_set_attr(b, ATTR_SECCTX, "b");
	cmp_line("secctx set in both (no value)", a, b);
	nfct_destroy(a);
	nfct_destroy(b);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	one_attribute_apart();
	layer4();
	special_values();
	return 0;
}
