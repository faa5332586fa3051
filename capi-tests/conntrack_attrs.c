/*
 * Conntrack attributes one by one: nfct_set_attr, nfct_set_attr_l, the typed
 * setters and getters of each attribute's natural width, nfct_get_attr,
 * nfct_attr_is_set, nfct_attr_unset and nfct_attr_is_set_array, including
 * the values that share storage in the reference (IPv4 inside IPv6, ICMP
 * fields inside the ports, the TCP/SCTP/DCCP protocol information), the ICMP
 * reply type, helper name truncation, attributes whose setter stores nothing,
 * labels, helper info and out-of-range attribute numbers.
 *
 * Left out on purpose (the reference reads memory the caller did not give it):
 * typed setters narrower than the attribute (nfct_set_attr_u8 on ATTR_MARK
 * reads 4 bytes from a 1-byte argument), nfct_set_attr_l with a length
 * shorter than the attribute (the reference ignores the length and reads the
 * full width), typed getters on labels (the reference reads the bitmask
 * struct's word count), typed getters wider than the value and typed getters
 * on the helper name (the bytes after its NUL differ: ours are zero).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

#define A(n) ((enum nf_conntrack_attr)(n))

/* The typed getters no wider than the attribute (wider ones would read past
 * the value in the reference). */
static void show_typed(const struct nf_conntrack *ct, int a)
{
	size_t w = capi_kind_width(capi_ct_attrs[a].kind);
	unsigned long long v[4];
	int e[4];

	if (w == 0)
		return;
	errno = 0;
	v[0] = nfct_get_attr_u8(ct, A(a));
	e[0] = errno;
	errno = 0;
	v[1] = nfct_get_attr_u16(ct, A(a));
	e[1] = errno;
	errno = 0;
	v[2] = nfct_get_attr_u32(ct, A(a));
	e[2] = errno;
	errno = 0;
	v[3] = nfct_get_attr_u64(ct, A(a));
	e[3] = errno;
	printf("  typed:");
	for (int i = 0; i < 4 && (size_t)1 << i <= w; i++)
		printf(" u%d=0x%llx errno=%s", 8 << i, v[i], e[i] ? strerror(e[i]) : "0");
	printf("\n");
}

static void typed_set(struct nf_conntrack *ct, int a, const unsigned char *p)
{
	switch (capi_ct_attrs[a].kind) {
	case CAPI_U8:
		nfct_set_attr_u8(ct, A(a), p[0]);
		break;
	case CAPI_U16: {
		uint16_t v;
		memcpy(&v, p, 2);
		nfct_set_attr_u16(ct, A(a), v);
		break;
	}
	case CAPI_U32: {
		uint32_t v;
		memcpy(&v, p, 4);
		nfct_set_attr_u32(ct, A(a), v);
		break;
	}
	case CAPI_U64: {
		uint64_t v;
		memcpy(&v, p, 8);
		nfct_set_attr_u64(ct, A(a), v);
		break;
	}
	default:
		break;
	}
}

