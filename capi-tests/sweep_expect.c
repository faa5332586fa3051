/*
 * The expectation object sweep: every ATTR_EXP_* through nfexp_set_attr (five
 * byte patterns, and for the four tuples also real conntrack objects of every
 * shape) and nfexp_set_attr_u8/_u16/_u32 (three values each), then
 * everything done to the result, printed in one canonical form so that ours
 * and both references can be diffed.
 *
 * What the reference does with a tuple: nfexp_set_attr copies the first 52
 * bytes (its struct nfct_tuple_head: the original tuple, then the attribute
 * bitmap) from the struct nf_conntrack * it is given, and nfexp_get_attr
 * returns a pointer to that copy. So for arbitrary bytes the program prints
 * the 52 bytes the getter points to, and for a real conntrack whether they
 * are the first 52 bytes of that object; in both cases it prints the tuple as
 * the nfct_* getters read it: nfct_attr_is_set for every attribute (the
 * bitmap is in the copy) and the values of those stored in the tuple itself
 * (original addresses, ports, ICMP fields, protocol numbers, zone).
 *
 * After each setter: errno (a sentinel before the call: "keep" means
 * untouched), every attribute (is_set, nfexp_get_attr's value, the typed
 * getters no wider than the value), nfexp_clone and a memcpy of
 * nfexp_maxsize() bytes (printed as their differences from the object),
 * nfexp_cmp against the clone, an empty and a full expectation (both orders,
 * flags 0, MASK, STRICT, MASK|STRICT), nfexp_snprintf plain and XML, and the
 * attribute bytes nfexp_nlmsg_build appends to a fixed header. Each case
 * starts from an empty expectation ("E"); a shorter set from a full one
 * ("F").
 *
 * Kept out of the comparison because the reference's answer is undefined
 * there: typed setters narrower than the attribute (the reference copies the
 * attribute's width from the address of the setter's argument: the bytes
 * after it are the stack's) print only whether the attribute is set and the
 * first sizeof(value) bytes the getter points to; typed setters on the two
 * strings with a value without a NUL are left out (the reference's snprintf
 * reads the stack up to a NUL: valgrind reports it; sweep_ours.c has them);
 * typed getters wider than the attribute and typed getters on tuples that
 * come from a conntrack (they read the reference's private layout); the nfct_*
 * values of tuple attributes stored outside the tuple (the reference reads
 * them past the copy).
 */
#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"
#include "objects.h"
#include "sweep.h"

#define E(n) ((enum nf_expect_attr)(n))

/* The size of the reference's tuple copy (struct nfct_tuple_head). */
#define TUPLE_BYTES 52

enum kind { K_TUPLE, K_U16, K_U32, K_STR };

static const struct {
	const char *name;
	enum kind kind;
	size_t width; /* bytes; for strings the buffer */
} exp_attrs[ATTR_EXP_MAX] = {
	[ATTR_EXP_MASTER] = { "MASTER", K_TUPLE, TUPLE_BYTES },
	[ATTR_EXP_EXPECTED] = { "EXPECTED", K_TUPLE, TUPLE_BYTES },
	[ATTR_EXP_MASK] = { "MASK", K_TUPLE, TUPLE_BYTES },
	[ATTR_EXP_TIMEOUT] = { "TIMEOUT", K_U32, 4 },
	[ATTR_EXP_ZONE] = { "ZONE", K_U16, 2 },
	[ATTR_EXP_FLAGS] = { "FLAGS", K_U32, 4 },
	[ATTR_EXP_HELPER_NAME] = { "HELPER_NAME", K_STR, 16 },
	[ATTR_EXP_CLASS] = { "CLASS", K_U32, 4 },
	[ATTR_EXP_NAT_TUPLE] = { "NAT_TUPLE", K_TUPLE, TUPLE_BYTES },
	[ATTR_EXP_NAT_DIR] = { "NAT_DIR", K_U32, 4 },
	[ATTR_EXP_FN] = { "FN", K_STR, 24 },
};

/* Conntrack attributes whose values the reference keeps inside the tuple. */
static int in_tuple(int a)
{
	switch (a) {
	case ATTR_ORIG_IPV4_SRC:
	case ATTR_ORIG_IPV4_DST:
	case ATTR_ORIG_IPV6_SRC:
	case ATTR_ORIG_IPV6_DST:
	case ATTR_ORIG_PORT_SRC:
	case ATTR_ORIG_PORT_DST:
	case ATTR_ICMP_TYPE:
	case ATTR_ICMP_CODE:
	case ATTR_ICMP_ID:
	case ATTR_ORIG_L3PROTO:
	case ATTR_ORIG_L4PROTO:
	case ATTR_ORIG_ZONE:
		return 1;
	default:
		return 0;
	}
}

