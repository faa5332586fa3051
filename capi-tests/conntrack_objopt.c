/*
 * nfct_setobjopt (every NFCT_SOPT_*) and nfct_getobjopt (every NFCT_GOPT_*)
 * on IPv4, IPv6, TCP, UDP, ICMP, GRE and family-less objects, NATed and not,
 * with and without status bits; and option numbers out of range (return value
 * and errno).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

struct spec {
	const char *name;
	uint8_t family, proto;
	int nat_addr, nat_port;   /* reply tuple translated? */
	int status;               /* -1: unset, else IPS_* bits */
	int reply;                /* fill the reply tuple? */
};

static struct nf_conntrack *make(const struct spec *s)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char src[16], dst[16], nat[16];

	capi_pattern(src, 16, 1, 1);
	capi_pattern(dst, 16, 2, 2);
	capi_pattern(nat, 16, 3, 3);
	if (s->family)
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, s->family);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, s->proto);
	if (s->family == AF_INET6) {
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, src);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, dst);
	} else {
		nfct_set_attr(ct, ATTR_ORIG_IPV4_SRC, src);
		nfct_set_attr(ct, ATTR_ORIG_IPV4_DST, dst);
	}
	if (s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6) {
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, s->proto == IPPROTO_ICMP ? 8 : 128);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(42));
	} else {
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1025));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	}
	if (s->reply) {
		nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, s->family);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, s->proto);
		if (s->family == AF_INET6) {
			nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, s->nat_addr == 2 ? nat : dst);
			nfct_set_attr(ct, ATTR_REPL_IPV6_DST, s->nat_addr == 1 ? nat : src);
		} else {
			nfct_set_attr(ct, ATTR_REPL_IPV4_SRC, s->nat_addr == 2 ? nat : dst);
			nfct_set_attr(ct, ATTR_REPL_IPV4_DST, s->nat_addr == 1 ? nat : src);
		}
		if (s->proto != IPPROTO_ICMP && s->proto != IPPROTO_ICMPV6) {
			nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC,
					  htons(s->nat_port == 2 ? 8080 : 80));
			nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST,
					  htons(s->nat_port == 1 ? 60000 : 1025));
		}
	}
	if (s->status >= 0)
		nfct_set_attr_u32(ct, ATTR_STATUS, (uint32_t)s->status);
	return ct;
}

static const struct spec specs[] = {
	{ "tcp4 plain", AF_INET, IPPROTO_TCP, 0, 0, -1, 1 },
	{ "tcp4 snat", AF_INET, IPPROTO_TCP, 1, 1, -1, 1 },
	{ "tcp4 snat status none", AF_INET, IPPROTO_TCP, 1, 1, 0, 1 },
	{ "tcp4 snat status src", AF_INET, IPPROTO_TCP, 1, 1, IPS_SRC_NAT_DONE, 1 },
	{ "tcp4 snat status dst", AF_INET, IPPROTO_TCP, 1, 1, IPS_DST_NAT_DONE, 1 },
	{ "tcp4 dnat", AF_INET, IPPROTO_TCP, 2, 2, -1, 1 },
	{ "tcp4 dnat status both", AF_INET, IPPROTO_TCP, 2, 2,
	  IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE, 1 },
	{ "tcp4 dnat status src", AF_INET, IPPROTO_TCP, 2, 2, IPS_SRC_NAT_DONE, 1 },
	{ "udp4 snat address only", AF_INET, IPPROTO_UDP, 1, 0, IPS_SRC_NAT_DONE, 1 },
	{ "udp4 port only", AF_INET, IPPROTO_UDP, 0, 1, IPS_SRC_NAT, 1 },
	{ "udp6 plain", AF_INET6, IPPROTO_UDP, 0, 0, -1, 1 },
	{ "udp6 snat", AF_INET6, IPPROTO_UDP, 1, 1, IPS_SRC_NAT_DONE, 1 },
	{ "tcp6 dnat", AF_INET6, IPPROTO_TCP, 2, 2, IPS_DST_NAT_DONE, 1 },
	{ "icmp4", AF_INET, IPPROTO_ICMP, 0, 0, -1, 1 },
	{ "icmp4 snat", AF_INET, IPPROTO_ICMP, 1, 0, IPS_SRC_NAT_DONE, 1 },
	{ "icmp6 dnat", AF_INET6, IPPROTO_ICMPV6, 2, 0, -1, 1 },
	{ "gre4", AF_INET, IPPROTO_GRE, 1, 1, -1, 1 },
	{ "sctp4", AF_INET, IPPROTO_SCTP, 0, 1, -1, 1 },
	{ "dccp6", AF_INET6, IPPROTO_DCCP, 0, 2, -1, 1 },
	{ "udplite4", AF_INET, IPPROTO_UDPLITE, 1, 1, -1, 1 },
	{ "unknown proto 99", AF_INET, 99, 1, 1, -1, 1 },
	{ "no family", 0, IPPROTO_TCP, 1, 1, -1, 1 },
	{ "family 7", 7, IPPROTO_TCP, 1, 1, -1, 1 },
	{ "tcp4 orig only", AF_INET, IPPROTO_TCP, 0, 0, -1, 0 },
	{ "tcp6 orig only", AF_INET6, IPPROTO_TCP, 0, 0, -1, 0 },
	{ "icmp4 orig only", AF_INET, IPPROTO_ICMP, 0, 0, -1, 0 },
};

