/* capi: ours-only */
/*
 * Bad input to the expectation message and text functions, where the
 * reference asserts, calls exit(), reads or writes past what it was given,
 * or reports success for nothing: every case must give a clean error (or
 * the documented result) and leave the objects usable.
 *
 * - nfexp_nlmsg_parse / nfexp_parse_expect: NULL arguments; messages shorter
 *   than their headers; a valid message cut at every length (a cut inside an
 *   attribute is EBADMSG); lying attribute lengths at every attribute header;
 *   attributes of the wrong size (timeout, flags, class, id, zone, NAT
 *   direction, addresses, ports), empty helper names, function names longer
 *   than their buffer, nests too short to hold a header.
 * - nfexp_nlmsg_build: NULL arguments; appending after an unaligned length.
 * - nfexp_build_expect / nfexp_build_query: NULL handle (accepted), NULL
 *   buffer, object or data; buffers too small (ENOSPC, nothing written past
 *   them); unsupported queries (ENOTSUP). (An expectation without a layer-3
 *   protocol gives what the reference gives, tested in query_incomplete.c.)
 * - nfexp_snprintf: NULL object, NULL buffer, size 0 (the length only),
 *   unknown output types.
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#define BUF_SIZE 4096

struct msgbuf {
	union {
		struct nlmsghdr nlh;
		unsigned char raw[BUF_SIZE];
	};
};

static struct nlmsghdr *msg_start(struct msgbuf *m, uint8_t family)
{
	memset(m->raw, 0, sizeof(m->raw));
	struct nlmsghdr *nlh = &m->nlh;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW;
	nlh->nlmsg_flags = NLM_F_CREATE;
	((struct nfgenmsg *)(m->raw + NLMSG_HDRLEN))->nfgen_family = family;
	return nlh;
}

static void put(struct nlmsghdr *nlh, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((unsigned char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = type;
	if (len)
		memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nf_conntrack *mk_tuple(int l3, const char *src, const char *dst)
{
	struct nf_conntrack *ct = nfct_new();
	CHECK(ct != NULL);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, (uint8_t)l3);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr(src));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(21));
	return ct;
}

/* An expectation with every attribute. */
static struct nf_expect *full(void)
{
	struct nf_expect *exp = nfexp_new();
	CHECK(exp != NULL);
	static const enum nf_expect_attr tuples[] = {
		ATTR_EXP_MASTER, ATTR_EXP_EXPECTED, ATTR_EXP_MASK, ATTR_EXP_NAT_TUPLE,
	};
	for (size_t i = 0; i < 4; i++) {
		struct nf_conntrack *ct = mk_tuple(AF_INET, "1.2.3.4", "5.6.7.8");
		nfexp_set_attr(exp, tuples[i], ct);
		nfct_destroy(ct);
	}
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 1);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 1);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 2);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr(exp, ATTR_EXP_FN, "fn");
	return exp;
}

/* The object still works: it prints. */
static void usable(const struct nf_expect *exp)
{
	char buf[1024];
	CHECK(nfexp_snprintf(buf, sizeof(buf), exp, 0, NFCT_O_PLAIN, 0) > 0);
	CHECK(nfexp_snprintf(buf, sizeof(buf), exp, 0, NFCT_O_XML, 0) > 0);
}

