/* capi: ours-only */
/*
 * Bad input to the conntrack object functions, which the reference answers
 * with assert(), a crash or a read out of bounds: NULL objects, NULL values,
 * attribute and group numbers out of range, huge lengths, labels without a
 * bitmask, a NULL attribute array. Each must return the documented error value
 * with errno set (EINVAL for bad arguments), leave the objects valid and
 * never crash.
 */
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static int failures;

/* Evaluates `expr` with errno cleared; it must give `ret` and errno `err`. */
#define EXPECT(expr, ret, err)                                                 \
	do {                                                                   \
		errno = 0;                                                     \
		long long _r = (long long)(expr);                              \
		int _e = errno;                                                \
		if (_r != (long long)(ret) || _e != (err)) {                   \
			fprintf(stderr,                                        \
				"%s:%d: %s = %lld errno=%s; want %lld errno=%s\n", \
				__FILE__, __LINE__, #expr, _r, strerror(_e),   \
				(long long)(ret), strerror(err));              \
			failures++;                                            \
		}                                                              \
	} while (0)

/* A void call: errno must be `err` afterwards. */
#define EXPECT_VOID(call, err)                                                 \
	do {                                                                   \
		errno = 0;                                                     \
		call;                                                          \
		int _e = errno;                                                \
		if (_e != (err)) {                                             \
			fprintf(stderr, "%s:%d: %s: errno=%s; want %s\n",      \
				__FILE__, __LINE__, #call, strerror(_e),       \
				strerror(err));                                \
			failures++;                                            \
		}                                                              \
	} while (0)

#define SOFT(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

#define A(n) ((enum nf_conntrack_attr)(n))
#define G(n) ((enum nf_conntrack_attr_grp)(n))

/* The attribute numbers past the last one. */
static const int bad_attrs[] = { ATTR_MAX, ATTR_MAX + 1, 95, 96, 1000, -1, INT32_MIN };
static const int bad_groups[] = { ATTR_GRP_MAX, ATTR_GRP_MAX + 1, 1000, -1 };

static int nset(const struct nf_conntrack *ct)
{
	int n = 0;
	for (int a = 0; a < ATTR_MAX; a++)
		n += nfct_attr_is_set(ct, A(a)) == 1;
	return n;
}

static void null_objects(void)
{
	struct nf_conntrack *ct = nfct_new();
	uint32_t v = 1;
	unsigned char buf[64] = { 0 };
	const enum nf_conntrack_attr arr[] = { ATTR_MARK };

	CHECK(ct != NULL);
	EXPECT_VOID(nfct_destroy(NULL), EINVAL);
	EXPECT(nfct_clone(NULL), 0, EINVAL);
	EXPECT(nfct_sizeof(NULL), 0, EINVAL);
	EXPECT(nfct_setobjopt(NULL, NFCT_SOPT_SETUP_REPLY), -1, EINVAL);
	EXPECT(nfct_getobjopt(NULL, NFCT_GOPT_IS_SNAT), -1, EINVAL);
	EXPECT_VOID(nfct_set_attr(NULL, ATTR_MARK, &v), EINVAL);
	EXPECT_VOID(nfct_set_attr_l(NULL, ATTR_MARK, &v, sizeof(v)), EINVAL);
	EXPECT_VOID(nfct_set_attr_u8(NULL, ATTR_TCP_STATE, 1), EINVAL);
	EXPECT_VOID(nfct_set_attr_u16(NULL, ATTR_ZONE, 1), EINVAL);
	EXPECT_VOID(nfct_set_attr_u32(NULL, ATTR_MARK, 1), EINVAL);
	EXPECT_VOID(nfct_set_attr_u64(NULL, ATTR_DCCP_HANDSHAKE_SEQ, 1), EINVAL);
	EXPECT(nfct_get_attr(NULL, ATTR_MARK), 0, EINVAL);
	EXPECT(nfct_get_attr_u8(NULL, ATTR_TCP_STATE), 0, EINVAL);
	EXPECT(nfct_get_attr_u16(NULL, ATTR_ZONE), 0, EINVAL);
	EXPECT(nfct_get_attr_u32(NULL, ATTR_MARK), 0, EINVAL);
	EXPECT(nfct_get_attr_u64(NULL, ATTR_DCCP_HANDSHAKE_SEQ), 0, EINVAL);
	EXPECT(nfct_attr_is_set(NULL, ATTR_MARK), -1, EINVAL);
	EXPECT(nfct_attr_is_set_array(NULL, arr, 1), -1, EINVAL);
	EXPECT(nfct_attr_unset(NULL, ATTR_MARK), -1, EINVAL);
	EXPECT_VOID(nfct_set_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf), EINVAL);
	EXPECT(nfct_get_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf), -1, EINVAL);
	EXPECT(nfct_attr_grp_is_set(NULL, ATTR_GRP_ORIG_IPV4), -1, EINVAL);
	EXPECT(nfct_attr_grp_unset(NULL, ATTR_GRP_ORIG_IPV4), -1, EINVAL);
	EXPECT(nfct_compare(NULL, ct), 0, EINVAL);
	EXPECT(nfct_compare(ct, NULL), 0, EINVAL);
	EXPECT(nfct_compare(NULL, NULL), 0, EINVAL);
	EXPECT(nfct_cmp(NULL, ct, NFCT_CMP_ALL), 0, EINVAL);
	EXPECT(nfct_cmp(ct, NULL, NFCT_CMP_ORIG | NFCT_CMP_STRICT), 0, EINVAL);
	EXPECT_VOID(nfct_copy(NULL, ct, NFCT_CP_ALL), EINVAL);
	EXPECT_VOID(nfct_copy(ct, NULL, NFCT_CP_OVERRIDE), EINVAL);
	EXPECT_VOID(nfct_copy(NULL, NULL, NFCT_CP_ALL), EINVAL);
	EXPECT_VOID(nfct_copy_attr(NULL, NULL, ATTR_MARK), EINVAL);
	EXPECT_VOID(nfct_copy_attr(NULL, ct, ATTR_MARK), EINVAL);
	EXPECT_VOID(nfct_copy_attr(ct, NULL, ATTR_MARK), EINVAL);
	SOFT(nset(ct) == 0);
	nfct_destroy(ct);
}