/* Every fixed-width attribute through every setter and getter. */
static void each_fixed_attribute(void)
{
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		enum capi_kind k = capi_ct_attrs[a].kind;
		size_t w = capi_kind_width(k);
		unsigned char buf[64];
		struct nf_conntrack *ct;

		if (w == 0)
			continue;
		printf("== %d %s (width %zu%s)\n", a, capi_ct_attrs[a].name, w,
		       capi_ct_attrs[a].kernel_only ? ", setter stores nothing" : "");
		ct = nfct_new();
		capi_ct_dump("new", ct, 0);
		capi_ct_show_attr(ct, a, 0);
		{
			const void *p;
			errno = 0;
			p = nfct_get_attr(ct, A(a));
			printf("  get on unset: %s errno=%s\n", p ? "non-NULL" : "NULL",
			       strerror(errno));
		}
		show_typed(ct, a);

		capi_pattern(buf, sizeof(buf), a, 1);
		nfct_set_attr(ct, A(a), buf);
		capi_ct_dump("set_attr", ct, 0);
		show_typed(ct, a);

		SHOW_RET("  unset", nfct_attr_unset(ct, A(a)));
		capi_ct_dump("after unset", ct, 0);
		show_typed(ct, a);

		capi_pattern(buf, sizeof(buf), a, 2);
		nfct_set_attr_l(ct, A(a), buf, w);
		capi_ct_dump("set_attr_l(width)", ct, 0);
		show_typed(ct, a);

		capi_pattern(buf, sizeof(buf), a, 3);
		nfct_set_attr_l(ct, A(a), buf, sizeof(buf));
		capi_ct_dump("set_attr_l(64)", ct, 0);

		if (k != CAPI_ADDR6) {
			capi_pattern(buf, sizeof(buf), a, 4);
			typed_set(ct, a, buf);
			capi_ct_dump("typed setter", ct, 0);
			show_typed(ct, a);
		}
		/* Typed setters wider than the attribute: the value's first
		 * bytes are stored. */
		if (w < 2) {
			nfct_set_attr_u16(ct, A(a), 0x5a5b);
			capi_ct_dump("u16 setter", ct, 0);
		}
		if (w < 4) {
			nfct_set_attr_u32(ct, A(a), 0x61626364);
			capi_ct_dump("u32 setter", ct, 0);
		}
		if (w < 8) {
			nfct_set_attr_u64(ct, A(a), 0x7172737475767778ULL);
			capi_ct_dump("u64 setter", ct, 0);
		}
		SHOW_RET("  unset again", nfct_attr_unset(ct, A(a)));
		SHOW_RET("  unset twice", nfct_attr_unset(ct, A(a)));
		SHOW_RET("  is_set", nfct_attr_is_set(ct, A(a)));
		nfct_destroy(ct);
	}
}

/* Values that share storage in the reference. */
static void overlaps(void)
{
	static const struct {
		int v6, v4;
	} addr[] = {
		{ ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV4_SRC },
		{ ATTR_ORIG_IPV6_DST, ATTR_ORIG_IPV4_DST },
		{ ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV4_SRC },
		{ ATTR_REPL_IPV6_DST, ATTR_REPL_IPV4_DST },
		{ ATTR_MASTER_IPV6_SRC, ATTR_MASTER_IPV4_SRC },
		{ ATTR_MASTER_IPV6_DST, ATTR_MASTER_IPV4_DST },
		{ ATTR_SNAT_IPV6, ATTR_SNAT_IPV4 },
		{ ATTR_DNAT_IPV6, ATTR_DNAT_IPV4 },
	};
	unsigned char buf[16];

	printf("== IPv4 inside IPv6\n");
	for (size_t i = 0; i < sizeof(addr) / sizeof(addr[0]); i++) {
		struct nf_conntrack *ct = nfct_new();
		capi_pattern(buf, 16, addr[i].v6, 5);
		nfct_set_attr(ct, A(addr[i].v6), buf);
		nfct_set_attr_u32(ct, A(addr[i].v4), 0x04030201);
		capi_ct_dump("v6 then v4", ct, 0);
		capi_pattern(buf, 16, addr[i].v6, 6);
		nfct_set_attr(ct, A(addr[i].v6), buf);
		capi_ct_dump("v6 again", ct, 0);
		nfct_attr_unset(ct, A(addr[i].v6));
		capi_ct_dump("v6 unset", ct, 0);
		nfct_destroy(ct);
	}

	printf("== ICMP fields inside the ports\n");
	for (int l3 = 0; l3 < 3; l3++) {
		static const uint8_t fam[] = { 0, AF_INET, AF_INET6 };
		struct nf_conntrack *ct = nfct_new();
		if (fam[l3])
			nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, fam[l3]);
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, 0x1111);
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, 0x2222);
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, 0x3333);
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0x4444);
		capi_ct_dump("ports", ct, 0);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, 0xabcd);
		capi_ct_dump("icmp id", ct, 0);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0x07);
		capi_ct_dump("icmp code", ct, 0);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
		capi_ct_dump("icmp type 8", ct, 0);
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, 0x5566);
		capi_ct_dump("port dst over type/code", ct, 0);
		nfct_destroy(ct);
	}

	printf("== TCP, SCTP and DCCP protocol information\n");
	{
		struct nf_conntrack *ct = nfct_new();
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, 0x11);
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 0x22);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 0x33);
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, 0x44);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x55);
		nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 0x66);
		nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 0x77);
		capi_ct_dump("tcp", ct, 0);
		nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 0x88);
		nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_ORIG, 0xa1a2a3a4);
		nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_REPL, 0xb1b2b3b4);
		capi_ct_dump("tcp+sctp", ct, 0);
		nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 0x99);
		nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 0xaa);
		nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 0xc1c2c3c4c5c6c7c8ULL);
		capi_ct_dump("tcp+sctp+dccp", ct, 0);
		nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 0x0e);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x0d);
		capi_ct_dump("tcp again", ct, 0);
		nfct_destroy(ct);
	}
}

