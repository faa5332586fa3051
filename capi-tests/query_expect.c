/*
 * Expectations through nfexp_query() against the kernel: a master entry
 * created over netlink with the "ftp" helper (helpers are not assigned
 * automatically, but ctnetlink attaches one by name), then expectations
 * created (and created again: EEXIST), got (and a missing one: ENOENT),
 * dumped per family, destroyed (twice: ENOENT), flushed; callbacks of both
 * versions with verdicts and a stolen object; nfexp_send() + nfexp_catch();
 * expectation events on a handle serving both subsystems, and on one
 * serving conntrack only (ENOENT; registering an expectation callback there
 * makes the reference assert: see bad_handle.c); queries expectations do
 * not have (ENOTSUP).
 *
 * The ftp helper allows one expectation per master: each gets its own.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 * Expectations are printed with nfexp_snprintf() after unsetting
 * ATTR_EXP_TIMEOUT (it counts down).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

static char *lines[64];
static int nlines, calls, verdict_at, verdict;
static struct nf_expect *kept;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int record(enum nf_conntrack_msg_type type, struct nf_expect *exp)
{
	char buf[512];

	calls++;
	nfexp_attr_unset(exp, ATTR_EXP_TIMEOUT);
	nfexp_snprintf(buf, sizeof(buf), exp, type, NFCT_O_DEFAULT, 0);
	if (nlines < 64)
		lines[nlines++] = strdup(buf);
	if (calls == verdict_at) {
		if (verdict == NFCT_CB_STOLEN)
			kept = exp;
		return verdict;
	}
	return NFCT_CB_CONTINUE;
}

static int cb1(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	(void)data;
	return record(type, exp);
}

static int cb2(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
	       struct nf_expect *exp, void *data)
{
	(void)data;
	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK_EXP)
		printf("  v2: wrong subsystem\n");
	return record(type, exp);
}

static void show(const char *title)
{
	qsort(lines, nlines, sizeof(lines[0]), cmp_str);
	printf("%s: %d objects, %d calls\n", title, nlines, calls);
	for (int i = 0; i < nlines; i++) {
		printf("  %s\n", lines[i]);
		free(lines[i]);
	}
	nlines = calls = verdict_at = 0;
}

/* A TCP conntrack (or tuple) src:sport -> dst:dport. */
static struct nf_conntrack *tuple(int family, const char *src, const char *dst,
				  uint16_t sport, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, family);
	if (family == AF_INET) {
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr(src));
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr(dst));
	} else {
		struct in6_addr s, d;
		inet_pton(AF_INET6, src, &s);
		inet_pton(AF_INET6, dst, &d);
		nfct_set_attr(ct, ATTR_IPV6_SRC, &s);
		nfct_set_attr(ct, ATTR_IPV6_DST, &d);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	return ct;
}

static struct nf_conntrack *master(int family, const char *src, const char *dst,
				   uint16_t sport)
{
	struct nf_conntrack *ct = tuple(family, src, dst, sport, 21);

	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

/* An expectation of master m for a connection src -> dst:dport. */
static struct nf_expect *expectation(struct nf_conntrack *m, int family,
				     const char *src, const char *dst,
				     uint16_t dport)
{
	struct nf_expect *exp = nfexp_new();
	struct nf_conntrack *t = tuple(family, src, dst, 0, dport);
	struct nf_conntrack *mask = nfct_new();

	nfct_set_attr_u8(mask, ATTR_L3PROTO, family);
	if (family == AF_INET) {
		nfct_set_attr_u32(mask, ATTR_IPV4_SRC, 0xffffffff);
		nfct_set_attr_u32(mask, ATTR_IPV4_DST, 0xffffffff);
	} else {
		struct in6_addr all;
		memset(&all, 0xff, sizeof(all));
		nfct_set_attr(mask, ATTR_IPV6_SRC, &all);
		nfct_set_attr(mask, ATTR_IPV6_DST, &all);
	}
	nfct_set_attr_u8(mask, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(mask, ATTR_PORT_SRC, 0);
	nfct_set_attr_u16(mask, ATTR_PORT_DST, 0xffff);
	nfexp_set_attr(exp, ATTR_EXP_MASTER, m);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, t);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	nfct_destroy(t);
	nfct_destroy(mask);
	return exp;
}

static void sysctl(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(value, f) < 0 || fclose(f) != 0)
		printf("sysctl %s failed\n", path);
}

