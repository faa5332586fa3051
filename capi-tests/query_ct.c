/*
 * Every conntrack query through nfct_query() against the kernel: create
 * (and create again: EEXIST), get (and get a missing entry: ENOENT),
 * update, create-or-update, dump per family, dump with counter reset, dump
 * filtered by mark and family, destroy (twice: ENOENT), flush per family,
 * and an unknown query (ENOTSUP).
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root),
 * so the table starts empty and is private. Entries are printed with
 * nfct_snprintf() after unsetting ATTR_TIMEOUT (it counts down), sorted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

#define MAX_LINES 256

static char *lines[MAX_LINES];
static int nlines;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps one line per object: its message type and its text. */
static int collect(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		   void *data)
{
	char buf[1024];

	(void)data;
	nfct_attr_unset(ct, ATTR_TIMEOUT);
	nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT,
		      NFCT_OF_SHOW_LAYER3);
	if (nlines < MAX_LINES) {
		char *l = malloc(strlen(buf) + 16);
		sprintf(l, "[%d] %s", (int)type, buf);
		lines[nlines++] = l;
	}
	return NFCT_CB_CONTINUE;
}

/* Prints and forgets the collected lines, sorted. */
static void show(const char *title)
{
	qsort(lines, nlines, sizeof(lines[0]), cmp_str);
	printf("%s: %d entries\n", title, nlines);
	for (int i = 0; i < nlines; i++) {
		printf("  %s\n", lines[i]);
		free(lines[i]);
	}
	nlines = 0;
}

/* A TCP (or UDP) entry src:sport -> dst:dport, with its reply tuple. */
static struct nf_conntrack *entry4(uint8_t proto, const char *src,
				   const char *dst, uint16_t sport,
				   uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr(src));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	if (proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3 /* ESTABLISHED */);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

static struct nf_conntrack *icmp4(const char *src, const char *dst,
				  uint16_t id)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr(src));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_ICMP);
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(id));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 30);
	return ct;
}

static struct nf_conntrack *entry6(const char *src, const char *dst,
				   uint16_t sport, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();
	struct in6_addr s, d;

	inet_pton(AF_INET6, src, &s);
	inet_pton(AF_INET6, dst, &d);
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET6);
	nfct_set_attr(ct, ATTR_IPV6_SRC, &s);
	nfct_set_attr(ct, ATTR_IPV6_DST, &d);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

static void dump(struct nfct_handle *h, const char *title, int q,
		 uint32_t family)
{
	SHOW_RET(title, nfct_query(h, q, &family));
	show(title);
}

int main(void)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct[6];
	uint32_t family;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		perror("nfct_open");
		return 1;
	}
	SHOW_RET("register", nfct_callback_register(h, NFCT_T_ALL, collect, NULL));

	ct[0] = entry4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1000, 80);
	nfct_set_attr_u32(ct[0], ATTR_MARK, 1);
	ct[1] = entry4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1001, 80);
	nfct_set_attr_u32(ct[1], ATTR_MARK, 2);
	ct[2] = entry4(IPPROTO_UDP, "10.0.0.3", "10.0.0.4", 5353, 53);
	nfct_set_attr_u32(ct[2], ATTR_MARK, 2);
	ct[3] = icmp4("10.0.0.5", "10.0.0.6", 77);
	ct[4] = entry6("2001:db8::1", "2001:db8::2", 4000, 4001);
	ct[5] = entry6("2001:db8::3", "2001:db8::4", 4002, 4003);

	for (int i = 0; i < 5; i++) {
		char label[32];
		snprintf(label, sizeof(label), "create %d", i);
		SHOW_RET(label, nfct_query(h, NFCT_Q_CREATE, ct[i]));
	}
	show("callbacks during creates");
	SHOW_RET("create existing", nfct_query(h, NFCT_Q_CREATE, ct[0]));

	SHOW_RET("get 0", nfct_query(h, NFCT_Q_GET, ct[0]));
	show("get 0");
	SHOW_RET("get 3 (icmp)", nfct_query(h, NFCT_Q_GET, ct[3]));
	show("get 3");
	SHOW_RET("get missing", nfct_query(h, NFCT_Q_GET, ct[5]));
	show("get missing");

	nfct_set_attr_u32(ct[0], ATTR_MARK, 9);
	SHOW_RET("update 0", nfct_query(h, NFCT_Q_UPDATE, ct[0]));
	SHOW_RET("get 0 again", nfct_query(h, NFCT_Q_GET, ct[0]));
	show("get 0 again");
	SHOW_RET("update missing", nfct_query(h, NFCT_Q_UPDATE, ct[5]));

	SHOW_RET("create-update missing", nfct_query(h, NFCT_Q_CREATE_UPDATE, ct[5]));
	nfct_set_attr_u32(ct[5], ATTR_MARK, 5);
	SHOW_RET("create-update existing", nfct_query(h, NFCT_Q_CREATE_UPDATE, ct[5]));

	dump(h, "dump inet", NFCT_Q_DUMP, AF_INET);
	dump(h, "dump inet6", NFCT_Q_DUMP, AF_INET6);
	dump(h, "dump unspec", NFCT_Q_DUMP, AF_UNSPEC);
	dump(h, "dump-reset inet", NFCT_Q_DUMP_RESET, AF_INET);

	{
		struct nfct_filter_dump *f = nfct_filter_dump_create();
		struct nfct_filter_dump_mark m = { .val = 2, .mask = 0xff };

		nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &m);
		SHOW_RET("dump-filter mark 2", nfct_query(h, NFCT_Q_DUMP_FILTER, f));
		show("dump-filter mark 2");
		nfct_filter_dump_destroy(f);

		f = nfct_filter_dump_create();
		nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
		SHOW_RET("dump-filter inet6", nfct_query(h, NFCT_Q_DUMP_FILTER, f));
		show("dump-filter inet6");
		nfct_filter_dump_destroy(f);
	}

	SHOW_RET("destroy 1", nfct_query(h, NFCT_Q_DESTROY, ct[1]));
	SHOW_RET("destroy 1 again", nfct_query(h, NFCT_Q_DESTROY, ct[1]));
	family = AF_INET6;
	SHOW_RET("flush inet6", nfct_query(h, NFCT_Q_FLUSH, &family));
	dump(h, "dump after flush inet6", NFCT_Q_DUMP, AF_UNSPEC);
	family = AF_UNSPEC;
	SHOW_RET("flush all", nfct_query(h, NFCT_Q_FLUSH, &family));
	dump(h, "dump after flush all", NFCT_Q_DUMP, AF_UNSPEC);

	SHOW_RET("unknown query", nfct_query(h, 99, &family));

	for (int i = 0; i < 6; i++)
		nfct_destroy(ct[i]);
	SHOW_RET("close", nfct_close(h));
	return 0;
}
