/*
 * The conntrack object sweep: every attribute of the 1.1.0 reference (0..74)
 * through every setter with arbitrary bytes, then everything done to the
 * resulting object, printed in one canonical form so that ours and both
 * references can be diffed line by line.
 *
 * Setters: nfct_set_attr with five byte patterns (all zero, all 0xff,
 * pseudo-random with a NUL at byte 2, pseudo-random without a NUL, one that
 * starts like an IPv4 TCP value); nfct_set_attr_l with every length from 0 to
 * the attribute's own size + 8 (helper name: NFCT_HELPER_NAME_MAX + 8; helper
 * info: 0..24 and longer lengths; security context: 0..8); nfct_set_attr_u8,
 * _u16, _u32 and _u64 with three values each. Every value buffer is 257
 * bytes with a NUL at the end, so reading the attribute's full width (or a
 * string up to its NUL) never leaves it. Each case starts from an empty
 * object ("E"); a shorter set starts from a buildable IPv4 TCP object ("B").
 *
 * After each setter: errno (set to a sentinel before the call: "keep" means
 * untouched), the set attributes with their values, the typed getter of the
 * attribute's width, nfct_copy_attr of every attribute into an empty object
 * and of the swept one into a filled object, nfct_copy with each NFCT_CP_*
 * flag into an empty and a filled object, nfct_clone, nfct_cmp against the
 * clone, an empty, the buildable and the filled object (both orders, several
 * flags), nfct_snprintf plain and XML with and without NFCT_OF_SHOW_LAYER3 |
 * NFCT_OF_ID | NFCT_OF_TIMESTAMP, and the attribute bytes nfct_nlmsg_build
 * appends to a fixed header.
 *
 * Kept out of the comparison because the reference's answer is undefined
 * there (see sweep_ours.c for ours):
 * - typed setters narrower than the attribute: the reference's setters copy
 *   the attribute's width from the address of the setter's argument, so the
 *   bytes after it are whatever the stack holds. Those cases print only
 *   whether the attribute is set and the first sizeof(value) bytes, nothing
 *   derived from the object;
 * - typed setters on the helper name whose value has no NUL (the reference
 *   reads the stack up to one);
 * - labels from anything but a real struct nfct_bitmask (the reference stores
 *   the pointer and later reads and frees it as a bitmask): labels are set
 *   from nfct_bitmask_new() objects only, never from typed setters;
 * - the bytes of copied helper info (the reference copies its never-set
 *   helper_info_len, 0 bytes) and typed getters on labels, helper info, the
 *   security context and the helper name;
 * - nfct_snprintf of objects with ATTR_TIMESTAMP_START set (the plain and XML
 *   outputs then show the time elapsed until now);
 * - ATTR_TIMESTAMP_EVENT (75): 1.1.0 knows no attribute 75 (its ATTR_MAX):
 *   its setters ignore it and is_set/get answer -1/NULL with EINVAL, while
 *   1.1.1 has no setter for it (set leaves it unset, is_set is 0).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"
#include "sweep.h"

/* The filled object's attributes as text (made once, in main). */
static char *filled_text[CAPI_CT_NATTRS];

/*
 * One line: the attributes of `ct` that differ from `than` (texts of each
 * attribute, NULL: an empty object), each as "number=value" or "number=-"
 * when unset.
 */
static void dump_vs(const char *label, const struct nf_conntrack *ct, char *const *than,
		    long hi_len)
{
	static struct text t;
	int any = 0;

	printf("  %s:", label);
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		attr_text(&t, ct, a, hi_len);
		if (strcmp(t.s, than ? than[a] : "-") == 0)
			continue;
		any = 1;
		printf(" %d=%s", a, t.s);
	}
	printf("%s\n", any ? "" : than ? " same" : " -");
}

static void dump(const char *label, const struct nf_conntrack *ct, long hi_len)
{
	dump_vs(label, ct, NULL, hi_len);
}

/* The typed getter of attribute `a`'s width, with errno. */
static void show_typed(const struct nf_conntrack *ct, int a)
{
	unsigned long long v;
	int e;

	errno = SENTINEL;
	switch (capi_ct_attrs[a].kind) {
	case CAPI_U8:
		v = nfct_get_attr_u8(ct, A(a));
		break;
	case CAPI_U16:
		v = nfct_get_attr_u16(ct, A(a));
		break;
	case CAPI_U32:
		v = nfct_get_attr_u32(ct, A(a));
		break;
	case CAPI_U64:
		v = nfct_get_attr_u64(ct, A(a));
		break;
	default:
		return;
	}
	e = errno;
	printf("  typed: 0x%llx errno=%s\n", v, errs(e));
}

