/*
 * Expectations on the wire.
 *
 * - nfexp_nlmsg_build: expectations with every combination of the attributes
 *   the library builds (expected, master, mask, timeout, flags, zone,
 *   helper; class, NAT and function always set too, which are never sent),
 *   then every kind of tuple (IPv4/IPv6, TCP/UDP/UDP-Lite/SCTP/DCCP/GRE/
 *   ICMP/ICMPv6/unknown protocol, unknown or unset family), appended to a
 *   request after its nfgenmsg and after other attributes: the message in
 *   hex. Each is parsed back with nfexp_nlmsg_parse into a new object, which
 *   is shown attribute by attribute (tuples through the nfct_* getters), as
 *   text and XML, and built again.
 * - nfexp_nlmsg_parse on messages as the kernel sends them: every attribute
 *   (class, NAT direction and tuple, function, id, zones inside tuples),
 *   each tuple alone (the family lands on another tuple: see the build that
 *   follows), unknown attributes, names without NUL or too long for their
 *   buffer, repeated attributes, parsing into an object already filled.
 * - nfexp_build_query for every query number (supported or not, and out of
 *   range), for the family forms with several families, and the family
 *   choice (master, expected, unset tuples): return value, errno, the
 *   message in hex, and whether the rest of the buffer is zero.
 * - nfexp_build_expect with a libnfnetlink subsystem handle (a real one
 *   when libnfnetlink can be loaded, else a zeroed stand-in: both references
 *   ignore it), any message type and flags; nfexp_parse_expect with every
 *   message kind and type filter.
 *
 * Left out (the reference asserts, overflows the buffer, or sends an empty
 * message): NULL arguments, buffers too small, nfexp_build_query of an
 * expectation without a layer-3 protocol, messages appended to a request of
 * unaligned length, malformed messages; see bad_expect_msg.c. Also left out:
 * a tuple or NAT nest repeated in one message (the reference keeps the last,
 * our one-pass parser merges them; the kernel never repeats an attribute),
 * and the buffer after a failed nfexp_build_expect (1.0.9 leaves it alone,
 * 1.1.0 zeroes it).
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define CAPI_CT_HELPERS
#include "common.h"
#include "objects.h"

/* The libnfnetlink-era functions are deprecated; they are tested here. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static const char *exp_names[ATTR_EXP_MAX] = {
	"MASTER", "EXPECTED", "MASK", "TIMEOUT", "ZONE", "FLAGS",
	"HELPER_NAME", "CLASS", "NAT_TUPLE", "NAT_DIR", "FN",
};

/* ---- objects --------------------------------------------------------- */

/* Every attribute set; tuples of family `l3` and protocol `l4`. */
static struct nf_expect *full(int l3, int l4)
{
	struct nf_expect *exp = nfexp_new();
	CHECK(exp != NULL);
	int v6 = l3 == AF_INET6;
	capi_set_tuple(exp, ATTR_EXP_MASTER,
		  capi_tuple(l3, l4, v6 ? "2001:db8::1" : "192.168.1.10", v6 ? "2001:db8::2" : "10.0.0.1",
			   40123, 21));
	capi_set_tuple(exp, ATTR_EXP_EXPECTED,
		  capi_tuple(l3, l4, v6 ? "2001:db8::1" : "192.168.1.10", v6 ? "::ffff:10.0.0.1" : "10.0.0.1",
			   0x0102, 50000));
	capi_set_tuple(exp, ATTR_EXP_MASK,
		  capi_tuple(l3, l4, v6 ? "ffff:ffff::" : "255.255.255.255", v6 ? "::ffff" : "255.255.255.0",
			   0, 0xffff));
	capi_set_tuple(exp, ATTR_EXP_NAT_TUPLE, capi_tuple(l3, l4, v6 ? "::9" : "9.9.9.9", v6 ? "::8" : "8.8.8.8", 1, 2));
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 0x1234);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 0x80000005);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 7);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr(exp, ATTR_EXP_FN, "nat-follow-master");
	return exp;
}

