/*
 * bench/api.c: instructions per call of every function of the object API,
 * measured by callgrind (run it through bench/api, which runs this program
 * once with our library and once with the reference and prints the table).
 *
 *   api TOP [REGEX]     run every case whose "function label" matches REGEX
 *   api --list TOP      print the cases without measuring them
 *   api --memory TOP    heap bytes per object (mallinfo2), no callgrind needed
 *
 * TOP is the repository: the objects are parsed from real kernel messages in
 * fuzz/seeds/, the label map is capi-tests/data/labels/basic.conf.
 *
 * Each case prepares its objects, then runs a loop of n iterations twice with
 * callgrind collecting only inside the loop (CALLGRIND_TOGGLE_COLLECT) and
 * dumping the count after each (CALLGRIND_DUMP_STATS_AT "bK"/"cK", K the case
 * number): first the baseline loop, which does everything but the call, then
 * the loop with the call. (cK - bK) / n is the cost of one call: the call
 * instruction and its arguments, and everything the library does, libc and
 * libmnl/libnfnetlink included. Every loop ends in a compiler barrier, so the
 * two loops have the same shape.
 *
 * It first prints "lib<TAB>path" (the libnetfilter_conntrack it runs on), then
 * for each case one line:
 *   case<TAB>K<TAB>function<TAB>label<TAB>n<TAB>checksum
 * The checksum sums what the calls returned (values, never pointers) and
 * hashes what they left behind (objects, buffers): the same on both libraries
 * when both did the same work.
 *
 * Outside valgrind the client requests do nothing: the program runs every
 * case natively (a quick check that it works, and the checksums).
 */
/* The deprecated libnfnetlink-era functions are benchmarked on purpose. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libnfnetlink/libnfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <valgrind/callgrind.h>

/* The C API tests' object builders (capi_tuple). */
#include "common.h"
#include "objects.h"

/* Loop sizes by cost class; bench/api --scale multiplies them (BENCH_SCALE). */
#define N_FAST 100000 /* getters, setters, bit operations: ~10-150 instructions */
#define N_MID 20000   /* copy, compare, clone, build, parse: ~100-3,000 */
#define N_SLOW 3000   /* printing, BPF compilation: ~1,000-20,000 */
#define N_FILE 300    /* reading a label file, opening a socket */
#define MAXN N_FAST

#define BARRIER() __asm__ __volatile__("" ::: "memory")

