/*
 * Queries from incomplete objects against the real kernel: the driver of
 * tests/incomplete/run, which runs it once per library (ours, 1.1.0,
 * 1.0.9), each time in a fresh network namespace, and diffs the outputs.
 *
 * For every shape of object and every query it
 *   1. puts the table in its start state (through raw netlink, never
 *      through the library under test),
 *   2. sends the query through the library (nfct_query / nfexp_query, and
 *      nfct_send + nfct_catch for the shapes with one direction empty),
 *   3. prints the return value, errno when it failed, what a callback got,
 *      and the table afterwards (dumped through raw netlink: "=" when it is
 *      still the start state).
 *
 * Conntrack shapes: every subset of {l3proto, src, dst, l4proto, sport,
 * dport} of the original tuple times every subset of the reply tuple's
 * (4096), each with a timeout and a mark, on a table holding the entry
 * they describe (create, update, destroy, get, create-or-update) and on an
 * empty table (create, create-or-update).
 *
 * Expectation shapes: every subset of the master tuple's attributes times
 * every subset of the expected tuple's, with a full mask and a timeout, on
 * a table holding the master entry (with the tftp helper) and the
 * expectation they describe (create, create-or-update, get, destroy).
 *
 *   driver ct | exp   [STEP]
 *
 * STEP (default 1) runs every STEP-th shape only, besides those with one
 * direction empty or both the same (a quick check). The library the
 * driver runs on is named on stderr ("library: PATH") for the runner to
 * check.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "../../capi-tests/shapes.h"

/* ---- raw netlink: the table's start state and its dump ------------------ */

static int nl_fd;
static uint32_t nl_seq = 1;

struct req {
	union {
		struct nlmsghdr nlh;
		char buf[1024];
	};
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void req_init(struct req *r, uint8_t subsys, uint8_t type, uint16_t flags, uint8_t family)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
	r->nlh.nlmsg_type = (uint16_t)(subsys << 8 | type);
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh.nlmsg_seq = ++nl_seq;
	struct nfgenmsg *g = NLMSG_DATA(&r->nlh);
	g->nfgen_family = family;
}

