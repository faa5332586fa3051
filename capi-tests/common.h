/*
 * Helpers shared by the C API tests: each test prints what it observes in a
 * canonical text form, and the runner diffs that output between our library
 * and the reference libraries.
 */
#ifndef CAPI_COMMON_H
#define CAPI_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints `len` bytes as hex after a label. */
static inline void show_bytes(const char *label, const void *p, size_t len)
{
	const unsigned char *b = p;
	printf("%s:", label);
	if (!p) {
		printf(" (null)\n");
		return;
	}
	for (size_t i = 0; i < len; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

/* Prints an int result with errno when it signals failure. */
#define SHOW_RET(label, expr)                                          \
	do {                                                           \
		errno = 0;                                             \
		long long _r = (long long)(expr);                      \
		int _e = errno;                                        \
		printf("%s = %lld", label, _r);                        \
		if (_r < 0)                                            \
			printf(" errno=%s", strerror(_e));             \
		printf("\n");                                          \
	} while (0)

/* For tests that run against our library only: fails the test. */
#define CHECK(cond)                                                    \
	do {                                                           \
		if (!(cond)) {                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n",   \
				__FILE__, __LINE__, #cond);            \
			exit(1);                                       \
		}                                                      \
	} while (0)

/*
 * Conntrack object helpers (opt-in: #define CAPI_CT_HELPERS before including
 * this file, after <libnetfilter_conntrack/libnetfilter_conntrack.h>).
 *
 * CAPI_CT_ATTRS lists every attribute of the 1.1.0 reference with the kind of
 * value its getter returns; the list is checked against the header's enum at
 * compile time. ATTR_TIMESTAMP_EVENT (75, 1.1.1 only) is left out because the
 * references do not know it; test it in an ours-only program.
 */
#ifdef CAPI_CT_HELPERS

enum capi_kind {
	CAPI_U8 = 1,
	CAPI_U16 = 2,
	CAPI_U32 = 4,
	CAPI_U64 = 8,
	CAPI_ADDR6 = 16,  /* 16 bytes: IPv6 addresses */
	CAPI_STR,         /* helper name: a string */
	CAPI_SECCTX,      /* security context: a string pointer (NULL unless parsed) */
	CAPI_HELPINFO,    /* helper info: opaque bytes of the length last set */
	CAPI_LABELS,      /* a struct nfct_bitmask pointer */
};

/* X(number, name without ATTR_, kind, setter stores nothing) */
#define CAPI_CT_ATTRS(X) \
	X(0, ORIG_IPV4_SRC, CAPI_U32, 0) \
	X(1, ORIG_IPV4_DST, CAPI_U32, 0) \
	X(2, REPL_IPV4_SRC, CAPI_U32, 0) \
	X(3, REPL_IPV4_DST, CAPI_U32, 0) \
	X(4, ORIG_IPV6_SRC, CAPI_ADDR6, 0) \
	X(5, ORIG_IPV6_DST, CAPI_ADDR6, 0) \
	X(6, REPL_IPV6_SRC, CAPI_ADDR6, 0) \
	X(7, REPL_IPV6_DST, CAPI_ADDR6, 0) \
	X(8, ORIG_PORT_SRC, CAPI_U16, 0) \
	X(9, ORIG_PORT_DST, CAPI_U16, 0) \
	X(10, REPL_PORT_SRC, CAPI_U16, 0) \
	X(11, REPL_PORT_DST, CAPI_U16, 0) \
	X(12, ICMP_TYPE, CAPI_U8, 0) \
	X(13, ICMP_CODE, CAPI_U8, 0) \
	X(14, ICMP_ID, CAPI_U16, 0) \
	X(15, ORIG_L3PROTO, CAPI_U8, 0) \
	X(16, REPL_L3PROTO, CAPI_U8, 0) \
	X(17, ORIG_L4PROTO, CAPI_U8, 0) \
	X(18, REPL_L4PROTO, CAPI_U8, 0) \
	X(19, TCP_STATE, CAPI_U8, 0) \
	X(20, SNAT_IPV4, CAPI_U32, 0) \
	X(21, DNAT_IPV4, CAPI_U32, 0) \
	X(22, SNAT_PORT, CAPI_U16, 0) \
	X(23, DNAT_PORT, CAPI_U16, 0) \
	X(24, TIMEOUT, CAPI_U32, 0) \
	X(25, MARK, CAPI_U32, 0) \
	X(26, ORIG_COUNTER_PACKETS, CAPI_U64, 1) \
	X(27, REPL_COUNTER_PACKETS, CAPI_U64, 1) \
	X(28, ORIG_COUNTER_BYTES, CAPI_U64, 1) \
	X(29, REPL_COUNTER_BYTES, CAPI_U64, 1) \
	X(30, USE, CAPI_U32, 1) \
	X(31, ID, CAPI_U32, 0) \
	X(32, STATUS, CAPI_U32, 0) \
	X(33, TCP_FLAGS_ORIG, CAPI_U8, 0) \
	X(34, TCP_FLAGS_REPL, CAPI_U8, 0) \
	X(35, TCP_MASK_ORIG, CAPI_U8, 0) \
	X(36, TCP_MASK_REPL, CAPI_U8, 0) \
	X(37, MASTER_IPV4_SRC, CAPI_U32, 0) \
	X(38, MASTER_IPV4_DST, CAPI_U32, 0) \
	X(39, MASTER_IPV6_SRC, CAPI_ADDR6, 0) \
	X(40, MASTER_IPV6_DST, CAPI_ADDR6, 0) \
	X(41, MASTER_PORT_SRC, CAPI_U16, 0) \
	X(42, MASTER_PORT_DST, CAPI_U16, 0) \
	X(43, MASTER_L3PROTO, CAPI_U8, 0) \
	X(44, MASTER_L4PROTO, CAPI_U8, 0) \
	X(45, SECMARK, CAPI_U32, 0) \
	X(46, ORIG_NAT_SEQ_CORRECTION_POS, CAPI_U32, 0) \
	X(47, ORIG_NAT_SEQ_OFFSET_BEFORE, CAPI_U32, 0) \
	X(48, ORIG_NAT_SEQ_OFFSET_AFTER, CAPI_U32, 0) \
	X(49, REPL_NAT_SEQ_CORRECTION_POS, CAPI_U32, 0) \
	X(50, REPL_NAT_SEQ_OFFSET_BEFORE, CAPI_U32, 0) \
	X(51, REPL_NAT_SEQ_OFFSET_AFTER, CAPI_U32, 0) \
	X(52, SCTP_STATE, CAPI_U8, 0) \
	X(53, SCTP_VTAG_ORIG, CAPI_U32, 0) \
	X(54, SCTP_VTAG_REPL, CAPI_U32, 0) \
	X(55, HELPER_NAME, CAPI_STR, 0) \
	X(56, DCCP_STATE, CAPI_U8, 0) \
	X(57, DCCP_ROLE, CAPI_U8, 0) \
	X(58, DCCP_HANDSHAKE_SEQ, CAPI_U64, 0) \
	X(59, TCP_WSCALE_ORIG, CAPI_U8, 0) \
	X(60, TCP_WSCALE_REPL, CAPI_U8, 0) \
	X(61, ZONE, CAPI_U16, 0) \
	X(62, SECCTX, CAPI_SECCTX, 1) \
	X(63, TIMESTAMP_START, CAPI_U64, 1) \
	X(64, TIMESTAMP_STOP, CAPI_U64, 1) \
	X(65, HELPER_INFO, CAPI_HELPINFO, 0) \
	X(66, CONNLABELS, CAPI_LABELS, 0) \
	X(67, CONNLABELS_MASK, CAPI_LABELS, 0) \
	X(68, ORIG_ZONE, CAPI_U16, 0) \
	X(69, REPL_ZONE, CAPI_U16, 0) \
	X(70, SNAT_IPV6, CAPI_ADDR6, 0) \
	X(71, DNAT_IPV6, CAPI_ADDR6, 0) \
	X(72, SYNPROXY_ISN, CAPI_U32, 0) \
	X(73, SYNPROXY_ITS, CAPI_U32, 0) \
	X(74, SYNPROXY_TSOFF, CAPI_U32, 0)

/* Attributes the references know (ATTR_MAX of 1.1.0). */
#define CAPI_CT_NATTRS 75

#define CAPI_CT_CHECK_(n, name, kind, ko) \
	_Static_assert(ATTR_##name == (n), "ATTR_" #name " is not " #n);
CAPI_CT_ATTRS(CAPI_CT_CHECK_)

struct capi_ct_attr {
	int attr;
	const char *name;
	enum capi_kind kind;
	int kernel_only;
};

#define CAPI_CT_ROW_(n, name, kind, ko) { n, #name, kind, ko },
static const struct capi_ct_attr capi_ct_attrs[CAPI_CT_NATTRS] = {
	CAPI_CT_ATTRS(CAPI_CT_ROW_)
};

/* Width of a fixed-size value (0 for strings and pointers). */
static inline size_t capi_kind_width(enum capi_kind k)
{
	return k <= CAPI_ADDR6 ? (size_t)k : 0;
}

/*
 * Prints one attribute of `ct` in canonical form: whether it is set, and if
 * so the bytes that nfct_get_attr() points to (as wide as the attribute), the
 * string, or the bitmask's size and bits. `helpinfo_len` bytes of helper info
 * are shown (0: only whether the pointer is NULL).
 */
static inline void capi_ct_show_attr(const struct nf_conntrack *ct, int a,
				     size_t helpinfo_len)
{
	const struct capi_ct_attr *d = &capi_ct_attrs[a];
	int set = nfct_attr_is_set(ct, (enum nf_conntrack_attr)a);
	const void *p;
	int e;

	printf("  %2d %s: is_set=%d", a, d->name, set);
	if (set != 1) {
		printf("\n");
		return;
	}
	errno = 0;
	p = nfct_get_attr(ct, (enum nf_conntrack_attr)a);
	e = errno;
	if (p == NULL) {
		printf(" get=NULL errno=%s\n", e ? strerror(e) : "0");
		return;
	}
	switch (d->kind) {
	case CAPI_STR:
		printf(" get=\"%s\"\n", (const char *)p);
		break;
	case CAPI_SECCTX:
		printf(" get=\"%s\"\n", (const char *)p);
		break;
	case CAPI_HELPINFO:
		if (helpinfo_len == 0) {
			printf(" get=non-NULL\n");
		} else {
			show_bytes(" get", p, helpinfo_len);
		}
		break;
	case CAPI_LABELS: {
		const struct nfct_bitmask *b = p;
		unsigned int max = nfct_bitmask_maxbit(b);
		printf(" get=bitmask maxbit=%u bits=", max);
		for (unsigned int i = 0; i <= max; i++)
			if (nfct_bitmask_test_bit(b, i))
				printf("%u,", i);
		printf("\n");
		break;
	}
	default: {
		size_t w = capi_kind_width(d->kind);
		const unsigned char *b = p;
		printf(" get=");
		for (size_t i = 0; i < w; i++)
			printf("%02x", b[i]);
		printf("\n");
	}
	}
}

/* Prints the set attributes of `ct` (numbers), then each one's value. */
static inline void capi_ct_dump(const char *label, const struct nf_conntrack *ct,
				size_t helpinfo_len)
{
	printf("%s: set={", label);
	for (int a = 0; a < CAPI_CT_NATTRS; a++)
		if (nfct_attr_is_set(ct, (enum nf_conntrack_attr)a) == 1)
			printf(" %d", a);
	printf(" }\n");
	for (int a = 0; a < CAPI_CT_NATTRS; a++)
		if (nfct_attr_is_set(ct, (enum nf_conntrack_attr)a) == 1)
			capi_ct_show_attr(ct, a, helpinfo_len);
}

/*
 * Fills `buf` with a pattern that tells attributes and rounds apart:
 * byte i = seed * 16 + a + i (mod 256), never 0.
 */
static inline void capi_pattern(unsigned char *buf, size_t len, int a, int seed)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char v = (unsigned char)(seed * 16 + a + i);
		buf[i] = v ? v : 0x5a;
	}
}

#endif /* CAPI_CT_HELPERS */

#endif
