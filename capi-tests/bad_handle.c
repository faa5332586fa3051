/* capi: ours-only */
/*
 * Handles given bad input, where the reference asserts, crashes or hangs:
 * NULL handles to every handle function, NULL data, unknown queries,
 * objects without a family (an empty message, which a kernel that takes it
 * never answers: the reference then waits for ever, we fail with ENODATA as
 * current kernels refuse it), callbacks registered on a handle that does
 * not serve their subsystem, a libnfnetlink handle whose descriptor is no
 * netfilter socket, and a handle used from inside its own callback (query,
 * send, catch and close fail with EBUSY; registering, nfct_fd() and other
 * handles work). Every case must give a clean error.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"
#include "objects.h"

#define FAILS(expr, value, err)                                               \
	do {                                                                  \
		errno = 0;                                                    \
		long long _r = (long long)(expr);                             \
		int _e = errno;                                               \
		if (_r != (value) || _e != (err)) {                           \
			fprintf(stderr, "%s:%d: %s = %lld errno=%d (%s), "    \
				"want %lld errno=%d\n", __FILE__, __LINE__,   \
				#expr, _r, _e, strerror(_e),                  \
				(long long)(value), (int)(err));              \
			exit(1);                                              \
		}                                                             \
	} while (0)

#define VOID_FAILS(expr, err)                                                 \
	do {                                                                  \
		errno = 0;                                                    \
		expr;                                                         \
		CHECK(errno == (err));                                        \
	} while (0)

static int ct_cb(enum nf_conntrack_msg_type t, struct nf_conntrack *ct, void *d)
{
	(void)t;
	(void)ct;
	(void)d;
	return NFCT_CB_CONTINUE;
}

static int ct_cb2(const struct nlmsghdr *n, enum nf_conntrack_msg_type t,
		  struct nf_conntrack *ct, void *d)
{
	(void)n;
	(void)t;
	(void)ct;
	(void)d;
	return NFCT_CB_CONTINUE;
}

static int exp_cb(enum nf_conntrack_msg_type t, struct nf_expect *e, void *d)
{
	(void)t;
	(void)e;
	(void)d;
	return NFCT_CB_CONTINUE;
}

static int exp_cb2(const struct nlmsghdr *n, enum nf_conntrack_msg_type t,
		   struct nf_expect *e, void *d)
{
	(void)n;
	(void)t;
	(void)e;
	(void)d;
	return NFCT_CB_CONTINUE;
}

/* Re-entry: what a callback does with its own handle. */
static struct nfct_handle *self, *other;
static struct nf_conntrack *probe;
static int reentered;

static int reenter(enum nf_conntrack_msg_type t, struct nf_conntrack *ct, void *d)
{
	uint32_t family = AF_INET;

	(void)t;
	(void)ct;
	(void)d;
	if (reentered++)
		return NFCT_CB_CONTINUE;
	FAILS(nfct_query(self, NFCT_Q_DUMP, &family), -1, EBUSY);
	FAILS(nfct_send(self, NFCT_Q_DUMP, &family), -1, EBUSY);
	FAILS(nfct_catch(self), -1, EBUSY);
	FAILS(nfexp_query(self, NFCT_Q_DUMP, &family), -1, EBUSY);
	FAILS(nfct_close(self), -1, EBUSY);
	CHECK(nfct_fd(self) >= 0);
	CHECK(nfct_nfnlh(self) != NULL);
	/* Another handle works, and so does (re-)registering. */
	CHECK(nfct_query(other, NFCT_Q_GET, probe) == 0);
	CHECK(nfct_callback_register(self, NFCT_T_ALL, reenter, NULL) == 0);
	return NFCT_CB_CONTINUE;
}

