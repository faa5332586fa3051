/* capi: ours-only */
/*
 * Expectation objects given bad input, and the cases where the reference
 * reads memory it does not own (so they cannot be compared with it):
 *
 * - NULL objects and NULL values (the reference asserts): each call returns
 *   the reference's error value with errno = EINVAL and changes nothing;
 * - out-of-range attributes: setters ignore them without a word, as the
 *   reference does (errno untouched); getters and the rest fail with EINVAL;
 *   nothing changes;
 * - typed setters on tuples (the reference copies a whole tuple from the
 *   stack): the tuple is marked set, holding the integer's bytes at its
 *   start and no tuple attribute;
 * - typed setters narrower than the attribute (the reference reads the
 *   bytes past the argument): the value is zero-extended;
 * - typed setters on strings without a NUL within the integer: the string
 *   is the integer's bytes only;
 * - a tuple set from a conntrack that has non-tuple attributes: its bitmap
 *   is copied as it is (nfct_attr_is_set reports those bits, as the
 *   reference does), but the tuple holds the original tuple only, so the
 *   nfct_* getters, groups and nfct_cmp find nothing else (the reference
 *   reads past the tuple);
 * - the nfct_* functions that change an object refuse a tuple (read-only);
 * - an object wiped with memset(0) or filled with 0xff is still safe to use.
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <limits.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

#define EXPECT_ERRNO(e) CHECK(errno == (e))

static struct nf_conntrack *ct_tcp4(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("192.168.1.10"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("10.0.0.21"));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1025));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(21));
	return ct;
}

static struct nf_expect *sample(void)
{
	struct nf_expect *exp = nfexp_new();
	struct nf_conntrack *ct = ct_tcp4();

	CHECK(exp != NULL);
	nfexp_set_attr(exp, ATTR_EXP_MASTER, ct);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, ct);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 30);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 2);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfct_destroy(ct);
	return exp;
}

/* A byte snapshot of an expectation, to prove a failed call changed nothing. */
static unsigned char before[4096];

static void snapshot(const struct nf_expect *exp)
{
	CHECK(nfexp_maxsize() <= sizeof(before));
	memcpy(before, exp, nfexp_maxsize());
}

static void unchanged(const struct nf_expect *exp)
{
	CHECK(memcmp(before, exp, nfexp_maxsize()) == 0);
}

static void test_null_objects(void)
{
	struct nf_expect *exp = sample();
	uint32_t v = 1;

	errno = 0;
	nfexp_destroy(NULL);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfexp_clone(NULL) == NULL);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfexp_sizeof(NULL) == 0);
	EXPECT_ERRNO(EINVAL);
	/* The reference's is 276; ours carries a kind word after each of the
	 * four tuple heads. */
	CHECK(nfexp_maxsize() > 0 && nfexp_maxsize() <= 276 + 4 * 4);
	CHECK(nfexp_sizeof(exp) == nfexp_maxsize());

	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		enum nf_expect_attr t = (enum nf_expect_attr)a;

		errno = 0;
		nfexp_set_attr(NULL, t, &v);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		nfexp_set_attr_u8(NULL, t, 1);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		nfexp_set_attr_u16(NULL, t, 1);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		nfexp_set_attr_u32(NULL, t, 1);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr(NULL, t) == NULL);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u8(NULL, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u16(NULL, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u32(NULL, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_attr_is_set(NULL, t) == -1);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_attr_unset(NULL, t) == -1);
		EXPECT_ERRNO(EINVAL);
	}
	errno = 0;
	CHECK(nfexp_cmp(NULL, exp, 0) == 0);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfexp_cmp(exp, NULL, NFCT_CMP_STRICT) == 0);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfexp_cmp(NULL, NULL, 0) == 0);
	EXPECT_ERRNO(EINVAL);
	nfexp_destroy(exp);
}

static void test_null_values(void)
{
	struct nf_expect *exp = sample();

	snapshot(exp);
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		errno = 0;
		nfexp_set_attr(exp, (enum nf_expect_attr)a, NULL);
		EXPECT_ERRNO(EINVAL);
		unchanged(exp);
	}
	nfexp_destroy(exp);
}