/* Every attribute of `exp`, tuples through the nfct_* getters, then the
 * object as text and XML. */
static void dump(const char *label, const struct nf_expect *exp)
{
	printf("%s: set={", label);
	for (int a = 0; a < ATTR_EXP_MAX; a++)
		if (nfexp_attr_is_set(exp, (enum nf_expect_attr)a) == 1)
			printf(" %s", exp_names[a]);
	printf(" }\n");
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		enum nf_expect_attr t = (enum nf_expect_attr)a;
		if (nfexp_attr_is_set(exp, t) != 1)
			continue;
		const void *p = nfexp_get_attr(exp, t);
		CHECK(p != NULL);
		switch (a) {
		case ATTR_EXP_MASTER:
		case ATTR_EXP_EXPECTED:
		case ATTR_EXP_MASK:
		case ATTR_EXP_NAT_TUPLE:
			capi_ct_dump(exp_names[a], p, 0);
			break;
		case ATTR_EXP_ZONE:
			printf(" %s=%#x\n", exp_names[a], nfexp_get_attr_u16(exp, t));
			break;
		case ATTR_EXP_HELPER_NAME:
		case ATTR_EXP_FN:
			printf(" %s=\"%s\"\n", exp_names[a], (const char *)p);
			break;
		default:
			printf(" %s=%#x\n", exp_names[a], nfexp_get_attr_u32(exp, t));
			break;
		}
	}
	char buf[2048];
	nfexp_snprintf(buf, sizeof(buf), exp, NFCT_T_UNKNOWN, NFCT_O_PLAIN, 0);
	printf(" plain: %s\n", buf);
	nfexp_snprintf(buf, sizeof(buf), exp, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	printf(" xml: %s\n", buf);
}

/* ---- messages -------------------------------------------------------- */

#define BUF_SIZE 4096

/* A message buffer: room for a whole request, aligned for the header. */
struct msgbuf {
	union {
		struct nlmsghdr nlh;
		unsigned char raw[BUF_SIZE];
	};
};

/* Starts a message of `type` with `flags` and an nfgenmsg of `family`. */
static struct nlmsghdr *msg_start(struct msgbuf *m, uint16_t type, uint16_t flags, uint8_t family)
{
	memset(m->raw, 0, sizeof(m->raw));
	struct nlmsghdr *nlh = &m->nlh;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	struct nfgenmsg *nfg = (struct nfgenmsg *)(m->raw + NLMSG_HDRLEN);
	nfg->nfgen_family = family;
	return nlh;
}

static unsigned char *tail(struct nlmsghdr *nlh)
{
	return (unsigned char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);
}

static void put(struct nlmsghdr *nlh, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)tail(nlh);
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = type;
	if (len)
		memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	put(nlh, type, &v, 1);
}

static void put_be16(struct nlmsghdr *nlh, uint16_t type, uint16_t v)
{
	v = htons(v);
	put(nlh, type, &v, 2);
}

static void put_be32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	v = htonl(v);
	put(nlh, type, &v, 4);
}

static void put_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	put(nlh, type, s, strlen(s) + 1);
}

static struct nlattr *nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *n = (struct nlattr *)tail(nlh);
	put(nlh, type | NLA_F_NESTED, NULL, 0);
	return n;
}

static void nest_end(struct nlmsghdr *nlh, struct nlattr *n)
{
	n->nla_len = (uint16_t)(tail(nlh) - (unsigned char *)n);
}