/* --- fixed objects ---------------------------------------------------- */

/* An IPv4 TCP conntrack with both tuples and a helper name: buildable. */
static struct nf_conntrack *base_new(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0x0a000001));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, htonl(0x0a000002));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1025));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(21));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, htonl(0x0a000002));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, htonl(0x0a000001));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(21));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1025));
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	return ct;
}

/* The buildable object plus most other attributes, labels and helper info. */
static struct nf_conntrack *filled_new(void)
{
	static const unsigned int lbits[] = { 1, 70 }, mbits[] = { 1, 2, 70, 100 };
	static const unsigned char info[5] = { 1, 2, 3, 4, 5 };
	struct nf_conntrack *ct = base_new();

	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 0x02);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 0x02);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 7);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_MARK, 0xdead);
	nfct_set_attr_u32(ct, ATTR_SECMARK, 5);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x6);
	nfct_set_attr_u32(ct, ATTR_ID, 77);
	nfct_set_attr_u16(ct, ATTR_ZONE, 3);
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 4);
	nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 5);
	nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_MASTER_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_SRC, htonl(0x0a000009));
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_DST, htonl(0x0a00000a));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_SRC, htons(999));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_DST, htons(21));
	nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, htonl(0xc0a80001));
	nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(4000));
	nfct_set_attr_u32(ct, ATTR_DNAT_IPV4, htonl(0xc0a80002));
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 11);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, 12);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, 13);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ISN, 21);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ITS, 22);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_TSOFF, 23);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, info, sizeof(info));
	nfct_set_attr(ct, ATTR_CONNLABELS, bitmask(127, lbits, 2));
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, bitmask(127, mbits, 4));
	return ct;
}

/* --- what is done to each resulting object ------------------------------ */

static const struct {
	unsigned int flags;
	const char *name;
} cp_flags[] = {
	{ NFCT_CP_ALL, "ALL" },
	{ NFCT_CP_ORIG, "ORIG" },
	{ NFCT_CP_REPL, "REPL" },
	{ NFCT_CP_META, "META" },
	{ NFCT_CP_ORIG | NFCT_CP_REPL, "ORIG|REPL" },
	{ NFCT_CP_OVERRIDE, "OVERRIDE" },
};

static const unsigned int cmp_flags[] = {
	NFCT_CMP_ALL,
	NFCT_CMP_ORIG,
	NFCT_CMP_REPL,
	NFCT_CMP_ALL | NFCT_CMP_MASK,
	NFCT_CMP_ALL | NFCT_CMP_STRICT,
	NFCT_CMP_ORIG | NFCT_CMP_MASK,
	NFCT_CMP_ORIG | NFCT_CMP_STRICT,
	NFCT_CMP_REPL | NFCT_CMP_STRICT,
	NFCT_CMP_ALL | NFCT_CMP_MASK | NFCT_CMP_STRICT,
};

static void show_cmp(const char *label, const struct nf_conntrack *a,
		     const struct nf_conntrack *b)
{
	printf(" %s:", label);
	for (size_t i = 0; i < sizeof(cmp_flags) / sizeof(cmp_flags[0]); i++)
		printf("%d", nfct_cmp(a, b, cmp_flags[i]));
	printf("/");
	for (size_t i = 0; i < sizeof(cmp_flags) / sizeof(cmp_flags[0]); i++)
		printf("%d", nfct_cmp(b, a, cmp_flags[i]));
}

