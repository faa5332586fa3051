/*
 * Opening and closing handles, and what libnfnetlink sees of them:
 *
 * - nfct_open() for subsystem 0 (both), CONNTRACK, EXPECT and ids that
 *   name neither, with and without event groups (handle_none.c queries the
 *   handles that serve no subsystem: 1.0.9 asserts there);
 * - the socket's bound groups (getsockname) and port id;
 * - nfct_nfnlh() read by libnfnetlink: nfnl_fd(), nfnl_portid(),
 *   nfnl_rcvbufsiz(), and the struct's documented fields (subscriptions,
 *   local.nl_groups, peer family, rcv_buffer_size, sequence tracking);
 * - nfct_open_nfnl() on a handle from nfnl_open(): the same struct comes
 *   back, the socket is shared, a subsystem open twice is EBUSY, groups of
 *   subsystems opened later through libnfnetlink are kept, and nfct_close()
 *   closes the libnfnetlink handle's socket too;
 * - nfct_close()'s value.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 * Port ids and descriptors are compared, never printed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <libnfnetlink/libnfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"
#include "objects.h"

/* Fields of libnfnetlink 1.0.x's struct nfnl_handle on x86-64. */
#define NFNL_LOCAL_GROUPS 12
#define NFNL_PEER_FAMILY 16
#define NFNL_SUBSCRIPTIONS 28
#define NFNL_RCV_BUFFER_SIZE 40
#define NFNL_FLAGS 44

static uint32_t field32(const struct nfnl_handle *h, int offset)
{
	uint32_t v;
	memcpy(&v, (const char *)h + offset, sizeof(v));
	return v;
}

static uint16_t field16(const struct nfnl_handle *h, int offset)
{
	uint16_t v;
	memcpy(&v, (const char *)h + offset, sizeof(v));
	return v;
}

static int count;

static int counter(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		   void *data)
{
	(void)type;
	(void)ct;
	(void)data;
	count++;
	return NFCT_CB_CONTINUE;
}

static struct sockaddr_nl local_of(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		printf("getsockname failed: %s\n", strerror(errno));
	return a;
}

/* What a handle looks like from outside. */
static void describe(const char *label, struct nfct_handle *h)
{
	const struct nfnl_handle *n;
	struct sockaddr_nl a;
	int fd;

	if (!h) {
		printf("%s: NULL errno=%s\n", label, strerror(errno));
		return;
	}
	fd = nfct_fd(h);
	n = nfct_nfnlh(h);
	a = local_of(fd);
	printf("%s: fd>=0 %d, nfnlh %d, nfnl_fd==fd %d, portid==nl_pid %d, "
	       "portid!=0 %d, groups 0x%x\n",
	       label, fd >= 0, n != NULL, nfnl_fd((struct nfnl_handle *)n) == fd,
	       nfnl_portid(n) == a.nl_pid, nfnl_portid(n) != 0, a.nl_groups);
	printf("  struct: subscriptions 0x%x, local.nl_groups 0x%x, peer family %u, "
	       "rcv_buffer_size %u, seq tracking %u\n",
	       field32(n, NFNL_SUBSCRIPTIONS), field32(n, NFNL_LOCAL_GROUPS),
	       field16(n, NFNL_PEER_FAMILY), field32(n, NFNL_RCV_BUFFER_SIZE),
	       field32(n, NFNL_FLAGS) & 1);
}

static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