/* A tuple nest as the kernel builds it; `zone` >= 0 adds CTA_TUPLE_ZONE. */
static void put_tuple(struct nlmsghdr *nlh, uint16_t type, int l3, const char *src,
		      const char *dst, int l4, uint16_t a, uint16_t b, int zone)
{
	struct nlattr *t = nest_start(nlh, type);
	struct nlattr *ip = nest_start(nlh, CTA_TUPLE_IP);
	unsigned char s[16], d[16];
	CHECK(inet_pton(l3, src, s) == 1);
	CHECK(inet_pton(l3, dst, d) == 1);
	size_t n = l3 == AF_INET ? 4 : 16;
	put(nlh, l3 == AF_INET ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, s, n);
	put(nlh, l3 == AF_INET ? CTA_IP_V4_DST : CTA_IP_V6_DST, d, n);
	nest_end(nlh, ip);
	struct nlattr *proto = nest_start(nlh, CTA_TUPLE_PROTO);
	put_u8(nlh, CTA_PROTO_NUM, (uint8_t)l4);
	if (l4 == IPPROTO_ICMP) {
		put_be16(nlh, CTA_PROTO_ICMP_ID, a);
		put_u8(nlh, CTA_PROTO_ICMP_TYPE, (uint8_t)(b >> 8));
		put_u8(nlh, CTA_PROTO_ICMP_CODE, (uint8_t)b);
	} else if (l4 == IPPROTO_ICMPV6) {
		put_be16(nlh, CTA_PROTO_ICMPV6_ID, a);
		put_u8(nlh, CTA_PROTO_ICMPV6_TYPE, (uint8_t)(b >> 8));
		put_u8(nlh, CTA_PROTO_ICMPV6_CODE, (uint8_t)b);
	} else {
		put_be16(nlh, CTA_PROTO_SRC_PORT, a);
		put_be16(nlh, CTA_PROTO_DST_PORT, b);
	}
	nest_end(nlh, proto);
	if (zone >= 0)
		put_be16(nlh, CTA_TUPLE_ZONE, (uint16_t)zone);
	nest_end(nlh, t);
}

/*
 * The attributes in `p[0..len)` in hex, each as `[header payload]`, nests
 * recursively. Padding bytes are left out: the reference leaves them as they
 * were in the caller's buffer with libmnl before 1.0.5 (bookworm's 1.0.4;
 * after a cancelled nest they hold its header), and zeroes them with later
 * versions; ours are always zero.
 */
static void show_attrs(const unsigned char *p, size_t len)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len) {
			printf(" !bad");
			return;
		}
		printf(" [%02x%02x %02x%02x", p[0], p[1], p[2], p[3]);
		if (a->nla_type & NLA_F_NESTED) {
			show_attrs(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
		} else {
			printf(" ");
			for (size_t i = NLA_HDRLEN; i < a->nla_len; i++)
				printf("%02x", p[i]);
		}
		printf("]");
		size_t step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
	if (len)
		printf(" !trailing %zu", len);
}

/* The message's header fields, then its attributes. */
static void show_msg(const char *label, const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *nfg = (const void *)((const unsigned char *)nlh + NLMSG_HDRLEN);
	printf("%s: len=%u type=%#x flags=%#x seq=%u pid=%u family=%u version=%u res_id=%u\n",
	       label, nlh->nlmsg_len, nlh->nlmsg_type, nlh->nlmsg_flags, nlh->nlmsg_seq,
	       nlh->nlmsg_pid, nfg->nfgen_family, nfg->version, ntohs(nfg->res_id));
	if (nlh->nlmsg_len > NLMSG_HDRLEN + sizeof(*nfg)) {
		printf("  attrs:");
		show_attrs((const unsigned char *)nlh + NLMSG_HDRLEN + sizeof(*nfg),
			   nlh->nlmsg_len - NLMSG_HDRLEN - sizeof(*nfg));
		printf("\n");
	}
}

/* Whether the bytes of `buf` from `from` to its end are all zero. */
static int zero_from(const struct msgbuf *m, size_t from)
{
	for (size_t i = from; i < sizeof(m->raw); i++)
		if (m->raw[i])
			return 0;
	return 1;
}

/* The libnfnetlink subsystem handle every deprecated function gets (1.0.9
 * asserts that it is not NULL; neither reference reads it). */
static struct nfnl_subsys_handle *ssh;