static void test_out_of_range(void)
{
	static const int bad[] = { ATTR_EXP_MAX, ATTR_EXP_MAX + 1, 32, 1000,
				   INT_MAX, -1, INT_MIN };
	struct nf_expect *exp = sample();
	uint32_t v = 7;

	snapshot(exp);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum nf_expect_attr t = (enum nf_expect_attr)bad[i];

		errno = 0;
		nfexp_set_attr(exp, t, &v);
		EXPECT_ERRNO(0);
		errno = 0;
		nfexp_set_attr(exp, t, NULL);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		nfexp_set_attr_u8(exp, t, 7);
		EXPECT_ERRNO(0);
		errno = 0;
		nfexp_set_attr_u16(exp, t, 7);
		EXPECT_ERRNO(0);
		errno = 0;
		nfexp_set_attr_u32(exp, t, 7);
		EXPECT_ERRNO(0);
		errno = 0;
		CHECK(nfexp_get_attr(exp, t) == NULL);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u8(exp, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u16(exp, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_get_attr_u32(exp, t) == 0);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_attr_is_set(exp, t) == -1);
		EXPECT_ERRNO(EINVAL);
		errno = 0;
		CHECK(nfexp_attr_unset(exp, t) == -1);
		EXPECT_ERRNO(EINVAL);
		unchanged(exp);
	}
	nfexp_destroy(exp);
}

static void test_typed_setters(void)
{
	static const enum nf_expect_attr tuples[] = {
		ATTR_EXP_MASTER, ATTR_EXP_EXPECTED, ATTR_EXP_MASK, ATTR_EXP_NAT_TUPLE,
	};
	static const enum nf_expect_attr u32s[] = {
		ATTR_EXP_TIMEOUT, ATTR_EXP_FLAGS, ATTR_EXP_CLASS, ATTR_EXP_NAT_DIR,
	};
	struct nf_expect *exp = sample();
	const char *s;

	/* A tuple set from an integer is marked set (as the reference marks
	 * it); it holds the integer's bytes first and sets no attribute. */
	for (size_t i = 0; i < 4; i++) {
		const struct nf_conntrack *t;

		nfexp_attr_unset(exp, tuples[i]);
		errno = 0;
		nfexp_set_attr_u8(exp, tuples[i], 0xff);
		EXPECT_ERRNO(0);
		CHECK(nfexp_attr_is_set(exp, tuples[i]) == 1);
		nfexp_set_attr_u16(exp, tuples[i], 0xffff);
		nfexp_set_attr_u32(exp, tuples[i], 0x01020304);
		CHECK(nfexp_get_attr_u32(exp, tuples[i]) == 0x01020304);
		t = nfexp_get_attr(exp, tuples[i]);
		CHECK(t != NULL && nfct_attr_is_set(t, ATTR_ORIG_L3PROTO) == 0);
		CHECK(nfct_attr_is_set(t, ATTR_ORIG_IPV4_SRC) == 0);
	}
	nfexp_destroy(exp);
	exp = sample();

	/* Narrower integers are zero-extended. */
	for (size_t i = 0; i < 4; i++) {
		nfexp_set_attr_u32(exp, u32s[i], 0xffffffff);
		nfexp_set_attr_u8(exp, u32s[i], 0x7f);
		CHECK(nfexp_get_attr_u32(exp, u32s[i]) == 0x7f);
		nfexp_set_attr_u32(exp, u32s[i], 0xffffffff);
		nfexp_set_attr_u16(exp, u32s[i], 0x8001);
		CHECK(nfexp_get_attr_u32(exp, u32s[i]) == 0x8001);
		CHECK(nfexp_get_attr_u8(exp, u32s[i]) == 0x01);
	}
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 0xffff);
	nfexp_set_attr_u8(exp, ATTR_EXP_ZONE, 5);
	CHECK(nfexp_get_attr_u16(exp, ATTR_EXP_ZONE) == 5);
	CHECK(nfexp_get_attr_u32(exp, ATTR_EXP_ZONE) == 5);

	/* Strings from integers stop at the integer's last byte. */
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "a-long-helper");
	nfexp_set_attr_u8(exp, ATTR_EXP_HELPER_NAME, 'x');
	s = nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME);
	CHECK(s != NULL && strcmp(s, "x") == 0);
	nfexp_set_attr_u16(exp, ATTR_EXP_FN, 0x6968); /* "hi" */
	s = nfexp_get_attr(exp, ATTR_EXP_FN);
	CHECK(s != NULL && strcmp(s, "hi") == 0);
	nfexp_set_attr_u32(exp, ATTR_EXP_FN, 0x64636261); /* "abcd" */
	s = nfexp_get_attr(exp, ATTR_EXP_FN);
	CHECK(s != NULL && strcmp(s, "abcd") == 0);
	nfexp_destroy(exp);
}

