/* capi: min-ref 1.1 */
/*
 * Event filters in the kernel (the acceptance test of "BPF filters and
 * conntrackd"): one listener socket per filter, each bound to the conntrack
 * event groups with its filter attached by nfct_filter_attach() of the
 * library under test; conntrack entries (IPv4 and IPv6 addresses inside and
 * outside the filters' masks; TCP, UDP, ICMP, ICMPv6 and SCTP; TCP and SCTP
 * states; marks; zones) created, updated and deleted over raw ctnetlink;
 * then every event each listener got, in order, decoded from its netlink
 * attributes.
 *
 *   filter_events                 all of it in a private network namespace
 *                                 (what capi-tests/run does, once per library)
 *   filter_events listen READY    only the listeners, in the current
 *                                 namespace: creates the file READY once
 *                                 attached, prints the events when stdin
 *                                 reaches end of file
 *   filter_events generate        only the entries, in the current namespace
 *
 * tests/filter_kernel.sh runs a listener per library in one namespace at the
 * same time and compares what they got.
 *
 * Only filters whose programs are the reference's (no states of several
 * protocols, no list longer than 81 IPv4 addresses, 85 marks or 243
 * protocols) are here; filter_events_ours.c checks the others.
 */
#define _GNU_SOURCE
#include "filter_events.h"

/* TCP states */
#define SYN_SENT 1
#define ESTABLISHED 3
#define CLOSE_WAIT 5
#define TIME_WAIT 7
#define CLOSE 8
/* SCTP states */
#define COOKIE_WAIT 2
#define SCTP_ESTABLISHED 3