/* Parses `nlh` into a new object and shows it; then builds it again. */
static void parse_back(const char *label, const struct nlmsghdr *nlh)
{
	struct nf_expect *exp = nfexp_new();
	SHOW_RET("  nfexp_nlmsg_parse", nfexp_nlmsg_parse(nlh, exp));
	dump(label, exp);
	struct msgbuf again;
	struct nlmsghdr *n = msg_start(&again, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW,
				       NLM_F_REQUEST, 2);
	SHOW_RET("  rebuild", nfexp_nlmsg_build(n, exp));
	show_msg("  rebuilt", n);
	/* The family of a request for it: the master's layer 3 protocol, else
	 * the expected's (-1 without either; the reference sets no errno). */
	struct msgbuf q;
	int r = nfexp_build_expect(ssh, q.raw, sizeof(q.raw), IPCTNL_MSG_EXP_GET, NLM_F_REQUEST, exp);
	printf("  build_expect: %d\n", r);
	/* (After a failure 1.0.9 leaves the buffer as it was, 1.1.0 zeroes it.) */
	if (r == 0)
		show_msg("  request", &q.nlh);
	nfexp_destroy(exp);
}

/* Builds `exp` into a request of family `family` and parses it back. */
static void build_and_parse(const char *label, const struct nf_expect *exp, uint8_t family)
{
	struct msgbuf m;
	struct nlmsghdr *nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW,
					 NLM_F_REQUEST | NLM_F_CREATE, family);
	printf("== %s\n", label);
	SHOW_RET("  nfexp_nlmsg_build", nfexp_nlmsg_build(nlh, exp));
	show_msg("  built", nlh);
	parse_back(label, nlh);
}

/* ---- the parts ------------------------------------------------------- */

static const enum nf_expect_attr built_attrs[] = {
	ATTR_EXP_EXPECTED, ATTR_EXP_MASTER, ATTR_EXP_MASK, ATTR_EXP_TIMEOUT,
	ATTR_EXP_FLAGS, ATTR_EXP_ZONE, ATTR_EXP_HELPER_NAME,
};
#define N_BUILT (sizeof(built_attrs) / sizeof(built_attrs[0]))

static void build_combinations(void)
{
	for (unsigned int mask = 0; mask < (1u << N_BUILT); mask++) {
		struct nf_expect *exp = full(AF_INET, IPPROTO_TCP);
		char label[64];
		for (unsigned int i = 0; i < N_BUILT; i++)
			if (!(mask & (1u << i)))
				nfexp_attr_unset(exp, built_attrs[i]);
		snprintf(label, sizeof(label), "combination %#x", mask);
		build_and_parse(label, exp, AF_INET);
		nfexp_destroy(exp);
	}
}

static void build_tuple_kinds(void)
{
	static const int protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP, IPPROTO_DCCP,
		IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, 99, 0,
	};
	for (int fam = 0; fam < 2; fam++) {
		for (size_t p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
			char label[64];
			int l3 = fam ? AF_INET6 : AF_INET;
			struct nf_expect *exp = full(l3, protos[p]);
			snprintf(label, sizeof(label), "tuples %d/%d", l3, protos[p]);
			build_and_parse(label, exp, (uint8_t)l3);
			nfexp_destroy(exp);
		}
	}
	/* Tuples without a family, or of an unknown one, are left out. */
	struct nf_expect *exp = full(AF_INET, IPPROTO_UDP);
	capi_set_tuple(exp, ATTR_EXP_MASK, capi_tuple(0, IPPROTO_UDP, "1.2.3.4", "5.6.7.8", 1, 2));
	capi_set_tuple(exp, ATTR_EXP_EXPECTED, capi_tuple(7, IPPROTO_UDP, "1.2.3.4", "5.6.7.8", 1, 2));
	build_and_parse("no family", exp, AF_INET);
	/* A tuple set, then unset, is not built. */
	nfexp_attr_unset(exp, ATTR_EXP_MASTER);
	build_and_parse("unset master", exp, AF_INET);
	nfexp_destroy(exp);
	/* Names at their longest. */
	exp = full(AF_INET, IPPROTO_TCP);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "a-very-long-helper-name");
	build_and_parse("long helper", exp, AF_INET);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "");
	build_and_parse("empty helper", exp, AF_INET);
	nfexp_destroy(exp);
	/* The empty object. */
	exp = nfexp_new();
	build_and_parse("empty", exp, AF_INET);
	nfexp_destroy(exp);

	/* Appended after attributes already in the request. */
	struct msgbuf m;
	struct nlmsghdr *nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_GET,
					 NLM_F_REQUEST | NLM_F_ACK, AF_INET6);
	put_be32(nlh, CTA_EXPECT_ID, 99);
	put(nlh, 200, "xyz", 3);
	exp = full(AF_INET6, IPPROTO_UDP);
	printf("== appended\n");
	SHOW_RET("  nfexp_nlmsg_build", nfexp_nlmsg_build(nlh, exp));
	show_msg("  built", nlh);
	parse_back("appended", nlh);
	nfexp_destroy(exp);
}