static void null_values(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char buf[64];

	for (int a = 0; a < ATTR_MAX; a++) {
		EXPECT_VOID(nfct_set_attr(ct, A(a), NULL), EINVAL);
		EXPECT_VOID(nfct_set_attr_l(ct, A(a), NULL, 4), EINVAL);
		EXPECT_VOID(nfct_set_attr_l(ct, A(a), NULL, 0), EINVAL);
		if (nfct_attr_is_set(ct, A(a)) != 0) {
			fprintf(stderr, "%s:%d: attribute %d set from a NULL value\n",
				__FILE__, __LINE__, a);
			failures++;
			nfct_attr_unset(ct, A(a));
		}
	}
	/* Labels with a NULL bitmask: nothing is set, nothing is freed. */
	{
		struct nfct_bitmask *b = nfct_bitmask_new(31);
		nfct_bitmask_set_bit(b, 3);
		nfct_set_attr(ct, ATTR_CONNLABELS, b);
		EXPECT_VOID(nfct_set_attr(ct, ATTR_CONNLABELS, NULL), EINVAL);
		EXPECT_VOID(nfct_set_attr_l(ct, ATTR_CONNLABELS_MASK, NULL, 0), EINVAL);
		SOFT(nfct_get_attr(ct, ATTR_CONNLABELS) == b);
		SOFT(nfct_bitmask_test_bit(b, 3) == 1);
		SOFT(nfct_attr_is_set(ct, ATTR_CONNLABELS_MASK) == 0);
		/* Typed setters cannot hand over a bitmask. */
		EXPECT_VOID(nfct_set_attr_u32(ct, ATTR_CONNLABELS_MASK, 5), EINVAL);
		EXPECT_VOID(nfct_set_attr_u64(ct, ATTR_CONNLABELS, 5), EINVAL);
		SOFT(nfct_attr_is_set(ct, ATTR_CONNLABELS_MASK) == 0);
		SOFT(nfct_get_attr(ct, ATTR_CONNLABELS) == b);
	}
	/* Groups: NULL in, NULL out. */
	EXPECT_VOID(nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, NULL), EINVAL);
	SOFT(nfct_attr_grp_is_set(ct, ATTR_GRP_ORIG_IPV4) == 0);
	SOFT(nfct_attr_is_set(ct, ATTR_ORIG_L3PROTO) == 0);
	memset(buf, 1, sizeof(buf));
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_PORT, buf);
	EXPECT(nfct_get_attr_grp(ct, ATTR_GRP_ORIG_PORT, NULL), -1, EINVAL);
	/* An array of attributes that is NULL. */
	EXPECT(nfct_attr_is_set_array(ct, NULL, 3), -1, EINVAL);
	EXPECT(nfct_attr_is_set_array(ct, NULL, 0), 1, 0);
	nfct_destroy(ct);
}