static void die(const char *what)
{
	fprintf(stderr, "bench/api: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* --- the objects ------------------------------------------------------------ */

/* Real kernel messages (fuzz/seeds, captured by fuzz/tools/capture-seeds). */
struct ct_obj {
	const char *name, *seed;
	struct nlmsghdr *msg;
	struct nf_conntrack *ct;
};
static struct ct_obj cts[] = {
	{ .name = "tcp", .seed = "ct_nlmsg/dump-e26c3e43fe" },        /* ESTABLISHED, counters, 27 attributes */
	{ .name = "tcp+labels", .seed = "ct_nlmsg/dump-8852acb770" }, /* the same with connlabels */
	{ .name = "udp", .seed = "ct_nlmsg/dump-6246211c5b" },        /* with a mark */
	{ .name = "icmp", .seed = "ct_nlmsg/dump-e39a20a605" },
	{ .name = "ipv6 tcp", .seed = "ct_nlmsg/dump-a4503d5b07" },
	{ .name = "nat tcp", .seed = "ct_nlmsg/dump-16cee69dea" }, /* SNAT: reply tuple differs, helper ftp */
};
#define NCT (sizeof(cts) / sizeof(cts[0]))
enum { TCP, LAB, UDP, ICMP, TCP6, NAT };

/* More messages, for the parsers only. */
static struct ct_obj events[] = {
	{ .name = "event new tcp", .seed = "ct_nlmsg/event-new-fbd56edc77" },
	{ .name = "event destroy tcp", .seed = "ct_nlmsg/event-destroy-c014fa930c" },
};

struct exp_obj {
	const char *name, *seed;
	struct nlmsghdr *msg;
	struct nf_expect *exp;
};
static struct exp_obj exps[] = {
	{ .name = "ftp", .seed = "exp_nlmsg/dump-5f3a40a58c" },
	{ .name = "ftp nat", .seed = "exp_nlmsg/dump-0ab7e34c2f" }, /* with NAT tuple, direction, fn */
};
#define NEXP (sizeof(exps) / sizeof(exps[0]))

static struct nf_conntrack *ct_create; /* what conntrack -I builds: setters only */
static struct nfct_labelmap *labelmap;
static char labelmap_path[4096];
static struct nfnl_handle *nfnlh;
static struct nfnl_subsys_handle *ssh_ct, *ssh_exp;

static struct nlmsghdr *read_msg(const char *top, const char *seed)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fuzz/seeds/%s", top, seed);
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	static char tmp[65536];
	size_t n = fread(tmp, 1, sizeof tmp, f);
	fclose(f);
	struct nlmsghdr *nlh = malloc(n);
	if (!nlh)
		die("malloc");
	memcpy(nlh, tmp, n);
	if (n < sizeof(*nlh) || nlh->nlmsg_len != n) {
		fprintf(stderr, "bench/api: %s: not one netlink message\n", path);
		exit(2);
	}
	return nlh;
}

/* Timestamps are left out: printing them depends on the clock. */
static struct nf_conntrack *ct_from(const struct nlmsghdr *nlh)
{
	struct nf_conntrack *ct = nfct_new();
	if (!ct || nfct_nlmsg_parse(nlh, ct) < 0)
		die("nfct_nlmsg_parse of a seed");
	nfct_attr_unset(ct, ATTR_TIMESTAMP_START);
	nfct_attr_unset(ct, ATTR_TIMESTAMP_STOP);
	return ct;
}

static void make_objects(const char *top)
{
	for (unsigned i = 0; i < NCT; i++) {
		cts[i].msg = read_msg(top, cts[i].seed);
		cts[i].ct = ct_from(cts[i].msg);
	}
	for (unsigned i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		events[i].msg = read_msg(top, events[i].seed);
	for (unsigned i = 0; i < NEXP; i++) {
		exps[i].msg = read_msg(top, exps[i].seed);
		exps[i].exp = nfexp_new();
		if (!exps[i].exp || nfexp_nlmsg_parse(exps[i].msg, exps[i].exp) < 0)
			die("nfexp_nlmsg_parse of a seed");
	}

	struct nf_conntrack *ct = capi_tuple(AF_INET, IPPROTO_TCP, "192.0.2.1", "198.51.100.7", 40000, 443);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_ASSURED | IPS_SEEN_REPLY | IPS_CONFIRMED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 3600);
	nfct_set_attr_u32(ct, ATTR_MARK, 0x10);
	ct_create = ct;

	snprintf(labelmap_path, sizeof labelmap_path, "%s/capi-tests/data/labels/basic.conf", top);
	labelmap = nfct_labelmap_new(labelmap_path);
	if (!labelmap)
		die(labelmap_path);

	nfnlh = nfnl_open();
	if (!nfnlh)
		die("nfnl_open");
	ssh_ct = nfnl_subsys_open(nfnlh, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_MAX, 0);
	ssh_exp = nfnl_subsys_open(nfnlh, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_MAX, 0);
	if (!ssh_ct || !ssh_exp)
		die("nfnl_subsys_open");
}

/* --- what the loops work on (globals: read from memory at every call) ------- */

static struct nf_conntrack *g_ct, *g_ct2;
static struct nf_expect *g_exp, *g_exp2;
static struct nfct_bitmask *g_bm, *g_bm2;
static struct nfct_filter *g_filter;
static struct nfct_filter_dump *g_fdump;
static struct nfct_handle *g_handle;
static const struct nlmsghdr *g_msg;
static struct nlmsghdr *g_nlh;
static void *g_arr[MAXN];
static char g_buf[8192];
static int g_attr, g_fd;
static uint32_t g_u32;
static uint16_t g_u16;
static uint8_t g_u8;
static uint64_t g_u64;
static unsigned char g_val[64];
static const char *g_str;

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* A conntrack object's content, as the library under test prints it: the
 * same on both libraries when the objects are the same. (Without the
 * timestamps: the XML shows their distance to the clock.) */
static uint64_t hash_ct(const struct nf_conntrack *ct)
{
	char out[4096];
	struct nf_conntrack *c = nfct_clone(ct);
	if (!c)
		die("nfct_clone");
	nfct_attr_unset(c, ATTR_TIMESTAMP_START);
	nfct_attr_unset(c, ATTR_TIMESTAMP_STOP);
	int n = nfct_snprintf(out, sizeof out, c, NFCT_T_UNKNOWN, NFCT_O_XML, NFCT_OF_SHOW_LAYER3);
	nfct_destroy(c);
	uint64_t h = hash_bytes(out, n > 0 ? (size_t)n : 0);
	for (int a = 0; a < ATTR_TIMESTAMP_EVENT; a++)
		h = h * 31 + (nfct_attr_is_set(ct, a) == 1);
	return h;
}

static uint64_t hash_exp(const struct nf_expect *exp)
{
	char out[4096];
	int n = nfexp_snprintf(out, sizeof out, exp, NFCT_T_UNKNOWN, NFCT_O_XML, 0);
	uint64_t h = hash_bytes(out, n > 0 ? (size_t)n : 0);
	for (int a = 0; a < ATTR_EXP_MAX; a++)
		h = h * 31 + (nfexp_attr_is_set(exp, a) == 1);
	return h;
}

static uint64_t hash_msg(const struct nlmsghdr *nlh)
{
	return hash_bytes(nlh, nlh->nlmsg_len);
}

/* A request header, as a libmnl user writes it before nfct_nlmsg_build. */
static struct nlmsghdr *put_header(uint16_t type, uint8_t family)
{
	memset(g_buf, 0, sizeof g_buf);
	struct nlmsghdr *nlh = (struct nlmsghdr *)g_buf;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE;
	struct nfgenmsg *nfg = NLMSG_DATA(nlh);
	nfg->nfgen_family = family;
	return nlh;
}
#define HDR_LEN NLMSG_LENGTH(sizeof(struct nfgenmsg))

static void clone_array(const struct nf_conntrack *ct, long n)
{
	for (long i = 0; i < n; i++)
		if (!(g_arr[i] = nfct_clone(ct)))
			die("nfct_clone");
}

static void exp_clone_array(const struct nf_expect *exp, long n)
{
	for (long i = 0; i < n; i++)
		if (!(g_arr[i] = nfexp_clone(exp)))
			die("nfexp_clone");
}

static uint64_t ct_array_hash(long n)
{
	/* Every object went through the same call: hash the first and the last. */
	return hash_ct(g_arr[0]) * 3 + hash_ct(g_arr[n - 1]);
}

static uint64_t exp_array_hash(long n)
{
	return hash_exp(g_arr[0]) * 3 + hash_exp(g_arr[n - 1]);
}

static void destroy_array(void (*destroy)(void *), long n)
{
	for (long i = 0; i < n; i++)
		destroy(g_arr[i]);
}
static void ct_destroy(void *p) { nfct_destroy(p); }
static void exp_destroy(void *p) { nfexp_destroy(p); }
static void bm_destroy(void *p) { nfct_bitmask_destroy(p); }
static void map_destroy(void *p) { nfct_labelmap_destroy(p); }
static void filter_destroy(void *p) { nfct_filter_destroy(p); }
static void fdump_destroy(void *p) { nfct_filter_dump_destroy(p); }

static long count_nonnull(long n)
{
	long c = 0;
	for (long i = 0; i < n; i++)
		c += g_arr[i] != NULL;
	return c;
}

/* --- the harness -------------------------------------------------------------- */

static regex_t case_filter;
static int have_filter, list_only;
static double scale = 1.0;
static unsigned case_no;

static int begin_case(const char *fn, const char *label)
{
	char name[512];
	snprintf(name, sizeof name, "%s %s", fn, label);
	if (have_filter && regexec(&case_filter, name, 0, NULL, 0) != 0)
		return 0;
	case_no++;
	if (list_only) {
		printf("case\t%u\t%s\t%s\t0\t0\n", case_no, fn, label);
		return 0;
	}
	return 1;
}

static long scaled(long n)
{
	long s = (long)(n * scale);
	if (s < 10)
		s = 10;
	return s > MAXN ? MAXN : s;
}

static void dump(char kind)
{
	char name[32];
	snprintf(name, sizeof name, "%c%u", kind, case_no);
	CALLGRIND_DUMP_STATS_AT(name);
}

static void end_case(const char *fn, const char *label, long n, uint64_t sum)
{
	printf("case\t%u\t%s\t%s\t%ld\t%016llx\n", case_no, fn, label, n, (unsigned long long)sum);
	fflush(stdout);
}

/* Flags of a case. */
#define WARM 1 /* the call can be repeated: make it 3 times before measuring */
#define ONCE 0 /* each iteration consumes its own object (g_arr[i]) */

/*
 * BENCH(function, label, loop size, WARM or ONCE,
 *       setup statement, call expression, baseline expression,
 *       checksum expression (after the loop), teardown statement)
 *
 * The call and baseline expressions are evaluated once per iteration (i is
 * the iteration) and summed into the checksum; a call returning void is
 * written (f(...), 0). Statements with commas go inside ({ ... }).
 */
#define BENCH(FN, LABEL, N, FLAGS, SETUP, CALL, BASE, CHECK, TEARDOWN)                         \
	do {                                                                                   \
		if (begin_case(FN, LABEL)) {                                                   \
			long n_ = scaled(N);                                                   \
			uint64_t s_ = 0;                                                       \
			SETUP;                                                                 \
			if ((FLAGS) & WARM)                                                    \
				for (long i = 0; i < 3; i++) {                                 \
					s_ += (uint64_t)(CALL);                                \
					BARRIER();                                             \
				}                                                              \
			s_ = 0;                                                                \
			CALLGRIND_TOGGLE_COLLECT;                                              \
			for (long i = 0; i < n_; i++) {                                        \
				s_ += (uint64_t)(BASE);                                        \
				BARRIER();                                                     \
			}                                                                      \
			CALLGRIND_TOGGLE_COLLECT;                                              \
			dump('b');                                                             \
			s_ = 0;                                                                \
			CALLGRIND_TOGGLE_COLLECT;                                              \
			for (long i = 0; i < n_; i++) {                                        \
				s_ += (uint64_t)(CALL);                                        \
				BARRIER();                                                     \
			}                                                                      \
			CALLGRIND_TOGGLE_COLLECT;                                              \
			dump('c');                                                             \
			s_ += (uint64_t)(CHECK);                                               \
			TEARDOWN;                                                              \
			end_case(FN, LABEL, n_, s_);                                           \
		}                                                                              \
	} while (0)

#define NOTHING ((void)0)

/* A constructor and its destructor: making n objects (all alive at the end),
 * destroying n objects, and the cycle of one made then destroyed. FREE_ALL
 * is FREE taking a void pointer, for destroy_array. */
#define LIFECYCLE(NEW, DESTROY, LABEL, N, MAKE, FREE, FREE_ALL)                                          \
	do {                                                                                             \
		BENCH(NEW, LABEL, N, ONCE, NOTHING, (g_arr[i] = (MAKE)) != NULL, (g_arr[i] = NULL) == NULL, \
		      count_nonnull(n_), destroy_array(FREE_ALL, n_));                                  \
		BENCH(DESTROY, LABEL, N, ONCE, ({                                                        \
			      for (long k = 0; k < n_; k++)                                              \
				      g_arr[k] = (MAKE);                                                 \
		      }),                                                                                \
		      (FREE(g_arr[i]), 0), g_arr[i] != NULL, 0, NOTHING);                                \
		BENCH(NEW "+" DESTROY, LABEL, N, WARM, NOTHING, (FREE(MAKE), 0), 0, 0, NOTHING);          \
	} while (0)

/* --- the cases -------------------------------------------------------------- */

static char label_buf[256];
static const char *lbl(const char *obj, const char *what)
{
	snprintf(label_buf, sizeof label_buf, "%s%s%s", obj, *what ? " " : "", what);
	return label_buf;
}

static int cb_ct(enum nf_conntrack_msg_type t, struct nf_conntrack *ct, void *data)
{
	(void)t, (void)ct, (void)data;
	return NFCT_CB_CONTINUE;
}
static int cb_ct2(const struct nlmsghdr *n, enum nf_conntrack_msg_type t, struct nf_conntrack *ct, void *data)
{
	(void)n, (void)t, (void)ct, (void)data;
	return NFCT_CB_CONTINUE;
}
static int cb_exp(enum nf_conntrack_msg_type t, struct nf_expect *e, void *data)
{
	(void)t, (void)e, (void)data;
	return NFCT_CB_CONTINUE;
}
static int cb_exp2(const struct nlmsghdr *n, enum nf_conntrack_msg_type t, struct nf_expect *e, void *data)
{
	(void)n, (void)t, (void)e, (void)data;
	return NFCT_CB_CONTINUE;
}

static void bench_lifetime(void)
{
	LIFECYCLE("nfct_new", "nfct_destroy", "empty", N_MID, nfct_new(), nfct_destroy, ct_destroy);
	for (unsigned k = 0; k < NCT; k++) {
		BENCH("nfct_clone", cts[k].name, N_MID, ONCE, g_ct = cts[k].ct,
		      (g_arr[i] = nfct_clone(g_ct)) != NULL, (g_arr[i] = g_ct) != NULL, ct_array_hash(n_),
		      destroy_array(ct_destroy, n_));
		BENCH("nfct_clone+nfct_destroy", cts[k].name, N_MID, WARM, g_ct = cts[k].ct,
		      (nfct_destroy(nfct_clone(g_ct)), 0), 0, 0, NOTHING);
	}
	BENCH("nfct_destroy", "clone of tcp+labels", N_MID, ONCE, clone_array(cts[LAB].ct, n_),
	      (nfct_destroy(g_arr[i]), 0), g_arr[i] != NULL, 0, NOTHING);
	BENCH("nfct_destroy", "clone of nat tcp", N_MID, ONCE, clone_array(cts[NAT].ct, n_),
	      (nfct_destroy(g_arr[i]), 0), g_arr[i] != NULL, 0, NOTHING);
	/* The checksum says non-zero: the sizes are an implementation's own. */
	BENCH("nfct_sizeof", "tcp", N_FAST, WARM, g_ct = cts[TCP].ct, nfct_sizeof(g_ct) != 0, 1, 0,
	      NOTHING);
	BENCH("nfct_maxsize", "", N_FAST, WARM, NOTHING, nfct_maxsize() != 0, 1, 0, NOTHING);
}

/* Getters: which object, which attribute, its width (1, 2, 4, 8 bytes). */
struct attr_case {
	int obj, attr;
	const char *name;
	int width;
};
static const struct attr_case getters[] = {
	{ TCP, ATTR_L3PROTO, "L3PROTO", 1 },
	{ TCP, ATTR_L4PROTO, "L4PROTO", 1 },
	{ TCP, ATTR_TCP_STATE, "TCP_STATE", 1 },
	{ TCP, ATTR_TCP_WSCALE_ORIG, "TCP_WSCALE_ORIG", 1 },
	{ TCP, ATTR_ORIG_PORT_SRC, "ORIG_PORT_SRC", 2 },
	{ TCP, ATTR_REPL_PORT_DST, "REPL_PORT_DST", 2 },
	{ ICMP, ATTR_ICMP_ID, "ICMP_ID", 2 },
	{ TCP, ATTR_ZONE, "ZONE (not set)", 2 },
	{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 4 },
	{ TCP, ATTR_REPL_IPV4_DST, "REPL_IPV4_DST", 4 },
	{ TCP, ATTR_MARK, "MARK", 4 },
	{ TCP, ATTR_STATUS, "STATUS", 4 },
	{ TCP, ATTR_TIMEOUT, "TIMEOUT", 4 },
	{ TCP, ATTR_ID, "ID", 4 },
	{ TCP, ATTR_SECMARK, "SECMARK (not set)", 4 },
	{ TCP, ATTR_ORIG_COUNTER_PACKETS, "ORIG_COUNTER_PACKETS", 8 },
	{ TCP, ATTR_REPL_COUNTER_BYTES, "REPL_COUNTER_BYTES", 8 },
};

static void bench_getters(void)
{
	for (unsigned k = 0; k < sizeof(getters) / sizeof(getters[0]); k++) {
		const struct attr_case *c = &getters[k];
		const char *l = lbl(cts[c->obj].name, c->name);
		switch (c->width) {
		case 1:
			BENCH("nfct_get_attr_u8", l, N_FAST, WARM, ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }),
			      nfct_get_attr_u8(g_ct, g_attr), 0, 0, NOTHING);
			break;
		case 2:
			BENCH("nfct_get_attr_u16", l, N_FAST, WARM, ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }),
			      nfct_get_attr_u16(g_ct, g_attr), 0, 0, NOTHING);
			break;
		case 4:
			BENCH("nfct_get_attr_u32", l, N_FAST, WARM, ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }),
			      nfct_get_attr_u32(g_ct, g_attr), 0, 0, NOTHING);
			break;
		case 8:
			BENCH("nfct_get_attr_u64", l, N_FAST, WARM, ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }),
			      nfct_get_attr_u64(g_ct, g_attr), 0, 0, NOTHING);
			break;
		}
	}
	/* nfct_get_attr returns a pointer: the loop reads the first bytes. */
	static const struct attr_case ptrs[] = {
		{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 4 },
		{ TCP6, ATTR_ORIG_IPV6_SRC, "ORIG_IPV6_SRC", 4 },
		{ TCP, ATTR_ORIG_PORT_SRC, "ORIG_PORT_SRC", 2 },
		{ TCP, ATTR_L4PROTO, "L4PROTO", 1 },
		{ TCP, ATTR_MARK, "MARK", 4 },
		{ TCP, ATTR_ORIG_COUNTER_BYTES, "ORIG_COUNTER_BYTES", 8 },
		{ NAT, ATTR_HELPER_NAME, "HELPER_NAME", 1 },
	};
	for (unsigned k = 0; k < sizeof(ptrs) / sizeof(ptrs[0]); k++) {
		const struct attr_case *c = &ptrs[k];
		BENCH("nfct_get_attr", lbl(cts[c->obj].name, c->name), N_FAST, WARM,
		      ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }),
		      *(const uint8_t *)nfct_get_attr(g_ct, g_attr), 0, 0, NOTHING);
	}
	BENCH("nfct_get_attr", "tcp+labels CONNLABELS", N_FAST, WARM, g_ct = cts[LAB].ct,
	      nfct_get_attr(g_ct, ATTR_CONNLABELS) != NULL, 0, 0, NOTHING);
	BENCH("nfct_get_attr", "tcp SECMARK (not set)", N_FAST, WARM, g_ct = cts[TCP].ct,
	      nfct_get_attr(g_ct, ATTR_SECMARK) == NULL, 0, 0, NOTHING);
}