int main(void)
{
	struct nfct_handle *ct, *h, *ev, *ctonly;
	struct nf_conntrack *m4, *m4b, *m6;
	struct nf_expect *e[4];
	uint8_t family;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	sysctl("/proc/sys/net/netfilter/nf_conntrack_events", "1");
	ct = nfct_open(CONNTRACK, 0);
	h = nfct_open(EXPECT, 0);
	ev = nfct_open(0, NF_NETLINK_CONNTRACK_EXP_NEW | NF_NETLINK_CONNTRACK_EXP_DESTROY);
	ctonly = nfct_open(CONNTRACK, NF_NETLINK_CONNTRACK_EXP_NEW);
	if (!ct || !h || !ev || !ctonly) {
		perror("nfct_open");
		return 1;
	}
	fcntl(nfct_fd(ev), F_SETFL, O_NONBLOCK);
	fcntl(nfct_fd(ctonly), F_SETFL, O_NONBLOCK);
	nfexp_callback_register2(ev, NFCT_T_ALL, cb2, NULL);
	nfct_callback_register(ctonly, NFCT_T_ALL, NULL, NULL);

	m4 = master(AF_INET, "10.0.0.1", "10.0.0.2", 40000);
	m4b = master(AF_INET, "10.0.0.1", "10.0.0.2", 40002);
	m6 = master(AF_INET6, "2001:db8::1", "2001:db8::2", 40001);
	SHOW_RET("create master v4", nfct_query(ct, NFCT_Q_CREATE, m4));
	SHOW_RET("create master v4 (2)", nfct_query(ct, NFCT_Q_CREATE, m4b));
	SHOW_RET("create master v6", nfct_query(ct, NFCT_Q_CREATE, m6));

	e[0] = expectation(m4, AF_INET, "10.0.0.1", "10.0.0.2", 41000);
	e[1] = expectation(m4b, AF_INET, "10.0.0.1", "10.0.0.2", 41001);
	e[2] = expectation(m6, AF_INET6, "2001:db8::1", "2001:db8::2", 41002);
	/* Not created: the ftp helper allows one expectation per master, and
	 * this one's master has no entry. */
	e[3] = expectation(m6, AF_INET6, "2001:db8::1", "2001:db8::2", 41003);

	nfexp_callback_register(h, NFCT_T_ALL, cb1, NULL);
	for (int i = 0; i < 3; i++)
		SHOW_RET("create", nfexp_query(h, NFCT_Q_CREATE, e[i]));
	SHOW_RET("create existing", nfexp_query(h, NFCT_Q_CREATE, e[0]));
	SHOW_RET("create-update existing", nfexp_query(h, NFCT_Q_CREATE_UPDATE, e[0]));
	show("callbacks during creates");

	SHOW_RET("get", nfexp_query(h, NFCT_Q_GET, e[1]));
	show("get");
	SHOW_RET("get missing", nfexp_query(h, NFCT_Q_GET, e[3]));
	show("get missing");

	family = AF_INET;
	SHOW_RET("dump inet", nfexp_query(h, NFCT_Q_DUMP, &family));
	show("dump inet");
	family = AF_INET6;
	SHOW_RET("dump inet6", nfexp_query(h, NFCT_Q_DUMP, &family));
	show("dump inet6");
	family = AF_UNSPEC;
	SHOW_RET("dump unspec", nfexp_query(h, NFCT_Q_DUMP, &family));
	show("dump unspec");

	/* Verdicts (a handle of its own each: the reference leaves the rest). */
	{
		static const int vs[] = { NFCT_CB_STOP, NFCT_CB_FAILURE, -3, 5,
					  NFCT_CB_STOLEN };
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			struct nfct_handle *x = nfct_open(0, 0);
			char label[48];
			nfexp_callback_register2(x, NFCT_T_ALL, cb2, NULL);
			verdict_at = 1;
			verdict = vs[i];
			snprintf(label, sizeof(label), "get, verdict %d", vs[i]);
			errno = 0;
			SHOW_RET(label, nfexp_query(x, NFCT_Q_GET, e[1]));
			show(label);
			nfct_close(x);
		}
		if (kept) {
			char buf[512];
			nfexp_snprintf(buf, sizeof(buf), kept, NFCT_T_UNKNOWN,
				       NFCT_O_DEFAULT, 0);
			printf("kept: %s\n", buf);
			nfexp_destroy(kept);
		}
	}

	/* nfexp_send() + nfexp_catch(). */
	family = AF_UNSPEC;
	SHOW_RET("send dump", nfexp_send(h, NFCT_Q_DUMP, &family));
	SHOW_RET("catch dump", nfexp_catch(h));
	show("catch dump");
	SHOW_RET("send get", nfexp_send(h, NFCT_Q_GET, e[2]) > 0);
	SHOW_RET("catch get", nfexp_catch(h));
	show("catch get");

	SHOW_RET("destroy", nfexp_query(h, NFCT_Q_DESTROY, e[0]));
	SHOW_RET("destroy again", nfexp_query(h, NFCT_Q_DESTROY, e[0]));
	family = AF_INET6;
	SHOW_RET("flush inet6", nfexp_query(h, NFCT_Q_FLUSH, &family));
	family = AF_UNSPEC;
	SHOW_RET("dump after", nfexp_query(h, NFCT_Q_DUMP, &family));
	show("dump after");
	SHOW_RET("flush all", nfexp_query(h, NFCT_Q_FLUSH, &family));
	SHOW_RET("dump after flush all", nfexp_query(h, NFCT_Q_DUMP, &family));
	show("dump after flush all");

	/* Queries expectations do not have. */
	SHOW_RET("update", nfexp_query(h, NFCT_Q_UPDATE, e[0]));
	SHOW_RET("dump-reset", nfexp_query(h, NFCT_Q_DUMP_RESET, &family));
	SHOW_RET("query 99", nfexp_query(h, 99, &family));

	/* Events. */
	SHOW_RET("catch events", nfct_catch(ev));
	show("events");
	SHOW_RET("catch expectation events on a conntrack-only handle",
		 nfct_catch(ctonly));
	show("conntrack-only handle");

	for (int i = 0; i < 4; i++)
		nfexp_destroy(e[i]);
	nfct_destroy(m4);
	nfct_destroy(m4b);
	nfct_destroy(m6);
	nfct_close(ctonly);
	nfct_close(ev);
	SHOW_RET("close", nfct_close(h));
	nfct_close(ct);
	return 0;
}