#define EXPECT_ERR(expr, err)                                                  \
	do {                                                                   \
		errno = 0;                                                     \
		int _r = (expr);                                               \
		if (_r != -1 || errno != (err)) {                              \
			fprintf(stderr, "%s:%d: %s = %d errno %d, want -1 %d\n", \
				__FILE__, __LINE__, #expr, _r, errno, (err));  \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* A valid message with every attribute the kernel sends, kernel-style. */
static void kernel_message(struct msgbuf *m)
{
	struct nf_expect *exp = full();
	struct nlmsghdr *nlh = msg_start(m, AF_INET);
	CHECK(nfexp_nlmsg_build(nlh, exp) == 0);
	uint32_t v = htonl(7);
	put(nlh, CTA_EXPECT_CLASS, &v, 4);
	put(nlh, CTA_EXPECT_ID, &v, 4);
	/* A NAT nest with a direction and a (copied) tuple. */
	unsigned char *nat = (unsigned char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);
	put(nlh, CTA_EXPECT_NAT | NLA_F_NESTED, NULL, 0);
	put(nlh, CTA_EXPECT_NAT_DIR, &v, 4);
	((struct nlattr *)nat)->nla_len = (uint16_t)((unsigned char *)nlh + nlh->nlmsg_len - nat);
	put(nlh, CTA_EXPECT_FN, "nat-follow-master", 18);
	nfexp_destroy(exp);
}

static void parse_bad(void)
{
	struct msgbuf m;
	struct nf_expect *exp = full();

	/* NULL arguments. */
	kernel_message(&m);
	EXPECT_ERR(nfexp_nlmsg_parse(NULL, exp), EINVAL);
	EXPECT_ERR(nfexp_nlmsg_parse(&m.nlh, NULL), EINVAL);
	EXPECT_ERR(nfexp_parse_expect(NFCT_T_ALL, NULL, exp), EINVAL);
	EXPECT_ERR(nfexp_parse_expect(NFCT_T_ALL, &m.nlh, NULL), EINVAL);
	usable(exp);

	/* The whole message parses; each shorter length parses what is whole
	 * and fails inside an attribute. */
	uint32_t full_len = m.nlh.nlmsg_len;
	CHECK(nfexp_nlmsg_parse(&m.nlh, exp) == 0);
	CHECK(nfexp_parse_expect(NFCT_T_ALL, &m.nlh, exp) == NFCT_T_NEW);
	int failures = 0;
	for (uint32_t len = 0; len < full_len; len++) {
		struct nf_expect *e = nfexp_new();
		m.nlh.nlmsg_len = len;
		errno = 0;
		int r = nfexp_nlmsg_parse(&m.nlh, e);
		CHECK(r == 0 || (r == -1 && errno == EBADMSG));
		if (len < NLMSG_HDRLEN + 4)
			CHECK(r == -1);
		failures += r == -1;
		errno = 0;
		r = nfexp_parse_expect(NFCT_T_NEW, &m.nlh, e);
		CHECK(r == NFCT_T_NEW || (r == -1 && errno == EBADMSG));
		usable(e);
		nfexp_destroy(e);
	}
	CHECK(failures > (int)(full_len / 2));
	m.nlh.nlmsg_len = full_len;

	/* Lying lengths at every 4-byte offset: too long, too short, zero. */
	static const uint16_t lies[] = { 0xfff0, 3, 0, 5 };
	for (uint32_t at = NLMSG_HDRLEN + 4; at + 4 <= full_len; at += 4) {
		for (size_t l = 0; l < sizeof(lies) / sizeof(lies[0]); l++) {
			struct msgbuf copy = m;
			memcpy(copy.raw + at, &lies[l], 2);
			struct nf_expect *e = nfexp_new();
			errno = 0;
			int r = nfexp_nlmsg_parse(&copy.nlh, e);
			CHECK(r == 0 || (r == -1 && errno == EBADMSG));
			usable(e);
			nfexp_destroy(e);
		}
	}

	/* Attributes of the wrong size. */
	static const struct {
		uint16_t type;
		const char *data;
		size_t len;
	} wrong[] = {
		{ CTA_EXPECT_TIMEOUT, "\0\0\1", 3 },
		{ CTA_EXPECT_TIMEOUT, "\0\0\0\0\1", 5 },
		{ CTA_EXPECT_FLAGS, "", 0 },
		{ CTA_EXPECT_CLASS, "\1\2", 2 },
		{ CTA_EXPECT_ID, "\1\2\3\4\5\6\7\10", 8 },
		{ CTA_EXPECT_ZONE, "\1", 1 },
		{ CTA_EXPECT_ZONE, "\0\0\0\1", 4 },
		{ CTA_EXPECT_HELP_NAME, "", 0 },
		{ CTA_EXPECT_FN, "0123456789012345678901234", 25 },
		{ CTA_EXPECT_MASTER | NLA_F_NESTED, "\1\2", 2 },
		{ CTA_EXPECT_TUPLE, "\1\2\3", 3 },
		{ CTA_EXPECT_MASK, "\1", 1 },
		{ CTA_EXPECT_NAT, "\1\2", 2 },
		/* Inside nests: a NAT direction of 2 bytes; an IPv4 address of 3;
		 * a port of 4; a protocol number of 2; a tuple zone of 1; an IPv6
		 * address of 15; a nested attribute running past its nest. */
		{ CTA_EXPECT_NAT, "\6\0\1\0\1\2\0\0", 8 },
		{ CTA_EXPECT_MASTER, "\13\0\1\0\7\0\1\0\1\2\3\0", 12 },
		{ CTA_EXPECT_TUPLE, "\14\0\2\0\10\0\2\0\0\0\0\1", 12 },
		{ CTA_EXPECT_MASK, "\14\0\2\0\6\0\1\0\6\0\0\0", 12 },
		{ CTA_EXPECT_MASK, "\5\0\3\0\1\0\0\0", 8 },
		{ CTA_EXPECT_MASTER, "\27\0\1\0\23\0\3\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24 },
		{ CTA_EXPECT_TUPLE, "\10\0\1\0\40\0\1\0", 8 },
		{ CTA_EXPECT_NAT, "\10\0\2\0\20\0\1\0", 8 },
	};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		struct nlmsghdr *nlh = msg_start(&m, AF_INET);
		uint32_t v = htonl(5);
		put(nlh, CTA_EXPECT_TIMEOUT, &v, 4);
		put(nlh, wrong[i].type, wrong[i].data, wrong[i].len);
		struct nf_expect *e = nfexp_new();
		errno = 0;
		int r = nfexp_nlmsg_parse(nlh, e);
		if (r != -1 || errno != EBADMSG) {
			fprintf(stderr, "wrong[%zu] (type %u): %d errno %d\n", i, wrong[i].type, r, errno);
			exit(1);
		}
		/* What came before stays set. */
		CHECK(nfexp_get_attr_u32(e, ATTR_EXP_TIMEOUT) == 5);
		EXPECT_ERR(nfexp_parse_expect(NFCT_T_ALL, nlh, e), EBADMSG);
		usable(e);
		nfexp_destroy(e);
	}

	/* Fewer bytes than an attribute header at the end are padding. */
	struct nlmsghdr *nlh = msg_start(&m, AF_INET);
	nlh->nlmsg_len += 3;
	CHECK(nfexp_nlmsg_parse(nlh, exp) == 0);
	/* A message of only a header, or a header and half an nfgenmsg. */
	nlh = msg_start(&m, AF_INET);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	EXPECT_ERR(nfexp_nlmsg_parse(nlh, exp), EBADMSG);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_ERR(nfexp_nlmsg_parse(nlh, exp), EBADMSG);
	/* A filtered-out message is not parsed, malformed or not. */
	CHECK(nfexp_parse_expect(NFCT_T_DESTROY, nlh, exp) == 0);
	usable(exp);
	nfexp_destroy(exp);
}

static void build_bad(void)
{
	struct msgbuf m;
	struct nf_expect *exp = full();
	struct nf_expect *none = nfexp_new();
	uint32_t family = AF_INET;

	/* nfexp_nlmsg_build. */
	EXPECT_ERR(nfexp_nlmsg_build(NULL, exp), EINVAL);
	EXPECT_ERR(nfexp_nlmsg_build(msg_start(&m, AF_INET), NULL), EINVAL);
	/* After an unaligned length, the attributes start aligned and the
	 * length covers them (the reference's length falls short). */
	struct nlmsghdr *nlh = msg_start(&m, AF_INET);
	memset(m.raw + 20, 0xee, 8);
	nlh->nlmsg_len = 21;
	CHECK(nfexp_nlmsg_build(nlh, exp) == 0);
	CHECK(m.raw[20] == 0xee && m.raw[21] == 0 && m.raw[23] == 0);
	CHECK(nlh->nlmsg_len % 4 == 0);
	CHECK(m.raw[24 + 2] == CTA_EXPECT_TUPLE);
	struct nf_expect *back = nfexp_new();
	nlh->nlmsg_len = 20;
	CHECK(nfexp_nlmsg_parse(nlh, back) == 0);
	CHECK(nfexp_attr_is_set(back, ATTR_EXP_EXPECTED) == 0);
	nfexp_destroy(back);

	/* nfexp_build_expect: any handle (NULL too); NULL buffer or object;
	 * a buffer too small is not written past. */
	CHECK(nfexp_build_expect(NULL, m.raw, sizeof(m.raw), 0, 0, exp) == 0);
	uint32_t need = m.nlh.nlmsg_len;
	CHECK(need > 20);
	EXPECT_ERR(nfexp_build_expect(NULL, NULL, 100, 0, 0, exp), EINVAL);
	EXPECT_ERR(nfexp_build_expect(NULL, m.raw, sizeof(m.raw), 0, 0, NULL), EINVAL);
	for (uint32_t size = 0; size < need; size++) {
		memset(m.raw, 0xaa, sizeof(m.raw));
		EXPECT_ERR(nfexp_build_expect(NULL, m.raw, size, 0, 0, exp), ENOSPC);
		for (size_t i = size; i < sizeof(m.raw); i++)
			CHECK(m.raw[i] == 0xaa);
	}
	CHECK(nfexp_build_expect(NULL, m.raw, need, 0, 0, exp) == 0);

	/* nfexp_build_query. */
	CHECK(nfexp_build_query(NULL, NFCT_Q_GET, exp, m.raw, sizeof(m.raw)) == 1);
	need = m.nlh.nlmsg_len;
	EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_GET, NULL, m.raw, sizeof(m.raw)), EINVAL);
	EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_GET, exp, NULL, sizeof(m.raw)), EINVAL);
	EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_DUMP, NULL, m.raw, sizeof(m.raw)), EINVAL);
	EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_UPDATE, exp, m.raw, sizeof(m.raw)), ENOTSUP);
	EXPECT_ERR(nfexp_build_query(NULL, (enum nf_conntrack_query)99, exp, m.raw, sizeof(m.raw)),
		   ENOTSUP);
	EXPECT_ERR(nfexp_build_query(NULL, (enum nf_conntrack_query)-5, &family, m.raw, sizeof(m.raw)),
		   ENOTSUP);
	/* Without a layer-3 protocol there is no request to build: 1 and a
	 * zeroed buffer, as in the reference. */
	memset(m.raw, 0xaa, sizeof(m.raw));
	CHECK(nfexp_build_query(NULL, NFCT_Q_CREATE, none, m.raw, sizeof(m.raw)) == 1);
	for (size_t i = 0; i < sizeof(m.raw); i++)
		CHECK(m.raw[i] == 0);
	for (uint32_t size = 0; size < need; size++) {
		memset(m.raw, 0xaa, sizeof(m.raw));
		EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_GET, exp, m.raw, size), ENOSPC);
		for (size_t i = size; i < sizeof(m.raw); i++)
			CHECK(m.raw[i] == 0xaa);
	}
	EXPECT_ERR(nfexp_build_query(NULL, NFCT_Q_FLUSH, &family, m.raw, 19), ENOSPC);
	CHECK(nfexp_build_query(NULL, NFCT_Q_FLUSH, &family, m.raw, 20) == 1);
	nfexp_destroy(none);
	nfexp_destroy(exp);
}