/* Messages as the kernel sends them. */
static void parse_kernel_messages(void)
{
	struct msgbuf m;
	struct nlmsghdr *nlh;
	struct nlattr *n;

	/* A whole expectation event. */
	for (int fam = 0; fam < 2; fam++) {
		int v6 = fam == 1;
		int l3 = v6 ? AF_INET6 : AF_INET;
		const char *a = v6 ? "2001:db8::1" : "10.1.1.1";
		const char *b = v6 ? "2001:db8::2" : "10.2.2.2";
		const char *ones = v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255";
		nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW,
				NLM_F_CREATE | NLM_F_EXCL, (uint8_t)l3);
		put_tuple(nlh, CTA_EXPECT_MASTER, l3, a, b, IPPROTO_TCP, 40000, 21, 3);
		put_tuple(nlh, CTA_EXPECT_TUPLE, l3, a, b, IPPROTO_TCP, 0, 50000, -1);
		put_tuple(nlh, CTA_EXPECT_MASK, l3, ones, ones, IPPROTO_TCP, 0, 0xffff, -1);
		put_be32(nlh, CTA_EXPECT_TIMEOUT, 299);
		put_be32(nlh, CTA_EXPECT_ID, 0xabcdef01);
		put_str(nlh, CTA_EXPECT_HELP_NAME, "ftp");
		put_be16(nlh, CTA_EXPECT_ZONE, 42);
		put_be32(nlh, CTA_EXPECT_FLAGS, 6);
		put_be32(nlh, CTA_EXPECT_CLASS, 1);
		n = nest_start(nlh, CTA_EXPECT_NAT);
		put_be32(nlh, CTA_EXPECT_NAT_DIR, 1);
		put_tuple(nlh, CTA_EXPECT_NAT_TUPLE, l3, b, a, IPPROTO_TCP, 1, 2, -1);
		nest_end(nlh, n);
		put_str(nlh, CTA_EXPECT_FN, "nat-follow-master");
		printf("== kernel event %d\n", l3);
		show_msg("  msg", nlh);
		parse_back("kernel event", nlh);
	}

	/* Each tuple alone: the family lands on another tuple. */
	static const uint16_t tuple_types[] = { CTA_EXPECT_MASTER, CTA_EXPECT_TUPLE, CTA_EXPECT_MASK };
	for (size_t i = 0; i < 3; i++) {
		nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, 0, AF_INET6);
		put_tuple(nlh, tuple_types[i], AF_INET6, "::1", "::2", IPPROTO_UDP, 5, 6, 9);
		printf("== tuple %u alone\n", tuple_types[i]);
		parse_back("alone", nlh);
	}

	/* ICMP tuples, NAT without a tuple, NAT with a tuple only. */
	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_DELETE, 0, AF_INET);
	put_tuple(nlh, CTA_EXPECT_TUPLE, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_ICMP, 77, 0x0800, -1);
	put_tuple(nlh, CTA_EXPECT_MASTER, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_ICMP, 78, 0x0000, -1);
	n = nest_start(nlh, CTA_EXPECT_NAT);
	put_be32(nlh, CTA_EXPECT_NAT_DIR, 0);
	nest_end(nlh, n);
	printf("== icmp, nat without tuple\n");
	parse_back("icmp", nlh);

	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_DELETE, 0, AF_INET6);
	put_tuple(nlh, CTA_EXPECT_TUPLE, AF_INET6, "fe80::1", "ff02::1", IPPROTO_ICMPV6, 1, 0x8000, 0);
	n = nest_start(nlh, CTA_EXPECT_NAT);
	put_tuple(nlh, CTA_EXPECT_NAT_TUPLE, AF_INET6, "::", "::", IPPROTO_ICMPV6, 2, 0x8100, -1);
	nest_end(nlh, n);
	printf("== icmpv6, nat tuple only\n");
	parse_back("icmpv6", nlh);

	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_DELETE, 0, AF_INET);
	n = nest_start(nlh, CTA_EXPECT_NAT);
	nest_end(nlh, n);
	printf("== empty nat\n");
	parse_back("empty nat", nlh);

	/* Unknown attributes and types; names without NUL (padding ends them),
	 * cut names, repeated attributes. */
	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, 0, AF_INET);
	put(nlh, 0, "abcd", 4);
	put(nlh, CTA_EXPECT_FN + 1, "abcdefgh", 8);
	put(nlh, 200 | NLA_F_NESTED, NULL, 0);
	put(nlh, CTA_EXPECT_HELP_NAME, "sip", 3);
	put(nlh, CTA_EXPECT_FN, "x\0yz", 4);
	put_be32(nlh, CTA_EXPECT_TIMEOUT, 1);
	put_be32(nlh, CTA_EXPECT_TIMEOUT, 2);
	/* (Unknown NAT attributes below CTA_MAX overflow the reference's table.) */
	n = nest_start(nlh, CTA_EXPECT_NAT);
	put(nlh, 100, "q", 1);
	put_be32(nlh, CTA_EXPECT_NAT_DIR, 5);
	nest_end(nlh, n);
	printf("== unknown and odd attributes\n");
	parse_back("odd", nlh);

	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, 0, AF_INET);
	put_str(nlh, CTA_EXPECT_HELP_NAME, "a-very-long-helper-name");
	put_str(nlh, CTA_EXPECT_FN, "exactly-twenty-three-ch");
	put(nlh, CTA_EXPECT_ZONE, "\x01\x02", 2);
	printf("== longest names\n");
	parse_back("long", nlh);

	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, 0, AF_INET);
	put(nlh, CTA_EXPECT_FN, "abcdefg", 7);
	put(nlh, CTA_EXPECT_HELP_NAME, "h\0", 2);
	printf("== names without NUL, empty name\n");
	parse_back("nonul", nlh);

	/* Parsing into an object already filled: nothing is cleared. */
	struct nf_expect *exp = full(AF_INET, IPPROTO_TCP);
	nlh = msg_start(&m, (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, 0, AF_INET);
	put_be32(nlh, CTA_EXPECT_TIMEOUT, 5);
	put_tuple(nlh, CTA_EXPECT_MASTER, AF_INET, "3.3.3.3", "4.4.4.4", IPPROTO_UDP, 1, 2, -1);
	SHOW_RET("== into filled object", nfexp_nlmsg_parse(nlh, exp));
	dump("filled", exp);
	nfexp_destroy(exp);
}

