/* capi: ours-only */
/*
 * The part of the object sweep the references cannot be asked (they crash,
 * read out of bounds or read the stack there); run on our library alone:
 *
 * - labels set to pointers that are not bitmasks (arbitrary heap bytes with
 *   word counts 0, 1, 4, 0x7fffffff and 0xffffffff, and static bytes): the
 *   pointer is stored as given (nfct_get_attr returns it) and nothing done to
 *   the object afterwards may end the process: typed getters, clone, copy with
 *   every flag into empty and filled objects, copy_attr, cmp, snprintf (with a
 *   label map too), nlmsg_build, replacing, unsetting, a NULL value, destroy;
 * - typed setters narrower than the attribute: the object is marked set, the
 *   value's bytes come first and the rest of the attribute is zero (the
 *   reference copies whatever follows the argument on its stack);
 * - typed setters on the helper name and the expectation strings with a value
 *   without a NUL (the reference reads the stack up to one): the value's bytes
 *   are the string;
 * - typed setters on the expectation tuples: marked set, like the reference,
 *   with the value's bytes first and zeros after;
 * - ATTR_TIMESTAMP_EVENT (1.1.1 only): no setter stores it, whatever the
 *   value, and errno is left alone.
 *
 * Data files: $CAPI_DATA/labels/basic.conf.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"
#include "objects.h"
#include "sweep.h"

/* The case being run, told when the process is killed by a signal. */
static char current[160];

static void on_signal(int sig)
{
	static const char msg[] = "sweep_ours: killed by a signal during: ";
	ssize_t r;

	r = write(2, msg, sizeof(msg) - 1);
	r = write(2, current, strnlen(current, sizeof(current)));
	r = write(2, "\n", 1);
	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Heap blocks handed over as labels stay reachable from here: whether the
 * library frees them or not, nothing is freed twice or reported lost. */
static void *handed_over[64];
static int n_handed_over;

static void *heap_labels(uint32_t words, unsigned char fill)
{
	unsigned char *p = malloc(64);

	CHECK(p != NULL && n_handed_over < 64);
	memset(p, fill, 64);
	memcpy(p, &words, sizeof(words));
	handed_over[n_handed_over++] = p;
	return p;
}

/* Bytes that are not on the heap: freeing them would crash. */
static unsigned char static_labels[64] = { 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1 };

/* An entry ready to create, with a mark and real labels. */
static struct nf_conntrack *filled_new(void)
{
	static const unsigned int bits[] = { 1, 70 };
	struct nf_conntrack *ct = capi_udp_entry(1025);

	CHECK(ct != NULL);
	nfct_set_attr_u32(ct, ATTR_MARK, 7);
	nfct_set_attr(ct, ATTR_CONNLABELS, bitmask(127, bits, 2));
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, bitmask(127, bits, 2));
	return ct;
}

/* Everything done to an object whose labels are not a bitmask. */
static void use_object(struct nf_conntrack *ct, struct nfct_labelmap *map)
{
	static const unsigned int cp[] = {
		NFCT_CP_ALL, NFCT_CP_ORIG, NFCT_CP_REPL, NFCT_CP_META,
		NFCT_CP_ORIG | NFCT_CP_REPL | NFCT_CP_META, NFCT_CP_OVERRIDE,
	};
	static unsigned char msg[MSG_SIZE];
	struct nf_conntrack *dst, *filled = filled_new(), *clone;
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	char buf[4096];

	for (int a = ATTR_CONNLABELS; a <= ATTR_CONNLABELS_MASK; a++) {
		(void)nfct_get_attr_u8(ct, A(a));
		(void)nfct_get_attr_u16(ct, A(a));
		(void)nfct_get_attr_u32(ct, A(a));
		(void)nfct_get_attr_u64(ct, A(a));
	}
	clone = nfct_clone(ct);
	for (size_t i = 0; i < sizeof(cp) / sizeof(cp[0]); i++) {
		dst = nfct_new();
		nfct_copy(dst, ct, cp[i]);
		if (clone)
			nfct_copy(dst, clone, cp[i]);
		nfct_destroy(dst);
		dst = filled_new();
		nfct_copy(dst, ct, cp[i]);
		nfct_destroy(dst);
	}
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		dst = nfct_new();
		nfct_copy_attr(dst, ct, A(a));
		nfct_destroy(dst);
		dst = filled_new();
		nfct_copy_attr(dst, ct, A(a));
		nfct_destroy(dst);
	}
	for (unsigned int f = 0; f < 128; f++) {
		(void)nfct_cmp(ct, ct, f);
		(void)nfct_cmp(ct, filled, f);
		(void)nfct_cmp(filled, ct, f);
		if (clone)
			(void)nfct_cmp(ct, clone, f);
	}
	(void)nfct_compare(ct, filled);
	for (unsigned int out = NFCT_O_DEFAULT; out <= NFCT_O_XML; out++) {
		(void)nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_NEW, out, NFCT_OF_SHOW_LAYER3);
		(void)nfct_snprintf_labels(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, out, 0, map);
		(void)nfct_snprintf(buf, 8, ct, NFCT_T_UNKNOWN, out, 0);
	}
	request_header(msg, (1 << 8) | 0);
	(void)nfct_nlmsg_build(nlh, ct);
	CHECK(nlh->nlmsg_len <= sizeof(msg));
	if (clone)
		nfct_destroy(clone);
	nfct_destroy(filled);
}

