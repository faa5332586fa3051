/*
 * Shared by the print_*.c tests: conntrack objects built through the setters
 * (every protocol, family, state, status and optional field), a label map,
 * and a printer that shows nfct_snprintf's result with the parts that
 * depend on the clock masked.
 */
#ifndef CAPI_PRINT_MATRIX_H
#define CAPI_PRINT_MATRIX_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

#define PM_IPS_SEEN_REPLY (1u << 1)
#define PM_IPS_ASSURED (1u << 2)
#define PM_IPS_OFFLOAD (1u << 14)
#define PM_IPS_HW_OFFLOAD (1u << 15)

/* Same time zone for every library: a zone with an offset, so that dates go
 * through the local-time conversion (POSIX rule, no zone files needed). */
static inline void pm_fixed_zone(void)
{
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
}

/* A label map file in /tmp with a few names (bit 2 unnamed, bit 7 empty). */
static inline struct nfct_labelmap *pm_labelmap(void)
{
	char path[] = "/tmp/capi-print-labels.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char text[] = "0 zero\n1 one\n3 three-with-a-longer-name\n"
			    "31 thirtyone\n32 thirtytwo\n100 hundred\n";
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	struct nfct_labelmap *map = nfct_labelmap_new(path);
	unlink(path);
	CHECK(map != NULL);
	return map;
}

/* Replaces the digits after `key` with one 'N'; returns how many characters
 * shorter the text got. */
static inline int pm_mask_number(char *s, const char *key)
{
	int removed = 0;
	char *p = s;
	while ((p = strstr(p, key)) != NULL) {
		char *d = p + strlen(key);
		char *e = d;
		while (*e >= '0' && *e <= '9')
			e++;
		if (e > d) {
			*d = 'N';
			removed += (int)(e - d) - 1;
			memmove(d + 1, e, strlen(e) + 1);
		}
		p = d;
	}
	return removed;
}

/* Replaces the contents of <when>...</when> (the current time) with 'T'. */
static inline int pm_mask_when(char *s)
{
	char *a = strstr(s, "<when>");
	if (!a)
		return 0;
	a += strlen("<when>");
	char *b = strstr(a, "</when>");
	if (!b)
		return 0;
	int removed = (int)(b - a) - 1;
	*a = 'T';
	memmove(a + 1, b, strlen(b) + 1);
	return removed;
}

/* Whether pm_show masks ages (off for objects that all have a stop time,
 * whose age does not depend on the clock). */
static int pm_mask_ages = 1;

/*
 * Prints one call's result: its return value (errno when -1) and the text,
 * with the current time masked (the delta-time of an entry that has not
 * stopped, and the XML <when> element; the return value is corrected for
 * the <when> element's varying length).
 */
static inline void pm_show(const char *tag, const struct nf_conntrack *ct, unsigned int msg,
			   unsigned int out, unsigned int flags, struct nfct_labelmap *map)
{
	char buf[8192];
	memset(buf, 'X', sizeof(buf));
	errno = 0;
	int r = map ? nfct_snprintf_labels(buf, sizeof(buf), ct, msg, out, flags, map)
		    : nfct_snprintf(buf, sizeof(buf), ct, msg, out, flags);
	int e = errno;
	if (r < 0) {
		/* What was written before the failure, if anything. */
		buf[32] = '\0';
		for (char *p = buf; *p; p++)
			if (*p == 'X')
				*p = '.';
		printf("%s msg=%#x out=%u flags=%#x: ret=%d errno=%d buf=[%s]\n", tag, msg, out, flags,
		       r, e, buf);
		return;
	}
	CHECK((size_t)r < sizeof(buf));
	CHECK(buf[r] == '\0');
	int removed = pm_mask_when(buf);
	if (pm_mask_ages) {
		pm_mask_number(buf, "delta-time=");
		pm_mask_number(buf, "<deltatime>");
	}
	printf("%s msg=%#x out=%u flags=%#x: ret=%d [%s]\n", tag, msg, out, flags, r - removed, buf);
}

