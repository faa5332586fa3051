/*
 * Requests from incomplete objects, as the builders write them.
 *
 * The reference builds a request from a conntrack up to the first tuple it
 * cannot build (a tuple whose family is neither IPv4 nor IPv6: the reply
 * tuple when ATTR_REPL_L3PROTO is missing, say) and leaves the buffer zeroed
 * when ATTR_ORIG_L3PROTO is missing; its queries ignore the builder's error
 * and send what is there. This program shows, for objects of every shape,
 * what each builder returns, errno (set to a sentinel before each call, so
 * that "untouched" shows) and the bytes it wrote:
 *
 * - conntracks: every subset of {l3proto, src, dst, l4proto, sport, dport}
 *   of the original tuple times every subset of the reply tuple's (4096
 *   shapes), each also with a timeout, a mark and a status, through
 *   nfct_build_query (CREATE, UPDATE, DESTROY, GET, CREATE_UPDATE),
 *   nfct_build_conntrack and nfct_nlmsg_build. The shapes with one
 *   direction empty print the message in hex; the others print its length
 *   and a checksum (the full hex would be megabytes).
 * - other families in the original tuple (AF_INET6 with IPv4 addresses, an
 *   unknown family, AF_UNSPEC set explicitly), a master tuple without a
 *   family.
 * - expectations: every subset of the master tuple's attributes times every
 *   subset of the expected tuple's, through nfexp_build_query (CREATE,
 *   CREATE_UPDATE, GET, DESTROY) and nfexp_build_expect.
 *
 * The subsystem handle of the deprecated builders is never read by either
 * reference (1.1.0 asserts it is not NULL in nfct_build_conntrack): a
 * stand-in is passed.
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"
#include "shapes.h"

/* The libnfnetlink-era builders are deprecated; they are tested here. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#define SENTINEL 1234

/* UDP 10.0.0.1:1000 -> 10.0.0.2:53, the reply direction reversed. */
#define A_SRC 0x0a000001
#define A_DST 0x0a000002
#define A_SPORT 1000
#define A_DPORT 53

static struct nf_conntrack *shaped(int orig, int repl)
{
	struct nf_conntrack *ct = nfct_new();
	CHECK(ct != NULL);
	set_dir(ct, &orig_attrs, orig, A_SRC, A_DST, A_SPORT, A_DPORT);
	set_dir(ct, &repl_attrs, repl, A_DST, A_SRC, A_DPORT, A_SPORT);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_MARK, 42);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_ASSURED);
	return ct;
}

static union {
	char raw[4096];
	struct nlmsghdr nlh;
} buf;

static int subsys_standin;
#define SSH ((struct nfnl_subsys_handle *)&subsys_standin)

/* FNV-1a over the buffer's first `len` bytes. */
static uint32_t checksum(size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)buf.raw[i]) * 16777619u;
	return h;
}

/* Prints a builder's result: return value, errno, the message's length and
 * either its bytes or their checksum. (What lies past the message differs:
 * the reference leaves the bytes of a cancelled nest there.) */
static void show(const char *what, int ret, int err, int full)
{
	uint32_t len = buf.nlh.nlmsg_len;
	printf("  %s = %d errno=%d len=%u", what, ret, err, len);
	if (len > sizeof(buf.raw))
		printf(" (past the buffer)\n");
	else if (full)
		show_bytes("", buf.raw, len);
	else
		printf(" sum=%08x\n", checksum(len));
}

/* The buffer starts zeroed: 1.1.0 zeroes it before building, 1.0.9 leaves
 * it alone when the object has no family. */
#define RUN(what, full, call)                       \
	do {                                        \
		memset(buf.raw, 0, sizeof(buf.raw)); \
		errno = SENTINEL;                   \
		int _r = (call);                    \
		show(what, _r, errno, full);        \
	} while (0)

static const struct named_query ct_queries[] = {
	{ "create", NFCT_Q_CREATE },
	{ "update", NFCT_Q_UPDATE },
	{ "destroy", NFCT_Q_DESTROY },
	{ "get", NFCT_Q_GET },
	{ "create_update", NFCT_Q_CREATE_UPDATE },
};