static const struct fe_entry entries[] = {
	{ AF_INET, "10.1.2.3", "10.0.0.2", IPPROTO_TCP, 1001, 80, ESTABLISHED, 0, 0, 0, 0x10 },
	{ AF_INET, "192.168.1.5", "10.0.0.2", IPPROTO_TCP, 1002, 22, SYN_SENT, 0x15, 0, ESTABLISHED, 0x15 },
	{ AF_INET, "10.200.0.9", "172.16.5.5", IPPROTO_UDP, 1003, 53, 0, 0x25, 0, 0, 0x25 },
	{ AF_INET, "127.0.0.1", "192.168.1.1", IPPROTO_UDP, 1004, 123, 0, 0, 7, 0, 0 },
	{ AF_INET, "10.1.2.3", "192.168.1.1", IPPROTO_ICMP, 77, 0, 0, 0x10, 0, 0, 0x10 },
	{ AF_INET, "10.1.2.3", "172.16.5.5", IPPROTO_SCTP, 1006, 9, SCTP_ESTABLISHED, 0, 1, 0, 0x25 },
	{ AF_INET, "192.168.1.5", "10.0.0.2", IPPROTO_SCTP, 1007, 9, COOKIE_WAIT, 0x12345678, 0, SCTP_ESTABLISHED, 0x12345678 },
	{ AF_INET, "10.0.0.5", "10.0.0.2", IPPROTO_TCP, 1013, 8080, TIME_WAIT, 1, 7, 0, 1 },
	{ AF_INET, "172.16.0.1", "10.9.9.9", IPPROTO_UDP, 1014, 5000, 0, 0x10, 0, 0, 0x10 },
	{ AF_INET, "192.168.1.5", "10.0.40.7", IPPROTO_UDP, 1015, 5001, 0, 0, 0x1234, 0, 0 },
	{ AF_INET, "192.168.1.5", "10.0.81.1", IPPROTO_TCP, 1016, 5002, CLOSE, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8::1", "2001:db8::2", IPPROTO_TCP, 2001, 443, ESTABLISHED, 0x1f, 0, CLOSE_WAIT, 0x1f },
	{ AF_INET6, "2001:db8:1::5", "fd00::1", IPPROTO_UDP, 2002, 53, 0, 0, 7, 0, 1 },
	{ AF_INET6, "fd00::abcd", "2001:db9::1", IPPROTO_TCP, 2003, 80, CLOSE, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8::1", "fd00::1", IPPROTO_ICMPV6, 5, 0, 0, 0x10, 0x1234, 0, 0x10 },
	{ AF_INET6, "fd00::abcd", "2001:db8::2", IPPROTO_SCTP, 2005, 9, SCTP_ESTABLISHED, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8:ffff::9", "2001:db8::2", IPPROTO_UDP, 2006, 7, 0, 0x110, 1, 0, 0x110 },
	{ AF_INET6, "fd00::1:0:0:9", "fd00::2", IPPROTO_TCP, 2007, 22, SYN_SENT, 0, 0, ESTABLISHED, 0 },
};

#define NENTRIES (sizeof(entries) / sizeof(entries[0]))

/* --- filters -------------------------------------------------------------- */

static void neg(struct nfct_filter *f, enum nfct_filter_attr a)
{
	if (nfct_filter_set_logic(f, a, NFCT_FILTER_LOGIC_NEGATIVE) < 0)
		die("nfct_filter_set_logic");
}

static void proto(struct nfct_filter *f, int p)
{
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, p);
}

static void state(struct nfct_filter *f, uint16_t p, uint16_t s)
{
	struct nfct_filter_proto v = { p, s };
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &v);
}

static void v4(struct nfct_filter *f, enum nfct_filter_attr a, const char *addr,
	       int bits)
{
	struct in_addr in;
	inet_pton(AF_INET, addr, &in);
	struct nfct_filter_ipv4 v = { ntohl(in.s_addr), bits ? ~0u << (32 - bits) : 0 };
	nfct_filter_add_attr(f, a, &v);
}

static void v6(struct nfct_filter *f, enum nfct_filter_attr a, const char *addr,
	       int bits)
{
	struct in6_addr in;
	struct nfct_filter_ipv6 v;
	inet_pton(AF_INET6, addr, &in);
	for (int i = 0; i < 4; i++) {
		uint32_t w;
		memcpy(&w, &in.s6_addr[4 * i], 4);
		v.addr[i] = ntohl(w);
		int b = bits - 32 * i;
		v.mask[i] = b >= 32 ? ~0u : b <= 0 ? 0 : ~0u << (32 - b);
	}
	nfct_filter_add_attr(f, a, &v);
}

static void mark(struct nfct_filter *f, uint32_t val, uint32_t mask)
{
	struct nfct_filter_dump_mark m = { val, mask };
	nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
}

static void zone(struct nfct_filter *f, uint16_t z)
{
	nfct_filter_add_attr(f, NFCT_FILTER_ZONE, &z);
}

static void c_empty(struct nfct_filter *f) { (void)f; }
static void c_tcp(struct nfct_filter *f) { proto(f, IPPROTO_TCP); }
static void c_not_tcp_udp(struct nfct_filter *f)
{
	proto(f, IPPROTO_TCP);
	proto(f, IPPROTO_UDP);
	neg(f, NFCT_FILTER_L4PROTO);
}
static void c_icmp_sctp(struct nfct_filter *f)
{
	proto(f, IPPROTO_ICMP);
	proto(f, IPPROTO_ICMPV6);
	proto(f, IPPROTO_SCTP);
}
static void c_tcp_established(struct nfct_filter *f) { state(f, IPPROTO_TCP, ESTABLISHED); }
static void c_tcp_not_syn_close(struct nfct_filter *f)
{
	state(f, IPPROTO_TCP, SYN_SENT);
	state(f, IPPROTO_TCP, CLOSE);
	neg(f, NFCT_FILTER_L4PROTO_STATE);
}
static void c_sctp_established(struct nfct_filter *f) { state(f, IPPROTO_SCTP, SCTP_ESTABLISHED); }
static void c_sctp_not_cookie(struct nfct_filter *f)
{
	state(f, IPPROTO_SCTP, COOKIE_WAIT);
	neg(f, NFCT_FILTER_L4PROTO_STATE);
}
static void c_src4_net10(struct nfct_filter *f) { v4(f, NFCT_FILTER_SRC_IPV4, "10.0.0.0", 8); }
static void c_src4_not_net10(struct nfct_filter *f)
{
	c_src4_net10(f);
	neg(f, NFCT_FILTER_SRC_IPV4);
}
static void c_src4_list(struct nfct_filter *f)
{
	v4(f, NFCT_FILTER_SRC_IPV4, "192.168.1.5", 32);
	v4(f, NFCT_FILTER_SRC_IPV4, "10.200.77.77", 16);
	v4(f, NFCT_FILTER_SRC_IPV4, "127.0.0.0", 8);
}
static void c_dst4_hosts(struct nfct_filter *f)
{
	v4(f, NFCT_FILTER_DST_IPV4, "10.0.0.2", 32);
	v4(f, NFCT_FILTER_DST_IPV4, "172.16.5.5", 32);
}
static void c_dst4_not_hosts(struct nfct_filter *f)
{
	c_dst4_hosts(f);
	neg(f, NFCT_FILTER_DST_IPV4);
}
static void c_dst4_81(struct nfct_filter *f)
{
	for (int i = 0; i < 81; i++) {
		struct nfct_filter_ipv4 v = { 0x0a000000 + (i << 8), 0xffffff00 };
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV4, &v);
	}
}
static void c_src6_db8(struct nfct_filter *f) { v6(f, NFCT_FILTER_SRC_IPV6, "2001:db8::", 32); }
static void c_src6_not_db8(struct nfct_filter *f)
{
	c_src6_db8(f);
	neg(f, NFCT_FILTER_SRC_IPV6);
}
static void c_src6_list(struct nfct_filter *f)
{
	v6(f, NFCT_FILTER_SRC_IPV6, "2001:db8:1::", 48);
	v6(f, NFCT_FILTER_SRC_IPV6, "fd00::abcd", 128);
	v6(f, NFCT_FILTER_SRC_IPV6, "fd00::1:0:0:0", 80);
}
static void c_dst6_hosts(struct nfct_filter *f)
{
	v6(f, NFCT_FILTER_DST_IPV6, "2001:db8::2", 128);
	v6(f, NFCT_FILTER_DST_IPV6, "fd00::", 112);
}
static void c_dst6_not_hosts(struct nfct_filter *f)
{
	c_dst6_hosts(f);
	neg(f, NFCT_FILTER_DST_IPV6);
}
static void c_mark(struct nfct_filter *f) { mark(f, 0x10, 0xf0); }
static void c_not_mark(struct nfct_filter *f)
{
	mark(f, 0x10, 0xf0);
	mark(f, 0x12340000, 0xffff0000);
	neg(f, NFCT_FILTER_MARK);
}
static void c_mark_zero(struct nfct_filter *f) { mark(f, 0, ~0u); }
static void c_zone7(struct nfct_filter *f) { zone(f, 7); }
static void c_not_zone(struct nfct_filter *f)
{
	zone(f, 0);
	zone(f, 0x1234);
	neg(f, NFCT_FILTER_ZONE);
}
static void c_zone0(struct nfct_filter *f) { zone(f, 0); }
static void c_all_positive(struct nfct_filter *f)
{
	proto(f, IPPROTO_TCP);
	proto(f, IPPROTO_UDP);
	state(f, IPPROTO_TCP, ESTABLISHED);
	state(f, IPPROTO_TCP, CLOSE_WAIT);
	v4(f, NFCT_FILTER_SRC_IPV4, "10.0.0.0", 8);
	v4(f, NFCT_FILTER_DST_IPV4, "10.0.0.0", 16);
	v6(f, NFCT_FILTER_SRC_IPV6, "2001:db8::", 32);
	v6(f, NFCT_FILTER_DST_IPV6, "2001:db8::2", 128);
	mark(f, 0, 0xf);
	zone(f, 0);
}
static void c_all_negative(struct nfct_filter *f)
{
	c_all_positive(f);
	for (int a = 0; a < NFCT_FILTER_MAX; a++)
		neg(f, (enum nfct_filter_attr)a);
}
static void c_mixed(struct nfct_filter *f)
{
	proto(f, IPPROTO_ICMP);
	neg(f, NFCT_FILTER_L4PROTO);
	state(f, IPPROTO_SCTP, COOKIE_WAIT);
	neg(f, NFCT_FILTER_L4PROTO_STATE);
	v4(f, NFCT_FILTER_DST_IPV4, "10.0.0.0", 8);
	v6(f, NFCT_FILTER_DST_IPV6, "fd00::", 8);
	neg(f, NFCT_FILTER_DST_IPV6);
	mark(f, 0x10, 0x10);
	neg(f, NFCT_FILTER_MARK);
	zone(f, 7);
	zone(f, 0);
}