static void labels_not_bitmasks(void)
{
	static const unsigned int bits[] = { 2 };
	struct nfct_labelmap *map;
	char path[4096];
	const char *data = getenv("CAPI_DATA");

	snprintf(path, sizeof(path), "%s/labels/basic.conf", data ? data : "capi-tests/data");
	map = nfct_labelmap_new(path);
	CHECK(map != NULL);

	for (int k = 0; k < 7; k++) {
		for (int a = ATTR_CONNLABELS; a <= ATTR_CONNLABELS_MASK; a++) {
			for (int start = 0; start < 2; start++) {
				struct nf_conntrack *ct = start ? filled_new() : nfct_new();
				void *p;
				int e;

				switch (k) {
				case 0: p = heap_labels(0, 0xab); break;
				case 1: p = heap_labels(1, 0x05); break;
				case 2: p = heap_labels(4, 0xff); break;
				case 3: p = heap_labels(0x7fffffff, 0x11); break;
				case 4: p = heap_labels(0xffffffff, 0xff); break;
				case 5: p = heap_labels(0x10000, 0); break;
				default: p = static_labels; break;
				}
				CHECK(ct != NULL);
				snprintf(current, sizeof(current),
					 "labels case %d (attribute %d, %s object)", k, a,
					 start ? "filled" : "empty");
				errno = SENTINEL;
				if (k % 2)
					nfct_set_attr_l(ct, A(a), p, 64);
				else
					nfct_set_attr(ct, A(a), p);
				e = errno;
				CHECK(e == SENTINEL);
				CHECK(nfct_attr_is_set(ct, A(a)) == 1);
				CHECK(nfct_get_attr(ct, A(a)) == p);
				use_object(ct, map);
				/* The same pointer again, then NULL: still stored. */
				nfct_set_attr(ct, A(a), p);
				CHECK(nfct_get_attr(ct, A(a)) == p);
				nfct_set_attr(ct, A(a), NULL);
				CHECK(nfct_get_attr(ct, A(a)) == p);
				use_object(ct, map);
				if (k == 2) {
					/* Replaced by a real bitmask, then unset. */
					nfct_set_attr(ct, A(a), bitmask(31, bits, 1));
					CHECK(nfct_get_attr(ct, A(a)) != p);
					use_object(ct, map);
					CHECK(nfct_attr_unset(ct, A(a)) == 0);
				} else if (k == 3) {
					CHECK(nfct_attr_unset(ct, A(a)) == 0);
					use_object(ct, map);
				}
				nfct_destroy(ct);
			}
		}
	}
	nfct_labelmap_destroy(map);
	printf("labels that are not bitmasks: ok (%d heap blocks handed over)\n", n_handed_over);
}

/* `p` holds `size` bytes of `v` (host order), then zeros up to `width`. */
static int zero_extended(const unsigned char *p, uint64_t v, size_t size, size_t width)
{
	unsigned char want[16] = { 0 };

	memcpy(want, &v, size);
	return memcmp(p, want, width) == 0;
}

static void narrow_typed_setters(void)
{
	const uint64_t v = 0x8182838485868788ULL;
	int cases = 0;

	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		const struct capi_ct_attr *d = &capi_ct_attrs[a];
		size_t w = capi_kind_width(d->kind);

		if (w == 0 || d->kernel_only)
			continue;
		for (size_t size = 1; size < w && size <= 8; size *= 2) {
			struct nf_conntrack *ct = nfct_new();
			const unsigned char *p;
			int e;

			CHECK(ct != NULL);
			snprintf(current, sizeof(current), "u%zu setter on attribute %d",
				 size * 8, a);
			nfct_set_attr(ct, A(a), pat[1]);
			errno = SENTINEL;
			ct_set_typed(ct, a, size, v);
			e = errno;
			p = nfct_get_attr(ct, A(a));
			if (e != SENTINEL || p == NULL || !zero_extended(p, v, size, w)) {
				fprintf(stderr, "attribute %d, u%zu setter: errno=%s value ", a,
					size * 8, errs(e));
				if (p)
					for (size_t i = 0; i < w; i++)
						fprintf(stderr, "%02x", p[i]);
				fprintf(stderr, "\n");
				CHECK(0);
			}
			cases++;
			nfct_destroy(ct);
		}
	}
	printf("narrow typed setters on conntracks: zero-extended (%d cases)\n", cases);
}