static struct nlattr *put(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh.nlmsg_len));
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static struct nlattr *nest(struct req *r, uint16_t type)
{
	return put(r, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct req *r, struct nlattr *a)
{
	a->nla_len = (uint16_t)(r->buf + r->nlh.nlmsg_len - (char *)a);
}

static void put_u8(struct req *r, uint16_t t, uint8_t v) { put(r, t, &v, 1); }
static void put_be16(struct req *r, uint16_t t, uint16_t v) { v = htons(v); put(r, t, &v, 2); }
static void put_be32(struct req *r, uint16_t t, uint32_t v) { v = htonl(v); put(r, t, &v, 4); }

/* An IPv4 tuple nest of type `type`: protocol `proto` (UDP, or 0 without
 * ports). */
static void put_tuple_proto(struct req *r, uint16_t type, uint32_t src, uint32_t dst,
			    uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = nest(r, type), *n = nest(r, CTA_TUPLE_IP);
	src = htonl(src);
	dst = htonl(dst);
	put(r, CTA_IP_V4_SRC, &src, 4);
	put(r, CTA_IP_V4_DST, &dst, 4);
	nest_end(r, n);
	n = nest(r, CTA_TUPLE_PROTO);
	put_u8(r, CTA_PROTO_NUM, proto);
	if (proto == IPPROTO_UDP) {
		put_be16(r, CTA_PROTO_SRC_PORT, sport);
		put_be16(r, CTA_PROTO_DST_PORT, dport);
	}
	nest_end(r, n);
	nest_end(r, t);
}

/* A UDP tuple nest of type `type`. */
static void put_tuple(struct req *r, uint16_t type, uint32_t src, uint32_t dst,
		      uint16_t sport, uint16_t dport)
{
	put_tuple_proto(r, type, src, dst, IPPROTO_UDP, sport, dport);
}

typedef void (*msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Sends `r` and reads its replies: 0, or the kernel's errno. */
static int talk(struct req *r, msg_cb cb, void *data)
{
	static char buf[65536] __attribute__((aligned(8)));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(nl_fd, r->buf, r->nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		die("sendto");
	for (;;) {
		int n = (int)recv(nl_fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (cb)
				cb(h, data);
		}
	}
}

/* The attributes in `len` bytes at `p`, by type (the last of each). */
static void attrs(const void *p, size_t len, const struct nlattr **tb, int max)
{
	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	const struct nlattr *a = p;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int t = a->nla_type & NLA_TYPE_MASK;
		if (t <= max)
			tb[t] = a;
		size_t step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			break;
		len -= step;
		a = (const struct nlattr *)((const char *)a + step);
	}
}

static const void *payload(const struct nlattr *a) { return (const char *)a + NLA_HDRLEN; }
static size_t plen(const struct nlattr *a) { return a->nla_len - NLA_HDRLEN; }

/* Appends tuple nest `a` to `out` as text. */
static void tuple_text(const struct nlattr *a, char *out, size_t size)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1], *ip[CTA_IP_MAX + 1], *pr[CTA_PROTO_MAX + 1];
	char s[INET6_ADDRSTRLEN] = "?", d[INET6_ADDRSTRLEN] = "?";
	unsigned num = 999, sp = 0, dp = 0;
	if (!a) {
		snprintf(out + strlen(out), size - strlen(out), "-");
		return;
	}
	attrs(payload(a), plen(a), tb, CTA_TUPLE_MAX);
	if (tb[CTA_TUPLE_IP]) {
		attrs(payload(tb[CTA_TUPLE_IP]), plen(tb[CTA_TUPLE_IP]), ip, CTA_IP_MAX);
		if (ip[CTA_IP_V4_SRC])
			inet_ntop(AF_INET, payload(ip[CTA_IP_V4_SRC]), s, sizeof(s));
		if (ip[CTA_IP_V4_DST])
			inet_ntop(AF_INET, payload(ip[CTA_IP_V4_DST]), d, sizeof(d));
	}
	if (tb[CTA_TUPLE_PROTO]) {
		attrs(payload(tb[CTA_TUPLE_PROTO]), plen(tb[CTA_TUPLE_PROTO]), pr, CTA_PROTO_MAX);
		if (pr[CTA_PROTO_NUM])
			num = *(const uint8_t *)payload(pr[CTA_PROTO_NUM]);
		if (pr[CTA_PROTO_SRC_PORT])
			sp = ntohs(*(const uint16_t *)payload(pr[CTA_PROTO_SRC_PORT]));
		if (pr[CTA_PROTO_DST_PORT])
			dp = ntohs(*(const uint16_t *)payload(pr[CTA_PROTO_DST_PORT]));
	}
	snprintf(out + strlen(out), size - strlen(out), "%u %s:%u>%s:%u", num, s, sp, d, dp);
}

static uint32_t be32(const struct nlattr *a)
{
	return a ? ntohl(*(const uint32_t *)payload(a)) : 0;
}

struct table {
	char lines[64][256];
	int n;
};

/* A new, empty line of `t` for the message `nlh`, whose attributes up to
 * type `max` are put in `tb`; NULL when `t` is full. */
static char *new_line(struct table *t, const struct nlmsghdr *nlh, const struct nlattr **tb,
		      int max)
{
	if (t->n == 64)
		return NULL;
	attrs((const char *)NLMSG_DATA(nlh) + sizeof(struct nfgenmsg),
	      nlh->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg)), tb, max);
	char *l = t->lines[t->n++];
	l[0] = 0;
	return l;
}