static const struct {
	const char *name;
	void (*build)(struct nfct_filter *);
} cases[] = {
	{ "empty", c_empty },
	{ "l4proto tcp", c_tcp },
	{ "l4proto not tcp/udp", c_not_tcp_udp },
	{ "l4proto icmp/icmpv6/sctp", c_icmp_sctp },
	{ "state tcp established", c_tcp_established },
	{ "state tcp not syn_sent/close", c_tcp_not_syn_close },
	{ "state sctp established", c_sctp_established },
	{ "state sctp not cookie_wait", c_sctp_not_cookie },
	{ "src ipv4 10/8", c_src4_net10 },
	{ "src ipv4 not 10/8", c_src4_not_net10 },
	{ "src ipv4 list", c_src4_list },
	{ "dst ipv4 hosts", c_dst4_hosts },
	{ "dst ipv4 not hosts", c_dst4_not_hosts },
	{ "dst ipv4 81 nets", c_dst4_81 },
	{ "src ipv6 2001:db8::/32", c_src6_db8 },
	{ "src ipv6 not 2001:db8::/32", c_src6_not_db8 },
	{ "src ipv6 list", c_src6_list },
	{ "dst ipv6 hosts", c_dst6_hosts },
	{ "dst ipv6 not hosts", c_dst6_not_hosts },
	{ "mark 0x10/0xf0", c_mark },
	{ "mark not 0x10/0xf0 0x1234xxxx", c_not_mark },
	{ "mark 0", c_mark_zero },
	{ "zone 7", c_zone7 },
	{ "zone not 0/0x1234", c_not_zone },
	{ "zone 0", c_zone0 },
	{ "every attribute positive", c_all_positive },
	{ "every attribute negative", c_all_negative },
	{ "mixed", c_mixed },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static int fds[NCASES];

static void open_listeners(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		struct nfct_filter *f = nfct_filter_create();
		if (!f)
			die("nfct_filter_create");
		cases[i].build(f);
		fds[i] = fe_listener(f);
		nfct_filter_destroy(f);
	}
}

static void print_line(const char *text, void *arg)
{
	(void)arg;
	printf("  %s\n", text);
}

static void print_events(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		printf("%s:\n", cases[i].name);
		fe_drain(fds[i], print_line, NULL);
		close(fds[i]);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (argc == 1) {
		private_netns();
		events_sysctl();
		open_listeners();
		fe_generate(entries, NENTRIES);
		print_events();
	} else if (argc == 3 && strcmp(argv[1], "listen") == 0) {
		open_listeners();
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			die(argv[2]);
		close(fd);
		char c;
		while (read(0, &c, 1) > 0)
			;
		print_events();
	} else if (argc == 2 && strcmp(argv[1], "generate") == 0) {
		fe_generate(entries, NENTRIES);
	} else {
		fprintf(stderr, "usage: filter_events [listen READYFILE | generate]\n");
		return 2;
	}
	return 0;
}
