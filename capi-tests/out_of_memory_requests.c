/* capi: ours-only */
/*
 * Out of memory on the request path: every function that builds, sends or
 * receives a request is called with the heap granting 0, 1, 2, ...
 * allocations, until one call gets all it asks for. Every shorter call must
 * fail cleanly — the function's error value with errno ENOMEM — and the
 * process must live on; the full call must work. (Rust's collections end
 * the process when the heap refuses them: this is what catches one left on
 * these paths.)
 *
 * Swept: nfct_query (create, get, update, destroy, dump), nfct_send with
 * nfct_catch, nfct_catch of events, nfexp_query (create, get, destroy),
 * nfct_build_query, nfct_build_conntrack, nfct_nlmsg_build,
 * nfct_nlmsg_build_filter, nfexp_build_query, nfexp_nlmsg_build,
 * nfct_filter_attach.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"
#include "objects.h"
#include "starve.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Calls `expr` (an int) with the heap granting 0, 1, 2, ... allocations,
 * until a call that `ok` accepts leaves some of its allowance unused. Every
 * call `ok` refuses must give `fail` with ENOMEM. `after` runs after each
 * call with the heap back (to undo what the call did); `r` is the call's
 * value there. Prints one line, and fails the program when broken. */
#define INT_SWEEP(label, expr, ok, fail, after)                               \
	do {                                                                  \
		bool _clean = true;                                           \
		unsigned int _n;                                              \
		for (_n = 0; _n < 1000; _n++) {                               \
			errno = 0;                                            \
			allowance = _n;                                       \
			refuse = true;                                        \
			int r = (expr);                                       \
			int _e = errno;                                       \
			bool _short = allowance == 0;                         \
			refuse = false;                                       \
			bool _ok = (ok);                                      \
			if (!_ok && (r != (fail) || _e != ENOMEM)) {          \
				fprintf(stderr, "%s: %d allocations: %d "     \
					"errno=%s\n", label, _n, r,           \
					strerror(_e));                        \
				_clean = false;                               \
			}                                                     \
			after;                                                \
			if (_ok && !_short)                                   \
				break;                                        \
		}                                                             \
		sweep_clean = _clean && _n < 1000;                            \
		printf("%-36s %s after %u refusals\n", label,                 \
		       sweep_clean ? "clean" : "BROKEN", _n);                 \
		CHECK(sweep_clean);                                           \
	} while (0)

static int got;

static int count_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	(void)ct;
	(void)data;
	got++;
	return NFCT_CB_CONTINUE;
}

static int exp_count_cb(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	(void)type;
	(void)exp;
	(void)data;
	got++;
	return NFCT_CB_CONTINUE;
}

/* Whether entry `ct` is in the table (asked with the heap back). */
static bool exists(struct nfct_handle *h, struct nf_conntrack *ct)
{
	return nfct_query(h, NFCT_Q_GET, ct) == 0;
}

/* The master (tftp helper) and expectation objects of the expectation
 * sweeps: UDP 10.0.0.1:1000 -> 10.0.0.2:69, expecting 10.0.0.2 ->
 * 10.0.0.1:2000. */
static struct nf_expect *expectation(void)
{
	struct nf_expect *exp = nfexp_new();
	CHECK(exp != NULL);
	capi_set_tuple(exp, ATTR_EXP_MASTER,
		       capi_tuple(AF_INET, IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 1000, 69));
	capi_set_tuple(exp, ATTR_EXP_EXPECTED,
		       capi_tuple(AF_INET, IPPROTO_UDP, "10.0.0.2", "10.0.0.1", 0, 2000));
	capi_set_tuple(exp, ATTR_EXP_MASK,
		       capi_tuple(AF_INET, IPPROTO_UDP, "255.255.255.255", "255.255.255.255",
				  0, 0xffff));
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	return exp;
}