static void build_queries(void)
{
	struct nf_expect *v4 = full(AF_INET, IPPROTO_TCP);
	static const int queries[] = { -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100 };
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		int q = queries[i];
		uint32_t family = AF_INET;
		const void *data = (q == NFCT_Q_FLUSH || q == NFCT_Q_DUMP) ? (const void *)&family
									  : (const void *)v4;
		struct msgbuf m;
		memset(m.raw, 0xaa, sizeof(m.raw));
		char label[64];
		snprintf(label, sizeof(label), "build_query %d", q);
		SHOW_RET(label, nfexp_build_query(ssh, (enum nf_conntrack_query)q, data, m.raw,
						  sizeof(m.raw)));
		show_msg("  msg", &m.nlh);
		printf("  rest zero: %d\n", zero_from(&m, NLMSG_ALIGN(m.nlh.nlmsg_len)));
	}
	/* Families: the first byte of what data points to. */
	static const uint32_t families[] = { AF_UNSPEC, AF_INET, AF_INET6, 0x0a0b0c02, 255 };
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		for (int q = NFCT_Q_FLUSH; q <= NFCT_Q_DUMP; q++) {
			struct msgbuf m;
			char label[64];
			snprintf(label, sizeof(label), "build_query %d family %#x", q, families[i]);
			SHOW_RET(label, nfexp_build_query(ssh, (enum nf_conntrack_query)q, &families[i],
							  m.raw, sizeof(m.raw)));
			show_msg("  msg", &m.nlh);
		}
		uint8_t one = (uint8_t)families[i];
		struct msgbuf m;
		SHOW_RET("  one byte", nfexp_build_query(ssh, NFCT_Q_DUMP, &one, m.raw, 20));
		show_msg("  msg", &m.nlh);
	}
	/* Family choice: the master's layer 3, else the expected's; the tuple
	 * heads' own bits count, set or not. */
	struct nf_expect *exp = nfexp_new();
	capi_set_tuple(exp, ATTR_EXP_EXPECTED, capi_tuple(AF_INET6, IPPROTO_UDP, "::1", "::2", 1, 2));
	struct msgbuf m;
	SHOW_RET("family expected", nfexp_build_query(ssh, NFCT_Q_DESTROY, exp, m.raw, sizeof(m.raw)));
	show_msg("  msg", &m.nlh);
	capi_set_tuple(exp, ATTR_EXP_MASTER, capi_tuple(AF_INET, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2));
	SHOW_RET("family master", nfexp_build_query(ssh, NFCT_Q_CREATE_UPDATE, exp, m.raw, sizeof(m.raw)));
	show_msg("  msg", &m.nlh);
	nfexp_attr_unset(exp, ATTR_EXP_MASTER);
	nfexp_attr_unset(exp, ATTR_EXP_EXPECTED);
	SHOW_RET("family unset", nfexp_build_query(ssh, NFCT_Q_CREATE, exp, m.raw, sizeof(m.raw)));
	show_msg("  msg", &m.nlh);
	capi_set_tuple(exp, ATTR_EXP_MASTER, capi_tuple(0, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 1, 2));
	SHOW_RET("family master without l3", nfexp_build_query(ssh, NFCT_Q_GET, exp, m.raw, sizeof(m.raw)));
	show_msg("  msg", &m.nlh);
	nfexp_destroy(exp);
	nfexp_destroy(v4);
}