static const char *sopt_name[] = {
	"UNDO_SNAT", "UNDO_DNAT", "UNDO_SPAT", "UNDO_DPAT", "SETUP_ORIGINAL",
	"SETUP_REPLY",
};
static const char *gopt_name[] = { "IS_SNAT", "IS_DNAT", "IS_SPAT", "IS_DPAT" };

static void show_gopts(const struct nf_conntrack *ct)
{
	printf("  getobjopt:");
	for (unsigned int o = 0; o <= NFCT_GOPT_MAX; o++)
		printf(" %s=%d", gopt_name[o], nfct_getobjopt(ct, o));
	printf("\n");
}

static void every_option(void)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct nf_conntrack *base = make(&specs[i]);

		printf("== %s\n", specs[i].name);
		capi_ct_dump("base", base, 0);
		show_gopts(base);
		for (unsigned int o = 0; o <= NFCT_SOPT_MAX; o++) {
			struct nf_conntrack *ct = nfct_clone(base);
			char label[64];
			SHOW_RET(sopt_name[o], nfct_setobjopt(ct, o));
			snprintf(label, sizeof(label), "after %s", sopt_name[o]);
			capi_ct_dump(label, ct, 0);
			show_gopts(ct);
			nfct_destroy(ct);
		}
		nfct_destroy(base);
	}
}

/* SETUP_REPLY then UNDO_*, as conntrack(8) does for NAT on create. */
static void sequences(void)
{
	static const struct spec s = { "tcp4 orig", AF_INET, IPPROTO_TCP, 0, 0, -1, 0 };
	struct nf_conntrack *ct = make(&s);

	printf("== sequences\n");
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, htonl(0x0a0a0a0a));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(2000));
	show_gopts(ct);
	nfct_setobjopt(ct, NFCT_SOPT_UNDO_SNAT);
	nfct_setobjopt(ct, NFCT_SOPT_UNDO_SPAT);
	capi_ct_dump("setup reply, nat, undo snat+spat", ct, 0);
	show_gopts(ct);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_ORIGINAL);
	capi_ct_dump("then setup original", ct, 0);
	show_gopts(ct);
	nfct_destroy(ct);
}

static void out_of_range(void)
{
	static const unsigned int bad[] = { 6, 7, 100, 0x80000000u, 0xffffffffu };
	static const unsigned int gbad[] = { 4, 5, 100, 0x80000000u, 0xffffffffu };
	struct nf_conntrack *ct = make(&specs[1]);

	printf("== options out of range\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		printf("  setobjopt %u:", bad[i]);
		SHOW_RET("", nfct_setobjopt(ct, bad[i]));
	}
	for (size_t i = 0; i < sizeof(gbad) / sizeof(gbad[0]); i++) {
		printf("  getobjopt %u:", gbad[i]);
		SHOW_RET("", nfct_getobjopt(ct, gbad[i]));
	}
	capi_ct_dump("unchanged", ct, 0);
	printf("  NFCT_SOPT_MAX=%d NFCT_GOPT_MAX=%d\n", NFCT_SOPT_MAX, NFCT_GOPT_MAX);
	nfct_destroy(ct);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	every_option();
	sequences();
	out_of_range();
	return 0;
}
