/*
 * nfct_copy with every NFCT_CP_* flag and combination, nfct_copy_attr for
 * every attribute, and nfct_clone, over richly filled objects, into empty and
 * into filled destinations. After each copy every set attribute is printed.
 *
 * Left out on purpose: the bytes of copied helper info (the reference copies
 * helper_info_len bytes, which nfct_set_attr_l never sets, so its copy is an
 * empty allocation: only "non-NULL" is printed), nfct_copy of an object onto
 * itself (the reference's NFCT_CP_OVERRIDE then drops the object's labels,
 * helper info and security context), and nfct_copy_attr with an attribute
 * number out of range (the reference indexes its table without a check).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

static struct nfct_bitmask *labels(unsigned int max, unsigned int a, unsigned int b)
{
	struct nfct_bitmask *m = nfct_bitmask_new(max);
	nfct_bitmask_set_bit(m, a);
	nfct_bitmask_set_bit(m, b);
	return m;
}

/* An IPv4 TCP entry as the kernel would report it, NATed, with a master. */
static struct nf_conntrack *tcp4(void)
{
	struct nf_conntrack *ct = nfct_new();
	const unsigned char info[6] = { 1, 2, 3, 4, 5, 6 };

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0xc0a80001));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, htonl(0x08080808));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, htonl(0x08080808));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, htonl(0x0a000001));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(40000));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(50000));
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 3);
	nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 4);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 0x0a);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 0x0b);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, 0x0c);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x0d);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 7);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 8);
	nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, htonl(0x0a000001));
	nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(50000));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 431999);
	nfct_set_attr_u32(ct, ATTR_MARK, 0xdeadbeef);
	nfct_set_attr_u32(ct, ATTR_SECMARK, 0x55);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x1be);
	nfct_set_attr_u32(ct, ATTR_ID, 0x12345678);
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 10);
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES, 1000);
	nfct_set_attr_u32(ct, ATTR_USE, 1);
	nfct_set_attr_u16(ct, ATTR_ZONE, 9);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, info, sizeof(info));
	nfct_set_attr(ct, ATTR_CONNLABELS, labels(127, 1, 100));
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, labels(127, 1, 2));
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_SRC, htonl(0xc0a80001));
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_DST, htonl(0x08080808));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_SRC, htons(40001));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_DST, htons(21));
	nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_MASTER_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 100);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, 101);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, 102);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ISN, 1);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ITS, 2);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_TSOFF, 3);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_START, 1);
	nfct_set_attr(ct, ATTR_SECCTX, "ctx");
	return ct;
}

/* An IPv6 ICMPv6 echo request. */
static struct nf_conntrack *icmp6(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char a[16], b[16];

	capi_pattern(a, 16, 1, 1);
	capi_pattern(b, 16, 2, 2);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMPV6);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_ICMPV6);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, a);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, b);
	nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, b);
	nfct_set_attr(ct, ATTR_REPL_IPV6_DST, a);
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 128);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(77));
	nfct_set_attr(ct, ATTR_SNAT_IPV6, b);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 30);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x8);
	nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 2);
	nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_ORIG, 0x11111111);
	nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_REPL, 0x22222222);
	return ct;
}

/* Every attribute set, in order, with a pattern. */
static struct nf_conntrack *everything(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char buf[32];

	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		capi_pattern(buf, sizeof(buf), a, 7);
		switch (capi_ct_attrs[a].kind) {
		case CAPI_STR:
			nfct_set_attr(ct, (enum nf_conntrack_attr)a, "everything-helper");
			break;
		case CAPI_HELPINFO:
			nfct_set_attr_l(ct, (enum nf_conntrack_attr)a, buf, 20);
			break;
		case CAPI_LABELS:
			nfct_set_attr(ct, (enum nf_conntrack_attr)a, labels(255, (unsigned)a, 200));
			break;
		default:
			nfct_set_attr(ct, (enum nf_conntrack_attr)a, buf);
		}
	}
	return ct;
}

/* A destination with values of its own, some of them heap-owned. */
static struct nf_conntrack *prefilled(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char a[16];
	const unsigned char info[3] = { 9, 9, 9 };

	capi_pattern(a, 16, 3, 9);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, a);
	nfct_set_attr(ct, ATTR_REPL_IPV6_DST, a);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(53));
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 2);
	nfct_set_attr_u32(ct, ATTR_STATUS, 3);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "sip");
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, info, sizeof(info));
	nfct_set_attr(ct, ATTR_CONNLABELS, labels(63, 3, 60));
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_TSOFF, 44);
	nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 4);
	nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 1);
	nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 0x0102030405060708ULL);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_BYTES, 5);
	return ct;
}