/* libnfnetlink's functions, when the library can be loaded. */
struct nfnl {
	void *lib;
	struct nfnl_handle *h;
	struct nfnl_subsys_handle *ssh;
};

static struct nfnl_subsys_handle *open_ssh(struct nfnl *n)
{
	static unsigned char stand_in[64];
	memset(n, 0, sizeof(*n));
	n->lib = dlopen("libnfnetlink.so.0", RTLD_NOW);
	if (n->lib) {
		struct nfnl_handle *(*o)(void) = (struct nfnl_handle * (*)(void)) dlsym(n->lib, "nfnl_open");
		struct nfnl_subsys_handle *(*so)(struct nfnl_handle *, uint8_t, uint8_t, unsigned int) =
			(struct nfnl_subsys_handle * (*)(struct nfnl_handle *, uint8_t, uint8_t, unsigned int))
				dlsym(n->lib, "nfnl_subsys_open");
		if (o && so && (n->h = o()) != NULL)
			n->ssh = so(n->h, NFNL_SUBSYS_CTNETLINK_EXP, 0, 0);
	}
	return n->ssh ? n->ssh : (struct nfnl_subsys_handle *)stand_in;
}

static void close_ssh(struct nfnl *n)
{
	if (n->ssh) {
		void (*sc)(struct nfnl_subsys_handle *) =
			(void (*)(struct nfnl_subsys_handle *))dlsym(n->lib, "nfnl_subsys_close");
		if (sc)
			sc(n->ssh);
	}
	if (n->h) {
		int (*c)(struct nfnl_handle *) = (int (*)(struct nfnl_handle *))dlsym(n->lib, "nfnl_close");
		if (c)
			c(n->h);
	}
	if (n->lib)
		dlclose(n->lib);
}

