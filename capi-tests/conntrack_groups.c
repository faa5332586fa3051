/*
 * Attribute groups: nfct_set_attr_grp, nfct_get_attr_grp, nfct_attr_grp_is_set
 * and nfct_attr_grp_unset for every ATTR_GRP_*, the AND groups (all members
 * must be set) and the OR groups (the address unions: any member will do),
 * the ICMP group's reply type, groups whose setter only marks, and group
 * numbers out of range.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

#define G(n) ((enum nf_conntrack_attr_grp)(n))

static const struct {
	int grp;
	const char *name;
	size_t size;
	int members[3];
	int nmembers;
	int any;
} groups[] = {
	{ ATTR_GRP_ORIG_IPV4, "ORIG_IPV4", sizeof(struct nfct_attr_grp_ipv4),
	  { ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST, ATTR_ORIG_L3PROTO }, 3, 0 },
	{ ATTR_GRP_REPL_IPV4, "REPL_IPV4", sizeof(struct nfct_attr_grp_ipv4),
	  { ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST, ATTR_REPL_L3PROTO }, 3, 0 },
	{ ATTR_GRP_ORIG_IPV6, "ORIG_IPV6", sizeof(struct nfct_attr_grp_ipv6),
	  { ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV6_DST, ATTR_ORIG_L3PROTO }, 3, 0 },
	{ ATTR_GRP_REPL_IPV6, "REPL_IPV6", sizeof(struct nfct_attr_grp_ipv6),
	  { ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV6_DST, ATTR_REPL_L3PROTO }, 3, 0 },
	{ ATTR_GRP_ORIG_PORT, "ORIG_PORT", sizeof(struct nfct_attr_grp_port),
	  { ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST, ATTR_ORIG_L4PROTO }, 3, 0 },
	{ ATTR_GRP_REPL_PORT, "REPL_PORT", sizeof(struct nfct_attr_grp_port),
	  { ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST, ATTR_REPL_L4PROTO }, 3, 0 },
	{ ATTR_GRP_ICMP, "ICMP", sizeof(struct nfct_attr_grp_icmp),
	  { ATTR_ICMP_CODE, ATTR_ICMP_TYPE, ATTR_ICMP_ID }, 3, 0 },
	{ ATTR_GRP_MASTER_IPV4, "MASTER_IPV4", sizeof(struct nfct_attr_grp_ipv4),
	  { ATTR_MASTER_IPV4_SRC, ATTR_MASTER_IPV4_DST, ATTR_MASTER_L3PROTO }, 3, 0 },
	{ ATTR_GRP_MASTER_IPV6, "MASTER_IPV6", sizeof(struct nfct_attr_grp_ipv6),
	  { ATTR_MASTER_IPV6_SRC, ATTR_MASTER_IPV6_DST, ATTR_MASTER_L3PROTO }, 3, 0 },
	{ ATTR_GRP_MASTER_PORT, "MASTER_PORT", sizeof(struct nfct_attr_grp_port),
	  { ATTR_MASTER_PORT_SRC, ATTR_MASTER_PORT_DST, ATTR_MASTER_L4PROTO }, 3, 0 },
	{ ATTR_GRP_ORIG_COUNTERS, "ORIG_COUNTERS", sizeof(struct nfct_attr_grp_ctrs),
	  { ATTR_ORIG_COUNTER_PACKETS, ATTR_ORIG_COUNTER_BYTES }, 2, 0 },
	{ ATTR_GRP_REPL_COUNTERS, "REPL_COUNTERS", sizeof(struct nfct_attr_grp_ctrs),
	  { ATTR_REPL_COUNTER_PACKETS, ATTR_REPL_COUNTER_BYTES }, 2, 0 },
	{ ATTR_GRP_ORIG_ADDR_SRC, "ORIG_ADDR_SRC", sizeof(union nfct_attr_grp_addr),
	  { ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC }, 2, 1 },
	{ ATTR_GRP_ORIG_ADDR_DST, "ORIG_ADDR_DST", sizeof(union nfct_attr_grp_addr),
	  { ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST }, 2, 1 },
	{ ATTR_GRP_REPL_ADDR_SRC, "REPL_ADDR_SRC", sizeof(union nfct_attr_grp_addr),
	  { ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC }, 2, 1 },
	{ ATTR_GRP_REPL_ADDR_DST, "REPL_ADDR_DST", sizeof(union nfct_attr_grp_addr),
	  { ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST }, 2, 1 },
};
#define NGROUPS ((int)(sizeof(groups) / sizeof(groups[0])))

static void show_group(const struct nf_conntrack *ct, int g)
{
	unsigned char out[64];
	int r, e;

	memset(out, 0xaa, sizeof(out));
	errno = 0;
	r = nfct_get_attr_grp(ct, G(groups[g].grp), out);
	e = errno;
	printf("  grp %d %s: is_set=%d get=%d", groups[g].grp, groups[g].name,
	       nfct_attr_grp_is_set(ct, G(groups[g].grp)), r);
	if (r < 0) {
		printf(" errno=%s\n", strerror(e));
		return;
	}
	/* The bytes after the struct must be left alone. */
	show_bytes("", out, groups[g].size + 4);
}