static const struct {
	const char *name;
	struct nf_conntrack *(*make)(void);
} sources[] = {
	{ "tcp4", tcp4 },
	{ "icmp6", icmp6 },
	{ "everything", everything },
	{ "empty", nfct_new },
};
#define NSOURCES (sizeof(sources) / sizeof(sources[0]))

static const struct {
	const char *name;
	struct nf_conntrack *(*make)(void);
} dests[] = {
	{ "empty", nfct_new },
	{ "prefilled", prefilled },
};
#define NDESTS (sizeof(dests) / sizeof(dests[0]))

static void copy_flags(void)
{
	static const unsigned int extra[] = {
		0x10, 0x20, 0x10 | NFCT_CP_ORIG, 0x80000000u, 0xffffffffu,
	};

	for (size_t s = 0; s < NSOURCES; s++) {
		struct nf_conntrack *src = sources[s].make();
		capi_ct_dump(sources[s].name, src, 0);
		for (size_t d = 0; d < NDESTS; d++) {
			size_t nflags = 16 + sizeof(extra) / sizeof(extra[0]);
			for (size_t i = 0; i < nflags; i++) {
				unsigned int flags = i < 16 ? (unsigned int)i : extra[i - 16];
				struct nf_conntrack *dst = dests[d].make();
				char label[128];
				nfct_copy(dst, src, flags);
				snprintf(label, sizeof(label), "copy %s -> %s flags 0x%x",
					 sources[s].name, dests[d].name, flags);
				capi_ct_dump(label, dst, 0);
				nfct_destroy(dst);
			}
		}
		nfct_destroy(src);
	}
}

static void copy_attr(void)
{
	for (size_t s = 0; s < NSOURCES; s++) {
		struct nf_conntrack *src = sources[s].make();
		for (size_t d = 0; d < NDESTS; d++) {
			printf("== copy_attr %s -> %s\n", sources[s].name, dests[d].name);
			for (int a = 0; a < CAPI_CT_NATTRS; a++) {
				struct nf_conntrack *dst = dests[d].make();
				nfct_copy_attr(dst, src, (enum nf_conntrack_attr)a);
				printf(" attr %d:", a);
				capi_ct_show_attr(dst, a, 0);
				capi_ct_dump("  dst", dst, 0);
				nfct_destroy(dst);
			}
		}
		nfct_destroy(src);
	}
	/* Copying twice replaces what the first copy made. */
	{
		struct nf_conntrack *a = tcp4(), *b = everything(), *dst = prefilled();
		nfct_copy_attr(dst, a, ATTR_CONNLABELS);
		nfct_copy_attr(dst, b, ATTR_CONNLABELS);
		nfct_copy_attr(dst, a, ATTR_HELPER_NAME);
		nfct_copy_attr(dst, b, ATTR_HELPER_NAME);
		nfct_copy_attr(dst, a, ATTR_HELPER_INFO);
		nfct_copy_attr(dst, b, ATTR_HELPER_INFO);
		nfct_destroy(a);
		nfct_destroy(b);
		capi_ct_dump("copy_attr twice", dst, 0);
		nfct_destroy(dst);
	}
}

static void clone(void)
{
	for (size_t s = 0; s < NSOURCES; s++) {
		struct nf_conntrack *src = sources[s].make();
		struct nf_conntrack *c = nfct_clone(src);
		char label[64];
		/* The clone owns copies: it outlives the original. */
		nfct_destroy(src);
		snprintf(label, sizeof(label), "clone of %s", sources[s].name);
		capi_ct_dump(label, c, 0);
		/* And changing the clone's copy leaves a second clone alone. */
		{
			struct nf_conntrack *c2 = nfct_clone(c);
			const struct nfct_bitmask *b = nfct_get_attr(c, ATTR_CONNLABELS);
			if (b)
				nfct_bitmask_set_bit((struct nfct_bitmask *)b, 7);
			nfct_set_attr(c, ATTR_HELPER_NAME, "changed");
			nfct_set_attr_u32(c, ATTR_MARK, 0);
			snprintf(label, sizeof(label), "clone of clone of %s", sources[s].name);
			capi_ct_dump(label, c2, 0);
			nfct_destroy(c2);
		}
		nfct_destroy(c);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	copy_flags();
	copy_attr();
	clone();
	return 0;
}