static void test_strings_never_overrun(void)
{
	struct nf_expect *exp = nfexp_new();
	char big[4096];
	const char *s;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, big);
	nfexp_set_attr(exp, ATTR_EXP_FN, big);
	s = nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME);
	CHECK(s != NULL && strlen(s) == 15);
	s = nfexp_get_attr(exp, ATTR_EXP_FN);
	CHECK(s != NULL && strlen(s) == 23);
	nfexp_destroy(exp);
}

/* A tuple taken from a conntrack with much more than its original tuple. */
static void test_tuple_holds_only_the_original_tuple(void)
{
	struct nf_conntrack *ct = ct_tcp4();
	struct nf_expect *exp = nfexp_new();
	struct nfct_attr_grp_ipv4 g4;
	struct nf_conntrack *h, *clone;

	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("10.0.0.21"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("192.168.1.10"));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(21));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1025));
	nfct_set_attr_u32(ct, ATTR_MARK, 42);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_STATUS, 8);
	nfct_set_attr_u32(ct, ATTR_ID, 1234);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u16(ct, ATTR_ZONE, 1);
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_SRC, 1);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 5);
	nfexp_set_attr(exp, ATTR_EXP_MASTER, ct);

	h = (struct nf_conntrack *)nfexp_get_attr(exp, ATTR_EXP_MASTER);
	CHECK(h != NULL);
	/* The original tuple is all there. */
	CHECK(nfct_get_attr_u16(h, ATTR_ORIG_PORT_DST) == htons(21));
	CHECK(nfct_attr_grp_is_set(h, ATTR_GRP_ORIG_IPV4) == 1);
	/* The bitmap is copied as it is, as the reference copies it; nothing
	 * past the original tuple is read (the reference reads past the tuple
	 * it copied). */
	for (int a = 0; a < ATTR_MAX; a++) {
		enum nf_conntrack_attr t = (enum nf_conntrack_attr)a;
		int orig = a == ATTR_ORIG_IPV4_SRC || a == ATTR_ORIG_IPV4_DST ||
			   a == ATTR_ORIG_PORT_SRC || a == ATTR_ORIG_PORT_DST ||
			   a == ATTR_ORIG_L3PROTO || a == ATTR_ORIG_L4PROTO;

		CHECK(nfct_attr_is_set(h, t) == nfct_attr_is_set(ct, t));
		if (orig)
			continue;
		errno = 0;
		CHECK(nfct_get_attr(h, t) == NULL);
		EXPECT_ERRNO(ENODATA);
		errno = 0;
		CHECK(nfct_get_attr_u32(h, t) == 0);
		EXPECT_ERRNO(ENODATA);
		errno = 0;
		CHECK(nfct_get_attr_u64(h, t) == 0);
		EXPECT_ERRNO(ENODATA);
	}
	CHECK(nfct_attr_grp_is_set(h, ATTR_GRP_REPL_IPV4) == 0);
	CHECK(nfct_attr_grp_is_set(h, ATTR_GRP_REPL_PORT) == 0);
	CHECK(nfct_attr_grp_is_set(h, ATTR_GRP_ORIG_COUNTERS) == 0);
	errno = 0;
	CHECK(nfct_get_attr_grp(h, ATTR_GRP_REPL_IPV4, &g4) == -1);
	EXPECT_ERRNO(ENODATA);
	/* Comparisons see the tuple only. */
	CHECK(nfct_cmp(h, ct, NFCT_CMP_ORIG) == 1);
	CHECK(nfct_cmp(h, ct, NFCT_CMP_ALL) == 1);
	CHECK(nfct_cmp(h, ct, NFCT_CMP_ALL | NFCT_CMP_STRICT) == 0);
	CHECK(nfct_cmp(h, h, NFCT_CMP_ALL | NFCT_CMP_STRICT) == 1);
	/* A clone of the tuple is a whole object with the tuple only. */
	clone = nfct_clone(h);
	CHECK(clone != NULL);
	CHECK(nfct_attr_is_set(clone, ATTR_MARK) == 0);
	CHECK(nfct_get_attr_u16(clone, ATTR_ORIG_PORT_SRC) == htons(1025));
	nfct_set_attr_u32(clone, ATTR_MARK, 1);
	CHECK(nfct_get_attr_u32(clone, ATTR_MARK) == 1);
	nfct_destroy(clone);

	/* The tuple is read-only through the nfct_* functions that change. */
	snapshot(exp);
	errno = 0;
	nfct_set_attr_u32(h, ATTR_ORIG_IPV4_SRC, 1);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	nfct_set_attr_u32(h, ATTR_MARK, 1);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfct_attr_unset(h, ATTR_ORIG_IPV4_SRC) == -1);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfct_attr_grp_unset(h, ATTR_GRP_ORIG_IPV4) == -1);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	nfct_copy(h, ct, NFCT_CP_ALL);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	CHECK(nfct_setobjopt(h, NFCT_SOPT_SETUP_REPLY) == -1);
	EXPECT_ERRNO(EINVAL);
	errno = 0;
	nfct_destroy(h);
	EXPECT_ERRNO(EINVAL);
	unchanged(exp);

	nfct_destroy(ct);
	nfexp_destroy(exp);
}