static inline uint32_t pm_ip4(const char *s)
{
	struct in_addr a;
	CHECK(inet_pton(AF_INET, s, &a) == 1);
	return a.s_addr;
}

static inline void pm_ip6(struct nf_conntrack *ct, int attr, const char *s)
{
	struct in6_addr a;
	CHECK(inet_pton(AF_INET6, s, &a) == 1);
	nfct_set_attr(ct, attr, &a);
}

/* Layer 3 and 4 of both directions: IPv4 192.0.2.1:1025 -> 198.51.100.7:80
 * (or the IPv6 addresses given), the reply swapped. */
static inline struct nf_conntrack *pm_flow(uint8_t l3, uint8_t l4, const char *src6, const char *dst6)
{
	struct nf_conntrack *ct = nfct_new();
	CHECK(ct != NULL);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, l3);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, l3);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, l4);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, l4);
	if (l3 == AF_INET6) {
		pm_ip6(ct, ATTR_ORIG_IPV6_SRC, src6);
		pm_ip6(ct, ATTR_ORIG_IPV6_DST, dst6);
		pm_ip6(ct, ATTR_REPL_IPV6_SRC, dst6);
		pm_ip6(ct, ATTR_REPL_IPV6_DST, src6);
	} else {
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, pm_ip4("192.0.2.1"));
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, pm_ip4("198.51.100.7"));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, pm_ip4("198.51.100.7"));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, pm_ip4("192.0.2.1"));
	}
	if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6) {
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, l4 == IPPROTO_ICMP ? 8 : 128);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(4321));
	} else {
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1025));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(80));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1025));
	}
	return ct;
}

/* Everything a typical dumped TCP entry carries. */
static inline struct nf_conntrack *pm_tcp_entry(void)
{
	struct nf_conntrack *ct = pm_flow(AF_INET, IPPROTO_TCP, NULL, NULL);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3); /* ESTABLISHED */
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 431999);
	nfct_set_attr_u32(ct, ATTR_STATUS, PM_IPS_SEEN_REPLY | PM_IPS_ASSURED);
	nfct_set_attr_u32(ct, ATTR_MARK, 42);
	nfct_set_attr_u32(ct, ATTR_ID, 3735928559u);
	nfct_set_attr_u32(ct, ATTR_USE, 1);
	return ct;
}

static const struct {
	const char *name;
	uint8_t l3, l4;
} pm_protocols[] = {
	{ "tcp", AF_INET, IPPROTO_TCP },
	{ "udp", AF_INET, IPPROTO_UDP },
	{ "udplite", AF_INET, IPPROTO_UDPLITE },
	{ "sctp", AF_INET, IPPROTO_SCTP },
	{ "dccp", AF_INET, IPPROTO_DCCP },
	{ "gre", AF_INET, IPPROTO_GRE },
	{ "icmp", AF_INET, IPPROTO_ICMP },
	{ "icmpv6", AF_INET6, IPPROTO_ICMPV6 },
	{ "tcp6", AF_INET6, IPPROTO_TCP },
	{ "udp6", AF_INET6, IPPROTO_UDP },
	{ "proto0", AF_INET, 0 },
	{ "proto200", AF_INET, 200 },
	{ "proto255", AF_INET6, 255 },
	{ "family7", 7, IPPROTO_TCP },
	{ "family0", 0, IPPROTO_UDP },
	{ "family255", 255, IPPROTO_ICMP },
};

static const char *const pm_ipv6_addresses[] = {
	"::",
	"::1",
	"1::",
	"fe80::1:2",
	"2001:db8::1:0:0:1",
	"2001:db8:0:0:1::1",
	"2001:0:0:1:0:0:0:1",
	"::ffff:192.0.2.33",
	"::192.0.2.33",
	"::ffff:0:1.2.3.4",
	"1:2:3:4:5:6:7:8",
	"0:1:0:1:0:1:0:1",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	"::ffff:ffff",
	"::1:0:0",
	"abcd:ef01:2345:6789:abcd:ef01:2345:6789",
};

