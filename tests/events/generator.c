/*
 * Event load generator for tests/events/run: creates N UDP conntrack entries
 * and then deletes them, over raw ctnetlink (no library: the same generator
 * serves every library under test), as fast as the kernel takes them: many
 * IPCTNL_MSG_CT_NEW (or _DELETE) requests per sendmsg(), no acknowledgement
 * asked. Each request is handled, and its event broadcast, before sendmsg()
 * returns, so when this program exits every event is already queued on (or
 * dropped from) the listeners' sockets.
 *
 *   generator N
 *
 * Prints "created N deleted N errors 0 seconds S"; exits 1 if the kernel
 * refused any request (it reports errors even without NLM_F_ACK).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH_BYTES 65536

static char buf[BATCH_BYTES];
static size_t used;
static int fd;
static uint32_t seq;
static unsigned long errors;

static void *put(size_t len)
{
	void *p = buf + used;
	memset(p, 0, NLMSG_ALIGN(len));
	used += NLMSG_ALIGN(len);
	return p;
}

static struct nlattr *attr(uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = put(NLA_HDRLEN + len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	return a;
}

static struct nlattr *nest(uint16_t type)
{
	return attr(type | NLA_F_NESTED, NULL, 0);
}

static void end(struct nlattr *a)
{
	a->nla_len = (uint16_t)(buf + used - (char *)a);
}

static void tuple(uint16_t type, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = nest(type), *ip, *pr;
	uint8_t udp = IPPROTO_UDP;

	ip = nest(CTA_TUPLE_IP);
	attr(CTA_IP_V4_SRC, &src, 4);
	attr(CTA_IP_V4_DST, &dst, 4);
	end(ip);
	pr = nest(CTA_TUPLE_PROTO);
	attr(CTA_PROTO_NUM, &udp, 1);
	attr(CTA_PROTO_SRC_PORT, &sport, 2);
	attr(CTA_PROTO_DST_PORT, &dport, 2);
	end(pr);
	end(t);
}

/* Reads the kernel's error reports without waiting. */
static void drain(void)
{
	static char rbuf[1 << 16];

	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ENOBUFS) {
				/* Error reports themselves were lost: count one. */
				errors++;
				continue;
			}
			perror("generator: recv");
			exit(2);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				if (e->error != 0) {
					if (errors == 0)
						fprintf(stderr, "generator: the kernel refused a request: %s\n",
							strerror(-e->error));
					errors++;
				}
			}
		}
	}
}

static void flush(void)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	if (used == 0)
		return;
	if (sendto(fd, buf, used, 0, (struct sockaddr *)&k, sizeof(k)) != (ssize_t)used) {
		perror("generator: sendto");
		exit(2);
	}
	used = 0;
	drain();
}

static void request(uint8_t msg, unsigned long i)
{
	struct nlmsghdr *h;
	struct nfgenmsg *g;
	uint32_t src = htonl(0x0a400000u + (uint32_t)i); /* 10.64.0.0 + i */
	uint32_t dst = htonl(0x0a000001u);               /* 10.0.0.1 */
	uint16_t sport = htons(4000), dport = htons(5000);
	uint32_t timeout = htonl(600);

	/* Room for the largest request (about 140 bytes). */
	if (used + 256 > sizeof(buf))
		flush();
	h = put(NLMSG_HDRLEN);
	h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
	h->nlmsg_flags = NLM_F_REQUEST;
	if (msg == IPCTNL_MSG_CT_NEW)
		h->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	h->nlmsg_seq = ++seq;
	g = put(sizeof(*g));
	g->nfgen_family = AF_INET;
	g->version = NFNETLINK_V0;
	tuple(CTA_TUPLE_ORIG, src, dst, sport, dport);
	if (msg == IPCTNL_MSG_CT_NEW) {
		tuple(CTA_TUPLE_REPLY, dst, src, dport, sport);
		attr(CTA_TIMEOUT, &timeout, 4);
	}
	h->nlmsg_len = (uint32_t)(buf + used - (char *)h);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	struct timespec t0, t1;
	unsigned long n, i;
	int rcv = 1 << 20;

	if (argc != 2 || (n = strtoul(argv[1], NULL, 10)) == 0 || n > 1000000) {
		fprintf(stderr, "usage: generator N   (1 <= N <= 1000000)\n");
		return 2;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		perror("generator: netlink socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		request(IPCTNL_MSG_CT_NEW, i);
	flush();
	for (i = 0; i < n; i++)
		request(IPCTNL_MSG_CT_DELETE, i);
	flush();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	drain();
	printf("created %lu deleted %lu errors %lu seconds %.3f\n", n, n, errors,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	close(fd);
	return errors ? 1 : 0;
}