/* --- printing ------------------------------------------------------------ */

/* A tuple as the nfct_* getters see it. */
static void add_tuple(struct text *t, const struct nf_conntrack *h)
{
	add(t, "T{");
	for (int a = 0; a < CAPI_CT_NATTRS; a++) {
		int s = nfct_attr_is_set(h, A(a));
		if (s == 0)
			continue;
		if (s != 1) {
			add(t, " %d:is_set=%d", a, s);
		} else if (in_tuple(a)) {
			add(t, " %d=", a);
			add_value(t, h, a, -1);
		} else {
			add(t, " %d", a);
		}
	}
	add(t, " }");
}

/* The typed getters no wider than attribute `a`'s value, with errno. */
static void add_typed(struct text *t, const struct nf_expect *exp, int a)
{
	size_t w = exp_attrs[a].width;
	unsigned long v;
	int e;

	for (size_t s = 1; s <= 4 && s <= w; s *= 2) {
		errno = SENTINEL;
		v = s == 1 ? nfexp_get_attr_u8(exp, E(a))
		    : s == 2 ? nfexp_get_attr_u16(exp, E(a))
			     : nfexp_get_attr_u32(exp, E(a));
		e = errno;
		add(t, " u%zu=%lx", s * 8, v);
		if (e != SENTINEL)
			add(t, "(%s)", errs(e));
	}
}

/* Attribute `a` as text ("-" when unset). */
static void exp_text(struct text *t, const struct nf_expect *exp, int a)
{
	const void *p;
	int s, e;

	t->n = 0;
	t->s[0] = 0;
	errno = SENTINEL;
	s = nfexp_attr_is_set(exp, E(a));
	e = errno;
	if (s != 1) {
		if (s == 0)
			add(t, "-");
		else
			add(t, "is_set=%d", s);
		if (e != SENTINEL)
			add(t, "(%s)", errs(e));
		return;
	}
	errno = SENTINEL;
	p = nfexp_get_attr(exp, E(a));
	e = errno;
	if (p == NULL) {
		add(t, "NULL(%s)", errs(e));
		return;
	}
	switch (exp_attrs[a].kind) {
	case K_TUPLE:
		add_tuple(t, p);
		return;
	case K_STR:
		add_str(t, p, exp_attrs[a].width, 1);
		break;
	default:
		add_hex(t, p, exp_attrs[a].width);
		break;
	}
	if (e != SENTINEL)
		add(t, "(%s)", errs(e));
	add_typed(t, exp, a);
}

/* One line: the attributes of `exp` that differ from those of `than` (NULL:
 * an empty expectation). */
static void dump_vs(const char *label, const struct nf_expect *exp, const struct nf_expect *than)
{
	static struct text t, u;
	int any = 0;

	printf("  %s:", label);
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		exp_text(&t, exp, a);
		if (than)
			exp_text(&u, than, a);
		else
			strcpy(u.s, "-");
		if (strcmp(t.s, u.s) == 0)
			continue;
		any = 1;
		printf(" %d=%s", a, t.s);
	}
	printf("%s\n", any ? "" : than ? " same" : " -");
}

/* --- objects -------------------------------------------------------------- */

static struct nf_conntrack *tcp4(uint16_t sport)
{
	return capi_tuple(AF_INET, IPPROTO_TCP, "192.168.1.10", "10.0.0.21", sport, 21);
}

/* An expectation with every attribute set. */
static struct nf_expect *full_new(void)
{
	struct nf_expect *exp = nfexp_new();
	struct nf_conntrack *mask = capi_tuple(AF_INET, IPPROTO_TCP, "255.255.255.255",
					       "255.255.255.255", 0, 0xffff);

	CHECK(exp != NULL);
	capi_set_tuple(exp, ATTR_EXP_MASTER, tcp4(1025));
	capi_set_tuple(exp, ATTR_EXP_EXPECTED, tcp4(2000));
	capi_set_tuple(exp, ATTR_EXP_MASK, mask);
	capi_set_tuple(exp, ATTR_EXP_NAT_TUPLE, tcp4(3000));
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 60);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 7);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 3);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 1);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr(exp, ATTR_EXP_FN, "nat-follow-master");
	return exp;
}

#define NCTS 9
static const char *const ct_name[NCTS] = {
	"empty", "l3-only", "tcp4", "tcp4+zone", "udp6", "icmp4", "icmp6", "gre4-no-addr",
	"entry+meta",
};