static void ct_line(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTA_MAX + 1];
	char *l = new_line(data, nlh, tb, CTA_MAX);
	if (!l)
		return;
	tuple_text(tb[CTA_TUPLE_ORIG], l, 256);
	strcat(l, " | ");
	tuple_text(tb[CTA_TUPLE_REPLY], l, 256);
	snprintf(l + strlen(l), 256 - strlen(l), " mark=%u timeout=%s", be32(tb[CTA_MARK]),
		 be32(tb[CTA_TIMEOUT]) > 1000 ? "long" : "short");
}

static void exp_line(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];
	char *l = new_line(data, nlh, tb, CTA_EXPECT_MAX);
	if (!l)
		return;
	tuple_text(tb[CTA_EXPECT_TUPLE], l, 256);
	strcat(l, " master ");
	tuple_text(tb[CTA_EXPECT_MASTER], l, 256);
	snprintf(l + strlen(l), 256 - strlen(l), " timeout=%s",
		 be32(tb[CTA_EXPECT_TIMEOUT]) > 1000 ? "long" : "short");
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The entry every shape describes: UDP 10.0.0.1:1000 -> 10.0.0.2:69 (the
 * tftp port, so that the master of the expectations can have the tftp
 * helper), and the expectation 10.0.0.2:0 -> 10.0.0.1:2000 of that master. */
#define A_SRC 0x0a000001
#define A_DST 0x0a000002
#define A_SPORT 1000
#define A_DPORT 69
#define E_DPORT 2000

/* Sends a request that must be acknowledged. */
static void must(struct req *r, const char *what)
{
	int e = talk(r, NULL, NULL);
	if (e) {
		errno = e;
		die(what);
	}
}

/* Flushes the table (a walk over the machine's whole hash table: slow, so
 * only done when something unexpected is in it). */
static void flush(void)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC);
	must(&r, "expectation flush");
	req_init(&r, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, AF_UNSPEC);
	must(&r, "conntrack flush");
}

static void flush_expectations(void)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC);
	must(&r, "expectation flush");
}

/* The original tuple a shape's request carries (what an entry it creates
 * has): the shape's values, zero where it has none. */
static void put_shape_tuple(struct req *r, int shape)
{
	put_tuple_proto(r, CTA_TUPLE_ORIG, shape & SRC ? A_SRC : 0, shape & DST ? A_DST : 0,
			shape & L4 ? IPPROTO_UDP : 0, shape & SPORT ? A_SPORT : 0,
			shape & DPORT ? A_DPORT : 0);
}

static void delete_entry(int shape)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, AF_INET);
	put_shape_tuple(&r, shape);
	must(&r, "delete an entry");
}

static void create_entry(int with_helper)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW,
		 NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, AF_INET);
	put_tuple(&r, CTA_TUPLE_ORIG, A_SRC, A_DST, A_SPORT, A_DPORT);
	put_tuple(&r, CTA_TUPLE_REPLY, A_DST, A_SRC, A_DPORT, A_SPORT);
	put_be32(&r, CTA_TIMEOUT, 500);
	if (with_helper) {
		struct nlattr *h = nest(&r, CTA_HELP);
		put(&r, CTA_HELP_NAME, "tftp", 5);
		nest_end(&r, h);
	}
	/* Right after a flush the old entry may still be dying: retry. */
	for (int i = 0;; i++) {
		r.nlh.nlmsg_seq = ++nl_seq;
		int e = talk(&r, NULL, NULL);
		if (e == 0)
			return;
		if (e != EEXIST || i == 100) {
			errno = e;
			die("create the start entry");
		}
		usleep(10000);
	}
}

static void create_expectation(void)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW,
		 NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, AF_INET);
	put_tuple(&r, CTA_EXPECT_TUPLE, A_DST, A_SRC, 0, E_DPORT);
	put_tuple(&r, CTA_EXPECT_MASK, 0xffffffff, 0xffffffff, 0, 0xffff);
	put_tuple(&r, CTA_EXPECT_MASTER, A_SRC, A_DST, A_SPORT, A_DPORT);
	put_be32(&r, CTA_EXPECT_TIMEOUT, 500);
	must(&r, "create the start expectation");
}

