/*
 * nfct_snprintf on objects parsed from ctnetlink messages, which carry what
 * the setters cannot give: counters, use count, timestamps, a security
 * context and labels, with real values. Each message is built here, parsed
 * with nfct_nlmsg_parse and printed plain and XML, whole and cut.
 */
#include <linux/netfilter/nfnetlink.h>

#include "print_matrix.h"

/* A tiny netlink attribute writer. */
struct msg {
	union {
		char buf[4096];
		struct nlmsghdr nlh;
	};
	size_t len;
	size_t nest[8];
	int depth;
};

static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v) { put(m, t, &v, 1); }
static void put_be16(struct msg *m, uint16_t t, uint16_t v) { v = htons(v); put(m, t, &v, 2); }
static void put_be32(struct msg *m, uint16_t t, uint32_t v) { v = htonl(v); put(m, t, &v, 4); }
static void put_be64(struct msg *m, uint16_t t, uint64_t v)
{
	uint32_t w[2] = { htonl((uint32_t)(v >> 32)), htonl((uint32_t)v) };
	put(m, t, w, 8);
}
static void put_str(struct msg *m, uint16_t t, const char *s) { put(m, t, s, strlen(s) + 1); }

static void open_nest(struct msg *m, uint16_t type)
{
	m->nest[m->depth++] = m->len;
	put(m, type | NLA_F_NESTED, NULL, 0);
}

static void close_nest(struct msg *m)
{
	size_t at = m->nest[--m->depth];
	((struct nlattr *)(m->buf + at))->nla_len = (uint16_t)(m->len - at);
}

static void start(struct msg *m, uint8_t family)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	m->nlh.nlmsg_flags = NLM_F_MULTI;
	struct nfgenmsg *g = (struct nfgenmsg *)(m->buf + NLMSG_HDRLEN);
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*g));
}

static void tuple4(struct msg *m, uint16_t type, const char *src, const char *dst, uint8_t proto,
		   uint16_t sport, uint16_t dport, uint16_t zone)
{
	open_nest(m, type);
	open_nest(m, CTA_TUPLE_IP);
	uint32_t a = pm_ip4(src), b = pm_ip4(dst);
	put(m, CTA_IP_V4_SRC, &a, 4);
	put(m, CTA_IP_V4_DST, &b, 4);
	close_nest(m);
	open_nest(m, CTA_TUPLE_PROTO);
	put_u8(m, CTA_PROTO_NUM, proto);
	put_be16(m, CTA_PROTO_SRC_PORT, sport);
	put_be16(m, CTA_PROTO_DST_PORT, dport);
	close_nest(m);
	if (zone)
		put_be16(m, CTA_TUPLE_ZONE, zone);
	close_nest(m);
}

static void counters(struct msg *m, uint16_t type, uint64_t packets, uint64_t bytes)
{
	open_nest(m, type);
	put_be64(m, CTA_COUNTERS_PACKETS, packets);
	put_be64(m, CTA_COUNTERS_BYTES, bytes);
	close_nest(m);
}

static struct nf_conntrack *parse(struct msg *m)
{
	m->nlh.nlmsg_len = (uint32_t)m->len;
	struct nf_conntrack *ct = nfct_new();
	CHECK(ct != NULL);
	CHECK(nfct_nlmsg_parse(&m->nlh, ct) == 0);
	return ct;
}

static void show_all(const char *tag, struct nf_conntrack *ct, struct nfct_labelmap *map)
{
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++) {
		for (unsigned int f = 0; f < 16; f++)
			pm_show(tag, ct, f & 1 ? NFCT_T_DESTROY : NFCT_T_UNKNOWN, out, f, map);
		char buf[64];
		for (unsigned int size = 1; size < sizeof(buf); size += 9)
			printf("%s out=%u size %u: ret=%d\n", tag, out, size,
			       nfct_snprintf_labels(buf, size, ct, NFCT_T_NEW, out, NFCT_OF_TIMESTAMP, map));
	}
}

