/*
 * Helpers shared by the sweep programs (sweep_conntrack.c, sweep_expect.c,
 * sweep_ours.c): the value patterns the setters are given, errno around a
 * call, and a small text builder that renders conntrack attribute values in
 * one canonical form. Include after common.h with CAPI_CT_HELPERS defined.
 */
#ifndef CAPI_SWEEP_H
#define CAPI_SWEEP_H

#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdarg.h>

#define A(n) ((enum nf_conntrack_attr)(n))

/* errno before every call whose errno is printed: "keep" after it means the
 * call left errno alone. */
#define SENTINEL 4242

static inline const char *errs(int e)
{
	if (e == SENTINEL)
		return "keep";
	if (e == 0)
		return "0";
	return strerror(e);
}

/* --- values ------------------------------------------------------------ */

#define VLEN 256
#define NPAT 5
/* One spare byte, always 0, ends every pattern as a string. */
static unsigned char pat[NPAT][VLEN + 1];
static const char *const pat_name[NPAT] = {
	"zero", "ff", "early-nul", "no-nul", "ipv4-tcp",
};

static inline void make_patterns(void)
{
	uint32_t x = 0x2545f491;

	for (int p = 0; p < NPAT; p++) {
		for (int i = 0; i < VLEN; i++) {
			x = x * 1103515245u + 12345u;
			unsigned char b = (unsigned char)(x >> 16);
			switch (p) {
			case 0:
				b = 0;
				break;
			case 1:
				b = 0xff;
				break;
			case 2:
				if (i == 2)
					b = 0;
				break;
			default:
				if (b == 0)
					b = 0x5a;
				break;
			}
			pat[p][i] = b;
		}
		pat[p][VLEN] = 0;
	}
	/* Pattern 4: a family, a layer-4 protocol, an address. */
	pat[4][0] = AF_INET;
	pat[4][1] = IPPROTO_TCP;
}

/* --- printing an object ------------------------------------------------- */

/* A bounded string builder: values are built as text, then compared. */
struct text {
	char s[8192];
	size_t n;
};

static inline void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (t->n >= sizeof(t->s))
		return;
	va_start(ap, fmt);
	r = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	if (r > 0)
		t->n += (size_t)r;
}

/* A string's bytes: printable ones as they are, others (and the quote, when
 * `quoted`) as \xHH; between quotes when `quoted`. */
static inline void add_str(struct text *t, const char *s, size_t max, int quoted)
{
	if (quoted)
		add(t, "\"");
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && !(quoted && c == '"'))
			add(t, "%c", c);
		else
			add(t, "\\x%02x", c);
	}
	if (quoted)
		add(t, "\"");
}

static inline void add_hex(struct text *t, const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		add(t, "%02x", b[i]);
}

/*
 * The value of set attribute `a`: hex of its width, a string, a bitmask's
 * bits, or helper info's first `hi_len` bytes (hi_len < 0: only whether the
 * pointer is NULL).
 */
static inline void add_value(struct text *t, const struct nf_conntrack *ct, int a, long hi_len)
{
	const struct capi_ct_attr *d = &capi_ct_attrs[a];
	const void *p;
	int e;

	errno = 0;
	p = nfct_get_attr(ct, A(a));
	e = errno;
	if (p == NULL) {
		add(t, "NULL(%s)", errs(e));
		return;
	}
	switch (d->kind) {
	case CAPI_STR:
		add_str(t, p, NFCT_HELPER_NAME_MAX, 1);
		break;
	case CAPI_SECCTX:
		add_str(t, p, 4096, 1);
		break;
	case CAPI_HELPINFO:
		if (hi_len < 0) {
			add(t, "ptr");
		} else {
			add(t, "[%ld]", hi_len);
			add_hex(t, p, (size_t)hi_len);
		}
		break;
	case CAPI_LABELS: {
		const struct nfct_bitmask *b = p;
		unsigned int max = nfct_bitmask_maxbit(b);
		add(t, "bm%u{", max);
		for (unsigned int i = 0; i <= max; i++)
			if (nfct_bitmask_test_bit(b, i))
				add(t, "%u,", i);
		add(t, "}");
		break;
	}
	default:
		add_hex(t, p, capi_kind_width(d->kind));
	}
}