enum start { EMPTY, ENTRY, EXPECTATION };

/* Entries in this namespace, as the kernel counts them (it may still count
 * one that is being freed: never fewer than there are). */
static unsigned ct_count(void)
{
	static int fd = -1;
	char buf[32];
	if (fd < 0)
		fd = open("/proc/sys/net/netfilter/nf_conntrack_count", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		die("nf_conntrack_count");
	buf[n] = 0;
	return (unsigned)strtoul(buf, NULL, 10);
}

/* Whether expectations are part of the table (not for conntracks: no
 * query there can make one). */
static int with_expectations;

/* What the last look at the table found. */
static struct {
	int start_entry;   /* the start entry is there */
	int candidate;     /* the entry the last shape could create is there */
	int unexpected;    /* entries that neither are */
	char text[4096];   /* all of it */
} seen;

/* Looks up the entry whose original tuple `shape` describes; appends it to
 * `t`. */
static int get_entry(int shape, struct table *t)
{
	struct req r;
	req_init(&r, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, NLM_F_ACK, AF_INET);
	put_shape_tuple(&r, shape);
	int n = t->n, err = talk(&r, ct_line, t);
	if (err && err != ENOENT) {
		errno = err;
		die("get an entry");
	}
	return t->n > n;
}

/* Looks at the table: the start entry and the entry that a query of shape
 * `shape` could have created (by their tuples), every other entry when the
 * kernel's count says there is one (a dump walks the machine's whole hash
 * table, about 10 ms), and the expectations (few: always dumped). */
static void look(int shape)
{
	struct req r;
	struct table found = { .n = 0 }, all = { .n = 0 }, e = { .n = 0 };
	seen.start_entry = get_entry(ALL, &found);
	seen.candidate = shape != ALL && (shape & L3) && get_entry(shape, &found);
	seen.unexpected = ct_count() > (unsigned)found.n;
	if (seen.unexpected) {
		req_init(&r, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC);
		if (talk(&r, ct_line, &all))
			die("conntrack dump");
		seen.unexpected = all.n > found.n;
		found = all;
	}
	qsort(found.lines, (size_t)found.n, sizeof(found.lines[0]), cmp_line);
	size_t len = 0, size = sizeof(seen.text);
	seen.text[0] = 0;
	for (int i = 0; i < found.n; i++)
		len += (size_t)snprintf(seen.text + len, size - len, "[%s] ", found.lines[i]);
	if (with_expectations) {
		req_init(&r, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, AF_UNSPEC);
		if (talk(&r, exp_line, &e))
			die("expectation dump");
		qsort(e.lines, (size_t)e.n, sizeof(e.lines[0]), cmp_line);
		for (int i = 0; i < e.n; i++)
			len += (size_t)snprintf(seen.text + len, size - len, "[expect %s] ",
						e.lines[i]);
	}
	if (len)
		seen.text[len - 1] = 0;
	else
		snprintf(seen.text, size, "(empty)");
}

static char start_tables[3][sizeof(seen.text)];

/* The start state the table was last seen in, or -1; the shape of the
 * last query. */
static int seen_in = -1, last_shape = ALL;

/* Puts the table in start state `s`, undoing what the last query did. */
static void reset(enum start s)
{
	if (seen_in == (int)s)
		return;
	look(last_shape);
	if (seen.unexpected) {
		flush();
		seen.start_entry = seen.candidate = 0;
	}
	if (seen.candidate)
		delete_entry(last_shape);
	if (seen.start_entry)
		delete_entry(ALL);
	if (s != EMPTY)
		create_entry(s == EXPECTATION);
	if (s == EXPECTATION) {
		flush_expectations();
		create_expectation();
	}
	look(ALL);
	if (strcmp(seen.text, start_tables[s])) {
		fprintf(stderr, "reset to start %d failed: %s\n", s, seen.text);
		exit(2);
	}
	seen_in = (int)s;
}

/* Prints the table after a query of shape `shape`: "=" when it is still in
 * start state `s`. */
static void show_table(enum start s, int shape)
{
	look(shape);
	last_shape = shape;
	int same = !strcmp(seen.text, start_tables[s]);
	printf(" table %s\n", same ? "=" : seen.text);
	seen_in = same ? (int)s : -1;
}

/* ---- the objects ---------------------------------------------------------- */

static struct nf_conntrack *shaped_ct(int orig, int repl)
{
	struct nf_conntrack *ct = nfct_new();
	if (!ct)
		die("nfct_new");
	set_dir(ct, &orig_attrs, orig, A_SRC, A_DST, A_SPORT, A_DPORT);
	set_dir(ct, &repl_attrs, repl, A_DST, A_SRC, A_DPORT, A_SPORT);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 3000);
	nfct_set_attr_u32(ct, ATTR_MARK, 42);
	return ct;
}