static const unsigned int pm_msg_types[] = {
	NFCT_T_UNKNOWN, NFCT_T_NEW, NFCT_T_UPDATE, NFCT_T_DESTROY, NFCT_T_ALL, NFCT_T_ERROR, 3, 99,
};

/*
 * The whole matrix through one output type. `timeflags` are the NFCT_OF_*
 * flags to combine (with NFCT_OF_TIME only where the output masks it).
 */
static inline void pm_matrix(unsigned int out)
{
	char tag[128];
	size_t i;
	unsigned int f, s;

	/* Protocols and families, every flag combination. */
	for (i = 0; i < sizeof(pm_protocols) / sizeof(pm_protocols[0]); i++) {
		struct nf_conntrack *ct =
			pm_flow(pm_protocols[i].l3, pm_protocols[i].l4, "2001:db8::1", "fd00::abcd");
		for (f = 0; f < 16; f++) {
			snprintf(tag, sizeof(tag), "proto %s", pm_protocols[i].name);
			pm_show(tag, ct, NFCT_T_UNKNOWN, out, f, NULL);
		}
		nfct_destroy(ct);
	}

	/* Message types. */
	struct nf_conntrack *tcp = pm_tcp_entry();
	for (i = 0; i < sizeof(pm_msg_types) / sizeof(pm_msg_types[0]); i++) {
		pm_show("msgtype", tcp, pm_msg_types[i], out, 0, NULL);
		pm_show("msgtype", tcp, pm_msg_types[i], out, NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID, NULL);
	}
	for (f = 0; f < 16; f++)
		pm_show("tcp entry", tcp, NFCT_T_NEW, out, f, NULL);
	for (f = 16; f < 64; f += 16)
		pm_show("unknown flags", tcp, NFCT_T_NEW, out, f | 5, NULL);
	pm_show("all flags", tcp, NFCT_T_NEW, out, ~0u, NULL);

	/* TCP and SCTP states, in and out of range. */
	for (s = 0; s < 14; s++) {
		snprintf(tag, sizeof(tag), "tcp state %u", s);
		nfct_set_attr_u8(tcp, ATTR_TCP_STATE, (uint8_t)s);
		pm_show(tag, tcp, 0, out, 0, NULL);
	}
	nfct_set_attr_u8(tcp, ATTR_TCP_STATE, 255);
	pm_show("tcp state 255", tcp, 0, out, 0, NULL);
	struct nf_conntrack *sctp = pm_flow(AF_INET, IPPROTO_SCTP, NULL, NULL);
	for (s = 0; s < 13; s++) {
		snprintf(tag, sizeof(tag), "sctp state %u", s);
		nfct_set_attr_u8(sctp, ATTR_SCTP_STATE, (uint8_t)s);
		nfct_set_attr_u32(sctp, ATTR_SCTP_VTAG_ORIG, 0x11223344);
		pm_show(tag, sctp, 0, out, 0, NULL);
	}
	nfct_destroy(sctp);

	/* Status bits. */
	static const uint32_t statuses[] = {
		0,
		PM_IPS_SEEN_REPLY,
		PM_IPS_ASSURED,
		PM_IPS_SEEN_REPLY | PM_IPS_ASSURED,
		PM_IPS_OFFLOAD,
		PM_IPS_SEEN_REPLY | PM_IPS_OFFLOAD | PM_IPS_ASSURED,
		PM_IPS_HW_OFFLOAD,
		PM_IPS_HW_OFFLOAD | PM_IPS_OFFLOAD | PM_IPS_ASSURED | PM_IPS_SEEN_REPLY,
		0xffffffffu,
		0xffffffffu & ~PM_IPS_SEEN_REPLY,
	};
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		snprintf(tag, sizeof(tag), "status %#x", statuses[i]);
		nfct_set_attr_u32(tcp, ATTR_STATUS, statuses[i]);
		pm_show(tag, tcp, 0, out, 0, NULL);
	}
	nfct_destroy(tcp);

	/* Optional fields one by one, at their extremes, then all together. */
	struct nf_conntrack *all = pm_flow(AF_INET6, IPPROTO_UDP, "2001:db8::1", "2001:db8::2");
	struct nf_conntrack *one;
