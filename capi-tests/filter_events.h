/*
 * Shared by the event-filter kernel tests (filter_events.c,
 * filter_events_ours.c): a private network namespace, listener sockets on
 * the conntrack event groups with a filter attached through the library
 * under test, conntrack entries created, changed and deleted with
 * hand-built ctnetlink requests (no library call), and events decoded from
 * their netlink attributes (no library call either).
 *
 * Events are queued on the listeners while the request that causes them is
 * processed, so once the generator has its acknowledgements, draining the
 * listeners without blocking gets every delivered event, in order.
 */
#ifndef FILTER_EVENTS_H
#define FILTER_EVENTS_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

/* --- fatal errors --------------------------------------------------------- */

static void die(const char *what)
{
	fprintf(stderr, "filter_events: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Moves this process into a new network namespace with event delivery for
 * every entry (nf_conntrack_events=1). */
static void private_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET) (this test needs root)");
}

static void events_sysctl(void)
{
	int fd = open("/proc/sys/net/netfilter/nf_conntrack_events", O_WRONLY);
	if (fd < 0 || write(fd, "1\n", 2) != 2)
		die("net.netfilter.nf_conntrack_events=1");
	close(fd);
}

/* --- entries ------------------------------------------------------------------ */

struct fe_entry {
	int family;		/* AF_INET or AF_INET6 */
	const char *src, *dst;	/* addresses as text */
	uint8_t proto;		/* 6 tcp, 17 udp, 1 icmp, 58 icmpv6, 132 sctp */
	uint16_t sport, dport;	/* ports; sport is the ICMP id */
	uint8_t state;		/* TCP or SCTP state */
	uint32_t mark;
	uint16_t zone;
	uint8_t new_state;	/* when not 0: an update sets this state */
	uint32_t new_mark;	/* when not equal to mark: an update sets it */
};

/* --- netlink requests ----------------------------------------------------- */

struct fe_msg {
	union {
		struct nlmsghdr nlh;
		char buf[1024];
	} u;
};

static void *fe_tail(struct fe_msg *m)
{
	return m->u.buf + NLMSG_ALIGN(m->u.nlh.nlmsg_len);
}