static struct nf_expect *shaped_exp(int master, int expected)
{
	struct nf_conntrack *m = nfct_new(), *e = nfct_new(), *mask = nfct_new();
	struct nf_expect *exp = nfexp_new();
	if (!m || !e || !mask || !exp)
		die("nfct_new");
	set_dir(m, &orig_attrs, master, A_SRC, A_DST, A_SPORT, A_DPORT);
	set_dir(e, &orig_attrs, expected, A_DST, A_SRC, 0, E_DPORT);
	set_dir(mask, &orig_attrs, ALL, 0xffffffff, 0xffffffff, 0, 0xffff);
	nfexp_set_attr(exp, ATTR_EXP_MASTER, m);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, e);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 3000);
	nfct_destroy(m);
	nfct_destroy(e);
	nfct_destroy(mask);
	return exp;
}

/* ---- the queries ---------------------------------------------------------- */

static int got;      /* objects the callback got */
static uint32_t got_mark;

static int ct_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	(void)data;
	got++;
	got_mark = nfct_get_attr_u32(ct, ATTR_MARK);
	return NFCT_CB_CONTINUE;
}

static int exp_cb(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	(void)type;
	(void)data;
	got++;
	got_mark = nfexp_get_attr_u32(exp, ATTR_EXP_TIMEOUT) / 1000;
	return NFCT_CB_CONTINUE;
}

static void show_ret(const char *what, int ret, int err)
{
	printf(" %s=%d", what, ret);
	if (ret < 0)
		printf(" errno=%s", strerrorname_np(err) ? strerrorname_np(err) : "?");
}

static const struct {
	const char *name;
	enum nf_conntrack_query q;
	enum start start;
} ct_cases[] = {
	{ "create", NFCT_Q_CREATE, ENTRY },
	{ "update", NFCT_Q_UPDATE, ENTRY },
	{ "destroy", NFCT_Q_DESTROY, ENTRY },
	{ "get", NFCT_Q_GET, ENTRY },
	{ "create_update", NFCT_Q_CREATE_UPDATE, ENTRY },
	{ "create@empty", NFCT_Q_CREATE, EMPTY },
	{ "create_update@empty", NFCT_Q_CREATE_UPDATE, EMPTY },
};