static void conntrack_builders(const char *label, struct nf_conntrack *ct, int full)
{
	printf("%s\n", label);
	for (size_t i = 0; i < sizeof(ct_queries) / sizeof(ct_queries[0]); i++)
		RUN(ct_queries[i].name, full,
		    nfct_build_query(SSH, ct_queries[i].q, ct, buf.raw, sizeof(buf.raw)));
	RUN("build_conntrack", full,
	    nfct_build_conntrack(SSH, buf.raw, sizeof(buf.raw), IPCTNL_MSG_CT_NEW,
				 NLM_F_REQUEST | NLM_F_ACK, ct));
	/* nfct_nlmsg_build appends to a request holding its headers. */
	memset(buf.raw, 0, sizeof(buf.raw));
	buf.nlh.nlmsg_len = 20;
	buf.raw[16] = AF_INET;
	errno = SENTINEL;
	int r = nfct_nlmsg_build(&buf.nlh, ct);
	show("nlmsg_build", r, errno, full);
}

static void conntracks(void)
{
	char label[64];
	for (int o = 0; o <= ALL; o++)
		for (int r = 0; r <= ALL; r++) {
			struct nf_conntrack *ct = shaped(o, r);
			snprintf(label, sizeof(label), "ct orig %02x repl %02x", o, r);
			conntrack_builders(label, ct, o == 0 || r == 0 || (o == ALL && r == ALL));
			nfct_destroy(ct);
		}

	/* Other families in the original tuple. */
	int families[] = { AF_INET6, 7, AF_UNSPEC };
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		struct nf_conntrack *ct = shaped(ALL, ALL);
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, (uint8_t)families[i]);
		snprintf(label, sizeof(label), "ct orig family %d", families[i]);
		conntrack_builders(label, ct, 1);
		nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, (uint8_t)families[i]);
		snprintf(label, sizeof(label), "ct both families %d", families[i]);
		conntrack_builders(label, ct, 1);
		nfct_destroy(ct);
	}

	/* A master tuple without a family is left out; the rest is built. */
	struct nf_conntrack *ct = shaped(ALL, ALL);
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_SRC, htonl(0x0a000009));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_DST, htons(21));
	conntrack_builders("ct master without family", ct, 1);
	nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET);
	conntrack_builders("ct master with family", ct, 1);
	nfct_destroy(ct);
}

static const struct named_query exp_queries[] = {
	{ "create", NFCT_Q_CREATE },
	{ "create_update", NFCT_Q_CREATE_UPDATE },
	{ "get", NFCT_Q_GET },
	{ "destroy", NFCT_Q_DESTROY },
};

static void expectations(void)
{
	char label[64];
	for (int m = 0; m <= ALL; m++)
		for (int e = 0; e <= ALL; e++) {
			struct nf_conntrack *master = nfct_new(), *expected = nfct_new();
			struct nf_expect *exp = nfexp_new();
			CHECK(master && expected && exp);
			set_dir(master, &orig_attrs, m, A_SRC, A_DST, A_SPORT, A_DPORT);
			set_dir(expected, &orig_attrs, e, A_DST, A_SRC, A_DPORT, A_SPORT);
			nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
			nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
			nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 30);
			int full = m == 0 || e == 0 || (m == ALL && e == ALL);
			snprintf(label, sizeof(label), "exp master %02x expected %02x", m, e);
			printf("%s\n", label);
			for (size_t i = 0; i < sizeof(exp_queries) / sizeof(exp_queries[0]); i++)
				RUN(exp_queries[i].name, full,
				    nfexp_build_query(SSH, exp_queries[i].q, exp, buf.raw,
						      sizeof(buf.raw)));
			RUN("build_expect", full,
			    nfexp_build_expect(SSH, buf.raw, sizeof(buf.raw), IPCTNL_MSG_EXP_NEW,
					       NLM_F_REQUEST | NLM_F_ACK, exp));
			nfexp_destroy(exp);
			nfct_destroy(master);
			nfct_destroy(expected);
		}
}

int main(void)
{
	conntracks();
	expectations();
	return 0;
}