static void out_of_range(void)
{
	struct nf_conntrack *ct = nfct_new(), *other = nfct_new();
	unsigned char buf[64];
	const size_t nbad = sizeof(bad_attrs) / sizeof(bad_attrs[0]);

	memset(buf, 0x42, sizeof(buf));
	nfct_set_attr_u32(other, ATTR_MARK, 1);
	for (size_t i = 0; i < nbad; i++) {
		enum nf_conntrack_attr a = A(bad_attrs[i]);
		enum nf_conntrack_attr arr[2] = { ATTR_MARK, a };

		EXPECT_VOID(nfct_set_attr(ct, a, buf), 0);
		EXPECT_VOID(nfct_set_attr_l(ct, a, buf, sizeof(buf)), 0);
		EXPECT_VOID(nfct_set_attr_u8(ct, a, 1), 0);
		EXPECT_VOID(nfct_set_attr_u16(ct, a, 1), 0);
		EXPECT_VOID(nfct_set_attr_u32(ct, a, 1), 0);
		EXPECT_VOID(nfct_set_attr_u64(ct, a, 1), 0);
		EXPECT(nfct_get_attr(ct, a), 0, EINVAL);
		EXPECT(nfct_get_attr_u8(ct, a), 0, EINVAL);
		EXPECT(nfct_get_attr_u16(ct, a), 0, EINVAL);
		EXPECT(nfct_get_attr_u32(ct, a), 0, EINVAL);
		EXPECT(nfct_get_attr_u64(ct, a), 0, EINVAL);
		EXPECT(nfct_attr_is_set(ct, a), -1, EINVAL);
		EXPECT(nfct_attr_unset(ct, a), -1, EINVAL);
		EXPECT(nfct_attr_is_set_array(other, arr, 2), -1, EINVAL);
		EXPECT(nfct_attr_is_set_array(ct, arr, 2), 0, 0);
		EXPECT_VOID(nfct_copy_attr(ct, other, a), EINVAL);
	}
	for (size_t i = 0; i < sizeof(bad_groups) / sizeof(bad_groups[0]); i++) {
		enum nf_conntrack_attr_grp g = G(bad_groups[i]);
		EXPECT_VOID(nfct_set_attr_grp(ct, g, buf), 0);
		EXPECT(nfct_get_attr_grp(ct, g, buf), -1, EINVAL);
		EXPECT(nfct_attr_grp_is_set(ct, g), -1, EINVAL);
		EXPECT(nfct_attr_grp_unset(ct, g), -1, EINVAL);
		EXPECT(nfct_get_attr_grp(other, g, NULL), -1, EINVAL);
	}
	SOFT(nset(ct) == 0);
	SOFT(buf[0] == 0x42 && buf[63] == 0x42);
	/* Options out of range. */
	EXPECT(nfct_setobjopt(ct, NFCT_SOPT_MAX + 1), -1, EOPNOTSUPP);
	EXPECT(nfct_setobjopt(ct, (unsigned int)-1), -1, EOPNOTSUPP);
	EXPECT(nfct_getobjopt(ct, NFCT_GOPT_MAX + 1), -1, EOPNOTSUPP);
	EXPECT(nfct_getobjopt(ct, (unsigned int)-1), -1, EOPNOTSUPP);
	SOFT(nset(ct) == 0);
	nfct_destroy(ct);
	nfct_destroy(other);
}