/* Setting the ICMP type fills the reply direction's type. */
static void icmp_reply_types(void)
{
	static const uint8_t fams[] = { 0, AF_INET, AF_INET6, 7 };
	static const uint8_t types[] = { 0, 3, 5, 8, 11, 13, 14, 15, 16, 17,
					 18, 19, 30, 127, 128, 129, 130, 133,
					 138, 139, 140, 141, 200, 255 };

	printf("== ICMP reply types\n");
	for (size_t f = 0; f < sizeof(fams); f++) {
		for (size_t t = 0; t < sizeof(types); t++) {
			struct nf_conntrack *ct = nfct_new();
			if (fams[f])
				nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, fams[f]);
			nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0xeeee);
			nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, 0xdddd);
			nfct_set_attr(ct, ATTR_ICMP_TYPE, &types[t]);
			printf("  family %u type %3u: type=%u orig_dst=%04x repl_dst=%04x\n",
			       fams[f], types[t], nfct_get_attr_u8(ct, ATTR_ICMP_TYPE),
			       nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST),
			       nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
			nfct_destroy(ct);
		}
	}
	/* The family is read when the type is set, not later. */
	{
		struct nf_conntrack *ct = nfct_new();
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
		printf("  type before family: repl_dst=%04x\n",
		       nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
		printf("  type after family: repl_dst=%04x\n",
		       nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
		nfct_attr_unset(ct, ATTR_ORIG_L3PROTO);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 13);
		printf("  family unset (value kept): repl_dst=%04x\n",
		       nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
		nfct_destroy(ct);
	}
}

static void helper_name(void)
{
	static const char *names[] = {
		"", "ftp", "sip", "fifteen-chars-x", "sixteen-chars-xy",
		"a-very-long-helper-name-that-does-not-fit",
	};
	struct nf_conntrack *ct = nfct_new();

	printf("== helper name\n");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nfct_set_attr(ct, ATTR_HELPER_NAME, names[i]);
		printf("  set \"%s\":", names[i]);
		capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	}
	nfct_set_attr(ct, ATTR_HELPER_NAME, "abcdefghijklmnopqrstuvwxyz");
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ab");
	printf("  long then short:");
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	/* The length is ignored for strings: the string ends at its NUL. */
	nfct_set_attr_l(ct, ATTR_HELPER_NAME, "ftpxyz", 3);
	printf("  set_attr_l(\"ftpxyz\", 3):");
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	nfct_set_attr_l(ct, ATTR_HELPER_NAME, "tftp", 100);
	printf("  set_attr_l(\"tftp\", 100):");
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	/* Typed setters hand over their bytes; the string ends at a NUL. */
	nfct_set_attr_u32(ct, ATTR_HELPER_NAME, 0x00707466);
	printf("  set_attr_u32(\"ftp\\0\"):");
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	nfct_set_attr_u64(ct, ATTR_HELPER_NAME, 0x0000006e6f6d61ULL);
	printf("  set_attr_u64(\"amon\\0\"):");
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	SHOW_RET("  unset", nfct_attr_unset(ct, ATTR_HELPER_NAME));
	capi_ct_show_attr(ct, ATTR_HELPER_NAME, 0);
	{
		const void *p;
		errno = 0;
		p = nfct_get_attr(ct, ATTR_HELPER_NAME);
		printf("  get after unset: %s errno=%s\n", p ? "non-NULL" : "NULL",
		       strerror(errno));
	}
	capi_ct_dump("helper name", ct, 0);
	nfct_destroy(ct);
}