static void queries(void)
{
	struct nfct_handle *h = nfct_open(0, 0);
	CHECK(h != NULL);
	CHECK(nfct_callback_register(h, NFCT_T_ALL, count_cb, NULL) == 0);
	CHECK(nfexp_callback_register(h, NFCT_T_ALL, exp_count_cb, NULL) == 0);
	struct nf_conntrack *ct = capi_udp_entry(1000);
	uint32_t family = AF_INET;

	INT_SWEEP("nfct_query create", nfct_query(h, NFCT_Q_CREATE, ct), r == 0, -1,
		  if (r == 0) CHECK(nfct_query(h, NFCT_Q_DESTROY, ct) == 0));
	CHECK(nfct_query(h, NFCT_Q_CREATE, ct) == 0);
	INT_SWEEP("nfct_query get", (got = 0, nfct_query(h, NFCT_Q_GET, ct)),
		  r == 0 && got == 1, -1, (void)0);
	nfct_set_attr_u32(ct, ATTR_MARK, 9);
	INT_SWEEP("nfct_query update", nfct_query(h, NFCT_Q_UPDATE, ct), r == 0, -1, (void)0);
	INT_SWEEP("nfct_query dump", (got = 0, nfct_query(h, NFCT_Q_DUMP, &family)),
		  r == 0 && got == 1, -1, (void)0);
	INT_SWEEP("nfct_query destroy", nfct_query(h, NFCT_Q_DESTROY, ct), r == 0, -1,
		  if (r == 0) CHECK(nfct_query(h, NFCT_Q_CREATE, ct) == 0));
	INT_SWEEP("nfct_send get + nfct_catch",
		  (got = 0, nfct_send(h, NFCT_Q_GET, ct) < 0 ? -1 : nfct_catch(h)),
		  r == 0 && got == 1, -1, (void)0);

	/* Expectations: a master with the tftp helper first. */
	struct nf_conntrack *master = capi_udp_entry(1000);
	nfct_set_attr_u16(master, ATTR_PORT_DST, htons(69));
	nfct_setobjopt(master, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr(master, ATTR_HELPER_NAME, "tftp");
	CHECK(nfct_query(h, NFCT_Q_DESTROY, ct) == 0);
	CHECK(nfct_query(h, NFCT_Q_CREATE, master) == 0);
	struct nf_expect *exp = expectation();
	INT_SWEEP("nfexp_query create", nfexp_query(h, NFCT_Q_CREATE, exp), r == 0, -1,
		  if (r == 0) CHECK(nfexp_query(h, NFCT_Q_DESTROY, exp) == 0));
	CHECK(nfexp_query(h, NFCT_Q_CREATE, exp) == 0);
	INT_SWEEP("nfexp_query get", (got = 0, nfexp_query(h, NFCT_Q_GET, exp)),
		  r == 0 && got == 1, -1, (void)0);
	INT_SWEEP("nfexp_query dump", (got = 0, nfexp_query(h, NFCT_Q_DUMP, &family)),
		  r == 0 && got == 1, -1, (void)0);
	INT_SWEEP("nfexp_query destroy", nfexp_query(h, NFCT_Q_DESTROY, exp), r == 0, -1,
		  if (r == 0) CHECK(nfexp_query(h, NFCT_Q_CREATE, exp) == 0));
	CHECK(nfexp_query(h, NFCT_Q_DESTROY, exp) == 0);
	CHECK(nfct_query(h, NFCT_Q_DESTROY, master) == 0);
	CHECK(!exists(h, master));

	nfexp_destroy(exp);
	nfct_destroy(master);
	nfct_destroy(ct);
	CHECK(nfct_close(h) == 0);
}

/* Makes one entry on `h` with the heap as it was before the starvation the
 * sweep set up, then waits for its NEW event on `ev` and catches it with
 * the heap starved again. */
static int catch_one(struct nfct_handle *h, struct nfct_handle *ev, unsigned round)
{
	bool starved = refuse;
	unsigned int left = allowance;
	refuse = false;
	struct nf_conntrack *ct = capi_udp_entry((uint16_t)(2000 + round));
	CHECK(nfct_query(h, NFCT_Q_CREATE, ct) == 0);
	nfct_destroy(ct);
	struct pollfd p = { .fd = nfct_fd(ev), .events = POLLIN };
	CHECK(poll(&p, 1, 2000) == 1);
	got = 0;
	allowance = left;
	refuse = starved;
	return nfct_catch(ev);
}

/* nfct_catch of events: each round makes one entry and catches its NEW
 * event on a non-blocking event socket (a failed round loses its event). */
static void events(void)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	struct nfct_handle *ev = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	CHECK(h && ev);
	CHECK(nfct_callback_register(ev, NFCT_T_NEW, count_cb, NULL) == 0);
	int fd = nfct_fd(ev);
	CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
	unsigned round = 0;
	INT_SWEEP("nfct_catch (events)", catch_one(h, ev, round++),
		  r == -1 && errno == EAGAIN && got == 1, -1, (void)0);
	nfct_close(ev);
	nfct_close(h);
}