int main(void)
{
	struct nfct_handle *h;
	uint32_t family = AF_INET;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}

	/* Subsystems and groups. */
	static const struct {
		uint8_t subsys;
		unsigned groups;
	} opens[] = {
		{ 0, 0 },
		{ CONNTRACK, 0 },
		{ EXPECT, 0 },
		{ 0, NFCT_ALL_CT_GROUPS },
		{ CONNTRACK, NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_DESTROY },
		{ EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW | NF_NETLINK_CONNTRACK_EXP_UPDATE |
				  NF_NETLINK_CONNTRACK_EXP_DESTROY },
		{ 3, NFCT_ALL_CT_GROUPS },
		{ 16, 0 },
		{ 255, 1 },
	};
	for (size_t i = 0; i < sizeof(opens) / sizeof(opens[0]); i++) {
		char label[64];
		snprintf(label, sizeof(label), "open(%u, 0x%x)", opens[i].subsys,
			 opens[i].groups);
		errno = 0;
		h = nfct_open(opens[i].subsys, opens[i].groups);
		describe(label, h);
		if (h)
			SHOW_RET("  close", nfct_close(h));
	}

	/* libnfnetlink on our struct. */
	{
		int rcv = 0;
		socklen_t len = sizeof(rcv);
		unsigned got;

		h = nfct_open(CONNTRACK, 0);
		got = nfnl_rcvbufsiz(nfct_nfnlh(h), 65536);
		getsockopt(nfct_fd(h), SOL_SOCKET, SO_RCVBUF, &rcv, &len);
		printf("nfnl_rcvbufsiz(65536) = %u, SO_RCVBUF = %d\n", got, rcv);
		describe("after nfnl_rcvbufsiz", h);
		SHOW_RET("close", nfct_close(h));
	}

	/* nfct_open_nfnl() on libnfnetlink's own handle. */
	{
		struct nfnl_handle *nfnlh = nfnl_open();
		struct nfnl_subsys_handle *queue;
		int fd;

		if (!nfnlh) {
			printf("nfnl_open failed: %s\n", strerror(errno));
			return 1;
		}
		fd = nfnl_fd(nfnlh);
		h = nfct_open_nfnl(nfnlh, CONNTRACK, NFCT_ALL_CT_GROUPS);
		describe("open_nfnl(CONNTRACK, all)", h);
		printf("  same struct %d, same fd %d\n", nfct_nfnlh(h) == nfnlh,
		       nfct_fd(h) == fd);
		{
			struct nfct_handle *again;
			errno = 0;
			again = nfct_open_nfnl(nfnlh, CONNTRACK, 0);
			printf("  open_nfnl(CONNTRACK) again: %s errno=%s\n",
			       again ? "handle" : "NULL", strerror(errno));
		}
		/* libnfnetlink re-binds to the groups of all its subsystems. */
		queue = nfnl_subsys_open(nfnlh, 3, 1, 0);
		printf("  queue subsystem opened %d, groups now 0x%x\n", queue != NULL,
		       local_of(fd).nl_groups);
		{
			struct nf_conntrack *e = capi_udp_entry(1000);
			SHOW_RET("  create", nfct_query(h, NFCT_Q_CREATE, e));
			nfct_destroy(e);
		}
		count = 0;
		nfct_callback_register(h, NFCT_T_ALL, counter, NULL);
		SHOW_RET("  dump", nfct_query(h, NFCT_Q_DUMP, &family));
		printf("  objects: %d\n", count);
		SHOW_RET("  close", nfct_close(h));
		printf("  socket still open: %d\n", fd_open(fd));

		/* A subsystem libnfnetlink itself opened first. */
		nfnlh = nfnl_open();
		nfnl_subsys_open(nfnlh, CONNTRACK, 8, 0);
		errno = 0;
		h = nfct_open_nfnl(nfnlh, 0, 0);
		printf("open_nfnl(0) over libnfnetlink's conntrack subsystem: %s errno=%s\n",
		       h ? "handle" : "NULL", strerror(errno));
		if (h)
			nfct_close(h);
		h = nfct_open_nfnl(nfnlh, EXPECT, 0);
		describe("open_nfnl(EXPECT) there", h);
		fd = nfct_fd(h);
		SHOW_RET("  close", nfct_close(h));
		printf("  socket still open: %d\n", fd_open(fd));
	}
	return 0;
}