int main(void)
{
	struct msg m;
	pm_fixed_zone();
	/* Every entry here has stopped: its age does not depend on the clock. */
	pm_mask_ages = 0;
	struct nfct_labelmap *map = pm_labelmap();

	/* A stopped entry with everything: the ages do not depend on the clock. */
	start(&m, AF_INET);
	tuple4(&m, CTA_TUPLE_ORIG, "10.1.2.3", "10.9.8.7", IPPROTO_TCP, 40000, 22, 1);
	tuple4(&m, CTA_TUPLE_REPLY, "10.9.8.7", "10.1.2.3", IPPROTO_TCP, 22, 40000, 2);
	open_nest(&m, CTA_PROTOINFO);
	open_nest(&m, CTA_PROTOINFO_TCP);
	put_u8(&m, CTA_PROTOINFO_TCP_STATE, 7);
	close_nest(&m);
	close_nest(&m);
	put_be32(&m, CTA_STATUS, PM_IPS_SEEN_REPLY | PM_IPS_ASSURED | 8);
	put_be32(&m, CTA_TIMEOUT, 117);
	put_be32(&m, CTA_MARK, 0x80000001u);
	counters(&m, CTA_COUNTERS_ORIG, 1234567, 9876543210ull);
	counters(&m, CTA_COUNTERS_REPLY, 18446744073709551615ull, 0);
	put_be32(&m, CTA_USE, 3);
	put_be32(&m, CTA_ID, 4000000000u);
	put_be16(&m, CTA_ZONE, 77);
	open_nest(&m, CTA_SECCTX);
	put_str(&m, CTA_SECCTX_NAME, "system_u:object_r:ssh_t:s0");
	close_nest(&m);
	open_nest(&m, CTA_TIMESTAMP);
	put_be64(&m, CTA_TIMESTAMP_START, 1700000000123456789ull);
	put_be64(&m, CTA_TIMESTAMP_STOP, 1700003723987654321ull);
	close_nest(&m);
	uint32_t labels[4] = { (1u << 0) | (1u << 3) | (1u << 31), 1u, 0, 1u << 4 };
	put(&m, CTA_LABELS, labels, sizeof(labels));
	open_nest(&m, CTA_HELP);
	put_str(&m, CTA_HELP_NAME, "ftp");
	close_nest(&m);
	struct nf_conntrack *ct = parse(&m);
	show_all("stopped", ct, map);
	show_all("stopped", ct, NULL);
	nfct_destroy(ct);

	/* Dates across the year, before and after daylight saving, and a stop
	 * before the start (the age wraps). */
	static const uint64_t starts[] = { 0, 1, 951782400, 1711846799, 1711846800, 1729990800,
					   4102444800ull, 18000000000ull };
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		start(&m, AF_INET);
		tuple4(&m, CTA_TUPLE_ORIG, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 53, 53, 0);
		open_nest(&m, CTA_TIMESTAMP);
		put_be64(&m, CTA_TIMESTAMP_START, starts[i] * 1000000000ull + 999999999ull);
		put_be64(&m, CTA_TIMESTAMP_STOP, (starts[i] + 86399) * 1000000000ull);
		close_nest(&m);
		ct = parse(&m);
		pm_show("dates", ct, 0, NFCT_O_PLAIN, NFCT_OF_TIMESTAMP, NULL);
		pm_show("dates", ct, 0, NFCT_O_XML, NFCT_OF_TIMESTAMP, NULL);
		nfct_destroy(ct);
	}
	start(&m, AF_INET);
	tuple4(&m, CTA_TUPLE_ORIG, "1.1.1.1", "2.2.2.2", IPPROTO_UDP, 53, 53, 0);
	open_nest(&m, CTA_TIMESTAMP);
	put_be64(&m, CTA_TIMESTAMP_START, 2000000000000000000ull);
	put_be64(&m, CTA_TIMESTAMP_STOP, 1000000000000000000ull);
	close_nest(&m);
	ct = parse(&m);
	pm_show("backwards", ct, 0, NFCT_O_PLAIN, NFCT_OF_TIMESTAMP, NULL);
	pm_show("backwards", ct, 0, NFCT_O_XML, NFCT_OF_TIMESTAMP, NULL);
	nfct_destroy(ct);

	nfct_labelmap_destroy(map);
	return 0;
}