static void show_print(const struct nf_conntrack *ct)
{
	static const struct {
		unsigned int type, out, flags;
		const char *name;
	} how[] = {
		{ NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0, "plain" },
		{ NFCT_T_NEW, NFCT_O_DEFAULT,
		  NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID | NFCT_OF_TIMESTAMP, "plain+l3,id,ts" },
		{ NFCT_T_UNKNOWN, NFCT_O_XML, 0, "xml" },
		{ NFCT_T_DESTROY, NFCT_O_XML,
		  NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID | NFCT_OF_TIMESTAMP, "xml+l3,id,ts" },
	};
	char buf[4096];

	if (nfct_attr_is_set(ct, ATTR_TIMESTAMP_START) == 1) {
		printf("  snprintf: not compared (timestamp start: shows the time until now)\n");
		return;
	}
	for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		int r, e;
		errno = SENTINEL;
		r = nfct_snprintf(buf, sizeof(buf), ct, how[i].type, how[i].out, how[i].flags);
		e = errno;
		show_printed(how[i].name, r, e, buf, sizeof(buf));
	}
}

static void show_build(const struct nf_conntrack *ct)
{
	static unsigned char buf[MSG_SIZE];
	/* ctnetlink, IPCTNL_MSG_CT_NEW */
	struct nlmsghdr *nlh = request_header(buf, (1 << 8) | 0);
	int r, e;

	errno = SENTINEL;
	r = nfct_nlmsg_build(nlh, ct);
	e = errno;
	show_built(r, e, buf);
}

/*
 * Runs a void call with errno at the sentinel; writes the label with the
 * errno it left when that is not the sentinel.
 */
#define LABELLED_CALL(label, name, call)                                       \
	do {                                                                   \
		int _e;                                                        \
		errno = SENTINEL;                                              \
		call;                                                          \
		_e = errno;                                                    \
		if (_e == SENTINEL)                                            \
			snprintf(label, sizeof(label), "%s", name);            \
		else                                                           \
			snprintf(label, sizeof(label), "%s errno=%s", name,    \
				 errs(_e));                                    \
	} while (0)

static void analyse(const struct nf_conntrack *ct, int a)
{
	struct nf_conntrack *empty = nfct_new(), *base = base_new();
	struct nf_conntrack *filled = filled_new();
	struct nf_conntrack *dst, *clone;
	char name[48], label[96];

	show_typed(ct, a);

	/* Every attribute copied one by one into an empty object. */
	dst = nfct_new();
	label[0] = 0;
	for (int b = 0; b < CAPI_CT_NATTRS; b++) {
		char one[96];
		LABELLED_CALL(one, "copy_attr(each)", nfct_copy_attr(dst, ct, A(b)));
		if (b == 0 || strcmp(one, "copy_attr(each)") != 0)
			memcpy(label, one, sizeof(label));
	}
	dump(label, dst, -1);
	nfct_destroy(dst);
	dst = filled_new();
	LABELLED_CALL(label, "copy_attr>filled", nfct_copy_attr(dst, ct, A(a)));
	dump_vs(label, dst, filled_text, -1);
	nfct_destroy(dst);

	for (size_t i = 0; i < sizeof(cp_flags) / sizeof(cp_flags[0]); i++) {
		for (int into_filled = 0; into_filled < 2; into_filled++) {
			dst = into_filled ? filled_new() : nfct_new();
			snprintf(name, sizeof(name), "copy %s%s", cp_flags[i].name,
				 into_filled ? ">filled" : "");
			LABELLED_CALL(label, name, nfct_copy(dst, ct, cp_flags[i].flags));
			dump_vs(label, dst, into_filled ? filled_text : NULL, -1);
			nfct_destroy(dst);
		}
	}

	errno = SENTINEL;
	clone = nfct_clone(ct);
	snprintf(label, sizeof(label), "clone errno=%s", errs(errno));
	CHECK(clone != NULL);
	dump(label, clone, -1);

	printf("  cmp");
	show_cmp("clone", ct, clone);
	show_cmp("empty", ct, empty);
	show_cmp("base", ct, base);
	show_cmp("filled", ct, filled);
	printf("\n");
	nfct_destroy(clone);

	show_print(ct);
	show_build(ct);
	nfct_destroy(empty);
	nfct_destroy(base);
	nfct_destroy(filled);
}

/* --- setters ------------------------------------------------------------- */

enum setter { S_ATTR, S_ATTR_L, S_U8, S_U16, S_U32, S_U64 };

struct call {
	enum setter how;
	const void *value; /* S_ATTR, S_ATTR_L */
	size_t len;        /* S_ATTR_L */
	uint64_t v;        /* typed */
	char desc[64];
};

static size_t call_width(const struct call *c)
{
	return c->how == S_U8 ? 1 : c->how == S_U16 ? 2 : c->how == S_U32 ? 4 : 8;
}