static void huge_lengths(void)
{
	struct nf_conntrack *ct = nfct_new();
	static unsigned char big[65536];
	uint32_t mark = 0x01020304;
	const void *p;

	/* Helper info larger than a netlink attribute can carry is refused... */
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_INFO, big, SIZE_MAX), EINVAL);
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_INFO, big, (size_t)1 << 40), EINVAL);
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_INFO, big, 65500), EINVAL);
	SOFT(nfct_attr_is_set(ct, ATTR_HELPER_INFO) == 0);
	/* ...up to what fits, with a helper name, in the CTA_HELP nest of a
	 * message: it is taken whole. As in the reference, a message built
	 * from it carries as many bytes as the object last parsed (none yet):
	 * only parsing sets that length. */
	memset(big, 0xab, sizeof(big));
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_INFO, big, 65499), 0);
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	SOFT(p != NULL && memcmp(p, big, 65499) == 0);
	{
		static char msg[70000];
		struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
		struct nf_conntrack *back = nfct_new();
		nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
		nfct_set_attr(ct, ATTR_HELPER_NAME, "fifteen-chars-x");
		nlh->nlmsg_len = 20;
		SOFT(nfct_nlmsg_build(nlh, ct) == 0);
		SOFT(nfct_nlmsg_parse(nlh, back) == 0);
		SOFT(nfct_attr_is_set(back, ATTR_HELPER_INFO) == 1);
		SOFT(nfct_get_attr(back, ATTR_HELPER_INFO) != NULL);
		nfct_destroy(back);
		nfct_attr_unset(ct, ATTR_L3PROTO);
		nfct_attr_unset(ct, ATTR_HELPER_NAME);
	}
	/* Fixed-width values read their width, whatever the length says. */
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_MARK, &mark, SIZE_MAX), 0);
	SOFT(nfct_get_attr_u32(ct, ATTR_MARK) == 0x01020304);
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_ORIG_IPV6_SRC, big, SIZE_MAX), 0);
	/* Strings stop at their NUL or at the buffer's end. */
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_NAME, "ftp", SIZE_MAX), 0);
	SOFT(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "ftp") == 0);
	EXPECT_VOID(nfct_set_attr(ct, ATTR_HELPER_NAME, big), 0);
	p = nfct_get_attr(ct, ATTR_HELPER_NAME);
	SOFT(p != NULL && strlen(p) == NFCT_HELPER_NAME_MAX - 1);
	/* Labels ignore the length: the pointer is the bitmask. */
	{
		struct nfct_bitmask *b = nfct_bitmask_new(7);
		EXPECT_VOID(nfct_set_attr_l(ct, ATTR_CONNLABELS, b, SIZE_MAX), 0);
		SOFT(nfct_get_attr(ct, ATTR_CONNLABELS) == b);
		/* The same bitmask as the mask too: the object copies it rather
		 * than own it twice (the reference frees it twice). */
		EXPECT_VOID(nfct_set_attr(ct, ATTR_CONNLABELS_MASK, b), 0);
		const struct nfct_bitmask *m = nfct_get_attr(ct, ATTR_CONNLABELS_MASK);
		SOFT(m != NULL && m != b && nfct_bitmask_equal(m, b));
		/* Setting a slot to what it holds keeps it. */
		EXPECT_VOID(nfct_set_attr(ct, ATTR_CONNLABELS, b), 0);
		SOFT(nfct_get_attr(ct, ATTR_CONNLABELS) == b);
	}
	/* A value taken from the object itself. */
	EXPECT_VOID(nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, 0x0a0b0c0d), 0);
	EXPECT_VOID(nfct_set_attr(ct, ATTR_REPL_IPV4_SRC, nfct_get_attr(ct, ATTR_ORIG_IPV4_DST)), 0);
	SOFT(nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC) == 0x0a0b0c0d);
	/* Empty helper data still has an address that can be read. */
	EXPECT_VOID(nfct_set_attr_l(ct, ATTR_HELPER_INFO, "", 0), 0);
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	SOFT(p != NULL && ((const unsigned char *)p)[0] == 0);
	nfct_destroy(ct);
}

/* Copies between an object and itself change nothing. */
static void self_copies(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct nfct_bitmask *b = nfct_bitmask_new(127);
	const unsigned char info[4] = { 1, 2, 3, 4 };

	nfct_bitmask_set_bit(b, 100);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, info, sizeof(info));
	nfct_set_attr_u32(ct, ATTR_MARK, 9);
	for (unsigned int f = 0; f < 16; f++)
		nfct_copy(ct, ct, f);
	for (int a = 0; a < ATTR_MAX; a++)
		nfct_copy_attr(ct, ct, A(a));
	SOFT(nfct_get_attr(ct, ATTR_CONNLABELS) == b);
	SOFT(nfct_bitmask_test_bit(b, 100) == 1);
	SOFT(memcmp(nfct_get_attr(ct, ATTR_HELPER_INFO), info, 4) == 0);
	SOFT(nfct_get_attr_u32(ct, ATTR_MARK) == 9);
	SOFT(nset(ct) == 3);
	SOFT(nfct_cmp(ct, ct, NFCT_CMP_ALL | NFCT_CMP_STRICT) == 1);
	nfct_destroy(ct);
}

int main(void)
{
	null_objects();
	null_values();
	out_of_range();
	huge_lengths();
	self_copies();
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	CHECK(failures == 0);
	printf("bad_conntrack: all checks passed\n");
	return 0;
}