static void kernel_only(void)
{
	struct nf_conntrack *ct = nfct_new();

	printf("== setters that store nothing\n");
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 1);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_PACKETS, 2);
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES, 3);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_BYTES, 4);
	nfct_set_attr_u32(ct, ATTR_USE, 5);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_START, 6);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_STOP, 7);
	nfct_set_attr(ct, ATTR_SECCTX, "system_u:object_r:unlabeled_t:s0");
	capi_ct_dump("kernel-only", ct, 0);
	{
		unsigned long long v;
		errno = 0;
		v = nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES);
		printf("  u64 counter=%llu errno=%s\n", v, strerror(errno));
	}
	printf("  u32 use=%u\n", nfct_get_attr_u32(ct, ATTR_USE));
	{
		unsigned long long v[4];
		int e[4];
		errno = 0;
		v[0] = nfct_get_attr_u8(ct, ATTR_SECCTX);
		e[0] = errno;
		errno = 0;
		v[1] = nfct_get_attr_u16(ct, ATTR_SECCTX);
		e[1] = errno;
		errno = 0;
		v[2] = nfct_get_attr_u32(ct, ATTR_SECCTX);
		e[2] = errno;
		errno = 0;
		v[3] = nfct_get_attr_u64(ct, ATTR_SECCTX);
		e[3] = errno;
		printf("  secctx typed: %llu %llu %llu %llu errno %d %d %d %d\n", v[0],
		       v[1], v[2], v[3], e[0], e[1], e[2], e[3]);
	}
	SHOW_RET("  unset secctx", nfct_attr_unset(ct, ATTR_SECCTX));
	capi_ct_dump("after unset", ct, 0);
	nfct_destroy(ct);
}

static void show_labels(const char *what, const struct nf_conntrack *ct,
			const struct nfct_bitmask *expect)
{
	for (int a = ATTR_CONNLABELS; a <= ATTR_CONNLABELS_MASK; a++) {
		const void *p;
		printf("  %s:", what);
		capi_ct_show_attr(ct, a, 0);
		errno = 0;
		p = nfct_get_attr(ct, A(a));
		if (p)
			printf("    pointer is the bitmask set: %s\n",
			       p == expect ? "yes" : "no");
	}
}

static void labels(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct nfct_bitmask *b1 = nfct_bitmask_new(127);
	struct nfct_bitmask *b2 = nfct_bitmask_new(0);
	struct nfct_bitmask *b3 = nfct_bitmask_new(1023);
	struct nfct_bitmask *m1 = nfct_bitmask_new(63);

	printf("== labels\n");
	nfct_bitmask_set_bit(b1, 0);
	nfct_bitmask_set_bit(b1, 5);
	nfct_bitmask_set_bit(b1, 127);
	nfct_bitmask_set_bit(b2, 31);
	nfct_bitmask_set_bit(b3, 1000);
	nfct_bitmask_set_bit(m1, 1);
	show_labels("new", ct, NULL);
	nfct_set_attr(ct, ATTR_CONNLABELS, b1);
	show_labels("b1", ct, b1);
	/* Setting the bitmask the object already owns keeps it. */
	nfct_set_attr(ct, ATTR_CONNLABELS, b1);
	show_labels("b1 again", ct, b1);
	/* A new one replaces (and frees) the old one. */
	nfct_set_attr_l(ct, ATTR_CONNLABELS, b2, sizeof(b2));
	show_labels("b2", ct, b2);
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, m1);
	show_labels("mask m1", ct, m1);
	SHOW_RET("  unset labels", nfct_attr_unset(ct, ATTR_CONNLABELS));
	show_labels("unset", ct, NULL);
	nfct_set_attr(ct, ATTR_CONNLABELS, b3);
	show_labels("b3", ct, b3);
	capi_ct_dump("labels", ct, 0);
	nfct_destroy(ct);
}