static void do_call(struct nf_conntrack *ct, int a, const struct call *c)
{
	switch (c->how) {
	case S_ATTR:
		nfct_set_attr(ct, A(a), c->value);
		break;
	case S_ATTR_L:
		nfct_set_attr_l(ct, A(a), c->value, c->len);
		break;
	default:
		ct_set_typed(ct, a, call_width(c), c->v);
		break;
	}
}

/*
 * Runs one case: a fresh object ('E' empty, 'B' buildable), one setter on
 * attribute `a`, then the analysis. `narrow`: a typed setter narrower than
 * the attribute, whose stored bytes past the value are undefined in the
 * reference: only is_set and the value's own bytes are shown. `hi_len`: the
 * helper info bytes the setter gave.
 */
static void run(char start, int a, const struct call *c, int narrow, long hi_len)
{
	struct nf_conntrack *ct = start == 'E' ? nfct_new() : base_new();
	int e;

	CHECK(ct != NULL);
	errno = SENTINEL;
	do_call(ct, a, c);
	e = errno;
	printf("%c %d %s %s: errno=%s\n", start, a, capi_ct_attrs[a].name, c->desc, errs(e));
	if (narrow) {
		const unsigned char *p = nfct_get_attr(ct, A(a));
		printf("  narrow: is_set=%d first=", nfct_attr_is_set(ct, A(a)));
		if (p)
			put_hex(p, call_width(c));
		else
			printf("NULL");
		printf("\n");
	} else {
		dump("obj", ct, hi_len);
		analyse(ct, a);
	}
	nfct_destroy(ct);
}

/* Sets labels from a fresh bitmask, which the object then owns. */
static void run_labels(char start, int a, int l_setter, size_t len, unsigned int max,
		       const unsigned int *bits, int n)
{
	struct call c = { .how = l_setter ? S_ATTR_L : S_ATTR, .len = len };

	c.value = bitmask(max, bits, n);
	if (l_setter)
		snprintf(c.desc, sizeof(c.desc), "set_attr_l(bitmask%u, %zu)", max, len);
	else
		snprintf(c.desc, sizeof(c.desc), "set_attr(bitmask%u)", max);
	run(start, a, &c, 0, -1);
}

static const uint64_t typed_values[4][3] = {
	{ 0, 0xff, 0x5a },
	{ 0, 0xffff, 0x1234 },
	{ 0, 0xffffffff, 0x0a0b0c0d },
	{ 0, ~0ULL, 0x0102030405060708ULL },
};

/* Helper names through typed setters: only values with a NUL. */
static const uint64_t typed_names[4][3] = {
	{ 0, 0, 0 },
	{ 0, 0x0061, 0x0061 },
	{ 0, 0x00706674, 0x00616263 },
	{ 0, 0x00000070747466ULL, 0x0067666564636261ULL },
};

static void typed_setters(char start, int a, int natural_only)
{
	const struct capi_ct_attr *d = &capi_ct_attrs[a];
	size_t w = capi_kind_width(d->kind);
	int defined_any = d->kernel_only || d->kind == CAPI_HELPINFO || d->kind == CAPI_STR;

	for (int s = 0; s < 4; s++) {
		size_t sw = (size_t)1 << s;
		int narrow = w != 0 && sw < w && !d->kernel_only;
		if (d->kind == CAPI_LABELS)
			return;
		if (d->kind == CAPI_ADDR6 && natural_only)
			continue;
		if (natural_only && w != 0 && sw != w)
			continue;
		if (natural_only && w == 0 && !defined_any)
			continue;
		for (int i = 0; i < (natural_only ? 1 : 3); i++) {
			struct call c = { .how = (enum setter)(S_U8 + s) };
			if (d->kind == CAPI_STR) {
				if (s == 0 && i > 0)
					break;
				c.v = typed_names[s][natural_only ? 1 : i];
			} else {
				c.v = typed_values[s][natural_only ? 2 : i];
			}
			snprintf(c.desc, sizeof(c.desc), "set_attr_u%d(0x%llx)", 8 << s,
				 (unsigned long long)c.v);
			run(start, a, &c, narrow, d->kind == CAPI_HELPINFO ? (long)sw : -1);
		}
	}
}