static union {
	char raw[4096];
	struct nlmsghdr nlh;
} buf;

static int dummy_ssh;

static void builders(void)
{
	struct nf_conntrack *ct = capi_udp_entry(1000);
	struct nfnl_subsys_handle *ssh = (struct nfnl_subsys_handle *)&dummy_ssh;
	uint32_t family = AF_INET;
	nfct_set_attr_u32(ct, ATTR_MARK, 7);

	INT_SWEEP("nfct_build_query create",
		  nfct_build_query(ssh, NFCT_Q_CREATE, ct, buf.raw, sizeof(buf.raw)),
		  r == 1 && buf.nlh.nlmsg_len > 60, -1, (void)0);
	INT_SWEEP("nfct_build_query dump",
		  nfct_build_query(ssh, NFCT_Q_DUMP, &family, buf.raw, sizeof(buf.raw)),
		  r == 1 && buf.nlh.nlmsg_len == 20, -1, (void)0);
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	CHECK(fd != NULL);
	nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	struct nfct_filter_dump_mark m = { 1, 1 };
	nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, &m);
	INT_SWEEP("nfct_build_query dump filter",
		  nfct_build_query(ssh, NFCT_Q_DUMP_FILTER, fd, buf.raw, sizeof(buf.raw)),
		  r == 1 && buf.nlh.nlmsg_len > 20, -1, (void)0);
	INT_SWEEP("nfct_build_conntrack",
		  nfct_build_conntrack(ssh, buf.raw, sizeof(buf.raw), IPCTNL_MSG_CT_NEW,
				       NLM_F_REQUEST, ct),
		  r == 0 && buf.nlh.nlmsg_len > 60, -1, (void)0);
	INT_SWEEP("nfct_nlmsg_build",
		  (memset(buf.raw, 0, 20), buf.nlh.nlmsg_len = 20, nfct_nlmsg_build(&buf.nlh, ct)),
		  r == 0 && buf.nlh.nlmsg_len > 60, -1, (void)0);
	INT_SWEEP("nfct_nlmsg_build_filter",
		  (memset(buf.raw, 0, 20), buf.nlh.nlmsg_len = 20,
		   nfct_nlmsg_build_filter(&buf.nlh, fd)),
		  r == 0 && buf.nlh.nlmsg_len > 20, -1, (void)0);
	nfct_filter_dump_destroy(fd);

	struct nf_expect *exp = expectation();
	INT_SWEEP("nfexp_build_query create",
		  nfexp_build_query(ssh, NFCT_Q_CREATE, exp, buf.raw, sizeof(buf.raw)),
		  r == 1 && buf.nlh.nlmsg_len > 60, -1, (void)0);
	INT_SWEEP("nfexp_nlmsg_build",
		  (memset(buf.raw, 0, 20), buf.nlh.nlmsg_len = 20, nfexp_nlmsg_build(&buf.nlh, exp)),
		  r == 0 && buf.nlh.nlmsg_len > 60, -1, (void)0);
	nfexp_destroy(exp);
	nfct_destroy(ct);
}

static void filters(void)
{
	struct nfct_filter *f = nfct_filter_create();
	CHECK(f != NULL);
	for (int i = 0; i < 100; i++) {
		struct nfct_filter_ipv4 a = { 0x0a000000 + i, 0xffffffff };
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &a);
	}
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	int sock = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	CHECK(sock >= 0);
	INT_SWEEP("nfct_filter_attach", nfct_filter_attach(sock, f), r == 0, -1, (void)0);
	close(sock);
	nfct_filter_destroy(f);
}

int main(void)
{
	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	builders();
	filters();
	queries();
	events();
	return 0;
}