/* Attribute `a` of `ct` as text: "-" when unset. */
static inline void attr_text(struct text *t, const struct nf_conntrack *ct, int a, long hi_len)
{
	int s = nfct_attr_is_set(ct, A(a));

	t->n = 0;
	t->s[0] = 0;
	if (s == 0)
		add(t, "-");
	else if (s != 1)
		add(t, "is_set=%d", s);
	else
		add_value(t, ct, a, hi_len);
}

/* Prints a string's bytes, unquoted, non-printable ones as \xHH. */
static inline void put_str(const char *s, size_t max)
{
	static struct text t;
	t.n = 0;
	t.s[0] = 0;
	add_str(&t, s, max, 0);
	fputs(t.s, stdout);
}

/* Prints bytes as hex. */
static inline void put_hex(const void *p, size_t len)
{
	static struct text t;
	t.n = 0;
	t.s[0] = 0;
	add_hex(&t, p, len);
	fputs(t.s, stdout);
}

/* The typed setter of width `size` (1, 2, 4, 8) on conntrack attribute `a`. */
static inline void ct_set_typed(struct nf_conntrack *ct, int a, size_t size, uint64_t v)
{
	switch (size) {
	case 1:
		nfct_set_attr_u8(ct, A(a), (uint8_t)v);
		break;
	case 2:
		nfct_set_attr_u16(ct, A(a), (uint16_t)v);
		break;
	case 4:
		nfct_set_attr_u32(ct, A(a), (uint32_t)v);
		break;
	default:
		nfct_set_attr_u64(ct, A(a), v);
		break;
	}
}

/* The typed setter of width `size` (1, 2, 4) on expectation attribute `a`. */
static inline void exp_set_typed(struct nf_expect *exp, int a, size_t size, uint32_t v)
{
	enum nf_expect_attr t = (enum nf_expect_attr)a;

	if (size == 1)
		nfexp_set_attr_u8(exp, t, (uint8_t)v);
	else if (size == 2)
		nfexp_set_attr_u16(exp, t, (uint16_t)v);
	else
		nfexp_set_attr_u32(exp, t, v);
}

/* The size of the message buffers the builders append to. */
#define MSG_SIZE 8192

/* Clears `buf` (MSG_SIZE bytes) and writes a request header of `type` with
 * an AF_INET nfgenmsg, for a builder to append its attributes to. */
static inline struct nlmsghdr *request_header(unsigned char *buf, uint16_t type)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	memset(buf, 0, MSG_SIZE);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE;
	buf[NLMSG_HDRLEN] = AF_INET;
	return nlh;
}

/* One line: a builder's return value, the errno it left, the message length
 * and the attribute bytes after the header. */
static inline void show_built(int r, int e, const unsigned char *buf)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

	printf("  build=%d errno=%s len=%u ", r, errs(e), nlh->nlmsg_len);
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + 4 && nlh->nlmsg_len <= MSG_SIZE)
		put_hex(buf + NLMSG_HDRLEN + 4, nlh->nlmsg_len - NLMSG_HDRLEN - 4);
	printf("\n");
}

/* One line: what an snprintf-like printer returned, the errno it left when
 * not the sentinel, and the text when it succeeded. */
static inline void show_printed(const char *name, int r, int e, const char *buf, size_t size)
{
	printf("  %s=%d", name, r);
	if (e != SENTINEL)
		printf(" errno=%s", errs(e));
	if (r >= 0) {
		printf(" ");
		put_str(buf, size);
	}
	printf("\n");
}

/* A new bitmask of `max` + 1 bits with `bits` set. */
static inline struct nfct_bitmask *bitmask(unsigned int max, const unsigned int *bits, int n)
{
	struct nfct_bitmask *b = nfct_bitmask_new(max);
	CHECK(b != NULL);
	for (int i = 0; i < n; i++)
		nfct_bitmask_set_bit(b, bits[i]);
	return b;
}

#endif