static void sweep_attribute(int a)
{
	static const unsigned int bits_a[] = { 0, 5, 127 }, bits_b[] = { 31 },
				  bits_c[] = { 1000 };
	const struct capi_ct_attr *d = &capi_ct_attrs[a];
	size_t w = capi_kind_width(d->kind);
	struct call c;

	if (d->kind == CAPI_LABELS) {
		run_labels('E', a, 0, 0, 127, bits_a, 3);
		run_labels('E', a, 0, 0, 0, NULL, 0);
		run_labels('E', a, 0, 0, 31, bits_b, 1);
		run_labels('E', a, 0, 0, 1023, bits_c, 1);
		for (size_t len = 0; len <= 16; len += 8)
			run_labels('E', a, 1, len, 63, bits_b, 1);
		run_labels('B', a, 0, 0, 127, bits_a, 3);
		run_labels('B', a, 1, 1, 31, bits_b, 1);
		return;
	}

	/* nfct_set_attr with each pattern. */
	for (int p = 0; p < NPAT; p++) {
		c = (struct call){ .how = S_ATTR, .value = pat[p] };
		snprintf(c.desc, sizeof(c.desc), "set_attr(%s)", pat_name[p]);
		run('E', a, &c, 0, 0);
	}

	/* nfct_set_attr_l over the lengths. */
	{
		size_t lens[48];
		int n = 0;
		size_t top = w ? w + 8 : d->kind == CAPI_STR ? NFCT_HELPER_NAME_MAX + 8
				 : d->kind == CAPI_HELPINFO ? 24 : 8;
		for (size_t l = 0; l <= top; l++)
			lens[n++] = l;
		if (d->kind == CAPI_HELPINFO) {
			lens[n++] = 31;
			lens[n++] = 32;
			lens[n++] = 33;
			lens[n++] = 64;
			lens[n++] = 255;
			lens[n++] = 256;
		}
		for (int i = 0; i < n; i++) {
			c = (struct call){ .how = S_ATTR_L, .value = pat[3], .len = lens[i] };
			snprintf(c.desc, sizeof(c.desc), "set_attr_l(no-nul, %zu)", lens[i]);
			run('E', a, &c, 0, (long)lens[i]);
		}
		/* All 0xff, at lengths around the width. */
		for (size_t l = w ? w - 1 : 0; l <= w + 1; l++) {
			c = (struct call){ .how = S_ATTR_L, .value = pat[1], .len = l };
			snprintf(c.desc, sizeof(c.desc), "set_attr_l(ff, %zu)", l);
			run('E', a, &c, 0, (long)l);
		}
	}

	typed_setters('E', a, 0);

	/* From the buildable object: a shorter set. */
	for (int p = 0; p < NPAT; p += 2) {
		c = (struct call){ .how = S_ATTR, .value = pat[p] };
		snprintf(c.desc, sizeof(c.desc), "set_attr(%s)", pat_name[p]);
		run('B', a, &c, 0, 0);
	}
	{
		size_t lens[] = { 0, w ? w - 1 : 1, w ? w : 5, w + 8 };
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			c = (struct call){ .how = S_ATTR_L, .value = pat[4], .len = lens[i] };
			snprintf(c.desc, sizeof(c.desc), "set_attr_l(ipv4-tcp, %zu)", lens[i]);
			run('B', a, &c, 0, (long)lens[i]);
		}
	}
	typed_setters('B', a, 1);
}

int main(void)
{
	static char out[1 << 16];

	setvbuf(stdout, out, _IOFBF, sizeof(out));
	setenv("TZ", "UTC", 1);
	make_patterns();
	printf("== base\n");
	{
		struct nf_conntrack *b = base_new(), *f = filled_new();
		static struct text t;
		dump("base", b, -1);
		dump("filled", f, 5);
		for (int a = 0; a < CAPI_CT_NATTRS; a++) {
			attr_text(&t, f, a, -1);
			filled_text[a] = strdup(t.s);
			CHECK(filled_text[a] != NULL);
		}
		nfct_destroy(b);
		nfct_destroy(f);
	}
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		printf("== %d %s\n", a, capi_ct_attrs[a].name);
		sweep_attribute(a);
	}
	for (int a = 0; a < CAPI_CT_NATTRS; a++)
		free(filled_text[a]);
	return 0;
}