#define PM_ONE(label, setter)                                                  \
	do {                                                                   \
		one = pm_flow(AF_INET, IPPROTO_UDP, NULL, NULL);               \
		{ struct nf_conntrack *ct = one; setter; }                     \
		{ struct nf_conntrack *ct = all; setter; }                     \
		pm_show("field " label, one, 0, out, 0, NULL);                 \
		pm_show("field " label, one, NFCT_T_DESTROY, out, 15 & ~NFCT_OF_TIME, NULL); \
		nfct_destroy(one);                                             \
	} while (0)
	PM_ONE("timeout0", nfct_set_attr_u32(ct, ATTR_TIMEOUT, 0));
	PM_ONE("timeoutmax", nfct_set_attr_u32(ct, ATTR_TIMEOUT, 0xffffffffu));
	PM_ONE("mark", nfct_set_attr_u32(ct, ATTR_MARK, 0xffffffffu));
	PM_ONE("secmark", nfct_set_attr_u32(ct, ATTR_SECMARK, 123456));
	PM_ONE("zone", nfct_set_attr_u16(ct, ATTR_ZONE, 65535));
	PM_ONE("origzone", nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 7));
	PM_ONE("replzone", nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 0));
	PM_ONE("use", nfct_set_attr_u32(ct, ATTR_USE, 9));
	PM_ONE("secctx", nfct_set_attr(ct, ATTR_SECCTX, "system_u:object_r:x"));
	PM_ONE("id", nfct_set_attr_u32(ct, ATTR_ID, 0));
	PM_ONE("helper", nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp"));
	PM_ONE("longhelper", nfct_set_attr(ct, ATTR_HELPER_NAME, "a-helper-name-longer-than-16"));
	PM_ONE("origpackets", nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 5));
	PM_ONE("origcounters", nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES, 6));
	PM_ONE("replbytes", nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_BYTES, 7));
	PM_ONE("replcounters", nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_PACKETS, 8));
	PM_ONE("timestop", nfct_set_attr_u64(ct, ATTR_TIMESTAMP_STOP, 1));
	PM_ONE("timestart", nfct_set_attr_u64(ct, ATTR_TIMESTAMP_START, 1));
	PM_ONE("tcpflags", nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 3));
	PM_ONE("natseq", nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 3));
	PM_ONE("snat", nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, pm_ip4("203.0.113.9")));
	PM_ONE("synproxy", nfct_set_attr_u32(ct, ATTR_SYNPROXY_ISN, 77));
	PM_ONE("master", nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET));
	PM_ONE("state", nfct_set_attr_u8(ct, ATTR_TCP_STATE, 2));
	PM_ONE("status", nfct_set_attr_u32(ct, ATTR_STATUS, 0));
	for (f = 0; f < 16; f++)
		pm_show("all fields", all, NFCT_T_UPDATE, out, f, NULL);
	nfct_destroy(all);

	/* IPv6 address texts. */
	for (i = 0; i < sizeof(pm_ipv6_addresses) / sizeof(pm_ipv6_addresses[0]); i++) {
		struct nf_conntrack *ct =
			pm_flow(AF_INET6, IPPROTO_TCP, pm_ipv6_addresses[i], "2001:db8::2");
		snprintf(tag, sizeof(tag), "ipv6 %s", pm_ipv6_addresses[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_destroy(ct);
	}
	static const char *const v4[] = { "0.0.0.0", "255.255.255.255", "10.0.0.1", "1.22.133.4" };
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		struct nf_conntrack *ct = pm_flow(AF_INET, IPPROTO_UDP, NULL, NULL);
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, pm_ip4(v4[i]));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, pm_ip4(v4[i]));
		snprintf(tag, sizeof(tag), "ipv4 %s", v4[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_destroy(ct);
	}

	/* Ports, GRE keys and ICMP fields at their extremes. */
	static const uint16_t ports[] = { 0, 1, 9, 10, 255, 256, 4095, 4096, 65535 };
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct nf_conntrack *ct = pm_flow(AF_INET, IPPROTO_GRE, NULL, NULL);
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(ports[i]));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(ports[i]));
		snprintf(tag, sizeof(tag), "gre key %u", ports[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_DCCP);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_UDPLITE);
		snprintf(tag, sizeof(tag), "port %u", ports[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_destroy(ct);
	}
	static const uint8_t icmp_types[] = { 0, 3, 8, 13, 15, 17, 128, 129, 255 };
	for (i = 0; i < sizeof(icmp_types) / sizeof(icmp_types[0]); i++) {
		struct nf_conntrack *ct = pm_flow(AF_INET, IPPROTO_ICMP, NULL, NULL);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, icmp_types[i]);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, icmp_types[i]);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(ports[i]));
		snprintf(tag, sizeof(tag), "icmp type %u", icmp_types[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMPV6);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, icmp_types[i]);
		snprintf(tag, sizeof(tag), "icmpv6 type %u", icmp_types[i]);
		pm_show(tag, ct, 0, out, 0, NULL);
		nfct_destroy(ct);
	}

	/* Only one direction, or directions of different families. */
	struct nf_conntrack *half = nfct_new();
	nfct_set_attr_u8(half, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(half, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(half, ATTR_ORIG_IPV4_SRC, pm_ip4("192.0.2.1"));
	pm_show("orig only", half, 0, out, 1, NULL);
	nfct_set_attr_u8(half, ATTR_REPL_L3PROTO, AF_INET6);
	nfct_set_attr_u8(half, ATTR_REPL_L4PROTO, IPPROTO_ICMPV6);
	pm_show("mixed families", half, 0, out, 1, NULL);
	/* A set bit is what counts, not the value: unset keeps the value. */
	nfct_set_attr_u32(half, ATTR_MARK, 5);
	nfct_attr_unset(half, ATTR_MARK);
	nfct_attr_unset(half, ATTR_REPL_L3PROTO);
	pm_show("unset", half, 0, out, 1, NULL);
	nfct_destroy(half);

	/* Labels, with and without a map. */
	struct nfct_labelmap *map = pm_labelmap();
	static const int label_sets[][8] = {
		{ -1 },
		{ 0, -1 },
		{ 2, -1 },
		{ 7, 2, -1 },
		{ 0, 1, 3, 31, 32, 100, -1 },
		{ 100, 127, -1 },
		{ 1, 3, 2, -1 },
	};
	for (i = 0; i < sizeof(label_sets) / sizeof(label_sets[0]); i++) {
		struct nf_conntrack *ct = pm_tcp_entry();
		struct nfct_bitmask *b = nfct_bitmask_new(127);
		CHECK(b != NULL);
		for (int j = 0; label_sets[i][j] >= 0; j++)
			nfct_bitmask_set_bit(b, (unsigned int)label_sets[i][j]);
		nfct_set_attr(ct, ATTR_CONNLABELS, b);
		snprintf(tag, sizeof(tag), "labels set %zu", i);
		pm_show(tag, ct, 0, out, 0, map);
		pm_show(tag, ct, NFCT_T_NEW, out, NFCT_OF_SHOW_LAYER3, NULL);
		nfct_destroy(ct);
	}
	struct nf_conntrack *ct = pm_tcp_entry();
	pm_show("labels unset", ct, 0, out, 0, map);
	nfct_destroy(ct);
	nfct_labelmap_destroy(map);
}

#endif