static void deprecated_api(void)
{
	struct nf_expect *exp = full(AF_INET6, IPPROTO_UDP);
	static const uint16_t types[] = { 0, 1, 2, 3, 0x0301, 0xffff };
	static const uint16_t flags[] = { 0, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0xffff };
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
			struct msgbuf m;
			char label[64];
			memset(m.raw, 0xaa, sizeof(m.raw));
			snprintf(label, sizeof(label), "build_expect type=%#x flags=%#x", types[t], flags[f]);
			SHOW_RET(label, nfexp_build_expect(ssh, m.raw, sizeof(m.raw), types[t], flags[f], exp));
			show_msg("  msg", &m.nlh);
			printf("  rest zero: %d\n", zero_from(&m, NLMSG_ALIGN(m.nlh.nlmsg_len)));
		}
	}
	/* Without a layer-3 protocol: -1 (errno is not set by the reference;
	 * 1.1.0 zeroes the buffer, 1.0.9 leaves it alone). */
	struct nf_expect *none = nfexp_new();
	struct msgbuf m;
	printf("build_expect without family: %d\n",
	       nfexp_build_expect(ssh, m.raw, sizeof(m.raw), 0, 0, none));
	nfexp_destroy(none);

	/* nfexp_parse_expect: message kinds and type filters. */
	static const struct {
		uint16_t type, flags;
	} kinds[] = {
		{ IPCTNL_MSG_EXP_NEW, NLM_F_CREATE }, { IPCTNL_MSG_EXP_NEW, NLM_F_EXCL },
		{ IPCTNL_MSG_EXP_NEW, 0 },	      { IPCTNL_MSG_EXP_NEW, NLM_F_REPLACE },
		{ IPCTNL_MSG_EXP_DELETE, 0 },	      { IPCTNL_MSG_EXP_GET, NLM_F_CREATE },
		{ 3, 0 },			      { 0x0100 | IPCTNL_MSG_EXP_DELETE, 0 },
		{ 0xff00, NLM_F_CREATE },
	};
	static const unsigned int filters[] = {
		NFCT_T_ALL, NFCT_T_NEW, NFCT_T_UPDATE, NFCT_T_DESTROY, 0, (unsigned int)NFCT_T_ERROR, 0xffffffff,
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct msgbuf msg;
		CHECK(nfexp_build_expect(ssh, msg.raw, sizeof(msg.raw), kinds[k].type, kinds[k].flags, exp) == 0);
		for (size_t f = 0; f < sizeof(filters) / sizeof(filters[0]); f++) {
			struct nf_expect *out = nfexp_new();
			char label[80];
			snprintf(label, sizeof(label), "parse_expect type=%#x flags=%#x filter=%#x",
				 kinds[k].type, kinds[k].flags, filters[f]);
			SHOW_RET(label, nfexp_parse_expect((enum nf_conntrack_msg_type)filters[f], &msg.nlh, out));
			printf("  timeout set: %d\n", nfexp_attr_is_set(out, ATTR_EXP_TIMEOUT));
			nfexp_destroy(out);
		}
	}
	struct msgbuf msg;
	CHECK(nfexp_build_expect(ssh, msg.raw, sizeof(msg.raw), 0, NLM_F_CREATE, exp) == 0);
	struct nf_expect *out = nfexp_new();
	SHOW_RET("parse_expect whole", nfexp_parse_expect(NFCT_T_ALL, &msg.nlh, out));
	dump("parse_expect", out);
	nfexp_destroy(out);
	nfexp_destroy(exp);
}

int main(void)
{
	struct nfnl n;
	ssh = open_ssh(&n);
	build_combinations();
	build_tuple_kinds();
	parse_kernel_messages();
	build_queries();
	deprecated_api();
	close_ssh(&n);
	return 0;
}