static void helper_info(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char buf[4096];

	printf("== helper info\n");
	capi_pattern(buf, sizeof(buf), 65, 1);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, buf, 10);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 10);
	{
		unsigned int v32, v16, v8;
		errno = 0;
		v32 = nfct_get_attr_u32(ct, ATTR_HELPER_INFO);
		v16 = nfct_get_attr_u16(ct, ATTR_HELPER_INFO);
		v8 = nfct_get_attr_u8(ct, ATTR_HELPER_INFO);
		printf("  typed u32=0x%x u16=0x%x u8=0x%x errno=%s\n", v32, v16,
		       v8, strerror(errno));
	}
	capi_pattern(buf, sizeof(buf), 65, 2);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, buf, 3);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 3);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, buf, 0);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 0);
	nfct_set_attr(ct, ATTR_HELPER_INFO, buf);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 0);
	nfct_set_attr_u8(ct, ATTR_HELPER_INFO, 0x0e);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 1);
	nfct_set_attr_u16(ct, ATTR_HELPER_INFO, 0x0f10);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 2);
	nfct_set_attr_u32(ct, ATTR_HELPER_INFO, 0x0a0b0c0d);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 4);
	nfct_set_attr_u64(ct, ATTR_HELPER_INFO, 0x0102030405060708ULL);
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 8);
	capi_pattern(buf, sizeof(buf), 65, 3);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, buf, sizeof(buf));
	{
		const unsigned char *p = nfct_get_attr(ct, ATTR_HELPER_INFO);
		unsigned long sum = 0;
		for (size_t i = 0; i < sizeof(buf); i++)
			sum = sum * 31 + p[i];
		printf("  4096 bytes: equal=%d hash=%lx\n",
		       memcmp(p, buf, sizeof(buf)) == 0, sum);
	}
	SHOW_RET("  unset", nfct_attr_unset(ct, ATTR_HELPER_INFO));
	capi_ct_show_attr(ct, ATTR_HELPER_INFO, 0);
	capi_pattern(buf, sizeof(buf), 65, 4);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, buf, 5);
	capi_ct_dump("helper info", ct, 5);
	nfct_destroy(ct);
}

static void is_set_array(void)
{
	struct nf_conntrack *ct = nfct_new();
	const enum nf_conntrack_attr all[] = {
		ATTR_ORIG_L3PROTO, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST,
		ATTR_ORIG_L4PROTO, ATTR_MARK,
	};
	const enum nf_conntrack_attr one_unset[] = {
		ATTR_ORIG_L3PROTO, ATTR_TIMEOUT, ATTR_MARK,
	};
	const enum nf_conntrack_attr unset_then_bad[] = {
		ATTR_TIMEOUT, A(1000),
	};
	const enum nf_conntrack_attr bad_first[] = {
		A(1000), ATTR_MARK,
	};
	const enum nf_conntrack_attr set_then_bad[] = {
		ATTR_MARK, A(76),
	};
	const enum nf_conntrack_attr minus_one[] = {
		ATTR_MARK, A(-1),
	};

	printf("== nfct_attr_is_set_array\n");
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, 1);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, 2);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_MARK, 3);
	SHOW_RET("  all set", nfct_attr_is_set_array(ct, all, 5));
	SHOW_RET("  first 2", nfct_attr_is_set_array(ct, all, 2));
	SHOW_RET("  one unset", nfct_attr_is_set_array(ct, one_unset, 3));
	SHOW_RET("  size 1 of one_unset", nfct_attr_is_set_array(ct, one_unset, 1));
	SHOW_RET("  size 0", nfct_attr_is_set_array(ct, all, 0));
	SHOW_RET("  size -1", nfct_attr_is_set_array(ct, all, -1));
	SHOW_RET("  unset then 1000", nfct_attr_is_set_array(ct, unset_then_bad, 2));
	SHOW_RET("  1000 first", nfct_attr_is_set_array(ct, bad_first, 2));
	SHOW_RET("  set then 76", nfct_attr_is_set_array(ct, set_then_bad, 2));
	SHOW_RET("  set then -1", nfct_attr_is_set_array(ct, minus_one, 2));
	nfct_attr_unset(ct, ATTR_MARK);
	SHOW_RET("  after unset mark", nfct_attr_is_set_array(ct, all, 5));
	nfct_destroy(ct);
}

