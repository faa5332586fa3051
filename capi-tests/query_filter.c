/* capi: min-ref 1.1 */
/*
 * Dump filters and the filtered flush through nfct_query() against the
 * kernel (what 1.1.0 added: NFCT_FILTER_DUMP_ZONE, NFCT_FILTER_DUMP_TUPLE,
 * NFCT_Q_FLUSH_FILTER): filters by mark, status, family, zone and tuple,
 * combined; the counter-resetting dump; a filtered flush by mark and by
 * family; a tuple in a flush filter (ENOTSUP); a tuple whose family
 * contradicts the filter's (EINVAL).
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

static char *lines[64];
static int nlines;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		   void *data)
{
	char buf[512];

	(void)data;
	nfct_attr_unset(ct, ATTR_TIMEOUT);
	nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT,
		      NFCT_OF_SHOW_LAYER3);
	if (nlines < 64)
		lines[nlines++] = strdup(buf);
	return NFCT_CB_CONTINUE;
}

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

static struct nf_conntrack *entry(int family, uint8_t proto, int i,
				  uint32_t mark, uint16_t zone)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, family);
	if (family == AF_INET) {
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, htonl(0x0a000000 + i));
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, htonl(0x0a010000 + i));
	} else {
		struct in6_addr s, d;
		inet_pton(AF_INET6, "2001:db8::", &s);
		inet_pton(AF_INET6, "2001:db8:1::", &d);
		s.s6_addr[15] = i;
		d.s6_addr[15] = i;
		nfct_set_attr(ct, ATTR_IPV6_SRC, &s);
		nfct_set_attr(ct, ATTR_IPV6_DST, &d);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(30000 + i));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(443));
	if (proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	if (zone)
		nfct_set_attr_u16(ct, ATTR_ZONE, zone);
	nfct_set_attr_u32(ct, ATTR_MARK, mark);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

static void run(struct nfct_handle *h, const char *label, int q,
		struct nfct_filter_dump *f)
{
	SHOW_RET(label, nfct_query(h, q, f));
	show(label);
	nfct_filter_dump_destroy(f);
}

int main(void)
{
	struct nfct_handle *h;
	struct nfct_filter_dump *f;
	struct nfct_filter_dump_mark m;
	struct nf_conntrack *t;
	uint32_t family = AF_UNSPEC;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	h = nfct_open(CONNTRACK, 0);
	nfct_callback_register(h, NFCT_T_ALL, collect, NULL);
	{
		struct nf_conntrack *ct[] = {
			entry(AF_INET, IPPROTO_TCP, 1, 1, 0),
			entry(AF_INET, IPPROTO_TCP, 2, 2, 7),
			entry(AF_INET, IPPROTO_UDP, 3, 2, 7),
			entry(AF_INET, IPPROTO_UDP, 4, 3, 0),
			entry(AF_INET6, IPPROTO_TCP, 5, 2, 7),
			entry(AF_INET6, IPPROTO_UDP, 6, 3, 0),
		};
		for (size_t i = 0; i < sizeof(ct) / sizeof(ct[0]); i++) {
			if (nfct_query(h, NFCT_Q_CREATE, ct[i]) != 0)
				printf("create %zu: %s\n", i, strerror(errno));
			nfct_destroy(ct[i]);
		}
	}

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u16(f, NFCT_FILTER_DUMP_ZONE, 7);
	run(h, "zone 7", NFCT_Q_DUMP_FILTER, f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u16(f, NFCT_FILTER_DUMP_ZONE, 7);
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	run(h, "zone 7, inet", NFCT_Q_DUMP_FILTER, f);

	f = nfct_filter_dump_create();
	m.val = 2;
	m.mask = 0xffffffff;
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &m);
	nfct_filter_dump_set_attr_u16(f, NFCT_FILTER_DUMP_ZONE, 0);
	run(h, "mark 2, zone 0", NFCT_Q_DUMP_FILTER, f);

	f = nfct_filter_dump_create();
	m.val = IPS_CONFIRMED;
	m.mask = IPS_CONFIRMED;
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_STATUS, &m);
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
	run(h, "status confirmed, inet6", NFCT_Q_DUMP_FILTER, f);

	/* Tuples. */
	t = nfct_new();
	nfct_set_attr_u8(t, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(t, ATTR_L4PROTO, IPPROTO_UDP);
	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_TUPLE, t);
	run(h, "tuple inet udp", NFCT_Q_DUMP_FILTER, f);

	nfct_set_attr_u32(t, ATTR_IPV4_SRC, htonl(0x0a000003));
	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_TUPLE, t);
	run(h, "tuple inet udp src 10.0.0.3", NFCT_Q_DUMP_FILTER, f);

	nfct_attr_unset(t, ATTR_IPV4_SRC);
	nfct_set_attr_u16(t, ATTR_PORT_SRC, htons(30004));
	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_TUPLE, t);
	run(h, "tuple inet udp sport 30004", NFCT_Q_DUMP_FILTER_RESET, f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_TUPLE, t);
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
	run(h, "tuple inet, filter inet6", NFCT_Q_DUMP_FILTER, f);

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_TUPLE, t);
	run(h, "flush with a tuple", NFCT_Q_FLUSH_FILTER, f);
	nfct_destroy(t);

	/* Filtered flushes. */
	f = nfct_filter_dump_create();
	m.val = 3;
	m.mask = 0xffffffff;
	nfct_filter_dump_set_attr(f, NFCT_FILTER_DUMP_MARK, &m);
	run(h, "flush mark 3", NFCT_Q_FLUSH_FILTER, f);
	SHOW_RET("dump", nfct_query(h, NFCT_Q_DUMP, &family));
	show("after flush mark 3");

	f = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u8(f, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
	run(h, "flush inet6", NFCT_Q_FLUSH_FILTER, f);
	SHOW_RET("dump", nfct_query(h, NFCT_Q_DUMP, &family));
	show("after flush inet6");

	f = nfct_filter_dump_create();
	run(h, "flush, empty filter", NFCT_Q_FLUSH_FILTER, f);
	SHOW_RET("dump", nfct_query(h, NFCT_Q_DUMP, &family));
	show("after flush, empty filter");

	SHOW_RET("close", nfct_close(h));
	return 0;
}