/* Conntracks of every shape to take tuples from. */
static struct nf_conntrack *ct_new(int i)
{
	static const unsigned int bits[] = { 3, 100 };
	struct nf_conntrack *ct;

	switch (i) {
	case 0:
		return nfct_new();
	case 1:
		ct = nfct_new();
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
		return ct;
	case 2:
		return tcp4(40000);
	case 3:
		ct = tcp4(40001);
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 9);
		return ct;
	case 4:
		return capi_tuple(AF_INET6, IPPROTO_UDP, "2001:db8::1", "2001:db8:ffff::abcd",
				  40000, 69);
	case 5:
		return capi_tuple(AF_INET, IPPROTO_ICMP, "172.16.0.1", "172.16.0.2", 0x0800,
				  0x1234);
	case 6:
		return capi_tuple(AF_INET6, IPPROTO_ICMPV6, "fe80::1", "fe80::2", 0x8000, 7);
	case 7:
		return capi_tuple(AF_INET, IPPROTO_GRE, NULL, NULL, 1, 2);
	default:
		/* Attributes outside the tuple too: reply tuple, timeout, mark,
		 * status, labels. */
		ct = capi_udp_entry(5353);
		nfct_set_attr_u32(ct, ATTR_MARK, 0xabcdef);
		nfct_set_attr_u32(ct, ATTR_STATUS, 8);
		nfct_set_attr(ct, ATTR_CONNLABELS, bitmask(127, bits, 2));
		return ct;
	}
}

/* --- what is done to each resulting object ------------------------------ */

static void show_cmp(const char *label, const struct nf_expect *a, const struct nf_expect *b)
{
	static const unsigned int flags[] = {
		0, NFCT_CMP_MASK, NFCT_CMP_STRICT, NFCT_CMP_MASK | NFCT_CMP_STRICT,
	};

	printf(" %s:", label);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		printf("%d", nfexp_cmp(a, b, flags[i]));
	printf("/");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		printf("%d", nfexp_cmp(b, a, flags[i]));
}

static void show_print(const struct nf_expect *exp)
{
	static const struct {
		unsigned int type, out, flags;
		const char *name;
	} how[] = {
		{ NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0, "plain" },
		{ NFCT_T_NEW, NFCT_O_DEFAULT, NFCT_OF_SHOW_LAYER3, "plain+new,l3" },
		{ NFCT_T_UNKNOWN, NFCT_O_XML, 0, "xml" },
		{ NFCT_T_DESTROY, NFCT_O_XML, NFCT_OF_SHOW_LAYER3, "xml+destroy,l3" },
	};
	char buf[4096];

	for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		int r, e;
		errno = SENTINEL;
		r = nfexp_snprintf(buf, sizeof(buf), exp, how[i].type, how[i].out, how[i].flags);
		e = errno;
		show_printed(how[i].name, r, e, buf, sizeof(buf));
	}
}

static void show_build(const struct nf_expect *exp)
{
	static unsigned char buf[MSG_SIZE];
	/* ctnetlink_exp, IPCTNL_MSG_EXP_NEW */
	struct nlmsghdr *nlh = request_header(buf, (2 << 8) | 0);
	int r, e;

	errno = SENTINEL;
	r = nfexp_nlmsg_build(nlh, exp);
	e = errno;
	show_built(r, e, buf);
}

static void analyse(const struct nf_expect *exp)
{
	struct nf_expect *empty = nfexp_new(), *full = full_new(), *clone, *copy;

	dump_vs("obj", exp, NULL);
	errno = SENTINEL;
	clone = nfexp_clone(exp);
	CHECK(clone != NULL);
	{
		char label[64];
		snprintf(label, sizeof(label), "clone errno=%s", errs(errno));
		dump_vs(label, clone, exp);
	}
	copy = nfexp_new();
	CHECK(copy != NULL);
	memcpy(copy, exp, nfexp_maxsize());
	dump_vs("memcpy", copy, exp);

	printf("  cmp");
	show_cmp("clone", exp, clone);
	show_cmp("memcpy", exp, copy);
	show_cmp("empty", exp, empty);
	show_cmp("full", exp, full);
	printf("\n");
	show_print(exp);
	show_build(exp);
	nfexp_destroy(clone);
	nfexp_destroy(copy);
	nfexp_destroy(empty);
	nfexp_destroy(full);
}

/* --- setters -------------------------------------------------------------- */

static void destroy(struct nf_expect *exp)
{
	errno = SENTINEL;
	nfexp_destroy(exp);
	if (errno != SENTINEL)
		printf("  destroy errno=%s\n", errs(errno));
}