int main(void)
{
	uint32_t family = AF_INET;
	struct nfct_handle *h, *ct_only, *exp_only, *none;
	struct nf_conntrack *bare, *e;
	struct nf_expect *exp;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}

	/* NULL handles. */
	FAILS(nfct_open_nfnl(NULL, 0, 0), 0, EINVAL);
	FAILS(nfct_close(NULL), -1, EINVAL);
	FAILS(nfct_fd(NULL), -1, EINVAL);
	FAILS(nfct_nfnlh(NULL), 0, EINVAL);
	FAILS(nfct_callback_register(NULL, NFCT_T_ALL, ct_cb, NULL), -1, EINVAL);
	FAILS(nfct_callback_register2(NULL, NFCT_T_ALL, ct_cb2, NULL), -1, EINVAL);
	FAILS(nfexp_callback_register(NULL, NFCT_T_ALL, exp_cb, NULL), -1, EINVAL);
	FAILS(nfexp_callback_register2(NULL, NFCT_T_ALL, exp_cb2, NULL), -1, EINVAL);
	VOID_FAILS(nfct_callback_unregister(NULL), EINVAL);
	VOID_FAILS(nfct_callback_unregister2(NULL), EINVAL);
	VOID_FAILS(nfexp_callback_unregister(NULL), EINVAL);
	VOID_FAILS(nfexp_callback_unregister2(NULL), EINVAL);
	FAILS(nfct_query(NULL, NFCT_Q_DUMP, &family), -1, EINVAL);
	FAILS(nfct_send(NULL, NFCT_Q_DUMP, &family), -1, EINVAL);
	FAILS(nfct_catch(NULL), -1, EINVAL);
	FAILS(nfexp_query(NULL, NFCT_Q_DUMP, &family), -1, EINVAL);
	FAILS(nfexp_send(NULL, NFCT_Q_DUMP, &family), -1, EINVAL);
	FAILS(nfexp_catch(NULL), -1, EINVAL);

	h = nfct_open(0, 0);
	CHECK(h != NULL);

	/* NULL data, unknown queries, queries expectations do not have. */
	FAILS(nfct_query(h, NFCT_Q_DUMP, NULL), -1, EINVAL);
	FAILS(nfct_query(h, NFCT_Q_CREATE, NULL), -1, EINVAL);
	FAILS(nfct_query(h, NFCT_Q_DUMP_FILTER, NULL), -1, EINVAL);
	FAILS(nfct_send(h, NFCT_Q_GET, NULL), -1, EINVAL);
	FAILS(nfexp_query(h, NFCT_Q_GET, NULL), -1, EINVAL);
	FAILS(nfexp_send(h, NFCT_Q_DUMP, NULL), -1, EINVAL);
	FAILS(nfct_query(h, 11, &family), -1, ENOTSUP);
	FAILS(nfct_query(h, -1, &family), -1, ENOTSUP);
	FAILS(nfct_send(h, 0x7fffffff, &family), -1, ENOTSUP);
	FAILS(nfexp_query(h, NFCT_Q_UPDATE, &family), -1, ENOTSUP);
	FAILS(nfexp_query(h, NFCT_Q_DUMP_FILTER, &family), -1, ENOTSUP);
	FAILS(nfexp_send(h, 42, &family), -1, ENOTSUP);

	/* Objects without a layer-3 protocol: an empty message, sent; a query
	 * never waits for an answer to it. A send gives what the kernel says
	 * (current kernels: ENODATA; older ones take it: 0 bytes sent). */
	bare = nfct_new();
	FAILS(nfct_query(h, NFCT_Q_CREATE, bare), -1, ENODATA);
	FAILS(nfct_query(h, NFCT_Q_GET, bare), -1, ENODATA);
	errno = 0;
	int sent = nfct_send(h, NFCT_Q_DESTROY, bare);
	CHECK((sent == -1 && errno == ENODATA) || (sent == 0 && errno == 0));
	exp = nfexp_new();
	FAILS(nfexp_query(h, NFCT_Q_CREATE, exp), -1, ENODATA);
	errno = 0;
	sent = nfexp_send(h, NFCT_Q_GET, exp);
	CHECK((sent == -1 && errno == ENODATA) || (sent == 0 && errno == 0));
	/* The handle still works. */
	CHECK(nfct_query(h, NFCT_Q_DUMP, &family) == 0);

	/* Callbacks on a handle without their subsystem. */
	ct_only = nfct_open(CONNTRACK, 0);
	exp_only = nfct_open(EXPECT, 0);
	none = nfct_open(3, 0);
	CHECK(ct_only && exp_only && none);
	FAILS(nfexp_callback_register(ct_only, NFCT_T_ALL, exp_cb, NULL), -1, EINVAL);
	FAILS(nfexp_callback_register2(ct_only, NFCT_T_ALL, exp_cb2, NULL), -1, EINVAL);
	VOID_FAILS(nfexp_callback_unregister(ct_only), EINVAL);
	VOID_FAILS(nfexp_callback_unregister2(ct_only), EINVAL);
	FAILS(nfct_callback_register(exp_only, NFCT_T_ALL, ct_cb, NULL), -1, EINVAL);
	FAILS(nfct_callback_register2(exp_only, NFCT_T_ALL, ct_cb2, NULL), -1, EINVAL);
	VOID_FAILS(nfct_callback_unregister(exp_only), EINVAL);
	VOID_FAILS(nfct_callback_unregister2(exp_only), EINVAL);
	FAILS(nfct_callback_register(none, NFCT_T_ALL, ct_cb, NULL), -1, EINVAL);
	FAILS(nfexp_callback_register2(none, NFCT_T_ALL, exp_cb2, NULL), -1, EINVAL);
	/* ...while the right ones register. */
	CHECK(nfct_callback_register(ct_only, NFCT_T_ALL, ct_cb, NULL) == 0);
	CHECK(nfexp_callback_register2(exp_only, NFCT_T_ALL, exp_cb2, NULL) == 0);
	CHECK(nfct_close(none) == 0);
	CHECK(nfct_close(exp_only) == 0);
	CHECK(nfct_close(ct_only) == 0);

	/* libnfnetlink handles whose descriptor is no netfilter socket: the
	 * struct is left alone. */
	{
		unsigned char fake[512];
		int fd = open("/dev/null", O_RDONLY);

		memset(fake, 0, sizeof(fake));
		memcpy(fake, &fd, sizeof(fd));
		FAILS(nfct_open_nfnl((struct nfnl_handle *)fake, 0, 0), 0, ENOTSOCK);
		CHECK(fcntl(fd, F_GETFD) != -1);
		close(fd);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		memcpy(fake, &fd, sizeof(fd));
		FAILS(nfct_open_nfnl((struct nfnl_handle *)fake, CONNTRACK, 0), 0, EINVAL);
		CHECK(fcntl(fd, F_GETFD) != -1);
		for (size_t i = sizeof(fd); i < sizeof(fake); i++)
			CHECK(fake[i] == 0);
		close(fd);
	}

	/* Re-entry from a callback. */
	self = nfct_open(CONNTRACK, 0);
	other = nfct_open(CONNTRACK, 0);
	e = capi_udp_entry(1000);
	probe = capi_udp_entry(1001);
	CHECK(nfct_query(other, NFCT_Q_CREATE, e) == 0);
	CHECK(nfct_query(other, NFCT_Q_CREATE, probe) == 0);
	CHECK(nfct_callback_register(self, NFCT_T_ALL, reenter, NULL) == 0);
	CHECK(nfct_query(self, NFCT_Q_DUMP, &family) == 0);
	CHECK(reentered == 2);
	CHECK(nfct_query(self, NFCT_Q_GET, e) == 0);
	CHECK(reentered == 3);
	CHECK(nfct_close(self) == 0);
	CHECK(nfct_close(other) == 0);

	nfct_destroy(e);
	nfct_destroy(probe);
	nfct_destroy(bare);
	nfexp_destroy(exp);
	CHECK(nfct_close(h) == 0);
	printf("bad_handle: all clean\n");
	return 0;
}