static void conntracks(struct nfct_handle *h, int step)
{
	int n = 0;
	for (int o = 0; o <= ALL; o++)
		for (int r = 0; r <= ALL; r++) {
			int one_dir = o == 0 || r == 0 || o == r;
			if (n++ % step && !one_dir)
				continue;
			struct nf_conntrack *ct = shaped_ct(o, r);
			for (size_t c = 0; c < sizeof(ct_cases) / sizeof(ct_cases[0]); c++) {
				enum start s = ct_cases[c].start;
				reset(s);
				printf("ct %02x %02x %s:", o, r, ct_cases[c].name);
				got = 0;
				got_mark = 0;
				errno = 0;
				int ret = nfct_query(h, ct_cases[c].q, ct);
				show_ret("query", ret, errno);
				if (got)
					printf(" got=%d mark=%u", got, got_mark);
				show_table(s, o);
				if (!one_dir || s != ENTRY)
					continue;
				/* The same through nfct_send and nfct_catch. */
				reset(s);
				printf("ct %02x %02x %s (send):", o, r, ct_cases[c].name);
				got = 0;
				errno = 0;
				ret = nfct_send(h, ct_cases[c].q, ct);
				show_ret("send", ret > 0 ? 1 : ret, errno);
				if (ret > 0) {
					errno = 0;
					ret = nfct_catch(h);
					show_ret("catch", ret, errno);
				}
				if (got)
					printf(" got=%d mark=%u", got, got_mark);
				show_table(s, o);
			}
			nfct_destroy(ct);
		}
}

static const struct named_query exp_cases[] = {
	{ "create", NFCT_Q_CREATE },
	{ "create_update", NFCT_Q_CREATE_UPDATE },
	{ "get", NFCT_Q_GET },
	{ "destroy", NFCT_Q_DESTROY },
};

static void expectations(struct nfct_handle *h, int step)
{
	int n = 0;
	for (int m = 0; m <= ALL; m++)
		for (int e = 0; e <= ALL; e++) {
			int one_dir = m == 0 || e == 0 || m == e;
			if (n++ % step && !one_dir)
				continue;
			struct nf_expect *exp = shaped_exp(m, e);
			for (size_t c = 0; c < sizeof(exp_cases) / sizeof(exp_cases[0]); c++) {
				reset(EXPECTATION);
				printf("exp %02x %02x %s:", m, e, exp_cases[c].name);
				got = 0;
				got_mark = 0;
				errno = 0;
				int ret = nfexp_query(h, exp_cases[c].q, exp);
				show_ret("query", ret, errno);
				if (got)
					printf(" got=%d t/1000=%u", got, got_mark);
				show_table(EXPECTATION, ALL);
			}
			nfexp_destroy(exp);
		}
}

int main(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "ct") && strcmp(argv[1], "exp"))) {
		fprintf(stderr, "usage: %s ct|exp [STEP]\n", argv[0]);
		return 2;
	}
	int step = argc > 2 ? atoi(argv[2]) : 1;
	if (step < 1)
		step = 1;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	nl_fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	if (nl_fd < 0 || bind(nl_fd, (struct sockaddr *)&local, sizeof(local)) < 0)
		die("netlink socket");

	Dl_info info;
	if (!dladdr((void *)nfct_query, &info) || !info.dli_fname)
		die("dladdr");
	fprintf(stderr, "library: %s\n", info.dli_fname);

	with_expectations = !strcmp(argv[1], "exp");
	/* The start states, as seen. */
	flush();
	look(ALL);
	strcpy(start_tables[EMPTY], seen.text);
	create_entry(0);
	look(ALL);
	strcpy(start_tables[ENTRY], seen.text);
	delete_entry(ALL);
	create_entry(1);
	create_expectation();
	look(ALL);
	strcpy(start_tables[EXPECTATION], seen.text);
	for (int s = 0; s < 3; s++)
		printf("start %d: %s\n", s, start_tables[s]);
	seen_in = EXPECTATION;

	struct nfct_handle *h = nfct_open(0, 0);
	if (!h)
		die("nfct_open");
	if (nfct_callback_register(h, NFCT_T_ALL, ct_cb, NULL) < 0 ||
	    nfexp_callback_register(h, NFCT_T_ALL, exp_cb, NULL) < 0)
		die("callback_register");
	if (!strcmp(argv[1], "ct"))
		conntracks(h, step);
	else
		expectations(h, step);
	nfct_close(h);
	return 0;
}