/* A helper name from a typed setter without a NUL: the value's bytes. */
static void names_without_nul(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct nf_expect *exp = nfexp_new();

	CHECK(ct != NULL && exp != NULL);
	nfct_set_attr_u8(ct, ATTR_HELPER_NAME, 'a');
	CHECK(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "a") == 0);
	nfct_set_attr_u16(ct, ATTR_HELPER_NAME, 0x6261);
	CHECK(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "ab") == 0);
	nfct_set_attr_u32(ct, ATTR_HELPER_NAME, 0x64636261);
	CHECK(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "abcd") == 0);
	nfct_set_attr_u64(ct, ATTR_HELPER_NAME, 0x6867666564636261ULL);
	CHECK(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "abcdefgh") == 0);

	for (int i = 0; i < 2; i++) {
		enum nf_expect_attr t = i ? ATTR_EXP_FN : ATTR_EXP_HELPER_NAME;
		nfexp_set_attr_u8(exp, t, 'x');
		CHECK(strcmp(nfexp_get_attr(exp, t), "x") == 0);
		nfexp_set_attr_u16(exp, t, 0x7a79);
		CHECK(strcmp(nfexp_get_attr(exp, t), "yz") == 0);
		nfexp_set_attr_u32(exp, t, 0x64636261);
		CHECK(strcmp(nfexp_get_attr(exp, t), "abcd") == 0);
	}
	nfct_destroy(ct);
	nfexp_destroy(exp);
	printf("typed setters on names without a NUL: ok\n");
}

/* Narrow typed setters on expectations: scalars and tuples (52 bytes). */
static void expect_narrow_typed(void)
{
	static const struct {
		int attr;
		size_t width;
	} fixed[] = {
		{ ATTR_EXP_MASTER, 52 }, { ATTR_EXP_EXPECTED, 52 }, { ATTR_EXP_MASK, 52 },
		{ ATTR_EXP_NAT_TUPLE, 52 }, { ATTR_EXP_TIMEOUT, 4 }, { ATTR_EXP_ZONE, 2 },
		{ ATTR_EXP_FLAGS, 4 }, { ATTR_EXP_CLASS, 4 }, { ATTR_EXP_NAT_DIR, 4 },
	};
	const uint32_t v = 0x91929394;
	int cases = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		for (size_t size = 1; size < fixed[i].width && size <= 4; size *= 2) {
			struct nf_expect *exp = nfexp_new();
			enum nf_expect_attr t = (enum nf_expect_attr)fixed[i].attr;
			const unsigned char *p;
			unsigned char want[64] = { 0 };
			int e;

			CHECK(exp != NULL);
			snprintf(current, sizeof(current), "u%zu setter on expectation attribute %d",
				 size * 8, fixed[i].attr);
			nfexp_set_attr(exp, t, pat[1]);
			errno = SENTINEL;
			exp_set_typed(exp, fixed[i].attr, size, v);
			e = errno;
			p = nfexp_get_attr(exp, t);
			memcpy(want, &v, size);
			if (e != SENTINEL || nfexp_attr_is_set(exp, t) != 1 || p == NULL ||
			    memcmp(p, want, fixed[i].width) != 0) {
				fprintf(stderr,
					"expectation attribute %d, u%zu setter: errno=%s is_set=%d value ",
					fixed[i].attr, size * 8, errs(e),
					nfexp_attr_is_set(exp, t));
				if (p)
					for (size_t j = 0; j < fixed[i].width; j++)
						fprintf(stderr, "%02x", p[j]);
				fprintf(stderr, "\n");
				CHECK(0);
			}
			cases++;
			nfexp_destroy(exp);
		}
	}
	printf("narrow typed setters on expectations: set, zero-extended (%d cases)\n", cases);
}

/* 1.1.1: ATTR_TIMESTAMP_EVENT has no setter; only parsing sets it. */
static void timestamp_event(void)
{
	struct nf_conntrack *ct = nfct_new();
	const void *p;
	int e;

	CHECK(ct != NULL);
	for (int i = 0; i < 6; i++) {
		errno = SENTINEL;
		switch (i) {
		case 0:
			nfct_set_attr(ct, ATTR_TIMESTAMP_EVENT, pat[3]);
			break;
		case 1:
			nfct_set_attr_l(ct, ATTR_TIMESTAMP_EVENT, pat[3], 8);
			break;
		default:
			ct_set_typed(ct, ATTR_TIMESTAMP_EVENT, (size_t)1 << (i - 2),
				 0x1122334455667788ULL);
			break;
		}
		e = errno;
		CHECK(e == SENTINEL);
		CHECK(nfct_attr_is_set(ct, ATTR_TIMESTAMP_EVENT) == 0);
		errno = 0;
		p = nfct_get_attr(ct, ATTR_TIMESTAMP_EVENT);
		CHECK(p == NULL && errno == ENODATA);
	}
	nfct_destroy(ct);
	printf("ATTR_TIMESTAMP_EVENT: no setter\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	make_patterns();
	labels_not_bitmasks();
	narrow_typed_setters();
	names_without_nul();
	expect_narrow_typed();
	timestamp_event();
	return 0;
}