static void print_bad(void)
{
	struct nf_expect *exp = full();
	char buf[2048];
	EXPECT_ERR(nfexp_snprintf(buf, sizeof(buf), NULL, 0, NFCT_O_PLAIN, 0), EINVAL);
	EXPECT_ERR(nfexp_snprintf(NULL, sizeof(buf), exp, 0, NFCT_O_PLAIN, 0), EINVAL);
	EXPECT_ERR(nfexp_snprintf(buf, sizeof(buf), exp, 0, 2, 0), ENOENT);
	EXPECT_ERR(nfexp_snprintf(buf, sizeof(buf), exp, 0, (unsigned int)-1, 0), ENOENT);
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++) {
		/* Size 0 only measures: the length a large enough buffer gets. */
		int len = nfexp_snprintf(buf, sizeof(buf), exp, NFCT_T_NEW, out, 0);
		CHECK(len > 0 && len == (int)strlen(buf));
		CHECK(nfexp_snprintf(NULL, 0, exp, NFCT_T_NEW, out, 0) == len);
		buf[0] = 'X';
		CHECK(nfexp_snprintf(buf, 0, exp, NFCT_T_NEW, out, 0) == len);
		CHECK(buf[0] == 'X');
	}
	nfexp_destroy(exp);
}

int main(void)
{
	parse_bad();
	build_bad();
	print_bad();
	printf("ok\n");
	return 0;
}