static void fe_put(struct fe_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = fe_tail(m);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	m->u.nlh.nlmsg_len = NLMSG_ALIGN(m->u.nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void fe_u8(struct fe_msg *m, uint16_t t, uint8_t v) { fe_put(m, t, &v, 1); }
static void fe_be16(struct fe_msg *m, uint16_t t, uint16_t v) { v = htons(v); fe_put(m, t, &v, 2); }
static void fe_be32(struct fe_msg *m, uint16_t t, uint32_t v) { v = htonl(v); fe_put(m, t, &v, 4); }

static struct nlattr *fe_nest(struct fe_msg *m, uint16_t type)
{
	struct nlattr *a = fe_tail(m);
	fe_put(m, type | NLA_F_NESTED, NULL, 0);
	return a;
}

static void fe_nest_end(struct fe_msg *m, struct nlattr *a)
{
	a->nla_len = (char *)fe_tail(m) - (char *)a;
}

static void fe_tuple(struct fe_msg *m, uint16_t type, const struct fe_entry *e,
		     int reply)
{
	unsigned char s[16], d[16];
	size_t alen = e->family == AF_INET ? 4 : 16;
	if (inet_pton(e->family, reply ? e->dst : e->src, s) != 1 ||
	    inet_pton(e->family, reply ? e->src : e->dst, d) != 1) {
		fprintf(stderr, "filter_events: bad address %s or %s\n", e->src, e->dst);
		exit(1);
	}
	struct nlattr *t = fe_nest(m, type);
	struct nlattr *ip = fe_nest(m, CTA_TUPLE_IP);
	fe_put(m, e->family == AF_INET ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, s, alen);
	fe_put(m, e->family == AF_INET ? CTA_IP_V4_DST : CTA_IP_V6_DST, d, alen);
	fe_nest_end(m, ip);
	struct nlattr *p = fe_nest(m, CTA_TUPLE_PROTO);
	fe_u8(m, CTA_PROTO_NUM, e->proto);
	if (e->proto == IPPROTO_ICMP) {
		fe_be16(m, CTA_PROTO_ICMP_ID, e->sport);
		fe_u8(m, CTA_PROTO_ICMP_TYPE, reply ? 0 : 8);
		fe_u8(m, CTA_PROTO_ICMP_CODE, 0);
	} else if (e->proto == IPPROTO_ICMPV6) {
		fe_be16(m, CTA_PROTO_ICMPV6_ID, e->sport);
		fe_u8(m, CTA_PROTO_ICMPV6_TYPE, reply ? 129 : 128);
		fe_u8(m, CTA_PROTO_ICMPV6_CODE, 0);
	} else {
		fe_be16(m, CTA_PROTO_SRC_PORT, reply ? e->dport : e->sport);
		fe_be16(m, CTA_PROTO_DST_PORT, reply ? e->sport : e->dport);
	}
	fe_nest_end(m, p);
	fe_nest_end(m, t);
}

static void fe_protoinfo(struct fe_msg *m, const struct fe_entry *e, uint8_t state)
{
	struct nlattr *pi, *n;
	if (e->proto == IPPROTO_TCP) {
		pi = fe_nest(m, CTA_PROTOINFO);
		n = fe_nest(m, CTA_PROTOINFO_TCP);
		fe_u8(m, CTA_PROTOINFO_TCP_STATE, state);
		fe_nest_end(m, n);
		fe_nest_end(m, pi);
	} else if (e->proto == IPPROTO_SCTP) {
		pi = fe_nest(m, CTA_PROTOINFO);
		n = fe_nest(m, CTA_PROTOINFO_SCTP);
		fe_u8(m, CTA_PROTOINFO_SCTP_STATE, state);
		fe_be32(m, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, 0x1000 + e->sport);
		fe_be32(m, CTA_PROTOINFO_SCTP_VTAG_REPLY, 0x2000 + e->sport);
		fe_nest_end(m, n);
		fe_nest_end(m, pi);
	}
}

enum fe_op { FE_CREATE, FE_UPDATE, FE_DELETE };

/* Sends one request about `e` and waits for its acknowledgement. */
static void fe_request(int fd, const struct fe_entry *e, enum fe_op op)
{
	static uint32_t seq;
	struct fe_msg m;
	memset(&m, 0, sizeof(m));
	m.u.nlh.nlmsg_len = NLMSG_HDRLEN;
	m.u.nlh.nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 |
			     (op == FE_DELETE ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW);
	m.u.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (op == FE_CREATE)
		m.u.nlh.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	m.u.nlh.nlmsg_seq = ++seq;
	struct nfgenmsg *g = (struct nfgenmsg *)(m.u.buf + NLMSG_HDRLEN);
	g->nfgen_family = e->family;
	g->version = NFNETLINK_V0;
	m.u.nlh.nlmsg_len += NLMSG_ALIGN(sizeof(*g));

	fe_tuple(&m, CTA_TUPLE_ORIG, e, 0);
	if (e->zone)
		fe_be16(&m, CTA_ZONE, e->zone);
	if (op == FE_CREATE) {
		fe_tuple(&m, CTA_TUPLE_REPLY, e, 1);
		fe_be32(&m, CTA_TIMEOUT, 600);
		fe_protoinfo(&m, e, e->state);
		if (e->mark)
			fe_be32(&m, CTA_MARK, e->mark);
	} else if (op == FE_UPDATE) {
		if (e->new_state)
			fe_protoinfo(&m, e, e->new_state);
		if (e->new_mark != e->mark)
			fe_be32(&m, CTA_MARK, e->new_mark);
	}

	if (send(fd, &m, m.u.nlh.nlmsg_len, 0) < 0)
		die("send");
	char buf[8192];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		die("recv (ack)");
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq != seq) {
		fprintf(stderr, "filter_events: no acknowledgement\n");
		exit(1);
	}
	struct nlmsgerr *err = NLMSG_DATA(h);
	if (err->error != 0) {
		errno = -err->error;
		fprintf(stderr, "filter_events: %s %s -> %s: %s\n",
			op == FE_CREATE ? "create" : op == FE_UPDATE ? "update" : "delete",
			e->src, e->dst, strerror(errno));
		exit(1);
	}
}

static int fe_ctnl_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0)
		die("socket");
	return fd;
}

/* Creates every entry, then updates those that change, then deletes all. */
static void fe_generate(const struct fe_entry *e, size_t n)
{
	int fd = fe_ctnl_socket();
	for (size_t i = 0; i < n; i++)
		fe_request(fd, &e[i], FE_CREATE);
	for (size_t i = 0; i < n; i++)
		if (e[i].new_state || e[i].new_mark != e[i].mark)
			fe_request(fd, &e[i], FE_UPDATE);
	for (size_t i = 0; i < n; i++)
		fe_request(fd, &e[i], FE_DELETE);
	close(fd);
}

/* --- listeners ------------------------------------------------------------ */

/* A socket on the conntrack event groups, with `f` attached through the
 * library under test. */
static int fe_listener(struct nfct_filter *f)
{
	int fd = fe_ctnl_socket();
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	a.nl_groups = 1 << (NFNLGRP_CONNTRACK_NEW - 1) |
		      1 << (NFNLGRP_CONNTRACK_UPDATE - 1) |
		      1 << (NFNLGRP_CONNTRACK_DESTROY - 1);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	int size = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		die("SO_RCVBUFFORCE");
	if (nfct_filter_attach(fd, f) < 0)
		die("nfct_filter_attach");
	return fd;
}