/* Setters write the value the object already has, into a clone. */
static const struct attr_case setters[] = {
	{ TCP, ATTR_L3PROTO, "L3PROTO", 1 },
	{ TCP, ATTR_L4PROTO, "L4PROTO", 1 },
	{ TCP, ATTR_TCP_STATE, "TCP_STATE", 1 },
	{ TCP, ATTR_ORIG_PORT_SRC, "ORIG_PORT_SRC", 2 },
	{ TCP, ATTR_REPL_PORT_DST, "REPL_PORT_DST", 2 },
	{ TCP, ATTR_ZONE, "ZONE", 2 },
	{ ICMP, ATTR_ICMP_ID, "ICMP_ID", 2 },
	{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 4 },
	{ TCP, ATTR_MARK, "MARK", 4 },
	{ TCP, ATTR_STATUS, "STATUS", 4 },
	{ TCP, ATTR_TIMEOUT, "TIMEOUT", 4 },
	{ TCP, ATTR_ID, "ID", 4 },
	{ TCP, ATTR_ORIG_COUNTER_PACKETS, "ORIG_COUNTER_PACKETS", 8 },
};

static void bench_setters(void)
{
	for (unsigned k = 0; k < sizeof(setters) / sizeof(setters[0]); k++) {
		const struct attr_case *c = &setters[k];
		const char *l = lbl(cts[c->obj].name, c->name);
#define SETUP_SET ({ g_ct = nfct_clone(cts[c->obj].ct); g_attr = c->attr; })
		switch (c->width) {
		case 1:
			BENCH("nfct_set_attr_u8", l, N_FAST, WARM,
			      ({ SETUP_SET; g_u8 = nfct_get_attr_u8(g_ct, g_attr); }),
			      (nfct_set_attr_u8(g_ct, g_attr, g_u8), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
			break;
		case 2:
			BENCH("nfct_set_attr_u16", l, N_FAST, WARM,
			      ({ SETUP_SET; g_u16 = nfct_get_attr_u16(g_ct, g_attr); }),
			      (nfct_set_attr_u16(g_ct, g_attr, g_u16), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
			break;
		case 4:
			BENCH("nfct_set_attr_u32", l, N_FAST, WARM,
			      ({ SETUP_SET; g_u32 = nfct_get_attr_u32(g_ct, g_attr); }),
			      (nfct_set_attr_u32(g_ct, g_attr, g_u32), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
			break;
		case 8:
			BENCH("nfct_set_attr_u64", l, N_FAST, WARM,
			      ({ SETUP_SET; g_u64 = nfct_get_attr_u64(g_ct, g_attr); }),
			      (nfct_set_attr_u64(g_ct, g_attr, g_u64), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
			break;
		}
	}
	/* nfct_set_attr and nfct_set_attr_l take a pointer to the value. */
	static const struct attr_case ptrs[] = {
		{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 4 },
		{ TCP6, ATTR_ORIG_IPV6_SRC, "ORIG_IPV6_SRC", 16 },
		{ TCP, ATTR_ORIG_PORT_SRC, "ORIG_PORT_SRC", 2 },
		{ TCP, ATTR_L4PROTO, "L4PROTO", 1 },
		{ TCP, ATTR_MARK, "MARK", 4 },
		{ TCP, ATTR_ORIG_COUNTER_BYTES, "ORIG_COUNTER_BYTES", 8 },
		{ NAT, ATTR_HELPER_NAME, "HELPER_NAME", 4 },
	};
	for (unsigned k = 0; k < sizeof(ptrs) / sizeof(ptrs[0]); k++) {
		const struct attr_case *c = &ptrs[k];
		const char *l = lbl(cts[c->obj].name, c->name);
#define SETUP_SETP ({ SETUP_SET; memcpy(g_val, nfct_get_attr(g_ct, g_attr), c->width); })
		BENCH("nfct_set_attr", l, N_FAST, WARM, SETUP_SETP, (nfct_set_attr(g_ct, g_attr, g_val), 0), 0,
		      hash_ct(g_ct), nfct_destroy(g_ct));
		BENCH("nfct_set_attr_l", l, N_FAST, WARM, ({ SETUP_SETP; g_u32 = c->width; }),
		      (nfct_set_attr_l(g_ct, g_attr, g_val, g_u32), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
	}
	/* Labels: the object takes the bitmask and frees the one it had. */
	BENCH("nfct_set_attr", "tcp+labels CONNLABELS (new bitmask each)", N_MID, ONCE, ({
		      g_ct = nfct_clone(cts[LAB].ct);
		      for (long k = 0; k < n_; k++)
			      g_arr[k] = nfct_bitmask_clone(nfct_get_attr(g_ct, ATTR_CONNLABELS));
	      }),
	      (nfct_set_attr(g_ct, ATTR_CONNLABELS, g_arr[i]), 0), g_arr[i] != NULL, hash_ct(g_ct),
	      nfct_destroy(g_ct));
}

static const enum nf_conntrack_attr tuple_attrs[] = { ATTR_L3PROTO, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST,
				   ATTR_L4PROTO, ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST };
static const enum nf_conntrack_attr nat_attrs[] = { ATTR_SNAT_IPV4, ATTR_DNAT_IPV4 };

static void bench_is_set_unset(void)
{
	static const struct attr_case is_set[] = {
		{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 0 },
		{ TCP, ATTR_MARK, "MARK", 0 },
		{ TCP, ATTR_TCP_STATE, "TCP_STATE", 0 },
		{ TCP, ATTR_SECMARK, "SECMARK (not set)", 0 },
		{ LAB, ATTR_CONNLABELS, "CONNLABELS", 0 },
	};
	for (unsigned k = 0; k < sizeof(is_set) / sizeof(is_set[0]); k++) {
		const struct attr_case *c = &is_set[k];
		BENCH("nfct_attr_is_set", lbl(cts[c->obj].name, c->name), N_FAST, WARM,
		      ({ g_ct = cts[c->obj].ct; g_attr = c->attr; }), nfct_attr_is_set(g_ct, g_attr) + 2, 0, 0,
		      NOTHING);
	}
	BENCH("nfct_attr_is_set_array", "tcp 6 tuple attributes (all set)", N_FAST, WARM, g_ct = cts[TCP].ct,
	      nfct_attr_is_set_array(g_ct, tuple_attrs, 6) + 2, 0, 0, NOTHING);
	BENCH("nfct_attr_is_set_array", "tcp SNAT/DNAT (not set)", N_FAST, WARM, g_ct = cts[TCP].ct,
	      nfct_attr_is_set_array(g_ct, nat_attrs, 2) + 2, 0, 0, NOTHING);

	static const struct attr_case unset[] = {
		{ TCP, ATTR_MARK, "MARK", 0 },
		{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 0 },
		{ TCP, ATTR_ORIG_COUNTER_BYTES, "ORIG_COUNTER_BYTES", 0 },
		{ NAT, ATTR_HELPER_NAME, "HELPER_NAME", 0 },
		{ LAB, ATTR_CONNLABELS, "CONNLABELS (frees the bitmask)", 0 },
	};
	for (unsigned k = 0; k < sizeof(unset) / sizeof(unset[0]); k++) {
		const struct attr_case *c = &unset[k];
		BENCH("nfct_attr_unset", lbl(cts[c->obj].name, c->name), N_MID, ONCE,
		      ({ clone_array(cts[c->obj].ct, n_); g_attr = c->attr; }),
		      nfct_attr_unset(g_arr[i], g_attr) + 2, g_arr[i] != NULL, ct_array_hash(n_),
		      destroy_array(ct_destroy, n_));
	}
	BENCH("nfct_attr_unset", "tcp SECMARK (not set)", N_FAST, WARM, g_ct = nfct_clone(cts[TCP].ct),
	      nfct_attr_unset(g_ct, ATTR_SECMARK) + 2, 0, hash_ct(g_ct), nfct_destroy(g_ct));
}

struct grp_case {
	int obj, grp;
	const char *name;
};

static void bench_groups(void)
{
	static const struct grp_case get[] = {
		{ TCP, ATTR_GRP_ORIG_IPV4, "ORIG_IPV4" },
		{ TCP, ATTR_GRP_REPL_IPV4, "REPL_IPV4" },
		{ TCP6, ATTR_GRP_ORIG_IPV6, "ORIG_IPV6" },
		{ TCP, ATTR_GRP_ORIG_PORT, "ORIG_PORT" },
		{ ICMP, ATTR_GRP_ICMP, "ICMP" },
		{ TCP, ATTR_GRP_ORIG_COUNTERS, "ORIG_COUNTERS" },
		{ TCP, ATTR_GRP_ORIG_ADDR_SRC, "ORIG_ADDR_SRC" },
		{ TCP, ATTR_GRP_MASTER_IPV4, "MASTER_IPV4 (not set)" },
	};
	for (unsigned k = 0; k < sizeof(get) / sizeof(get[0]); k++) {
		const struct grp_case *c = &get[k];
		const char *l = lbl(cts[c->obj].name, c->name);
		BENCH("nfct_get_attr_grp", l, N_FAST, WARM,
		      ({ g_ct = cts[c->obj].ct; g_attr = c->grp; memset(g_val, 0, sizeof g_val); }),
		      nfct_get_attr_grp(g_ct, g_attr, g_val) + 2, 0, hash_bytes(g_val, sizeof g_val), NOTHING);
		BENCH("nfct_attr_grp_is_set", l, N_FAST, WARM, ({ g_ct = cts[c->obj].ct; g_attr = c->grp; }),
		      nfct_attr_grp_is_set(g_ct, g_attr) + 2, 0, 0, NOTHING);
	}
	static const struct grp_case set[] = {
		{ TCP, ATTR_GRP_ORIG_IPV4, "ORIG_IPV4" },
		{ TCP6, ATTR_GRP_ORIG_IPV6, "ORIG_IPV6" },
		{ TCP, ATTR_GRP_ORIG_PORT, "ORIG_PORT" },
		{ ICMP, ATTR_GRP_ICMP, "ICMP" },
		{ TCP, ATTR_GRP_ORIG_ADDR_SRC, "ORIG_ADDR_SRC" },
	};
	for (unsigned k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
		const struct grp_case *c = &set[k];
		BENCH("nfct_set_attr_grp", lbl(cts[c->obj].name, c->name), N_FAST, WARM, ({
			      g_ct = nfct_clone(cts[c->obj].ct);
			      g_attr = c->grp;
			      memset(g_val, 0, sizeof g_val);
			      nfct_get_attr_grp(g_ct, g_attr, g_val);
		      }),
		      (nfct_set_attr_grp(g_ct, g_attr, g_val), 0), 0, hash_ct(g_ct), nfct_destroy(g_ct));
	}
	static const struct grp_case unset[] = {
		{ TCP, ATTR_GRP_ORIG_IPV4, "ORIG_IPV4" },
		{ TCP, ATTR_GRP_ORIG_PORT, "ORIG_PORT" },
		{ TCP, ATTR_GRP_ORIG_COUNTERS, "ORIG_COUNTERS" },
	};
	for (unsigned k = 0; k < sizeof(unset) / sizeof(unset[0]); k++) {
		const struct grp_case *c = &unset[k];
		BENCH("nfct_attr_grp_unset", lbl(cts[c->obj].name, c->name), N_MID, ONCE,
		      ({ clone_array(cts[c->obj].ct, n_); g_attr = c->grp; }),
		      nfct_attr_grp_unset(g_arr[i], g_attr) + 2, g_arr[i] != NULL, ct_array_hash(n_),
		      destroy_array(ct_destroy, n_));
	}
}

static void bench_objopt(void)
{
	static const struct {
		int obj, opt;
		const char *name;
		int repeatable;
	} set[] = {
		{ TCP, NFCT_SOPT_SETUP_REPLY, "SETUP_REPLY", 1 },
		{ TCP, NFCT_SOPT_SETUP_ORIGINAL, "SETUP_ORIGINAL", 1 },
		{ NAT, NFCT_SOPT_UNDO_SNAT, "UNDO_SNAT", 0 },
		{ NAT, NFCT_SOPT_UNDO_DNAT, "UNDO_DNAT", 0 },
		{ NAT, NFCT_SOPT_UNDO_SPAT, "UNDO_SPAT", 0 },
		{ NAT, NFCT_SOPT_UNDO_DPAT, "UNDO_DPAT", 0 },
	};
	for (unsigned k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
		const char *l = lbl(cts[set[k].obj].name, set[k].name);
		if (set[k].repeatable)
			BENCH("nfct_setobjopt", l, N_FAST, WARM,
			      ({ g_ct = nfct_clone(cts[set[k].obj].ct); g_attr = set[k].opt; }),
			      nfct_setobjopt(g_ct, g_attr) + 2, 0, hash_ct(g_ct), nfct_destroy(g_ct));
		else
			BENCH("nfct_setobjopt", l, N_MID, ONCE,
			      ({ clone_array(cts[set[k].obj].ct, n_); g_attr = set[k].opt; }),
			      nfct_setobjopt(g_arr[i], g_attr) + 2, g_arr[i] != NULL, ct_array_hash(n_),
			      destroy_array(ct_destroy, n_));
	}
	static const struct {
		int obj, opt;
		const char *name;
	} get[] = {
		{ NAT, NFCT_GOPT_IS_SNAT, "IS_SNAT" }, { NAT, NFCT_GOPT_IS_DNAT, "IS_DNAT" },
		{ NAT, NFCT_GOPT_IS_SPAT, "IS_SPAT" }, { NAT, NFCT_GOPT_IS_DPAT, "IS_DPAT" },
		{ TCP, NFCT_GOPT_IS_SNAT, "IS_SNAT" },
	};
	for (unsigned k = 0; k < sizeof(get) / sizeof(get[0]); k++)
		BENCH("nfct_getobjopt", lbl(cts[get[k].obj].name, get[k].name), N_FAST, WARM,
		      ({ g_ct = cts[get[k].obj].ct; g_attr = get[k].opt; }), nfct_getobjopt(g_ct, g_attr) + 2, 0,
		      0, NOTHING);
}

static void bench_copy(void)
{
	static const struct {
		int obj, flags;
		const char *name;
	} copy[] = {
		{ TCP, NFCT_CP_ALL, "ALL" },
		{ TCP, NFCT_CP_ORIG, "ORIG" },
		{ TCP, NFCT_CP_REPL, "REPL" },
		{ TCP, NFCT_CP_META, "META" },
		{ TCP, NFCT_CP_OVERRIDE, "OVERRIDE" },
		{ TCP, NFCT_CP_ORIG | NFCT_CP_REPL, "ORIG|REPL" },
		{ TCP6, NFCT_CP_ALL, "ALL" },
		{ NAT, NFCT_CP_ALL, "ALL" },
		{ NAT, NFCT_CP_OVERRIDE, "OVERRIDE" },
		{ LAB, NFCT_CP_ALL, "ALL" },
		{ LAB, NFCT_CP_OVERRIDE, "OVERRIDE" },
	};
	/* Into an object that starts empty, then holds the previous copy. */
	for (unsigned k = 0; k < sizeof(copy) / sizeof(copy[0]); k++)
		BENCH("nfct_copy", lbl(cts[copy[k].obj].name, copy[k].name), N_MID, WARM, ({
			      g_ct = cts[copy[k].obj].ct;
			      g_ct2 = nfct_new();
			      g_attr = copy[k].flags;
		      }),
		      (nfct_copy(g_ct2, g_ct, g_attr), 0), 0, hash_ct(g_ct2), nfct_destroy(g_ct2));

	static const struct attr_case attrs[] = {
		{ TCP, ATTR_MARK, "MARK", 0 },
		{ TCP, ATTR_ORIG_IPV4_SRC, "ORIG_IPV4_SRC", 0 },
		{ TCP6, ATTR_ORIG_IPV6_SRC, "ORIG_IPV6_SRC", 0 },
		{ TCP, ATTR_ORIG_PORT_SRC, "ORIG_PORT_SRC", 0 },
		{ TCP, ATTR_TCP_STATE, "TCP_STATE", 0 },
		{ TCP, ATTR_ORIG_COUNTER_BYTES, "ORIG_COUNTER_BYTES", 0 },
		{ NAT, ATTR_HELPER_NAME, "HELPER_NAME", 0 },
		{ LAB, ATTR_CONNLABELS, "CONNLABELS", 0 },
	};
	for (unsigned k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++)
		BENCH("nfct_copy_attr", lbl(cts[attrs[k].obj].name, attrs[k].name), N_FAST, WARM, ({
			      g_ct = cts[attrs[k].obj].ct;
			      g_ct2 = nfct_new();
			      g_attr = attrs[k].attr;
		      }),
		      (nfct_copy_attr(g_ct2, g_ct, g_attr), 0), 0, hash_ct(g_ct2), nfct_destroy(g_ct2));
}

static void bench_cmp(void)
{
	static const struct {
		int obj, flags;
		const char *name;
	} cmp[] = {
		{ TCP, NFCT_CMP_ALL, "ALL" },
		{ TCP, NFCT_CMP_ORIG, "ORIG" },
		{ TCP, NFCT_CMP_REPL, "REPL" },
		{ TCP, NFCT_CMP_ORIG | NFCT_CMP_REPL, "ORIG|REPL" },
		{ TCP, NFCT_CMP_MASK, "MASK" },
		{ TCP, NFCT_CMP_ALL | NFCT_CMP_STRICT, "ALL|STRICT" },
		{ TCP, NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_EQ, "ALL|TIMEOUT_EQ" },
		{ TCP, NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_GE, "ALL|TIMEOUT_GE" },
		{ TCP, NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_LT, "ALL|TIMEOUT_LT" },
		{ UDP, NFCT_CMP_ALL, "ALL" },
		{ ICMP, NFCT_CMP_ALL, "ALL" },
		{ TCP6, NFCT_CMP_ALL, "ALL" },
		{ TCP6, NFCT_CMP_ORIG, "ORIG" },
		{ NAT, NFCT_CMP_ALL, "ALL" },
		{ LAB, NFCT_CMP_ALL, "ALL" },
	};
	/* Against an equal clone: every attribute is compared. */
	for (unsigned k = 0; k < sizeof(cmp) / sizeof(cmp[0]); k++)
		BENCH("nfct_cmp", lbl(cts[cmp[k].obj].name, cmp[k].name), N_MID, WARM, ({
			      g_ct = cts[cmp[k].obj].ct;
			      g_ct2 = nfct_clone(g_ct);
			      g_attr = cmp[k].flags;
		      }),
		      nfct_cmp(g_ct, g_ct2, g_attr) + 2, 0, 0, nfct_destroy(g_ct2));
	/* Against one that differs: in the mark (last), in the source port (early). */
	BENCH("nfct_cmp", "tcp ALL, mark differs", N_MID, WARM, ({
		      g_ct = cts[TCP].ct;
		      g_ct2 = nfct_clone(g_ct);
		      nfct_set_attr_u32(g_ct2, ATTR_MARK, 77);
	      }),
	      nfct_cmp(g_ct, g_ct2, NFCT_CMP_ALL) + 2, 0, 0, nfct_destroy(g_ct2));
	BENCH("nfct_cmp", "tcp ORIG, source port differs", N_MID, WARM, ({
		      g_ct = cts[TCP].ct;
		      g_ct2 = nfct_clone(g_ct);
		      nfct_set_attr_u16(g_ct2, ATTR_ORIG_PORT_SRC, htons(1));
	      }),
	      nfct_cmp(g_ct, g_ct2, NFCT_CMP_ORIG) + 2, 0, 0, nfct_destroy(g_ct2));
	/* A tuple-only object against a full one (how conntrack -L filters). */
	BENCH("nfct_cmp", "tcp tuple-only vs full, ALL", N_MID, WARM, ({
		      g_ct = cts[TCP].ct;
		      g_ct2 = nfct_new();
		      nfct_copy(g_ct2, g_ct, NFCT_CP_ORIG);
	      }),
	      nfct_cmp(g_ct2, g_ct, NFCT_CMP_ALL) + 2, 0, 0, nfct_destroy(g_ct2));
	for (unsigned k = 0; k < NCT; k++) {
		if (k != TCP && k != NAT && k != LAB)
			continue;
		BENCH("nfct_compare", cts[k].name, N_MID, WARM, ({
			      g_ct = cts[k].ct;
			      g_ct2 = nfct_clone(g_ct);
		      }),
		      nfct_compare(g_ct, g_ct2) + 2, 0, 0, nfct_destroy(g_ct2));
	}
}

static void bench_print(void)
{
	static const struct {
		int type, flags;
		const char *name;
	} modes[] = {
		{ NFCT_T_UNKNOWN, 0, "plain" },
		{ NFCT_T_UNKNOWN, NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID, "plain extended+id" },
		{ NFCT_T_NEW, 0, "plain event NEW" },
	};
	for (unsigned k = 0; k < NCT; k++) {
		for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			if (m > 0 && k != TCP)
				continue;
			BENCH("nfct_snprintf", lbl(cts[k].name, modes[m].name), N_SLOW, WARM, g_ct = cts[k].ct,
			      nfct_snprintf(g_buf, sizeof g_buf, g_ct, modes[m].type, NFCT_O_PLAIN, modes[m].flags),
			      0, hash_bytes(g_buf, strlen(g_buf)), NOTHING);
		}
		BENCH("nfct_snprintf", lbl(cts[k].name, "xml"), N_SLOW, WARM, g_ct = cts[k].ct,
		      nfct_snprintf(g_buf, sizeof g_buf, g_ct, NFCT_T_UNKNOWN, NFCT_O_XML, 0), 0,
		      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
	}
	BENCH("nfct_snprintf_labels", "tcp+labels plain", N_SLOW, WARM, g_ct = cts[LAB].ct,
	      nfct_snprintf_labels(g_buf, sizeof g_buf, g_ct, NFCT_T_UNKNOWN, NFCT_O_PLAIN, 0, labelmap), 0,
	      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
	BENCH("nfct_snprintf_labels", "tcp+labels xml", N_SLOW, WARM, g_ct = cts[LAB].ct,
	      nfct_snprintf_labels(g_buf, sizeof g_buf, g_ct, NFCT_T_UNKNOWN, NFCT_O_XML, 0, labelmap), 0,
	      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
	BENCH("nfct_snprintf_labels", "tcp plain (no labels)", N_SLOW, WARM, g_ct = cts[TCP].ct,
	      nfct_snprintf_labels(g_buf, sizeof g_buf, g_ct, NFCT_T_UNKNOWN, NFCT_O_PLAIN, 0, labelmap), 0,
	      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
}

static void bench_bitmask(void)
{
	LIFECYCLE("nfct_bitmask_new", "nfct_bitmask_destroy", "127 bits", N_MID, nfct_bitmask_new(127),
		  nfct_bitmask_destroy, bm_destroy);

#define SETUP_BM ({ g_bm = nfct_bitmask_clone(nfct_get_attr(cts[LAB].ct, ATTR_CONNLABELS)); })
	BENCH("nfct_bitmask_clone", "labels of tcp+labels", N_MID, ONCE, SETUP_BM,
	      (g_arr[i] = nfct_bitmask_clone(g_bm)) != NULL, (g_arr[i] = NULL) == NULL, count_nonnull(n_),
	      ({ destroy_array(bm_destroy, n_); nfct_bitmask_destroy(g_bm); }));
	BENCH("nfct_bitmask_clone+nfct_bitmask_destroy", "labels of tcp+labels", N_MID, WARM, SETUP_BM,
	      (nfct_bitmask_destroy(nfct_bitmask_clone(g_bm)), 0), 0, 0, nfct_bitmask_destroy(g_bm));
	BENCH("nfct_bitmask_set_bit", "bit 5 of 127", N_FAST, WARM, SETUP_BM, (nfct_bitmask_set_bit(g_bm, 5), 0),
	      0, nfct_bitmask_test_bit(g_bm, 5), nfct_bitmask_destroy(g_bm));
	BENCH("nfct_bitmask_test_bit", "bit 5 of 127", N_FAST, WARM, SETUP_BM, nfct_bitmask_test_bit(g_bm, 5) + 2,
	      0, 0, nfct_bitmask_destroy(g_bm));
	BENCH("nfct_bitmask_unset_bit", "bit 5 of 127", N_FAST, WARM, SETUP_BM,
	      (nfct_bitmask_unset_bit(g_bm, 5), 0), 0, nfct_bitmask_test_bit(g_bm, 5),
	      nfct_bitmask_destroy(g_bm));
	BENCH("nfct_bitmask_maxbit", "127 bits", N_FAST, WARM, SETUP_BM, nfct_bitmask_maxbit(g_bm), 0, 0,
	      nfct_bitmask_destroy(g_bm));
	BENCH("nfct_bitmask_equal", "equal, 127 bits", N_FAST, WARM, ({
		      SETUP_BM;
		      g_bm2 = nfct_bitmask_clone(g_bm);
	      }),
	      nfct_bitmask_equal(g_bm, g_bm2) + 2, 0, 0,
	      ({ nfct_bitmask_destroy(g_bm); nfct_bitmask_destroy(g_bm2); }));
	BENCH("nfct_bitmask_clear", "127 bits", N_FAST, WARM, SETUP_BM, (nfct_bitmask_clear(g_bm), 0), 0,
	      nfct_bitmask_test_bit(g_bm, 0) + nfct_bitmask_maxbit(g_bm), nfct_bitmask_destroy(g_bm));
}

static void bench_labels(void)
{
	LIFECYCLE("nfct_labelmap_new", "nfct_labelmap_destroy", "basic.conf", N_FILE,
		  nfct_labelmap_new(labelmap_path), nfct_labelmap_destroy, map_destroy);
	static const char *names[] = { "eth0-in", "interactive", "last-kernel-bit", "no-such-label" };
	for (unsigned k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		BENCH("nfct_labelmap_get_bit", names[k], N_FAST, WARM, g_str = names[k],
		      nfct_labelmap_get_bit(labelmap, g_str) + 2, 0, 0, NOTHING);
	static const unsigned bits[] = { 0, 5, 127, 6 };
	static const char *bit_names[] = { "bit 0", "bit 5", "bit 127", "bit 6 (no name)" };
	for (unsigned k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
		BENCH("nfct_labelmap_get_name", bit_names[k], N_FAST, WARM, g_u32 = bits[k], ({
			      const char *s = nfct_labelmap_get_name(labelmap, g_u32);
			      s ? (uint64_t)(unsigned char)s[0] + 1 : 0;
		      }),
		      0, 0, NOTHING);
	BENCH("nfct_labels_get_path", "", N_FAST, WARM, NOTHING, nfct_labels_get_path() != NULL, 0,
	      hash_bytes(nfct_labels_get_path(), strlen(nfct_labels_get_path())), NOTHING);
}

static void bench_build_parse(void)
{
	const char *create = "tcp to create (setters)";
	for (unsigned k = 0; k <= NCT; k++) {
		struct nf_conntrack *ct = k < NCT ? cts[k].ct : ct_create;
		const char *name = k < NCT ? cts[k].name : create;
		BENCH("nfct_nlmsg_build", name, N_MID, WARM, ({
			      g_ct = ct;
			      g_nlh = put_header((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW,
						 nfct_get_attr_u8(ct, ATTR_L3PROTO));
		      }),
		      (g_nlh->nlmsg_len = HDR_LEN, nfct_nlmsg_build(g_nlh, g_ct)) + 2,
		      (g_nlh->nlmsg_len = HDR_LEN, 0), hash_msg(g_nlh), NOTHING);
	}
	/* Parsing into an object that already holds the same entry (conntrackd's
	 * and conntrack's pattern is new + parse + destroy: see nfct_new). */
	for (unsigned k = 0; k < NCT + 2; k++) {
		const struct ct_obj *o = k < NCT ? &cts[k] : &events[k - NCT];
		BENCH("nfct_nlmsg_parse", o->name, N_MID, WARM, ({
			      g_msg = o->msg;
			      g_ct = nfct_new();
		      }),
		      nfct_nlmsg_parse(g_msg, g_ct) + 2, 0, hash_ct(g_ct), nfct_destroy(g_ct));
	}
	BENCH("nfct_nlmsg_parse", "tcp into a new object each", N_MID, ONCE, ({
		      g_msg = cts[TCP].msg;
		      for (long k = 0; k < n_; k++)
			      g_arr[k] = nfct_new();
	      }),
	      nfct_nlmsg_parse(g_msg, g_arr[i]) + 2, g_arr[i] != NULL, ct_array_hash(n_),
	      destroy_array(ct_destroy, n_));
	for (unsigned k = 0; k < NCT; k++) {
		if (k != TCP && k != TCP6)
			continue;
		BENCH("nfct_payload_parse", cts[k].name, N_MID, WARM, ({
			      g_msg = cts[k].msg;
			      g_ct = nfct_new();
			      g_u16 = ((const struct nfgenmsg *)NLMSG_DATA(g_msg))->nfgen_family;
		      }),
		      nfct_payload_parse((const char *)g_msg + HDR_LEN, g_msg->nlmsg_len - HDR_LEN, g_u16, g_ct) +
			      2,
		      0, hash_ct(g_ct), nfct_destroy(g_ct));
	}
	BENCH("nfct_parse_conntrack", "tcp", N_MID, WARM, ({
		      g_msg = cts[TCP].msg;
		      g_ct = nfct_new();
	      }),
	      nfct_parse_conntrack(NFCT_T_ALL, g_msg, g_ct) + 2, 0, hash_ct(g_ct), nfct_destroy(g_ct));
	BENCH("nfct_parse_conntrack", "event new tcp", N_MID, WARM, ({
		      g_msg = events[0].msg;
		      g_ct = nfct_new();
	      }),
	      nfct_parse_conntrack(NFCT_T_ALL, g_msg, g_ct) + 2, 0, hash_ct(g_ct), nfct_destroy(g_ct));

	/* The libnfnetlink-era builders, with a libnfnetlink subsystem handle (the
	 * sequence number it adds counts the calls: the same on both libraries). */
	BENCH("nfct_build_conntrack", "tcp NEW", N_MID, WARM, g_ct = cts[TCP].ct,
	      nfct_build_conntrack(ssh_ct, g_buf, sizeof g_buf, IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | NLM_F_CREATE,
				   g_ct) +
		      2,
	      0, hash_msg((struct nlmsghdr *)g_buf), NOTHING);
	BENCH("nfct_build_conntrack", "tcp to create (setters) NEW", N_MID, WARM, g_ct = ct_create,
	      nfct_build_conntrack(ssh_ct, g_buf, sizeof g_buf, IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | NLM_F_CREATE,
				   g_ct) +
		      2,
	      0, hash_msg((struct nlmsghdr *)g_buf), NOTHING);
	static uint32_t family = AF_INET;
	static const struct {
		int q;
		const char *name;
	} queries[] = {
		{ NFCT_Q_CREATE, "CREATE" }, { NFCT_Q_UPDATE, "UPDATE" }, { NFCT_Q_DESTROY, "DESTROY" },
		{ NFCT_Q_GET, "GET" },       { NFCT_Q_DUMP, "DUMP" },     { NFCT_Q_FLUSH, "FLUSH" },
	};
	for (unsigned k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		int q = queries[k].q;
		const void *data = (q == NFCT_Q_DUMP || q == NFCT_Q_FLUSH) ? (const void *)&family
									 : (const void *)ct_create;
		BENCH("nfct_build_query", queries[k].name, N_MID, WARM, ({
			      g_attr = q;
			      g_str = data;
		      }),
		      nfct_build_query(ssh_ct, g_attr, g_str, g_buf, sizeof g_buf) + 2, 0,
		      hash_msg((struct nlmsghdr *)g_buf), NOTHING);
	}
	BENCH("nfct_nlmsg_build_filter", "mark and family", N_MID, WARM, ({
		      g_fdump = nfct_filter_dump_create();
		      nfct_filter_dump_set_attr(g_fdump, NFCT_FILTER_DUMP_MARK,
						&(struct nfct_filter_dump_mark){ 0x10, 0xff });
		      nfct_filter_dump_set_attr_u8(g_fdump, NFCT_FILTER_DUMP_L3NUM, AF_INET);
		      g_nlh = put_header((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, AF_INET);
	      }),
	      (g_nlh->nlmsg_len = HDR_LEN, nfct_nlmsg_build_filter(g_nlh, g_fdump)) + 2,
	      (g_nlh->nlmsg_len = HDR_LEN, 0), hash_msg(g_nlh), nfct_filter_dump_destroy(g_fdump));
	BENCH("nfct_nlmsg_build_filter", "tuple and zone", N_MID, WARM, ({
		      g_fdump = nfct_filter_dump_create();
		      struct nf_conntrack *t = nfct_new();
		      nfct_copy(t, ct_create, NFCT_CP_ORIG);
		      nfct_filter_dump_set_attr(g_fdump, NFCT_FILTER_DUMP_TUPLE, t);
		      nfct_destroy(t);
		      nfct_filter_dump_set_attr_u16(g_fdump, NFCT_FILTER_DUMP_ZONE, 7);
		      g_nlh = put_header((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, AF_INET);
	      }),
	      (g_nlh->nlmsg_len = HDR_LEN, nfct_nlmsg_build_filter(g_nlh, g_fdump)) + 2,
	      (g_nlh->nlmsg_len = HDR_LEN, 0), hash_msg(g_nlh), nfct_filter_dump_destroy(g_fdump));
}

static void bench_expect(void)
{
	LIFECYCLE("nfexp_new", "nfexp_destroy", "empty", N_MID, nfexp_new(), nfexp_destroy, exp_destroy);
	for (unsigned k = 0; k < NEXP; k++) {
		BENCH("nfexp_clone", exps[k].name, N_MID, ONCE, g_exp = exps[k].exp,
		      (g_arr[i] = nfexp_clone(g_exp)) != NULL, (g_arr[i] = NULL) == NULL, exp_array_hash(n_),
		      destroy_array(exp_destroy, n_));
		BENCH("nfexp_clone+nfexp_destroy", exps[k].name, N_MID, WARM, g_exp = exps[k].exp,
		      (nfexp_destroy(nfexp_clone(g_exp)), 0), 0, 0, NOTHING);
	}
	BENCH("nfexp_sizeof", "ftp", N_FAST, WARM, g_exp = exps[0].exp, nfexp_sizeof(g_exp) != 0, 1, 0, NOTHING);
	BENCH("nfexp_maxsize", "", N_FAST, WARM, NOTHING, nfexp_maxsize() != 0, 1, 0, NOTHING);

	struct nf_expect *nat = exps[1].exp;
	BENCH("nfexp_get_attr", "ftp MASTER", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_get_attr(g_exp, ATTR_EXP_MASTER) != NULL, 0, 0, NOTHING);
	BENCH("nfexp_get_attr", "ftp HELPER_NAME", N_FAST, WARM, g_exp = exps[0].exp,
	      *(const char *)nfexp_get_attr(g_exp, ATTR_EXP_HELPER_NAME), 0, 0, NOTHING);
	BENCH("nfexp_get_attr", "ftp TIMEOUT", N_FAST, WARM, g_exp = exps[0].exp,
	      *(const uint32_t *)nfexp_get_attr(g_exp, ATTR_EXP_TIMEOUT), 0, 0, NOTHING);
	BENCH("nfexp_get_attr_u8", "ftp nat NAT_DIR", N_FAST, WARM, g_exp = nat,
	      nfexp_get_attr_u8(g_exp, ATTR_EXP_NAT_DIR) + 2, 0, 0, NOTHING);
	BENCH("nfexp_get_attr_u16", "ftp ZONE", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_get_attr_u16(g_exp, ATTR_EXP_ZONE) + 2, 0, 0, NOTHING);
	BENCH("nfexp_get_attr_u32", "ftp TIMEOUT", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_get_attr_u32(g_exp, ATTR_EXP_TIMEOUT), 0, 0, NOTHING);
	BENCH("nfexp_get_attr_u32", "ftp FLAGS", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_get_attr_u32(g_exp, ATTR_EXP_FLAGS) + 2, 0, 0, NOTHING);
	BENCH("nfexp_attr_is_set", "ftp TIMEOUT", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_attr_is_set(g_exp, ATTR_EXP_TIMEOUT) + 2, 0, 0, NOTHING);
	BENCH("nfexp_attr_is_set", "ftp NAT_TUPLE (not set)", N_FAST, WARM, g_exp = exps[0].exp,
	      nfexp_attr_is_set(g_exp, ATTR_EXP_NAT_TUPLE) + 2, 0, 0, NOTHING);

#define SETUP_EXP ({ g_exp = nfexp_clone(exps[0].exp); })
	BENCH("nfexp_set_attr", "ftp MASTER (from a conntrack)", N_FAST, WARM, ({
		      SETUP_EXP;
		      g_ct = cts[TCP].ct;
	      }),
	      (nfexp_set_attr(g_exp, ATTR_EXP_MASTER, g_ct), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr", "ftp HELPER_NAME", N_FAST, WARM, SETUP_EXP,
	      (nfexp_set_attr(g_exp, ATTR_EXP_HELPER_NAME, "ftp"), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr", "ftp TIMEOUT", N_FAST, WARM, ({
		      SETUP_EXP;
		      g_u32 = 300;
	      }),
	      (nfexp_set_attr(g_exp, ATTR_EXP_TIMEOUT, &g_u32), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr_u8", "ftp NAT_DIR", N_FAST, WARM, SETUP_EXP,
	      (nfexp_set_attr_u8(g_exp, ATTR_EXP_NAT_DIR, 1), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr_u16", "ftp ZONE", N_FAST, WARM, SETUP_EXP,
	      (nfexp_set_attr_u16(g_exp, ATTR_EXP_ZONE, 3), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr_u32", "ftp TIMEOUT", N_FAST, WARM, SETUP_EXP,
	      (nfexp_set_attr_u32(g_exp, ATTR_EXP_TIMEOUT, 300), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_set_attr_u32", "ftp FLAGS", N_FAST, WARM, SETUP_EXP,
	      (nfexp_set_attr_u32(g_exp, ATTR_EXP_FLAGS, 1), 0), 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_attr_unset", "ftp TIMEOUT", N_MID, ONCE, exp_clone_array(exps[0].exp, n_),
	      nfexp_attr_unset(g_arr[i], ATTR_EXP_TIMEOUT) + 2, g_arr[i] != NULL, exp_array_hash(n_),
	      destroy_array(exp_destroy, n_));
	BENCH("nfexp_attr_unset", "ftp HELPER_NAME", N_MID, ONCE, exp_clone_array(exps[0].exp, n_),
	      nfexp_attr_unset(g_arr[i], ATTR_EXP_HELPER_NAME) + 2, g_arr[i] != NULL, exp_array_hash(n_),
	      destroy_array(exp_destroy, n_));

	for (unsigned k = 0; k < NEXP; k++) {
		BENCH("nfexp_cmp", lbl(exps[k].name, "equal"), N_MID, WARM, ({
			      g_exp = exps[k].exp;
			      g_exp2 = nfexp_clone(g_exp);
		      }),
		      nfexp_cmp(g_exp, g_exp2, 0) + 2, 0, 0, nfexp_destroy(g_exp2));
		BENCH("nfexp_cmp", lbl(exps[k].name, "equal, STRICT"), N_MID, WARM, ({
			      g_exp = exps[k].exp;
			      g_exp2 = nfexp_clone(g_exp);
		      }),
		      nfexp_cmp(g_exp, g_exp2, NFCT_CMP_STRICT) + 2, 0, 0, nfexp_destroy(g_exp2));
	}
	BENCH("nfexp_cmp", "ftp timeout differs", N_MID, WARM, ({
		      g_exp = exps[0].exp;
		      g_exp2 = nfexp_clone(g_exp);
		      nfexp_set_attr_u32(g_exp2, ATTR_EXP_TIMEOUT, 1);
	      }),
	      nfexp_cmp(g_exp, g_exp2, 0) + 2, 0, 0, nfexp_destroy(g_exp2));

	for (unsigned k = 0; k < NEXP; k++) {
		BENCH("nfexp_snprintf", lbl(exps[k].name, "plain"), N_SLOW, WARM, g_exp = exps[k].exp,
		      nfexp_snprintf(g_buf, sizeof g_buf, g_exp, NFCT_T_UNKNOWN, NFCT_O_PLAIN, 0), 0,
		      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
		BENCH("nfexp_snprintf", lbl(exps[k].name, "xml"), N_SLOW, WARM, g_exp = exps[k].exp,
		      nfexp_snprintf(g_buf, sizeof g_buf, g_exp, NFCT_T_UNKNOWN, NFCT_O_XML, 0), 0,
		      hash_bytes(g_buf, strlen(g_buf)), NOTHING);
	}

	for (unsigned k = 0; k < NEXP; k++) {
		BENCH("nfexp_nlmsg_build", exps[k].name, N_MID, WARM, ({
			      g_exp = exps[k].exp;
			      g_nlh = put_header((NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, AF_INET);
		      }),
		      (g_nlh->nlmsg_len = HDR_LEN, nfexp_nlmsg_build(g_nlh, g_exp)) + 2,
		      (g_nlh->nlmsg_len = HDR_LEN, 0), hash_msg(g_nlh), NOTHING);
		BENCH("nfexp_nlmsg_parse", exps[k].name, N_MID, WARM, ({
			      g_msg = exps[k].msg;
			      g_exp = nfexp_new();
		      }),
		      nfexp_nlmsg_parse(g_msg, g_exp) + 2, 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	}
	BENCH("nfexp_parse_expect", "ftp", N_MID, WARM, ({
		      g_msg = exps[0].msg;
		      g_exp = nfexp_new();
	      }),
	      nfexp_parse_expect(NFCT_T_ALL, g_msg, g_exp) + 2, 0, hash_exp(g_exp), nfexp_destroy(g_exp));
	BENCH("nfexp_build_expect", "ftp NEW", N_MID, WARM, g_exp = exps[0].exp,
	      nfexp_build_expect(ssh_exp, g_buf, sizeof g_buf, IPCTNL_MSG_EXP_NEW, NLM_F_REQUEST | NLM_F_CREATE,
				 g_exp) +
		      2,
	      0, hash_msg((struct nlmsghdr *)g_buf), NOTHING);
	BENCH("nfexp_build_query", "GET", N_MID, WARM, g_exp = exps[0].exp,
	      nfexp_build_query(ssh_exp, NFCT_Q_GET, g_exp, g_buf, sizeof g_buf) + 2, 0,
	      hash_msg((struct nlmsghdr *)g_buf), NOTHING);
	static uint32_t family = AF_INET;
	BENCH("nfexp_build_query", "DUMP", N_MID, WARM, g_u32 = family,
	      nfexp_build_query(ssh_exp, NFCT_Q_DUMP, &g_u32, g_buf, sizeof g_buf) + 2, 0,
	      hash_msg((struct nlmsghdr *)g_buf), NOTHING);
}

static void bench_filters(void)
{
	LIFECYCLE("nfct_filter_create", "nfct_filter_destroy", "", N_SLOW, nfct_filter_create(),
		  nfct_filter_destroy, filter_destroy);

#define FILTER_ARRAY                                                                                     \
	({                                                                                               \
		for (long k = 0; k < n_; k++)                                                            \
			g_arr[k] = nfct_filter_create();                                                 \
	})
	static struct nfct_filter_ipv4 v4 = { 0x0a000001, 0xffffffff };
	static struct nfct_filter_ipv6 v6 = { { 0x20010db8, 0, 0, 1 }, { ~0u, ~0u, ~0u, ~0u } };
	static struct nfct_filter_proto st = { IPPROTO_TCP, TCP_CONNTRACK_ESTABLISHED };
	BENCH("nfct_filter_add_attr", "SRC_IPV4 (first)", N_SLOW, ONCE, FILTER_ARRAY,
	      (nfct_filter_add_attr(g_arr[i], NFCT_FILTER_SRC_IPV4, &v4), 0), 0, 0,
	      destroy_array(filter_destroy, n_));
	BENCH("nfct_filter_add_attr", "DST_IPV6 (first)", N_SLOW, ONCE, FILTER_ARRAY,
	      (nfct_filter_add_attr(g_arr[i], NFCT_FILTER_DST_IPV6, &v6), 0), 0, 0,
	      destroy_array(filter_destroy, n_));
	BENCH("nfct_filter_add_attr", "L4PROTO_STATE", N_FAST, WARM, g_filter = nfct_filter_create(),
	      (nfct_filter_add_attr(g_filter, NFCT_FILTER_L4PROTO_STATE, &st), 0), 0, 0,
	      nfct_filter_destroy(g_filter));
	BENCH("nfct_filter_add_attr_u32", "L4PROTO", N_FAST, WARM, g_filter = nfct_filter_create(),
	      (nfct_filter_add_attr_u32(g_filter, NFCT_FILTER_L4PROTO, IPPROTO_TCP), 0), 0, 0,
	      nfct_filter_destroy(g_filter));
	BENCH("nfct_filter_set_logic", "SRC_IPV4 NEGATIVE (first)", N_SLOW, ONCE, FILTER_ARRAY,
	      nfct_filter_set_logic(g_arr[i], NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE) + 2, 0, 0,
	      destroy_array(filter_destroy, n_));

	/* conntrackd's filter: TCP and UDP, 8 ignored addresses. */
	g_fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (g_fd < 0)
		die("socket");
#define CONNTRACKD_FILTER                                                                                \
	({                                                                                               \
		g_filter = nfct_filter_create();                                                         \
		nfct_filter_add_attr_u32(g_filter, NFCT_FILTER_L4PROTO, IPPROTO_TCP);                    \
		nfct_filter_add_attr_u32(g_filter, NFCT_FILTER_L4PROTO, IPPROTO_UDP);                    \
		for (uint32_t a = 1; a <= 6; a++) {                                                      \
			struct nfct_filter_ipv4 f = { 0x0a000000 + a, 0xffffffff };                      \
			nfct_filter_add_attr(g_filter, NFCT_FILTER_SRC_IPV4, &f);                        \
			nfct_filter_add_attr(g_filter, NFCT_FILTER_DST_IPV4, &f);                        \
		}                                                                                        \
		nfct_filter_add_attr(g_filter, NFCT_FILTER_SRC_IPV6, &v6);                               \
		nfct_filter_add_attr(g_filter, NFCT_FILTER_DST_IPV6, &v6);                               \
		nfct_filter_set_logic(g_filter, NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);       \
		nfct_filter_set_logic(g_filter, NFCT_FILTER_DST_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);       \
		nfct_filter_set_logic(g_filter, NFCT_FILTER_SRC_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);       \
		nfct_filter_set_logic(g_filter, NFCT_FILTER_DST_IPV6, NFCT_FILTER_LOGIC_NEGATIVE);       \
	})
	BENCH("nfct_filter_attach", "conntrackd-like filter", N_SLOW, WARM, CONNTRACKD_FILTER,
	      nfct_filter_attach(g_fd, g_filter) + 2, 0, 0, nfct_filter_destroy(g_filter));
	BENCH("nfct_filter_attach+nfct_filter_detach", "conntrackd-like filter", N_SLOW, WARM,
	      CONNTRACKD_FILTER, nfct_filter_attach(g_fd, g_filter) + nfct_filter_detach(g_fd) + 2, 0, 0,
	      nfct_filter_destroy(g_filter));
	close(g_fd);

	LIFECYCLE("nfct_filter_dump_create", "nfct_filter_dump_destroy", "", N_MID, nfct_filter_dump_create(),
		  nfct_filter_dump_destroy, fdump_destroy);
	static struct nfct_filter_dump_mark mark = { 0x10, 0xff };
	BENCH("nfct_filter_dump_set_attr", "MARK", N_FAST, WARM, g_fdump = nfct_filter_dump_create(),
	      (nfct_filter_dump_set_attr(g_fdump, NFCT_FILTER_DUMP_MARK, &mark), 0), 0, 0,
	      nfct_filter_dump_destroy(g_fdump));
	BENCH("nfct_filter_dump_set_attr", "TUPLE", N_MID, WARM, ({
		      g_fdump = nfct_filter_dump_create();
		      g_ct = ct_create;
	      }),
	      (nfct_filter_dump_set_attr(g_fdump, NFCT_FILTER_DUMP_TUPLE, g_ct), 0), 0, 0,
	      nfct_filter_dump_destroy(g_fdump));
	BENCH("nfct_filter_dump_set_attr_u8", "L3NUM", N_FAST, WARM, g_fdump = nfct_filter_dump_create(),
	      (nfct_filter_dump_set_attr_u8(g_fdump, NFCT_FILTER_DUMP_L3NUM, AF_INET), 0), 0, 0,
	      nfct_filter_dump_destroy(g_fdump));
	BENCH("nfct_filter_dump_set_attr_u16", "ZONE", N_FAST, WARM, g_fdump = nfct_filter_dump_create(),
	      (nfct_filter_dump_set_attr_u16(g_fdump, NFCT_FILTER_DUMP_ZONE, 7), 0), 0, 0,
	      nfct_filter_dump_destroy(g_fdump));
}

/* Handle functions that do no I/O (bench/run measures queries and dumps). */
static void bench_handle(void)
{
	BENCH("nfct_open+nfct_close", "CONNTRACK, no groups", N_FILE, WARM, NOTHING,
	      nfct_close(nfct_open(CONNTRACK, 0)) + 2, 0, 0, NOTHING);
	BENCH("nfnl_open+nfct_open_nfnl+nfct_close", "CONNTRACK, no groups", N_FILE, WARM, NOTHING,
	      nfct_close(nfct_open_nfnl(nfnl_open(), CONNTRACK, 0)) + 2, 0, 0, NOTHING);
	g_handle = nfct_open(NFNL_SUBSYS_NONE, 0);
	if (!g_handle)
		die("nfct_open");
	BENCH("nfct_fd", "", N_FAST, WARM, NOTHING, nfct_fd(g_handle) >= 0, 0, 0, NOTHING);
	BENCH("nfct_nfnlh", "", N_FAST, WARM, NOTHING, nfct_nfnlh(g_handle) != NULL, 0, 0, NOTHING);
	/* Registering a callback, then taking it away (the handle keeps one). */
#define CALLBACK_CYCLE(REG, UNREG, CB)                                                                   \
	BENCH(#REG "+" #UNREG, "", N_MID, WARM, NOTHING, ({                                              \
		      int r_ = REG(g_handle, NFCT_T_ALL, CB, NULL);                                      \
		      UNREG(g_handle);                                                                   \
		      r_ + 2;                                                                            \
	      }),                                                                                        \
	      0, 0, NOTHING)
	CALLBACK_CYCLE(nfct_callback_register, nfct_callback_unregister, cb_ct);
	CALLBACK_CYCLE(nfct_callback_register2, nfct_callback_unregister2, cb_ct2);
	CALLBACK_CYCLE(nfexp_callback_register, nfexp_callback_unregister, cb_exp);
	CALLBACK_CYCLE(nfexp_callback_register2, nfexp_callback_unregister2, cb_exp2);
	nfct_close(g_handle);
}

/* --- memory per object --------------------------------------------------------- */

static long heap_used(void)
{
	return (long)mallinfo2().uordblks;
}

#define PER_OBJECT(what, make, destroy)                                                                  \
	do {                                                                                             \
		enum { K = 1000 };                                                                       \
		long before = heap_used();                                                               \
		for (int k = 0; k < K; k++)                                                              \
			g_arr[k] = (make);                                                               \
		long after = heap_used();                                                                \
		for (int k = 0; k < K; k++)                                                              \
			destroy(g_arr[k]);                                                               \
		printf("memory\t%s\t%.1f\n", what, (double)(after - before) / K);                        \
	} while (0)

static void memory(void)
{
	printf("memory\tnfct_maxsize()\t%zu\n", nfct_maxsize());
	printf("memory\tnfexp_maxsize()\t%zu\n", nfexp_maxsize());
	PER_OBJECT("heap per nfct_new()", nfct_new(), ct_destroy);
	PER_OBJECT("heap per nfct_clone(tcp)", nfct_clone(cts[TCP].ct), ct_destroy);
	PER_OBJECT("heap per nfct_clone(tcp+labels)", nfct_clone(cts[LAB].ct), ct_destroy);
	PER_OBJECT("heap per nfct_clone(nat tcp)", nfct_clone(cts[NAT].ct), ct_destroy);
	PER_OBJECT("heap per nfexp_new()", nfexp_new(), exp_destroy);
	PER_OBJECT("heap per nfct_bitmask_new(127)", nfct_bitmask_new(127), bm_destroy);
	PER_OBJECT("heap per nfct_filter_create()", nfct_filter_create(), filter_destroy);
	PER_OBJECT("heap per nfct_filter_dump_create()", nfct_filter_dump_create(), fdump_destroy);
	PER_OBJECT("heap per nfct_labelmap_new(basic.conf)", nfct_labelmap_new(labelmap_path), map_destroy);
}

int main(int argc, char **argv)
{
	int mem = 0;
	int a = 1;
	if (a < argc && strcmp(argv[a], "--list") == 0)
		list_only = 1, a++;
	else if (a < argc && strcmp(argv[a], "--memory") == 0)
		mem = 1, a++;
	if (a >= argc) {
		fprintf(stderr, "usage: api [--list|--memory] TOP [REGEX]\n");
		return 2;
	}
	const char *top = argv[a++];
	if (a < argc) {
		if (regcomp(&case_filter, argv[a], REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, "bench/api: bad regular expression: %s\n", argv[a]);
			return 2;
		}
		have_filter = 1;
	}
	const char *s = getenv("BENCH_SCALE");
	if (s && *s)
		scale = strtod(s, NULL);
	if (!(scale > 0))
		scale = 1.0;

	/* Which library this run measures (bench/api checks it). */
	Dl_info info;
	if (dladdr((void *)nfct_new, &info) && info.dli_fname)
		printf("lib\t%s\n", info.dli_fname);

	make_objects(top);
	if (mem) {
		memory();
		return 0;
	}
	bench_lifetime();
	bench_getters();
	bench_setters();
	bench_is_set_unset();
	bench_groups();
	bench_objopt();
	bench_copy();
	bench_cmp();
	bench_print();
	bench_bitmask();
	bench_labels();
	bench_build_parse();
	bench_expect();
	bench_filters();
	bench_handle();
	return 0;
}