static void test_wiped_objects(void)
{
	struct nf_expect *exp = sample(), *copy;
	struct nf_conntrack *ct = ct_tcp4();
	const struct nf_conntrack *h;

	/* All zero: an empty expectation, usable again. */
	memset(exp, 0, nfexp_maxsize());
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		CHECK(nfexp_attr_is_set(exp, (enum nf_expect_attr)a) == 0);
		errno = 0;
		CHECK(nfexp_get_attr(exp, (enum nf_expect_attr)a) == NULL);
		EXPECT_ERRNO(ENODATA);
	}
	nfexp_set_attr(exp, ATTR_EXP_MASK, ct);
	h = nfexp_get_attr(exp, ATTR_EXP_MASK);
	CHECK(h != NULL && nfct_get_attr_u16(h, ATTR_ORIG_PORT_SRC) == htons(1025));

	/* All 0xff: nonsense values, but every call answers. */
	memset(exp, 0xff, nfexp_maxsize());
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		enum nf_expect_attr t = (enum nf_expect_attr)a;

		CHECK(nfexp_attr_is_set(exp, t) == 1);
		CHECK(nfexp_get_attr(exp, t) != NULL);
		(void)nfexp_get_attr_u32(exp, t);
	}
	CHECK(nfexp_cmp(exp, exp, NFCT_CMP_STRICT) == 1);
	copy = nfexp_clone(exp);
	CHECK(copy != NULL && nfexp_cmp(exp, copy, 0) == 1);
	nfexp_destroy(copy);

	nfct_destroy(ct);
	nfexp_destroy(exp);
}

int main(void)
{
	test_null_objects();
	test_null_values();
	test_out_of_range();
	test_typed_setters();
	test_strings_never_overrun();
	test_tuple_holds_only_the_original_tuple();
	test_wiped_objects();
	printf("ok\n");
	return 0;
}