static void every_group(void)
{
	for (int g = 0; g < NGROUPS; g++) {
		unsigned char in[64];
		struct nf_conntrack *ct = nfct_new();

		printf("== group %d %s (%zu bytes, %s)\n", groups[g].grp,
		       groups[g].name, groups[g].size, groups[g].any ? "OR" : "AND");
		show_group(ct, g);

		capi_pattern(in, sizeof(in), g, 1);
		nfct_set_attr_grp(ct, G(groups[g].grp), in);
		show_group(ct, g);
		capi_ct_dump("after set", ct, 0);

		SHOW_RET("  unset", nfct_attr_grp_unset(ct, G(groups[g].grp)));
		show_group(ct, g);
		capi_ct_dump("after unset", ct, 0);

		/* Members one by one: AND groups need all, OR groups one. */
		for (int m = 0; m < groups[g].nmembers; m++) {
			struct nf_conntrack *one = nfct_new();
			capi_pattern(in, sizeof(in), groups[g].members[m], 2);
			nfct_set_attr(one, (enum nf_conntrack_attr)groups[g].members[m], in);
			printf(" only member %d:", groups[g].members[m]);
			show_group(one, g);
			nfct_destroy(one);
		}
		/* All members but one. */
		for (int skip = 0; skip < groups[g].nmembers; skip++) {
			struct nf_conntrack *some = nfct_new();
			for (int m = 0; m < groups[g].nmembers; m++) {
				if (m == skip)
					continue;
				capi_pattern(in, sizeof(in), groups[g].members[m], 3);
				nfct_set_attr(some, (enum nf_conntrack_attr)groups[g].members[m], in);
			}
			printf(" all but member %d:", groups[g].members[skip]);
			show_group(some, g);
			nfct_destroy(some);
		}
		/* Set members one by one, then read the group. */
		for (int m = 0; m < groups[g].nmembers; m++) {
			capi_pattern(in, sizeof(in), groups[g].members[m], 4);
			nfct_set_attr(ct, (enum nf_conntrack_attr)groups[g].members[m], in);
		}
		printf(" all members set singly:");
		show_group(ct, g);
		nfct_destroy(ct);
	}
}

/* Group setters fill the layer-3 protocol; unsetting clears every member. */
static void group_interplay(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct nfct_attr_grp_ipv4 v4 = { htonl(0x0a000001), htonl(0x0a000002) };
	struct nfct_attr_grp_ipv6 v6 = {
		{ htonl(0x20010db8), 0, 0, htonl(1) },
		{ htonl(0x20010db8), 0, 0, htonl(2) },
	};
	struct nfct_attr_grp_port port = { htons(1024), htons(80) };

	printf("== interplay\n");
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV6, &v6);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, &v4);
	capi_ct_dump("v6 then v4", ct, 0);
	for (int g = 0; g < NGROUPS; g++)
		show_group(ct, g);
	nfct_attr_grp_unset(ct, ATTR_GRP_ORIG_ADDR_SRC);
	capi_ct_dump("unset ORIG_ADDR_SRC", ct, 0);
	for (int g = 0; g < NGROUPS; g++)
		show_group(ct, g);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_ADDR_DST, &v6);
	capi_ct_dump("set ORIG_ADDR_DST (marks only)", ct, 0);
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_PORT, &port);
	capi_ct_dump("repl port (l4proto marked, not stored)", ct, 0);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_PORT, &port);
	capi_ct_dump("repl port after l4proto", ct, 0);
	nfct_attr_grp_unset(ct, ATTR_GRP_REPL_PORT);
	nfct_attr_grp_unset(ct, ATTR_GRP_ORIG_IPV4);
	capi_ct_dump("unset REPL_PORT and ORIG_IPV4", ct, 0);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_COUNTERS, &v6);
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_COUNTERS, &v6);
	capi_ct_dump("counters (mark only)", ct, 0);
	for (int g = 0; g < NGROUPS; g++)
		show_group(ct, g);
	nfct_destroy(ct);
}

/* The ICMP group sets the reply type and the reply direction's code and id. */
static void icmp_group(void)
{
	static const uint8_t fams[] = { 0, AF_INET, AF_INET6 };
	static const uint8_t types[] = { 0, 3, 8, 13, 17, 18, 19, 128, 129, 131,
					 139, 140, 255 };

	printf("== ICMP group\n");
	for (size_t f = 0; f < sizeof(fams); f++) {
		for (size_t t = 0; t < sizeof(types); t++) {
			struct nf_conntrack *ct = nfct_new();
			struct nfct_attr_grp_icmp icmp = { htons(0x1234), 5, types[t] };
			if (fams[f])
				nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, fams[f]);
			nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, 0xeeee);
			nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0xeeee);
			nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, 0xdddd);
			nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, 0xdddd);
			nfct_set_attr_grp(ct, ATTR_GRP_ICMP, &icmp);
			printf("  family %u type %3u: orig %04x %04x repl %04x %04x",
			       fams[f], types[t],
			       nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC),
			       nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST),
			       nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC),
			       nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
			show_group(ct, ATTR_GRP_ICMP);
			nfct_destroy(ct);
		}
	}
}

static void out_of_range(void)
{
	static const int bad[] = { 16, 17, 31, 32, 1000, -1 };
	struct nf_conntrack *ct = nfct_new();
	unsigned char buf[64];

	printf("== group numbers out of range\n");
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	memset(buf, 0x77, sizeof(buf));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r, e;
		printf("  group %d\n", bad[i]);
		SHOW_RET("    is_set", nfct_attr_grp_is_set(ct, G(bad[i])));
		SHOW_RET("    unset", nfct_attr_grp_unset(ct, G(bad[i])));
		errno = 0;
		r = nfct_get_attr_grp(ct, G(bad[i]), buf);
		e = errno;
		printf("    get = %d errno=%s\n", r, strerror(e));
		show_bytes("    buffer", buf, 8);
		nfct_set_attr_grp(ct, G(bad[i]), buf);
		capi_ct_dump("    after set", ct, 0);
	}
	nfct_destroy(ct);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	every_group();
	group_interplay();
	icmp_group();
	out_of_range();
	return 0;
}