/* Attribute numbers past the last one (76 = ATTR_MAX of 1.1.1; 75 is
 * ATTR_TIMESTAMP_EVENT, unknown to the references, so not used here). */
static void out_of_range(void)
{
	static const int bad[] = { 76, 77, 95, 96, 1000, 0x7fffffff, -1 };
	struct nf_conntrack *ct = nfct_new();

	printf("== attribute numbers out of range\n");
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const void *p;
		uint32_t v32 = 0x12345678;
		printf("  attr %d\n", bad[i]);
		SHOW_RET("    is_set", nfct_attr_is_set(ct, A(bad[i])));
		SHOW_RET("    unset", nfct_attr_unset(ct, A(bad[i])));
		errno = 0;
		p = nfct_get_attr(ct, A(bad[i]));
		printf("    get=%s errno=%s\n", p ? "non-NULL" : "NULL", strerror(errno));
		{
			unsigned long long v[4];
			int e[4];
			errno = 0;
			v[0] = nfct_get_attr_u8(ct, A(bad[i]));
			e[0] = errno;
			errno = 0;
			v[1] = nfct_get_attr_u16(ct, A(bad[i]));
			e[1] = errno;
			errno = 0;
			v[2] = nfct_get_attr_u32(ct, A(bad[i]));
			e[2] = errno;
			errno = 0;
			v[3] = nfct_get_attr_u64(ct, A(bad[i]));
			e[3] = errno;
			printf("    u8=%llu errno=%s", v[0], strerror(e[0]));
			printf(" u16=%llu errno=%s", v[1], strerror(e[1]));
			printf(" u32=%llu errno=%s", v[2], strerror(e[2]));
			printf(" u64=%llu errno=%s\n", v[3], strerror(e[3]));
		}
		/* Setters return nothing; the object must not change. */
		nfct_set_attr(ct, A(bad[i]), &v32);
		nfct_set_attr_l(ct, A(bad[i]), &v32, sizeof(v32));
		nfct_set_attr_u8(ct, A(bad[i]), 1);
		nfct_set_attr_u16(ct, A(bad[i]), 1);
		nfct_set_attr_u32(ct, A(bad[i]), 1);
		nfct_set_attr_u64(ct, A(bad[i]), 1);
		capi_ct_dump("    after setters", ct, 0);
	}
	nfct_destroy(ct);
}

/* Alias names have the values of the names they stand for. */
static void aliases(void)
{
	printf("== aliases\n");
	printf("  %d %d %d %d %d %d %d %d\n", ATTR_IPV4_SRC, ATTR_IPV4_DST,
	       ATTR_IPV6_SRC, ATTR_IPV6_DST, ATTR_PORT_SRC, ATTR_PORT_DST,
	       ATTR_L3PROTO, ATTR_L4PROTO);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	each_fixed_attribute();
	overlaps();
	icmp_reply_types();
	helper_name();
	kernel_only();
	labels();
	helper_info();
	is_set_array();
	out_of_range();
	aliases();
	return 0;
}