/* Appends "k=v" for the attributes of a nest to `out`. */
static const struct nlattr *fe_find(const void *start, size_t len, uint16_t type)
{
	const char *p = start;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		size_t step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return NULL;
		p += step;
		len -= step;
	}
	return NULL;
}

#define FE_DATA(a) ((const unsigned char *)(a) + NLA_HDRLEN)
#define FE_LEN(a) ((size_t)(a)->nla_len - NLA_HDRLEN)
#define FE_IN(a, t) fe_find(FE_DATA(a), FE_LEN(a), (t))

static unsigned fe_get(const struct nlattr *a, size_t width)
{
	unsigned v = 0;
	if (!a || FE_LEN(a) < width)
		return 0;
	for (size_t i = 0; i < width; i++)
		v = v << 8 | FE_DATA(a)[i];
	return v;
}

/* One event as a line of text: kind, family, protocol, original tuple,
 * state, mark, zone. */
static void fe_describe(const struct nlmsghdr *h, char *out, size_t size)
{
	const struct nfgenmsg *g = NLMSG_DATA(h);
	const char *kind = (h->nlmsg_type & 0xff) == IPCTNL_MSG_CT_DELETE ? "destroy" :
			   (h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) ? "new" : "update";
	const void *attrs = (const char *)g + NLMSG_ALIGN(sizeof(*g));
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*g));
	const struct nlattr *orig = fe_find(attrs, len, CTA_TUPLE_ORIG);
	const struct nlattr *ip = orig ? FE_IN(orig, CTA_TUPLE_IP) : NULL;
	const struct nlattr *pr = orig ? FE_IN(orig, CTA_TUPLE_PROTO) : NULL;
	char s[INET6_ADDRSTRLEN] = "?", d[INET6_ADDRSTRLEN] = "?";
	int v6 = g->nfgen_family == AF_INET6;
	if (ip) {
		const struct nlattr *as = FE_IN(ip, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC);
		const struct nlattr *ad = FE_IN(ip, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST);
		if (as)
			inet_ntop(g->nfgen_family, FE_DATA(as), s, sizeof(s));
		if (ad)
			inet_ntop(g->nfgen_family, FE_DATA(ad), d, sizeof(d));
	}
	unsigned proto = pr ? fe_get(FE_IN(pr, CTA_PROTO_NUM), 1) : 0;
	unsigned sp = 0, dp = 0;
	if (pr && (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)) {
		sp = fe_get(FE_IN(pr, proto == IPPROTO_ICMP ? CTA_PROTO_ICMP_ID :
					   CTA_PROTO_ICMPV6_ID), 2);
	} else if (pr) {
		sp = fe_get(FE_IN(pr, CTA_PROTO_SRC_PORT), 2);
		dp = fe_get(FE_IN(pr, CTA_PROTO_DST_PORT), 2);
	}
	char state[24] = "";
	const struct nlattr *pi = fe_find(attrs, len, CTA_PROTOINFO);
	if (pi) {
		const struct nlattr *t = FE_IN(pi, CTA_PROTOINFO_TCP);
		const struct nlattr *c = FE_IN(pi, CTA_PROTOINFO_SCTP);
		if (t)
			snprintf(state, sizeof(state), " tcp-state=%u",
				 fe_get(FE_IN(t, CTA_PROTOINFO_TCP_STATE), 1));
		else if (c)
			snprintf(state, sizeof(state), " sctp-state=%u",
				 fe_get(FE_IN(c, CTA_PROTOINFO_SCTP_STATE), 1));
	}
	const struct nlattr *mk = fe_find(attrs, len, CTA_MARK);
	const struct nlattr *zn = fe_find(attrs, len, CTA_ZONE);
	char mark[24] = "", zone[16] = "";
	if (mk)
		snprintf(mark, sizeof(mark), " mark=%#x", fe_get(mk, 4));
	if (zn)
		snprintf(zone, sizeof(zone), " zone=%u", fe_get(zn, 2));
	snprintf(out, size, "%s ipv%d proto=%u %s#%u > %s#%u%s%s%s", kind, v6 ? 6 : 4,
		 proto, s, sp, d, dp, state, mark, zone);
}

/* Receives what is queued on `fd` without blocking; calls `line` with each
 * event's description. Fails on a lost event (ENOBUFS). */
static void fe_drain(int fd, void (*line)(const char *text, void *arg), void *arg)
{
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0)
			die("recv (events)");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			char text[256];
			if (h->nlmsg_type >> 8 != NFNL_SUBSYS_CTNETLINK) {
				snprintf(text, sizeof(text), "message type %#x", h->nlmsg_type);
			} else {
				fe_describe(h, text, sizeof(text));
			}
			line(text, arg);
		}
	}
}

#endif