static struct nf_expect *start_new(char start)
{
	struct nf_expect *exp = start == 'E' ? nfexp_new() : full_new();
	CHECK(exp != NULL);
	return exp;
}

/* nfexp_set_attr with `value`; `given` says what it is. For a tuple, also
 * the bytes the getter points to: hex for arbitrary bytes, or whether they
 * are the conntrack's first bytes. */
static void run_set(char start, int a, const void *value, const char *given, int is_ct)
{
	struct nf_expect *exp = start_new(start);
	const unsigned char *p;
	int e;

	errno = SENTINEL;
	nfexp_set_attr(exp, E(a), value);
	e = errno;
	printf("%c %d %s set_attr(%s): errno=%s\n", start, a, exp_attrs[a].name, given, errs(e));
	if (exp_attrs[a].kind == K_TUPLE) {
		p = nfexp_get_attr(exp, E(a));
		printf("  tuple bytes:");
		if (p == NULL) {
			printf(" NULL");
		} else if (is_ct) {
			printf(" the conntrack's first %d: %s", TUPLE_BYTES,
			       memcmp(p, value, TUPLE_BYTES) == 0 ? "yes" : "no");
		} else {
			static struct text t;
			t.n = 0;
			t.s[0] = 0;
			add_hex(&t, p, TUPLE_BYTES);
			add(&t, " typed:");
			add_typed(&t, exp, a);
			printf(" %s", t.s);
		}
		printf("\n");
	}
	analyse(exp);
	destroy(exp);
}

static const uint32_t typed_values[3][5] = {
	{ 0, 0xff, 0x5a },
	{ 0, 0xffff, 0x1234, 0x0061 },
	{ 0, 0xffffffff, 0x0a0b0c0d, 0x00636261, 0x00000078 },
};
static const int typed_count[3] = { 3, 4, 5 };

/* Whether the `size` bytes of `v` (host order) hold a NUL. */
static int has_nul(uint32_t v, size_t size)
{
	for (size_t i = 0; i < size; i++, v >>= 8)
		if ((v & 0xff) == 0)
			return 1;
	return 0;
}

static void run_typed(char start, int a, int s, uint32_t v)
{
	struct nf_expect *exp = start_new(start);
	size_t size = (size_t)1 << s;
	int narrow, e;

	/* A string without a NUL: the reference reads the stack up to one. */
	if (exp_attrs[a].kind == K_STR && !has_nul(v, size)) {
		nfexp_destroy(exp);
		return;
	}
	narrow = exp_attrs[a].kind != K_STR && size < exp_attrs[a].width;
	errno = SENTINEL;
	exp_set_typed(exp, a, size, v);
	e = errno;
	printf("%c %d %s set_attr_u%zu(0x%x): errno=%s\n", start, a, exp_attrs[a].name, size * 8,
	       v, errs(e));
	if (narrow) {
		const unsigned char *p = nfexp_get_attr(exp, E(a));
		printf("  narrow: is_set=%d first=", nfexp_attr_is_set(exp, E(a)));
		if (p)
			put_hex(p, size);
		else
			printf("NULL");
		printf("\n");
	} else {
		analyse(exp);
	}
	destroy(exp);
}

static void sweep_attribute(int a)
{
	for (int p = 0; p < NPAT; p++)
		run_set('E', a, pat[p], pat_name[p], 0);
	if (exp_attrs[a].kind == K_TUPLE) {
		for (int i = 0; i < NCTS; i++) {
			struct nf_conntrack *ct = ct_new(i);
			CHECK(ct != NULL);
			run_set('E', a, ct, ct_name[i], 1);
			run_set('F', a, ct, ct_name[i], 1);
			nfct_destroy(ct);
		}
	}
	for (int s = 0; s < 3; s++)
		for (int i = 0; i < typed_count[s]; i++)
			run_typed('E', a, s, typed_values[s][i]);
	for (int p = 0; p < NPAT; p += 2)
		run_set('F', a, pat[p], pat_name[p], 0);
	run_typed('F', a, 2, typed_values[2][2]);
}

int main(void)
{
	static char out[1 << 16];

	setvbuf(stdout, out, _IOFBF, sizeof(out));
	make_patterns();
	printf("== empty and full\n");
	{
		struct nf_expect *e = nfexp_new(), *f = full_new();
		analyse(e);
		analyse(f);
		destroy(e);
		destroy(f);
	}
	for (int a = 0; a < ATTR_EXP_MAX; a++) {
		printf("== %d %s\n", a, exp_attrs[a].name);
		sweep_attribute(a);
	}
	return 0;
}
